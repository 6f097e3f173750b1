// The demo server's proxy mode: a second local server stands in for Zoom and
// records what arrives. The proxy must pass method, path, query, body and
// Authorization through, pass the rate-limit headers back, and never log a
// token or a body.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';

import busboy from 'busboy';

import { startDemoServer } from '../../www/server.mjs';

const TOKEN = 'real-looking-token.abc123';
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
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"security":{"password_requirement":{}}}');
      } else if (entry.fields.password === 'Too-Fast-Pass-1') {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '2020-05-31T00:00:00Z', 'X-RateLimit-Type': 'QPS', 'Set-Cookie': 'a=b' })
          .end('{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}');
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
  const logs = [];

  before(async () => {
    upstream = await startUpstream();
    demo = await startDemoServer({ port: 0, apiBase: upstream.base, rangeApi: upstream.range, log: (line) => logs.push(line) });
  });
  after(async () => {
    await demo.close();
    await upstream.close();
  });

  it('forwards method, path, body and Authorization', async () => {
    const body = new FormData();
    body.append('password', PASSWORD);
    const response = await fetch(`${demo.url}zoom/v2/users/a%2Bb%40x.com/password`, {
      method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, Cookie: 'session=local' }, body,
    });
    assert.equal(response.status, 204);
    const [request] = upstream.seen;
    assert.equal(request.method, 'PUT');
    assert.equal(request.url, '/v2/users/a%2Bb%40x.com/password');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(request.fields, { password: PASSWORD });
    assert.equal(request.headers.cookie, undefined, 'cookies stay on this side');
  });

  it('passes queries through and rate-limit headers back', async () => {
    const settings = await fetch(`${demo.url}zoom/v2/accounts/me/settings?option=security`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(settings.status, 200);
    assert.equal(upstream.seen.at(-1).url, '/v2/accounts/me/settings?option=security');
    const body = new FormData();
    body.append('password', 'Too-Fast-Pass-1');
    const limited = await fetch(`${demo.url}zoom/v2/users/me/password`, { method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}` }, body });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2020-05-31T00:00:00Z');
    assert.equal(limited.headers.get('x-ratelimit-type'), 'QPS');
    assert.equal(limited.headers.get('set-cookie'), null);
    assert.equal((await limited.json()).code, 429);
  });

  it('forwards a range query with padding, and only a well-formed prefix', async () => {
    const answer = await fetch(`${demo.url}zoom/range/5baa6`);
    assert.equal(answer.status, 200);
    assert.equal(await answer.text(), '0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n');
    assert.equal(answer.headers.get('set-cookie'), null);
    const request = upstream.seen.at(-1);
    assert.deepEqual([request.method, request.url, request.headers['add-padding']], ['GET', '/range/5baa6', 'true']);
    const count = upstream.seen.length;
    for (const path of ['5BAA61E4C9', '..%2Fv2%2Fusers', 'XYZ12', '5BAA6?x=1']) {
      assert.equal((await fetch(`${demo.url}zoom/range/${path}`)).status, 400, path);
    }
    assert.equal(upstream.seen.length, count, 'nothing else forwarded');
  });

  it('logs requests without the token or the body', () => {
    assert.ok(logs.length >= 3);
    assert.match(logs[0], /^proxy PUT \/users\/a%2Bb%40x\.com\/password -> 204$/);
    for (const line of logs) {
      assert.ok(!line.includes(TOKEN) && !line.includes(PASSWORD) && !line.includes('Too-Fast'), line);
    }
  });

  it('refuses a plain-http upstream that is not loopback', async () => {
    await assert.rejects(startDemoServer({ port: 0, apiBase: 'http://api.zoom.us/v2' }), /https/);
  });
});
