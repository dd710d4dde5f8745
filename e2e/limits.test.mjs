// AWS's limits in the page, and what the page does when something goes wrong anyway:
// - the 1 KB definition that nests its data 100 levels deeper each turn ends with
//   States.DataLimitExceeded at 1,001 levels (the engine's limit, see crates/asl/src/limits.rs),
//   shown as the run's failure; Reset and Start still work;
// - an input over 256 KiB is refused at Start with StartExecution's message, the text kept;
// - a definition over 1 MB is listed as refused, with CreateStateMachine's message;
// - a paste over 1 MB is refused with a message (a textarea holding megabytes freezes the page);
// - a failure of the app itself shows "Something went wrong" and saves nothing more, so the
//   saved work stays as it was.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { axeViolations, e2eSuite, screenshot, textOf, typeDefinition, waitForApp, waitForText, withApp } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEEP_LOOP = JSON.parse(fs.readFileSync(path.join(ROOT, 'crates/asl/tests/data/deep-loop.asl.json'), 'utf8'));
const WORK_KEY = 'sfn-playground.work';
const INPUT_LIMIT_MESSAGE =
  "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding";

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

async function setInput(page, text) {
  await page.$eval('#execution-input', (el, t) => {
    el.value = t;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

async function runToEnd(page) {
  await page.click('#start');
  await page.click('#run');
  await waitForText(page, '#execution-status', /Succeeded|Failed/, { timeout: 30_000 });
}

describe('limits', () => {
  const suite = e2eSuite();

  it('the deep loop ends with States.DataLimitExceeded, and the page goes on', async () => {
    await withApp(suite, 'limits-deep-loop', async (page) => {
      await typeDefinition(page, DEEP_LOOP, 'Wrap');
      await runToEnd(page);
      assert.equal(await textOf(page, '#execution-status'), 'Failed');
      assert.equal(await textOf(page, '#execution-error'), 'States.DataLimitExceeded');
      assert.match(
        await textOf(page, '#execution-cause'),
        /The state\/task 'Wrap' returned a result nested 1001 levels deep, deeper than the maximum nesting depth of 1000 levels\./,
      );
      assert.equal(await page.$('#crash'), null, 'the app did not fail');
      // The deep payloads are shown on one line each, not as a staircase 900 levels tall.
      const tallest = await page.$$eval('pre', (pres) => Math.max(0, ...pres.map((p) => p.textContent.split('\n').length)));
      assert.ok(tallest < 200, `a <pre> of ${tallest} lines`);
      await screenshot(page, 'limits-deep-loop');
      await page.setViewportSize({ width: 1280, height: 800 });
      await screenshot(page, 'limits-deep-loop-1280');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'limits-deep-loop-390');
      await page.setViewportSize({ width: 1400, height: 900 });
      assert.deepEqual(await axeViolations(page), []);

      // Reset, then the same run again: the page still answers.
      await page.click('#reset');
      await waitForText(page, '#execution-status', 'Not started');
      await runToEnd(page);
      assert.equal(await textOf(page, '#execution-error'), 'States.DataLimitExceeded');
      // Stepping back through the deep events works too.
      await page.click('#step-back');
      await page.click('#step-back');
    }, { waitFor: ready });
  });

  it('an input over 256 KiB is refused at Start with AWS\'s message, and kept', async () => {
    await withApp(suite, 'limits-large-input', async (page) => {
      const large = JSON.stringify({ blob: 'x'.repeat(300 * 1024) });
      await setInput(page, large);
      await page.click('#start');
      await waitForText(page, '#start-problem', INPUT_LIMIT_MESSAGE);
      assert.equal(await textOf(page, '#execution-status'), 'Not started');
      assert.equal(await page.$eval('#execution-input', (el) => el.value.length), large.length);
      await screenshot(page, 'limits-large-input');
      // A smaller input starts.
      await setInput(page, '{"inputCaseID":"001"}');
      await page.click('#start');
      await waitForText(page, '#execution-status', /Running|Succeeded|Failed/);
      assert.equal(await page.$('#start-problem'), null);
    }, { waitFor: ready });
  });

  it('a paste over 1 MB is refused with a message, the text left as it was', async () => {
    await withApp(suite, 'limits-big-paste', async (page) => {
      const paste = (text) =>
        page.$eval('#execution-input', (el, t) => {
          const clipboardData = new DataTransfer();
          clipboardData.setData('text/plain', t);
          const event = new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true });
          el.dispatchEvent(event);
          return event.defaultPrevented;
        }, text);
      const before = await page.$eval('#execution-input', (el) => el.value);
      const big = JSON.stringify({ blob: 'x'.repeat(6_500_000) });
      assert.equal(await paste(big), true, 'the browser is told not to paste it');
      await waitForText(page, '.paste-refused', /^Not pasted: the text is 6\.2 MB\. AWS accepts at most 1 MB/);
      assert.equal(await page.$eval('#execution-input', (el) => el.value), before);
      await screenshot(page, 'limits-big-paste');
      assert.deepEqual(await axeViolations(page), []);
      // A paste AWS could take goes in as usual, and the message goes with the next edit.
      assert.equal(await paste('{"inputCaseID": "002"}'), false);
      await setInput(page, '{"inputCaseID": "002"}');
      await page.waitForSelector('.paste-refused', { state: 'detached', timeout: 5_000 });
    }, { waitFor: ready });
  });

  it('a definition over 1 MB is refused with AWS\'s message, and Start with it', async () => {
    await withApp(suite, 'limits-large-definition', async (page) => {
      const text = JSON.stringify(DEEP_LOOP) + ' '.repeat(1_048_576);
      await page.$eval('#definition', (el, t) => {
        el.value = t;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, text);
      await waitForText(
        page,
        '#definition-problems',
        /1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have size less than or equal to 1048576 bytes in UTF-8 encoding/,
      );
      await page.click('#start');
      await waitForText(page, '#start-problem', /The definition has 1 problem/);
      assert.equal(await page.$eval('#definition', (el) => el.value.length), text.length);
    }, { waitFor: ready });
  });

  it('when the app fails, it says so and keeps the saved work as it was', async () => {
    await withApp(suite, 'limits-crash', async (page, { errors }) => {
      await setInput(page, '{"inputCaseID":"saved"}');
      await page.waitForFunction((key) => localStorage.getItem(key)?.includes('saved'), WORK_KEY);
      const saved = await page.evaluate((key) => localStorage.getItem(key), WORK_KEY);
      // Anything that escapes the app (here thrown from outside it) counts as a failure.
      await page.evaluate(() => setTimeout(() => { throw new RangeError('Maximum call stack size exceeded'); }));
      await page.waitForSelector('#crash');
      assert.equal(
        await textOf(page, '#crash p'),
        'Something went wrong: Maximum call stack size exceeded',
      );
      await screenshot(page, 'limits-crash');
      // The page may be in any state now: nothing it does is saved.
      await setInput(page, '{"inputCaseID":"after"}');
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
      assert.equal(await page.evaluate((key) => localStorage.getItem(key), WORK_KEY), saved);
      assert.deepEqual(await axeViolations(page), []);
      // The expected reports, and nothing else.
      const expected = [
        'console.error: Something went wrong: Maximum call stack size exceeded',
        /^uncaught exception: RangeError: Maximum call stack size exceeded/,
      ];
      for (const want of expected) {
        const i = errors.findIndex((e) => (typeof want === 'string' ? e === want : want.test(e)));
        assert.ok(i >= 0, `expected ${want} among ${JSON.stringify(errors)}`);
        errors.splice(i, 1);
      }
      // Reloading brings the saved work back.
      await Promise.all([page.waitForEvent('load'), page.click('#crash-reload')]);
      await ready(page);
      assert.equal(await page.$('#crash'), null);
      assert.match(await page.$eval('#execution-input', (el) => el.value), /saved/);
    }, { waitFor: ready });
  });
});
