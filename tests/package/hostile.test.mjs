// Hostile input through the installed package: 10,000 randomized calls per
// exported function with values no caller should pass (lone surrogates,
// wrong types, getters and Proxies that throw, polluted prototypes, huge
// strings, a replaced global fetch). Every call must return or throw a
// ZoomPasswordError of an expected kind, never a wasm trap
// ("RuntimeError: unreachable") or a stray TypeError, and the instance must
// still work afterwards.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { loadEntry } from '../helpers/consumer.mjs';

const CALLS = 10_000;
const HUGE = 'Zx9!'.repeat(1 << 18); // 1 MB

/** mulberry32: the same hostile sequence on every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function throwingGetter(key) {
  return Object.defineProperty({}, key, { enumerable: true, get() { throw new Error('getter says no'); } });
}

function throwingProxy() {
  const trap = () => { throw new Error('trap says no'); };
  return new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
}

function revokedProxy() {
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  return proxy;
}

/** Values no caller should pass where a string, number, object or signal belongs. */
function hostileValues(random) {
  const pool = [
    () => undefined, () => null, () => 0, () => -0, () => NaN, () => Infinity, () => -1, () => 1e308, () => 2 ** 53 + 2,
    () => 42n, () => true, () => false, () => Symbol('hostile'),
    () => '', () => ' ', () => 'me', () => '\uD800', () => `a\uDC00b`, () => 'x\u0000y', () => '\u202eevil', () => '😀'.repeat(50),
    () => '../x', () => '%2e%2e', () => '.', () => 'https://evil.example/v2', () => 'http://api.zoom.us/v2', () => '//evil.example',
    () => 'http://127.0.0.1:9/v2', () => 'json', () => 'multipart', () => 'Zx9!kq2Lm', () => 'Bearer x', () => 'tok en',
    () => (random() < 0.02 ? HUGE : 'short'),
    () => ({}), () => [], () => [1, 2, 3], () => new Date(0), () => /re/, () => new Map(), () => Object.create(null),
    () => () => 'a-token', () => async () => { throw new Error('no token'); }, () => () => 42,
    () => throwingGetter('userId'), () => throwingProxy(), () => revokedProxy(),
    () => ({ aborted: true, addEventListener() {}, removeEventListener() {} }),
    () => ({ aborted: 'yes', addEventListener: 1 }),
    () => ({ minimum_password_length: 99 }), () => ({ consecutive_characters_length: 4.5 }), () => ({ attempts: 0 }),
    () => ({ status: 429, body: '{"code":429', headers: { 'retry-after': '99999999999999999999' } }),
    () => ({ status: 1e9 }), () => ({ status: 200.5 }), () => ({ get: () => { throw new Error('no headers'); } }),
  ];
  return () => pool[Math.floor(random() * pool.length)]();
}

const KEYS = ['userId', 'password', 'accessToken', 'tokenProvider', 'baseUrl', 'encoding', 'policy', 'validate', 'timeoutMs', 'signal', 'retry', 'status', 'body', 'headers', 'requestsPerSecond', 'concurrency', 'onProgress', 'accountId', 'clientId', 'clientSecret', 'oauthBaseUrl'];

function hostileOptions(random, value) {
  const roll = random();
  if (roll < 0.1) return value();
  if (roll < 0.15) return throwingProxy();
  const options = {};
  for (const key of KEYS) {
    if (random() < 0.4) options[key] = value();
  }
  // Keep every request local: a hostile call may still be a valid one.
  if (typeof options.baseUrl !== 'string' || random() < 0.5) options.baseUrl = 'http://127.0.0.1:9/v2';
  options.timeoutMs = random() < 0.9 ? 50 : options.timeoutMs;
  options.retry = random() < 0.9 ? { attempts: 2, baseDelayMs: 0, maxDelayMs: 1 } : options.retry;
  if (random() < 0.1) {
    const key = KEYS[Math.floor(random() * KEYS.length)];
    Object.defineProperty(options, key, { enumerable: true, get() { throw new Error('getter says no'); } });
  }
  return options;
}

/** Valid update options with up to two fields replaced by hostile values, so the deep paths run too. */
function corruptedUpdate(random, value) {
  const options = {
    userId: 'me', password: 'Zx9kq2Lm!', accessToken: 'token', baseUrl: 'http://127.0.0.1:9/v2',
    timeoutMs: 50, retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 1 },
  };
  const keys = ['userId', 'password', 'accessToken', 'encoding', 'policy', 'validate', 'signal', 'retry', 'maybeApplied'];
  for (let n = Math.floor(random() * 3); n > 0; n--) options[keys[Math.floor(random() * keys.length)]] = value();
  if (typeof options.baseUrl !== 'string') options.baseUrl = 'http://127.0.0.1:9/v2';
  return options;
}

const ALLOWED_SYNC = new Set(['invalid_options', 'invalid_user_id', 'invalid_password']);

describe('hostile input through the package', () => {
  let api;
  let realFetch;
  const random = seeded(8);
  const value = hostileValues(random);
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);

  before(async () => {
    api = await loadEntry('import');
    realFetch = globalThis.fetch;
    process.on('unhandledRejection', onUnhandled);
  });
  after(() => {
    globalThis.fetch = realFetch;
    process.off('unhandledRejection', onUnhandled);
  });

  /** Runs `call`, which may return or throw; a throw must be a ZoomPasswordError of an allowed kind. */
  function expectTyped(call, allowed, what) {
    try {
      call();
    } catch (error) {
      assert.ok(api.isZoomPasswordError(error), `${what} threw ${error?.name}: ${error?.message}`);
      assert.ok(allowed.has(error.kind), `${what} threw kind ${error.kind}`);
    }
  }

  async function expectTypedAsync(call, allowed, what) {
    try {
      await call();
    } catch (error) {
      assert.ok(api.isZoomPasswordError(error), `${what} rejected with ${error?.name}: ${error?.message}`);
      if (allowed) assert.ok(allowed.has(error.kind), `${what} rejected with kind ${error.kind}`);
    }
  }

  it('validatePassword', () => {
    for (let i = 0; i < CALLS; i++) {
      expectTyped(() => {
        const report = api.validatePassword(value(), random() < 0.5 ? value() : hostileOptions(random, value));
        assert.equal(typeof report.valid, 'boolean');
      }, ALLOWED_SYNC, `validatePassword #${i}`);
    }
  });

  it('buildRequest', () => {
    for (let i = 0; i < CALLS; i++) {
      expectTyped(() => {
        const request = api.buildRequest(hostileOptions(random, value));
        assert.match(request.url, /^https?:\/\//i);
      }, ALLOWED_SYNC, `buildRequest #${i}`);
    }
  });

  it('classifyResponse', () => {
    for (let i = 0; i < CALLS; i++) {
      expectTyped(() => {
        const outcome = api.classifyResponse(hostileOptions(random, value));
        assert.equal(typeof outcome.ok, 'boolean');
      }, ALLOWED_SYNC, `classifyResponse #${i}`);
    }
  });

  it('isZoomPasswordError never throws', () => {
    for (let i = 0; i < CALLS; i++) assert.equal(typeof api.isZoomPasswordError(value()), 'boolean');
    assert.equal(api.isZoomPasswordError(throwingProxy()), false);
  });

  it('updatePassword and the client, with a hostile global fetch', async () => {
    const answers = [
      () => new Response(null, { status: 204 }),
      () => new Response('{"code":300,"message":"Your new password can not match the old password."}', { status: 400 }),
      () => new Response('<html>', { status: 502 }),
      () => { throw new TypeError('fetch exploded'); },
      () => Promise.reject('a string, not an Error'),
      () => 'not a promise',
      () => ({ status: 'weird', headers: throwingProxy(), text: () => { throw new Error('no body'); } }),
      () => ({ status: 204 }),
      () => Promise.reject(throwingProxy()),
      // A real promise whose own `then` throws (the API suite holds what it
      // ends with: network_error after one attempt, in every entry).
      () => Object.defineProperty(Promise.resolve(new Response(null, { status: 204 })), 'then', { value() { throw new Error('then says no'); } }),
    ];
    let fetches = 0;
    const kinds = new Map();
    globalThis.fetch = () => {
      fetches += 1;
      return answers[Math.floor(random() * answers.length)]();
    };
    try {
      for (let i = 0; i < CALLS; i++) {
        const options = random() < 0.3 ? hostileOptions(random, value) : corruptedUpdate(random, value);
        await expectTypedAsync(async () => {
          try {
            await api.updatePassword(options);
            kinds.set('resolved', (kinds.get('resolved') ?? 0) + 1);
          } catch (error) {
            kinds.set(error?.kind, (kinds.get(error?.kind) ?? 0) + 1);
            throw error;
          }
        }, null, `updatePassword #${i}`);
        {
          await expectTypedAsync(async () => {
            const client = new api.ZoomPasswordClient(hostileOptions(random, value));
            await client.updatePassword(value(), value(), hostileOptions(random, value));
            await client.updatePasswords(random() < 0.5 ? value() : [hostileOptions(random, value), value()], hostileOptions(random, value));
            await client.fetchPasswordPolicy(value(), hostileOptions(random, value));
          }, null, `client #${i}`);
          expectTyped(() => api.serverToServerTokenProvider(hostileOptions(random, value)), new Set(['invalid_options']), `serverToServerTokenProvider #${i}`);
        }
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(unhandled.map(String), []);
    // The hostile answers were really exercised, and every outcome was typed.
    assert.ok(fetches > 300, `fetch called ${fetches} times; outcomes ${JSON.stringify([...kinds])}`);
    assert.ok(kinds.get('resolved') > 0 && kinds.get('network_error') > 0 && kinds.get('server_error') > 0, JSON.stringify([...kinds]));
  });

  it('a polluted Object.prototype cannot redirect a request or inject a token', () => {
    Object.prototype.baseUrl = 'https://evil.example/v2';
    Object.prototype.accessToken = 'polluted-token';
    Object.prototype.minimum_password_length = 14;
    try {
      const request = api.buildRequest({ userId: 'me', password: 'x', accessToken: 'own-token' });
      assert.equal(request.url, 'https://api.zoom.us/v2/users/me/password');
      assert.throws(() => api.buildRequest({ userId: 'me', password: 'x' }), (e) => e.kind === 'invalid_options');
      assert.equal(api.validatePassword('Zx9kq2Lm', {}).valid, true, 'the policy is the object\'s own');
    } finally {
      delete Object.prototype.baseUrl;
      delete Object.prototype.accessToken;
      delete Object.prototype.minimum_password_length;
    }
  });

  it('setters planted on Object.prototype neither see nor swallow an output\'s fields', () => {
    // Outputs are filled by definition: with assignment, each setter below
    // would run and the field would be missing from the object.
    const seen = [];
    const names = ['ok', 'kind', 'status', 'zoomCode', 'fieldErrors', 'field', 'violations', 'rule', 'passed'];
    for (const name of names) {
      Object.defineProperty(Object.prototype, name, { set() { seen.push(name); }, configurable: true });
    }
    let outcome;
    let error;
    try {
      outcome = api.classifyResponse({ status: 400, body: '{"code":300,"message":"Your new password can not match the old password.","errors":[{"field":"password","message":"reused"}]}' });
      try {
        api.buildRequest({ userId: 'me', password: 'x', accessToken: 'a b' });
      } catch (caught) {
        error = caught;
      }
    } finally {
      for (const name of names) delete Object.prototype[name];
    }
    assert.deepEqual(seen, []);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.kind, 'password_reused');
    assert.equal(outcome.status, 400);
    assert.equal(outcome.zoomCode, 300);
    assert.deepEqual(outcome.fieldErrors, [{ field: 'password', message: 'reused' }]);
    assert.equal(error.kind, 'invalid_options');
    assert.deepEqual(error.fieldErrors.map((f) => f.field), ['accessToken']);
  });

  // Their own seeded sequence, so the sequences above stay as they were.
  const breachRandom = seeded(13);
  const breachValue = hostileValues(breachRandom);

  it('generatePassword', () => {
    for (let i = 0; i < CALLS; i++) {
      expectTyped(() => {
        const policy = breachRandom() < 0.5 ? breachValue() : hostileOptions(breachRandom, breachValue);
        const options = breachRandom() < 0.5 ? breachValue() : { length: breachRandom() < 0.5 ? breachValue() : 8 + Math.floor(breachRandom() * 30) };
        const password = api.generatePassword(policy, options);
        assert.equal(api.validatePassword(password, policy).valid, true, 'valid for its policy');
      }, ALLOWED_SYNC, `generatePassword #${i}`);
    }
  });

  it('checkBreachedPassword and breachCheck, with a hostile global fetch', async () => {
    const answers = [
      () => new Response('1E4C9B93F3F0682250B6CF8331B7EE68FD8:3\r\n', { status: 200 }),
      () => new Response('', { status: 200 }),
      () => new Response('<html>', { status: 503 }),
      () => new Response(null, { status: 204 }),
      () => { throw new TypeError('fetch exploded'); },
      () => Promise.reject('a string, not an Error'),
      () => ({ status: 200, text: () => { throw new Error('no body'); } }),
      () => ({ status: 200, text: () => Promise.resolve(42) }),
    ];
    globalThis.fetch = () => answers[Math.floor(breachRandom() * answers.length)]();
    const rangeUrl = 'http://127.0.0.1:9/range/';
    const outcomes = new Map();
    try {
      for (let i = 0; i < 2000; i++) {
        const options = breachRandom() < 0.3
          ? hostileOptions(breachRandom, breachValue)
          : { rangeUrl, timeoutMs: 50, ...(breachRandom() < 0.3 ? { signal: breachValue() } : {}) };
        await expectTypedAsync(async () => {
          try {
            const result = await api.checkBreachedPassword(breachRandom() < 0.7 ? 'password' : breachValue(), options);
            outcomes.set(result.breached ? 'breached' : 'clean', (outcomes.get(result.breached ? 'breached' : 'clean') ?? 0) + 1);
          } catch (error) {
            outcomes.set(error?.kind, (outcomes.get(error?.kind) ?? 0) + 1);
            throw error;
          }
        }, null, `checkBreachedPassword #${i}`);
        const breachCheck = breachRandom() < 0.5 ? breachValue() : { rangeUrl, timeoutMs: breachRandom() < 0.8 ? 50 : breachValue() };
        await expectTypedAsync(() => api.updatePassword({ ...corruptedUpdate(breachRandom, breachValue), breachCheck }), null, `updatePassword with breachCheck #${i}`);
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(unhandled.map(String), []);
    // "password" hashes to 5BAA6 1E4C9B...: the first answer lists it.
    for (const kind of ['breached', 'unexpected_response', 'server_error', 'network_error', 'invalid_options']) {
      assert.ok(outcomes.get(kind) > 0, `${kind}: ${JSON.stringify([...outcomes])}`);
    }
  });

  it('the instance still works after all of that', async () => {
    assert.equal(api.validatePassword('Zx9kq2Lm!').valid, true);
    assert.equal(api.buildRequest({ userId: 'a+b@x.com', password: 'x', accessToken: 't' }).url, 'https://api.zoom.us/v2/users/a%2Bb%40x.com/password');
    globalThis.fetch = async () => new Response(null, { status: 204 });
    try {
      const result = await api.updatePassword({ userId: 'me', password: 'Zx9kq2Lm!', accessToken: 't', baseUrl: 'http://127.0.0.1:9/v2' });
      assert.deepEqual(result, { userId: 'me', attempts: 1, alreadySet: false });
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
