// End-to-end tests of the playground beyond the tutorial's happy path: the examples, stepping
// back, pausing and stopping a long run, the step-details tabs, the event and table views,
// keyboard shortcuts, both screen sizes, and an accessibility audit (axe-core).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  SCREENSHOTS,
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

const EVENT_ROWS = 'table#event-history tbody tr';
const ENDED = /^(Succeeded|Failed|Timed out|Aborted)$/;
const EXAMPLES = ['tutorial', 'retry-catch', 'parallel', 'map', 'wait', 'intrinsics', 'choice-logic', 'callcenter-jsonata', 'context-map'];

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

async function rows(page) {
  return (await page.$$(EVENT_ROWS)).length;
}

async function runToEnd(page) {
  await page.click('#run');
  await waitForText(page, '#execution-status', ENDED, { timeout: 60_000 });
  return textOf(page, '#execution-status');
}

/**
 * A machine that loops until the 25,000-event limit: long enough to pause and stop. Run to
 * end goes through a cheap loop in well under a second, so each turn of this one does some
 * real work (hashing a few kilobytes, four times): the run lasts seconds, and the page must
 * still answer Pause and Stop at once.
 */
const WORK = "States.Hash(States.JsonToString(States.ArrayRange(1, 1000, 1)), 'SHA-512')";
const LOOP = {
  StartAt: 'Loop A',
  States: {
    'Loop A': {
      Type: 'Pass',
      Parameters: { 'a.$': WORK, 'b.$': WORK, 'c.$': WORK, 'd.$': WORK },
      ResultPath: null,
      Next: 'Loop B',
    },
    'Loop B': {
      Type: 'Choice',
      Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }],
      Default: 'Loop A',
    },
    Done: { Type: 'Succeed' },
  },
};

/** An inline Map over many items (the page benchmark's, e2e/bench-page.mjs). */
const LONG_MAP = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'P',
        States: { P: { Type: 'Pass', End: true } },
      },
      End: true,
    },
  },
};

describe('playground', () => {
  const suite = e2eSuite();

  it('every example loads, runs to its end, and is drawn at both sizes', { timeout: 240_000 }, async () => {
    await withApp(suite, 'examples', async (page) => {
      await ready(page);
      for (const name of EXAMPLES) {
        await page.selectOption('#example', name);
        await page.waitForFunction((n) => document.querySelector('#example').value === n, name);
        await page.selectOption('#work-outcome', 'resolved');
        const status = await runToEnd(page);
        assert.equal(status, 'Succeeded', `${name} ends in success with WorkOnCase resolved`);
        assert.ok((await rows(page)) > 3, `${name} recorded its events`);
        await page.setViewportSize({ width: 1280, height: 800 });
        await screenshot(page, `example-${name}-1280`);
        await page.setViewportSize({ width: 390, height: 844 });
        await screenshot(page, `example-${name}-390`);
        await page.setViewportSize({ width: 1400, height: 900 });
      }
    }, { waitFor: ready });
  });

  it('steps back over recorded events and forward again, without re-running', async () => {
    await withApp(suite, 'step-back', async (page) => {
      await page.selectOption('#work-outcome', 'resolved');
      await runToEnd(page);
      const total = await rows(page);
      await page.click('#step-back');
      await page.click('#step-back');
      assert.equal(await rows(page), total - 2);
      assert.equal(await textOf(page, '#execution-status'), 'Running', 'two events back, the run has not ended yet');
      assert.match(await textOf(page, '#event-position'), new RegExp(`event ${total - 2} of ${total} recorded`));
      await page.click('#step');
      assert.equal(await rows(page), total - 1);
      // The keyboard does the same: n forward, b back.
      await page.locator('body').press('n');
      assert.equal(await rows(page), total);
      assert.equal(await textOf(page, '#execution-status'), 'Succeeded');
      await page.locator('body').press('b');
      assert.equal(await rows(page), total - 1);
      await page.click('#reset');
      assert.equal(await textOf(page, '#execution-status'), 'Not started');
      assert.equal(await rows(page), 0);
    }, { waitFor: ready });
  });

  it('pauses and stops a long run while the page keeps answering', { timeout: 120_000 }, async () => {
    await withApp(suite, 'pause-stop', async (page) => {
      await typeDefinition(page, LOOP, 'Loop A');
      await page.click('#run');
      await page.waitForSelector('#pause');
      await page.click('#pause');
      await page.waitForSelector('#run');
      // The slice the run worker was computing when Pause was pressed comes a moment later.
      await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, EVENT_ROWS);
      const paused = await rows(page);
      assert.ok(paused > 0 && paused < 25_000, `paused part-way (${paused} events)`);
      assert.equal(await textOf(page, '#execution-status'), 'Running');
      await screenshot(page, 'paused');
      await page.click('#stop');
      await waitForText(page, '#execution-status', 'Aborted');
      const last = await page.$eval(`${EVENT_ROWS}:last-child`, (tr) => tr.getAttribute('data-event-type'));
      assert.equal(last, 'ExecutionAborted');
      const cancelled = await page.$$('svg#state-graph g.state-node[data-status="cancelled"]');
      assert.ok(cancelled.length >= 1, 'the state in progress is shown cancelled');
      assert.ok((await rows(page)) <= 501, 'a long history shows its latest events only');
      await screenshot(page, 'stopped');
    }, { waitFor: ready });
  });

  it('runs a 4,000-item Map to its end in slices, showing the latest events and the progress', { timeout: 120_000 }, async () => {
    await withApp(suite, 'long-run', async (page) => {
      await typeDefinition(page, LONG_MAP, 'M');
      await page.$eval(
        '#execution-input',
        (el, text) => {
          el.value = text;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        },
        JSON.stringify({ items: Array.from({ length: 4_000 }, (_, i) => i) }),
      );
      assert.equal(await runToEnd(page), 'Succeeded');
      const total = Number((await textOf(page, '#event-position')).match(/of (\d+) recorded/)[1]);
      assert.ok(total > 16_000, `every iteration's events were recorded (${total})`);
      assert.equal(await rows(page), 500, 'the table shows the latest 500 events');
      assert.equal(await page.$eval(`${EVENT_ROWS}:last-child`, (tr) => tr.getAttribute('data-event-type')), 'ExecutionSucceeded');
      assert.match(await textOf(page, '#rows-hidden'), new RegExp(`${total - 500} earlier ones are hidden`));
      const badge = await page.$eval('svg#state-graph g.state-node[data-state="M"]', (g) => g.getAttribute('aria-label'));
      assert.match(badge, /4000\/4000: 4000 of 4000 iterations done, Succeeded/);
      const output = JSON.parse(await textOf(page, '#execution-output'));
      assert.deepEqual(output[3999], { index: 3999, value: 3999 });
      // The viewport only: the whole page (4,000 lines of input and output) takes Chromium
      // longer to capture than a test should wait.
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'long-run.png') });
      // Stepping back from the end is derived from the events before the cursor.
      await page.click('#step-back');
      assert.equal(await textOf(page, '#execution-status'), 'Running');
      assert.match(await textOf(page, '#event-position'), new RegExp(`event ${total - 1} of ${total} recorded`));
    }, { waitFor: ready });
  });

  it('shows the data-flow stages, the retries and the table view', async () => {
    await withApp(suite, 'details-tabs', async (page) => {
      await page.selectOption('#example', 'retry-catch');
      await runToEnd(page);
      await page.click('svg#state-graph g.state-node[data-state="Notify Customer"]');
      await page.click('#tab-flow');
      const stages = await page.$$eval('#data-flow li', (lis) => lis.map((li) => li.getAttribute('data-stage')));
      assert.deepEqual(stages, ['input', 'afterInputPath', 'afterParameters', 'result', 'afterResultSelector', 'afterResultPath', 'output']);
      const afterResultPath = JSON.parse(await textOf(page, '#data-flow li[data-stage="afterResultPath"] pre'));
      assert.deepEqual(afterResultPath.notification, { sent: true, channel: 'email' });
      await page.click('#tab-retries');
      const attempts = await page.$$eval('#attempts tbody tr', (trs) => trs.map((tr) => tr.lastElementChild.textContent.trim()));
      assert.equal(attempts.length, 3);
      assert.match(attempts[0], /^Lambda\.TooManyRequestsException/);
      assert.equal(attempts[2], 'succeeded');
      // Arrow keys move between tabs.
      await page.focus('#tab-retries');
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.$eval('#tab-variables', (t) => t.getAttribute('aria-selected')), 'true');
      await page.click('#show-table');
      const names = await page.$$eval('#state-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-state')));
      assert.deepEqual(names, ['Open Case', 'Notify Customer', 'Assign Case']);
      await page.click('#show-events');
      await page.fill('#event-filter', 'LambdaFunctionFailed');
      assert.equal(await rows(page), 2, 'the filter keeps the two failed attempts');
      await screenshot(page, 'details-tabs');
    }, { waitFor: ready });
  });

  it('has no serious or critical accessibility violations, before and after a run', async () => {
    await withApp(suite, 'axe', async (page) => {
      assert.deepEqual(await axeViolations(page), [], 'on opening');
      await page.selectOption('#work-outcome', 'unresolved');
      await runToEnd(page);
      await page.click('svg#state-graph g.state-node[data-state="Work on Case"]');
      assert.deepEqual(await axeViolations(page), [], 'after a failed run, with a state selected');
    }, { waitFor: ready });
  });

  it('is operable from the keyboard: Tab reaches the controls and the graph, Enter selects a state', async () => {
    await withApp(suite, 'keyboard', async (page) => {
      const focusable = () =>
        page.$$eval('button, select, input, textarea, [tabindex="0"]', (els) =>
          els.filter((el) => !el.disabled).map((el) => el.id || el.getAttribute('data-state') || el.tagName),
        );
      const before = await focusable();
      for (const id of ['example', 'start', 'step', 'run', 'case-id', 'seed', 'work-outcome', 'Open Case']) {
        assert.ok(before.includes(id), `#${id} can take the focus`);
      }
      await page.focus('#start');
      await page.keyboard.press('Enter');
      await waitForText(page, '#execution-status', 'Running');
      await page.focus('svg#state-graph g.state-node[data-state="Open Case"]');
      await page.keyboard.press('Enter');
      await waitForText(page, '#details-heading', 'Step details (Open Case)');
      assert.ok((await focusable()).includes('tab-io'), 'the details tabs can take the focus');
    }, { waitFor: ready });
  });
});

describe('definition editor', () => {
  const suite = e2eSuite();

  it('lists each problem at its line, keeps the last valid graph, and formats', async () => {
    await withApp(suite, 'editor-diagnostics', async (page) => {
      const text = await page.$eval('#definition', (el) => el.value);
      const broken = text.replace('"Next": "Assign Case"', '"Next": "Asign Case"');
      await page.$eval('#definition', (el, t) => {
        el.value = t;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, broken);
      await page.waitForSelector('#definition-problems li', { timeout: 5_000 });
      const problem = await textOf(page, '#definition-problems li');
      assert.match(problem, /MISSING_TRANSITION_TARGET/);
      assert.match(problem, /Asign Case/);
      assert.match(problem, /^\d+:\d+/, 'the problem says its line and column');
      const nodes = await page.$$('svg#state-graph g.state-node');
      assert.equal(nodes.length, 7, 'the graph keeps the last valid definition');
      assert.match(await textOf(page, '#graph-stale'), /last valid/, 'and says so');
      await page.click('#definition-problems li button');
      const caret = await page.$eval('#definition', (el) => el.value.slice(0, el.selectionStart).split('\n').length);
      assert.equal(caret, Number(problem.split(':')[0]), 'clicking the problem moves the caret to its line');
      await page.click('#start');
      assert.match(await textOf(page, '#start-problem'), /problem/, 'an invalid definition cannot start');
      await screenshot(page, 'editor-diagnostics');

      // Not JSON at all: Format refuses and keeps the text.
      await page.$eval('#definition', (el) => {
        el.value = '{"StartAt": ';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.click('#format-definition');
      assert.equal(await page.$eval('#definition', (el) => el.value), '{"StartAt": ');
      // Valid but squashed: Format pretty-prints it.
      await page.$eval('#definition', (el) => {
        el.value = '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.click('#format-definition');
      const formatted = await page.$eval('#definition', (el) => el.value);
      assert.ok(formatted.split('\n').length > 3, `formatted: ${formatted}`);
      await page.waitForSelector('svg#state-graph g.state-node[data-state="A"]', { timeout: 5_000 });
    }, { waitFor: ready });
  });

  it('a run started right after an edit runs the edited definition and is kept', async () => {
    await withApp(suite, 'editor-quick-start', async (page) => {
      const edited = JSON.stringify({
        StartAt: 'Greet',
        States: { Greet: { Type: 'Pass', Result: { hello: 'edited' }, End: true } },
      }, null, 2);
      await page.fill('#definition', edited);
      // Within the editor's debounce (300 ms): Start, then Run to end.
      await page.click('#start');
      await page.click('#run');
      await waitForText(page, '#execution-status', 'Succeeded');
      // Longer than the debounce: nothing resets the run afterwards.
      await page.waitForTimeout(1_000);
      assert.equal(await textOf(page, '#execution-status'), 'Succeeded', 'the run is still there');
      assert.match(await textOf(page, '#execution-output'), /"hello": "edited"/, 'it ran the edited definition');
      assert.ok(await page.$('svg#state-graph g.state-node[data-state="Greet"]'), 'the graph shows it');
    }, { waitFor: ready });
  });

  it('places a JSONata error inside its {% %} string, at the token JSONata names', async () => {
    await withApp(suite, 'editor-jsonata-error', async (page) => {
      const lines = [
        '{',
        '  "QueryLanguage": "JSONata",',
        '  "StartAt": "P",',
        '  "States": {',
        '    "P": {',
        '      "Type": "Pass",',
        '      "Output": {"total": "{% $sum($states.input.items) foo %}"},',
        '      "End": true',
        '    }',
        '  }',
        '}',
      ];
      await page.$eval('#definition', (el, t) => {
        el.value = t;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, lines.join('\n'));
      await page.waitForSelector('#definition-problems li', { timeout: 5_000 });
      const problem = await textOf(page, '#definition-problems li');
      assert.match(problem, /S0201/);
      // `foo` is the token JSONata stops at: line 7, at its column (1-based).
      const column = lines[6].indexOf('foo') + 1;
      assert.match(problem, new RegExp(`^7:${column} `), problem);
      assert.equal(await textOf(page, '.json-places .problem-spot'), 'foo', 'the token itself is boxed');
      await page.click('#definition-problems li button');
      const caret = await page.$eval('#definition', (el) => el.value.slice(el.selectionStart, el.selectionStart + 3));
      assert.equal(caret, 'foo', 'clicking the problem puts the caret on the token');
      await screenshot(page, 'editor-jsonata-error');
    }, { waitFor: ready });
  });

  it('never renders typed text as HTML and survives hostile input', async () => {
    await withApp(suite, 'editor-hostile', async (page) => {
      const hostile = { StartAt: '<img src=x onerror=alert(1)>', States: { '<img src=x onerror=alert(1)>': { Type: 'Pass', Result: '</pre><script>bad()</script>', End: true } } };
      await typeDefinition(page, hostile, '<img src=x onerror=alert(1)>');
      assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'no element was made from the text');
      await page.selectOption('#work-outcome', 'resolved');
      await runToEnd(page);
      assert.match(await textOf(page, '#execution-output'), /<\/pre><script>bad\(\)<\/script>/);
      // Deeply nested and very long input never panics the page (collected errors fail the test).
      await page.$eval('#execution-input', (el) => {
        el.value = '['.repeat(5000);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.click('#start');
      assert.match(await textOf(page, '#start-problem'), /not valid JSON/);
    }, { waitFor: ready });
  });
});

describe('share links and saved work', () => {
  const suite = e2eSuite();

  /** Opens a link in a fresh browser context (no saved work) and checks it logged no error. */
  const inFreshContext = (url, fn) => openFresh(suite, url, fn, { waitFor: ready });

  it('a shared link opens the same view in a fresh browser, and the tutorial link is short', async () => {
    let link;
    await withApp(suite, 'share', async (page) => {
      assert.ok((await page.evaluate(() => location.href)).length + 200 < 2_000);
      await page.selectOption('#example', 'map');
      await page.fill('#seed', '77');
      await page.dispatchEvent('#seed', 'change');
      await page.selectOption('#work-outcome', 'unresolved');
      await page.click('svg#state-graph g.state-node[data-state="Work on Case"]');
      await page.click('#share');
      await page.waitForSelector('#share-link'); // the browser deflates the link: a promise
      link = await page.$eval('#share-link', (el) => el.value);
      assert.match(link, /#v1\./);
      await screenshot(page, 'share');
    }, { waitFor: ready });
    await inFreshContext(link, async (page) => {
      assert.equal(await page.$eval('#example', (el) => el.value), 'map');
      assert.equal(await page.$eval('#seed', (el) => el.value), '77');
      assert.equal(await page.$eval('#work-outcome', (el) => el.value), 'unresolved');
      await waitForText(page, '#details-heading', 'Step details (Work on Case)');
      assert.equal(await page.evaluate(() => location.hash), '', 'the link is read once');
    });
    // The tutorial as it opens makes a link under 2,000 characters.
    await withApp(suite, 'share-tutorial', async (page) => {
      await page.click('#share');
      await page.waitForSelector('#share-link'); // the browser deflates the link: a promise
      const tutorialLink = await page.$eval('#share-link', (el) => el.value);
      assert.ok(tutorialLink.length < 2_000, `${tutorialLink.length} characters`);
    }, { waitFor: ready });
  });

  it('a tampered or truncated link says so and shows the saved work', async () => {
    await withApp(suite, 'tampered', async (page) => {
      await page.click('#share');
      await page.waitForSelector('#share-link'); // the browser deflates the link: a promise
      const link = await page.$eval('#share-link', (el) => el.value);
      for (const bad of [link.slice(0, -12), link.replace('#v1.', '#v1.%%%'), link.replace('#v1.', '#v7.')]) {
        // A new page load (a fragment change alone would not reload the page).
        await page.goto('about:blank');
        await page.goto(bad);
        await ready(page);
        await page.waitForSelector('#link-notice');
        assert.match(await textOf(page, '#link-notice'), /could not be opened/);
        assert.equal(await page.$$eval('svg#state-graph g.state-node', (n) => n.length), 7);
      }
    }, { waitFor: ready });
  });

  it('work is saved as you go, and a link never silently replaces it', async () => {
    await withApp(suite, 'saved-work', async (page) => {
      await page.selectOption('#example', 'wait');
      await page.fill('#seed', '5');
      await page.dispatchEvent('#seed', 'change');
      await page.reload();
      await ready(page);
      assert.equal(await page.$eval('#example', (el) => el.value), 'wait', 'the work survived a reload');
      assert.equal(await page.$eval('#seed', (el) => el.value), '5');
      // A link to something else: the saved work stays on screen until the person chooses.
      await page.selectOption('#example', 'parallel');
      await page.click('#share');
      await page.waitForSelector('#share-link'); // the browser deflates the link: a promise
      const link = await page.$eval('#share-link', (el) => el.value);
      await page.selectOption('#example', 'intrinsics');
      await page.goto('about:blank');
      await page.goto(link);
      await ready(page);
      await page.waitForSelector('#open-shared');
      assert.equal(await page.$eval('#example', (el) => el.value), 'intrinsics', 'still the saved work');
      await page.click('#open-shared');
      await page.waitForFunction(() => document.querySelector('#example').value === 'parallel');
      const previous = await page.evaluate(() => JSON.parse(localStorage.getItem('sfn-playground.work.previous')));
      assert.equal(previous.example, 'intrinsics', 'the replaced work is kept');
      // Corrupt saved work never breaks the page, and is set aside.
      await page.evaluate(() => localStorage.setItem('sfn-playground.work', '{not json'));
      await page.reload();
      await ready(page);
      assert.equal(await page.evaluate(() => localStorage.getItem('sfn-playground.work.unreadable')), '{not json');
    }, { waitFor: ready });
  });
});

describe('deploy it on AWS', () => {
  const suite = e2eSuite();

  it('downloads each template and all of them as a zip, copies, and shows the commands', async () => {
    await withApp(suite, 'export', async (page, ctx) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      // The export is prepared once the page has painted.
      await page.waitForSelector('#export-files li');
      const names = await page.$$eval('#export-files li', (lis) => lis.map((li) => li.getAttribute('data-file')));
      assert.ok(names.includes('call-center-functions.yml') && names.includes('call-center.yml'), names.join(', '));
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#export-files li[data-file="call-center.yml"] button:has-text("Download")'),
      ]);
      assert.equal(download.suggestedFilename(), 'call-center.yml');
      const yaml = fs.readFileSync(await download.path(), 'utf8');
      assert.match(yaml, /AWS::StepFunctions::StateMachine/);
      assert.match(yaml, /Engage Tier 2 Support\./);
      const [zip] = await Promise.all([page.waitForEvent('download'), page.click('#download-all')]);
      assert.equal(zip.suggestedFilename(), 'call-center.zip');
      assert.equal(fs.readFileSync(await zip.path()).subarray(0, 2).toString(), 'PK');
      await page.click('#export-files li[data-file="call-center-functions.yml"] button:has-text("Copy")');
      await waitForText(page, '#export-status', /Copied/);
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(copied, /nodejs24\.x/);
      assert.match(await textOf(page, '#export-commands'), /aws cloudformation create-stack --stack-name call-center-functions/);
      assert.match(await textOf(page, '#export-commands'), /start-execution/);
      // One stack instead of two.
      await page.check('#single-stack');
      await page.waitForFunction(() => document.querySelector('#export-files li') && !document.querySelector('#export-files li[data-file="call-center-functions.yml"]'));
      const single = await page.$$eval('#export-files li', (lis) => lis.map((li) => li.getAttribute('data-file')));
      assert.ok(!single.includes('call-center-functions.yml'), single.join(', '));
      await screenshot(page, 'export');
    }, { waitFor: ready });
  });
});
