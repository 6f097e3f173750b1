// The browser entries under a Content-Security-Policy, as a strict site
// serves them: with `'wasm-unsafe-eval'` in script-src each entry loads and
// validates; without it the wasm cannot be compiled, and the error is the
// one the npm README quotes (the default entry's import throws; web.js's
// init() rejects). Headless Chromium against pages served with the header.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchChromium } from '../helpers/chromium.mjs';
import { installedPackage } from '../helpers/consumer.mjs';
import { startStaticServer } from '../helpers/static-server.mjs';

/** A page that loads `entry` and reports what happened (no inline script: CSP forbids it). */
const PAGE = '<!doctype html><meta charset="utf-8"><title>csp</title><script type="module" src="/probe.js"></script>';
const PROBE = `
const entry = new URLSearchParams(location.search).get('entry');
try {
  const api = await import('/pkg/' + entry);
  await api.init();
  window.__result = { ok: api.validatePassword('Zx9kq2Lm!').valid };
} catch (error) {
  window.__result = { ok: false, name: error.name, message: String(error.message) };
}`;

describe('browser entries under a Content-Security-Policy', () => {
  let server;
  let browser;
  before(async () => {
    server = await startStaticServer({ '/pkg/': installedPackage }, (req, res) => {
      const url = new URL(req.url, 'http://x');
      const csp = url.searchParams.get('csp');
      if (url.pathname === '/page') {
        res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': csp });
        res.end(PAGE);
        return true;
      }
      if (url.pathname === '/probe.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        res.end(PROBE);
        return true;
      }
      return false;
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const load = async (entry, csp) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.origin}/page?entry=${entry}&csp=${encodeURIComponent(csp)}`);
      await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 15_000 });
      return await page.evaluate(() => window.__result);
    } finally {
      await page.close();
    }
  };

  for (const entry of ['browser.js', 'web.js']) {
    it(`${entry} works under script-src 'self' 'wasm-unsafe-eval'`, async () => {
      assert.deepEqual(await load(entry, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"), { ok: true });
    });

    it(`${entry} without 'wasm-unsafe-eval' fails with the CompileError the README quotes`, async () => {
      const result = await load(entry, "default-src 'self'; script-src 'self'");
      assert.equal(result.ok, false);
      assert.equal(result.name, 'CompileError');
      assert.match(result.message, /Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script/);
    });
  }
});
