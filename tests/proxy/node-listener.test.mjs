// createNodeListener on its own, with fetch handlers of the test's: the
// Request it makes (method, target, headers, body as sent) and its signal,
// which aborts when the client goes away before the answer is written and
// never after the answer has gone out.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { before, describe, it } from 'node:test';

import { loadEntry } from '../helpers/consumer.mjs';

describe('createNodeListener', () => {
  let api;
  before(async () => {
    api = await loadEntry('import');
  });

  /** Serves `handler` on a loopback port for the length of `body`. */
  async function serving(handler, body) {
    const server = createServer(api.createNodeListener(handler));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await body(`http://127.0.0.1:${server.address().port}`, server.address().port);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('hands the handler the request as sent and writes its answer back', async () => {
    let seen;
    await serving(async (request) => {
      seen = { method: request.method, url: request.url, header: request.headers.get('x-test'), body: await request.text() };
      return new Response('{"ok":true}', { status: 201, headers: { 'Content-Type': 'application/json', 'X-Answer': 'yes' } });
    }, async (origin) => {
      const answer = await fetch(`${origin}/zoom/users/a%40b.com/password?x=1`, { method: 'PUT', body: 'hello', headers: { 'X-Test': 'value' } });
      assert.equal(answer.status, 201);
      assert.equal(answer.headers.get('x-answer'), 'yes');
      assert.deepEqual(await answer.json(), { ok: true });
    });
    assert.deepEqual({ ...seen, url: new URL(seen.url).pathname + new URL(seen.url).search }, {
      method: 'PUT', url: '/zoom/users/a%40b.com/password?x=1', header: 'value', body: 'hello',
    });
  });

  it('aborts the request\'s signal when the client leaves before the answer', async () => {
    let aborted;
    await serving((request) => new Promise((resolve) => {
      request.signal.addEventListener('abort', () => {
        aborted = true;
        resolve(new Response(null, { status: 204 }));
      });
    }), async (_origin, port) => {
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      // The handler is waiting; the client hangs up.
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      for (let i = 0; i < 100 && !aborted; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    });
    assert.equal(aborted, true);
  });

  it('leaves the signal alone once the answer has been written', async () => {
    const signals = [];
    await serving((request) => {
      signals.push(request.signal);
      return new Response('done');
    }, async (origin) => {
      for (let i = 0; i < 3; i++) {
        const answer = await fetch(`${origin}/x`, { method: 'POST', body: 'b' });
        assert.equal(await answer.text(), 'done');
      }
      // The connections close with the server; the answers were complete.
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(signals.length, 3);
    assert.deepEqual(signals.map((signal) => signal.aborted), [false, false, false]);
  });
});

