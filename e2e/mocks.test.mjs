// Mocks in the page: a service integration with no handler says where to add a mock; one click
// mocks the selected Task state; a Throw fails it; bad mocks are listed and refuse to start;
// the mocks are kept with the saved work.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axeViolations, e2eSuite, screenshot, textOf, typeDefinition, waitForApp, waitForText, withApp } from './helpers.mjs';

const SAVE_CASE = {
  StartAt: 'Save Case',
  States: {
    'Save Case': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Arguments: { TableName: 'Cases', Item: { id: { S: '{% $states.input.inputCaseID %}' } } },
      QueryLanguage: 'JSONata',
      End: true,
    },
  },
};

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

async function run(page) {
  await page.click('#start');
  await page.click('#run');
  await waitForText(page, '#execution-status', /Succeeded|Failed/);
}

/** Replaces the mocks' text as typing would. */
async function setMocks(page, text) {
  await page.$eval('#mocks-editor', (el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

describe('mocks', () => {
  const suite = e2eSuite();

  it('an unmocked service says where to add a mock; one click mocks it; a Throw fails it', async () => {
    await withApp(suite, 'mocks', async (page) => {
      await typeDefinition(page, SAVE_CASE, 'Save Case');
      await run(page);
      assert.equal(await textOf(page, '#execution-status'), 'Failed');
      const cause = await textOf(page, '#execution-cause');
      assert.match(cause, /dynamodb:putItem/);
      assert.match(cause, /Mocks/, `the cause says where to add a mock: ${cause}`);

      await page.click('svg#state-graph g.state-node[data-state="Save Case"]');
      await page.click('#mock-state');
      const mocks = JSON.parse(await page.$eval('#mocks-editor', (el) => el.value));
      assert.equal(mocks.StateMachines.Playground.TestCases.Mocked['Save Case'], 'SaveCaseMock');
      assert.equal(await page.$eval('#mock-case', (el) => el.value), 'Playground#Mocked');
      await run(page);
      assert.equal(await textOf(page, '#execution-status'), 'Succeeded', 'the mock answers the task');
      // The mocks are exported beside the templates (once the page has painted).
      await waitForText(page, '#export', /MockConfigFile\.json/);
      await screenshot(page, 'mocks-answered');

      mocks.MockedResponses.SaveCaseMock = { 0: { Throw: { Error: 'DynamoDB.ConditionalCheckFailedException', Cause: 'The item exists.' } } };
      await setMocks(page, JSON.stringify(mocks, null, 2));
      await run(page);
      assert.equal(await textOf(page, '#execution-status'), 'Failed');
      assert.equal(await textOf(page, '#execution-error'), 'DynamoDB.ConditionalCheckFailedException');

      // Kept with the saved work: a reload shows the same mocks.
      await page.waitForTimeout(200);
      await page.reload();
      await ready(page);
      assert.match(await page.$eval('#mocks-editor', (el) => el.value), /ConditionalCheckFailedException/);
      assert.deepEqual(await axeViolations(page), []);
    }, { waitFor: ready });
  });

  it('bad mocks are listed, as text, and a run refuses to start', async () => {
    await withApp(suite, 'mocks-bad', async (page) => {
      await setMocks(page, '{"StateMachines": {"M": {"TestCases": {"T": {"A": "<img src=x onerror=alert(1)>"}}}}, "MockedResponses": {}}');
      await page.waitForSelector('#mocks-problems li');
      const problem = await textOf(page, '#mocks-problems li');
      assert.match(problem, /<img src=x/, `the problem quotes the name as text: ${problem}`);
      assert.equal(await page.$('#mocks-problems img'), null, 'no element is made from it');
      await page.click('#start');
      assert.match(await textOf(page, '#start-problem'), /mocks cannot answer/);
      await screenshot(page, 'mocks-bad');
    }, { waitFor: ready });
  });
});
