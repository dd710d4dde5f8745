// Profiles one page scenario with the Chrome DevTools protocol (Profiler) and prints the
// functions with the most self time. Not a test: a tool for finding hot paths.
//
//   node e2e/profile-page.mjs choice2000|choice2000-key|choice2000-echo|chain2000-run|paste5mb|input200k-keys|input1mb-keys
//
// choice2000-echo: ten keystrokes typed in the definition editor, each to the frame after it.
//
// (after `cargo xtask build`; E2E_DIST as the e2e tests).
import { launchBrowser, serveDist, waitForApp } from './helpers.mjs';
import { bigInput, chain, wideChoice as wide } from './page-workloads.mjs';

const scenario = process.argv[2] ?? 'choice2000';
const paste = (page, sel, text) =>
  page.$eval(sel, (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);

const server = await serveDist();
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.url);
await waitForApp(page);
await page.waitForSelector('svg#state-graph g.state-node');
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
if (scenario === 'choice2000-key' || scenario === 'choice2000-echo') {
  await paste(page, '#definition', JSON.stringify(wide(2000), null, 2));
  await page.waitForSelector('g.state-node[data-state^="B"]', { timeout: 120000 });
  await page.waitForTimeout(1000);
}
if (scenario === 'chain2000-run') {
  await paste(page, '#definition', JSON.stringify(chain(2000), null, 2));
  await page.waitForSelector('g.state-node[data-state^="S"]', { timeout: 120000 });
  await page.click('#start');
}
if (scenario === 'input200k-keys' || scenario === 'input1mb-keys') {
  const bytes = scenario === 'input1mb-keys' ? 1_000_000 : 200_000;
  await paste(page, '#execution-input', JSON.stringify({ inputCaseID: '001', ...JSON.parse(bigInput(bytes, false)) }));
  await page.waitForTimeout(1500);
  await page.$eval('#execution-input', (el) => {
    el.focus();
    el.setSelectionRange(1, 1);
  });
}
if (process.env.TRACE) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
await cdp.send('Profiler.start');
const t0 = Date.now();
if (scenario === 'choice2000') {
  await paste(page, '#definition', JSON.stringify(wide(2000), null, 2));
  await page.waitForSelector('g.state-node[data-state^="B"]', { timeout: 120000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
} else if (scenario === 'choice2000-key') {
  await page.$eval('#definition', (el) => {
    el.value = el.value.replace('"NumericEquals": 1000', '"NumericEquals": 10000');
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForFunction(() => [...document.querySelectorAll('g.edge-group[data-to="B1000"]')].some((e) => e.textContent.includes('10000')), undefined, { timeout: 60000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
} else if (scenario === 'choice2000-echo') {
  await page.$eval('#definition', (el) => {
    const at = el.value.indexOf('"NumericEquals": 1000') + '"NumericEquals": 1000'.length;
    el.focus();
    el.setSelectionRange(at, at);
  });
  for (let i = 0; i < 10; i++) {
    await page.keyboard.type('0');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  }
} else if (scenario === 'chain2000-run') {
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#execution-status')?.textContent?.trim() === 'Succeeded', undefined, { timeout: 120000 });
} else if (scenario === 'paste6mb') {
  const items = Array.from({ length: 52000 }, (_, i) => ({ id: i, name: `customer ${i}`, email: `c${i}@example.com`, tags: ['a', 'b'], score: i * 1.5 }));
  await paste(page, '#execution-input', JSON.stringify({ items }, null, 2));
  await page.waitForTimeout(3000);
} else if (scenario === 'input200k-keys' || scenario === 'input1mb-keys') {
  // 20 keys, 30 ms apart, and the pause after (when the work is saved).
  await page.keyboard.type('"k": 1234567890123,', { delay: 30 });
  await page.waitForTimeout(1000);
} else if (scenario === 'paste5mb') {
  const items = Array.from({ length: 60000 }, (_, i) => ({ id: i, name: `customer ${i}`, email: `c${i}@example.com`, tags: ['a', 'b'], score: i * 1.5 }));
  await paste(page, '#execution-input', JSON.stringify({ items }));
  await page.waitForTimeout(3000);
}
const { profile } = await cdp.send('Profiler.stop');
if (process.env.TRACE) {
  // Time by trace event name (complete events on the renderer's main thread), top-level only.
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const events = trace.traceEvents.filter((e) => e.ph === 'X' && e.dur);
  const main = events.find((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')?.tid;
  const totals = new Map();
  for (const e of events) {
    if (!['Layout', 'UpdateLayoutTree', 'Paint', 'PrePaint', 'Layerize', 'FunctionCall', 'EventDispatch', 'TimerFire', 'ParseHTML', 'HitTest', 'RunMicrotasks', 'Commit', 'UpdateLayer', 'IntersectionObserverController::computeIntersections', 'PaintImage', 'RasterTask'].includes(e.name)) continue;
    totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur / 1000);
  }
  [...totals.entries()].sort((a, b) => b[1] - a[1]).forEach(([k, ms]) => console.log(`trace ${ms.toFixed(1).padStart(9)} ms  ${k}`));
  for (const e of events.filter((e) => e.name === 'Layout' || e.name === 'UpdateLayoutTree').sort((a, b) => b.dur - a.dur).slice(0, 8)) {
    console.log(`  ${e.name} ${(e.dur / 1000).toFixed(1)} ms ${JSON.stringify(e.args?.beginData ?? {}).slice(0, 300)} ${JSON.stringify(e.args?.endData ?? {}).slice(0, 200)}`);
  }
}
console.log(`${scenario}: ${Date.now() - t0} ms wall`);
const self = new Map();
const dt = profile.timeDeltas;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
profile.samples.forEach((id, i) => {
  const n = byId.get(id);
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
});
[...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, ms]) => console.log(`${ms.toFixed(1).padStart(9)} ms  ${k}`));
if (process.env.TIMELINE) {
  // Where time went, in order: per sample, the outermost frame whose name matches TIMELINE (a
  // regular expression), merged into runs.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const wanted = new RegExp(process.env.TIMELINE);
  let t = profile.startTime;
  const runs = [];
  profile.samples.forEach((id, i) => {
    t += dt[i] ?? 0;
    let name = byId.get(id).callFrame.functionName || '(anon)';
    if (name !== '(idle)' && name !== '(program)') {
      // The outermost match and the one below it.
      const found = [];
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const f = byId.get(at).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '');
        if (wanted.test(f) && found.at(-1) !== f) found.push(f);
      }
      name = found.length ? found.slice(-2).reverse().join(' > ') : 'other';
    }
    name = name.slice(0, 200);
    const last = runs.at(-1);
    if (last && last.name === name) last.end = t;
    else runs.push({ name, start: t, end: t, id });
  });
  for (const r of runs) {
    if (r.end - r.start <= 2000) continue;
    console.log(`${((r.start - profile.startTime) / 1000).toFixed(0).padStart(6)} +${((r.end - r.start) / 1000).toFixed(1).padStart(6)} ms  ${r.name}`);
    // STACKS=ms: the whole stack of runs longer than that.
    if (process.env.STACKS && r.end - r.start > Number(process.env.STACKS) * 1000) {
      for (let at = r.id; at !== undefined; at = parent.get(at)) {
        const f = byId.get(at).callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '');
        if (f && !/^(wasm_bindgen|core|alloc|std)|shim/.test(f)) console.log(`           ${f.slice(0, 160)}`);
      }
    }
  }
}
if (process.env.INCLUSIVE) {
  // Inclusive time: each sample counted once for every function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at).callFrame;
      const key = `${f.functionName || '(anon)'}`.replace(/::h[0-9a-f]{16}$/, '');
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    }
  });
  console.log('inclusive:');
  [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.INCLUSIVE)).forEach(([k, ms]) => console.log(`${ms.toFixed(1).padStart(9)} ms  ${k.slice(0, 160)}`));
}
await browser.close();
await server.close();
