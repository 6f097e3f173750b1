// npm start: one local server for the demo.
//   /            the demo page (www/); loading it starts a demo session
//   /pkg/        the built package (pkg/), imported by the page as zoom-password/web
//   /zoom/...    the package's own password proxy (createPasswordProxy, through
//                createNodeListener): the page's updatePassword and
//                fetchPasswordPolicy call it with baseUrl "/zoom" and no token;
//                the token lives here, on the server. It forwards to the local
//                Zoom mock this server starts on another loopback port, or, with
//                ZOOM_API_BASE=https://api.zoom.us/v2, to that API with
//                ZOOM_ACCESS_TOKEN (or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and
//                ZOOM_CLIENT_SECRET) from this server's environment.
//   /range/      the page's breach check: the mock's Pwned Passwords range
//                endpoint, or with ZOOM_API_BASE https://api.pwnedpasswords.com/range/
//                (only the five-character hash prefix is in the path)
// Binds 127.0.0.1 unless HOST says otherwise; port from PORT (default 8080).
// It never logs an Authorization header, a token or a request body.
//
// Who may change which password is the application's decision: this demo's
// `authorize` is a stand-in that allows any holder of a demo session cookie,
// which loading the page hands out. A real application checks its own
// session and roles there (the npm README's "Using it from a page").

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { BREACHED_PASSWORDS, DEMO_TOKEN, startZoomMock } from '../mock/zoom-mock.mjs';
import { staticFiles } from './static-files.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MOUNT = '/zoom';
const RANGE = '/range/';
const RANGE_API = 'https://api.pwnedpasswords.com/range/';
const SESSION_COOKIE = 'demo_session';

/** The server's Zoom token in proxy mode: from the options, or this process's environment. */
function serverToken(api, accessToken, env) {
  if (accessToken) return accessToken;
  if (env.ZOOM_ACCESS_TOKEN) return env.ZOOM_ACCESS_TOKEN;
  if (env.ZOOM_ACCOUNT_ID && env.ZOOM_CLIENT_ID && env.ZOOM_CLIENT_SECRET) {
    return api.serverToServerTokenProvider({
      accountId: env.ZOOM_ACCOUNT_ID, clientId: env.ZOOM_CLIENT_ID, clientSecret: env.ZOOM_CLIENT_SECRET,
      oauthBaseUrl: env.ZOOM_OAUTH_BASE_URL || undefined,
    });
  }
  throw new Error('ZOOM_API_BASE needs the server\'s token: set ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET');
}

/** GET /range/{prefix}: the prefix (five hex digits) passed on, with padding. */
async function forwardRange(req, res, rangeApi, log) {
  const prefix = req.url.slice(RANGE.length);
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
 * @param {{ port?: number, host?: string, apiBase?: string, accessToken?: string, rangeApi?: string,
 *   log?: (line: string) => void, mockOptions?: object, env?: Record<string, string | undefined> }} options
 *   apiBase: proxy to this Zoom API instead of the mock, with accessToken (or the
 *   environment's credentials); rangeApi: where /range/ goes then
 */
export async function startDemoServer({ port = 8080, host = '127.0.0.1', apiBase, accessToken, rangeApi = RANGE_API, log = () => {}, mockOptions = {}, env = process.env } = {}) {
  // The built package, as the page gets it (npm start builds it first).
  const api = await import(pathToFileURL(join(root, 'pkg', 'node.mjs')).href);
  const mock = apiBase ? null : await startZoomMock({ control: false, corsOrigins: [], ...mockOptions });
  const rangeUrl = mock ? `${mock.origin}/range/` : rangeApi;
  const sessions = new Set();
  const sessionOf = (cookie) => new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([0-9a-f]{32})`).exec(cookie ?? '')?.[1];

  const proxy = api.createPasswordProxy({
    accessToken: mock ? DEMO_TOKEN : serverToken(api, accessToken, env),
    zoomBaseUrl: mock ? mock.baseUrl : apiBase,
    mount: MOUNT,
    policy: 'account',
    breachCheck: { rangeUrl },
    // The demo's stand-in for an application's check: any demo session.
    authorize: (request) => sessions.has(sessionOf(request.headers.get('cookie'))),
    callerId: (request) => sessionOf(request.headers.get('cookie')) ?? 'anonymous',
    onEvent: ({ action, userId, outcome, kind, status }) => log(`proxy ${action ?? '-'} ${userId ?? '-'} -> ${status} ${outcome}${kind ? ` (${kind})` : ''}`),
  });
  const proxyListener = api.createNodeListener(proxy);
  const serve = staticFiles({ '/pkg/': join(root, 'pkg'), '/': join(root, 'www') });

  const server = createServer(async (req, res) => {
    try {
      if (req.url === MOUNT || req.url.startsWith(`${MOUNT}/`)) {
        proxyListener(req, res);
        return;
      }
      if (req.url.startsWith(RANGE)) {
        await forwardRange(req, res, rangeUrl, log);
        return;
      }
      if ((req.url === '/' || req.url === '/index.html') && !sessions.has(sessionOf(req.headers.cookie))) {
        const id = randomBytes(16).toString('hex');
        sessions.add(id);
        res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`);
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
    close: async () => {
      await new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); });
      await mock?.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const apiBase = process.env.ZOOM_API_BASE;
  let demo;
  try {
    demo = await startDemoServer({
      port: Number(process.env.PORT ?? 8080),
      host: process.env.HOST ?? '127.0.0.1',
      apiBase,
      log: (line) => console.log(line),
    });
  } catch (error) {
    console.error(`zoom-password demo: ${error.message}`);
    process.exit(2);
  }
  console.log(`\nzoom-password demo: ${demo.url}`);
  if (apiBase) {
    console.log(`The page's /zoom calls go through the package's password proxy to ${apiBase}, with this server's token.`);
  } else {
    console.log(`The page's /zoom calls go through the package's password proxy to a local Zoom mock at ${demo.mock.baseUrl};`);
    console.log('the token lives on this server, never in the page.');
    console.log('Seeded users: me (owner@example.com), ada@example.com (current password Current-Pass-7,');
    console.log('  previous Previous-Pass-6: try either to see "password reused"), grace@example.com, admin@example.com.');
    console.log(`Breached, for the breach check (each passes Zoom's rules): ${Object.keys(BREACHED_PASSWORDS).join(', ')}.`);
  }
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
