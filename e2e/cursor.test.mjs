// End-to-end tests of issue 10's defects 1, 2, 3 and 5: everything the page shows — the graph's
// colours, the arrows it draws as followed, Step details, the event history's Step column — is
// read from the events before the cursor, whichever way the cursor moved there, and a share
// link opens the run at the event it was made at. Each test failed against the page as it was
// before the fix (main at e43d209).
//
// The DOM contract, beyond callcenter.test.mjs's:
//   g.edge-group[data-from][data-to] > path.edge.taken   an arrow the run followed
//   #event-position                                       "event N of M recorded · seed S"
//   table#event-history tbody tr > td:nth-child(3)        the state an event belongs to
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  SCREENSHOTS,
  TIMEOUTS,
  axeViolations,
  e2eSuite,
  screenshot,
  textOf,
  typeDefinition,
  waitForApp,
  waitForText,
  inFreshContext as openFresh,
  withApp,
} from './helpers.mjs';

const NODES = 'svg#state-graph g.state-node';
const NODE = (state) => `${NODES}[data-state="${state}"]`;
const EVENT_ROWS = 'table#event-history tbody tr';
const ENDED = /^(Succeeded|Failed|Timed out|Aborted)$/;

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector(NODES, { timeout: 5_000 });
}

async function runToEnd(page) {
  await page.click('#run');
  await waitForText(page, '#execution-status', ENDED, { timeout: 60_000 });
  return textOf(page, '#execution-status');
}

/** How many events the cursor shows ("event N of M recorded"). */
async function cursor(page) {
  return Number((await textOf(page, '#event-position')).match(/event (\d+) of/)[1]);
}

/** Steps back until the cursor shows `n` events. */
async function stepBackTo(page, n) {
  while ((await cursor(page)) > n) await page.click('#step-back');
  assert.equal(await cursor(page), n);
}

/** What the graph shows: each state's status, and the arrows drawn as followed. */
function graph(page) {
  return page.$eval('svg#state-graph', (svg) => ({
    status: Object.fromEntries(
      [...svg.querySelectorAll('g.state-node')].map((n) => [n.dataset.state, n.dataset.status]),
    ),
    labels: [...svg.querySelectorAll('g.state-node')].map((n) => n.getAttribute('aria-label')),
    taken: [...svg.querySelectorAll('g.edge-group')]
      .filter((g) => g.querySelector('path.edge.taken'))
      .map((g) => `${g.dataset.from} -> ${g.dataset.to}${g.classList.contains('catch') ? ' (catch)' : ''}`)
      .sort(),
  }));
}

/** The Step details of `state` (selected by a click): its status, and its exception. */
async function details(page, state) {
  await page.click(NODE(state));
  await waitForText(page, '#details-heading', `Step details (${state})`);
  const status = await textOf(page, '#step-status');
  await page.click('#tab-exception');
  const exception = await textOf(page, '#step-exception');
  await page.click('#tab-io');
  return { status, exception };
}

const STATUS_LABEL = {
  'not-run': 'Not run',
  'in-progress': 'In progress',
  succeeded: 'Succeeded',
  failed: 'Failed',
  caught: 'Caught error',
  cancelled: 'Cancelled',
};

/** Every state's colour in the graph is what its Step details say. */
async function assertGraphAgreesWithDetails(page, where) {
  const { status } = await graph(page);
  for (const [state, key] of Object.entries(status)) {
    assert.equal((await details(page, state)).status, STATUS_LABEL[key], `${where}: ${state} is ${key} in the graph`);
  }
}

/** The Step column of every history row, with its event type: "ParallelStateStarted Fan Out". */
function eventLabels(page) {
  return page.$$eval(EVENT_ROWS, (rows) =>
    rows.map((tr) => `${tr.dataset.eventType} ${tr.children[2].textContent.trim()}`.trim()),
  );
}

/** A Parallel whose second branch fails in a Fail state: retried once, then caught (or not). */
function failingBranch({ caught = true } = {}) {
  return {
    StartAt: 'Fan Out',
    States: {
      'Fan Out': {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Work', States: { Work: { Type: 'Pass', Next: 'More Work' }, 'More Work': { Type: 'Pass', End: true } } },
          { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Kaboom', Cause: 'It broke.' } } },
        ],
        Retry: [{ ErrorEquals: ['Kaboom'], MaxAttempts: 1, IntervalSeconds: 1 }],
        ...(caught ? { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }] } : {}),
        End: true,
      },
      ...(caught ? { Recover: { Type: 'Pass', End: true } } : {}),
    },
  };
}

/** The graph panel only (what the defects are about, at the size it is shown). */
async function shot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('section.graph').screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

describe('the cursor', () => {
  const suite = e2eSuite();
  const test = (name, fn, timeout = TIMEOUTS.test) =>
    it(name, { timeout }, () =>
      withApp(
        suite,
        name.replace(/\W+/g, '-'),
        async (page) => {
          await page.setViewportSize({ width: 1280, height: 800 });
          await fn(page);
        },
        { waitFor: ready },
      ),
    );

  test('defect 1: stepping back shows the graph as it was at that event, arrows and End included', async (page) => {
    // The resolved tutorial, run to its end, then 12 steps back.
    await page.selectOption('#work-outcome', 'resolved');
    assert.equal(await runToEnd(page), 'Succeeded');
    await shot(page, 'cursor-1-tutorial-run-to-end');
    const end = await cursor(page);
    for (let i = 0; i < 12; i++) await page.click('#step-back');
    assert.equal(await cursor(page), end - 12);
    assert.equal((await page.$$(EVENT_ROWS)).length, end - 12);
    await shot(page, 'cursor-1-tutorial-12-steps-back');
    const back = await graph(page);
    assert.deepEqual(back.status, {
      'Open Case': 'succeeded',
      'Assign Case': 'succeeded',
      'Work on Case': 'in-progress',
      'Is Case Resolved': 'not-run',
      'Close Case': 'not-run',
      'Escalate Case': 'not-run',
      Fail: 'not-run',
    });
    assert.deepEqual(back.taken, ['Assign Case -> Work on Case', 'Open Case -> Assign Case', 'Start -> Open Case']);
    assert.equal((await details(page, 'Work on Case')).status, 'In progress');

    // The unresolved run at event 12: Fail has not run, in the graph as in its details.
    await page.selectOption('#work-outcome', 'unresolved');
    await page.click('#start');
    assert.equal(await runToEnd(page), 'Failed');
    assert.ok((await graph(page)).taken.includes('Fail -> End'), 'a failed run ends at End after its Fail state');
    await stepBackTo(page, 12);
    assert.equal((await graph(page)).status.Fail, 'not-run');
    assert.equal((await details(page, 'Fail')).status, 'Not run');
    assert.ok(!(await graph(page)).taken.some((t) => t.endsWith('-> End')), 'no arrow into End before the run ends');

    // Stepping back shows, at every event, what stepping forward showed there.
    await page.click('#reset');
    await page.click('#start');
    const forward = [await graph(page)];
    while ((await textOf(page, '#execution-status')) === 'Running') {
      await page.click('#step');
      forward.push(await graph(page));
    }
    for (let n = forward.length; n >= 1; n--) {
      await stepBackTo(page, n);
      assert.deepEqual(await graph(page), forward[n - 1], `at event ${n}, back as forward`);
    }

    // A run that fails in its last state never reached End: the arrow into End is not taken.
    await typeDefinition(page, { StartAt: 'Only', States: { Only: { Type: 'Pass', InputPath: '$.missing', End: true } } }, 'Only');
    assert.equal(await runToEnd(page), 'Failed');
    const failed = await graph(page);
    assert.equal(failed.status.Only, 'failed');
    assert.deepEqual(failed.taken, ['Start -> Only'], 'the run failed in Only: it did not go on to End');
    await shot(page, 'cursor-1-terminal-failure');
    assert.deepEqual(await axeViolations(page), []);
  });

  test('defect 2: a Fail state in a Parallel branch fails, and the Parallel leaves by its Catch only', async (page) => {
    await typeDefinition(page, failingBranch(), 'Boom');
    assert.equal(await runToEnd(page), 'Succeeded');
    await shot(page, 'cursor-2-parallel-failing-branch-caught');
    const caught = await graph(page);
    assert.equal(caught.status.Boom, 'failed', 'the branch failed in Boom');
    assert.equal(caught.status['Fan Out'], 'caught');
    assert.equal(caught.status.Recover, 'succeeded');
    assert.ok(!Object.values(caught.status).includes('in-progress'), `nothing runs after the end: ${JSON.stringify(caught.status)}`);
    assert.deepEqual(caught.taken, ['Fan Out -> Recover (catch)', 'Recover -> End', 'Start -> Fan Out']);
    const boom = await details(page, 'Boom');
    assert.equal(boom.status, 'Failed');
    assert.match(boom.exception, /Kaboom/);
    assert.match(boom.exception, /It broke\./);
    assert.equal((await details(page, 'Fan Out')).status, 'Caught error');
    await assertGraphAgreesWithDetails(page, 'caught');
    assert.deepEqual(await axeViolations(page), []);

    // Back to the retry's start: the first attempt's Boom failed, and the Parallel runs again.
    const types = await page.$$eval(EVENT_ROWS, (rows) => rows.map((tr) => tr.dataset.eventType));
    const retry = types.indexOf('ParallelStateStarted', types.indexOf('ParallelStateStarted') + 1);
    assert.ok(retry > 0, `the Parallel was retried: ${types.join(', ')}`);
    await stepBackTo(page, retry + 1);
    const retrying = await graph(page);
    assert.equal(retrying.status['Fan Out'], 'in-progress');
    assert.equal(retrying.status.Boom, 'failed', "the first attempt's Boom failed");
    await assertGraphAgreesWithDetails(page, 'retrying');

    // Without a Catch the run fails: Boom and its Parallel failed, and nothing reached End.
    await typeDefinition(page, failingBranch({ caught: false }), 'Boom');
    await page.waitForSelector(NODE('Recover'), { state: 'detached' });
    assert.equal(await runToEnd(page), 'Failed');
    await shot(page, 'cursor-2-parallel-failing-branch-uncaught');
    const uncaught = await graph(page);
    assert.equal(uncaught.status.Boom, 'failed');
    assert.equal(uncaught.status['Fan Out'], 'failed');
    assert.deepEqual(uncaught.taken, ['Start -> Fan Out']);
    await assertGraphAgreesWithDetails(page, 'uncaught');
  });

  test("defect 3: a Parallel's own events are labelled with the Parallel, and its name filters them", async (page) => {
    await typeDefinition(page, failingBranch(), 'Boom');
    await runToEnd(page);
    const labels = await eventLabels(page);
    const of = (type) => labels.filter((l) => l.startsWith(`${type} `) || l === type);
    assert.deepEqual(of('ParallelStateStarted'), ['ParallelStateStarted Fan Out', 'ParallelStateStarted Fan Out'], 'the first run and the retry');
    assert.deepEqual(of('ParallelStateFailed'), ['ParallelStateFailed Fan Out']);
    assert.deepEqual(of('FailStateEntered'), ['FailStateEntered Boom', 'FailStateEntered Boom']);
    await page.fill('#event-filter', 'Fan Out');
    assert.deepEqual(await eventLabels(page), [
      'ParallelStateEntered Fan Out',
      'ParallelStateStarted Fan Out',
      'ParallelStateStarted Fan Out',
      'ParallelStateFailed Fan Out',
      'ParallelStateExited Fan Out',
    ]);
    await page.fill('#event-filter', 'Boom');
    assert.deepEqual(await eventLabels(page), ['FailStateEntered Boom', 'FailStateEntered Boom']);
    await screenshot(page, 'cursor-3-parallel-events-filtered');
  });

  /** Opens a link in a fresh browser context (no saved work) and checks it logged no error. */
  const inFreshContext = (url, fn) => openFresh(suite, url, fn, { waitFor: ready });

  async function shareLink(page) {
    await page.click('#share');
    await page.waitForSelector('#share-link'); // the browser deflates the link: a promise
    const link = await page.$eval('#share-link', (el) => el.value);
    await page.click('.share-popover button:has-text("Close")');
    return link;
  }

  /** Everything the page shows of the run. */
  async function view(page) {
    return {
      status: await textOf(page, '#execution-status'),
      cursor: await cursor(page),
      events: await eventLabels(page),
      graph: await graph(page),
      selected: await textOf(page, '#details-heading'),
      details: await textOf(page, '#step-status'),
    };
  }

  test('defect 5: a share link carries the step, and opens the run at the same event', async (page) => {
    await page.fill('#seed', '7');
    await page.dispatchEvent('#seed', 'change');
    await page.selectOption('#work-outcome', 'unresolved');
    assert.equal(await runToEnd(page), 'Failed');
    await stepBackTo(page, 15);
    await page.click(NODE('Work on Case'));
    const at15 = await view(page);
    assert.equal(at15.status, 'Running');
    const link = await shareLink(page);
    assert.match(link, /#v1\./);
    await shot(page, 'cursor-5-shared-at-event-15');

    // Then stopped part-way: the link opens the run stopped at the same event.
    await page.click('#start');
    for (let i = 0; i < 9; i++) await page.click('#step');
    await page.click('#stop');
    await waitForText(page, '#execution-status', 'Aborted');
    const stopped = await view(page);
    const stoppedLink = await shareLink(page);

    await inFreshContext(link, async (opened) => {
      await waitForText(opened, '#event-position', /^event 15 of 15 recorded/);
      await shot(opened, 'cursor-5-link-opened-at-event-15');
      assert.deepEqual(await view(opened), at15, 'the link opens the same run at the same event');
      assert.equal(await opened.$eval('#seed', (el) => el.value), '7');
      // The run goes on from there as it would have.
      await runToEnd(opened);
      assert.equal(await textOf(opened, '#execution-status'), 'Failed');
      assert.deepEqual(await axeViolations(opened), []);
    });
    await inFreshContext(stoppedLink, async (opened) => {
      await waitForText(opened, '#execution-status', 'Aborted');
      assert.deepEqual(await view(opened), stopped, 'a stopped run opens stopped at the same event');
    });

    // A link made before the step travelled (by main at e43d209: the tutorial, seed 7,
    // unresolved, Work on Case selected, at event 15) still opens, with no run.
    const old =
      '#v1.Jcu9DoMwEAPgV4k8M8CElLVdmBhZbonKDajhgvIDlRDv3guMtj-f4J9bN8-wyCWHuDiPBotsJWt1khhDT3y5xMObYLVo245AcilNzDNs3-AI8TtKVXosEjkFv-tWiedPrgyTIhPE3Oz6Aw';
    await inFreshContext(`${suite.server.url}${old}`, async (opened) => {
      await waitForText(opened, '#details-heading', 'Step details (Work on Case)');
      assert.equal(await opened.$eval('#seed', (el) => el.value), '7');
      assert.equal(await opened.$eval('#work-outcome', (el) => el.value), 'unresolved');
      assert.equal(await textOf(opened, '#execution-status'), 'Not started');
    });
  }, 180_000);
});
