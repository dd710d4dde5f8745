// Shared helpers for the end-to-end tests (run with `node --test e2e/`, or `cargo xtask test`).
//
// - serveDist(): a tiny static server (Node's http module) for the built dist/, on 127.0.0.1 and
//   a free port, under a sub-path (so the relative URLs of `public_url = "./"` are exercised);
// - launchBrowser(): Debian's Chromium, driven by playwright-core (nothing is downloaded);
// - e2eSuite() + withApp(): one server and browser per test file, a fresh page per test, and
//   every console error / uncaught exception / failed request collected and asserted absent;
// - screenshot(): PNGs under target/screenshots/;
// - axeViolations(): axe-core's serious and critical findings on the page;
// - typeDefinition(): replaces the definition's text as a person would.
//
// Environment: E2E_DIST (default dist/), E2E_SCREENSHOTS (default target/screenshots/),
// CHROMIUM (default /usr/bin/chromium), E2E_HEADED=1 to watch (needs a display).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.resolve(process.env.E2E_DIST ?? path.join(ROOT, 'dist'));
export const SCREENSHOTS = path.resolve(
  process.env.E2E_SCREENSHOTS ?? path.join(ROOT, 'target', 'screenshots'),
);
/** dist/ is served under this sub-path, never at the server's root. */
export const BASE_PATH = '/sfn-playground/';

/** Bounded waits: generous for a 2-core machine, but a stuck page fails in seconds, not minutes. */
export const TIMEOUTS = { launch: 30_000, load: 30_000, action: 15_000, test: 120_000 };

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` (dist/) at http://127.0.0.1:<free port><base>.
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serveDist({ root = DIST, base = BASE_PATH } = {}) {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(
      `${path.join(root, 'index.html')} is missing: build first (\`cargo xtask build\`, or \`trunk build --release\`)`,
    );
  }
  const server = http.createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'cache-control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request');
    }
    if (pathname === base.slice(0, -1)) return send(301, '', { location: base });
    if (!pathname.startsWith(base)) return send(404, 'not found (the site lives under ' + base + ')');
    let relative = pathname.slice(base.length);
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = path.resolve(root, relative);
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden');
    fs.readFile(file, (err, body) => {
      if (err) return send(404, 'not found');
      const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      send(200, body, { 'content-type': type });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: run \`cargo xtask setup\` (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.E2E_HEADED,
    args: CHROMIUM_ARGS,
    timeout: TIMEOUTS.launch,
  });
}

/**
 * Registers before/after hooks (call inside `describe`): one static server and one browser for
 * the whole file. Returns the object they are stored on, for `withApp`.
 */
export function e2eSuite() {
  const suite = { server: null, browser: null };
  before(async () => {
    suite.server = await serveDist();
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/**
 * Collects everything that counts as a page error: uncaught exceptions (a wasm panic with
 * panic=abort ends in `RuntimeError: unreachable`), console.error (Yew's panic hook prints the
 * panic message there), failed requests and HTTP errors, a crashed renderer, and whatever the
 * page's Content-Security-Policy refused (its `securitypolicyviolation` events, and the
 * console's "… violates the following Content Security Policy directive …" and "Refused to …"
 * messages whatever their level). Await it before `page.goto`.
 */
export async function collectErrors(page) {
  const errors = [];
  page.on('pageerror', (err) => errors.push(`uncaught exception: ${err.stack ?? err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
    else if (/Refused to|Content Security Policy/i.test(msg.text())) {
      errors.push(`console.${msg.type()}: ${msg.text()}`);
    }
  });
  // The binding and the listener come from DevTools, so the policy does not apply to them.
  await page.exposeBinding('__e2eCspViolation', (_source, text) =>
    errors.push(`Content-Security-Policy violation: ${text}`),
  );
  await page.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) =>
        window.__e2eCspViolation(
          `${e.effectiveDirective} refused ${e.blockedURI || '(inline)'} at ${e.sourceFile || '?'}:${e.lineNumber} ${JSON.stringify(e.sample)}`,
        ),
      true,
    );
  });
  page.on('requestfailed', (req) => {
    // The browser cancels the icon's request when a test navigates before it is loaded (a
    // missing icon is still an HTTP 404, below).
    const cancelledIcon = /\/favicon-[0-9a-f]+\.svg$/.test(req.url()) && req.failure()?.errorText === 'net::ERR_ABORTED';
    if (!cancelledIcon) errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('crash', () => errors.push('the page crashed'));
  return errors;
}

export function assertNoErrors(errors) {
  assert.deepEqual(errors, [], `the page reported errors:\n  ${errors.join('\n  ')}`);
}

/** Waits until the wasm app has put some element into <body> (besides Trunk's own tags). */
export async function waitForApp(page, { timeout = TIMEOUTS.load } = {}) {
  await page.waitForFunction(
    () =>
      [...document.body.children].some(
        (el) => !['SCRIPT', 'LINK', 'STYLE', 'NOSCRIPT'].includes(el.tagName) && el.childElementCount + (el.textContent ?? '').trim().length > 0,
      ),
    undefined,
    { timeout },
  );
}

/**
 * Opens the app in a fresh browser context (no localStorage carried over), runs `fn(page, ctx)`,
 * then asserts the page logged no error. On failure, saves target/screenshots/FAILED-<name>.png
 * and appends the page's errors to the message.
 * @param {{server: {url: string}, browser: import('playwright-core').Browser}} suite
 * @param {string} name
 * @param {(page: import('playwright-core').Page, ctx: {errors: string[], responses: import('playwright-core').Response[]}) => Promise<void>} fn
 * @param {{waitFor?: Function, context?: object}} [options] `context`: Playwright context
 *   options over the default (a 1400×900 window), e.g. a phone's viewport and touch.
 */
export async function withApp(suite, name, fn, { waitFor = waitForApp, context: options = {} } = {}) {
  fs.rmSync(screenshotPath(`FAILED-${name}`), { force: true });
  const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUTS.action);
  page.setDefaultNavigationTimeout(TIMEOUTS.load);
  const errors = await collectErrors(page);
  const responses = [];
  page.on('response', (res) => responses.push(res));
  awaitRunWorker(page);
  try {
    await page.goto(suite.server.url, { waitUntil: 'load' });
    await waitFor(page);
    await fn(page, { errors, responses });
    // Let anything still queued (a late panic, a failed fetch) surface before judging.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    assertNoErrors(errors);
  } catch (err) {
    await screenshot(page, `FAILED-${name}`).catch(() => {});
    if (errors.length && err instanceof Error && !err.message.includes('the page reported errors')) {
      err.message += `\n\nthe page also reported:\n  ${errors.join('\n  ')}`;
    }
    throw err;
  } finally {
    await context.close();
  }
}

/** The controls whose action the run worker (src/runner) answers a moment after the click. */
const WORKER_CONTROLS = new Set(['#start', '#step', '#stop', '#redrive']);

/**
 * A click on Start, Step, Stop or Redrive returns once the run worker has answered (the
 * controls' `aria-busy` is false again), as a person sees the page a moment later.
 * @param {import('playwright-core').Page} page
 */
export function awaitRunWorker(page) {
  const click = page.click.bind(page);
  page.click = async (selector, options) => {
    await click(selector, options);
    if (WORKER_CONTROLS.has(selector)) {
      await page.waitForSelector('section.controls[aria-busy="false"]', { state: 'attached' });
    }
  };
}

/** Saves a full-page PNG as target/screenshots/<name>.png; returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = screenshotPath(name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

function screenshotPath(name) {
  return path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
}

/** The trimmed text of the first element matching `selector` (null if there is none). */
export async function textOf(page, selector) {
  const el = await page.$(selector);
  return el ? ((await el.textContent()) ?? '').trim() : null;
}

/**
 * Waits until the trimmed text of `selector` equals `want` (a string) or matches it (a RegExp);
 * on timeout, the error says what the text was instead.
 */
export async function waitForText(page, selector, want, { timeout = TIMEOUTS.action } = {}) {
  const isRegExp = want instanceof RegExp;
  try {
    await page.waitForFunction(
      ([sel, source, flags, isRe]) => {
        const text = document.querySelector(sel)?.textContent?.trim();
        if (text == null) return false;
        return isRe ? new RegExp(source, flags).test(text) : text === source;
      },
      [selector, isRegExp ? want.source : want, isRegExp ? want.flags : '', isRegExp],
      { timeout },
    );
  } catch (err) {
    const actual = await textOf(page, selector).catch(() => '(unreadable)');
    throw new Error(
      `waiting for ${selector} to be ${want}: it is ${JSON.stringify(actual)} (${err.message.split('\n')[0]})`,
    );
  }
}

/**
 * axe-core's serious and critical violations on the page as it is (axe is injected once, by
 * DevTools' evaluate: an inline <script> would be refused by the page's Content-Security-Policy).
 */
export async function axeViolations(page) {
  const axe = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(fs.readFileSync(axe, 'utf8'));
  }
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Replaces the definition's text as a person would (an input event), and waits for the graph
 * to show `someState`.
 */
export async function typeDefinition(page, definition, someState) {
  await page.$eval(
    '#definition',
    (el, text) => {
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    JSON.stringify(definition, null, 2),
  );
  await page.waitForSelector(`svg#state-graph g.state-node[data-state="${someState}"]`, { timeout: 10_000 });
}

/**
 * Opens `url` (a share link) in a fresh browser context at 1280×800 (no saved work), waits
 * for the app, runs `fn(page)`, then asserts the page logged no error.
 */
export async function inFreshContext(suite, url, fn, { waitFor = waitForApp } = {}) {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = await collectErrors(page);
  awaitRunWorker(page);
  try {
    await page.goto(url);
    await waitFor(page);
    await fn(page);
    assertNoErrors(errors);
  } finally {
    await context.close();
  }
}
