// Page benchmark: how long the built page takes to "Run to end" a long execution.
//
//   node e2e/bench-page.mjs        (after `cargo xtask build`: it builds nothing)
//
// Serves the already-built dist/ (as the e2e tests do, under a sub-path), opens it in headless
// Chromium, and, as a person would, types an INLINE Map over 4,000 items (its ItemSelector
// reads $$.Map.Item) into the definition editor and its input into the input editor, presses
// Start execution, then Run to end, and waits for the Succeeded status. Prints ONE JSON line
// on stdout:
//
//   {"page_ms": 1234.5}
//
// page_ms is measured in the page (performance.now()): from the click on Run to end to the
// moment the status badge reads Succeeded. Everything else (progress, errors) goes to stderr.
// Exit status 1 if the run does not succeed, or the page reports an error.
//
// Environment: as the e2e tests (E2E_DIST, CHROMIUM); BENCH_TIMEOUT_MS (default 600000).

import { DIST, TIMEOUTS, collectErrors, launchBrowser, serveDist, waitForApp } from './helpers.mjs';

const ITEMS = 4_000;
const DEFINITION = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'P',
        States: { P: { Type: 'Pass', End: true } },
      },
      End: true,
    },
  },
};
const INPUT = { items: Array.from({ length: ITEMS }, (_, i) => i) };
const TIMEOUT = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);

const log = (...args) => console.error('[bench-page]', ...args);

/** Replaces an editor's text as typing or pasting does: the value, then an input event. */
async function typeInto(page, selector, text) {
  await page.$eval(
    selector,
    (el, value) => {
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

async function main() {
  const server = await serveDist();
  const browser = await launchBrowser();
  let failed = false;
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUTS.action);
    const errors = await collectErrors(page);
    log(`serving ${DIST} at ${server.url}`);
    await page.goto(server.url, { waitUntil: 'load', timeout: TIMEOUTS.load });
    await waitForApp(page);
    await page.waitForSelector('svg#state-graph g.state-node', { timeout: TIMEOUTS.load });

    await typeInto(page, '#definition', JSON.stringify(DEFINITION, null, 2));
    // The editor validates once typing stops; the graph then shows the Map.
    await page.waitForSelector('svg#state-graph g.state-node[data-state="M"]', { timeout: TIMEOUTS.action });
    await typeInto(page, '#execution-input', JSON.stringify(INPUT));

    // Timestamps taken in the page: the click on Run to end, and the first time the status
    // badge reads Succeeded after it (a MutationObserver sees every render).
    await page.evaluate(() => {
      const bench = (window.__bench = { clicked: null, finished: null, status: null });
      document.addEventListener(
        'click',
        (e) => {
          if (bench.clicked === null && e.target.closest?.('#run')) bench.clicked = performance.now();
        },
        true,
      );
      const check = () => {
        const status = document.querySelector('#execution-status')?.textContent?.trim() ?? null;
        bench.status = status;
        if (bench.clicked !== null && bench.finished === null && /^(Succeeded|Failed|Timed out|Aborted)$/.test(status)) {
          bench.finished = performance.now();
        }
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await page.click('#start');
    await page.waitForFunction(() => /^(Running|Succeeded)$/.test(document.querySelector('#execution-status')?.textContent?.trim()));
    log('started; running to the end');
    await page.click('#run');
    await page.waitForFunction(() => window.__bench.finished !== null, undefined, { timeout: TIMEOUT, polling: 100 });
    const bench = await page.evaluate(() => window.__bench);
    const events = await page.evaluate(() => document.querySelector('#event-position')?.textContent?.trim());
    log(`status ${bench.status}; ${events}`);
    if (bench.status !== 'Succeeded') {
      failed = true;
      log(`expected Succeeded, got ${bench.status}`);
    }
    if (errors.length) {
      failed = true;
      log(`the page reported errors:\n  ${errors.join('\n  ')}`);
    }
    process.stdout.write(`${JSON.stringify({ page_ms: Math.round((bench.finished - bench.clicked) * 10) / 10 })}\n`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
  if (failed) process.exitCode = 1;
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
