// The shared API suite in headless Chromium against the browser entries of
// the installed tarball: browser.js (wasm inlined), web.js (wasm fetched by
// init()) and bundles of `import 'zoom-password'` made by esbuild, Vite and
// webpack with no plugins, as a bundler user would ship them.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';

import { startZoomMock } from '../../mock/zoom-mock.mjs';
import { launchChromium } from '../helpers/chromium.mjs';
import { consumerDir, installedPackage, root } from '../helpers/consumer.mjs';
import { startStaticServer } from '../helpers/static-server.mjs';

const bundleDir = join(root, 'build', 'browser-bundle');

function runnerPage(mockOrigin) {
  return `<!doctype html><meta charset="utf-8"><title>api suite</title>
<script type="module">
import { apiSuite } from '/suite/api-suite.mjs';
import { resilienceSuite, soak } from '/suite/resilience-suite.mjs';
const params = new URLSearchParams(location.search);
const entry = params.get('entry');
const mockOrigin = ${JSON.stringify(mockOrigin)};
const results = [];
const unhandled = [];
addEventListener('unhandledrejection', (event) => unhandled.push(String(event.reason)));
try {
  const module = entry.startsWith('bundle-') ? (await import('/bundle/' + entry.slice(7) + '/bundle.js')).default : await import('/pkg/' + entry);
  const api = { ...module };
  if (entry === 'web.js') await api.init();
  const suite = params.get('suite') === 'resilience'
    ? [...resilienceSuite({ mockOrigin }), ['soak', async (api) => {
        const { tally, mismatches } = await soak(api, { mockOrigin, calls: 1000, faultRate: 0.2 });
        if (mismatches.length) throw new Error(mismatches.join('; '));
        if (tally.alreadySet === 0) throw new Error('no lost answer was reconciled');
        await new Promise((r) => setTimeout(r, 50));
        if (unhandled.length) throw new Error('unhandled rejections: ' + unhandled.join('; '));
      }]]
    : apiSuite({ mockOrigin });
  for (const [name, run] of suite) {
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
    // The app every bundler builds: the package's default entry, nothing else.
    writeFileSync(join(consumerDir, 'bundle-entry.js'), "import * as zoomPassword from 'zoom-password';\nexport default zoomPassword;\n");
    await build({
      entryPoints: [join(consumerDir, 'bundle-entry.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      outfile: join(bundleDir, 'esbuild', 'bundle.js'),
      logLevel: 'warning',
    });
    await viteBuild({
      configFile: false,
      root: consumerDir,
      logLevel: 'warn',
      build: {
        outDir: join(bundleDir, 'vite'),
        emptyOutDir: true,
        lib: { entry: join(consumerDir, 'bundle-entry.js'), formats: ['es'], fileName: () => 'bundle.js' },
      },
    });
    await new Promise((resolve, reject) => webpack({
      mode: 'production',
      target: 'web',
      context: consumerDir,
      entry: './bundle-entry.js',
      output: { path: join(bundleDir, 'webpack'), filename: 'bundle.js', library: { type: 'module' } },
      experiments: { outputModule: true },
      performance: { hints: false },
    }, (error, stats) => (error || stats.hasErrors() ? reject(error ?? new Error(stats.toString('errors-only'))) : resolve())));
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

  const cases = [
    ['api', 'browser.js', 10],
    ['api', 'web.js', 10],
    ['api', 'bundle-esbuild', 10],
    ['api', 'bundle-vite', 10],
    ['api', 'bundle-webpack', 10],
    ['resilience', 'browser.js', 14],
  ];
  for (const [suite, entry, atLeast] of cases) {
    it(`passes the ${suite} suite through ${entry}`, async () => {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${server.origin}/run.html?entry=${entry}&suite=${suite}`);
      const results = await page.waitForFunction(() => window.__results, null, { timeout: 180_000, polling: 250 }).then((h) => h.jsonValue());
      await page.close();
      const failures = results.filter((r) => !r.ok);
      assert.deepEqual(failures, [], `failures through ${entry}`);
      assert.ok(results.length >= atLeast, `ran ${results.length} tests`);
      assert.deepEqual(errors, [], 'uncaught page errors');
    });
  }

  it('both browser entries in one page share one module instance', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/run.html?entry=none&suite=none`);
    const shared = await page.evaluate(async () => {
      const inlined = await import('/pkg/browser.js');
      const fetched = await import('/pkg/web.js');
      await fetched.init();
      return inlined.ZoomPasswordClient === fetched.ZoomPasswordClient && inlined.validatePassword === fetched.validatePassword;
    });
    await page.close();
    assert.equal(shared, true);
  });

  it('a bundler refuses, at build time, what the browser build leaves out', async () => {
    for (const name of ['serverToServerTokenProvider']) {
      const result = await build({
        stdin: { contents: `import { ${name} } from 'zoom-password';\nconsole.log(${name});\n`, resolveDir: consumerDir, loader: 'js' },
        bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
      }).then(() => null, (error) => error);
      assert.ok(result, `${name}: the bundle failed`);
      assert.match(result.message, new RegExp(`No matching export in .*browser\\.js" for import "${name}"`));
    }
  });

  it('bundlers emit one file: no separate wasm to host', () => {
    for (const bundler of ['esbuild', 'vite', 'webpack']) {
      assert.deepEqual(readdirSync(join(bundleDir, bundler)).filter((f) => !f.endsWith('.map')), ['bundle.js'], bundler);
    }
  });
});
