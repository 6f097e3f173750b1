// The wait for an async token function is bounded (issue: "the account
// changes when the caller said no"): an abort at any point before the
// request is sent rejects `aborted` and sends nothing, `timeoutMs` bounds
// the wait for the token (`timeout`), and a token that arrives after the
// abort is dropped. For updatePassword, fetchPasswordPolicy,
// updatePasswords and the refresh after a 401. Through the installed
// package, against the mock: "nothing sent" is what the mock received.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DEMO_TOKEN, startZoomMock } from '../../mock/zoom-mock.mjs';
import { loadEntry } from '../helpers/consumer.mjs';

const later = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
const never = () => new Promise(() => {});

describe('waiting for a token', () => {
  let api;
  let mock;
  before(async () => {
    api = await loadEntry('import');
    mock = await startZoomMock();
  });
  after(() => mock.close());
  beforeEach(() => mock.reset({}));

  const change = (options) => api.updatePassword({
    userId: 'grace@example.com', password: 'Token-Wait-Pass-1', baseUrl: mock.baseUrl, retry: false, ...options,
  });
  const rejection = (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);

  it('an abort while the token function is pending rejects aborted at once and sends nothing, even when the token arrives', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await rejection(change({ accessToken: () => later(500, DEMO_TOKEN), signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    assert.equal(error.attempts, 0);
    assert.equal(error.userId, 'grace@example.com');
    assert.ok(Date.now() - started < 450, 'did not wait for the token');
    await later(600);
    assert.equal(mock.passwordRequests().length, 0, 'the token that came later was dropped');
    assert.notEqual(mock.findUser('grace@example.com').password, 'Token-Wait-Pass-1');
  });

  it('a token function that never settles ends with the abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(change({ accessToken: never, signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    assert.equal(mock.passwordRequests().length, 0);
  });

  it('timeoutMs bounds the wait for the token: timeout, nothing sent', async () => {
    const started = Date.now();
    const error = await rejection(change({ accessToken: never, timeoutMs: 200 }));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.attempts, 0);
    assert.ok(Date.now() - started < 2000);
    const slow = await rejection(change({ accessToken: () => later(400, DEMO_TOKEN), timeoutMs: 100 }));
    assert.equal(slow.kind, 'timeout');
    await later(500);
    assert.equal(mock.passwordRequests().length, 0);
  });

  it('fetchPasswordPolicy: an abort or timeoutMs while the token is pending sends nothing', async () => {
    const client = new api.ZoomPasswordClient({ accessToken: never, baseUrl: mock.baseUrl, retry: false });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    assert.equal((await rejection(client.fetchPasswordPolicy('me', { signal: controller.signal }))).kind, 'aborted');
    assert.equal((await rejection(client.fetchPasswordPolicy('me', { timeoutMs: 100 }))).kind, 'timeout');
    assert.equal(mock.requests.filter((r) => r.kind === 'settings').length, 0);
  });

  it("updatePasswords: the run's signal ends the wait; every item is skipped and nothing is sent", async () => {
    const client = new api.ZoomPasswordClient({ accessToken: () => later(500, DEMO_TOKEN), baseUrl: mock.baseUrl });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const summary = await client.updatePasswords([
      { userId: 'ada@example.com', password: 'Token-Wait-Pass-2' },
      { userId: 'grace@example.com', password: 'Token-Wait-Pass-3' },
    ], { signal: controller.signal });
    assert.deepEqual([summary.succeeded, summary.failed, summary.skipped], [0, 0, 2]);
    assert.ok(summary.results.every((r) => r.skipped && r.error.kind === 'aborted'));
    await later(600);
    assert.equal(mock.passwordRequests().length, 0);
  });

  it('the refresh after a 401 is bounded too: an abort during it sends nothing more', async () => {
    mock.expireToken(DEMO_TOKEN);
    const controller = new AbortController();
    const hints = [];
    const token = ({ refresh }) => {
      hints.push(refresh);
      if (!refresh) return DEMO_TOKEN;
      setTimeout(() => controller.abort(), 50);
      return later(500, 'fresh-token-never-used');
    };
    const error = await rejection(change({ accessToken: token, signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    assert.equal(error.attempts, 1, 'the 401 attempt');
    assert.deepEqual(hints, [false, true]);
    await later(600);
    assert.equal(mock.passwordRequests().length, 1, 'only the request answered 401');
  });
});
