// Smoke test: the built site loads from a sub-path, the wasm starts and renders, and nothing
// is logged as an error. Independent of the UI's contents (works with any app).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TIMEOUTS, e2eSuite, screenshot, withApp } from './helpers.mjs';

describe('smoke', () => {
  const suite = e2eSuite();

  it('smoke: the page loads and the wasm app renders without errors', { timeout: TIMEOUTS.test }, async () => {
    await withApp(suite, 'smoke', async (page, { responses }) => {
      const wasm = responses.filter((res) => new URL(res.url()).pathname.endsWith('.wasm'));
      assert.ok(wasm.length >= 1, 'the .wasm was fetched');
      for (const res of wasm) {
        assert.equal(res.status(), 200);
        assert.equal(res.headers()['content-type'], 'application/wasm');
      }
      assert.ok(
        new URL(wasm[0].url()).pathname.startsWith(new URL(suite.server.url).pathname),
        `the .wasm is fetched relative to the page (${wasm[0].url()})`,
      );
      assert.ok((await page.title()).length > 0, 'the page has a title');
      const text = await page.evaluate(() => document.body.innerText.trim());
      assert.ok(text.length > 0, 'the app rendered some text');
      await screenshot(page, 'smoke');
    });
  });
});
