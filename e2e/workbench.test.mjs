// The workbench: at 1280×800 the controls, the whole graph and Step details are on the screen
// together, without scrolling, at every step and with the workshop open; on a 390×844 phone
// nothing is wider than the screen, a vertical swipe over the graph scrolls the page, and two
// fingers pinch-zoom the graph.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoErrors, collectErrors, e2eSuite, screenshot, textOf, waitForApp, waitForText, withApp } from './helpers.mjs';

const LAPTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

/** What of the workbench is outside the window (nothing, when all is on the screen). */
async function offScreen(page, { details = true } = {}) {
  return page.evaluate((details) => {
    const out = [];
    const inside = (el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    };
    const wanted = ['#start', '#run, #pause', '#execution-status', ...(details ? ['#details-heading'] : [])];
    for (const sel of wanted) {
      const el = document.querySelector(sel);
      if (!el || !inside(el)) out.push(sel);
    }
    const viewport = document.querySelector('.graph-viewport').getBoundingClientRect();
    for (const node of document.querySelectorAll('svg#state-graph g.state-node')) {
      const r = node.getBoundingClientRect();
      const seen = r.top >= Math.max(0, viewport.top) && r.bottom <= Math.min(innerHeight, viewport.bottom)
        && r.left >= viewport.left && r.right <= viewport.right;
      if (!seen) out.push(`state ${node.dataset.state}`);
    }
    if (scrollY !== 0) out.push(`the page is scrolled by ${scrollY}px`);
    return out;
  }, details);
}

describe('workbench', () => {
  const suite = e2eSuite();

  it('says it is loading while the .wasm downloads, and not once it runs', async () => {
    const context = await suite.browser.newContext({ viewport: LAPTOP.viewport });
    try {
      const page = await context.newPage();
      const errors = await collectErrors(page);
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
      await page.goto(suite.server.url, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('#loading');
      assert.match(await textOf(page, '#loading'), /Loading the playground/);
      await page.screenshot({ path: 'target/screenshots/workbench-loading.png' });
      release();
      await page.waitForSelector('#start', { timeout: 30_000 });
      assert.equal(await page.$('#loading'), null, 'the message is gone once the app runs');
      assertNoErrors(errors);
    } finally {
      await context.close();
    }
  });

  it('at 1280×800, the controls, the whole graph and Step details are on the screen at every step', async () => {
    await withApp(suite, 'workbench-laptop', async (page) => {
      assert.deepEqual(await offScreen(page), [], 'on opening');
      await page.click('#start');
      await page.click('#step');
      await page.click('svg#state-graph g.state-node[data-state="Open Case"]');
      await waitForText(page, '#details-heading', 'Step details (Open Case)');
      assert.deepEqual(await offScreen(page), [], 'after a step, a state selected');
      await page.click('#run');
      await waitForText(page, '#execution-status', /Succeeded|Failed/);
      await page.click('svg#state-graph g.state-node[data-state="Work on Case"]');
      await waitForText(page, '#details-heading', 'Step details (Work on Case)');
      assert.deepEqual(await offScreen(page), [], 'at the end of the run, with its output shown');
      await page.screenshot({ path: 'target/screenshots/workbench-laptop-ended.png' });
      for (let i = 0; i < 12; i += 1) await page.click('#step-back');
      assert.deepEqual(await offScreen(page), [], 'after stepping back');
      // The editors are beside the graph, in the column that scrolls on its own.
      await page.fill('#case-id', '002');
      await page.$eval('#definition', (el) => el.scrollIntoView({ block: 'nearest' }));
      assert.equal(await page.evaluate(() => scrollY), 0, 'reaching the editors does not scroll the page');
      // Step details have scrolled away in their column; the controls and graph have not.
      assert.deepEqual(await offScreen(page, { details: false }), [], 'with the definition in view');
      await page.screenshot({ path: 'target/screenshots/workbench-laptop-editors.png' });
    }, { waitFor: ready, context: LAPTOP });
  });

  it('at 1280×800, the open workshop leaves the graph on the screen', async () => {
    await withApp(suite, 'workbench-workshop', async (page) => {
      await page.click('.workshop-toggle');
      await page.waitForSelector('#workshop');
      assert.deepEqual(await offScreen(page), [], 'with the workshop open');
      await page.screenshot({ path: 'target/screenshots/workbench-laptop-workshop.png' });
    }, { waitFor: ready, context: LAPTOP });
  });

  it('on a phone, nothing is wider than the screen, a swipe scrolls the page, two fingers zoom the graph', async () => {
    await withApp(suite, 'workbench-phone', async (page) => {
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', /Succeeded|Failed/);
      // Open an event's JSON: it must fit too, and be wide enough to read.
      await page.click('#event-history tbody tr summary');
      const json = await page.waitForSelector('#event-history details[open] pre');
      const width = (await json.boundingBox()).width;
      assert.ok(width >= 300, `an event's JSON is ${width}px wide on a 390px screen`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 390, `the page is ${wide}px wide on a 390px screen`);
      assert.equal(await page.$eval('.buttons kbd', (k) => getComputedStyle(k).display), 'none',
        'no keyboard hints on a touch screen');
      const cdp = await page.context().newCDPSession(page);
      const box = await page.$eval('.graph-viewport', (el) => {
        el.scrollIntoView({ block: 'center' });
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      // A vertical swipe over the graph scrolls the page.
      const over = await page.evaluate(({ x, y }) => !!document.elementFromPoint(x, y)?.closest('.graph-viewport'), box);
      assert.ok(over, 'the swipe starts on the graph');
      const before = await page.evaluate(() => scrollY);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: box.x, y: box.y }] });
      for (let i = 1; i <= 10; i += 1) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: box.x, y: box.y - 25 * i }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForFunction((y) => scrollY > y + 100, before, { timeout: 3_000 }).catch(() => {});
      const after = await page.evaluate(() => scrollY);
      assert.ok(after > before + 100, `a swipe over the graph scrolled the page from ${before} to ${after}`);
      // Two fingers moving apart zoom the graph in.
      const at = await page.$eval('.graph-viewport', (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      const zoom = () => page.$eval('#state-graph .graph-content', (g) => Number(g.dataset.zoom));
      const start = await zoom();
      const touch = (type, d) => cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [
          { x: at.x - d, y: at.y, id: 1 },
          { x: at.x + d, y: at.y, id: 2 },
        ],
      });
      await touch('touchStart', 20);
      for (const d of [30, 40, 50, 60]) await touch('touchMove', d);
      await touch('touchEnd', 60);
      const end = await zoom();
      assert.ok(end > start * 2, `pinching out zoomed the graph from ${start} to ${end}`);
      await screenshot(page, 'workbench-phone');
    }, { waitFor: ready, context: PHONE });
  });
});
