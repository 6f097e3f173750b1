// The local Zoom mock is test infrastructure others rely on: check it
// answers as Zoom does, with plain fetch + FormData (no library involved).

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { checkPassword } from '../../mock/password-rules.mjs';
import { createHash } from 'node:crypto';

import { BREACHED_PASSWORDS, DEMO_TOKEN, sha1Hex, startZoomMock } from '../../mock/zoom-mock.mjs';

let mock;
before(async () => { mock = await startZoomMock(); });
after(() => mock.close());
beforeEach(() => mock.reset({}));

function put(userId, body, { token = DEMO_TOKEN, headers = {} } = {}) {
  return fetch(`${mock.baseUrl}/users/${encodeURIComponent(userId)}/password`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, ...headers },
    body,
  });
}

function form(password) {
  const data = new FormData();
  data.append('password', password);
  return data;
}

describe('password endpoint', () => {
  it('parses a multipart body with a real parser and answers 204', async () => {
    const response = await put('ada@example.com', form('New-Pass-123x'));
    assert.equal(response.status, 204);
    assert.equal(mock.findUser('ada@example.com').password, 'New-Pass-123x');
    const [request] = mock.passwordRequests();
    assert.equal(request.encoding, 'multipart');
    assert.deepEqual(request.fields, { password: 'New-Pass-123x' });
    assert.match(request.contentType, /^multipart\/form-data; boundary=/);
    assert.equal(mock.changesFor('ada@example.com'), 1);
  });

  it('parses JSON bodies and finds users by id, email or me', async () => {
    const json = (password) => JSON.stringify({ password });
    assert.equal((await put('z8yBXksNQ0aD7pX3vPs0gw', json('Json-Pass-123x'), { headers: { 'Content-Type': 'application/json' } })).status, 204);
    assert.equal((await put('GRACE@example.com', form('Other-Pass-456y'))).status, 204);
    assert.equal((await put('me', form('Owner-New-789z'))).status, 204);
    assert.equal(mock.findUser('owner@example.com').password, 'Owner-New-789z');
  });

  it("answers Zoom's codes and messages", async () => {
    const cases = [
      [put('nobody@example.com', form('New-Pass-123x')), 404, 1001, 'User does not exist: nobody@example.com.'],
      [put('ada@example.com', form('New-Pass-123x'), { token: 'wrong' }), 401, 124, 'Invalid access token.'],
      [put('ada@example.com', form('Current-Pass-7')), 400, 300, 'Your new password can not match the old password.'],
      [put('ada@example.com', form('Previous-Pass-6')), 400, 1129, 'Users cannot reuse any of the last 5 passwords created.'],
      [put('admin@example.com', form('New-Pass-123x')), 400, 1117, "Can not update Admin's password"],
      [put('sso@example.com', form('New-Pass-123x')), 400, 1123, 'Can only update password of Zoom work email account'],
      [put('ada@example.com', form('short1A')), 400, 1124, 'Have at least 8 characters'],
      [put('ada@example.com', new FormData()), 400, 300, 'Validation Failed.'],
    ];
    for (const [pending, status, code, message] of cases) {
      const response = await pending;
      assert.equal(response.status, status, message);
      assert.deepEqual(await response.json().then(({ code: c, message: m }) => ({ c, m })), { c: code, m: message });
    }
    assert.equal(mock.changesFor('ada@example.com'), 0);
  });

  it('expires tokens and checks scopes', async () => {
    mock.expireToken(DEMO_TOKEN);
    const expired = await put('ada@example.com', form('New-Pass-123x'));
    assert.equal(expired.status, 401);
    assert.equal((await expired.json()).message, 'Access token is expired.');
    mock.addToken('narrow', { user: 'OwnerU5erIdAAAAAAAAAAA', scopes: ['account:read:admin'] });
    const forbidden = await put('ada@example.com', form('New-Pass-123x'), { token: 'narrow' });
    assert.equal(forbidden.status, 403);
    assert.equal((await forbidden.json()).code, 4700);
  });

  it('enforces a per-second limit with Zoom headers and an ISO Retry-After', async () => {
    mock.reset({ ratePerSecond: 2 });
    const statuses = [];
    let limited;
    for (let i = 0; i < 3; i++) {
      const response = await put('ada@example.com', form(`Rate-Pass-${i}0x`));
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    // The window opens at the first request, so three quick ones share it.
    assert.deepEqual(statuses, [204, 204, 429]);
    assert.equal(limited.headers.get('x-ratelimit-type'), 'QPS');
    assert.equal(limited.headers.get('x-ratelimit-category'), 'Medium');
    assert.equal(limited.headers.get('x-ratelimit-limit'), '2');
    const retryAt = Date.parse(limited.headers.get('retry-after'));
    assert.match(limited.headers.get('retry-after'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The end of the current window, rounded up to a whole second.
    assert.ok(retryAt - Date.now() <= 2000 && retryAt % 1000 === 0);
    assert.equal((await limited.json()).message, 'You have reached the maximum per-second rate limit for this API. Try again later.');
    mock.reset({ dailyLimit: 1 });
    assert.equal((await put('ada@example.com', form('Daily-Pass-10x'))).status, 204);
    const daily = await put('ada@example.com', form('Daily-Pass-20x'));
    assert.equal(daily.status, 429);
    assert.equal(daily.headers.get('x-ratelimit-type'), 'Daily-limit');
    assert.match((await daily.json()).message, /daily rate limit \(1\)/);
  });

  it('serves fault knobs in order, only for the matching user', async () => {
    mock.addFaults(
      { type: 'status', status: 503, body: 'Service Unavailable', userId: 'grace@example.com' },
      { type: 'html' },
      { type: 'malformed' },
      { type: 'redirect', location: 'https://evil.example/steal' },
    );
    assert.equal((await put('grace@example.com', form('Fault-Pass-10x'))).status, 503);
    const html = await put('ada@example.com', form('Fault-Pass-20x'));
    assert.equal(html.status, 502);
    assert.match(await html.text(), /<h1>502 Bad Gateway<\/h1>/);
    const malformed = await put('ada@example.com', form('Fault-Pass-30x'));
    await assert.rejects(malformed.json(), SyntaxError);
    const redirect = await fetch(`${mock.baseUrl}/users/ada%40example.com/password`, {
      method: 'PUT', headers: { Authorization: `Bearer ${DEMO_TOKEN}` }, body: form('Fault-Pass-40x'), redirect: 'manual',
    });
    assert.equal(redirect.status, 307);
    assert.equal(redirect.headers.get('location'), 'https://evil.example/steal');
    assert.equal(mock.changesFor('ada@example.com'), 0);
    assert.equal(mock.faults.length, 0);
  });

  it('drops the connection after applying the change when asked', async () => {
    mock.addFaults({ type: 'drop', apply: true });
    await assert.rejects(put('ada@example.com', form('Dropped-Pass-1x')), TypeError);
    assert.equal(mock.findUser('ada@example.com').password, 'Dropped-Pass-1x');
    assert.equal(mock.passwordRequests()[0].status, 'dropped');
  });

  it('injects reproducible random faults', async () => {
    mock.setRandomFaults({ rate: 0.5, types: [{ type: 'status', status: 500 }], seed: 7 });
    const first = [];
    for (let i = 0; i < 10; i++) first.push((await put('ada@example.com', form(`Random-Pass-${i}ax`))).status);
    mock.reset({});
    mock.setRandomFaults({ rate: 0.5, types: [{ type: 'status', status: 500 }], seed: 7 });
    const second = [];
    for (let i = 0; i < 10; i++) second.push((await put('ada@example.com', form(`Random-Pass-${i}bx`))).status);
    assert.deepEqual(first, second);
    assert.ok(first.includes(500) && first.includes(204));
  });
});

describe('other endpoints', () => {
  it('answers CORS preflights and exposes the rate-limit headers', async () => {
    const response = await fetch(`${mock.baseUrl}/users/me/password`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:9999', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9999');
    assert.match(response.headers.get('access-control-allow-headers'), /Authorization/);
    assert.match(response.headers.get('access-control-expose-headers'), /Retry-After/);
  });

  it('serves the account security settings, and code 200 to free accounts', async () => {
    mock.reset({ policy: { minimum_password_length: 10, have_special_character: true } });
    const response = await fetch(`${mock.baseUrl}/accounts/me/settings?option=security`, { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } });
    const body = await response.json();
    assert.equal(body.security.password_requirement.minimum_password_length, 10);
    assert.equal(body.security.password_requirement.have_special_character, true);
    assert.equal(body.security.password_requirement.weak_enhance_detection, false);
    mock.reset({ plan: 'free' });
    const free = await fetch(`${mock.baseUrl}/accounts/me/settings?option=security`, { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } });
    assert.equal(free.status, 400);
    assert.deepEqual(await free.json(), { code: 200, message: 'Only available for paid accounts.' });
  });

  it('issues server-to-server tokens that the password endpoint accepts', async () => {
    mock.reset({ oauthClients: { cid: { secret: 'csecret', accountId: 'acct' } } });
    const token = (id, secret, account = 'acct') => fetch(`${mock.origin}/oauth/token?grant_type=account_credentials&account_id=${account}`, {
      method: 'POST', headers: { Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
    });
    const good = await (await token('cid', 'csecret')).json();
    assert.equal(good.token_type, 'bearer');
    assert.equal(good.expires_in, 3599);
    assert.equal((await put('ada@example.com', form('S2s-Pass-123x'), { token: good.access_token })).status, 204);
    const bad = await token('cid', 'wrong');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
  });
});

describe('independent password rules', () => {
  it('refuses with the first rule Zoom would name', () => {
    const table = [
      ['Zx9kq2Lm', {}, null],
      ['Zx9kq2L', {}, 1124],
      ['Zx9kq2Lmwe', { minimum_password_length: 11 }, 1124],
      ['Ab1' + 'x'.repeat(29), {}, 300],
      ['12345679', {}, 1125],
      ['Abcxyzqw', {}, 1126],
      ['Zx9kq2Lm', { have_special_character: true }, 1127],
      ['abx91qzw', {}, 1128],
      ['aAaAaAaA1', {}, null],
      ['Xy123456', {}, 1131],
      ['Q7aBcDeF', {}, 1131],
      ['Zk9qwerM', { consecutive_characters_length: 4 }, 1131],
      ['Zk9qweMp', { consecutive_characters_length: 4 }, null],
      ['Zx91111Q', { consecutive_characters_length: 4 }, 1131],
      ['Password1', { weak_enhance_detection: true }, 1136],
      ['Password1', {}, null],
    ];
    for (const [password, policy, code] of table) {
      assert.equal(checkPassword(password, policy)?.code ?? null, code, `${password} ${JSON.stringify(policy)}`);
    }
  });
});

describe('range endpoint (Pwned Passwords stand-in)', () => {
  const range = (prefix, headers = {}) => fetch(`${mock.origin}/range/${prefix}`, { headers });

  it('answers SUFFIX:COUNT lines, CRLF, sorted, padded only when asked', async () => {
    const hash = createHash('sha1').update('Password123').digest('hex').toUpperCase();
    assert.equal(sha1Hex('Password123'), hash);
    const plain = await range(hash.slice(0, 5));
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get('content-type'), /^text\/plain/);
    assert.equal(await plain.text(), `${hash.slice(5)}:${BREACHED_PASSWORDS.Password123}`);
    const padded = await (await range(hash.slice(0, 5).toLowerCase(), { 'Add-Padding': 'true' })).text();
    const lines = padded.split('\r\n');
    assert.equal(lines.length, 25, 'the match and 24 padding lines');
    assert.ok(lines.every((line) => /^[0-9A-F]{35}:\d+$/.test(line)), 'range format');
    assert.deepEqual([...lines].sort(), lines, 'sorted');
    assert.equal(lines.filter((line) => !line.endsWith(':0')).length, 1, 'padding has count 0');
    assert.equal(await (await range(hash.slice(0, 5), { 'Add-Padding': 'true' })).text(), padded, 'deterministic padding');
  });

  it('refuses a malformed prefix, records every path and serves range faults', async () => {
    assert.equal((await range('XYZ12')).status, 400);
    assert.equal((await range('5BAA61')).status, 400);
    mock.addRangeFaults({ type: 'status', status: 503 }, { type: 'body', body: 'garbage' });
    assert.equal((await range('5BAA6')).status, 503);
    assert.equal(await (await range('5BAA6')).text(), 'garbage');
    assert.equal((await range('5BAA6')).status, 200, 'faults used once');
    assert.deepEqual(mock.rangeRequests().map((r) => r.path), ['/range/XYZ12', '/range/5BAA61', '/range/5BAA6', '/range/5BAA6', '/range/5BAA6']);
  });

  it('every listed password passes the basic rules, so only a breach check refuses it', () => {
    for (const password of Object.keys(BREACHED_PASSWORDS)) assert.equal(checkPassword(password), null, password);
  });
});
