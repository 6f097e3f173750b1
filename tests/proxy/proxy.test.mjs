// createPasswordProxy in every runtime that serves fetch handlers: Node's
// http (through createNodeListener), Deno.serve, Bun.serve and workerd
// (miniflare, the Worker bundled as wrangler bundles it), each serving
// tests/proxy/app.mjs from the installed package on a real port, against
// the local Zoom mock over real HTTP. One suite for all four; then, on
// Node's http, where a request-target arrives exactly as sent, a hostile
// suite of raw requests, each refused with its documented status while the
// mock records nothing.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

import { startZoomMock } from '../../mock/zoom-mock.mjs';
import { consumerDir, root, runtimeEnv } from '../helpers/consumer.mjs';
import { bundleWorker } from '../helpers/worker.mjs';

// miniflare, like the other runtimes, lives in tests/runtimes/node_modules.
const { Miniflare } = await import(pathToFileURL(createRequire(join(root, 'tests', 'runtimes', 'package.json')).resolve('miniflare')).href);
const here = join(root, 'tests', 'proxy');
const work = join(consumerDir, 'proxy');
const bin = (path) => join(root, 'tests', 'runtimes', 'node_modules', ...path.split('/'));
const TOKEN = 'demo-token-0123456789';
const PASSWORD = 'Proxy-Secret-Pass-91';

/** Starts `command args...`, resolving the origin its first line prints. */
function serve(command, args) {
  const child = spawn(command, args, { cwd: work, stdio: ['ignore', 'pipe', 'inherit'], env: runtimeEnv() });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // A server that dies before printing its origin fails the suite at
    // once instead of leaving it waiting.
    child.once('exit', (code, signal) => reject(new Error(`${command} ${args.join(' ')} exited (${code ?? signal}) before serving`)));
    child.stdout.once('data', (data) => resolve({ origin: String(data).trim().split('\n')[0], stop: () => child.kill() }));
  });
}

const form = (fields) => {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  return body;
};

/** A PUT to the proxy as this package's own updatePassword makes it, with a session cookie. */
const change = (origin, userId, { session = 'admin-session', body = form([['password', PASSWORD]]), headers = {} } = {}) => fetch(
  `${origin}/zoom/users/${encodeURIComponent(userId)}/password`,
  { method: 'PUT', body, headers: { cookie: `session=${session}`, accept: 'application/json', ...headers } },
);

/** The local Zoom mock, started before the suites run. */
let mock;

function proxySuite(server) {
  const reset = async (options = {}) => {
    mock.reset(options);
    await fetch(`${server().origin}/__test/reset`);
  };
  const events = async () => (await fetch(`${server().origin}/__test/events`)).json();

  return [
    ['changes a password from a multipart body, rebuilt with the server\'s token', async () => {
      await reset();
      const response = await change(server().origin, 'grace@example.com', { headers: { authorization: 'Bearer page-token-never-forwarded' } });
      assert.equal(response.status, 204, await response.text());
      assert.equal(mock.findUser('grace@example.com').password, PASSWORD);
      const [sent] = mock.passwordRequests();
      assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`, 'the server\'s token, never the page\'s');
      assert.equal(sent.headers.cookie, undefined, 'no cookie forwarded');
      assert.deepEqual(sent.fieldNames, ['password']);
      assert.deepEqual((await events()).at(-1), { action: 'update_password', userId: 'grace@example.com', outcome: 'ok', kind: null, status: 204 });
    }],

    ['takes a JSON body too, and answers the page\'s policy read', async () => {
      await reset();
      const response = await change(server().origin, 'ada@example.com', { session: 'ada-session', body: JSON.stringify({ password: PASSWORD }), headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 204);
      assert.equal(mock.findUser('ada@example.com').password, PASSWORD);
      const policy = await fetch(`${server().origin}/zoom/accounts/me/settings?option=security`, { headers: { cookie: 'session=admin-session' } });
      assert.equal(policy.status, 200);
      assert.deepEqual(await policy.json(), { security: { password_requirement: {} } });
      assert.equal(mock.requests.filter((r) => r.kind === 'settings').length, 0, 'the basic policy needs no call to Zoom');
    }],

    ['validates on the server: a weak or breached password never reaches Zoom', async () => {
      await reset();
      const weak = await change(server().origin, 'grace@example.com', { body: form([['password', 'weakpass']]) });
      assert.equal(weak.status, 400);
      const body = await weak.json();
      assert.equal(body.code, 300);
      assert.deepEqual(body.errors.map((e) => e.field), ['number', 'upper_and_lower']);
      const breached = await change(server().origin, 'grace@example.com', { body: form([['password', 'Summer2024!']]) });
      assert.equal(breached.status, 400);
      assert.deepEqual((await breached.json()).errors.map((e) => e.field), ['not_breached']);
      assert.equal(mock.passwordRequests().length, 0);
      assert.deepEqual((await events()).map((e) => [e.outcome, e.kind, e.status]), [['refused', 'invalid_password', 400], ['refused', 'invalid_password', 400]]);
    }],

    ['passes on Zoom\'s status, body, Retry-After and X-RateLimit-* headers, nothing else', async () => {
      await reset();
      const missing = await change(server().origin, 'nobody@example.com');
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), { code: 1001, message: 'User does not exist: nobody@example.com.' });
      mock.addFaults({ type: 'rate_limit', limit: 'daily', retryAfter: '3600' });
      const limited = await change(server().origin, 'grace@example.com');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '3600');
      assert.equal(limited.headers.get('x-ratelimit-type'), 'Daily-limit');
      assert.equal(limited.headers.get('x-ratelimit-category'), 'Medium');
      assert.equal((await limited.json()).code, 429);
      // What the runtime's own HTTP layer adds (workerd compresses) is not the proxy's.
      const transport = ['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'server', 'vary'];
      const names = [...limited.headers.keys()].filter((name) => !transport.includes(name));
      assert.deepEqual(names.sort(), ['cache-control', 'content-type', 'retry-after', 'x-ratelimit-category', 'x-ratelimit-type']);
      // A page's classifier reads it as if from Zoom.
      assert.equal((await events()).at(-1).kind, 'rate_limited');
    }],

    ['refuses cross-site requests and every answer of authorize but true', async () => {
      await reset();
      const origin = server().origin;
      const cases = [
        [{ headers: { origin: 'https://evil.example' } }, 403, 'cross_site'],
        [{ headers: { origin: 'null' } }, 403, 'cross_site'],
        [{ headers: { 'sec-fetch-site': 'cross-site' } }, 403, 'cross_site'],
        [{ session: 'ada-session' }, 403, 'not_authorized'],
        [{ session: 'nobody-session' }, 403, 'not_authorized'],
        [{ session: 'throws-session' }, 403, 'not_authorized'],
        [{ session: 'rejects-session' }, 403, 'not_authorized'],
        [{ session: 'hangs-session' }, 403, 'not_authorized'],
        [{ session: 'yes-session' }, 403, 'not_authorized'],
        [{ session: 'truthy-session' }, 403, 'not_authorized'],
      ];
      for (const [options, status, kind] of cases) {
        const response = await change(origin, 'grace@example.com', options);
        assert.equal(response.status, status, JSON.stringify(options));
        const body = await response.json();
        assert.equal(body.code, 403);
        assert.equal((await events()).at(-1).kind, kind, JSON.stringify(options));
      }
      assert.equal((await change(origin, 'grace@example.com', { headers: { origin } })).status, 204, 'its own origin passes');
      const later = await change(origin, 'grace@example.com', { session: 'later-session', body: form([['password', `${PASSWORD}-later`]]) });
      assert.equal(later.status, 204, 'true given later, within authorizeTimeoutMs, allows');
      assert.equal(mock.passwordRequests().length, 2);
    }],

    ['limits changes per user and per caller, with Retry-After', async () => {
      await reset();
      const origin = server().origin;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await change(origin, 'grace@example.com', { body: form([['password', `${PASSWORD}-${i}`]]) })).status);
      assert.deepEqual(statuses, [204, 204, 204, 429]);
      const over = await change(origin, 'grace@example.com');
      assert.equal(over.status, 429);
      assert.ok(Number(over.headers.get('retry-after')) >= 59);
      assert.equal(mock.passwordRequests().length, 3);
    }],

    ['the audit and the answers hold no secret, even from a server that echoes the password', async () => {
      await reset();
      mock.addFaults({ type: 'status', status: 500, echoPassword: true, body: { code: 500, message: 'Internal: got %PASSWORD%', errors: [{ field: 'password', message: 'was %PASSWORD%' }] }, times: 5 });
      const failed = await change(server().origin, 'grace@example.com');
      const text = await failed.text();
      assert.equal(failed.status, 500);
      assert.ok(!text.includes(PASSWORD) && !text.includes(TOKEN), text);
      assert.match(text, /\[redacted\]/);
      const audit = JSON.stringify(await events());
      assert.ok(!audit.includes(PASSWORD) && !audit.includes(TOKEN), audit);
    }],
  ];
}

describe('the password proxy in every runtime', () => {
  const servers = {};
  let worker;
  before(async () => {
    mock = await startZoomMock({ corsOrigins: [] });
    mkdirSync(work, { recursive: true });
    for (const file of readdirSync(here)) if (file.endsWith('.mjs') && !file.endsWith('.test.mjs')) copyFileSync(join(here, file), join(work, file));
    const args = [`${mock.origin}/v2`, `${mock.origin}/range/`];
    servers.node = await serve(process.execPath, ['serve.mjs', ...args]);
    servers.deno = await serve(bin('.bin/deno'), ['run', '--quiet', '--allow-net', '--allow-read', '--allow-env', 'serve.mjs', ...args]);
    servers.bun = await serve(bin('.bin/bun'), ['serve.mjs', ...args]);
    const outdir = join(work, 'worker');
    worker = new Miniflare({
      modules: await bundleWorker(join(work, 'worker.mjs'), outdir),
      modulesRoot: outdir,
      compatibilityDate: '2025-01-01',
      bindings: { ZOOM_BASE_URL: args[0], RANGE_URL: args[1] },
      host: '127.0.0.1',
      port: 0,
    });
    servers.workerd = { origin: new URL(await worker.ready).origin, stop: () => worker.dispose() };
  });
  after(async () => {
    for (const server of Object.values(servers)) await server.stop();
    await mock?.close();
  });

  for (const runtime of ['node', 'deno', 'bun', 'workerd']) {
    describe(runtime, () => {
      for (const [name, run] of proxySuite(() => servers[runtime])) {
        it(name, run);
      }
    });
  }

  describe('hostile requests, raw, on Node\'s http: each refused as documented, none reaching Zoom', () => {
    /** Sends `text` as it is and reads the status and body of the answer. */
    const raw = (text) => new Promise((resolve, reject) => {
      const { port } = new URL(servers.node.origin);
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk) => { received += chunk; });
      socket.on('error', reject);
      socket.on('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]);
        resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
      });
      // Written, not ended: a half-closed socket would end the exchange before a slow answer.
      socket.write(text);
    });
    const request = (method, target, { headers = {}, body = '' } = {}) => {
      const all = { Cookie: 'session=admin-session', ...headers };
      const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
      for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
      if (body !== null && !('Transfer-Encoding' in headers)) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
      return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
    };
    const multipart = (parts) => {
      const boundary = 'HostileBoundary42';
      const body = `${parts.map(([disposition, value]) => `--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n${value}\r\n`).join('')}--${boundary}--\r\n`;
      return { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body };
    };
    const password = ['form-data; name="password"', PASSWORD];
    const route = '/zoom/users/grace%40example.com/password';
    const json = (text) => ({ headers: { 'Content-Type': 'application/json' }, body: text });

    const cases = [
      // Methods and paths: 404.
      ...['GET', 'POST', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND'].map((m) => [m, route, {}, 404]),
      ['PUT', `http://evil.example${route}`, multipart([password]), 404],
      ['PUT', '/zoom/users/../users/grace%40example.com/password', multipart([password]), 404],
      ['PUT', '/zoom/users/grace%40example.com/../grace%40example.com/password', multipart([password]), 404],
      ['PUT', '/zoom/users/./password', multipart([password]), 404],
      ['PUT', '/zoom/users/%2e%2e/password', multipart([password]), 404],
      ['PUT', '/zoom/users/grace%2Fexample.com/password', multipart([password]), 404],
      ['PUT', '/zoom/users/grace%5Cexample.com/password', multipart([password]), 404],
      ['PUT', '/zoom/users/grace%252540example.com/password', multipart([password]), 404],
      ['PUT', '/zoom//users/grace%40example.com/password', multipart([password]), 404],
      ['PUT', `${route}/`, multipart([password]), 404],
      ['PUT', `${route}?userId=owner@example.com`, multipart([password]), 404],
      ['PUT', '/zoom/users/%00grace/password', multipart([password]), 404],
      ['PUT', `/zoom/users/${'a'.repeat(129)}/password`, multipart([password]), 404],
      ['PUT', '/zoom/users/grace%40example.com/password%00', multipart([password]), 404],
      ['PUT', '/zoom/v2/users/grace%40example.com/password', multipart([password]), 404],
      ['PUT', '/other/users/grace%40example.com/password', multipart([password]), 404],
      ['GET', '/zoom/accounts/me/settings', {}, 404],
      ['GET', '/zoom/accounts/me/settings?option=security&extra=1', {}, 404],
      ['PUT', '/zoom/accounts/me/settings?option=security', json('{}'), 404],
      // Method override: 400.
      ...['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'].map((h) => ['PUT', route, { ...multipart([password]), headers: { ...multipart([password]).headers, [h]: 'DELETE' } }, 400]),
      // Cross-site and who: 403.
      ['PUT', route, { ...multipart([password]), headers: { ...multipart([password]).headers, Origin: 'https://evil.example' } }, 403],
      ['PUT', route, { ...multipart([password]), headers: { ...multipart([password]).headers, 'Sec-Fetch-Site': 'cross-site' } }, 403],
      ['PUT', route, { ...multipart([password]), headers: { ...multipart([password]).headers, Cookie: 'session=ada-session' } }, 403],
      ['PUT', '/zoom/users/me/password', { ...multipart([password]), headers: { ...multipart([password]).headers, Cookie: 'session=ada-session' } }, 403],
      ...['throws', 'rejects', 'hangs', 'yes', 'truthy', 'unknown'].map((s) => ['PUT', route, { ...multipart([password]), headers: { ...multipart([password]).headers, Cookie: `session=${s}-session` } }, 403]),
      // Bodies: 413, 415, 400.
      ['PUT', route, { headers: { 'Content-Type': 'application/json' }, body: `{"password":"${'x'.repeat(5000)}"}` }, 413],
      ['PUT', route, { headers: { 'Content-Type': 'application/json', 'Content-Length': '100000000' }, body: null }, 413],
      ['PUT', route, { headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: `1388\r\n${'x'.repeat(5000)}\r\n0\r\n\r\n` }, 413],
      ['PUT', route, { headers: { 'Content-Type': 'text/plain' }, body: PASSWORD }, 415],
      ['PUT', route, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `password=${PASSWORD}` }, 415],
      ['PUT', route, { body: PASSWORD }, 415],
      ['PUT', route, multipart([password, password]), 400],
      ['PUT', route, multipart([password, ['form-data; name="role"', 'admin']]), 400],
      ['PUT', route, multipart([['form-data; name="password"; filename="p.txt"', PASSWORD]]), 400],
      ['PUT', route, multipart([['form-data; name="newPassword"', PASSWORD]]), 400],
      ['PUT', route, { headers: { 'Content-Type': 'multipart/form-data' }, body: multipart([password]).body }, 400],
      ['PUT', route, json(`{"password":"${PASSWORD}","password":"Other-Pass-123x"}`), 400],
      ['PUT', route, json(`{"password":"${PASSWORD}","userId":"owner@example.com"}`), 400],
      ['PUT', route, json('{"password":12345678}'), 400],
      ['PUT', route, json(`["${PASSWORD}"]`), 400],
      ['PUT', route, json('{"password":"\\u0000Zx9kq2Lm!"}'), 400],
      ['PUT', route, json(`{"password":" ${PASSWORD}"}`), 400],
    ];

    it(`refuses all ${cases.length} with the documented status; the mock records nothing`, async () => {
      assert.ok(cases.length >= 40, `${cases.length} cases`);
      mock.reset({});
      await fetch(`${servers.node.origin}/__test/reset`);
      for (const [method, target, options, status] of cases) {
        const answer = await raw(request(method, target, options));
        assert.equal(answer.status, status, `${method} ${target} ${JSON.stringify(options.headers ?? {})}: ${answer.body}`);
        if (method !== 'HEAD') assert.match(answer.body, /^\{"code":\d+,"message":"[^"]+"/, `${method} ${target}: a { code, message } body`);
        assert.ok(!answer.body.includes(PASSWORD), 'no password in a refusal');
      }
      assert.equal(mock.passwordRequests().length, 0, 'nothing reached Zoom');
      assert.equal(mock.requests.length, 0, 'not even a policy or range read');
      const events = await (await fetch(`${servers.node.origin}/__test/events`)).json();
      assert.equal(events.length, cases.length);
      assert.ok(events.every((e) => e.outcome === 'refused'));
      assert.ok(!JSON.stringify(events).includes(PASSWORD));
    });

    it('cuts a body that trickles in once its 10 s are up, however it is split (400, nothing sent)', async () => {
      mock.reset({});
      const body = `{"password":"${PASSWORD}"}`;
      const { port } = new URL(servers.node.origin);
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk) => { received += chunk; });
      const started = Date.now();
      socket.write(request('PUT', route, json(body)).slice(0, -body.length));
      // One byte every 2 s: each arrives well within 10 s of the last, the
      // whole body would take about a minute.
      let sent = 0;
      const drip = setInterval(() => { if (sent < body.length) socket.write(body[sent++]); }, 2000);
      try {
        // A write after the server has answered and closed may fail; the answer is what counts.
        await new Promise((resolve) => { socket.on('close', resolve); socket.on('error', () => {}); });
      } finally {
        clearInterval(drip);
      }
      assert.equal(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]), 400, received);
      assert.ok(Date.now() - started < 20_000, `answered after ${Date.now() - started} ms`);
      assert.ok(sent < body.length, 'cut before the body was whole');
      assert.equal(mock.passwordRequests().length, 0);
    });
  });
});
