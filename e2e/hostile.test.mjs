// Hostile content is text everywhere: a definition whose state names, comments, values, errors
// and causes are markup and script (`<img onerror>`, `<svg onload>`, `javascript:` URLs,
// `</script><script>`), with such an input and such mocks, run to its end, then seen in every
// view (graph, Step details and its tabs, the events with their JSON open, the table view, the
// Mocks panel, the Deploy panel and its files, the workshop), through a share link made and
// opened, and from an imported CloudFormation template with such names. No script runs (no
// dialog, no flag set by a payload, no CSP violation: helpers.mjs fails a test on any), no
// element is made from the text, and the text is shown as it was written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  SCREENSHOTS,
  axeViolations,
  e2eSuite,
  inFreshContext,
  screenshot,
  textOf,
  typeDefinition,
  waitForApp,
  waitForText,
  withApp,
} from './helpers.mjs';

// Each payload sets window.__pwned and opens a dialog if it ever runs. No double quote or
// backslash, so that JSON shows them as they are; each at most 80 characters (a state name).
const IMG = '<img src=x onerror=window.__pwned=1;alert(1)>';
const SVG = '<svg onload=window.__pwned=2;alert(2)>';
const JS_URL = 'javascript:window.__pwned=3;alert(3)';
const SCRIPT = '</script><script>window.__pwned=4;alert(4)</script>';
const IFRAME = '<iframe src=javascript:window.__pwned=5;alert(5)></iframe>';
const PAYLOADS = [IMG, SVG, JS_URL, SCRIPT, IFRAME];

/** Every state named, commented and valued with a payload; its Fail's error and cause too. */
const HOSTILE = {
  Comment: PAYLOADS.join(' '),
  StartAt: IMG,
  States: {
    [IMG]: {
      Type: 'Pass',
      Comment: SVG,
      Parameters: { [SCRIPT]: JS_URL, 'input.$': '$' },
      Next: SVG,
    },
    [SVG]: {
      Type: 'Task',
      Comment: IFRAME,
      // Answered by the mocks below.
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: IMG, Item: { id: { S: SCRIPT } } },
      ResultPath: '$.saved',
      Next: JS_URL,
    },
    [JS_URL]: {
      Type: 'Choice',
      Choices: [{ Variable: `$.input.html`, StringEquals: IMG, Next: SCRIPT }],
      Default: IFRAME,
    },
    [SCRIPT]: { Type: 'Fail', Comment: JS_URL, Error: IMG, Cause: SCRIPT },
    [IFRAME]: { Type: 'Succeed' },
  },
};
const INPUT = { html: IMG, svg: SVG, url: JS_URL, script: SCRIPT, [IFRAME]: IFRAME };
/** Mocks whose state machine, test case and answer are payloads. */
const MOCKS = {
  StateMachines: { [SVG]: { TestCases: { [IMG]: { [SVG]: 'Answer' } } } },
  MockedResponses: { Answer: { 0: { Return: { [IMG]: SCRIPT, url: JS_URL } } } },
};

/** A CloudFormation template whose two state machines' logical IDs, names and definitions are payloads. */
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Description: '${SCRIPT}'
Resources:
  '${IMG}':
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: '${SVG}'
      Definition:
        Comment: '${IFRAME}'
        StartAt: '${SCRIPT}'
        States:
          '${SCRIPT}': {Type: Pass, Result: '${JS_URL}', End: true}
  '${JS_URL}':
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: '${SVG}'
        States:
          '${SVG}': {Type: Fail, Error: '${IMG}', Cause: '${IFRAME}'}
`;

const NODES = 'svg#state-graph g.state-node';

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector(`${NODES}`, { timeout: 5_000 });
}

/** Replaces the text of a JSON editor (a textarea) as typing would. */
async function setText(page, selector, text) {
  await page.$eval(selector, (el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/**
 * Records what a payload could do if it ran: a dialog (dismissed) and, checked by `assertInert`,
 * the flag, elements made from text, event-handler attributes and javascript: links.
 */
function watchDialogs(page) {
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss().catch(() => {});
  });
  return dialogs;
}

/** What the page holds that text must never become, and the <script>s and <svg>s it has. */
function inventory(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: window.__pwned ?? null,
      embedded: document.querySelectorAll('img, iframe, frame, object, embed, image, foreignObject, use[href], audio, video, base').length,
      scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
      // The app's <svg>: the graph only.
      svgs: [...document.querySelectorAll('svg')].map((s) => s.id),
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
      jsLinks: all.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('xlink:href') ?? '')).length,
    };
  });
}

async function assertInert(page, dialogs, baseline, where) {
  // Give a payload that made it into the DOM the time to load and fire.
  await page.waitForTimeout(100);
  const now = await inventory(page);
  assert.deepEqual(dialogs, [], `${where}: no dialog opens`);
  assert.equal(now.pwned, null, `${where}: no payload ran`);
  assert.equal(now.embedded, 0, `${where}: no element is made from text`);
  assert.deepEqual(now.scripts, baseline.scripts, `${where}: no <script> is added`);
  assert.deepEqual(now.svgs, ['state-graph'], `${where}: the graph is the only <svg>`);
  assert.deepEqual(now.handlers, [], `${where}: no element has an event-handler attribute`);
  assert.equal(now.jsLinks, 0, `${where}: no javascript: link`);
}

/** The graph's state names (from its nodes' data-state), in the graph's order. */
function graphStates(page) {
  return page.$$eval(NODES, (nodes) => nodes.map((n) => n.getAttribute('data-state')));
}

/** Clicks the graph node of `state` (found by its data-state, which no selector quoting can break). */
async function selectState(page, state) {
  const names = await graphStates(page);
  const index = names.indexOf(state);
  assert.ok(index >= 0, `${state} is in the graph (${names.join(' | ')})`);
  await page.locator(NODES).nth(index).click();
  await waitForText(page, '#details-heading', `Step details (${state})`);
}

/** Checks every view of the hostile run; `page` has run it to its end. */
async function checkViews(page, dialogs, baseline, where) {
  assert.equal(await textOf(page, '#execution-status'), 'Failed');
  assert.equal(await textOf(page, '#execution-error'), IMG, 'the error, as text');
  assert.equal(await textOf(page, '#execution-cause'), SCRIPT, 'the cause, as text');
  assert.deepEqual(new Set(await graphStates(page)), new Set(Object.keys(HOSTILE.States)));
  // The graph's labels are the names as text (a long one may be cut short with an ellipsis).
  const labels = await page.$$eval(`${NODES} text`, (texts) => texts.map((t) => t.textContent).join('\n'));
  assert.ok(labels.includes('<svg onload='), labels);
  await assertInert(page, dialogs, baseline, `${where}: graph`);

  for (const state of [IMG, SVG, JS_URL, SCRIPT]) {
    await selectState(page, state);
    for (const tab of ['#tab-io', '#tab-flow', '#tab-retries', '#tab-variables']) {
      if (await page.$(tab)) await page.click(tab);
    }
    await page.click('#tab-io');
    await assertInert(page, dialogs, baseline, `${where}: Step details (${state})`);
  }
  await selectState(page, SVG);
  const output = JSON.parse(await textOf(page, '#step-output'));
  assert.deepEqual(output.saved, MOCKS.MockedResponses.Answer[0].Return, 'the mock answered, its values as text');
  assert.equal(output[SCRIPT], JS_URL);

  // Every event's JSON, opened.
  const summaries = page.locator('table#event-history details > summary');
  const count = await summaries.count();
  assert.ok(count >= 10, `${count} events`);
  for (let i = 0; i < count; i += 1) await summaries.nth(i).click();
  const history = await textOf(page, 'table#event-history');
  for (const payload of [IMG, SVG, SCRIPT, JS_URL]) assert.ok(history.includes(payload), `the events show ${payload}`);
  await screenshot(page, `${where}-events`);
  await assertInert(page, dialogs, baseline, `${where}: events`);

  await page.click('#show-table');
  const rows = await page.$$eval('#state-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-state')));
  assert.deepEqual(rows, [IMG, SVG, JS_URL, SCRIPT]);
  assert.ok((await textOf(page, '#state-table')).includes(SCRIPT));
  await assertInert(page, dialogs, baseline, `${where}: table view`);
  await page.click('#show-events');

  // The mocks: the test case's label in the picker, as text.
  assert.ok((await page.$eval('#mock-case', (el) => el.textContent)).includes(IMG), 'the test case is named as written');
  await assertInert(page, dialogs, baseline, `${where}: mocks`);

  // The Deploy panel: the commands show the input as text; the downloaded commands.sh is them.
  await page.waitForSelector('#export-commands');
  const commands = await textOf(page, '#export-commands');
  assert.ok(commands.includes(IMG) && commands.includes(SCRIPT), commands);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#export-files li[data-file="commands.sh"] button:has-text("Download")'),
  ]);
  assert.equal(fs.readFileSync(await download.path(), 'utf8').trim(), commands);
  const [readme] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#export-files li[data-file="README.txt"] button:has-text("Download")'),
  ]);
  assert.ok(fs.readFileSync(await readme.path(), 'utf8').includes(`test case ${SVG}#${IMG}`), 'README.txt names the mocks');
  await assertInert(page, dialogs, baseline, `${where}: Deploy panel`);

  // The workshop, opened over the hostile definition.
  await page.click('#workshop-toggle');
  await page.waitForSelector('#workshop');
  await page.click('#workshop-next');
  await assertInert(page, dialogs, baseline, `${where}: workshop`);
  await page.click('#workshop-toggle');
}

describe('hostile content', () => {
  const suite = e2eSuite();

  it('a hostile definition, input and mocks run to their end; every view and the share link show them as text', async () => {
    let link;
    await withApp(suite, 'hostile', async (page) => {
      const dialogs = watchDialogs(page);
      const baseline = await inventory(page);
      assert.deepEqual(baseline.svgs, ['state-graph']);
      await typeDefinition(page, HOSTILE, IMG);
      await setText(page, '#execution-input', JSON.stringify(INPUT, null, 2));
      await setText(page, '#mocks-editor', JSON.stringify(MOCKS, null, 2));
      await waitForText(page, '#mocks-status', /answered by this test case/);
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', /Succeeded|Failed/, { timeout: 30_000 });
      await checkViews(page, dialogs, baseline, 'hostile');
      await page.setViewportSize({ width: 1280, height: 800 });
      await selectState(page, SCRIPT);
      // The viewport only (the whole page, every event's JSON open, is long).
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hostile-1280.png') });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'hostile-390.png') });
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.click('#share');
      await page.waitForSelector('#share-link'); // the browser deflates the link: a promise
      link = await page.$eval('#share-link', (el) => el.value);
      assert.match(link, /#v1\./);
      await assertInert(page, dialogs, baseline, 'share panel');
      await page.click('.share-popover button:has-text("Close")');
      assert.deepEqual(await axeViolations(page), [], 'the hostile page is as accessible as any');
    }, { waitFor: ready });

    // The link, opened in a fresh browser: the same run, the same text, nothing run.
    await inFreshContext(suite, link, async (page) => {
      const dialogs = watchDialogs(page);
      const baseline = { scripts: await page.$$eval('script', (s) => s.map((e) => e.getAttribute('src'))) };
      await page.waitForSelector(`${NODES}`);
      if ((await textOf(page, '#execution-status')) !== 'Failed') {
        await page.click('#start');
        await page.click('#run');
        await waitForText(page, '#execution-status', 'Failed', { timeout: 30_000 });
      }
      await checkViews(page, dialogs, baseline, 'hostile-shared');
    }, { waitFor: ready });
  });

  it('an imported template with hostile logical IDs, names and values is text', async () => {
    await withApp(suite, 'hostile-import', async (page) => {
      const dialogs = watchDialogs(page);
      const baseline = await inventory(page);
      await page.click('#definition');
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(TEMPLATE);
      await page.waitForSelector('#import-note', { timeout: 10_000 });
      const note = await textOf(page, '#import-note');
      assert.ok(note.includes(IMG), `the note names the state machine as written: ${note}`);
      const options = await page.$$eval('#import-machine option', (os) => os.map((o) => o.textContent));
      assert.ok(options.some((o) => o.includes(JS_URL)), options.join(' | '));
      await page.waitForSelector(`${NODES}`);
      assert.deepEqual(await graphStates(page), [SCRIPT]);
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', 'Succeeded');
      assert.equal(JSON.parse(await textOf(page, '#execution-output')), JS_URL);
      await assertInert(page, dialogs, baseline, 'imported');

      // The other state machine of the template.
      const index = options.findIndex((o) => o.includes(JS_URL));
      await page.selectOption('#import-machine', { index });
      await page.waitForFunction((name) => [...document.querySelectorAll('svg#state-graph g.state-node')].some((n) => n.getAttribute('data-state') === name), SVG);
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', 'Failed');
      assert.equal(await textOf(page, '#execution-error'), IMG);
      assert.equal(await textOf(page, '#execution-cause'), IFRAME);
      await assertInert(page, dialogs, baseline, 'imported, the other machine');
      await screenshot(page, 'hostile-import');
    }, { waitFor: ready });
  });
});
