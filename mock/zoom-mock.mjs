// A local stand-in for Zoom's API, faithful to what ../shared/zoom-facts.md
// records: the password endpoint with Zoom's codes and messages, account
// security settings, server-to-server OAuth, per-second and daily rate limits
// with Zoom's headers, and fault knobs for resilience tests. Used by the
// tests, the demo server and the benchmarks.
//
//   import { startZoomMock } from './mock/zoom-mock.mjs';
//   const mock = await startZoomMock({ ratePerSecond: 10 });
//   mock.baseUrl            // http://127.0.0.1:PORT/v2
//   mock.addFaults({ type: 'status', status: 500 });
//   mock.requests           // every request, parsed
//   await mock.close();
//
// Out of process: `node mock/zoom-mock.mjs --port 0` prints its URL; the
// control API under /__mock (reset, faults, state, requests) drives it.

import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import busboy from 'busboy';

import { checkPassword } from './password-rules.mjs';

export const DEMO_TOKEN = 'demo-token-0123456789';

/** The seeded users: one whose history makes "password reused" easy to see. */
export function defaultUsers() {
  return [
    { id: 'OwnerU5erIdAAAAAAAAAAA', email: 'owner@example.com', password: 'Owner-Pass-2024', role: 'owner' },
    {
      id: 'KDcuGIm1QgePTO8WbOqwIQ', email: 'ada@example.com', password: 'Current-Pass-7',
      history: ['Previous-Pass-6', 'Earlier-Pass-5'],
    },
    { id: 'z8yBXksNQ0aD7pX3vPs0gw', email: 'grace@example.com', password: 'Grace-Hopper-1906' },
    { id: 'AdminU5erIdBBBBBBBBBBB', email: 'admin@example.com', password: 'Admin-Pass-2024', role: 'admin', protected: true },
    { id: 'SsoU5erIdCCCCCCCCCCCCC', email: 'sso@example.com', password: 'Sso-Managed-99', workEmail: false },
  ];
}

/**
 * Passwords the range endpoint (`GET /range/{prefix}`, a Pwned Passwords
 * stand-in) lists as breached, with their counts. Each passes Zoom's basic
 * rules, so only a breach check refuses it.
 */
export const BREACHED_PASSWORDS = {
  Password123: 251_682,
  'P@ssw0rd2024': 1_024,
  'Summer2024!': 4_096,
  'Welcome-123': 5,
};

/** Upper-case hex SHA-1, as the range API writes it. */
export function sha1Hex(text) {
  return createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();
}

const MESSAGES = {
  reused: 'Your new password can not match the old password.',
  changeLimit: 'This password cannot be changed because it has already been changed the maximum number of times over the past 24 hours.',
  qps: 'You have reached the maximum per-second rate limit for this API. Try again later.',
  expired: 'Access token is expired.',
  invalidToken: 'Invalid access token.',
};

function json(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An answer not yet sent: Zoom's error body, its status and headers. */
function zoomAnswer(status, code, message, extra = {}, headers = {}) {
  return { status, body: { code, message, ...extra }, headers };
}

function send(res, answer) {
  if (answer.body === undefined) res.writeHead(answer.status, answer.headers ?? {}).end();
  else json(res, answer.status, answer.body, answer.headers);
}

/**
 * Reads the body and parses it by content type, with real parsers; `raw`
 * is the body's bytes as they arrived, so tests can compare what was sent
 * byte for byte with what was checked.
 */
function readBody(req) {
  const type = (req.headers['content-type'] || '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    return new Promise((resolve, reject) => {
      const fields = {};
      const fieldNames = [];
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      let parser;
      try {
        parser = busboy({ headers: req.headers, limits: { fieldSize: 1 << 20 } });
      } catch (error) {
        reject(error);
        return;
      }
      parser.on('field', (name, value) => {
        fields[name] = value;
        fieldNames.push(name);
      });
      parser.on('close', () => resolve({ encoding: 'multipart', fields, fieldNames, raw: Buffer.concat(chunks) }));
      parser.on('error', reject);
      req.pipe(parser);
    });
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      if (type.startsWith('application/json')) {
        try {
          const parsed = JSON.parse(text || 'null');
          const fields = parsed && typeof parsed === 'object' ? parsed : {};
          resolve({ encoding: 'json', fields, fieldNames: Object.keys(fields), raw });
        } catch {
          resolve({ encoding: 'json', fields: {}, malformed: true });
        }
      } else if (type.startsWith('application/x-www-form-urlencoded')) {
        resolve({ encoding: 'urlencoded', fields: Object.fromEntries(new URLSearchParams(text)) });
      } else {
        resolve({ encoding: type || 'none', fields: {}, text });
      }
    });
  });
}

/** Deterministic random numbers (mulberry32) for reproducible random faults. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Retry-After `ms` from now, rounded up to whole seconds as every HTTP form is. */
function retryAfterValue(format, ms) {
  const at = new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);
  switch (format) {
    case 'seconds': return String(Math.ceil(ms / 1000));
    case 'http-date': return at.toUTCString();
    case 'none': return undefined;
    default: return at.toISOString().replace(/\.\d{3}Z$/, 'Z'); // Zoom's own form
  }
}

/**
 * Starts the mock.
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string} [options.host='127.0.0.1']
 * @param {string} [options.basePath='/v2']
 * @param {Array} [options.users] seeded users ({ id, email, password, history?, role?, protected?, workEmail? })
 * @param {Record<string,{user?:string, scopes?:string[]}>|string[]} [options.tokens] valid bearer tokens
 * @param {number} [options.ratePerSecond=Infinity] per-account requests per second before 429
 * @param {number} [options.dailyLimit=Infinity]
 * @param {'iso'|'seconds'|'http-date'|'none'} [options.retryAfterFormat='iso']
 * @param {object} [options.policy] security.password_requirement
 * @param {'paid'|'free'} [options.plan='paid']
 * @param {number} [options.historySize=5] passwords remembered for code 1129
 * @param {number} [options.maxChangesPer24h=Infinity]
 * @param {Record<string,{secret:string, accountId:string}>} [options.oauthClients]
 * @param {boolean} [options.control=true] serve the /__mock control API
 * @param {Record<string,number>} [options.breached] passwords the range endpoint lists, with counts (default BREACHED_PASSWORDS)
 * @param {number} [options.rangePadding=24] padding lines per range answer asked with Add-Padding: true
 * @param {string|string[]} [options.corsOrigins='*'] origins allowed by CORS ('*' reflects any)
 * @param {'security'|'top-level'|'no-requirement'|'requirement-not-object'|'not-json'|'empty-200'} [options.settingsShape='security']
 *   how the account settings answer is written
 */
export async function startZoomMock(options = {}) {
  const mock = new ZoomMock(options);
  await mock.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return mock;
}

export class ZoomMock {
  constructor(options = {}) {
    this.initialOptions = options;
    this.basePath = options.basePath ?? '/v2';
    this.sockets = new Set();
    this.reset();
  }

  /** Back to a fresh state (users, tokens, limits, faults, records): the constructor's options with `options` on top. */
  reset(options = {}) {
    this.options = { ...this.initialOptions, ...options };
    const o = this.options;
    this.users = (o.users ?? defaultUsers()).map((u) => ({
      role: 'member', history: [], protected: false, workEmail: true, ...u,
      history: [...(u.history ?? [])], changes: [],
    }));
    const tokens = o.tokens ?? { [DEMO_TOKEN]: { user: this.users[0]?.id } };
    this.tokens = new Map(
      Array.isArray(tokens) ? tokens.map((t) => [t, { user: this.users[0]?.id }]) : Object.entries(tokens),
    );
    this.expiredTokens = new Set();
    this.ratePerSecond = o.ratePerSecond ?? Infinity;
    this.dailyLimit = o.dailyLimit ?? Infinity;
    this.retryAfterFormat = o.retryAfterFormat ?? 'iso';
    this.policy = { ...(o.policy ?? {}) };
    this.plan = o.plan ?? 'paid';
    this.historySize = o.historySize ?? 5;
    this.maxChangesPer24h = o.maxChangesPer24h ?? Infinity;
    this.oauthClients = new Map(Object.entries(o.oauthClients ?? {}));
    this.faults = [];
    this.rangeFaults = [];
    this.breached = Object.entries(o.breached ?? BREACHED_PASSWORDS).map(([password, count]) => ({ hash: sha1Hex(password), count }));
    this.rangePadding = o.rangePadding ?? 24;
    this.randomFaults = null;
    this.requests = [];
    this.windowStart = 0;
    this.windowCount = 0;
    this.dayCount = 0;
    this.stats = { rateLimited: 0, changes: 0, connections: 0 };
  }

  /** Serves on its own port; `handle(req, res)` can also be mounted in another server. */
  listen(port, host) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.stats.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const { port: actual } = this.server.address();
        this.origin = `http://${host}:${actual}`;
        this.baseUrl = `${this.origin}${this.basePath}`;
        resolve();
      });
    });
  }

  close() {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- knobs ------------------------------------------------------------

  /**
   * Queues faults, used in order by matching password requests. A fault:
   * { type: 'status', status, body?, headers?, echoPassword? }   answer this instead (no change);
   *                                               echoPassword: %PASSWORD% in body becomes the password received
   * { type: 'html', status=502 }                  a proxy's HTML page
   * { type: 'malformed', status=500 }             a truncated JSON body
   * { type: 'drop', apply=false, partial=true }   lose the answer: half a status line, then the connection
   *                                               is destroyed (after applying the change if apply)
   * { type: 'hang', apply=false }                 never answer (after applying the change if apply)
   * { type: 'latency', ms }                       answer normally after ms
   * { type: 'rate_limit', limit='qps'|'daily', retryAfter?, typeHeader=true }
   * { type: 'expire_token' }                      401 code 124 "Access token is expired."
   * { type: 'redirect', location, status=307 }
   * Optional on any: userId (only for that user), times (default 1), delayMs
   * (wait this long before answering, so the request is in flight meanwhile).
   */
  addFaults(...faults) {
    for (const fault of faults.flat()) this.faults.push({ times: 1, ...fault });
  }

  /**
   * Queues faults for range queries, used in order:
   * { type: 'status', status, body? }   answer this (text/plain)
   * { type: 'body', body }             a 200 with this body
   * { type: 'hang' }                   never answer
   * Optional on any: times (default 1).
   */
  addRangeFaults(...faults) {
    for (const fault of faults.flat()) this.rangeFaults.push({ times: 1, ...fault });
  }

  /** Range queries seen: every path the range endpoint was asked for. */
  rangeRequests() {
    return this.requests.filter((r) => r.kind === 'range');
  }

  /** Injects a random fault into a share of password requests, reproducibly. */
  setRandomFaults({ rate, types, seed = 1 }) {
    this.randomFaults = rate > 0 ? { rate, types, random: seededRandom(seed) } : null;
  }

  expireToken(token) {
    this.expiredTokens.add(token);
  }

  addToken(token, info = { user: this.users[0]?.id }) {
    this.tokens.set(token, info);
  }

  findUser(userId) {
    const lower = userId.toLowerCase();
    return this.users.find((u) => u.id === userId || u.email.toLowerCase() === lower);
  }

  /** The password change requests answered 204 (or applied before a fault). */
  changesFor(userId) {
    return this.findUser(userId)?.changes.length ?? 0;
  }

  passwordRequests() {
    return this.requests.filter((r) => r.kind === 'password');
  }

  state() {
    return {
      users: this.users.map(({ id, email, password, history, changes }) => ({ id, email, password, history, changes: changes.length })),
      policy: this.policy,
      ratePerSecond: this.ratePerSecond,
      stats: this.stats,
      pendingFaults: this.faults.length,
    };
  }

  // ---- HTTP ---------------------------------------------------------------

  cors(req, res) {
    const origin = req.headers.origin;
    if (!origin) return;
    const allowed = this.options.corsOrigins ?? '*';
    const list = Array.isArray(allowed) ? allowed : [allowed];
    if (list.includes('*') || list.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, Add-Padding');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-RateLimit-Category, X-RateLimit-Type, X-RateLimit-Limit, X-RateLimit-Remaining');
      res.setHeader('Access-Control-Max-Age', '600');
    }
  }

  async handle(req, res) {
    this.cors(req, res);
    const url = new URL(req.url, 'http://mock.invalid');
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    try {
      if (url.pathname.startsWith('/__mock/') && this.options.control !== false) {
        await this.handleControl(req, res, url);
        return;
      }
      if (url.pathname.startsWith('/range/')) {
        this.handleRange(req, res, url);
        return;
      }
      if (url.pathname === '/oauth/token') {
        await this.handleOAuth(req, res, url);
        return;
      }
      if (!url.pathname.startsWith(`${this.basePath}/`)) {
        send(res, zoomAnswer(404, 404, 'Not found.'));
        return;
      }
      const rest = url.pathname.slice(this.basePath.length);
      // Split the raw path: %2F inside a segment must not create a segment.
      const segments = rest.split('/').slice(1);
      if (segments.length === 3 && segments[0] === 'users' && segments[2] === 'password') {
        await this.handlePassword(req, res, decodeURIComponent(segments[1]), url);
        return;
      }
      if (segments.length === 3 && segments[0] === 'accounts' && segments[2] === 'settings') {
        await this.handleSettings(req, res, decodeURIComponent(segments[1]), url);
        return;
      }
      send(res, zoomAnswer(404, 404, 'Not found.'));
    } catch (error) {
      if (!res.headersSent) send(res, zoomAnswer(500, 500, `Mock failure: ${error.message}`));
    }
  }

  record(req, url, extra) {
    const entry = {
      method: req.method,
      path: url.pathname,
      rawPath: req.url.split('?')[0],
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      receivedAt: Date.now(),
      ...extra,
    };
    this.requests.push(entry);
    return entry;
  }

  /** Zoom's per-account limits, counted on every API request: a 429 answer or null. */
  rateLimit() {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    this.dayCount += 1;
    const headers = { 'X-RateLimit-Category': 'Medium', 'X-RateLimit-Remaining': '0' };
    if (this.dayCount > this.dailyLimit) {
      this.stats.rateLimited += 1;
      const midnight = new Date(now);
      midnight.setUTCHours(24, 0, 0, 0);
      const retryAfter = retryAfterValue(this.retryAfterFormat, midnight - now);
      return zoomAnswer(429, 429,
        `You have exceeded the daily rate limit (${this.dailyLimit}) of Medium API requests permitted for this particular account. You may resume these requests at GMT 00:00:00.`,
        {}, { ...headers, 'X-RateLimit-Type': 'Daily-limit', 'X-RateLimit-Limit': String(this.dailyLimit), ...(retryAfter ? { 'Retry-After': retryAfter } : {}) });
    }
    if (this.windowCount > this.ratePerSecond) {
      this.stats.rateLimited += 1;
      const retryAfter = retryAfterValue(this.retryAfterFormat, 1000 - (now - this.windowStart));
      return zoomAnswer(429, 429, MESSAGES.qps, {},
        { ...headers, 'X-RateLimit-Type': 'QPS', 'X-RateLimit-Limit': String(this.ratePerSecond), ...(retryAfter ? { 'Retry-After': retryAfter } : {}) });
    }
    return null;
  }

  /** 401/403 as Zoom answers them: `{ answer }`, or `{ info }` when the token may proceed. */
  authorize(req, scope) {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization || '');
    const token = match?.[1];
    if (!token || !this.tokens.has(token)) return { answer: zoomAnswer(401, 124, MESSAGES.invalidToken) };
    if (this.expiredTokens.has(token)) return { answer: zoomAnswer(401, 124, MESSAGES.expired) };
    const info = this.tokens.get(token);
    if (info.scopes && !info.scopes.includes(scope)) {
      return { answer: zoomAnswer(403, 4700, `Invalid access token, does not contain scopes:[${scope}]`) };
    }
    return { info: { token, ...info } };
  }

  takeFault(userId) {
    const index = this.faults.findIndex((f) => !f.userId || f.userId === userId);
    if (index >= 0) {
      const fault = this.faults[index];
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
      return fault;
    }
    if (this.randomFaults && this.randomFaults.random() < this.randomFaults.rate) {
      const { types, random } = this.randomFaults;
      return { ...types[Math.floor(random() * types.length)] };
    }
    return null;
  }

  /**
   * `GET /range/{prefix}` in the Pwned Passwords format: `SUFFIX:COUNT`
   * lines, CRLF, sorted; with `Add-Padding: true`, padding lines of count 0
   * (deterministic per prefix). Every path is recorded, so tests can prove
   * that only a prefix left the library.
   */
  handleRange(req, res, url) {
    const prefix = url.pathname.slice('/range/'.length);
    this.record(req, url, { kind: 'range', prefix });
    const text = (status, body) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
    const fault = this.rangeFaults[0];
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) this.rangeFaults.shift();
      if (fault.type === 'hang') return;
      if (fault.type === 'status') return text(fault.status, fault.body ?? '');
      if (fault.type === 'body') return text(200, fault.body);
      throw new Error(`unknown range fault type ${fault.type}`);
    }
    if (req.method !== 'GET') return text(405, 'Method not allowed');
    if (!/^[0-9A-Fa-f]{5}$/.test(prefix)) return text(400, 'The hash prefix was not in a valid format');
    const upper = prefix.toUpperCase();
    const lines = this.breached.filter((b) => b.hash.startsWith(upper)).map((b) => `${b.hash.slice(5)}:${b.count}`);
    if (String(req.headers['add-padding']).toLowerCase() === 'true') {
      for (let i = 0; i < this.rangePadding; i += 1) lines.push(`${sha1Hex(`padding ${upper} ${i}`).slice(5)}:0`);
    }
    lines.sort();
    text(200, lines.join('\r\n'));
  }

  async handlePassword(req, res, userId, url) {
    const body = await readBody(req).catch(() => ({ encoding: 'unparseable', fields: {} }));
    const entry = this.record(req, url, {
      kind: 'password', userId, encoding: body.encoding, fields: body.fields, fieldNames: body.fieldNames ?? [],
      contentType: req.headers['content-type'] || null, rawBody: body.raw?.toString('base64') ?? null,
    });
    const respond = (status) => { entry.status = status; entry.applied = false; };
    if (req.method !== 'PUT') {
      respond(405);
      send(res, zoomAnswer(405, 405, 'Method not allowed.'));
      return;
    }
    let fault = this.takeFault(userId);
    entry.fault = fault?.type ?? null;
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault) {
      switch (fault.type) {
        case 'latency':
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
          break;
        case 'status': {
          respond(fault.status);
          // echoPassword: a server that repeats what it received, for the secret audit.
          const received = String(body.fields?.password ?? '');
          if (fault.echoPassword && typeof fault.body === 'object') fault = { ...fault, body: JSON.parse(JSON.stringify(fault.body).replaceAll('%PASSWORD%', received)) };
          if (fault.body === undefined) res.writeHead(fault.status, fault.headers ?? {}).end();
          else if (typeof fault.body === 'string') res.writeHead(fault.status, { 'Content-Type': 'text/plain', ...(fault.headers ?? {}) }).end(fault.body);
          else json(res, fault.status, fault.body, fault.headers);
          return;
        }
        case 'html':
          respond(fault.status ?? 502);
          res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html' })
            .end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>');
          return;
        case 'malformed':
          respond(fault.status ?? 500);
          res.writeHead(fault.status ?? 500, { 'Content-Type': 'application/json' }).end('{"code":500,"message":"Inter');
          return;
        case 'rate_limit': {
          respond(429);
          this.stats.rateLimited += 1;
          const daily = fault.limit === 'daily';
          const headers = { 'X-RateLimit-Category': 'Medium' };
          if (fault.typeHeader !== false) headers['X-RateLimit-Type'] = daily ? 'Daily-limit' : 'QPS';
          const retryAfter = fault.retryAfter === undefined
            ? retryAfterValue(this.retryAfterFormat, daily ? 3_600_000 : 1000)
            : fault.retryAfter;
          if (retryAfter !== null && retryAfter !== undefined) headers['Retry-After'] = retryAfter;
          send(res, zoomAnswer(429, 429, daily
            ? 'You have exceeded the daily rate limit (2000) of Medium API requests permitted for this particular account. You may resume these requests at GMT 00:00:00.'
            : MESSAGES.qps, {}, headers));
          return;
        }
        case 'expire_token':
          respond(401);
          send(res, zoomAnswer(401, 124, MESSAGES.expired));
          return;
        case 'redirect':
          respond(fault.status ?? 307);
          res.writeHead(fault.status ?? 307, { Location: fault.location }).end();
          return;
        case 'drop':
        case 'hang':
          break;
        default:
          throw new Error(`unknown fault type ${fault.type}`);
      }
    }
    if ((fault?.type === 'drop' || fault?.type === 'hang') && !fault.apply) {
      entry.applied = false;
    } else {
      const answer = this.changePassword(req, userId, body);
      entry.status = answer.status;
      entry.applied = answer.applied === true;
      if (!fault || fault.type === 'latency') {
        send(res, answer);
        return;
      }
    }
    if (fault?.type === 'drop') {
      entry.status = 'dropped';
      // Half a status line, then nothing: the answer is lost in transit.
      // (With no byte at all, Chromium silently resends a request whose
      // reused keep-alive connection was reset, PUT included.)
      if (fault.partial !== false) req.socket.write('HTTP/1.1 20');
      req.socket.destroy();
      return;
    }
    // 'hang': the client's timeout or abort ends it; close() destroys it.
    entry.status = 'hung';
  }

  /** Applies Zoom's checks in its order; returns the answer, `applied` when the password changed. */
  changePassword(req, userId, body) {
    const limited = this.rateLimit();
    if (limited) return limited;
    const auth = this.authorize(req, 'user:write:admin');
    if (auth.answer) return auth.answer;
    const user = userId === 'me' ? this.users.find((u) => u.id === auth.info.user) : this.findUser(userId);
    if (!user) return zoomAnswer(404, 1001, `User does not exist: ${userId}.`);
    const password = body.fields?.password;
    if (typeof password !== 'string' || password === '') {
      return zoomAnswer(400, 300, 'Validation Failed.', { errors: [{ field: 'password', message: 'Invalid field.' }] });
    }
    if (user.protected) return zoomAnswer(400, 1117, "Can not update Admin's password");
    if (!user.workEmail) return zoomAnswer(400, 1123, 'Can only update password of Zoom work email account');
    const rule = checkPassword(password, this.policy);
    if (rule) {
      const { code, message, ...extra } = rule;
      return zoomAnswer(400, code, message, extra);
    }
    if (password === user.password) return zoomAnswer(400, 300, MESSAGES.reused);
    if (user.history.slice(0, this.historySize).includes(password)) {
      return zoomAnswer(400, 1129, `Users cannot reuse any of the last ${this.historySize} passwords created.`);
    }
    const dayAgo = Date.now() - 86_400_000;
    if (user.changes.filter((t) => t > dayAgo).length >= this.maxChangesPer24h) return zoomAnswer(400, 300, MESSAGES.changeLimit);
    user.history.unshift(user.password);
    user.password = password;
    user.changes.push(Date.now());
    this.stats.changes += 1;
    return { status: 204, applied: true };
  }

  async handleSettings(req, res, accountId, url) {
    this.record(req, url, { kind: 'settings', accountId });
    if (req.method !== 'GET') {
      send(res, zoomAnswer(405, 405, 'Method not allowed.'));
      return;
    }
    const limited = this.rateLimit();
    if (limited) return send(res, limited);
    const auth = this.authorize(req, 'account:read:admin');
    if (auth.answer) return send(res, auth.answer);
    if (accountId !== 'me' && accountId !== (this.options.accountId ?? 'mockAccount')) {
      send(res, zoomAnswer(404, 2001, `Account does not exist: ${accountId}.`));
      return;
    }
    if (this.plan === 'free') {
      send(res, zoomAnswer(400, 200, 'Only available for paid accounts.'));
      return;
    }
    const option = url.searchParams.get('option');
    // The shapes a settings answer may take (Zoom's OpenAPI document allows
    // the requirement at the top level too) and ones it must not be read as {}.
    const shape = this.options.settingsShape ?? 'security';
    if (shape === 'not-json') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>maintenance</html>');
    if (shape === 'empty-200') return res.writeHead(200).end();
    const security = {
      admin_change_name_pic: false,
      hide_billing_info: false,
      import_photos_from_devices: true,
      password_requirement: {
        minimum_password_length: 0,
        have_special_character: false,
        consecutive_characters_length: 0,
        weak_enhance_detection: false,
        ...this.policy,
      },
      sign_in_with_two_factor_auth: 'none',
    };
    if (shape === 'top-level') return json(res, 200, { password_requirement: security.password_requirement });
    if (shape === 'no-requirement') delete security.password_requirement;
    if (shape === 'requirement-not-object') security.password_requirement = 'strict';
    json(res, 200, option === 'security' ? { security } : { security, schedule_meeting: {} });
  }

  async handleOAuth(req, res, url) {
    const body = await readBody(req).catch(() => ({ fields: {} }));
    this.record(req, url, { kind: 'oauth' });
    if (req.method !== 'POST') {
      json(res, 405, { reason: 'Method not allowed', error: 'invalid_request' });
      return;
    }
    const grant = url.searchParams.get('grant_type') ?? body.fields?.grant_type;
    const accountId = url.searchParams.get('account_id') ?? body.fields?.account_id;
    if (grant !== 'account_credentials') {
      json(res, 400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
      return;
    }
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization || '');
    const [clientId, secret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    const client = clientId && this.oauthClients.get(clientId);
    if (!client || client.secret !== secret) {
      json(res, 400, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
      return;
    }
    if (client.accountId !== accountId) {
      json(res, 400, { reason: 'Invalid account_id', error: 'invalid_request' });
      return;
    }
    const token = `mock-s2s-${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, { user: this.users[0]?.id, clientId });
    json(res, 200, { access_token: token, token_type: 'bearer', expires_in: client.expiresIn ?? 3599, scope: 'user:write:admin account:read:admin' });
  }

  async handleControl(req, res, url) {
    const body = await readBody(req).catch(() => ({ fields: {} }));
    const fields = body.fields ?? {};
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /__mock/reset':
        this.reset(fields);
        json(res, 200, this.state());
        return;
      case 'POST /__mock/faults':
        this.addFaults(Array.isArray(fields) ? fields : fields.faults ?? [fields]);
        json(res, 200, { pending: this.faults.length });
        return;
      case 'POST /__mock/range-faults':
        this.addRangeFaults(Array.isArray(fields) ? fields : fields.faults ?? [fields]);
        json(res, 200, { pending: this.rangeFaults.length });
        return;
      case 'POST /__mock/random-faults':
        this.setRandomFaults(fields);
        json(res, 200, { ok: true });
        return;
      case 'POST /__mock/add-token':
        this.addToken(fields.token);
        json(res, 200, { ok: true });
        return;
      case 'POST /__mock/expire-token':
        this.expireToken(fields.token);
        json(res, 200, { ok: true });
        return;
      case 'GET /__mock/state':
        json(res, 200, this.state());
        return;
      case 'GET /__mock/requests':
        json(res, 200, this.requests);
        return;
      default:
        json(res, 404, { error: 'unknown control path' });
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  const mock = await startZoomMock({ port: Number(values.port), host: values.host });
  console.log(mock.origin);
  const stop = () => mock.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
