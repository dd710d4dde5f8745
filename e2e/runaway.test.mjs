// A state that computes for seconds (a JSONata expression sorting five million numbers,
// within JSONata's own limits) runs in the run worker (src/runner): the page answers
// throughout — a timer, typing, Pause — and Stop ends the run at once, as StopExecution does,
// at the event shown. Before the worker, the page froze until the expression was done.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axeViolations, e2eSuite, screenshot, textOf, typeDefinition, waitForText, withApp } from './helpers.mjs';

// Sorting five million numbers: seconds of engine work in the worker, within JSONata's limits
// (ten million range items, ten million steps: $sort's comparisons are the runtime's own).
const COUNT = '{% $count($sort([1..5000000])) %}';
const RUNAWAY = {
  QueryLanguage: 'JSONata',
  Comment: 'A state that computes for seconds.',
  StartAt: 'Warm up',
  States: {
    'Warm up': { Type: 'Pass', Next: 'Count' },
    Count: { Type: 'Pass', Output: COUNT, End: true },
  },
};

/// How late a 0 ms timer fires: how long the page takes to answer (ms).
async function lag(page) {
  return page.evaluate(
    () => new Promise((resolve) => {
      const asked = performance.now();
      setTimeout(() => resolve(performance.now() - asked), 0);
    }),
  );
}

/// The longest lag over `ms` milliseconds of sampling.
async function worstLag(page, ms) {
  let worst = 0;
  const until = Date.now() + ms;
  while (Date.now() < until) worst = Math.max(worst, await lag(page));
  return worst;
}

describe('runaway states', () => {
  const suite = e2eSuite();

  it('a state computing for seconds leaves the page answering, and Stop ends the run at once', async () => {
    await withApp(suite, 'runaway-stop', async (page) => {
      await typeDefinition(page, RUNAWAY, 'Count');
      await page.click('#start');
      await page.click('#run');
      // The worker is now in Count's expression; it sent what came before it first.
      await waitForText(page, '#execution-status', 'Running');
      await page.waitForSelector('svg#state-graph g.state-node[data-state="Warm up"][data-status="succeeded"]', { timeout: 5_000 });
      const worst = await worstLag(page, 1_000);
      assert.ok(worst < 100, `the page answered within ${worst.toFixed(0)} ms while the state computed`);
      // Typing is echoed at once.
      await page.fill('#execution-input', '{"typed": "while it runs"}');
      assert.equal(await page.$eval('#execution-input', (el) => el.value), '{"typed": "while it runs"}');
      assert.equal(await textOf(page, '#execution-status'), 'Running');
      await screenshot(page, 'runaway-1-computing');

      const asked = Date.now();
      await page.click('#stop');
      await waitForText(page, '#execution-status', 'Aborted', { timeout: 5_000 });
      const stopped = Date.now() - asked;
      assert.ok(stopped < 2_000, `stopped in ${stopped} ms`);
      // StopExecution at the event shown last: Warm up's events, then ExecutionAborted (the
      // engine decides a state's events together, so Count's entry was never shown).
      const types = await page.$$eval('#event-history tbody tr td.event-type', (cells) => cells.map((c) => c.textContent.trim()));
      assert.deepEqual(types, ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionAborted']);
      assert.equal(await textOf(page, '#execution-cause'), 'Stopped in the playground.');
      await screenshot(page, 'runaway-2-stopped');
      assert.deepEqual(await axeViolations(page), []);

      // The page goes on: a new run starts, and a redrive of the stopped one would run Count again.
      await page.click('#start');
      await waitForText(page, '#event-position', /1/);
    });
  });

  it('Pause answers at once while a state computes; the run goes on in the worker', async () => {
    await withApp(suite, 'runaway-pause', async (page) => {
      await typeDefinition(page, { ...RUNAWAY, States: { ...RUNAWAY.States, Count: { Type: 'Pass', Output: '{% $count([1..10000000]) %}', End: true } } }, 'Count');
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', 'Running');
      const asked = Date.now();
      await page.click('#pause');
      await page.waitForSelector('#run:not([disabled])', { timeout: 1_000 });
      assert.ok(Date.now() - asked < 500, `paused in ${Date.now() - asked} ms`);
      // Step forward shows the rest when the worker has it.
      for (let i = 0; i < 10 && (await textOf(page, '#execution-status')) !== 'Succeeded'; i++) {
        await page.click('#step');
        await page.waitForTimeout(300);
      }
      await waitForText(page, '#execution-status', 'Succeeded', { timeout: 20_000 });
      assert.equal(await textOf(page, '#execution-output'), '10000000');
      await screenshot(page, 'runaway-3-paused-then-stepped');
    });
  });
});
