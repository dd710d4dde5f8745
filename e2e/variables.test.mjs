// End-to-end tests of Step details' workflow variables and expression box, with the
// callcenter-jsonata example: the variables follow the cursor (stepping back takes them away),
// and an expression is evaluated as it is typed, its errors shown as text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { e2eSuite, screenshot, textOf, waitForApp, waitForText, withApp } from './helpers.mjs';

const ENDED = /^(Succeeded|Failed|Timed out|Aborted)$/;

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

async function variables(page) {
  return page.$$eval('#variables tbody tr', (trs) =>
    Object.fromEntries(
      trs.map((tr) => [
        tr.getAttribute('data-variable'),
        { value: JSON.parse(tr.querySelector('pre').textContent), here: tr.classList.contains('assigned-here') },
      ]),
    ),
  );
}

/** Selects `state` in the graph. */
async function select(page, state) {
  await page.click(`svg#state-graph g.state-node[data-state="${state}"]`);
  await waitForText(page, '#details-heading', `Step details (${state})`);
}

/**
 * Steps back until `state` reads `status` (at most `max` events). Stepping selects the state
 * the cursor is in, so `state` is selected again after each step.
 */
async function stepBackUntil(page, state, status, max = 20) {
  for (let i = 0; i < max; i++) {
    await select(page, state);
    if ((await textOf(page, '#step-status')) === status) return;
    await page.click('#step-back');
  }
  assert.fail(`${state} never read ${status}`);
}

/** Steps forward once, and selects `state` again. */
async function stepTo(page, state) {
  await page.click('#step');
  await select(page, state);
}

async function setup(page) {
  await page.selectOption('#example', 'callcenter-jsonata');
  await page.waitForFunction(() => document.querySelector('#example').value === 'callcenter-jsonata');
  await page.waitForSelector('svg#state-graph g.state-node[data-state="Is Case Resolved"]');
  await page.selectOption('#work-outcome', 'resolved');
  await page.click('#run');
  await waitForText(page, '#execution-status', ENDED, { timeout: 60_000 });
}

describe('variables and expressions', () => {
  const suite = e2eSuite();

  it('the Variables tab follows the cursor', async () => {
    await withApp(suite, 'variables', async (page) => {
      await setup(page);
      await select(page, 'Work on Case');
      await page.click('#tab-variables');
      assert.deepEqual(await variables(page), {
        caseId: { value: '001', here: false },
        resolved: { value: true, here: true },
      });
      await screenshot(page, 'variables-tab');
      // Back to while Work on Case runs: it has not assigned `resolved` yet.
      await stepBackUntil(page, 'Work on Case', 'In progress');
      assert.deepEqual(await variables(page), { caseId: { value: '001', here: false } });
      // Forward again: it exits and assigns.
      await stepTo(page, 'Work on Case');
      await waitForText(page, '#step-status', 'Succeeded');
      assert.equal((await variables(page)).resolved?.value, true);
      // Back before Open Case exits: no variable at all.
      await stepBackUntil(page, 'Open Case', 'In progress', 40);
      assert.equal(await page.$('#variables'), null);
      assert.match(await textOf(page, '#variables-empty'), /No variables in scope/);
      await stepTo(page, 'Open Case');
      await waitForText(page, '#step-status', 'Succeeded');
      assert.deepEqual(await variables(page), { caseId: { value: '001', here: true } });
    }, { waitFor: ready });
  });

  it('the expression box evaluates as one types, errors as text', async () => {
    await withApp(suite, 'expression-box', async (page) => {
      await setup(page);
      await select(page, 'Work on Case');
      await page.fill('#expression', '$states.result.Status = 1 and $states.input.Case = $caseId');
      await waitForText(page, '#expression-result', 'true');
      await page.fill('#expression', '$states.context.State.Name');
      await waitForText(page, '#expression-result', '"Work on Case"');
      // The whole context object, as the engine gives it to the state's own expressions.
      await page.fill('#expression', '[$states.context.Execution.Id, $states.context.StateMachine.Name, $states.context.Execution.Input.inputCaseID, $states.context.State.EnteredTime]');
      await waitForText(page, '#expression-result', /arn:aws:states:[^"]+:execution:/);
      const context = JSON.parse(await textOf(page, '#expression-result'));
      assert.equal(context.length, 4, JSON.stringify(context));
      assert.match(context[1], /\S/, 'the state machine has a name');
      assert.equal(context[2], '001');
      assert.match(context[3], /^\d{4}-\d\d-\d\dT/);
      await page.fill('#expression', '$states.input.Case + 1');
      await page.waitForSelector('#expression-error');
      assert.match(await textOf(page, '#expression-error'), /^T2001: .*at position \d+/);
      // The person's text stays text.
      await page.fill('#expression', '"<b>bold</b>"');
      await waitForText(page, '#expression-result', '"<b>bold</b>"');
      assert.equal(await page.$('#expression-result b'), null);
      await page.fill('#expression', '$states.input.');
      await page.waitForSelector('#expression-error');
      assert.match(await textOf(page, '#expression-error'), /^S0\d{3}: /);
      await page.selectOption('#expression-language', 'jsonpath');
      await page.fill('#expression', '$.Case');
      await waitForText(page, '#expression-result', '"001"');
      await page.fill('#expression', 'States.Format(\'case {}\', $caseId)');
      await waitForText(page, '#expression-result', '"case 001"');
      await page.selectOption('#expression-language', 'jsonata');
      await page.fill('#expression', '{"case": $caseId, "resolved": $states.result.Status = 1}');
      await waitForText(page, '#expression-result', /"resolved": true/);
      await screenshot(page, 'expression-box');
    }, { waitFor: ready });
  });
});
