// The secret audit: for every error kind, client-side and from each
// response class (with a server that echoes the password and the token
// back), token-endpoint failures and bulk results, the password and the
// token appear nowhere: message, stack, String(e), JSON.stringify(e),
// util.inspect(e) (hidden properties included), nor the CLI's output and
// report file.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';

import { sha1Hex, startZoomMock } from '../../mock/zoom-mock.mjs';
import { installedPackage, loadEntry, root } from '../helpers/consumer.mjs';

const PASSWORD = 'Echo-Me-Pass-4242';
const TOKEN = 'tok.SECRET-9f8e7d';

function views(error) {
  return {
    message: error.message,
    stack: String(error.stack),
    string: String(error),
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: Infinity, showHidden: true }),
  };
}

function assertClean(error, secrets, what) {
  for (const [view, text] of Object.entries(views(error))) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${what}: ${view} contains a secret:\n${text}`);
  }
}

/** A Zoom-shaped error body that echoes both secrets back. */
const echo = (code, message) => ({
  code,
  message: `${message} (you sent ${PASSWORD} with Bearer ${TOKEN})`,
  errors: [{ field: PASSWORD, message: `token ${TOKEN}` }],
});

describe('secret audit', () => {
  let api;
  let mock;
  before(async () => {
    api = await loadEntry('import');
    mock = await startZoomMock({ tokens: [TOKEN] });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset({}));

  const update = (options = {}) => api.updatePassword({
    userId: 'ada@example.com', password: PASSWORD, accessToken: TOKEN, baseUrl: mock.baseUrl, retry: false, ...options,
  }).then(() => assert.fail('expected a rejection'), (error) => error);

  it('every response class, from a server that echoes the secrets', async () => {
    const cases = [
      [400, echo(300, 'Your new password can not match the old password.'), 'password_reused'],
      [400, echo(300, 'already been changed the maximum number of times over the past 24 hours'), 'change_limit_reached'],
      [400, echo(1124, 'Have at least 8 characters'), 'password_rejected'],
      [400, echo(1117, "Can not update Admin's password"), 'not_permitted'],
      [404, echo(1001, 'User does not exist'), 'user_not_found'],
      [401, echo(124, 'Invalid access token.'), 'unauthorized'],
      [403, echo(4700, 'does not contain scopes'), 'forbidden'],
      [429, echo(429, 'per-second rate limit'), 'rate_limited'],
      [500, echo(500, 'Internal'), 'server_error'],
      [502, `Bad Gateway for ${PASSWORD} ${TOKEN}`, 'server_error'],
      [418, echo(418, 'teapot'), 'unexpected_response'],
    ];
    for (const [status, body, kind] of cases) {
      mock.addFaults({ type: 'status', status, body });
      const error = await update();
      assert.equal(error.kind, kind, `${status} ${JSON.stringify(body).slice(0, 60)}`);
      assertClean(error, [PASSWORD, TOKEN], kind);
      assert.match(error.message, /\[redacted\]/, 'the echo is replaced, not dropped');
    }
    // classifyResponse has no secrets to compare with: it returns what it was given.
  });

  it('every client-side kind', async () => {
    const checks = [
      ['invalid_password', () => update({ password: 'echo-me' })],
      ['invalid_user_id', () => update({ userId: '..' })],
      ['invalid_options', () => update({ accessToken: `${TOKEN} extra` })],
      ['invalid_options', () => update({ baseUrl: `http://${TOKEN}.example/v2` })],
      ['timeout', async () => {
        mock.addFaults({ type: 'hang' });
        return update({ timeoutMs: 50 });
      }],
      ['aborted', () => update({ signal: AbortSignal.abort() })],
    ];
    for (const [kind, run] of checks) {
      const error = await run();
      assert.equal(error.kind, kind);
      assertClean(error, [PASSWORD, 'echo-me', TOKEN], kind);
    }
  });

  it('a network failure whose own message carries the secrets', async () => {
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (url, init) => {
      const error = new TypeError(`fetch failed: ${init.headers.Authorization} ${PASSWORD}`);
      error.cause = { code: `ECONNRESET ${TOKEN}` };
      throw error;
    };
    try {
      const error = await update();
      assert.equal(error.kind, 'network_error');
      assertClean(error, [PASSWORD, TOKEN], 'network_error');
      assert.match(error.message, /fetch failed: Bearer \[redacted\] \[redacted\]/);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('buildRequest: setters planted on Object.prototype never see the token or the password it returns', () => {
    // The prepared request is the one output that carries both secrets; an
    // object filled by assignment would hand them to such a setter.
    const seen = [];
    const names = ['Authorization', 'password', 'headers', 'fields'];
    for (const name of names) {
      Object.defineProperty(Object.prototype, name, {
        set(value) {
          seen.push(name);
          Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
        },
        configurable: true,
      });
    }
    let request;
    try {
      request = api.buildRequest({ userId: 'ada@example.com', password: PASSWORD, accessToken: TOKEN, encoding: 'json' });
    } finally {
      for (const name of names) delete Object.prototype[name];
    }
    assert.deepEqual(seen, [], 'no setter on Object.prototype ran');
    assert.deepEqual(request, {
      method: 'PUT',
      url: 'https://api.zoom.us/v2/users/ada%40example.com/password',
      headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json', 'Content-Type': 'application/json' },
      encoding: 'json',
      fields: { password: PASSWORD },
    });
  });

  it('setters planted on Object.prototype never see the password, the token or the body', async () => {
    // Prototype pollution with setters: assigning `init.body`, a header or
    // a JSON body's `password` on a fresh object would call them. fetch is
    // a stub here (the in-process mock would be polluted too); it checks
    // that the request still carries what it must.
    const seen = [];
    const names = ['body', 'Authorization', 'password'];
    for (const name of names) {
      Object.defineProperty(Object.prototype, name, {
        set(value) {
          // Recorded when it carries a secret; then kept as the assignment
          // meant, so the platform's own code still works.
          let text = '';
          try {
            text = value instanceof FormData ? [...value.values()].join() : String(value);
          } catch {
            // A symbol or a null-prototype object: the platform's, not a secret.
          }
          if (text.includes(PASSWORD) || text.includes(TOKEN)) seen.push(name);
          Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
        },
        configurable: true,
      });
    }
    const realFetch = globalThis.fetch;
    const sent = [];
    globalThis.fetch = async (url, init) => {
      const body = init.body instanceof FormData ? init.body.get('password') : JSON.parse(init.body).password;
      sent.push([Object.getOwnPropertyDescriptor(init.headers, 'Authorization')?.value, body]);
      return new Response(null, { status: 204 });
    };
    try {
      for (const encoding of ['multipart', 'json']) {
        const result = await api.updatePassword({ userId: 'ada@example.com', password: PASSWORD, accessToken: TOKEN, baseUrl: mock.baseUrl, retry: false, encoding });
        assert.equal(result.attempts, 1, encoding);
      }
    } finally {
      globalThis.fetch = realFetch;
      for (const name of names) delete Object.prototype[name];
    }
    assert.deepEqual(seen, [], 'no setter on Object.prototype saw a secret');
    assert.deepEqual(sent, [[`Bearer ${TOKEN}`, PASSWORD], [`Bearer ${TOKEN}`, PASSWORD]], 'the requests carried the token and the password');
  });

  it('a bearer token is never sent to plain http that is not loopback', async () => {
    const realFetch = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = async () => { calls += 1; return new Response(null, { status: 204 }); };
    try {
      for (const baseUrl of ['http://api.zoom.us/v2', 'http://10.0.0.1/v2', 'http://127.0.0.1.evil.example/v2', 'http://localhost.evil.example/v2']) {
        const error = await update({ baseUrl });
        assert.equal(error.kind, 'invalid_options', baseUrl);
      }
      const client = await new Promise((resolve) => resolve(new api.ZoomPasswordClient({ accessToken: TOKEN, baseUrl: 'http://api.zoom.us/v2' }))).catch((e) => e);
      assert.equal(client.kind, 'invalid_options');
      assert.equal(calls, 0, 'fetch was never called');
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('token-endpoint failures never carry the client secret', async () => {
    const secret = 'client-SECRET-abc123';
    mock.reset({ oauthClients: { cid: { secret: 'another', accountId: 'acct' } } });
    const provider = api.serverToServerTokenProvider({ accountId: 'acct', clientId: 'cid', clientSecret: secret, oauthBaseUrl: mock.origin });
    const refused = await provider().then(() => assert.fail('refused'), (e) => e);
    assert.equal(refused.kind, 'unauthorized');
    const basic = Buffer.from(`cid:${secret}`).toString('base64');
    assertClean(refused, [secret, basic], 'token endpoint');
    const through = await update({ accessToken: provider }).catch((e) => e);
    assertClean(through, [secret, basic, PASSWORD], 'through updatePassword');
    assert.ok(!inspect(provider, { showHidden: true, depth: Infinity }).includes(secret));
  });

  it('bulk results never carry the secrets', async () => {
    const client = new api.ZoomPasswordClient({ accessToken: TOKEN, baseUrl: mock.baseUrl, retry: false });
    mock.addFaults({ type: 'status', status: 500, body: echo(500, 'Internal') });
    const seen = [];
    const summary = await client.updatePasswords([
      { userId: 'ada@example.com', password: PASSWORD },
      { userId: 'grace@example.com', password: 'weak' },
    ], { onResult: (result, index) => seen.push([index, result]), onProgress: (progress) => seen.push(progress) });
    assert.equal(seen.length, 4, 'onResult and onProgress saw both users');
    const text = `${JSON.stringify(summary)} ${inspect(summary, { depth: Infinity })} ${inspect(seen, { depth: Infinity })}`;
    for (const secret of [PASSWORD, TOKEN, 'weak"']) assert.ok(!text.includes(secret), text);
  });

  it('the password proxy: its answers, audit events and failures', async () => {
    const events = [];
    const secretToken = 'proxy-server-TOKEN-xyz';
    const tokens = [
      secretToken,
      // A token function whose failure carries a secret in its message.
      async () => { throw new Error(`token store failed for ${secretToken}`); },
    ];
    for (const accessToken of tokens) {
      mock.reset({ tokens: [secretToken] });
      mock.addFaults({ type: 'status', status: 400, echoPassword: true, body: { code: 300, message: 'Bad: %PASSWORD%', errors: [{ field: '%PASSWORD%', message: 'was %PASSWORD%' }] } });
      const proxy = api.createPasswordProxy({ accessToken, zoomBaseUrl: mock.baseUrl, retry: false, authorize: () => true, onEvent: (e) => events.push(e) });
      const body = new FormData();
      body.append('password', PASSWORD);
      const response = await proxy(new Request('http://app.example/zoom/users/ada%40example.com/password', { method: 'PUT', body }));
      const text = await response.text();
      assert.ok(response.status >= 400, `${response.status} ${text}`);
      for (const secret of [PASSWORD, secretToken, TOKEN]) assert.ok(!text.includes(secret), text);
      for (const [name, value] of response.headers) assert.ok(![PASSWORD, secretToken].some((secret) => value.includes(secret)), name);
    }
    const audit = inspect(events, { depth: Infinity });
    assert.equal(events.length, 2);
    for (const secret of [PASSWORD, secretToken]) assert.ok(!audit.includes(secret), audit);
  });

  it("the CLI's output and report file", async () => {
    const work = join(root, 'build', 'secrets-cli');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const csv = join(work, 'users.csv');
    writeFileSync(csv, `userId,password\nada@example.com,${PASSWORD}\ngrace@example.com,Second-Echo-Pass-1\nnobody@example.com,Third-Echo-Pass-1\n`);
    mock.addFaults({ type: 'status', status: 500, body: echo(500, 'Internal'), times: 3, userId: 'ada@example.com' });
    const env = { ...process.env, ZOOM_ACCESS_TOKEN: TOKEN };
    const runs = [
      [['bulk', csv, '--base-url', mock.baseUrl], ''],
      [['set', 'ada@example.com', '--base-url', mock.baseUrl], PASSWORD],
      [['set', 'ada@example.com', '--base-url', mock.baseUrl, '--json'], PASSWORD],
      [['set', 'ada@example.com', '--dry-run', '--base-url', mock.baseUrl], PASSWORD],
      [['check'], PASSWORD],
    ];
    for (const [args, input] of runs) {
      const output = await new Promise((resolve) => {
        const child = spawn(process.execPath, [join(installedPackage, 'bin', 'zoom-password.mjs'), ...args], { env });
        let text = '';
        child.stdout.on('data', (c) => { text += c; });
        child.stderr.on('data', (c) => { text += c; });
        child.on('close', () => resolve(text));
        child.stdin.end(input);
      });
      for (const secret of [PASSWORD, 'Second-Echo-Pass-1', TOKEN]) assert.ok(!output.includes(secret), `${args[0]}: ${output}`);
    }
    const report = readFileSync(join(work, 'users.report.jsonl'), 'utf8');
    // The run's header line, then one line per user.
    assert.equal(report.trim().split('\n').length, 4);
    for (const secret of [PASSWORD, 'Second-Echo-Pass-1', 'Third-Echo-Pass-1', TOKEN]) assert.ok(!report.includes(secret), report);
  });

  it('breach checks: neither the password nor its hash reaches an error', async () => {
    const rangeUrl = `${mock.origin}/range/`;
    const hash = sha1Hex(PASSWORD);
    const secrets = [PASSWORD, hash, hash.slice(5)];
    mock.addRangeFaults({ type: 'status', status: 503 }, { type: 'body', body: `${hash.slice(5)}:x` }, { type: 'hang' });
    for (const options of [{ rangeUrl }, { rangeUrl }, { rangeUrl, timeoutMs: 100 }, { rangeUrl: 'http://127.0.0.1:9/range/' }]) {
      const error = await api.checkBreachedPassword(PASSWORD, options).then(() => assert.fail('expected a rejection'), (e) => e);
      assertClean(error, secrets, error.kind);
    }
    mock.reset({ breached: { [PASSWORD]: 3 } });
    const breached = await update({ breachCheck: { rangeUrl } });
    assert.equal(breached.kind, 'invalid_password');
    assertClean(breached, [...secrets, TOKEN], 'breached');
    const result = await api.checkBreachedPassword(PASSWORD, { rangeUrl });
    assert.ok(!inspect(result, { showHidden: true }).includes(hash.slice(5)), 'the result has no hash');
  });

  it('generated passwords reach no report, output or error, even from a server that echoes them', async () => {
    const work = join(root, 'build', 'secrets-cli-generate');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const csv = join(work, 'users.csv');
    writeFileSync(csv, 'userId\nada@example.com\ngrace@example.com\nnobody@example.com\n');
    // Every answer to ada repeats the password it received, in the message and errors[].
    mock.addFaults({ type: 'status', status: 500, echoPassword: true, body: { code: 500, message: 'Internal: got %PASSWORD%', errors: [{ field: '%PASSWORD%', message: 'was %PASSWORD%' }] }, times: 10, userId: 'ada@example.com' });
    const secretsFile = join(work, 'secrets.csv');
    const output = await new Promise((resolve) => {
      const child = spawn(process.execPath, [join(installedPackage, 'bin', 'zoom-password.mjs'), 'bulk', csv, '--generate', '--secrets', secretsFile, '--base-url', mock.baseUrl, '--json'], { env: { ...process.env, ZOOM_ACCESS_TOKEN: TOKEN } });
      let text = '';
      child.stdout.on('data', (c) => { text += c; });
      child.stderr.on('data', (c) => { text += c; });
      child.on('close', () => resolve(text));
      child.stdin.end();
    });
    const generated = readFileSync(secretsFile, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[1]);
    assert.equal(generated.length, 3);
    const echoed = mock.passwordRequests().filter((r) => r.userId === 'ada@example.com' && r.fault === 'status');
    assert.ok(echoed.length >= 1, 'the server did echo');
    const report = readFileSync(join(work, 'users.report.jsonl'), 'utf8');
    assert.equal(report.trim().split('\n').length, 4, 'a header line, then one line per user');
    for (const password of generated) {
      assert.ok(!output.includes(password), `output: ${output}`);
      assert.ok(!report.includes(password), `report: ${report}`);
    }
    assert.ok(!output.includes(TOKEN) && !report.includes(TOKEN));
  });
});
