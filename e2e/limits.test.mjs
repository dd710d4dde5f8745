// AWS's limits in the page, and what the page does when something goes wrong anyway:
// - the 1 KB definition that nests its data 100 levels deeper each turn ends with
//   States.DataLimitExceeded at 1,001 levels (the engine's limit, see crates/asl/src/limits.rs),
//   shown as the run's failure; Reset and Start still work;
// - an input over 256 KiB is refused at Start with StartExecution's message, the text kept;
// - a definition over 1 MB is listed as refused, with CreateStateMachine's message;
// - a paste, a drop or a file opened that would make an editor's text over 1 MB is refused with
//   one message (a textarea holding megabytes freezes the page), the text left as it was and
//   nothing saved over it; a file is refused by its size, before it is read; a share link
//   carrying such a text does not open (and is not made);
// - a failure of the app itself shows "Something went wrong" and saves nothing more, so the
//   saved work stays as it was.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
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
      await waitForText(page, '.text-refused', /^Not pasted: the text would be 6\.2 MB\. AWS accepts at most 1 MB/);
      assert.equal(await page.$eval('#execution-input', (el) => el.value), before);
      await screenshot(page, 'limits-big-paste');
      assert.deepEqual(await axeViolations(page), []);
      // A paste AWS could take goes in as usual, and the message goes with the next edit.
      assert.equal(await paste('{"inputCaseID": "002"}'), false);
      await setInput(page, '{"inputCaseID": "002"}');
      await page.waitForSelector('.text-refused', { state: 'detached', timeout: 5_000 });
    }, { waitFor: ready });
  });

  it('Open file… with a 6 MB file is refused before it is read, the text left as it was', async () => {
    await withApp(suite, 'limits-big-file', async (page) => {
      // 6 MB of JSON, as a definition or a MockConfigFile might be.
      const big = Buffer.from(JSON.stringify({ Comment: 'BIG-FILE', blob: 'x'.repeat(6_000_000) }));
      for (const [input, editor] of [['#definition-file', '#definition'], ['#mocks-file', '#mocks-editor']]) {
        const before = await page.$eval(editor, (el) => el.value);
        await page.setInputFiles(input, { name: 'big.json', mimeType: 'application/json', buffer: big });
        const panel = page.locator('section.panel', { has: page.locator(editor) });
        await waitForText(page, `section:has(${editor}) .text-refused`, /^Not opened: the text would be 5\.7 MB\. AWS accepts at most 1 MB for a definition and 256 KiB for an execution input/);
        assert.equal(await page.$eval(editor, (el) => el.value), before, `${editor} unchanged`);
        // The page answers at once (a 6 MB textarea took it seconds to lay out).
        const answered = await page.evaluate(() => {
          const t = performance.now();
          return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t))));
        });
        assert.ok(answered < 500, `the page answered in ${answered} ms`);
        assert.ok(await panel.isVisible());
      }
      await page.evaluate(() => new Promise((r) => setTimeout(r, 800)));
      assert.ok(!(await page.evaluate((key) => localStorage.getItem(key) ?? '', WORK_KEY)).includes('BIG-FILE'), 'nothing saved over the work');
      assert.deepEqual(await axeViolations(page), []);
      for (const [width, height] of [[1280, 800], [390, 844]]) {
        await page.setViewportSize({ width, height });
        await page.locator('section:has(#definition) .text-refused').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(ROOT, 'target', 'screenshots', `limits-big-file-${width}.png`) });
      }
      // A file AWS could take opens as before, and the message goes.
      const small = { Comment: 'small file', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
      await page.setInputFiles('#definition-file', { name: 'small.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(small)) });
      await page.waitForFunction(() => document.querySelector('#definition').value.includes('small file'));
      await page.waitForSelector('section:has(#definition) .text-refused', { state: 'detached', timeout: 5_000 });
    }, { waitFor: ready });
  });

  it('a drop of 6 MB of text (or of a 6 MB file) is refused, the text left as it was', async () => {
    await withApp(suite, 'limits-big-drop', async (page) => {
      const drop = (selector, text, file) =>
        page.$eval(selector, (el, [t, f]) => {
          const dataTransfer = new DataTransfer();
          if (f) dataTransfer.items.add(new File([f.text], f.name, { type: 'application/json' }));
          else dataTransfer.setData('text/plain', t);
          const event = new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true });
          el.dispatchEvent(event);
          return event.defaultPrevented;
        }, [text, file]);
      const before = await page.$eval('#execution-input', (el) => el.value);
      const big = JSON.stringify({ blob: 'x'.repeat(6_500_000) });
      assert.equal(await drop('#execution-input', big), true, 'the browser is told not to insert it');
      await waitForText(page, 'section:has(#execution-input) .text-refused', /^Not dropped: the text would be 6\.2 MB\. AWS accepts at most 1 MB/);
      assert.equal(await page.$eval('#execution-input', (el) => el.value), before);
      const answered = await page.evaluate(() => {
        const t = performance.now();
        return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t))));
      });
      assert.ok(answered < 500, `the page answered in ${answered} ms`);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('section:has(#execution-input) .text-refused').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ROOT, 'target', 'screenshots', 'limits-big-drop-390.png') });
      await page.setViewportSize({ width: 1400, height: 900 });
      // Small text dropped goes in as the browser drops it (a synthetic drop inserts nothing).
      assert.equal(await drop('#execution-input', '{"inputCaseID": "dropped"}'), false);

      // A file dropped on the definition: refused by its size, or else it replaces the text,
      // as Open file… does (the browser would otherwise leave the page to show it).
      const definition = await page.$eval('#definition', (el) => el.value);
      assert.equal(await drop('#definition', null, { name: 'big.json', text: big }), true);
      await waitForText(page, 'section:has(#definition) .text-refused', /^Not opened: the text would be 6\.2 MB/);
      assert.equal(await page.$eval('#definition', (el) => el.value), definition);
      const small = JSON.stringify({ Comment: 'dropped file', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      assert.equal(await drop('#definition', null, { name: 'small.json', text: small }), true);
      await page.waitForFunction(() => document.querySelector('#definition').value.includes('dropped file'));
      await page.waitForSelector('section:has(#definition) .text-refused', { state: 'detached', timeout: 5_000 });
      assert.ok(!(await page.evaluate((key) => localStorage.getItem(key) ?? '', WORK_KEY)).includes('xxxxxxxx'), 'nothing saved over the work');
    }, { waitFor: ready });
  });

  it('a link carrying a 2 MB input is not opened: it says why, and the saved work is shown', async () => {
    await withApp(suite, 'limits-big-link', async (page) => {
      const saved = await page.$eval('#execution-input', (el) => el.value);
      // Compresses well, so the link is short: only its text is too big.
      const input = JSON.stringify({ inputCaseID: '001', blob: 'x'.repeat(2_000_000) });
      const data = zlib.deflateRawSync(JSON.stringify({ example: 'wait', input })).toString('base64url');
      const base = page.url().split('#')[0];
      await page.goto('about:blank');
      await page.goto(`${base}#v1.${data}`);
      await ready(page);
      await waitForText(page, '#link-notice', /could not be opened: its input is 1\.9 MB, more than an editor takes \(at most 1 MB: AWS accepts at most 1 MB for a definition and 256 KiB for an execution input\)/);
      assert.equal(await page.$eval('#execution-input', (el) => el.value), saved);
      for (const [width, height] of [[1280, 800], [390, 844]]) {
        await page.setViewportSize({ width, height });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(ROOT, 'target', 'screenshots', `limits-big-link-${width}.png`) });
      }
      assert.deepEqual(await axeViolations(page), []);
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
      // Longer than the save's wait for a pause (SAVE_DEBOUNCE_MS in src/saved.rs).
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 600)));
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
