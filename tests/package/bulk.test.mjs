// Bulk updates and server-to-server tokens through the installed package
// (Node), against the local mock: pacing across workers, 429s absorbed
// without the pacer, per-item results, aborts and stops, and the token
// provider's cache, single flight and refresh.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DEMO_TOKEN, startZoomMock } from '../../mock/zoom-mock.mjs';
import { loadEntry } from '../helpers/consumer.mjs';

function people(count, prefix = 'bulk') {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}User${String(i).padStart(12, '0')}`, email: `${prefix}${i}@example.com`, password: `Initial-${prefix}-${i}x`,
  }));
}

const items = (users, tag) => users.map((u, i) => ({ userId: u.email, password: `New-${tag}-${i}-Pass` }));

describe('bulk updates', () => {
  let api;
  let mock;
  before(async () => {
    api = await loadEntry('import');
    mock = await startZoomMock();
  });
  after(() => mock.close());
  beforeEach(() => mock.reset({}));

  it('paces 600 users at R/s across 16 workers: zero 429s, rate within 10% below R', async () => {
    const rate = 50;
    const users = people(600);
    mock.reset({ users, tokens: [DEMO_TOKEN], ratePerSecond: rate });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl, requestsPerSecond: rate });
    const summary = await client.updatePasswords(items(users, 'paced'), { concurrency: 16 });
    assert.equal(summary.succeeded, 600);
    assert.equal(mock.stats.rateLimited, 0, '429s');
    const times = mock.passwordRequests().map((r) => r.receivedAt).sort((a, b) => a - b);
    const achieved = (times.length - 1) / ((times.at(-1) - times[0]) / 1000);
    assert.ok(achieved <= rate && achieved >= rate * 0.9, `achieved ${achieved.toFixed(1)}/s for ${rate}/s`);
  });

  it('keeps pacing with the CPU loaded by two busy loops: zero 429s', async () => {
    // Two processes spinning on this 2-core machine starve this one: timers
    // fire late and requests bunch unless each slot is claimed as it leaves.
    const busy = Array.from({ length: 2 }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      const rate = 50;
      const users = people(400, 'loaded');
      mock.reset({ users, tokens: [DEMO_TOKEN], ratePerSecond: rate });
      const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl, requestsPerSecond: rate });
      const summary = await client.updatePasswords(items(users, 'loaded'), { concurrency: 16 });
      assert.equal(summary.succeeded, 400, JSON.stringify(summary.results.find((r) => !r.ok)));
      assert.equal(mock.stats.rateLimited, 0, '429s');
    } finally {
      for (const child of busy) child.kill('SIGKILL');
    }
  });

  it('without the pacer, the mock\'s 429s are absorbed by retries and every user ends correct', async () => {
    const users = people(300, 'unpaced');
    mock.reset({ users, tokens: [DEMO_TOKEN], ratePerSecond: 50 });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl, retry: { attempts: 8, baseDelayMs: 20 } });
    const wanted = items(users, 'unpaced');
    const summary = await client.updatePasswords(wanted, { concurrency: 16 });
    assert.ok(mock.stats.rateLimited > 0, 'the mock did refuse some');
    assert.equal(summary.succeeded, 300, JSON.stringify(summary.results.find((r) => !r.ok)));
    for (const [i, user] of users.entries()) assert.equal(mock.findUser(user.email).password, wanted[i].password);
  });

  it('reports progress after each item, results in input order, failures as results', async () => {
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const progress = [];
    const summary = await client.updatePasswords([
      { userId: 'ada@example.com', password: 'Bulk-Ada-Pass-1' },
      { userId: 'nobody@example.com', password: 'Bulk-Nobody-Pass-1' },
      { userId: 'grace@example.com', password: 'weak' },
      { userId: '..', password: 'Bulk-Dots-Pass-1' },
      'not an item',
      { userId: 'owner@example.com', password: 'Bulk-Owner-Pass-1' },
    ], { concurrency: 3, onProgress: (p) => { progress.push(p); throw new Error('a throwing callback changes nothing'); } });
    assert.deepEqual(summary.results.map((r) => [r.userId, r.ok, r.error?.kind ?? null]), [
      ['ada@example.com', true, null],
      ['nobody@example.com', false, 'user_not_found'],
      ['grace@example.com', false, 'invalid_password'],
      ['..', false, 'invalid_user_id'],
      [null, false, 'invalid_options'],
      ['owner@example.com', true, null],
    ]);
    assert.deepEqual([summary.succeeded, summary.failed, summary.skipped], [2, 4, 0]);
    assert.equal(progress.length, 6);
    assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4, 5, 6]);
    assert.ok(progress.every((p) => p.total === 6 && p.result && Number.isInteger(p.index)));
    assert.equal(summary.results[1].error.status, 404);
    assert.equal(summary.results[1].error.zoomCode, 1001);
    // A refusal before sending says which rules failed, as its message promises.
    assert.deepEqual(summary.results[2].error.violations.map((v) => [v.rule, v.passed]), [['min_length', false], ['number', false], ['upper_and_lower', false]]);
    assert.deepEqual(summary.results[1].error.violations, []);
  });

  it('rejects duplicate users and non-arrays up front, sending nothing', async () => {
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    await assert.rejects(client.updatePasswords([
      { userId: 'Ada@Example.com', password: 'Bulk-Ada-Pass-1' },
      { userId: 'ada@example.com', password: 'Bulk-Ada-Pass-2' },
    ]), (e) => e.kind === 'invalid_options' && /ada@example\.com/.test(e.message));
    await assert.rejects(client.updatePasswords([
      { userId: 'x1', password: 'Bulk-Ada-Pass-1' },
      { userId: 'b1', password: 'Bulk-Ada-Pass-2' },
      { userId: 'b1', password: 'Bulk-Ada-Pass-3' },
      { userId: 'x1', password: 'Bulk-Ada-Pass-4' },
    ]), (e) => e.kind === 'invalid_options' && /again: b1$/.test(e.message));
    await assert.rejects(client.updatePasswords('nope'), (e) => e.kind === 'invalid_options');
    await assert.rejects(client.updatePasswords([], { concurrency: 0 }), (e) => e.kind === 'invalid_options');
    assert.equal(mock.passwordRequests().length, 0);
    assert.deepEqual(await client.updatePasswords([]), { results: [], succeeded: 0, failed: 0, skipped: 0 });
    // User ids (not emails) compare exactly: these are two users.
    const twoUsers = await client.updatePasswords([
      { userId: 'KDcuGIm1QgePTO8WbOqwIQ', password: 'Bulk-Ada-Pass-1' },
      { userId: 'kdcugim1qgepto8wboqwiq', password: 'Bulk-Ada-Pass-2' },
    ]);
    assert.equal(twoUsers.results.length, 2);
    assert.equal(twoUsers.succeeded + twoUsers.failed, 2, JSON.stringify(twoUsers.results));
  });

  it('stops on an authorization failure that cannot be refreshed; the rest are skipped', async () => {
    const users = people(20, 'stop');
    mock.reset({ users, tokens: [DEMO_TOKEN] });
    mock.expireToken(DEMO_TOKEN);
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const summary = await client.updatePasswords(items(users, 'stop'), { concurrency: 2 });
    assert.ok(summary.failed >= 1 && summary.failed <= 2, `failed ${summary.failed}`);
    assert.equal(summary.skipped, 20 - summary.failed);
    assert.ok(summary.results.filter((r) => r.skipped).every((r) => r.error.kind === 'unauthorized'));
    assert.ok(mock.passwordRequests().length <= 2);
  });

  it('abort marks unfinished items skipped and resolves', async () => {
    const users = people(30, 'abort');
    mock.reset({ users, tokens: [DEMO_TOKEN] });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl, requestsPerSecond: 20 });
    const controller = new AbortController();
    const summary = await client.updatePasswords(items(users, 'abort'), {
      concurrency: 4,
      signal: controller.signal,
      onProgress: (p) => { if (p.done === 5) controller.abort(); },
    });
    assert.equal(summary.succeeded + summary.failed + summary.skipped, 30);
    assert.ok(summary.skipped >= 20, `skipped ${summary.skipped}`);
    assert.ok(summary.results.filter((r) => r.skipped).every((r) => r.error.kind === 'aborted'));
    // Nothing that was reported done is missing at the mock, nothing skipped was applied.
    for (const [i, result] of summary.results.entries()) {
      const applied = mock.findUser(users[i].email).password === `New-abort-${i}-Pass`;
      if (result.ok) assert.ok(applied);
    }
  });

  it('onResult sees each user settle before that worker sends again, and its promise is awaited', async () => {
    const users = people(8, 'journal');
    mock.reset({ users, tokens: [DEMO_TOKEN] });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const journal = [];
    const summary = await client.updatePasswords([...items(users, 'journal'), { userId: 'x@example.com', password: 'weak' }], {
      concurrency: 1,
      onResult: async (result, index) => {
        // With one worker, request index + 1 must not have left yet.
        assert.equal(mock.passwordRequests().length, index + 1 - (index === 8 ? 1 : 0), `onResult(${index}) before the next request`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        journal.push([index, result.userId, result.ok]);
      },
    });
    assert.equal(summary.succeeded, 8);
    assert.deepEqual(journal, [...users.map((u, i) => [i, u.email, true]), [8, 'x@example.com', false]], 'every user, in order, with its result');
  });

  it('an onResult that throws stops the run: nothing more is sent, the rest are skipped', async () => {
    const users = people(10, 'journalfail');
    mock.reset({ users, tokens: [DEMO_TOKEN] });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const summary = await client.updatePasswords(items(users, 'journalfail'), {
      concurrency: 1,
      onResult: (result, index) => { if (index === 2) throw new Error('disk full'); },
    });
    assert.equal(summary.succeeded, 3);
    assert.equal(summary.skipped, 7);
    assert.equal(mock.passwordRequests().length, 3);
    assert.match(summary.results[3].error.message, /onResult threw or rejected/);
  });

  it('stopSignal: nothing new leaves, requests out finish with their real outcome', async () => {
    const users = people(12, 'stop');
    mock.reset({ users, tokens: [DEMO_TOKEN] });
    mock.addFaults({ type: 'latency', ms: 300, times: 100 });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const stop = new AbortController();
    const pending = client.updatePasswords(items(users, 'stop'), { concurrency: 3, stopSignal: stop.signal });
    while (mock.passwordRequests().length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    const summary = await pending;
    assert.equal(mock.passwordRequests().length, 3, 'no request after the stop');
    assert.deepEqual(summary.results.map((r) => r.ok), [true, true, true, ...Array(9).fill(false)]);
    assert.ok(summary.results.slice(3).every((r) => r.skipped && r.error.kind === 'aborted' && r.outcome === undefined));
    // A stop never retries: a 503 answered after the stop ends the user as
    // it is (server_error, outcome unknown), with no second request.
    mock.reset({ users, tokens: [DEMO_TOKEN] });
    mock.addFaults({ type: 'status', status: 503, delayMs: 300, times: 5 });
    const again = new AbortController();
    const retrying = client.updatePasswords(items(users.slice(0, 1), 'stop2'), { stopSignal: again.signal, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    while (mock.passwordRequests().length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    again.abort();
    const [result] = (await retrying).results;
    assert.deepEqual([result.ok, result.error.kind, result.outcome, result.skipped ?? false], [false, 'server_error', 'unknown', false]);
    assert.equal(mock.passwordRequests().length, 1, 'not retried after the stop');
  });

  it('an abort reports users whose request was out as outcome unknown, never skipped', async () => {
    const users = people(6, 'unknown');
    mock.reset({ users, tokens: [DEMO_TOKEN] });
    mock.addFaults({ type: 'latency', ms: 500, times: 100 });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const controller = new AbortController();
    const pending = client.updatePasswords(items(users, 'unknown'), { concurrency: 2, signal: controller.signal });
    while (mock.passwordRequests().length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const summary = await pending;
    assert.deepEqual(summary.results.map((r) => [r.ok, r.outcome ?? null, r.skipped ?? false]), [
      [false, 'unknown', false], [false, 'unknown', false],
      ...Array(4).fill([false, null, true]),
    ]);
    assert.equal(summary.failed, 2);
    assert.equal(summary.skipped, 4);
  });

  it('maybeApplied reconciles a change an earlier run already made', async () => {
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    await client.updatePassword('grace@example.com', 'Earlier-Run-Pass-1');
    const summary = await client.updatePasswords([{ userId: 'grace@example.com', password: 'Earlier-Run-Pass-1', maybeApplied: true }]);
    assert.deepEqual(summary.results, [{ userId: 'grace@example.com', ok: true, alreadySet: true }]);
    assert.equal(mock.changesFor('grace@example.com'), 1);
  });
});

describe('serverToServerTokenProvider', () => {
  let api;
  let mock;
  const SECRET = 'client-secret-s3cr3t';
  before(async () => {
    api = await loadEntry('import');
    mock = await startZoomMock();
  });
  after(() => mock.close());
  beforeEach(() => mock.reset({ oauthClients: { 'client-id': { secret: SECRET, accountId: 'acct-1' } } }));

  const tokenRequests = () => mock.requests.filter((r) => r.kind === 'oauth');
  const provider = (overrides = {}) => api.serverToServerTokenProvider({
    accountId: 'acct-1', clientId: 'client-id', clientSecret: SECRET, oauthBaseUrl: mock.origin, ...overrides,
  });

  it('sends Basic auth to the token endpoint and caches the token', async () => {
    const token = provider();
    const first = await token({ refresh: false });
    assert.equal(await token({ refresh: false }), first);
    assert.equal(await token(), first);
    const [request] = tokenRequests();
    assert.equal(tokenRequests().length, 1);
    assert.equal(request.method, 'POST');
    assert.deepEqual(request.query, { grant_type: 'account_credentials', account_id: 'acct-1' });
    assert.equal(request.headers.authorization, `Basic ${Buffer.from(`client-id:${SECRET}`).toString('base64')}`);
    const client = new api.ZoomPasswordClient({ tokenProvider: token, baseUrl: mock.baseUrl });
    await client.updatePassword('ada@example.com', 'S2s-Cached-Pass-1');
    assert.equal(tokenRequests().length, 1, 'still one token request');
  });

  it('makes one token request for concurrent callers', async () => {
    const token = provider();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => token()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(tokenRequests().length, 1);
  });

  it('refreshes 60 s before expiry and on the refresh hint after a 401', async () => {
    mock.reset({ oauthClients: { 'client-id': { secret: SECRET, accountId: 'acct-1', expiresIn: 61 } } });
    const token = provider();
    const first = await token();
    await new Promise((r) => setTimeout(r, 1100));
    const second = await token();
    assert.notEqual(second, first, 'renewed once within 60 s of expiry');
    assert.equal(tokenRequests().length, 2);

    mock.reset({ oauthClients: { 'client-id': { secret: SECRET, accountId: 'acct-1' } } });
    const fresh = provider();
    const before = await fresh();
    mock.expireToken(before);
    const client = new api.ZoomPasswordClient({ tokenProvider: fresh, baseUrl: mock.baseUrl });
    const result = await client.updatePassword('ada@example.com', 'S2s-Refresh-Pass-1');
    assert.equal(result.attempts, 2);
    assert.equal(tokenRequests().length, 2, 'one refresh');
  });

  it('a token request that fails at once is not kept as the one in flight: the next call asks again', async () => {
    const token = provider();
    const realFetch = globalThis.fetch;
    let calls = 0;
    // A fetch that throws before anything is sent: the request's task ends
    // within its first poll, before the provider has noted it as in flight.
    globalThis.fetch = () => {
      calls += 1;
      throw new TypeError('no network here');
    };
    try {
      for (let i = 1; i <= 2; i++) {
        const error = await token().then(() => null, (e) => e);
        assert.equal(error?.kind, 'network_error', `call ${i}`);
        assert.equal(calls, i, `call ${i} sent its own request`);
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.match(await token(), /\S/, 'a token once the network is back');
    assert.equal(tokenRequests().length, 1);
  });

  it("surfaces token endpoint refusals as unauthorized with Zoom's reason, never the secret", async () => {
    const token = provider({ clientSecret: 'wrong-secret-value' });
    const error = await token().then(() => null, (e) => e);
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.status, 400);
    assert.match(error.message, /Invalid client_id or client_secret \(invalid_client\)/);
    const client = new api.ZoomPasswordClient({ tokenProvider: token, baseUrl: mock.baseUrl });
    const through = await client.updatePassword('ada@example.com', 'S2s-Refused-Pass-1').then(() => null, (e) => e);
    assert.equal(through.kind, 'unauthorized');
    assert.equal(through.attempts, 0);
    assert.equal(through.userId, 'ada@example.com');
    for (const text of [error.message, error.stack, String(error), JSON.stringify(error), inspect(error), inspect(token), inspect(through)]) {
      assert.ok(!text.includes('wrong-secret-value'), text);
    }
    assert.throws(() => provider({ oauthBaseUrl: 'http://zoom.us' }), (e) => e.kind === 'invalid_options' && e.fieldErrors[0].field === 'oauthBaseUrl');
    assert.throws(() => provider({ clientSecret: '' }), (e) => e.kind === 'invalid_options' && e.fieldErrors[0].field === 'clientSecret');
  });
});
