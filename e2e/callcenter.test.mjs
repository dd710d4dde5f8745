// End-to-end tests of the call-center tutorial, against the UI's DOM contract:
//
//   inputs    #case-id (text), #execution-input (textarea, raw JSON), #seed (number),
//             #work-outcome (select: random | resolved | unresolved)
//   buttons   #start, #step, #run, #reset
//   status    #execution-status: Not started | Running | Succeeded | Failed
//   graph     svg#state-graph > g.state-node[data-state="<name>"][data-status=
//             succeeded|failed|caught|in-progress|cancelled|not-run]; clicking a node selects it
//   details   #step-details: #step-status, #step-resource, #step-input, #step-output (#step-exception on its tab)
//   result    #execution-output (Succeeded), #execution-error + #execution-cause (Failed)
//   history   table#event-history tbody tr[data-event-type], one row per history event
//
// Every test also fails if the page logs a console error or throws (see withApp in helpers.mjs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TIMEOUTS,
  e2eSuite,
  screenshot,
  textOf,
  waitForApp,
  waitForText,
  withApp,
} from './helpers.mjs';

const STATES = [
  'Open Case',
  'Assign Case',
  'Work on Case',
  'Is Case Resolved',
  'Close Case',
  'Escalate Case',
  'Fail',
];
const NODE = (state) => `svg#state-graph g.state-node[data-state="${state}"]`;
const EVENT_ROWS = 'table#event-history tbody tr';
const FINISHED = /^(Succeeded|Failed)$/;
const MAX_STEPS = 200;

/**
 * The app is ready when the state graph is drawn. Once the wasm has rendered something, the
 * graph must follow within seconds: an app without the DOM contract fails fast and says so.
 */
async function waitForGraph(page) {
  await waitForApp(page);
  try {
    await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
  } catch {
    throw new Error(
      'the app rendered, but without the DOM contract: no svg#state-graph g.state-node ' +
        `(body starts with ${JSON.stringify((await page.innerText('body')).slice(0, 200))})`,
    );
  }
}

/** { "<state name>": "<data-status>" } for every node of the graph. */
function nodeStatuses(page) {
  return page.$$eval('svg#state-graph g.state-node', (nodes) =>
    Object.fromEntries(nodes.map((n) => [n.getAttribute('data-state'), n.getAttribute('data-status')])),
  );
}

/** The data-event-type of every history row, in order. */
function eventTypes(page) {
  return page.$$eval(EVENT_ROWS, (rows) => rows.map((r) => r.getAttribute('data-event-type')));
}

function executionStatus(page) {
  return textOf(page, '#execution-status');
}

/** Fills the case id and the work outcome (and the seed, if given), then presses Start. */
async function start(page, { caseId = '001', outcome, seed } = {}) {
  await page.fill('#case-id', caseId);
  if (seed !== undefined) await page.fill('#seed', String(seed));
  if (outcome !== undefined) await page.selectOption('#work-outcome', outcome);
  await page.click('#start');
  await waitForText(page, '#execution-status', /^(Running|Succeeded|Failed)$/);
}

async function runToEnd(page, opts) {
  await start(page, opts);
  await page.click('#run');
  await waitForText(page, '#execution-status', FINISHED);
  return executionStatus(page);
}

/** Selects a state in the graph and returns what #step-details shows for it. */
async function selectState(page, state) {
  await page.click(NODE(state));
  await page.waitForFunction(
    () => (document.querySelector('#step-input')?.textContent ?? '').trim().length > 0,
  );
  return {
    status: await textOf(page, '#step-status'),
    resource: await textOf(page, '#step-resource'),
    input: await textOf(page, '#step-input'),
    output: await textOf(page, '#step-output'),
  };
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not JSON: ${JSON.stringify(text)} (${err.message})`);
  }
}

/**
 * Start with a seed and the random outcome, then press Step until the execution finishes,
 * checking that each Step adds exactly one history event. Returns what the run produced.
 */
async function stepThrough(page, seed) {
  await start(page, { outcome: 'random', seed });
  let count = (await eventTypes(page)).length;
  let steps = 0;
  while ((await executionStatus(page)) === 'Running') {
    assert.ok(steps < MAX_STEPS, `still Running after ${MAX_STEPS} steps`);
    await page.click('#step');
    await page.waitForFunction(
      ([selector, before]) => document.querySelectorAll(selector).length > before,
      [EVENT_ROWS, count],
    );
    const events = await eventTypes(page);
    assert.equal(
      events.length,
      count + 1,
      `Step ${steps + 1} should add exactly one history event; it added ${events.slice(count).join(', ')}`,
    );
    count = events.length;
    steps += 1;
  }
  const status = await executionStatus(page);
  assert.match(status, FINISHED);
  const work = await selectState(page, 'Work on Case');
  return {
    status,
    steps,
    events: await eventTypes(page),
    workOutput: parseJson(work.output, '#step-output of Work on Case'),
    nodes: await nodeStatuses(page),
  };
}

describe('call-center tutorial', () => {
  const suite = e2eSuite();
  const test = (name, fn) =>
    it(name, { timeout: TIMEOUTS.test }, () =>
      withApp(suite, name.replace(/\W+/g, '-'), fn, { waitFor: waitForGraph }),
    );

  test('1 opens on the call-center tutorial, nothing run yet', async (page) => {
    const nodes = await nodeStatuses(page);
    assert.deepEqual(Object.keys(nodes).sort(), [...STATES].sort(), 'one node per state');
    for (const state of STATES) assert.equal(nodes[state], 'not-run', `${state} is not-run`);
    assert.equal(await page.inputValue('#case-id'), '001');
    assert.equal(await executionStatus(page), 'Not started');
    assert.deepEqual(await eventTypes(page), [], 'no history yet');
    await screenshot(page, 'initial');
  });

  test('2 a resolved case succeeds and is closed', async (page) => {
    assert.equal(await runToEnd(page, { caseId: '001', outcome: 'resolved' }), 'Succeeded');
    const output = parseJson(await textOf(page, '#execution-output'), '#execution-output');
    assert.deepEqual(output, {
      Case: '001',
      Status: 1,
      Message: 'Case 001: opened...assigned...resolved...closed.',
    });
    const nodes = await nodeStatuses(page);
    for (const state of ['Open Case', 'Assign Case', 'Work on Case', 'Is Case Resolved', 'Close Case']) {
      assert.equal(nodes[state], 'succeeded', `${state} succeeded`);
    }
    assert.equal(nodes['Escalate Case'], 'not-run');
    assert.equal(nodes['Fail'], 'not-run');
    const events = await eventTypes(page);
    assert.equal(events[0], 'ExecutionStarted');
    assert.equal(events.at(-1), 'ExecutionSucceeded');
    assert.ok(!events.includes('FailStateEntered'), 'no Fail state entered');
    await screenshot(page, 'resolved');
  });

  test('3 an unresolved case is escalated and fails', async (page) => {
    assert.equal(await runToEnd(page, { caseId: '001', outcome: 'unresolved' }), 'Failed');
    assert.equal(await textOf(page, '#execution-cause'), 'Engage Tier 2 Support.');
    const nodes = await nodeStatuses(page);
    for (const state of ['Open Case', 'Assign Case', 'Work on Case', 'Is Case Resolved', 'Escalate Case']) {
      assert.equal(nodes[state], 'succeeded', `${state} succeeded`);
    }
    assert.equal(nodes['Fail'], 'failed');
    assert.equal(nodes['Close Case'], 'not-run');
    const events = await eventTypes(page);
    assert.equal(events[0], 'ExecutionStarted');
    assert.ok(events.includes('FailStateEntered'), 'the Fail state was entered');
    assert.equal(events.at(-1), 'ExecutionFailed');
    await screenshot(page, 'unresolved');
  });

  test('4 stepping a random run adds one event per Step, and a seed replays it', async (page) => {
    const seed = 20240611;
    const first = await stepThrough(page, seed);
    assert.ok(first.steps > 0, 'at least one Step was needed');

    // The outcome follows WorkOnCase's Status: 1 → closed and Succeeded, 0 → escalated and Failed.
    assert.ok([0, 1].includes(first.workOutput.Status), `WorkOnCase Status is 0 or 1: ${JSON.stringify(first.workOutput)}`);
    if (first.workOutput.Status === 1) {
      assert.equal(first.status, 'Succeeded');
      assert.equal(first.events.at(-1), 'ExecutionSucceeded');
      assert.equal(first.nodes['Close Case'], 'succeeded');
      assert.equal(first.nodes['Escalate Case'], 'not-run');
    } else {
      assert.equal(first.status, 'Failed');
      assert.equal(first.events.at(-1), 'ExecutionFailed');
      assert.equal(first.nodes['Escalate Case'], 'succeeded');
      assert.equal(first.nodes['Fail'], 'failed');
    }
    await screenshot(page, `stepped-seed-${seed}`);

    await page.click('#reset');
    await waitForText(page, '#execution-status', 'Not started');
    const again = await stepThrough(page, seed);
    assert.deepEqual(
      { status: again.status, work: again.workOutput, events: again.events },
      { status: first.status, work: first.workOutput, events: first.events },
      'the same seed gives the same run',
    );
  });

  test('5 clicking Work on Case shows its input and output', async (page) => {
    assert.equal(await runToEnd(page, { caseId: '001', outcome: 'resolved' }), 'Succeeded');
    const details = await selectState(page, 'Work on Case');
    assert.ok(
      details.input.includes('Case 001: opened...assigned...'),
      `#step-input shows the assigned case: ${details.input}`,
    );
    assert.ok(details.output.includes('Status'), `#step-output shows Status: ${details.output}`);
    const output = parseJson(details.output, '#step-output');
    assert.equal(output.Status, 1);
    assert.equal(output.Case, '001');
    assert.ok((details.resource ?? '').includes('WorkOnCase'), `#step-resource names WorkOnCase: ${details.resource}`);
    await screenshot(page, 'work-on-case-selected');
  });
});
