// End-to-end tests of workshop mode: the guided panel through the tutorial's steps, its
// "Do it for me" buttons, the progress kept in localStorage, the #workshop=N deep links, the
// Copy buttons, both screen sizes, the keyboard and an accessibility audit (axe-core).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SCREENSHOTS, axeViolations, e2eSuite, screenshot, textOf, waitForApp, waitForText, withApp } from './helpers.mjs';

const KEY = 'sfn-playground.workshop.done';
const ENDED = /^(Succeeded|Failed|Timed out|Aborted)$/;
const TITLES = [
  'What you are building',
  'The Lambda functions',
  'The state machine',
  'Start an execution',
  "Observe each state's input and output",
  'When the case is not resolved',
  'Clean up',
];

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
  await page.waitForSelector('#workshop-toggle', { timeout: 5_000 });
}

/** Waits until the panel shows step `n` (1-based). */
async function atStep(page, n) {
  await waitForText(page, '#workshop-step-number', `Step ${n} of 7`);
  assert.equal(await textOf(page, '#workshop-step-title'), TITLES[n - 1]);
}

/** Saves what the window shows (not the full page): the panel is fixed beside a wide page. */
async function windowShot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

async function openPanel(page) {
  await page.click('#workshop-toggle');
  await page.waitForSelector('section#workshop');
}

/** Whether any part of the element is outside the viewport's width (it would need side-scrolling). */
async function overflowsSideways(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return r.left < -1 || r.right > document.documentElement.clientWidth + 1;
  });
}

describe('workshop', () => {
  const suite = e2eSuite();

  it('opens from the toggle and walks every step with Next and Back', async () => {
    await withApp(suite, 'workshop-walk', async (page) => {
      assert.equal(await page.$('section#workshop'), null, 'closed at first');
      assert.equal(await page.getAttribute('#workshop-toggle', 'aria-expanded'), 'false');
      await openPanel(page);
      assert.equal(await page.getAttribute('#workshop-toggle', 'aria-expanded'), 'true');
      assert.equal(await textOf(page, '#workshop-heading'), 'Workshop: the call-center tutorial');
      await atStep(page, 1);
      assert.equal(await textOf(page, '#workshop-progress'), '0 of 7 done');
      assert.ok(await page.isDisabled('#workshop-back'), 'no Back on step 1');
      await page.setViewportSize({ width: 1280, height: 800 });
      await screenshot(page, 'workshop-1280');
      await windowShot(page, 'workshop-1280-window');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'workshop-390');
      await windowShot(page, 'workshop-390-window');
      assert.equal(await overflowsSideways(page, 'section#workshop'), false, 'the panel fits a phone');
      await page.setViewportSize({ width: 1280, height: 800 });
      const seen = [];
      for (let n = 1; n <= 7; n += 1) {
        await atStep(page, n);
        seen.push(await textOf(page, '#workshop-step-title'));
        // Every step has commands in <pre><code>, each with a Copy button, and a Mark done box.
        const commands = await page.$$eval('#workshop pre code', (els) => els.map((e) => e.textContent));
        assert.ok(commands.length >= 1 && commands.every((c) => c.startsWith('aws ')), `step ${n}: ${commands}`);
        assert.equal((await page.$$('#workshop .command-row button.copy')).length, commands.length);
        assert.ok(await page.$('#workshop-done'));
        if (n < 7) await page.click('#workshop-next');
      }
      assert.deepEqual(seen, TITLES);
      assert.ok(await page.isDisabled('#workshop-next'), 'no Next on the last step');
      const all = await page.evaluate(() => document.querySelector('#workshop').textContent);
      assert.match(all, /aws cloudformation delete-stack --stack-name call-center-functions/);
      await page.click('#workshop-back');
      await atStep(page, 6);
      // The step list jumps anywhere.
      await page.click('#workshop .workshop-steps li:nth-child(2) button');
      await atStep(page, 2);
      assert.equal(await page.getAttribute('#workshop .workshop-steps li:nth-child(2) button', 'aria-current'), 'step');
      assert.match(await textOf(page, '#workshop'), /--capabilities CAPABILITY_IAM/);
      await page.click('#workshop-toggle');
      await page.waitForSelector('section#workshop', { state: 'detached' });
      assert.equal(await page.getAttribute('#workshop-toggle', 'aria-expanded'), 'false');
    }, { waitFor: ready });
  });

  it('"Do it for me" starts case 001, selects Work on Case, and runs the unresolved path', { timeout: 120_000 }, async () => {
    await withApp(suite, 'workshop-do-it', async (page) => {
      // Start from another example and an input without a case: "Do it for me" fixes both.
      await page.selectOption('#example', 'map');
      await openPanel(page);
      await page.click('#workshop .workshop-steps li:nth-child(4) button');
      await atStep(page, 4);
      assert.match(await textOf(page, '.workshop-note'), /this step is about the tutorial/);
      await page.click('#workshop-do-4');
      await waitForText(page, '#execution-status', 'Running');
      assert.equal(await page.$eval('#example', (s) => s.value), 'tutorial');
      assert.equal(await page.$eval('#case-id', (i) => i.value), '001');
      assert.equal(await page.$('.workshop-note'), null, 'the tutorial is loaded');
      await page.click('#workshop-run');
      await waitForText(page, '#execution-status', ENDED, { timeout: 60_000 });
      assert.ok((await page.$$('table#event-history tbody tr')).length > 10, 'the execution ran');
      const openCase = await page.getAttribute('svg#state-graph g.state-node[data-state="Open Case"]', 'data-status');
      assert.equal(openCase, 'succeeded');
      await page.setViewportSize({ width: 1280, height: 800 });
      await screenshot(page, 'workshop-step4-1280');
      await windowShot(page, 'workshop-step4-1280-window');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'workshop-step4-390');
      await page.evaluate(() => document.querySelector('#workshop-do-4').scrollIntoView());
      await windowShot(page, 'workshop-step4-390-window');
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.click('#workshop-next');
      await atStep(page, 5);
      await page.click('#workshop-select-work-on-case');
      await waitForText(page, '#details-heading', 'Step details (Work on Case)');
      assert.match(await textOf(page, '#step-input'), /Case 001: opened\.\.\.assigned\.\.\./);
      assert.match(await textOf(page, '#step-output'), /"Status": [01]/);

      await page.click('#workshop-next');
      await atStep(page, 6);
      await page.click('#workshop-do-6');
      await waitForText(page, '#execution-status', 'Failed', { timeout: 60_000 });
      assert.equal(await page.$eval('#work-outcome', (s) => s.value), 'unresolved');
      assert.equal(await textOf(page, '#execution-cause'), 'Engage Tier 2 Support.');
      const status = (s) => page.getAttribute(`svg#state-graph g.state-node[data-state="${s}"]`, 'data-status');
      assert.equal(await status('Escalate Case'), 'succeeded');
      assert.equal(await status('Fail'), 'failed');
      assert.equal(await status('Close Case'), 'not-run');
      await page.click('#workshop-select-escalate-case');
      await waitForText(page, '#details-heading', 'Step details (Escalate Case)');
      assert.match(await textOf(page, '#step-output'), /escalating\./);
      await screenshot(page, 'workshop-step6-1280');
      await page.click('#workshop-random');
      assert.equal(await page.$eval('#work-outcome', (s) => s.value), 'random');

      await page.click('#workshop-next');
      await atStep(page, 7);
      await page.click('#workshop-reset');
      await waitForText(page, '#execution-status', 'Not started');
    }, { waitFor: ready });
  });

  it('keeps Mark done across a reload, and resumes at the first step not done', async () => {
    await withApp(suite, 'workshop-progress', async (page) => {
      await openPanel(page);
      await atStep(page, 1);
      await page.check('#workshop-done');
      await waitForText(page, '#workshop-progress', '1 of 7 done');
      assert.equal(await page.$eval('#workshop-progress-bar', (p) => p.value), 1);
      await page.click('#workshop-next');
      await page.click('#workshop-next');
      await atStep(page, 3);
      assert.equal(await page.isChecked('#workshop-done'), false);
      await page.check('#workshop-done');
      await waitForText(page, '#workshop-progress', '2 of 7 done');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), '[1,3]');
      assert.match(await textOf(page, '.workshop-steps li:nth-child(3)'), /\(done\)/);

      await page.reload({ waitUntil: 'load' });
      await ready(page);
      assert.match(await textOf(page, '.workshop-bar'), /2 of 7 done/);
      await openPanel(page);
      await atStep(page, 2);
      assert.equal(await textOf(page, '#workshop-progress'), '2 of 7 done');
      await page.click('#workshop-back');
      await atStep(page, 1);
      assert.equal(await page.isChecked('#workshop-done'), true);
      await page.uncheck('#workshop-done');
      await waitForText(page, '#workshop-progress', '1 of 7 done');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), '[3]');
    }, { waitFor: ready });
  });

  it('#workshop=5 opens step 5; other fragments are left alone', async () => {
    await withApp(suite, 'workshop-deep-link', async (page) => {
      await page.goto(`${suite.server.url}#workshop=5`, { waitUntil: 'load' });
      await ready(page);
      await page.waitForSelector('section#workshop');
      await atStep(page, 5);
      assert.equal(await page.getAttribute('#workshop-toggle', 'aria-expanded'), 'true');
      // The fragment changing in the same page opens that step too.
      await page.evaluate(() => { location.hash = '#workshop=3'; });
      await atStep(page, 3);

      for (const hash of ['#workshop=9', '#workshop=05', '#workshop=0', '#something-else']) {
        await page.goto(`${suite.server.url}${hash}`, { waitUntil: 'load' });
        await page.reload({ waitUntil: 'load' });
        await ready(page);
        await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
        assert.equal(await page.$('section#workshop'), null, `${hash} opens nothing`);
        assert.equal(await page.evaluate(() => location.hash), hash, `${hash} is left as it is`);
      }
    }, { waitFor: ready });
  });

  it('a corrupt or odd localStorage value does not break the page', async () => {
    await withApp(suite, 'workshop-corrupt', async (page) => {
      for (const [value, done] of [
        ['{not json', '0 of 7 done'],
        ['{"1": true}', '0 of 7 done'],
        ['null', '0 of 7 done'],
        ['[2, "x", 99, -1, 2.5, null, 4]', '2 of 7 done'],
      ]) {
        await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, value]);
        await page.reload({ waitUntil: 'load' });
        await ready(page);
        await openPanel(page);
        await waitForText(page, '#workshop-progress', done);
        assert.ok(await page.$('svg#state-graph g.state-node[data-state="Open Case"]'), 'the page still works');
      }
      // Marking a step done writes a clean value over the odd one.
      await page.check('#workshop-done');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), '[1,2,4]');
    }, { waitFor: ready });
  });

  it('copies commands and the step link; says how to copy by hand when the clipboard refuses', async () => {
    await withApp(suite, 'workshop-copy', async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(suite.server.url).origin });
      await openPanel(page);
      await page.click('#workshop-next');
      await atStep(page, 2);
      const command = await textOf(page, '#workshop-command-2-0');
      assert.equal(command, 'aws cloudformation create-stack --stack-name call-center-functions --template-body file://call-center-functions.yml --capabilities CAPABILITY_IAM');
      await page.click('#workshop .workshop-command:first-child button.copy');
      await waitForText(page, '#workshop-status', 'Copied command 1.');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), command);
      await page.click('#workshop-link');
      await waitForText(page, '#workshop-status', 'Link copied.');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${suite.server.url}#workshop=2`);

      // A clipboard that refuses: the text is selected and the page says so.
      await page.evaluate(() => {
        navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      });
      await page.click('#workshop .workshop-command:nth-child(3) button.copy');
      await waitForText(page, '#workshop-status', 'Select the text and copy it.');
      await page.waitForFunction(() => String(getSelection()) === 'aws lambda list-functions');
      await page.click('#workshop-link');
      await waitForText(page, '#workshop-status', 'Select the text and copy it.');
      await waitForText(page, '#workshop-link-text', `${suite.server.url}#workshop=2`);
      await page.waitForFunction((want) => String(getSelection()) === want, `${suite.server.url}#workshop=2`);
      // No clipboard at all (plain http on a LAN): no error either.
      await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
      await page.click('#workshop .workshop-command:first-child button.copy');
      await waitForText(page, '#workshop-status', /^(Copied command 1\.|Select the text and copy it\.)$/);
    }, { waitFor: ready });
  });

  it('is keyboard operable and has no serious accessibility violations at both sizes', async () => {
    await withApp(suite, 'workshop-a11y', async (page) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.focus('#workshop-toggle');
      await page.keyboard.press('Enter');
      await page.waitForSelector('section#workshop');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'workshop-step-title', 'focus moves to the step');
      await page.focus('#workshop-next');
      await page.keyboard.press('Enter');
      await atStep(page, 2);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'workshop-step-title');
      await page.focus('#workshop-done');
      await page.keyboard.press('Space');
      await waitForText(page, '#workshop-progress', '1 of 7 done');
      // A visible focus ring on the buttons.
      await page.focus('#workshop-next');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const outline = await page.$eval('#workshop-next', (el) => getComputedStyle(el).outlineStyle);
      assert.notEqual(outline, 'none');
      assert.deepEqual(await axeViolations(page), [], 'at 1280×800');
      await page.setViewportSize({ width: 390, height: 844 });
      assert.deepEqual(await axeViolations(page), [], 'at 390×844');
      // Escape closes the panel and gives the focus back to the toggle.
      await page.focus('#workshop-next');
      await page.keyboard.press('Escape');
      await page.waitForSelector('section#workshop', { state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'workshop-toggle');
    }, { waitFor: ready });
  });
});
