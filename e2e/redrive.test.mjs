// Redrive (issue 10): after a failed run, Redrive continues it as AWS's RedriveExecution does:
// ExecutionRedriven follows the failure in the same history, the failed state is entered
// again (the states before it are not), and Step, Step back and Run to end work across it.
//
// The DOM contract, beyond cursor.test.mjs's:
//   #redrive                                   the Redrive button (disabled unless the run shown
//                                              is at its end and failed, timed out or aborted)
//   table#event-history td.event-type          each event's type
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axeViolations, e2eSuite, screenshot, textOf, typeDefinition, waitForApp, waitForText, withApp } from './helpers.mjs';

const NODES = 'svg#state-graph g.state-node';
const ENDED = /^(Succeeded|Failed|Timed out|Aborted)$/;

/** Prepare (a Pass), then Work: a Task that the mocks fail once, then answer. */
const FLAKY = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { n: 1 }, ResultPath: '$.prepared', Next: 'Work' },
    Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work', End: true },
  },
};

const MOCKS = {
  StateMachines: { Flaky: { TestCases: { FailsOnce: { Work: 'WorkFailsOnce' } } } },
  MockedResponses: {
    WorkFailsOnce: {
      0: { Throw: { Error: 'Work.Unavailable', Cause: 'The first try fails.' } },
      1: { Return: { done: true } },
    },
  },
};

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector(NODES, { timeout: 5_000 });
}

async function setMocks(page, text) {
  await page.$eval('#mocks-editor', (el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

async function cursor(page) {
  return Number((await textOf(page, '#event-position')).match(/event (\d+) of/)[1]);
}

const eventTypes = (page) =>
  page.$$eval('table#event-history tbody tr td.event-type', (cells) => cells.map((c) => c.textContent.trim()));
const status = (page, state) => page.$eval(`${NODES}[data-state="${state}"]`, (n) => n.dataset.status);
const disabled = (page, selector) => page.$eval(selector, (b) => b.disabled);

/** Both: a Parallel whose Left branch answers at once and whose Right branch (a Pass, then a
 * Task) fails once, then After. */
const BRANCHES = {
  StartAt: 'Both',
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Left', End: true } } },
        {
          StartAt: 'RightPrep',
          States: {
            RightPrep: { Type: 'Pass', Result: 'prepared', ResultPath: '$.prep', Next: 'Right' },
            Right: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Right', ResultPath: '$.right', End: true },
          },
        },
      ],
      Next: 'After',
    },
    After: { Type: 'Pass', End: true },
  },
};

const BRANCH_MOCKS = {
  StateMachines: { Branches: { TestCases: { RightFailsOnce: { Left: 'LeftAnswers', Right: 'RightFailsOnce' } } } },
  MockedResponses: {
    LeftAnswers: { 0: { Return: { left: 'kept' } } },
    RightFailsOnce: {
      0: { Throw: { Error: 'Right.Unavailable', Cause: 'The first try fails.' } },
      1: { Return: { right: 'rerun' } },
    },
  },
};

describe('redrive', () => {
  const suite = e2eSuite();

  it('Redrive continues a failed run from the failed state, and the steps work across it', async () => {
    await withApp(suite, 'redrive', async (page) => {
      await typeDefinition(page, FLAKY, 'Work');
      await setMocks(page, JSON.stringify(MOCKS, null, 2));
      assert.equal(await disabled(page, '#redrive'), true, 'no run to redrive');

      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', ENDED);
      assert.equal(await textOf(page, '#execution-status'), 'Failed');
      assert.equal(await status(page, 'Work'), 'failed');
      const failed = await cursor(page);
      assert.equal((await eventTypes(page)).at(-1), 'ExecutionFailed');
      assert.equal(await disabled(page, '#redrive'), false, 'a failed run at its end can be redriven');
      await screenshot(page, 'redrive-failed');

      // Not while an earlier event is shown: the run would go on from its end.
      await page.click('#step-back');
      assert.equal(await disabled(page, '#redrive'), true);
      await page.click('#step');
      assert.equal(await cursor(page), failed);

      await page.click('#redrive');
      await waitForText(page, '#execution-status', 'Running');
      assert.equal(await cursor(page), failed + 1);
      assert.equal((await eventTypes(page)).at(-1), 'ExecutionRedriven');
      assert.equal(await disabled(page, '#redrive'), true, 'running again');
      await screenshot(page, 'redrive-redriven');

      await page.click('#run');
      await waitForText(page, '#execution-status', ENDED);
      assert.equal(await textOf(page, '#execution-status'), 'Succeeded');
      assert.equal(await status(page, 'Work'), 'succeeded');
      assert.equal(await disabled(page, '#redrive'), true, 'a run that succeeded cannot be redriven');
      const types = await eventTypes(page);
      assert.deepEqual(types.slice(failed), [
        'ExecutionRedriven',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
      assert.equal(types.filter((t) => t === 'PassStateEntered').length, 1, 'Prepare is not run again');
      await screenshot(page, 'redrive-succeeded');

      // Step back across the redrive: the page shows the run as it was before it.
      while ((await cursor(page)) > failed) await page.click('#step-back');
      assert.equal(await textOf(page, '#execution-status'), 'Failed');
      assert.equal(await status(page, 'Work'), 'failed');
      assert.equal((await eventTypes(page)).at(-1), 'ExecutionFailed');
      assert.equal(await disabled(page, '#redrive'), true, 'the run already goes on after this event');
      await screenshot(page, 'redrive-stepped-back');
      await page.click('#step');
      assert.equal(await textOf(page, '#execution-status'), 'Running');
      await page.click('#step');
      assert.equal(await status(page, 'Work'), 'in-progress');
      assert.deepEqual(await axeViolations(page), []);
    }, { waitFor: ready });
  });

  it('Redrive runs only the failed branch of a Parallel again; the other keeps its visit', async () => {
    await withApp(suite, 'redrive-parallel', async (page) => {
      await typeDefinition(page, BRANCHES, 'Right');
      await setMocks(page, JSON.stringify(BRANCH_MOCKS, null, 2));
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', ENDED);
      assert.equal(await textOf(page, '#execution-status'), 'Failed');
      assert.equal(await status(page, 'Right'), 'failed');
      assert.equal(await status(page, 'Left'), 'succeeded');
      assert.equal(await status(page, 'Both'), 'failed');
      const failed = await cursor(page);
      await screenshot(page, 'redrive-parallel-failed');

      await page.click('#redrive');
      await waitForText(page, '#execution-status', 'Running');
      // ExecutionRedriven, ParallelStateEntered, ParallelStateStarted: the Parallel runs
      // again; its branches' states are as they were until the rerun one is entered.
      await page.click('#step');
      await page.click('#step');
      assert.equal(await status(page, 'Both'), 'in-progress');
      assert.equal(await status(page, 'Left'), 'succeeded');
      assert.equal(await status(page, 'RightPrep'), 'succeeded');
      assert.equal(await status(page, 'Right'), 'failed');
      await page.click('#step');
      assert.equal(await status(page, 'Right'), 'in-progress', 'its new visit');
      assert.equal(await status(page, 'Left'), 'succeeded', 'the kept branch is not run again');
      await screenshot(page, 'redrive-parallel-rerun');

      await page.click('#run');
      await waitForText(page, '#execution-status', ENDED);
      assert.equal(await textOf(page, '#execution-status'), 'Succeeded');
      for (const state of ['Both', 'Left', 'RightPrep', 'Right', 'After']) {
        assert.equal(await status(page, state), 'succeeded', state);
      }
      const after = (await eventTypes(page)).slice(failed);
      assert.deepEqual(after.slice(0, 4), ['ExecutionRedriven', 'ParallelStateEntered', 'ParallelStateStarted', 'TaskStateEntered']);
      assert.equal(after.filter((t) => t === 'TaskStateEntered').length, 1, 'only Right runs again');
      assert.equal(after.filter((t) => t === 'PassStateEntered').length, 1, 'only After: RightPrep is not run again');
      // The Parallel's output (After passes it on): both branches' outputs in branch order,
      // the kept one and the rerun one.
      await page.click(`${NODES}[data-state="After"]`);
      await waitForText(page, '#step-output', /rerun/);
      const [left, right, ...more] = JSON.parse(await textOf(page, '#step-output'));
      assert.deepEqual(left, { left: 'kept' });
      assert.deepEqual([right.prep, right.right, more.length], ['prepared', { right: 'rerun' }, 0]);
      await page.setViewportSize({ width: 1280, height: 800 });
      await screenshot(page, 'redrive-parallel-succeeded');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'redrive-parallel-succeeded-phone');
      assert.deepEqual(await axeViolations(page), []);
    }, { waitFor: ready });
  });
});
