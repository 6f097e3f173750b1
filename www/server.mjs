// npm start: one local server for the demo.
//   /            the demo page (www/)
//   /pkg/        the built package (pkg/), imported by the page as zoom-password/web
//   /zoom/v2/... the local Zoom mock, seeded with a few users; or, with
//                ZOOM_API_BASE=https://api.zoom.us/v2, a proxy to that API
//                (server-side, so CORS does not matter)
//   /zoom/range/  the mock's Pwned Passwords range endpoint; with ZOOM_API_BASE,
//                a proxy to https://api.pwnedpasswords.com/range/ (only the
//                five-character hash prefix is in the path)
// Binds 127.0.0.1 unless HOST says otherwise; port from PORT (default 8080).
// It never logs an Authorization header or a request body.

import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BREACHED_PASSWORDS, DEMO_TOKEN, ZoomMock } from '../mock/zoom-mock.mjs';
import { staticFiles } from './static-files.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MOUNT = '/zoom';
const MAX_BODY = 1 << 20;
/** Request headers passed upstream; everything else (cookies included) stays here. */
const FORWARDED_REQUEST = ['authorization', 'content-type', 'accept'];
/** Response headers passed back: what the library reads. */
const FORWARDED_RESPONSE = ['content-type', 'retry-after', 'x-ratelimit-category', 'x-ratelimit-type', 'x-ratelimit-limit', 'x-ratelimit-remaining'];

function checkApiBase(apiBase) {
  const url = new URL(apiBase);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error('ZOOM_API_BASE must be an https: URL (http: only for loopback)');
  }
  return apiBase.replace(/\/+$/, '');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Forwards /zoom/v2/<rest> to <apiBase>/<rest>: method, body, Authorization and content headers. */
async function proxy(req, res, apiBase, log) {
  const rest = req.url.slice(`${MOUNT}/v2`.length);
  const headers = {};
  for (const name of FORWARDED_REQUEST) if (req.headers[name]) headers[name] = req.headers[name];
  const method = req.method;
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  let upstream;
  try {
    upstream = await fetch(`${apiBase}${rest}`, { method, headers, body, redirect: 'manual' });
  } catch {
    log(`proxy ${method} ${rest.split('?')[0]} -> unreachable`);
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end('Bad Gateway: the Zoom API could not be reached');
    return;
  }
  const answer = Buffer.from(await upstream.arrayBuffer());
  const out = {};
  for (const name of FORWARDED_RESPONSE) {
    const value = upstream.headers.get(name);
    if (value !== null) out[name] = value;
  }
  log(`proxy ${method} ${rest.split('?')[0]} -> ${upstream.status}`);
  res.writeHead(upstream.status, out).end(answer);
}

const RANGE_API = 'https://api.pwnedpasswords.com/range/';

/** Forwards GET /zoom/range/{prefix} to the public range API, with padding. */
async function proxyRange(req, res, rangeApi, log) {
  const prefix = req.url.slice(`${MOUNT}/range/`.length);
  if (req.method !== 'GET' || !/^[0-9A-Fa-f]{5}$/.test(prefix)) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('The hash prefix was not in a valid format');
    return;
  }
  try {
    const upstream = await fetch(`${rangeApi}${prefix}`, { headers: { 'Add-Padding': 'true' }, redirect: 'manual' });
    log(`range ${prefix} -> ${upstream.status}`);
    res.writeHead(upstream.status, { 'Content-Type': 'text/plain' }).end(await upstream.text());
  } catch {
    log(`range ${prefix} -> unreachable`);
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end('Bad Gateway: the range API could not be reached');
  }
}

/**
 * Starts the demo server.
 * @param {{ port?: number, host?: string, apiBase?: string, rangeApi?: string, log?: (line: string) => void, mockOptions?: object }} options
 *   rangeApi: where /zoom/range/ goes in proxy mode (default the public Pwned Passwords API)
 */
export async function startDemoServer({ port = 8080, host = '127.0.0.1', apiBase, rangeApi = RANGE_API, log = () => {}, mockOptions = {} } = {}) {
  const upstream = apiBase ? checkApiBase(apiBase) : null;
  // Mounted in this server, not listening on its own; no control API here.
  const mock = upstream ? null : new ZoomMock({ control: false, corsOrigins: [], ...mockOptions });
  const serve = staticFiles({ '/pkg/': join(root, 'pkg'), '/': join(root, 'www') });

  const server = createServer(async (req, res) => {
    try {
      if (req.url === MOUNT || req.url.startsWith(`${MOUNT}/`)) {
        if (upstream) {
          if (req.url.startsWith(`${MOUNT}/range/`)) {
            await proxyRange(req, res, rangeApi, log);
            return;
          }
          if (!req.url.startsWith(`${MOUNT}/v2/`)) {
            res.writeHead(404).end();
            return;
          }
          await proxy(req, res, upstream, log);
        } else {
          req.url = req.url.slice(MOUNT.length);
          await mock.handle(req, res);
        }
        return;
      }
      if (await serve(req, res)) return;
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('demo server error');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}/`;
  return {
    url,
    mock,
    token: upstream ? null : DEMO_TOKEN,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const apiBase = process.env.ZOOM_API_BASE;
  const demo = await startDemoServer({
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? '127.0.0.1',
    apiBase,
    log: (line) => console.log(line),
  });
  console.log(`\nzoom-password demo: ${demo.url}`);
  if (apiBase) {
    console.log(`Proxying ${demo.url}zoom/v2/* to ${apiBase} (use a real Zoom access token).`);
  } else {
    console.log(`Local Zoom mock at ${demo.url}zoom/v2 — demo token: ${demo.token}`);
    console.log('Seeded users: me (owner@example.com), ada@example.com (current password Current-Pass-7,');
    console.log('  previous Previous-Pass-6: try either to see "password reused"), grace@example.com, admin@example.com.');
    console.log(`Breached, for the breach check (each passes Zoom's rules): ${Object.keys(BREACHED_PASSWORDS).join(', ')}.`);
  }
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
