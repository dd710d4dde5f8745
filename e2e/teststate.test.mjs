// Step details' "Test state" tab: the selected state run once as AWS's TestState API runs it —
// a mocked result or error, a Choice going each way, a bad input located, Retry then Catch —
// without changing the run shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { SCREENSHOTS, axeViolations, e2eSuite, screenshot, textOf, typeDefinition, waitForApp, waitForText, withApp } from './helpers.mjs';

const RETRY_CATCH = {
  StartAt: 'Notify',
  States: {
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Notify',
      Retry: [{ ErrorEquals: ['Throttled'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Report' }],
      End: true,
    },
    Report: { Type: 'Pass', End: true },
  },
};

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

/** Selects `state` in the graph and opens its Test state tab. */
async function openTest(page, state) {
  await page.click(`svg#state-graph g.state-node[data-state="${state}"]`);
  await waitForText(page, '#details-heading', `Step details (${state})`);
  await page.click('#tab-test');
  await page.waitForSelector('#test-state-run');
}

/** Saves Step details alone (the tab and its result) as target/screenshots/<name>.png. */
async function detailsShot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('#step-details').screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Replaces a field's text as typing would. */
async function fill(page, selector, text) {
  await page.$eval(selector, (el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** Clicks Test and returns what the tab shows. */
async function test(page) {
  await page.click('#test-state-run');
  await page.waitForSelector('#test-result, #test-state-error');
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id)?.textContent.trim() ?? null;
    return {
      status: text('test-status'),
      next: text('test-next-state'),
      error: text('test-error'),
      cause: text('test-cause'),
      problem: text('test-state-error'),
      output: document.getElementById('test-output') ? JSON.parse(text('test-output')) : null,
      stages: Object.fromEntries(
        [...document.querySelectorAll('#test-stages li')].map((li) => [li.dataset.stage, JSON.parse(li.querySelector('pre').textContent)]),
      ),
    };
  });
}

describe('test state', () => {
  const suite = e2eSuite();

  it('tests the tutorial’s states: a mocked result, a mocked error, the Choice each way, bad JSON', async () => {
    await withApp(suite, 'teststate', async (page) => {
      await ready(page);
      await openTest(page, 'Work on Case');
      // Nothing has run: the execution's input is offered.
      assert.deepEqual(JSON.parse(await page.$eval('#test-input', (el) => el.value)), { inputCaseID: '001' });
      await fill(page, '#test-input', '{"Case": "001"}');
      await page.check('#test-mock-result-choice');
      await fill(page, '#test-mock-result', '{"Case": "001", "Status": 1}');
      let shown = await test(page);
      assert.equal(shown.status, 'SUCCEEDED');
      assert.equal(shown.next, 'Is Case Resolved');
      assert.deepEqual(shown.output, { Case: '001', Status: 1 });
      assert.deepEqual(Object.keys(shown.stages), ['input', 'afterInputPath', 'afterParameters', 'result', 'afterResultSelector', 'afterResultPath']);
      assert.deepEqual(shown.stages.input, { Case: '001' });
      assert.deepEqual(shown.stages.result, { Case: '001', Status: 1 });
      assert.deepEqual(await axeViolations(page), []);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.$eval('#test-result', (el) => el.scrollIntoView());
      await screenshot(page, 'teststate-1280');
      await detailsShot(page, 'teststate-details-1280');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.$eval('#tab-test', (el) => el.scrollIntoView());
      await page.screenshot({ path: path.join(SCREENSHOTS, 'teststate-390.png') });
      await detailsShot(page, 'teststate-details-390');
      assert.deepEqual(await axeViolations(page), []);
      await page.setViewportSize({ width: 1400, height: 900 });

      // The tutorial's tasks have no Catch: a mocked error fails the state.
      await page.check('#test-mock-error-choice');
      await fill(page, '#test-mock-error', 'CaseError');
      await fill(page, '#test-mock-cause', 'The case is lost.');
      shown = await test(page);
      assert.equal(shown.status, 'FAILED');
      assert.equal(shown.error, 'CaseError');
      assert.equal(shown.cause, 'The case is lost.');
      assert.equal(shown.next, '–');

      // The Choice goes each way.
      await openTest(page, 'Is Case Resolved');
      assert.equal(await page.$('#test-mock-result-choice'), null, 'a Choice takes no mock');
      for (const [status, next] of [[1, 'Close Case'], [0, 'Escalate Case']]) {
        await fill(page, '#test-input', `{"Case": "001", "Status": ${status}}`);
        shown = await test(page);
        assert.equal(shown.status, 'SUCCEEDED');
        assert.equal(shown.next, next, `Status ${status}`);
      }
      // No rule matches: AWS's error.
      await fill(page, '#test-input', '{"Status": 7}');
      shown = await test(page);
      assert.equal(shown.status, 'FAILED');
      assert.equal(shown.error, 'States.NoChoiceMatched');

      // Bad JSON: which field, and where.
      await fill(page, '#test-input', '{\n  "Status": }');
      shown = await test(page);
      assert.equal(shown.problem, 'Input: not valid JSON at 2:13: expected value.');
      assert.equal(shown.status, null);
      await screenshot(page, 'teststate-bad-json');
    });
  });

  it('starts from the run shown, and leaves it as it was', async () => {
    await withApp(suite, 'teststate-run', async (page) => {
      await ready(page);
      await page.selectOption('#work-outcome', 'resolved');
      await page.click('#run');
      await waitForText(page, '#execution-status', 'Succeeded', { timeout: 60_000 });
      await openTest(page, 'Work on Case');
      // Let the saved work catch up with the selection (the person's doing), then compare.
      await page.waitForTimeout(500);
      const before = await page.evaluate(() => ({
        events: document.querySelectorAll('#event-history tbody tr').length,
        definition: document.querySelector('#definition').value,
        saved: JSON.stringify({ ...localStorage }),
      }));
      // The state's input and its result in the run shown.
      const input = JSON.parse(await page.$eval('#test-input', (el) => el.value));
      assert.equal(input.Case, '001');
      assert.ok(await page.isChecked('#test-mock-result-choice'), 'the last result is the mock');
      const result = JSON.parse(await page.$eval('#test-mock-result', (el) => el.value));
      assert.equal(result.Status, 1);
      const shown = await test(page);
      assert.equal(shown.status, 'SUCCEEDED');
      assert.deepEqual(shown.output, result);
      // Unmocked, the playground's function answers the task.
      await page.check('#test-mock-none');
      assert.equal((await test(page)).status, 'SUCCEEDED');
      await page.waitForTimeout(500);
      const after = await page.evaluate(() => ({
        events: document.querySelectorAll('#event-history tbody tr').length,
        definition: document.querySelector('#definition').value,
        saved: JSON.stringify({ ...localStorage }),
      }));
      assert.deepEqual(after, before, 'the run, the definition and the saved work are unchanged');
      assert.equal(await textOf(page, '#execution-status'), 'Succeeded');
    });
  });

  it('a Retry takes the error until its retries are spent, then the Catch', async () => {
    await withApp(suite, 'teststate-retry', async (page) => {
      await ready(page);
      await typeDefinition(page, RETRY_CATCH, 'Notify');
      await openTest(page, 'Notify');
      await fill(page, '#test-input', '{"message": "hi"}');
      await page.check('#test-mock-error-choice');
      await fill(page, '#test-mock-error', 'Throttled');
      await fill(page, '#test-mock-cause', 'Slow down');
      let shown = await test(page);
      assert.equal(shown.status, 'RETRIABLE');
      assert.equal(shown.error, 'Throttled');
      assert.deepEqual(shown.stages.errorDetails, { retryIndex: 0, retryBackoffIntervalSeconds: 1 });
      await fill(page, '#test-retry-count', '2');
      shown = await test(page);
      assert.equal(shown.status, 'CAUGHT_ERROR');
      assert.equal(shown.next, 'Report');
      assert.deepEqual(shown.output, { message: 'hi', error: { Error: 'Throttled', Cause: 'Slow down' } });
      assert.deepEqual(shown.stages.errorDetails, { retryIndex: 0, catchIndex: 0 });
      // The advanced fields: a bad context is named and located.
      await page.click('.test-advanced summary');
      await fill(page, '#test-context', '{"Execution": }');
      shown = await test(page);
      assert.equal(shown.problem, 'Context: not valid JSON at 1:15: expected value.');
      assert.deepEqual(await axeViolations(page), []);
      await screenshot(page, 'teststate-retry-catch');
    });
  });
});
