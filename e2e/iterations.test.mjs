// A Map's iterations can be picked: the states inside it then show that iteration's run, in
// the graph (its badge names the iteration) and in Step details; the table view says where
// each state ran (the Map iteration, the Parallel branch).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axeViolations, e2eSuite, screenshot, textOf, waitForApp, waitForText, withApp } from './helpers.mjs';

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

describe('iterations', () => {
  const suite = e2eSuite();

  it("picking a Map iteration shows that iteration's states", async () => {
    await withApp(suite, 'iterations', async (page) => {
      await page.selectOption('#example', 'map');
      await page.waitForSelector('svg#state-graph g.state-node[data-state="Work the Queue"]');
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', /Succeeded|Failed/);
      await page.click('svg#state-graph g.state-node[data-state="Open Case"]');
      // Latest: the last item (103).
      await waitForText(page, '#step-output', /Case 103/);
      for (const [index, id] of [[0, '101'], [1, '102'], [2, '103']]) {
        await page.selectOption('#iteration-pick', String(index));
        await waitForText(page, '#step-output', new RegExp(`Case ${id}`));
        const badge = await textOf(page, 'g.state-node[data-state="Work the Queue"] .badge-text');
        assert.match(badge, new RegExp(`#${index} · 3/3`), badge);
      }
      await screenshot(page, 'iterations-picked');
      // Each state of the picked iteration is coloured by its own visit there.
      const colours = await page.$$eval('svg#state-graph g.state-node', (nodes) =>
        Object.fromEntries(nodes.map((n) => [n.dataset.state, n.getAttribute('class')])));
      const ran = ['Close Case', 'Escalate Case'].filter((s) => /succeeded/.test(colours[s]));
      assert.equal(ran.length, 1, `one way out of the iteration was taken: ${JSON.stringify(colours)}`);
      // Back to the latest.
      await page.selectOption('#iteration-pick', '');
      await waitForText(page, '#step-output', /Case 103/);
      // The table view says where each state ran.
      await page.click('#show-table');
      const places = await page.$$eval('#state-table td.row-place', (tds) => tds.map((t) => t.textContent));
      assert.ok(places.includes('Work the Queue #2'), places.join(' | '));
      assert.deepEqual(await axeViolations(page), []);
    }, { waitFor: ready });
  });
});
