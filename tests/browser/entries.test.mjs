// The shared API suite in headless Chromium against the browser entries of
// the installed tarball: browser.js (wasm inlined), web.js (wasm fetched by
// init()) and an esbuild bundle of `import 'zoom-password'` made with no
// plugins, as a bundler user would ship it.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { build } from 'esbuild';

import { startZoomMock } from '../../mock/zoom-mock.mjs';
import { launchChromium } from '../helpers/chromium.mjs';
import { consumerDir, installedPackage, root } from '../helpers/consumer.mjs';
import { startStaticServer } from '../helpers/static-server.mjs';

const bundleDir = join(root, 'build', 'browser-bundle');

function runnerPage(mockOrigin) {
  return `<!doctype html><meta charset="utf-8"><title>api suite</title>
<script type="module">
import { apiSuite } from '/suite/api-suite.mjs';
const entry = new URLSearchParams(location.search).get('entry');
const results = [];
try {
  const module = entry === 'bundle' ? (await import('/bundle/bundle.js')).default : await import('/pkg/' + entry);
  const api = { ...module };
  if (entry === 'web.js') await api.init();
  for (const [name, run] of apiSuite({ mockOrigin: ${JSON.stringify(mockOrigin)} })) {
    try { await run(api); results.push({ name, ok: true }); }
    catch (error) { results.push({ name, ok: false, error: String(error && error.stack || error) }); }
  }
} catch (error) {
  results.push({ name: 'load ' + entry, ok: false, error: String(error && error.stack || error) });
}
window.__results = results;
</script>`;
}

describe('browser entries in Chromium', () => {
  let mock;
  let server;
  let browser;

  before(async () => {
    mkdirSync(bundleDir, { recursive: true });
    await build({
      stdin: { contents: "import * as zoomPassword from 'zoom-password';\nexport default zoomPassword;\n", resolveDir: consumerDir, loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      outfile: join(bundleDir, 'bundle.js'),
      logLevel: 'warning',
    });
    mock = await startZoomMock();
    server = await startStaticServer(
      { '/pkg/': installedPackage, '/suite/': join(root, 'tests', 'package'), '/bundle/': bundleDir },
      (req, res) => {
        if (!req.url.startsWith('/run.html')) return false;
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(runnerPage(mock.origin));
        return true;
      },
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await mock?.close();
  });

  for (const entry of ['browser.js', 'web.js', 'bundle']) {
    it(`passes the API suite through ${entry}`, async () => {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${server.origin}/run.html?entry=${entry}`);
      const results = await page.waitForFunction(() => window.__results, null, { timeout: 60_000 }).then((h) => h.jsonValue());
      await page.close();
      const failures = results.filter((r) => !r.ok);
      assert.deepEqual(failures, [], `failures through ${entry}`);
      assert.ok(results.length >= 10, `ran ${results.length} tests`);
      assert.deepEqual(errors, [], 'uncaught page errors');
    });
  }
});
