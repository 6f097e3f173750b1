// The demo server in proxy mode (ZOOM_API_BASE): a second local server
// stands in for Zoom and records what arrives. The page's calls go through
// the package's password proxy: only its two routes, only with a demo
// session, with the server's token (never the page's), Zoom's rate headers
// passed back and nothing else of its; the range forward passes a prefix
// only; nothing logged holds a token or a body.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';

import busboy from 'busboy';

import { startDemoServer } from '../../www/server.mjs';

const SERVER_TOKEN = 'server-side-token.abc123';
const PAGE_TOKEN = 'a-page-token-never-forwarded';
const PASSWORD = 'Proxied-Pass-77';

function startUpstream() {
  const seen = [];
  const server = createServer((req, res) => {
    const entry = { method: req.method, url: req.url, headers: req.headers, fields: {} };
    seen.push(entry);
    const finish = () => {
      if (req.url.startsWith('/range/')) {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': 'a=b' }).end('0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n');
      } else if (req.url.includes('/settings')) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"security":{"password_requirement":{"have_special_character":false}}}');
      } else if (entry.fields.password === 'Too-Fast-Pass-1') {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '3600', 'X-RateLimit-Type': 'Daily-limit', 'Set-Cookie': 'a=b', 'X-Internal': 'zoom' })
          .end('{"code":429,"message":"You have exceeded the daily rate limit (2000) of Medium API requests permitted for this particular account."}');
      } else {
        res.writeHead(204).end();
      }
    };
    if ((req.headers['content-type'] || '').startsWith('multipart/form-data')) {
      const parser = busboy({ headers: req.headers });
      parser.on('field', (name, value) => { entry.fields[name] = value; });
      parser.on('close', finish);
      req.pipe(parser);
    } else {
      req.resume();
      req.on('end', finish);
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    seen,
    base: `http://127.0.0.1:${server.address().port}/v2`,
    range: `http://127.0.0.1:${server.address().port}/range/`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  })));
}

describe('demo server in proxy mode', () => {
  let upstream;
  let demo;
  let cookie;
  const logs = [];
  const change = (userId, password, headers = {}) => {
    const body = new FormData();
    body.append('password', password);
    return fetch(`${demo.url}zoom/users/${encodeURIComponent(userId)}/password`, { method: 'PUT', headers: { cookie, ...headers }, body });
  };

  before(async () => {
    upstream = await startUpstream();
    demo = await startDemoServer({ port: 0, apiBase: upstream.base, accessToken: SERVER_TOKEN, rangeApi: upstream.range, log: (line) => logs.push(line) });
    // Loading the page starts a demo session.
    const page = await fetch(demo.url);
    assert.equal(page.status, 200);
    cookie = page.headers.get('set-cookie').split(';')[0];
    assert.match(cookie, /^demo_session=[0-9a-f]{32}$/);
    assert.match(page.headers.get('set-cookie'), /HttpOnly; SameSite=Strict/);
  });
  after(async () => {
    await demo.close();
    await upstream.close();
  });

  it('rebuilds a change with the server\'s token: never the page\'s token or cookie', async () => {
    const response = await change('a+b@x.com', PASSWORD, { Authorization: `Bearer ${PAGE_TOKEN}` });
    assert.equal(response.status, 204);
    const request = upstream.seen.find((r) => r.method === 'PUT');
    assert.equal(request.url, '/v2/users/a%2Bb%40x.com/password');
    assert.equal(request.headers.authorization, `Bearer ${SERVER_TOKEN}`);
    assert.deepEqual(request.fields, { password: PASSWORD });
    assert.equal(request.headers.cookie, undefined, 'cookies stay on this side');
  });

  it('passes Zoom\'s status, body and rate headers back, nothing else of its headers', async () => {
    const limited = await change('me', 'Too-Fast-Pass-1');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3600');
    assert.equal(limited.headers.get('x-ratelimit-type'), 'Daily-limit');
    assert.equal(limited.headers.get('set-cookie'), null);
    assert.equal(limited.headers.get('x-internal'), null);
    assert.equal((await limited.json()).code, 429);
  });

  it('answers only its two routes, only to a session: the open forwarder is gone', async () => {
    const before = upstream.seen.length;
    const refused = [
      [`${demo.url}zoom/v2/users/me/password`, { method: 'PUT', headers: { cookie } }, 404],
      [`${demo.url}zoom/users/me`, { headers: { cookie } }, 404],
      [`${demo.url}zoom/accounts/me/settings?option=security`, {}, 403],
      [`${demo.url}zoom/users/me/password`, { method: 'DELETE', headers: { cookie } }, 404],
    ];
    for (const [url, init, status] of refused) assert.equal((await fetch(url, init)).status, status, url);
    assert.equal((await change('me', PASSWORD, { cookie: 'demo_session=00000000000000000000000000000000' })).status, 403);
    assert.equal(upstream.seen.length, before, 'nothing forwarded');
    const policy = await fetch(`${demo.url}zoom/accounts/me/settings?option=security`, { headers: { cookie } });
    assert.deepEqual(await policy.json(), { security: { password_requirement: { have_special_character: false } } });
  });

  it('forwards a range query with padding, and only a well-formed prefix', async () => {
    const answer = await fetch(`${demo.url}range/5baa6`);
    assert.equal(answer.status, 200);
    assert.equal(await answer.text(), '0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n');
    assert.equal(answer.headers.get('set-cookie'), null);
    const request = upstream.seen.at(-1);
    assert.deepEqual([request.method, request.url, request.headers['add-padding']], ['GET', '/range/5baa6', 'true']);
    const count = upstream.seen.length;
    for (const path of ['5BAA61E4C9', '..%2Fv2%2Fusers', 'XYZ12', '5BAA6?x=1']) {
      assert.equal((await fetch(`${demo.url}range/${path}`)).status, 400, path);
    }
    assert.equal(upstream.seen.length, count, 'nothing else forwarded');
  });

  it('logs requests without a token or a body', () => {
    assert.ok(logs.length >= 3);
    assert.ok(logs.includes('proxy update_password a+b@x.com -> 204 ok'), logs.join('\n'));
    for (const line of logs) {
      for (const secret of [SERVER_TOKEN, PAGE_TOKEN, PASSWORD, 'Too-Fast']) assert.ok(!line.includes(secret), line);
    }
  });

  it('refuses a plain-http upstream that is not loopback, and proxy mode without a server token', async () => {
    await assert.rejects(startDemoServer({ port: 0, apiBase: 'http://api.zoom.us/v2', accessToken: SERVER_TOKEN }), /zoomBaseUrl must be an https: URL/);
    await assert.rejects(startDemoServer({ port: 0, apiBase: upstream.base, env: {} }), /needs the server's token/);
  });
});
