// Resilience of updatePassword against the local mock's fault knobs, shared by
// Node (tests/package/resilience.test.mjs) and Chromium
// (tests/browser/entries.test.mjs). Plain ES module, no Node imports.
//
// resilienceSuite({ mockOrigin }) returns [name, async (api) => void] pairs.

import { check } from './api-suite.mjs';
import { mockControl } from './mock-control.mjs';

const TOKEN = 'demo-token-0123456789';
let counter = 0;
/** A password no earlier test used, valid under the basic rules. */
const freshPassword = () => `Res-${Date.now().toString(36)}-${(counter += 1)}x`;

export function resilienceSuite({ mockOrigin }) {
  const baseUrl = `${mockOrigin}/v2`;
  const { control, passwordRequests } = mockControl(mockOrigin);
  const update = (api, options) => api.updatePassword({
    baseUrl, accessToken: TOKEN, userId: 'grace@example.com', password: freshPassword(),
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 2000 }, ...options,
  });
  const isNode = typeof process !== 'undefined' && typeof process.getActiveResourcesInfo === 'function';
  const timers = () => (isNode ? process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length : 0);

  return [
    ['a QPS 429 with an ISO Retry-After one second ahead is waited for, then 204', async (api) => {
      await control('reset', {});
      const retryAt = Math.ceil((Date.now() + 1000) / 1000) * 1000;
      const iso = new Date(retryAt).toISOString().replace('.000Z', 'Z'); // Zoom's form: 2020-05-31T00:00:00Z
      await control('faults', [{ type: 'rate_limit', limit: 'qps', retryAfter: iso }]);
      const result = await update(api, {});
      check.equal(result.attempts, 2, 'attempts');
      const [first, second] = await passwordRequests();
      check.equal(first.status, 429, 'first answer');
      check.ok(second.receivedAt >= retryAt, `retry sent ${retryAt - second.receivedAt} ms before Retry-After`);
    }],

    ['a daily 429 is not retried and says when to come back', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'rate_limit', limit: 'daily', retryAfter: null }]);
      const error = await check.throwsKind(() => update(api, {}), 'rate_limited', 'daily');
      check.equal(error.rateLimitType, 'daily', 'type');
      check.ok(error.retryAfterMs > 0 && error.retryAfterMs <= 86_400_000, `retryAfterMs until midnight UTC (${error.retryAfterMs})`);
      check.equal(error.retryable, false, 'not retryable');
      check.equal(error.attempts, 1, 'attempts');
      check.equal((await passwordRequests()).length, 1, 'one request');
    }],

    ['500, 500, 204 resolves on the third attempt', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'status', status: 500, body: { code: 500, message: 'Internal error' } }, { type: 'status', status: 500 }]);
      check.deepEqual(await update(api, {}), { userId: 'grace@example.com', attempts: 3, alreadySet: false }, 'result');
    }],

    ['three 500s end with the last outcome and the attempt count', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'status', status: 500 }, { type: 'status', status: 503, body: 'Service Unavailable' }, { type: 'status', status: 500, body: { code: 500, message: 'Internal error' } }]);
      const error = await check.throwsKind(() => update(api, {}), 'server_error', '500s');
      check.equal(error.attempts, 3, 'attempts');
      check.equal(error.status, 500, 'last status');
      check.equal(error.zoomCode, 500, 'last code');
      check.equal(error.message, 'Internal error', 'last message');
    }],

    ['a 502 HTML page from a proxy is a retryable server_error', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'html' }]);
      const error = await check.throwsKind(() => update(api, { retry: false }), 'server_error', '502');
      check.equal(error.status, 502, 'status');
      check.equal(error.message, 'HTTP 502 without a Zoom error message', 'message');
      check.equal(error.retryable, true, 'retryable');
      await control('faults', [{ type: 'html' }]);
      check.equal((await update(api, {})).attempts, 2, 'retried');
    }],

    ['a connection dropped after the change resolves alreadySet, with exactly one change', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'drop', apply: true }]);
      const result = await update(api, {});
      check.deepEqual(result, { userId: 'grace@example.com', attempts: 2, alreadySet: true }, 'result');
      const state = await control('state');
      check.equal(state.users.find((u) => u.email === 'grace@example.com').changes, 1, 'one change');
    }],

    ['a hanging response hits timeoutMs on every attempt', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'hang' }, { type: 'hang' }]);
      const error = await check.throwsKind(() => update(api, { timeoutMs: 150, retry: { attempts: 2, baseDelayMs: 1 } }), 'timeout', 'hang');
      check.equal(error.attempts, 2, 'attempts');
      check.equal(error.retryable, true, 'retryable');
    }],

    ['aborting during a backoff rejects at once and leaves no timer behind', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'status', status: 503, headers: { 'Retry-After': '20' } }]);
      const before = timers();
      const controller = new AbortController();
      const pending = update(api, { signal: controller.signal, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 30_000 } });
      // Abort once the first answer is in and the 20 s backoff has started.
      for (let i = 0; i < 200 && (await passwordRequests()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      controller.abort();
      const error = await check.throwsKind(() => Promise.race([
        pending,
        new Promise((_, reject) => setTimeout(() => reject(new Error('abort did not end the backoff within 10 s')), 10_000).unref?.()),
      ]), 'aborted', 'abort');
      check.equal(error.attempts, 1, 'attempts');
      check.equal((await passwordRequests()).length, 1, 'no request after the abort');
      if (isNode) check.ok(timers() <= before, `timers left running: ${timers() - before}`);
    }],

    ['aborting an in-flight request cancels it at once', async (api) => {
      await control('reset', {});
      await control('faults', [{ type: 'hang' }]);
      const before = timers();
      const controller = new AbortController();
      const pending = update(api, { signal: controller.signal, timeoutMs: 60_000 });
      for (let i = 0; i < 200 && (await passwordRequests()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      const error = await check.throwsKind(() => pending, 'aborted', 'abort in flight');
      check.equal(error.attempts, 1, 'attempts');
      if (isNode) check.ok(timers() <= before, `timers left running: ${timers() - before}`);
    }],

    ['an expired token is refreshed once through the token function', async (api) => {
      await control('reset', {});
      await control('expire-token', { token: TOKEN });
      const fresh = `fresh-${Date.now()}`;
      await control('add-token', { token: fresh });
      const hints = [];
      const result = await update(api, {
        accessToken: async ({ refresh }) => { hints.push(refresh); return refresh ? fresh : TOKEN; },
      });
      check.equal(result.attempts, 2, 'attempts');
      check.deepEqual(hints, [false, true], 'called per attempt, refresh once');
      const requests = await passwordRequests();
      check.equal(requests[1].headers.authorization, `Bearer ${fresh}`, 'retried with the fresh token');
    }],

    ['a second 401 after the refresh is final', async (api) => {
      await control('reset', {});
      await control('expire-token', { token: TOKEN });
      let calls = 0;
      const error = await check.throwsKind(() => update(api, { accessToken: () => { calls += 1; return TOKEN; } }), 'unauthorized', '401 twice');
      check.equal(error.attempts, 2, 'attempts');
      check.equal(error.zoomCode, 124, 'code');
      check.equal(calls, 2, 'one refresh');
    }],

    ['concurrent calls that hit 401 together trigger one refresh', async (api) => {
      await control('reset', {});
      await control('expire-token', { token: TOKEN });
      const fresh = `shared-${Date.now()}`;
      await control('add-token', { token: fresh });
      let refreshes = 0;
      let current = TOKEN;
      const tokenFunction = async ({ refresh }) => {
        if (refresh) {
          refreshes += 1;
          await new Promise((r) => setTimeout(r, 30));
          current = fresh;
        }
        return current;
      };
      const users = ['ada@example.com', 'grace@example.com', 'owner@example.com'];
      const results = await Promise.all(users.map((userId) => update(api, { userId, accessToken: tokenFunction })));
      check.deepEqual(results.map((r) => r.alreadySet), [false, false, false], 'all changed');
      check.equal(refreshes, 1, 'refreshes');
    }],

    ['a token function that throws is unauthorized, with the thrown value as cause', async (api) => {
      const thrown = new Error('vault unreachable');
      const error = await check.throwsKind(() => update(api, { accessToken: () => { throw thrown; } }), 'unauthorized', 'throwing token');
      check.equal(error.cause, thrown, 'cause');
      check.equal(error.attempts, 0, 'nothing sent');
      check.ok(!JSON.stringify(error).includes('vault'), 'cause is not enumerable');
    }],

    ['a token function rethrowing one of our errors keeps it whole, fieldErrors included', async (api) => {
      // An error this package made (an option refused, with fieldErrors),
      // rethrown by the token function: the call's error keeps its kind,
      // message and fieldErrors, adds its own attempts, and has it as cause.
      const ours = await update(api, { timeoutMs: -1 }).then(() => null, (e) => e);
      check.equal(ours?.kind, 'invalid_options', 'made');
      const error = await check.throwsKind(() => update(api, { accessToken: () => { throw ours; } }), 'invalid_options', 'rethrown');
      check.equal(error.cause, ours, 'cause');
      check.equal(error.message, ours.message, 'message');
      check.deepEqual(error.fieldErrors, ours.fieldErrors, 'fieldErrors');
      check.equal(error.fieldErrors[0]?.field, 'timeoutMs', 'field');
      check.equal(error.attempts, 0, 'nothing sent');
    }],
  ];
}

/**
 * The soak: `calls` sequential updates with `faultRate` random faults. Every
 * call must end resolved or rejected with a definite kind, and the mock's final
 * passwords must match what the library reported.
 */
export async function soak(api, { mockOrigin, calls = 1000, faultRate = 0.2, users = 40, seed = 42 }) {
  const { control } = mockControl(mockOrigin);
  const people = Array.from({ length: users }, (_, i) => ({ id: `SoakUser${String(i).padStart(14, '0')}`, email: `soak${i}@example.com`, password: `Initial-Soak-${i}x` }));
  await control('reset', { users: people, tokens: [TOKEN] });
  await control('random-faults', {
    rate: faultRate,
    seed,
    types: [
      { type: 'status', status: 500 },
      { type: 'html' },
      { type: 'malformed' },
      { type: 'drop', apply: true },
      { type: 'drop', apply: false },
      { type: 'rate_limit', limit: 'qps', retryAfter: '0' },
      { type: 'hang' },
    ],
  });
  const definite = new Set(['server_error', 'network_error', 'timeout', 'rate_limited', 'password_reused', 'unexpected_response']);
  // What the library told us, per user: the confirmed password, and the
  // passwords of later calls whose outcome is unknown (they may have landed).
  const view = new Map(people.map((p) => [p.email, { confirmed: p.password, maybe: [] }]));
  const tally = { resolved: 0, alreadySet: 0, rejected: {} };
  for (let i = 0; i < calls; i++) {
    const user = people[i % users].email;
    const password = `Soak-${i}-Pass-${seed}x`;
    try {
      const result = await api.updatePassword({
        baseUrl: `${mockOrigin}/v2`, accessToken: TOKEN, userId: user, password,
        timeoutMs: 200, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 },
      });
      tally.resolved += 1;
      if (result.alreadySet) tally.alreadySet += 1;
      view.set(user, { confirmed: password, maybe: [] });
    } catch (error) {
      if (!api.isZoomPasswordError(error) || !definite.has(error.kind)) {
        throw new Error(`call ${i} ended without a definite kind: ${error?.name} ${error?.kind} ${error?.message}`);
      }
      tally.rejected[error.kind] = (tally.rejected[error.kind] ?? 0) + 1;
      if (['server_error', 'network_error', 'timeout'].includes(error.kind)) view.get(user).maybe.push(password);
    }
  }
  await control('random-faults', { rate: 0 });
  const state = await (await fetch(`${mockOrigin}/__mock/state`)).json();
  const mismatches = [];
  for (const person of state.users) {
    const { confirmed, maybe } = view.get(person.email);
    if (person.password !== confirmed && !maybe.includes(person.password)) {
      mismatches.push(`${person.email}: mock has a password the library never reported`);
    }
  }
  return { tally, mismatches };
}
