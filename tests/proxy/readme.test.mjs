// The npm README's "Using it from a page", as a user copies it: each server
// example (the shared password-proxy.js, a Worker, Deno, Bun, Node's http,
// Hono, and the user's-own-token variant) runs in its runtime from the
// installed package, with a stand-in for the application's session.js,
// against the local mock; an admin's change goes through, anyone else's
// does not, and `me` is refused to the admin token and allowed to a user's
// own.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import { build } from 'esbuild';

import { DEMO_TOKEN, defaultUsers, startZoomMock } from '../../mock/zoom-mock.mjs';
import { consumerDir, installedPackage, root, runtimeEnv } from '../helpers/consumer.mjs';

const { Miniflare } = await import(pathToFileURL(createRequire(join(root, 'tests', 'runtimes', 'package.json')).resolve('miniflare')).href);
const bin = (path) => join(root, 'tests', 'runtimes', 'node_modules', ...path.split('/'));
const dir = join(consumerDir, 'readme-proxy');
const readme = readFileSync(join(installedPackage, 'README.md'), 'utf8');
/** The README's ```js <name> blocks. */
const block = (name) => {
  const match = new RegExp(`\`\`\`js ${name}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  assert.ok(match, `the README has a ${name} example`);
  return match[1];
};
const ADA_TOKEN = 'ada-own-zoom-token';

/** What an application's session.js would give, for the test's two users. */
const SESSION_JS = `const USERS = {
  'admin-cookie': { id: 'admin', role: 'admin' },
  'ada-cookie': { id: 'ada', role: 'member', zoomToken: '${ADA_TOKEN}' },
};
export const sessionId = (request) => /session=([\\w-]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? '';
export const currentUser = async (request) => USERS[sessionId(request)] ?? null;
`;

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

async function waitForServer(origin) {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${origin}/zoom/users/x/password`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${origin} did not start`);
}

describe('the npm README\'s "Using it from a page"', () => {
  let mock;
  const stops = [];
  const origins = {};
  before(async () => {
    const ada = defaultUsers().find((u) => u.email === 'ada@example.com');
    mock = await startZoomMock({ corsOrigins: [], tokens: { [DEMO_TOKEN]: { user: defaultUsers()[0].id }, [ADA_TOKEN]: { user: ada.id } } });
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(join(dir, 'session.js'), SESSION_JS);
    writeFileSync(join(dir, 'password-proxy.js'), block('password-proxy'));
    for (const name of ['worker', 'deno', 'bun', 'node-http', 'hono', 'own-token']) writeFileSync(join(dir, `${name}.js`), block(name));
    const env = (port) => runtimeEnv({ PORT: String(port), ZOOM_ACCESS_TOKEN: DEMO_TOKEN, ZOOM_API_BASE: mock.baseUrl });
    const start = async (name, command, args) => {
      const port = await freePort();
      const child = spawn(command, args, { cwd: dir, env: env(port), stdio: 'ignore' });
      stops.push(() => child.kill());
      origins[name] = `http://127.0.0.1:${port}`;
      await waitForServer(origins[name]);
    };
    await start('node-http', process.execPath, ['node-http.js']);
    await start('hono', process.execPath, ['hono.js']);
    await start('own-token', process.execPath, ['own-token.js']);
    await start('deno', bin('.bin/deno'), ['run', '--quiet', '--allow-net', '--allow-read', '--allow-env', 'deno.js']);
    await start('bun', bin('.bin/bun'), ['bun.js']);
    const outdir = join(dir, 'worker-bundle');
    await build({
      entryPoints: [join(dir, 'worker.js')], bundle: true, format: 'esm', conditions: ['workerd', 'worker', 'browser'], platform: 'neutral',
      mainFields: ['module', 'main'], outdir, logLevel: 'warning',
      plugins: [{ name: 'wasm-module', setup(b) { b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: `./${basename(a.path)}`, external: true })); } }],
    });
    copyFileSync(join(installedPackage, 'zoom_password_full_bg.wasm'), join(outdir, 'zoom_password_full_bg.wasm'));
    const worker = new Miniflare({
      modules: [{ type: 'ESModule', path: join(outdir, 'worker.js') }, { type: 'CompiledWasm', path: join(outdir, 'zoom_password_full_bg.wasm') }],
      modulesRoot: outdir, compatibilityDate: '2025-01-01', host: '127.0.0.1', port: 0,
      bindings: { ZOOM_ACCESS_TOKEN: DEMO_TOKEN, ZOOM_API_BASE: mock.baseUrl },
    });
    origins.worker = new URL(await worker.ready).origin;
    stops.push(() => worker.dispose());
  });
  after(async () => {
    for (const stop of stops) await stop();
    await mock?.close();
  });

  const change = (origin, userId, session, password) => {
    const body = new FormData();
    body.append('password', password);
    return fetch(`${origin}/zoom/users/${encodeURIComponent(userId)}/password`, { method: 'PUT', body, headers: session ? { cookie: `session=${session}` } : {} });
  };

  for (const name of ['worker', 'deno', 'bun', 'node-http', 'hono']) {
    it(`${name}: an admin changes a member's password; nobody else, and never "me"`, async () => {
      mock.reset({});
      const password = `Readme-${name}-Pass-1`;
      assert.equal((await change(origins[name], 'grace@example.com', 'admin-cookie', password)).status, 204);
      assert.equal(mock.findUser('grace@example.com').password, password);
      assert.equal(mock.passwordRequests()[0].headers.authorization, `Bearer ${DEMO_TOKEN}`);
      assert.equal((await change(origins[name], 'grace@example.com', 'ada-cookie', 'Other-Pass-123')).status, 403);
      assert.equal((await change(origins[name], 'grace@example.com', null, 'Other-Pass-123')).status, 403);
      assert.equal((await change(origins[name], 'me', 'admin-cookie', 'Other-Pass-123')).status, 403);
      const policy = await fetch(`${origins[name]}/zoom/accounts/me/settings?option=security`, { headers: { cookie: 'session=admin-cookie' } });
      assert.deepEqual(await policy.json(), { security: { password_requirement: { minimum_password_length: 0, have_special_character: false, consecutive_characters_length: 0, weak_enhance_detection: false } } });
      assert.equal(mock.passwordRequests().length, 1, 'only the admin\'s change reached Zoom');
    });
  }

  it('own-token: a signed-in user changes their own password with their own token, and nothing else', async () => {
    mock.reset({});
    const origin = origins['own-token'];
    assert.equal((await change(origin, 'me', 'ada-cookie', 'Own-Token-Pass-1')).status, 204);
    assert.equal(mock.findUser('ada@example.com').password, 'Own-Token-Pass-1');
    assert.equal(mock.passwordRequests()[0].headers.authorization, `Bearer ${ADA_TOKEN}`, 'the user\'s own token');
    assert.equal((await change(origin, 'grace@example.com', 'ada-cookie', 'Other-Pass-123')).status, 403);
    assert.equal((await change(origin, 'me', null, 'Other-Pass-123')).status, 403);
    assert.equal(mock.passwordRequests().length, 1);
  });
});
