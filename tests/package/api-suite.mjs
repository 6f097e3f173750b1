// The API suite every entry of the packed package must pass, in Node (import,
// require, browser.js, web.js) and in Chromium (browser.js, web.js, an esbuild
// bundle). Plain ES module with no Node imports, so the same file runs in a
// page; it talks to the local Zoom mock over HTTP (the mock allows CORS).
//
// apiSuite({ mockOrigin }) returns [name, async (api) => void] pairs.

import { mockControl } from './mock-control.mjs';

const PASSWORD = 'Fresh-Secret-Pass-8';
const TOKEN = 'demo-token-0123456789';

function fail(message) {
  throw new Error(message);
}

export const check = {
  equal(actual, expected, what) {
    if (!Object.is(actual, expected)) fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  },
  deepEqual(actual, expected, what) {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
  },
  ok(value, what) {
    if (!value) fail(`${what}: expected a truthy value, got ${JSON.stringify(value)}`);
  },
  async throwsKind(run, kind, what) {
    let error;
    try {
      await run();
    } catch (e) {
      error = e;
    }
    if (!error) fail(`${what}: expected a ZoomPasswordError of kind ${kind}, nothing was thrown`);
    if (!(error instanceof Error)) fail(`${what}: thrown value is not an Error: ${String(error)}`);
    check.equal(error.name, 'ZoomPasswordError', `${what}: name`);
    check.equal(error.kind, kind, `${what}: kind (${error.message})`);
    return error;
  },
  noSecrets(error, secrets, what) {
    const views = {
      message: error.message,
      stack: String(error.stack),
      string: String(error),
      json: JSON.stringify(error),
      fields: JSON.stringify(Object.entries(error)),
    };
    for (const [view, text] of Object.entries(views)) {
      for (const secret of secrets) {
        if (text.includes(secret)) fail(`${what}: ${view} contains a secret`);
      }
    }
  },
};

/**
 * `fullBuild`: the entry loads the full module (Node, Deno, Bun, workerd),
 * which adds serverToServerTokenProvider, createPasswordProxy and
 * client.updatePasswords; the browser entries load the module without them.
 * `nodeEntry`: the Node entry, which adds createNodeListener.
 */
export function apiSuite({ mockOrigin, fullBuild = false, nodeEntry = false }) {
  const baseUrl = `${mockOrigin}/v2`;
  const { control, passwordRequests } = mockControl(mockOrigin);
  const rangeUrl = `${mockOrigin}/range/`;
  const rangeRequests = async () => (await control('requests')).filter((r) => r.kind === 'range');
  /** Upper-case hex SHA-1, by WebCrypto (this file also runs in a page). */
  const sha1 = async (text) => [...new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  const update = (api, options) => api.updatePassword({
    baseUrl, accessToken: TOKEN, retry: { baseDelayMs: 5, maxDelayMs: 2000 }, ...options,
  });

  /** Cases of client.updatePasswords, which only the full build has. */
  const fullBuildOnly = (testCase) => (fullBuild ? [testCase] : []);

  return [
    ['exports the documented API and an idempotent init()', async (api) => {
      const names = Object.keys(api).filter((n) => n !== '__esModule').sort();
      const expected = ['ZoomPasswordClient', 'buildRequest', 'checkBreachedPassword', 'classifyResponse', 'default', 'generatePassword', 'init', 'isZoomPasswordError', 'updatePassword', 'validatePassword'];
      if (fullBuild) expected.push('serverToServerTokenProvider', 'createPasswordProxy');
      if (nodeEntry) expected.push('createNodeListener');
      check.deepEqual(names, expected.sort(), 'exports');
      check.equal(typeof api.ZoomPasswordClient.prototype.updatePasswords, fullBuild ? 'function' : 'undefined', 'client.updatePasswords only in the full build');
      check.equal(api.default, api.init, 'default export is init');
      const first = api.init();
      check.ok(first instanceof Promise, 'init() returns a Promise');
      await first;
      await api.init();
    }],

    ['validatePassword reports every basic check in order', async (api) => {
      const report = api.validatePassword('abc');
      check.equal(report.valid, false, 'valid');
      check.deepEqual(report.checks.map((c) => c.rule),
        ['printable', 'min_length', 'max_length', 'letter', 'number', 'upper_and_lower', 'single_character', 'consecutive_characters'], 'rules');
      check.deepEqual(report.violations.map((c) => c.rule), ['min_length', 'number', 'upper_and_lower'], 'violations');
      check.equal(report.checks[0].zoomCode, null, 'printable has no code');
      check.equal(report.checks[1].zoomCode, 1124, 'min_length code');
      check.equal(report.checks[2].zoomCode, null, 'max_length has no code');
      check.equal(api.validatePassword('Zx9kq2Lm!').valid, true, 'a good password');
      const withPolicy = api.validatePassword('Zx9kq2Lm', { have_special_character: true, weak_enhance_detection: true, extra: 1 });
      check.deepEqual(withPolicy.violations.map((c) => c.rule), ['special_character'], 'policy rules');
      check.deepEqual(api.validatePassword('Password1', { weak_enhance_detection: true }).violations.map((c) => c.rule), ['weak_password'], 'dictionary');
    }],

    ['validatePassword answers the same whether the policy is read quickly or fully', async (api) => {
      // Own data properties take the quick call; the same values from a
      // class's getters take the full reading (pkg-templates/api.js).
      class ClassPolicy {
        constructor(values) { this.values = values; }
        get minimum_password_length() { return this.values.minimum_password_length; }
        get consecutive_characters_length() { return this.values.consecutive_characters_length; }
        get have_special_character() { return this.values.have_special_character; }
        get weak_enhance_detection() { return this.values.weak_enhance_detection; }
      }
      const policies = [
        {}, { minimum_password_length: 0 }, { minimum_password_length: 14, consecutive_characters_length: 4 },
        { have_special_character: true, weak_enhance_detection: true, minimum_password_length: 9, consecutive_characters_length: 8 },
        { minimum_password_length: null, consecutive_characters_length: 6, have_special_character: false },
      ];
      const passwords = ['', 'abc', 'Zx9kq2Lm!', 'Password1', 'aaaaaaaaaa', 'qwer-1111-Abcd', ' lead-Trail1 ', 'Äpfel-und-Birnen-12', 'x\u200by-Zz-1234'];
      for (const values of policies) {
        for (const password of passwords) {
          check.deepEqual(api.validatePassword(password, values), api.validatePassword(password, new ClassPolicy(values)), `${JSON.stringify(password)} ${JSON.stringify(values)}`);
        }
      }
      const report = api.validatePassword('Password1', { weak_enhance_detection: true });
      check.ok(report.checks.at(-1) !== report.violations.at(-1), 'checks and violations are separate objects, as before');
      check.deepEqual(report.checks.at(-1), report.violations.at(-1), 'with the same fields');
      const bad = [{ minimum_password_length: -1 }, { minimum_password_length: '10' }, { consecutive_characters_length: 3 }, { have_special_character: 1 }, { get weak_enhance_detection() { throw new Error('getter'); } }];
      for (const [i, policy] of bad.entries()) {
        await check.throwsKind(() => api.validatePassword('Zx9kq2Lm!', policy), 'invalid_options', `bad policy #${i}`);
      }
    }],

    ['errors are real Errors with name and kind', async (api) => {
      const error = await check.throwsKind(() => api.validatePassword('x', { minimum_password_length: 3 }), 'invalid_options', 'bad policy');
      check.ok(api.isZoomPasswordError(error), 'isZoomPasswordError');
      check.ok(!api.isZoomPasswordError(new Error('x')), 'plain Error is not one');
      check.ok(!api.isZoomPasswordError({ name: 'ZoomPasswordError', kind: 'x' }), 'look-alike object is not one');
      check.deepEqual(error.fieldErrors.map((f) => f.field), ['minimum_password_length'], 'names the field');
      check.ok(typeof error.stack === 'string', 'has a stack');
      await check.throwsKind(() => api.validatePassword(42), 'invalid_password', 'number password');
      await check.throwsKind(() => api.validatePassword('a\uD800bcdefgh1A'), 'invalid_password', 'lone surrogate');
    }],

    ['buildRequest encodes the user id as one segment and guards the token', async (api) => {
      const request = api.buildRequest({ userId: 'a+b@x.com', password: PASSWORD, accessToken: TOKEN });
      check.deepEqual(request, {
        method: 'PUT',
        url: 'https://api.zoom.us/v2/users/a%2Bb%40x.com/password',
        headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' },
        encoding: 'multipart',
        fields: { password: PASSWORD },
      }, 'request');
      check.equal(api.buildRequest({ userId: '../x', password: PASSWORD, accessToken: TOKEN }).url,
        'https://api.zoom.us/v2/users/..%2Fx/password', 'dot-dot stays in its segment');
      const json = api.buildRequest({ userId: 'me', password: PASSWORD, accessToken: TOKEN, encoding: 'json', baseUrl: 'http://localhost:9/v2/' });
      check.equal(json.headers['Content-Type'], 'application/json', 'json content type');
      check.equal(json.url, 'http://localhost:9/v2/users/me/password', 'loopback http');
      await check.throwsKind(() => api.buildRequest({ userId: '..', password: PASSWORD, accessToken: TOKEN }), 'invalid_user_id', 'dot-dot');
      // A lone surrogate would turn into U+FFFD on its way into Rust (another
      // user); a real U+FFFD is text like any other.
      await check.throwsKind(() => api.buildRequest({ userId: 'a\uD800b@x.com', password: PASSWORD, accessToken: TOKEN }), 'invalid_user_id', 'lone surrogate in the user id');
      check.equal(api.buildRequest({ userId: 'a\uFFFDb@x.com', password: PASSWORD, accessToken: TOKEN }).url,
        'https://api.zoom.us/v2/users/a%EF%BF%BDb%40x.com/password', 'a real U+FFFD is kept');
      await check.throwsKind(() => api.buildRequest({ userId: 'x'.repeat(129), password: PASSWORD, accessToken: TOKEN }), 'invalid_user_id', '129 chars');
      const http = await check.throwsKind(() => api.buildRequest({ userId: 'me', password: PASSWORD, accessToken: TOKEN, baseUrl: 'http://api.zoom.us/v2' }), 'invalid_options', 'plain http');
      check.noSecrets(http, [PASSWORD, TOKEN], 'http error');
      await check.throwsKind(() => api.buildRequest({ userId: 'me', password: PASSWORD, accessToken: 'a b' }), 'invalid_options', 'token with a space');
      await check.throwsKind(() => api.buildRequest(null), 'invalid_options', 'null options');
    }],

    ['classifyResponse handles Zoom bodies, HTML, Headers and plain objects', async (api) => {
      check.deepEqual(api.classifyResponse({ status: 204 }), { ok: true }, '204');
      const reused = api.classifyResponse({ status: 400, body: '{"code":300,"message":"Your new password can not match the old password."}' });
      check.equal(reused.kind, 'password_reused', 'reused');
      check.equal(reused.zoomCode, 300, 'code');
      const limited = api.classifyResponse({
        status: 429,
        body: '{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}',
        headers: new Headers({ 'Retry-After': '2', 'X-RateLimit-Type': 'QPS' }),
      });
      check.equal(limited.kind, 'rate_limited', '429');
      check.equal(limited.rateLimitType, 'qps', 'type from Headers');
      check.equal(limited.retryAfterMs, 2000, 'Retry-After from Headers');
      const plain = api.classifyResponse({ status: 429, body: '', headers: { 'x-ratelimit-type': 'Daily-limit', 'retry-after': 60 } });
      check.equal(plain.rateLimitType, 'daily', 'type from a plain object');
      check.equal(plain.retryAfterMs, 60000, 'numeric Retry-After');
      check.equal(plain.retryable, false, 'daily is not retryable');
      const html = api.classifyResponse({ status: 502, body: '<html><body>Bad Gateway</body></html>' });
      check.equal(html.kind, 'server_error', '502 HTML');
      check.equal(html.message, 'HTTP 502 without a Zoom error message', 'HTML is not the message');
      await check.throwsKind(() => api.classifyResponse({ status: 'x' }), 'invalid_options', 'bad status');
      // body is the text: a fetch Response is refused (read it with await response.text()).
      const withResponse = await check.throwsKind(() => api.classifyResponse({ status: 400, body: new Response('{}') }), 'invalid_options', 'a Response as body');
      check.deepEqual(withResponse.fieldErrors.map((f) => f.field), ['body'], 'names body');
      // A code with one meaning wins over the status: Zoom has answered 1010 with a 400.
      for (const [status, code, kind] of [[400, 1010, 'user_not_found'], [400, 1001, 'user_not_found'], [500, 124, 'unauthorized'], [400, 4700, 'forbidden']]) {
        check.equal(api.classifyResponse({ status, body: JSON.stringify({ code, message: 'x' }) }).kind, kind, `${status} ${code}`);
      }
    }],

    ['updatePassword changes the password on the mock, as multipart', async (api) => {
      await control('reset', {});
      const result = await update(api, { userId: 'ada@example.com', password: PASSWORD });
      check.deepEqual(result, { userId: 'ada@example.com', attempts: 1, alreadySet: false }, 'result');
      const [request] = await passwordRequests();
      check.equal(request.method, 'PUT', 'method');
      check.equal(request.rawPath, '/v2/users/ada%40example.com/password', 'encoded path');
      check.equal(request.encoding, 'multipart', 'multipart body');
      check.deepEqual(request.fields, { password: PASSWORD }, 'fields');
      check.equal(request.headers.authorization, `Bearer ${TOKEN}`, 'bearer token');
      check.equal(request.headers.accept, 'application/json', 'accept');
      const state = await control('state');
      check.equal(state.users.find((u) => u.email === 'ada@example.com').password, PASSWORD, 'mock changed');
    }],

    ['options are read during the call, and a refusal is a rejected promise, never a throw', async (api) => {
      await control('reset', {});
      let asked = 0;
      const options = {
        baseUrl, userId: 'ada@example.com', password: PASSWORD, accessToken: () => { asked += 1; return TOKEN; },
      };
      const pending = api.updatePassword(options);
      // As a JS async function's body runs up to its first await: the
      // options and the token function are read before the call returns.
      check.equal(asked, 1, 'the token function was asked during the call');
      options.userId = 'grace@example.com';
      options.password = 'Other-Secret-Pass-9';
      options.baseUrl = 'http://127.0.0.1:9/v2';
      check.deepEqual(await pending, { userId: 'ada@example.com', attempts: 1, alreadySet: false }, 'result');
      const [request] = await passwordRequests();
      check.equal(request.rawPath, '/v2/users/ada%40example.com/password', 'the user given at the call');
      check.deepEqual(request.fields, { password: PASSWORD }, 'the password given at the call');
      for (const bad of [null, undefined, 42, { userId: 'ada@example.com' }]) {
        let refused;
        try {
          refused = api.updatePassword(bad);
        } catch (error) {
          fail(`updatePassword(${JSON.stringify(bad)}) threw synchronously: ${error}`);
        }
        check.ok(refused instanceof Promise, 'a refusal is a promise');
        await check.throwsKind(() => refused, 'invalid_options', `updatePassword(${JSON.stringify(bad)})`);
      }
    }],

    ['updatePassword sends JSON when asked', async (api) => {
      await control('reset', {});
      await update(api, { userId: 'grace@example.com', password: PASSWORD, encoding: 'json' });
      const [request] = await passwordRequests();
      check.equal(request.encoding, 'json', 'json body');
      check.ok(request.contentType.startsWith('application/json'), 'content type');
      check.deepEqual(request.fields, { password: PASSWORD }, 'fields');
    }],

    ['the mock receives exactly one password field with the exact characters sent', async (api) => {
      const tricky = 'Sp ace "Q" Ünï 😀 1x\\';
      for (const encoding of ['multipart', 'json']) {
        await control('reset', {});
        await update(api, { userId: 'grace@example.com', password: tricky, encoding });
        const [request] = await passwordRequests();
        check.deepEqual(request.fieldNames, ['password'], `${encoding}: one field`);
        check.equal(request.fields.password, tricky, `${encoding}: exact characters`);
      }
    }],

    ['what is sent is byte for byte what was checked, multipart and JSON', async (api) => {
      // Printable passwords Zoom's rules accept: every byte must arrive as given.
      const passwords = ['Inner Space 12x', 'Ünïcödé-Pass-12', 'Пароль-Pass-12', '密码-Pass-12xY', 'Emoji-😀-Pass-12', 'Combining-e\u0301-Pass-12',
        'Quote"Back\\slash-12Aa', 'Percent%20&Eq=-12Aa', 'שלום-Pass-12x', 'Dash--Boundary-12Aa'];
      const utf8 = (text) => [...new TextEncoder().encode(text)].join(',');
      const decode = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const indexOf = (bytes, pattern, from = 0) => {
        outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
          for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
          return i;
        }
        return -1;
      };
      for (const encoding of ['multipart', 'json']) {
        await control('reset', {});
        for (const password of passwords) {
          check.equal(api.validatePassword(password).valid, true, `${password}: valid`);
          await update(api, { userId: 'grace@example.com', password, encoding });
        }
        const requests = await passwordRequests();
        check.equal(requests.length, passwords.length, `${encoding}: one request each`);
        requests.forEach((request, i) => {
          const raw = decode(request.rawBody);
          let field;
          if (encoding === 'json') {
            field = new TextEncoder().encode(JSON.parse(new TextDecoder().decode(raw)).password);
          } else {
            // The part's bytes, between its blank line and the CRLF before the next boundary.
            const boundary = new TextEncoder().encode(`\r\n--${/boundary=(.+)$/.exec(request.contentType)[1]}`);
            const start = indexOf(raw, new TextEncoder().encode('\r\n\r\n')) + 4;
            field = raw.subarray(start, indexOf(raw, boundary, start));
          }
          check.equal([...field].join(','), utf8(passwords[i]), `${encoding}: ${passwords[i]} arrived byte for byte`);
        });
      }
    }],

    ['printable: what cannot be seen is refused before sending, even with validate: false', async (api) => {
      await control('reset', {});
      const unseen = ['Good-Pass-123x!\r\n', 'Good-Pass-123x!\n', 'Good\rPass-123x!', ' Good-Pass-123x!', 'Good-Pass-123x! ', 'Good\tPass-123x!',
        'Good\u0000Pass-123x!', 'Good\u007fPass-123x!', 'Good\u0085Pass-123x!', 'Good\u200bPass-123x!', 'Good\u200dPass-123x!',
        'Good\u202ePass-123x!', 'Good\ufeffPass-123x!', 'Good-Pass-123x!\u00a0', '\u3000Good-Pass-123x!'];
      for (const password of unseen) {
        const report = api.validatePassword(password);
        check.deepEqual(report.violations.map((v) => v.rule), ['printable'], `${JSON.stringify(password)}: the one violation`);
        for (const options of [{ encoding: 'multipart' }, { encoding: 'json' }, { validate: false }, { validate: false, encoding: 'json' }]) {
          const error = await check.throwsKind(() => update(api, { userId: 'grace@example.com', password, ...options }), 'invalid_password', `${JSON.stringify(password)} ${JSON.stringify(options)}`);
          check.deepEqual(error.violations.map((v) => v.rule), ['printable'], 'violation');
          check.equal(error.attempts, 0, 'nothing sent');
        }
      }
      check.equal((await passwordRequests()).length, 0, 'the mock saw nothing');
    }],

    ['userIds with whitespace at either end are refused before sending', async (api) => {
      await control('reset', {});
      for (const userId of [' ', 'ada@example.com ', ' ada@example.com', 'ada@example.com\u00a0']) {
        const error = await check.throwsKind(() => update(api, { userId, password: PASSWORD }), 'invalid_user_id', JSON.stringify(userId));
        check.equal(error.attempts, 0, 'no attempt');
      }
      check.equal((await passwordRequests()).length, 0, 'nothing sent');
    }],

    ['accessToken may be left out only for a same-origin proxy path in a page', async (api) => {
      const inPage = typeof location === 'object' && typeof document === 'object';
      if (inPage) {
        // createPasswordProxy adds the server's token; the page's cookies go with the request.
        check.ok(new api.ZoomPasswordClient({ baseUrl: '/zoom' }), 'a client for a same-origin proxy');
      } else {
        await check.throwsKind(() => new api.ZoomPasswordClient({ baseUrl: '/zoom' }), 'invalid_options', 'no page to resolve /zoom against');
      }
      await check.throwsKind(() => new api.ZoomPasswordClient({ baseUrl }), 'invalid_options', 'an absolute baseUrl needs a token');
      const missing = await check.throwsKind(() => api.updatePassword({ userId: 'me', password: PASSWORD, baseUrl }), 'invalid_options', 'updatePassword without a token');
      check.deepEqual(missing.fieldErrors.map((f) => f.field), ['accessToken'], 'names accessToken');
    }],

    ['a freed client rejects every call with a typed error; free() twice is harmless', async (api) => {
      const client = new api.ZoomPasswordClient({ accessToken: TOKEN, baseUrl });
      client.free();
      client.free();
      if (Symbol.dispose) client[Symbol.dispose]();
      const calls = { updatePassword: () => client.updatePassword('ada@example.com', PASSWORD), fetchPasswordPolicy: () => client.fetchPasswordPolicy() };
      if (typeof client.updatePasswords === 'function') calls.updatePasswords = () => client.updatePasswords([]);
      for (const [name, call] of Object.entries(calls)) {
        const error = await check.throwsKind(call, 'invalid_options', `${name} after free()`);
        check.ok(error.message.includes('free()'), `${name}: says why`);
      }
      check.ok(client instanceof api.ZoomPasswordClient, 'still an instance of the class');
    }],

    ['a token function may free its own client during a call: the call finishes, later calls are refused', async (api) => {
      await control('reset', {});
      let threw;
      const client = new api.ZoomPasswordClient({
        baseUrl,
        accessToken: () => {
          try {
            client.free();
          } catch (error) {
            threw = error;
          }
          return TOKEN;
        },
      });
      const result = await client.updatePassword('ada@example.com', PASSWORD);
      check.equal(threw, undefined, 'free() inside the call threw nothing');
      check.equal(result.userId, 'ada@example.com', 'the call finished');
      // After the deferred release: the client refuses, and the instance
      // still serves another client (a free() taken mid-call left it trapping).
      await new Promise((resolve) => setTimeout(resolve, 0));
      await check.throwsKind(() => client.updatePassword('ada@example.com', PASSWORD), 'invalid_options', 'after free()');
      const other = new api.ZoomPasswordClient({ baseUrl, accessToken: TOKEN });
      check.equal((await other.updatePassword('grace@example.com', PASSWORD)).userId, 'grace@example.com', 'the instance still works');
      other.free();
      check.equal((await passwordRequests()).length, 2, 'one request from each client');
    }],

    ['an invalid password is refused before any request', async (api) => {
      await control('reset', {});
      const error = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: 'weakpass' }), 'invalid_password', 'weak');
      check.deepEqual(error.violations.map((v) => v.rule), ['number', 'upper_and_lower'], 'violations');
      check.equal(error.attempts, 0, 'no attempt');
      check.equal(error.userId, 'ada@example.com', 'userId');
      check.equal((await passwordRequests()).length, 0, 'nothing sent');
      check.noSecrets(error, ['weakpass', TOKEN], 'invalid_password');
      // Any refusal of a call with a valid userId names the user.
      const badOption = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: PASSWORD, timeoutMs: -1 }), 'invalid_options', 'bad timeoutMs');
      check.equal(badOption.userId, 'ada@example.com', 'userId on an option error');
    }],

    ['each answer class surfaces as its kind, with no secret in the error', async (api) => {
      await control('reset', {});
      const cases = [
        [{ userId: 'nobody@example.com', password: PASSWORD }, 'user_not_found', 404, 1001],
        [{ userId: 'ada@example.com', password: PASSWORD, accessToken: 'not-a-valid-token' }, 'unauthorized', 401, 124],
        [{ userId: 'ada@example.com', password: 'Current-Pass-7' }, 'password_reused', 400, 300],
        [{ userId: 'ada@example.com', password: 'Previous-Pass-6' }, 'password_reused', 400, 1129],
        [{ userId: 'admin@example.com', password: PASSWORD }, 'not_permitted', 400, 1117],
        [{ userId: 'ada@example.com', password: 'short1A', validate: false }, 'password_rejected', 400, 1124],
      ];
      for (const [options, kind, status, code] of cases) {
        const error = await check.throwsKind(() => update(api, options), kind, kind);
        check.equal(error.status, status, `${kind} status`);
        check.equal(error.zoomCode, code, `${kind} code`);
        check.equal(error.attempts, 1, `${kind} attempts`);
        check.noSecrets(error, [options.password, options.accessToken ?? TOKEN], kind);
      }
    }],

    ['server errors are retried, and a lost answer is reconciled', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'status', status: 500 }, { type: 'html' }]);
      const retried = await update(api, { userId: 'grace@example.com', password: PASSWORD });
      check.deepEqual(retried, { userId: 'grace@example.com', attempts: 3, alreadySet: false }, '500, 502, 204');
      await control('faults', [{ type: 'drop', apply: true }]);
      const lost = await update(api, { userId: 'grace@example.com', password: 'Second-Secret-9x' });
      check.deepEqual(lost, { userId: 'grace@example.com', attempts: 2, alreadySet: true }, 'dropped after applying');
      const grace = (await control('state')).users.find((u) => u.email === 'grace@example.com');
      check.equal(grace.changes, 2, 'exactly one change per call');
    }],

    ['an unknown option (a typo) is refused by name before anything is sent; bulk items may carry extra fields', async (api) => {
      await control('reset', {});
      const typo = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: PASSWORD, retries: 3 }), 'invalid_options', 'retries');
      check.deepEqual(typo.fieldErrors.map((f) => f.field), ['retries'], 'names the key');
      check.equal(typo.userId, 'ada@example.com', 'userId');
      const nested = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: PASSWORD, retry: { attempt: 5 } }), 'invalid_options', 'retry.attempt');
      check.deepEqual(nested.fieldErrors.map((f) => f.field), ['retry.attempt'], 'names the nested key');
      await check.throwsKind(() => new api.ZoomPasswordClient({ accessToken: TOKEN, baseURL: baseUrl }), 'invalid_options', 'baseURL');
      await check.throwsKind(() => api.buildRequest({ userId: 'me', password: PASSWORD, accessToken: TOKEN, encode: 'json' }), 'invalid_options', 'encode');
      check.equal((await passwordRequests()).length, 0, 'nothing sent');
    }],

    ...fullBuildOnly(['bulk items may carry extra fields; a typo in the run\'s options is refused', async (api) => {
      await control('reset', {});
      const client = new api.ZoomPasswordClient({ accessToken: TOKEN, baseUrl, retry: { baseDelayMs: 5, maxDelayMs: 50 } });
      const summary = await client.updatePasswords([{ userId: 'grace@example.com', password: PASSWORD, department: 'Sales' }]);
      check.equal(summary.succeeded, 1, 'extra item fields are allowed');
      await check.throwsKind(() => client.updatePasswords([], { concurency: 2 }), 'invalid_options', 'concurency');
    }]),

    ['redirects are never followed, so the token goes nowhere else', async (api) => {
      await control('reset', {});
      for (const status of [301, 302, 307, 308]) {
        await control('faults', [{ type: 'redirect', status, location: `${mockOrigin}/v2/users/grace%40example.com/password` }]);
        const error = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: PASSWORD }), 'unexpected_response', `${status}`);
        check.equal(error.attempts, 1, 'not retried');
      }
      const requests = await passwordRequests();
      check.equal(requests.length, 4, 'only the redirecting requests arrived');
      check.ok(requests.every((r) => r.userId === 'ada@example.com'), 'the redirect target was never called');
    }],

    ['timeoutMs ends a hanging attempt and the signal aborts', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'hang' }]);
      const timeout = await check.throwsKind(() => update(api, { userId: 'grace@example.com', password: PASSWORD, timeoutMs: 150, retry: false }), 'timeout', 'hang');
      check.equal(timeout.attempts, 1, 'one attempt');
      const controller = new AbortController();
      controller.abort();
      await check.throwsKind(() => update(api, { userId: 'grace@example.com', password: PASSWORD, signal: controller.signal }), 'aborted', 'pre-aborted');
    }],

    ['a fetch whose promise throws from its own then ends the attempt with a typed error, and the instance goes on', async (api) => {
      const realFetch = globalThis.fetch;
      globalThis.fetch = () => Object.defineProperty(Promise.resolve(new Response(null, { status: 204 })), 'then', {
        value() {
          throw new Error('then says no');
        },
      });
      try {
        const error = await check.throwsKind(() => update(api, { userId: 'grace@example.com', password: PASSWORD, retry: false }), 'network_error', 'hostile then');
        check.equal(error.attempts, 1, 'the request was handed to fetch');
      } finally {
        globalThis.fetch = realFetch;
      }
      await control('reset', {});
      const result = await update(api, { userId: 'ada@example.com', password: PASSWORD });
      check.equal(result.attempts, 1, 'the next call goes through');
    }],

    ['generatePassword draws policy-valid passwords from the documented alphabet', async (api) => {
      const alphabet = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%*+-=?@^_');
      const full = { minimum_password_length: 14, have_special_character: true, consecutive_characters_length: 4, weak_enhance_detection: true };
      const seen = new Set();
      for (let i = 0; i < 300; i += 1) {
        const password = api.generatePassword(full);
        check.equal(password.length, 16, 'default length');
        check.ok([...password].every((c) => alphabet.has(c)), `alphabet: ${password.length}`);
        check.equal(api.validatePassword(password, full).valid, true, 'valid for the full policy');
        seen.add(password);
      }
      check.equal(seen.size, 300, 'no repeats');
      check.equal(api.generatePassword(null, { length: 8 }).length, 8, 'length 8');
      check.equal(api.generatePassword(undefined, { length: 31 }).length, 31, 'length 31');
      check.equal(api.generatePassword({ minimum_password_length: 14 }).length, 16, 'policy minimum below the default');
      for (const length of [7, 32, 12.5, '16']) {
        const error = await check.throwsKind(() => api.generatePassword(null, { length }), 'invalid_options', `length ${length}`);
        check.deepEqual(error.fieldErrors.map((f) => f.field), ['length'], 'names length');
      }
      await check.throwsKind(() => api.generatePassword(full, { length: 12 }), 'invalid_options', 'below the policy minimum');
      await check.throwsKind(() => api.generatePassword(null, { lenght: 12 }), 'invalid_options', 'a typo');
      await check.throwsKind(() => api.generatePassword({ minimum_password_length: 3 }), 'invalid_options', 'a bad policy');
    }],

    ['checkBreachedPassword sends only the hash prefix, with Add-Padding', async (api) => {
      await control('reset', {});
      const breached = await api.checkBreachedPassword('Password123', { rangeUrl });
      check.deepEqual(breached, { breached: true, count: 251682 }, 'breached');
      const clean = await api.checkBreachedPassword(PASSWORD, { rangeUrl, timeoutMs: 5000 });
      check.deepEqual(clean, { breached: false, count: 0 }, 'not breached');
      const requests = await rangeRequests();
      const hashes = [await sha1('Password123'), await sha1(PASSWORD)];
      check.deepEqual(requests.map((r) => r.path), hashes.map((h) => `/range/${h.slice(0, 5)}`), 'one query each, the prefix only');
      check.ok(requests.every((r) => r.method === 'GET' && r.headers['add-padding'] === 'true'), 'GET with Add-Padding: true');
      check.ok(requests.every((r) => !r.headers.authorization), 'no Authorization header');
      const everything = JSON.stringify(await control('requests'));
      for (const secret of ['Password123', PASSWORD, ...hashes.map((h) => h.slice(5)), ...hashes]) {
        check.ok(!everything.includes(secret), 'no password, hash or suffix reached the server');
      }
      check.equal((await passwordRequests()).length, 0, 'nothing sent to Zoom');
    }],

    ['checkBreachedPassword fails with typed errors', async (api) => {
      await control('reset', {});
      await control('range-faults', [{ type: 'status', status: 503 }, { type: 'status', status: 404 }, { type: 'body', body: '<html>blocked</html>' }, { type: 'hang' }]);
      const server = await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeUrl }), 'server_error', '503');
      check.equal(server.status, 503, 'status');
      check.equal((await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeUrl }), 'unexpected_response', '404')).status, 404, '404 status');
      await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeUrl }), 'unexpected_response', 'not the range format');
      await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeUrl, timeoutMs: 150 }), 'timeout', 'hang');
      const controller = new AbortController();
      controller.abort();
      await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeUrl, signal: controller.signal }), 'aborted', 'aborted');
      const plain = await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeUrl: 'http://api.pwnedpasswords.com/range/' }), 'invalid_options', 'plain http');
      check.deepEqual(plain.fieldErrors.map((f) => f.field), ['rangeUrl'], 'names rangeUrl');
      await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeURL: rangeUrl }), 'invalid_options', 'a typo');
      await check.throwsKind(() => api.checkBreachedPassword(42, { rangeUrl }), 'invalid_password', 'not a string');
      const unreachable = await check.throwsKind(() => api.checkBreachedPassword(PASSWORD, { rangeUrl: 'http://127.0.0.1:9/range/' }), 'network_error', 'unreachable');
      check.ok(unreachable.message.includes('127.0.0.1:9'), 'names the host');
      check.equal((await rangeRequests()).length, 4, 'the refused options sent nothing');
    }],

    ['breachCheck refuses a breached password before Zoom, and fails closed', async (api) => {
      await control('reset', {});
      const breached = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: 'Summer2024!', breachCheck: { rangeUrl } }), 'invalid_password', 'breached');
      check.deepEqual(breached.violations, [{ rule: 'not_breached', passed: false, zoomCode: null, message: 'Not in a list of breached passwords' }], 'violation');
      check.equal(breached.attempts, 0, 'no attempt');
      check.equal(breached.userId, 'ada@example.com', 'userId');
      check.noSecrets(breached, ['Summer2024!', TOKEN], 'breached error');
      await control('range-faults', [{ type: 'status', status: 500 }]);
      const closed = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: PASSWORD, breachCheck: { rangeUrl } }), 'server_error', 'range down');
      check.equal(closed.attempts, 0, 'fails closed: no attempt');
      check.equal((await passwordRequests()).length, 0, 'nothing sent to Zoom');
      const weak = await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: 'weakpass', breachCheck: { rangeUrl } }), 'invalid_password', 'rules first');
      check.deepEqual(weak.violations.map((v) => v.rule), ['number', 'upper_and_lower'], 'the rules, no query');
      check.equal((await rangeRequests()).length, 2, 'the weak password needed no query');
      const client = new api.ZoomPasswordClient({ accessToken: TOKEN, baseUrl });
      const viaClient = await check.throwsKind(() => client.updatePassword('grace@example.com', 'Welcome-123', { breachCheck: { rangeUrl } }), 'invalid_password', 'client.updatePassword');
      check.deepEqual(viaClient.violations.map((v) => v.rule), ['not_breached'], 'client violation');
      check.equal((await passwordRequests()).length, 0, 'the client sent nothing either');
      const done = await update(api, { userId: 'ada@example.com', password: PASSWORD, breachCheck: { rangeUrl, timeoutMs: 5000 } });
      check.equal(done.attempts, 1, 'a clean password is changed');
      await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: PASSWORD, breachCheck: 'yes' }), 'invalid_options', 'breachCheck: a string');
      await check.throwsKind(() => update(api, { userId: 'ada@example.com', password: PASSWORD, breachCheck: { url: rangeUrl } }), 'invalid_options', 'breachCheck.url');
    }],

    ...fullBuildOnly(['a bulk run asks once per distinct prefix and refuses breached items only', async (api) => {
      await control('reset', {});
      const client = new api.ZoomPasswordClient({ accessToken: TOKEN, baseUrl, retry: { baseDelayMs: 5, maxDelayMs: 50 } });
      const shared = 'Shared-Reset-Pass-42';
      const items = [
        { userId: 'owner@example.com', password: shared },
        { userId: 'ada@example.com', password: 'P@ssw0rd2024' },
        { userId: 'grace@example.com', password: shared },
        { userId: 'sso@example.com', password: 'P@ssw0rd2024', breachCheck: false },
      ];
      const summary = await client.updatePasswords(items, { concurrency: 4, breachCheck: { rangeUrl } });
      check.deepEqual(summary.results.map((r) => r.ok), [true, false, true, false], 'oks');
      check.deepEqual(summary.results[1].error.violations.map((v) => v.rule), ['not_breached'], 'breached item');
      check.equal(summary.results[3].error.kind, 'not_permitted', 'breachCheck: false on the item sends it (and Zoom refuses the SSO user)');
      const prefixes = [await sha1(shared), await sha1('P@ssw0rd2024')].map((h) => `/range/${h.slice(0, 5)}`);
      check.deepEqual((await rangeRequests()).map((r) => r.path).sort(), prefixes.sort(), 'one query per distinct prefix');
      check.deepEqual((await passwordRequests()).map((r) => r.userId).sort(), ['grace@example.com', 'owner@example.com', 'sso@example.com'], 'the breached item was never sent');
    }]),
  ];
}
