// End-to-end tests of saved work (issue 11): a browser whose storage is full or refuses, a
// reload within the definition's debounce, corrupted saved work and saved work from a newer
// version, two tabs of the playground at once, a share link too large to open, and the
// workshop step a link names. Every notice is shown at 1280×800 and 390×844 and audited by
// axe-core.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SCREENSHOTS, axeViolations, collectErrors, assertNoErrors, e2eSuite, textOf, waitForApp, waitForText, withApp, TIMEOUTS } from './helpers.mjs';

const WORK = 'sfn-playground.work';

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

/** Types `text` at the end of the execution input, key by key, as a person does. */
async function typeIntoInput(page, text) {
  await page.focus('#execution-input');
  await page.$eval('#execution-input', (el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.keyboard.type(text);
}

/** Sets a textarea's whole text with one input event (a paste). */
async function paste(page, selector, text) {
  await page.$eval(
    selector,
    (el, value) => {
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

/** The downloaded file's bytes, as text (the zip is stored, not compressed: its files are readable). */
async function downloaded(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'latin1') };
}

/** Screenshots of the page as it is at both sizes, and axe-core on each. */
async function lookAt(page, name) {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    await page.evaluate(() => window.scrollTo(0, 0));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`) });
    assert.deepEqual(await axeViolations(page), [], `${name} at ${width}×${height}`);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

/** Makes localStorage refuse any value longer than `window.__quota` characters, as a full one does. */
const FULL_STORAGE = () => {
  const setItem = Storage.prototype.setItem;
  window.__quota = Infinity;
  Storage.prototype.setItem = function (key, value) {
    if (String(value).length > window.__quota) {
      throw new DOMException("Failed to execute 'setItem' on 'Storage': Setting the value of '" + key + "' exceeded the quota.", 'QuotaExceededError');
    }
    return setItem.call(this, key, value);
  };
};

describe('saved work', () => {
  const suite = e2eSuite();

  it('storage full: the person is told, can download the work, and a reload says what was lost', async () => {
    await withApp(suite, 'saved-storage-full', async (page) => {
      await page.addInitScript(FULL_STORAGE);
      await page.reload();
      await ready(page);
      await typeIntoInput(page, ' ');
      await page.waitForFunction((k) => localStorage.getItem(k)?.includes('inputCaseID'), WORK);
      assert.equal(await page.$('#save-notice'), null, 'no notice while saving works');
      // From now on the work no longer fits (small values still do).
      await page.evaluate(() => { window.__quota = 60; });
      await page.$eval('#execution-input', (el) => el.setSelectionRange(1, 1));
      await page.keyboard.type('"typed": "after the storage filled",');
      await page.waitForSelector('#save-notice');
      assert.match(await textOf(page, '#save-notice'), /Your work could not be saved in this browser: .*quota/);
      // What was typed stays on the page, and downloads.
      assert.match(await page.$eval('#execution-input', (el) => el.value), /after the storage filled/);
      const file = await downloaded(page, '#download-work');
      assert.equal(file.name, 'sfn-playground-work.zip');
      assert.match(file.text, /^PK/);
      assert.match(file.text, /after the storage filled/, 'the input as typed');
      assert.match(file.text, /Open Case/, 'the definition');
      assert.ok(!(await page.evaluate((k) => localStorage.getItem(k), WORK)).includes('after the storage'), 'nothing partial was saved');
      await lookAt(page, 'saved-storage-full');
      // A reload (the browser asks first: the work is not saved) says the saved copy is older.
      page.on('dialog', (dialog) => dialog.accept());
      await page.reload();
      await ready(page);
      await page.waitForSelector('#save-notice');
      assert.match(await textOf(page, '#save-notice'), /last changes could not be saved/);
      assert.doesNotMatch(await page.$eval('#execution-input', (el) => el.value), /after the storage/);
      // It is said once.
      await page.click('#save-notice button:has-text("OK")');
      await page.waitForFunction(() => !document.querySelector('#save-notice'));
      await page.reload();
      await ready(page);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
      assert.equal(await page.$('#save-notice'), null);
    }, { waitFor: ready });
  });

  it('a 5 MB input that the browser cannot keep is announced, and kept on the page', async () => {
    await withApp(suite, 'saved-huge-input', async (page) => {
      const huge = JSON.stringify({ inputCaseID: '001', blob: 'x'.repeat(5_500_000) });
      await paste(page, '#execution-input', huge);
      await page.waitForSelector('#save-notice', { timeout: 30_000 });
      assert.match(await textOf(page, '#save-notice'), /Your work could not be saved in this browser/);
      assert.equal((await page.$eval('#execution-input', (el) => el.value)).length, huge.length);
      assert.ok(!(await page.evaluate((k) => localStorage.getItem(k) ?? '', WORK)).includes('xxxxxxxx'), 'no cut copy');
    }, { waitFor: ready });
  });

  it('reloading within 300 ms of typing in the definition keeps what was typed', async () => {
    await withApp(suite, 'saved-reload-debounce', async (page) => {
      const definition = await page.$eval('#definition', (el) => el.value);
      const edited = definition.replace('"Open Case"', '"Open The Case"');
      assert.notEqual(edited, definition);
      await page.focus('#definition');
      await paste(page, '#definition', edited);
      await page.reload();
      await ready(page);
      assert.equal(await page.$eval('#definition', (el) => el.value), edited);
    }, { waitFor: ready });
  });

  it('typing is saved once it pauses, not on every keystroke, and a reload 50 ms after typing keeps it', async () => {
    await withApp(suite, 'saved-typing-pause', async (page) => {
      // Counts the work's writes to localStorage.
      await page.addInitScript((key) => {
        window.__writes = 0;
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (k, v) {
          if (k === key) window.__writes += 1;
          return setItem.call(this, k, v);
        };
      }, WORK);
      await page.reload();
      await ready(page);
      await page.waitForFunction((k) => localStorage.getItem(k)?.includes('inputCaseID'), WORK);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 600)));
      await page.evaluate(() => { window.__writes = 0; });
      await page.focus('#execution-input');
      await page.$eval('#execution-input', (el) => el.setSelectionRange(1, 1));
      // Twelve keys, 20 ms apart: no pause long enough to save between them.
      await page.keyboard.type('"typed": 12,', { delay: 20 });
      await page.waitForFunction((k) => localStorage.getItem(k)?.includes('typed'), WORK);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 600)));
      const writes = await page.evaluate(() => window.__writes);
      assert.ok(writes >= 1 && writes <= 2, `twelve keystrokes wrote the work ${writes} times`);
      // Keys typed 50 ms before a reload (within the pause): saved as the page is left.
      await page.keyboard.type('"late": 3,');
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      await page.reload();
      await ready(page);
      assert.match(await page.$eval('#execution-input', (el) => el.value), /^\{"typed": 12,"late": 3,/);
    }, { waitFor: ready });
  });

  it('corrupted saved work is kept, each copy under its own key, listed to download or delete', async () => {
    await withApp(suite, 'saved-corrupt', async (page) => {
      await page.evaluate((k) => localStorage.setItem(k, '{first corruption'), WORK);
      await page.reload();
      await ready(page);
      await page.waitForSelector('#unreadable-notice');
      assert.match(await textOf(page, '#unreadable-notice'), /Your saved work could not be read/);
      assert.equal(await page.evaluate((k) => localStorage.getItem(`${k}.unreadable`), WORK), '{first corruption');
      const file = await downloaded(page, '#download-unreadable');
      assert.equal(file.text, '{first corruption');
      await lookAt(page, 'saved-unreadable');

      await page.evaluate((k) => localStorage.setItem(k, '{second corruption'), WORK);
      await page.reload();
      await ready(page);
      await page.waitForSelector('#unreadable-notice');
      assert.equal(await page.evaluate((k) => localStorage.getItem(`${k}.unreadable`), WORK), '{first corruption', 'the first copy is not overwritten');
      const kept = await page.evaluate((k) => Object.keys(localStorage).filter((key) => key.startsWith(`${k}.unreadable`)).sort(), WORK);
      assert.deepEqual(kept, [`${WORK}.unreadable`, `${WORK}.unreadable.2`]);
      assert.equal(await page.evaluate((k) => localStorage.getItem(`${k}.unreadable.2`), WORK), '{second corruption');
      assert.match(await textOf(page, '#unreadable-notice'), /sfn-playground\.work\.unreadable\.2/);

      // Every copy kept so far is listed, each to download or delete.
      const listed = () => page.$$eval('#kept-copies li code', (codes) => codes.map((c) => c.textContent));
      assert.deepEqual(await listed(), [`${WORK}.unreadable`, `${WORK}.unreadable.2`]);
      assert.match(await textOf(page, '#kept-copies li:first-child'), /17 characters/);
      const first = await downloaded(page, `#kept-copies button[aria-label="Download ${WORK}.unreadable"]`);
      assert.equal(first.text, '{first corruption');
      await lookAt(page, 'saved-kept-copies');
      await page.click(`#kept-copies button[aria-label="Delete ${WORK}.unreadable.2"]`);
      await page.waitForFunction(() => document.querySelectorAll('#kept-copies li').length === 1);
      assert.deepEqual(await listed(), [`${WORK}.unreadable`]);
      assert.equal(await page.evaluate((k) => localStorage.getItem(`${k}.unreadable.2`), WORK), null);
      assert.equal(await page.evaluate((k) => localStorage.getItem(`${k}.unreadable`), WORK), '{first corruption');
      await page.click(`#kept-copies button[aria-label="Delete ${WORK}.unreadable"]`);
      await page.waitForSelector('#kept-copies', { state: 'detached' });
      assert.equal(await page.evaluate((k) => localStorage.getItem(`${k}.unreadable`), WORK), null);
    }, { waitFor: ready });
  });

  it('saved work from a newer version: the person is told, the page opens, the text is kept', async () => {
    await withApp(suite, 'saved-newer', async (page) => {
      const newer = JSON.stringify({ version: 99, example: 'wait', theme: 'dark' });
      await page.evaluate(([k, v]) => localStorage.setItem(k, v), [WORK, newer]);
      await page.reload();
      await ready(page);
      await page.waitForSelector('#unreadable-notice');
      assert.match(await textOf(page, '#unreadable-notice'), /newer version of the playground/);
      assert.equal(await page.$$eval('svg#state-graph g.state-node', (n) => n.length), 7, 'the page opens');
      const keptKey = await page.evaluate((v) => Object.keys(localStorage).find((k) => localStorage.getItem(k) === v), newer);
      assert.ok(keptKey, 'the newer work is kept somewhere');
      const file = await downloaded(page, '#download-unreadable');
      assert.equal(file.text, newer);
      await page.click('#unreadable-notice button:has-text("OK")');
      await page.waitForFunction(() => !document.querySelector('#unreadable-notice'));
    }, { waitFor: ready });
  });

  it('two tabs: the other tab\'s save is noticed, never silently overwritten, and the person chooses', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const first = await context.newPage();
      const firstErrors = await collectErrors(first);
      first.setDefaultTimeout(TIMEOUTS.action);
      await first.goto(suite.server.url);
      await ready(first);
      await first.selectOption('#example', 'wait');
      await first.waitForFunction((k) => JSON.parse(localStorage.getItem(k) ?? '{}').example === 'wait', WORK);

      const second = await context.newPage();
      const secondErrors = await collectErrors(second);
      second.setDefaultTimeout(TIMEOUTS.action);
      await second.goto(suite.server.url);
      await ready(second);
      assert.equal(await second.$eval('#example', (el) => el.value), 'wait', 'the second tab opens the saved work');
      await second.selectOption('#example', 'parallel');
      await second.waitForFunction((k) => JSON.parse(localStorage.getItem(k) ?? '{}').example === 'parallel', WORK);

      // The first tab learns of it at once, and its own edits do not overwrite it.
      await first.waitForSelector('#other-tab-notice');
      assert.match(await textOf(first, '#other-tab-notice'), /another tab/i);
      await first.fill('#seed', '9');
      await first.dispatchEvent('#seed', 'change');
      await first.evaluate(() => new Promise((r) => setTimeout(r, 600)));
      assert.equal(await first.evaluate((k) => JSON.parse(localStorage.getItem(k)).example, WORK), 'parallel', 'not overwritten');
      await lookAt(first, 'saved-other-tab');

      // Load theirs: the first tab shows the second's work.
      await first.click('#load-other-tab');
      await first.waitForFunction(() => document.querySelector('#example').value === 'parallel');
      assert.equal(await first.$('#other-tab-notice'), null);

      // Keep mine: the second tab's stale work replaces the first's only when chosen.
      await first.selectOption('#example', 'map');
      await second.waitForSelector('#other-tab-notice');
      await second.click('#keep-this-tab');
      await second.waitForFunction((k) => JSON.parse(localStorage.getItem(k)).example === 'parallel', WORK);
      await first.waitForSelector('#other-tab-notice');
      assertNoErrors(firstErrors);
      assertNoErrors(secondErrors);
    } finally {
      await context.close();
    }
  });
});

describe('share links and workshop links', () => {
  const suite = e2eSuite();

  it('a playground too large for a link is refused when the link is made, and offers the file', async () => {
    await withApp(suite, 'share-too-large', async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      const big = JSON.stringify({ inputCaseID: '001', blob: 'ab'.repeat(2_250_000) });
      await paste(page, '#execution-input', big);
      await page.click('#share');
      await page.waitForSelector('#share-status', { timeout: 30_000 });
      const status = await textOf(page, '#share-status');
      assert.doesNotMatch(status, /Copied/);
      assert.match(status, /too large for a link/);
      assert.match(status, /4 MB/);
      assert.equal(await page.$('#share-link'), null, 'no link that cannot open');
      const file = await downloaded(page, '#share-download');
      assert.equal(file.name, 'sfn-playground-work.zip');
      await lookAt(page, 'share-too-large');
    }, { waitFor: ready });
  });

  it('#workshop=3 opens step 3 even with saved work; a bad value is named', async () => {
    await withApp(suite, 'workshop-link-saved', async (page) => {
      await page.selectOption('#example', 'wait');
      await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k) ?? '{}').example === 'wait', WORK);
      await page.goto('about:blank');
      await page.goto(`${suite.server.url}#workshop=3`);
      await ready(page);
      await waitForText(page, '#workshop-step-number', 'Step 3 of 7');
      assert.equal(await page.$eval('#example', (el) => el.value), 'wait', 'the saved work is shown');

      await page.goto('about:blank');
      await page.goto(`${suite.server.url}#workshop=three`);
      await ready(page);
      await page.waitForSelector('#link-notice');
      assert.match(await textOf(page, '#link-notice'), /“three”/);
      assert.match(await textOf(page, '#link-notice'), /steps 1 to 7/);
      await lookAt(page, 'workshop-bad-link');
      // The fragment changing in the page says so too.
      await page.click('#link-notice button');
      await page.evaluate(() => { location.hash = '#workshop=12'; });
      await waitForText(page, '#link-notice p', /“12”/);
    }, { waitFor: ready });
  });
});
