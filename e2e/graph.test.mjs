// End-to-end tests of the graph view: labelled edges, Parallel and Map containers, zoom and
// fit, keyboard selection. The DOM contract, beyond callcenter.test.mjs's:
//
//   svg#state-graph .graph-content[data-zoom]      the current zoom (1.000 = unscaled)
//   g.state-node.container[data-kind=parallel|map] a Parallel or Map state, holding its states
//   g.edge-group.choice|default|catch .edge-label  an edge's label (its full text in <title>)
//   button[aria-label="Zoom in"|"Zoom out"|"Fit the graph to the view"]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, TIMEOUTS, e2eSuite, screenshot, typeDefinition, waitForApp, waitForText, withApp } from './helpers.mjs';

const DEFINITIONS = path.join(ROOT, 'crates', 'examples', 'src', 'definitions');

async function waitForGraph(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

/** Pastes an example's definition into the editor and waits for the graph to show `state`. */
async function showExample(page, name, state) {
  const text = fs.readFileSync(path.join(DEFINITIONS, `${name}.asl.json`), 'utf8');
  await page.evaluate((text) => {
    const editor = document.querySelector('#definition');
    editor.value = text;
    editor.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await page.waitForSelector(`svg#state-graph g.state-node[data-state="${state}"]`);
}

const zoom = (page) => page.$eval('#state-graph .graph-content', (g) => Number(g.dataset.zoom));

describe('graph', () => {
  const suite = e2eSuite();
  const test = (name, fn) =>
    it(name, { timeout: TIMEOUTS.test }, () =>
      withApp(suite, name.replace(/\W+/g, '-'), fn, { waitFor: waitForGraph }),
    );

  test('the tutorial is drawn unscaled, its Choice edges labelled with their rules', async (page) => {
    assert.equal(await zoom(page), 1, 'the tutorial fits unscaled');
    const labels = await page.$$eval('#state-graph .edge-group.choice .edge-label text', (ts) =>
      ts.map((t) => t.textContent),
    );
    assert.deepEqual(labels.sort(), ['$.Status == 0', '$.Status == 1']);
  });

  test('a Parallel is a container holding its branches', async (page) => {
    await showExample(page, 'parallel', 'Assign and Acknowledge');
    const container = 'g.state-node.container[data-kind="parallel"][data-state="Assign and Acknowledge"]';
    assert.equal(await page.$$eval(`${container} rect.branch-frame`, (r) => r.length), 2);
    const inside = await page.evaluate((sel) => {
      const box = document.querySelector(sel).getBoundingClientRect();
      return ['Assign Case', 'Acknowledge'].map((name) => {
        const r = document.querySelector(`g.state-node[data-state="${name}"]`).getBoundingClientRect();
        return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
      });
    }, container);
    assert.deepEqual(inside, [true, true]);
    await page.click(`g.state-node[data-state="Acknowledge"]`);
    await page.waitForSelector('g.state-node.selected[data-state="Acknowledge"]');
    await screenshot(page, 'graph-parallel');
  });

  test('Catch edges are dashed and name their errors', async (page) => {
    await showExample(page, 'retry-catch', 'Notify Customer');
    const catches = await page.$$eval('#state-graph .edge-group.catch', (gs) =>
      gs.map((g) => [g.dataset.from, g.dataset.to, g.querySelector('.edge-label text').textContent]),
    );
    assert.deepEqual(catches, [['Notify Customer', 'Assign Case', 'States.ALL']]);
    const dash = await page.$eval('#state-graph path.edge.catch', (p) => getComputedStyle(p).strokeDasharray);
    assert.notEqual(dash, 'none');
  });

  test('zoom in, zoom out, fit, and keys on the graph', async (page) => {
    await page.click('button[aria-label="Zoom in"]');
    assert.ok((await zoom(page)) > 1);
    await page.click('button[aria-label="Fit the graph to the view"]');
    assert.equal(await zoom(page), 1);
    await page.click('button[aria-label="Zoom out"]');
    assert.ok((await zoom(page)) < 1);
    await page.focus('.graph-viewport');
    await page.keyboard.press('0');
    assert.equal(await zoom(page), 1);
    await page.keyboard.press('+');
    assert.ok((await zoom(page)) > 1);
    // Tab reaches the states; Enter selects the focused one.
    await page.focus('g.state-node[data-state="Assign Case"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('g.state-node.selected[data-state="Assign Case"]');
  });

  test('a big machine has only the states near the view in the page, and the run is followed', async (page) => {
    // 500 Pass states in a chain: at the smallest zoom, a few dozen are in view.
    const States = {};
    for (let i = 0; i < 500; i++) States[`S${i}`] = i < 499 ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
    await typeDefinition(page, { StartAt: 'S0', States }, 'S250');
    const shown = await page.$$eval('svg#state-graph g.state-node', (nodes) => nodes.length);
    assert.ok(shown > 10 && shown < 200, `${shown} states in the page`);
    assert.equal(await page.$('svg#state-graph g.state-node[data-state="S0"]'), null);
    await screenshot(page, 'graph-big-chain');
    // Running to the end follows the run: the last state is brought in, succeeded.
    await page.click('#start');
    await page.click('#run');
    await waitForText(page, '#execution-status', 'Succeeded', { timeout: 60_000 });
    await page.waitForSelector('svg#state-graph g.state-node[data-state="S499"][data-status="succeeded"]');
    const after = await page.$$eval('svg#state-graph g.state-node', (nodes) => nodes.length);
    assert.ok(after < 200, `${after} states in the page`);
    // Fit and the zoom controls still work; a state tabbed to is in the page.
    await page.click('button[aria-label="Fit the graph to the view"]');
    await page.waitForSelector('svg#state-graph g.state-node[data-state="S250"]');
  });

  test('in a big machine Tab reaches every state, the view following it', async (page) => {
    // A chain of 500 defined out of order (S0, S250, S1, S251, …): the Tab order is the
    // definition's, as in a small machine, and its next state is often far from the view.
    const States = {};
    for (let i = 0; i < 250; i++) {
      for (const k of [i, i + 250]) States[`S${k}`] = k < 499 ? { Type: 'Pass', Next: `S${k + 1}` } : { Type: 'Pass', End: true };
    }
    const order = Object.keys(States);
    await typeDefinition(page, { StartAt: 'S0', States }, 'S250');
    const focusedIs = (want) => page.waitForFunction((want) => document.activeElement?.getAttribute('data-state') === want, want);
    // Waits until the state is within the viewport (the view moves to it once it is focused).
    const inView = (name) =>
      page.waitForFunction((name) => {
        const box = document.querySelector(`g.state-node[data-state="${name}"]`)?.getBoundingClientRect();
        const view = document.querySelector('.graph-viewport').getBoundingClientRect();
        return !!box && box.left >= view.left - 1 && box.right <= view.right + 1 && box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
      }, name);
    const start = await page.$$eval('svg#state-graph g.state-node', (nodes) => nodes[0].getAttribute('data-state'));
    const at = order.indexOf(start);
    await page.focus(`g.state-node[data-state="${start}"]`);
    for (let i = 1; i <= 20; i++) {
      await page.keyboard.press('Tab');
      await focusedIs(order[at + i]);
      await inView(order[at + i]);
    }
    // Shift+Tab goes back the same way.
    for (let i = 19; i >= 17; i--) {
      await page.keyboard.press('Shift+Tab');
      await focusedIs(order[at + i]);
    }
    await screenshot(page, 'graph-big-chain-tabbed');
  });
});
