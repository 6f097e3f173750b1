// npm run bench: the figures that say whether zoom-password is the small,
// fast choice, as ratios measured side by side in one run (absolute times on
// a shared machine are noise). Prints a table and writes the same as JSON to
// bench/results/latest.json. Never part of npm test: nothing here asserts.
//
// 1. size        raw, gzip -9 and brotli -11 of what ships; (a) to (d) of
//                bench/sizes.mjs, (a) against its 65 KB limit (aim 58); the
//                browser wasm in each shipping form; both modules by part;
//                @zoom/rivet bundled
// 2. validation  validatePassword calls/s vs a plain-JS implementation;
//                generatePassword calls/s vs the same generator in plain JS
// 3. start-up    import to first validatePassword in a fresh Node, median of 20
// 4. throughput  updatePassword at concurrency 32 vs a hand-written fetch +
//                FormData loop (bare and with the same timeout) and vs
//                @zoom/rivet, against the mock: 16 rounds of 2,500 after a
//                warm-up, each from a full GC, the compared pair side by side
// 4b. own cost   us per call with fetch stubbed, vs the same loops
//                (bench/hot-path.mjs; bench/profile.mjs breaks it down by part)
// 5. pacing      achieved vs configured rate at 2, 20 and 60 req/s, and 429s
// 6. proxy       requests/s through createPasswordProxy vs a minimal forwarder

import { spawn, spawnSync } from 'node:child_process';
import { globalAgent as httpAgent } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { build } from 'esbuild';

import * as plainGenerator from './plain-generate.mjs';
import * as plain from './plain-validate.mjs';
import { AIM, BUDGET, FULL_BEFORE_PROXY, br, gz, kb, sizes, withoutProxyVerdict } from './sizes.mjs';
import { wasmParts } from './wasm-parts.mjs';

// A full collection between throughput rounds (section 4), without asking
// for a command-line flag: V8 exposes gc() to contexts made after the flag.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const results = { date: new Date().toISOString(), node: process.version };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

// ---- 1. size ------------------------------------------------------------------

async function size() {
  const file = (name) => readFileSync(join(pkg, name));
  const rows = ['zoom_password_bg.wasm', 'zoom_password_full_bg.wasm', 'glue-browser.js', 'browser.js', 'web.js', 'workerd.js', 'node.cjs', 'node.mjs', 'glue-node.cjs', 'bin/zoom-password.mjs']
    .map((name) => ({ name, raw: file(name).length, gzip: gz(file(name)), brotli: br(file(name)) }));
  const dictionary = readFileSync(join(root, 'src', 'core', 'dictionary', 'common-passwords.gcs'));
  const payload = await sizes();

  const appDir = join(root, 'build', 'bench');
  mkdirSync(appDir, { recursive: true });
  await build({
    stdin: { contents: "export { UsersS2SAuthClient } from '@zoom/rivet/users';\n", resolveDir: root, loader: 'js' },
    bundle: true, minify: true, platform: 'node', format: 'esm', outfile: join(appDir, 'rivet-users.js'), logLevel: 'error',
  });
  const rivet = readFileSync(join(appDir, 'rivet-users.js'));

  table('1. Size (bytes)', ['file', 'raw', 'gzip -9', 'brotli -11'], [
    ...rows.map((r) => [r.name, r.raw, r.gzip, r.brotli]),
    ['(dictionary, in both modules)', dictionary.length, gz(dictionary), br(dictionary)],
    ...payload.rows,
    ...payload.forms,
    ['@zoom/rivet users client, esbuild --minify --platform=node', rivet.length, gz(rivet), br(rivet)],
  ]);
  const verdict = payload.a.gzip <= BUDGET ? (payload.a.gzip <= AIM ? 'PASS (aim met)' : 'PASS') : 'FAIL';
  console.log(`(a) the default-entry app: ${kb(payload.a.gzip)} gzip, ${kb(payload.a.brotli)} brotli: ${verdict} (at most ${kb(BUDGET)}, aim ${kb(AIM)}); @zoom/rivet's users client: ${kb(gz(rivet))} gzip, Node only`);
  console.log(withoutProxyVerdict(payload.withoutProxy));

  // Where each module's bytes go, so the next cut is visible.
  const modules = {};
  for (const [name, dir] of [['browser', 'browser-web'], ['full', 'full-node']]) {
    const parts = wasmParts(join(root, 'build', 'wasm-bindgen', dir, 'zoom_password_bg.wasm'));
    const partsTotal = parts.reduce((sum, [, n]) => sum + n, 0);
    table(`1b. The ${name} module by part (raw bytes before wasm-opt, which shrinks the whole by about a tenth)`, ['part', 'bytes', 'share'],
      parts.slice(0, 24).map(([part, n]) => [part, n, `${((n / partsTotal) * 100).toFixed(1)}%`]));
    modules[name] = parts;
  }
  results.size = { files: rows, dictionary: { raw: dictionary.length, gzip: gz(dictionary) }, payload: payload.rows, forms: payload.forms, a: payload.a, withoutProxy: payload.withoutProxy, beforeProxy: FULL_BEFORE_PROXY, budget: BUDGET, aim: AIM, pass: payload.a.gzip <= BUDGET, rivetUsersGzip: gz(rivet), rivetUsersRaw: rivet.length, wasmParts: modules };
}

// ---- 2. validation ------------------------------------------------------------

/** A fixed mix of 10,000 passwords, lengths 4..40, ASCII and Unicode. */
function passwords() {
  let a = 12345;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*-_ ', 'é', 'Ж', 'ß', 'Ω', '😀', '中'];
  const common = ['password1', 'Password123', 'qwerty123', 'trustno1', 'abc12345', 'iloveyou1'];
  return Array.from({ length: 10_000 }, (_, i) => {
    if (i % 20 === 0) return common[i % common.length];
    const length = 4 + Math.floor(random() * 37);
    let text = '';
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * (random() < 0.9 ? 74 : alphabet.length))];
    return text;
  });
}

async function validation(api) {
  const list = passwords();
  const full = { minimum_password_length: 10, have_special_character: true, consecutive_characters_length: 4, weak_enhance_detection: true };
  // Same rules: the verdicts must agree before the speeds mean anything.
  const disagree = list.filter((p) => api.validatePassword(p, full).valid !== plain.validatePassword(p, full).valid
    || api.validatePassword(p).valid !== plain.validatePassword(p).valid).length;
  const rate = (fn, policy) => {
    for (const p of list.slice(0, 2000)) fn(p, policy);
    const rounds = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (const p of list) fn(p, policy);
      rounds.push(list.length / ((performance.now() - t0) / 1000));
    }
    return median(rounds);
  };
  const rows = [];
  results.validation = { passwords: list.length, disagreements: disagree };
  for (const [label, policy] of [['basic rules', undefined], ['full policy + dictionary', full]]) {
    const wasm = rate(api.validatePassword, policy);
    const js = rate(plain.validatePassword, policy);
    rows.push([label, Math.round(wasm), Math.round(js), (wasm / js).toFixed(2)]);
    results.validation[label] = { wasmPerSecond: wasm, plainJsPerSecond: js, ratio: wasm / js };
  }
  table('2. validatePassword, calls per second (10,000 passwords, median of 5 rounds)', ['policy', 'zoom-password', 'plain JS', 'ratio'], rows);
  const worst = Math.min(...rows.map((row) => Number(row[3])));
  console.log(`verdict disagreements between the two: ${disagree}; slowest ratio ${worst.toFixed(3)} ${worst >= 1 ? 'PASS (aim met)' : worst >= 0.5 ? 'PASS' : 'FAIL'} (at least 0.5x plain JS, aim 1.0x)`);

  // Generation: the same algorithm both sides (random bytes, rejection, the full policy).
  const N = 20_000;
  const generate = (fn, options) => {
    for (let i = 0; i < 2000; i++) fn(full, options);
    const rounds = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) fn(full, options);
      rounds.push(N / ((performance.now() - t0) / 1000));
    }
    return median(rounds);
  };
  const invalid = Array.from({ length: 2000 }, () => api.generatePassword(full)).filter((p) => !plain.validatePassword(p, full).valid).length;
  const generated = [];
  results.generation = { calls: N, invalidByPlainRules: invalid };
  for (const length of [16, 31]) {
    const wasm = generate(api.generatePassword, { length });
    const js = generate(plainGenerator.generatePassword, { length });
    generated.push([`${length} characters, full policy + dictionary`, Math.round(wasm), Math.round(js), (wasm / js).toFixed(2)]);
    results.generation[length] = { wasmPerSecond: wasm, plainJsPerSecond: js, ratio: wasm / js };
  }
  table(`2b. generatePassword, calls per second (${N} calls, median of 5 rounds)`, ['length', 'zoom-password', 'plain JS', 'ratio'], generated);
  console.log(`generated passwords the plain-JS rules refuse: ${invalid} of 2000 (must be 0)`);
}

// ---- 3. start-up ----------------------------------------------------------------

function startup() {
  const child = (specifier) => `const t0 = performance.now(); const m = await import(${JSON.stringify(specifier)});
m.validatePassword('Zx9kq2Lm!'); console.log(performance.now() - t0);`;
  const measure = (specifier) => {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', child(specifier)], { encoding: 'utf8' });
      times.push(Number(run.stdout.trim()));
    }
    return median(times);
  };
  const wasm = measure(pathToFileURL(join(pkg, 'node.mjs')).href);
  const js = measure(pathToFileURL(join(root, 'bench', 'plain-validate.mjs')).href);
  table('3. Start-up: import to first validatePassword in a fresh Node, median of 20 (ms)', ['module', 'ms'], [
    ['zoom-password (node.mjs, wasm compiled at import)', wasm.toFixed(1)],
    ['plain-JS rules module', js.toFixed(1)],
    ['ratio', (wasm / js).toFixed(2)],
  ]);
  results.startup = { wasmMs: wasm, plainJsMs: js, ratio: wasm / js };
}

// ---- the mock, in its own process ------------------------------------------------

async function startMockProcess() {
  const child = spawn(process.execPath, [join(root, 'mock', 'zoom-mock.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  const control = async (path, body) => (await fetch(`${origin}/__mock/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  })).json();
  return { origin, control, stop: () => child.kill() };
}

const TOKEN = 'demo-token-0123456789';
const people = (n) => Array.from({ length: n }, (_, i) => ({ id: `BenchUser${String(i).padStart(13, '0')}`, email: `bench${i}@example.com`, password: `Initial-Bench-${i}x` }));

async function pool(count, concurrency, task) {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      try {
        await task(i);
      } catch {
        failures += 1;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - t0) / 1000, failures };
}

// ---- 4. throughput ----------------------------------------------------------------

async function throughput(api, mock) {
  const N = 2500;
  const C = 32;
  const users = people(N);
  const baseUrl = `${mock.origin}/v2`;
  const { UsersEndpoints } = await import('@zoom/rivet/users');
  const rivet = new UsersEndpoints({ auth: { getToken: () => TOKEN }, baseUrl });
  const contenders = [
    ['hand-written fetch + FormData', (i, tag) => {
      const body = new FormData();
      body.append('password', `${tag}-${i}-Pass`);
      return fetch(`${baseUrl}/users/${encodeURIComponent(users[i].email)}/password`, {
        method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' }, body,
      }).then(async (r) => { await r.arrayBuffer(); if (r.status !== 204) throw new Error(String(r.status)); });
    }],
    ['fetch + FormData + a 30 s AbortController timeout', (i, tag) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      const body = new FormData();
      body.append('password', `${tag}-${i}-Pass`);
      return fetch(`${baseUrl}/users/${encodeURIComponent(users[i].email)}/password`, {
        method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' }, body, signal: controller.signal,
      }).then(async (r) => { await r.text(); if (r.status !== 204) throw new Error(String(r.status)); }).finally(() => clearTimeout(timer));
    }],
    ['zoom-password updatePassword', (i, tag) => api.updatePassword({
      userId: users[i].email, password: `${tag}-${i}-Pass`, accessToken: TOKEN, baseUrl,
    })],
    ['@zoom/rivet updateUsersPassword', (i, tag) => rivet.users.updateUsersPassword({
      path: { userId: users[i].email }, body: { password: `${tag}-${i}-Pass` },
    })],
  ];
  const rows = [];
  results.throughput = { calls: N, concurrency: C };
  // Rounds in alternating order, so neither side always runs on a warmer
  // machine; ratios are taken within a round (same machine load) and the
  // median of the rounds is reported. One round's ratio moves by 10-20%
  // either way on this shared machine: the median of four moved the printed
  // figure across the bar from run to run (0.83 to 1.00 for the same
  // build), so there are sixteen rounds of 2,500 calls (eight of 5,000
  // before), after one uncounted round that warms every contender (the
  // first counted round used to find the first contender cold: its ratio
  // read 1.1 to 1.2).
  //
  // What runs just before a round weighs on it: a contender's garbage is
  // collected, and the mock's code re-warmed for the other body format,
  // while the next one runs. In the table's order alternated, the package
  // ran right after rivet (JSON bodies, axios, its own sockets) in every
  // other round and the timeout loop never did: two runs of this section
  // read 0.93x in the rounds after the timeout loop and 0.82x in those
  // after rivet, for the same build. So the two contenders compared by the
  // bar run next to each other and rivet next to the bare loop (each of the
  // pair then follows itself or the other, or the bare loop), every round
  // starts from a full garbage collection, and rivet's keep-alive sockets
  // (Node's http agent; the others share undici's pool) are closed after
  // each round rather than timing out during the next.
  const ROUNDS = 16;
  const RUN_ORDER = [1, 2, 0, 3].map((index) => contenders[index]);
  const perSecond = new Map(contenders.map(([name]) => [name, []]));
  for (const [, call] of RUN_ORDER) {
    await mock.control('reset', { users, tokens: [TOKEN] });
    await pool(1000, C, (i) => call(i, 'warm'));
  }
  httpAgent.destroy();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of round % 2 === 0 ? RUN_ORDER : [...RUN_ORDER].reverse()) {
      await mock.control('reset', { users, tokens: [TOKEN] });
      collectGarbage();
      const tag = `R${round}${name.length}`;
      const { seconds, failures } = await pool(N, C, (i) => call(i, tag));
      if (failures > 0) console.log(`  (${name}: ${failures} failed calls)`);
      perSecond.get(name).push(N / seconds);
      httpAgent.destroy();
    }
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const baselineName = contenders[0][0];
  /** Median over rounds of `name`'s rate divided by `reference`'s rate in the same round. */
  const ratio = (name, reference = baselineName) => median(perSecond.get(name).map((rps, round) => rps / perSecond.get(reference)[round]));
  for (const [name] of contenders) {
    const rps = median(perSecond.get(name));
    const r = ratio(name);
    rows.push([name, Math.round(rps), r.toFixed(2), `${((1 / r - 1) * 100).toFixed(1)}%`]);
    results.throughput[name] = { requestsPerSecond: rps, ratioToFetch: r, rounds: perSecond.get(name) };
  }
  table(`4. Throughput: password changes at concurrency ${C} against the mock (medians of ${ROUNDS} rounds of ${N}, after one to warm up; ratios within a round)`, ['client', 'requests/s', 'vs fetch', 'time overhead vs fetch'], rows);
  const toPlain = ratio('zoom-password updatePassword');
  const toTimeoutLoop = ratio('zoom-password updatePassword', contenders[1][0]);
  const verdict = toTimeoutLoop >= 0.97 ? 'PASS (aim met)' : toTimeoutLoop >= 0.92 ? 'PASS' : 'FAIL';
  console.log(`zoom-password updatePassword: ${toTimeoutLoop.toFixed(3)}x the loop with the same per-attempt timeout ${verdict} (at least 0.92x, aim 0.97x); ${toPlain.toFixed(2)}x the bare fetch loop`);
  console.log('@zoom/rivet sends differently: a JSON body (not multipart), the userId unencoded in the path, a User-Agent');
  console.log('  header, no retries, and it re-attaches the Authorization header when following redirects (axios beforeRedirect).');
  results.throughput.ratioToFetch = toPlain;
  results.throughput.ratioToTimeoutLoop = toTimeoutLoop;
}

// ---- 4b. the library's own cost per call, fetch stubbed ------------------------------

async function ownCost(api) {
  const { hotPath } = await import(pathToFileURL(join(root, 'bench', 'hot-path.mjs')).href);
  const rows = await hotPath(api);
  const reference = rows.find(([name]) => name.includes('timeout'))[1];
  table('4b. Own cost per call with fetch stubbed (no network): us per sequential call, median of 5 alternating rounds of 20,000', ['contender', 'us per call', 'vs the timeout loop'],
    rows.map(([name, us]) => [name, us.toFixed(2), `${(us / reference).toFixed(2)}x`]));
  const library = rows.find(([name]) => name.startsWith('zoom-password'))[1];
  const ratio = library / reference;
  console.log(`zoom-password's own work: ${ratio.toFixed(3)}x the timeout loop's ${ratio <= 2 ? 'PASS (aim met)' : 'aim not met'} (aim within 2x); the breakdown by part is in the README's Performance section`);
  results.ownCost = Object.fromEntries(rows);
}

// ---- 5. pacing ----------------------------------------------------------------------

async function pacing(api, mock) {
  const rows = [];
  results.pacing = [];
  for (const [rate, count] of [[2, 12], [20, 120], [60, 360]]) {
    const users = people(count);
    await mock.control('reset', { users, tokens: [TOKEN], ratePerSecond: rate });
    const client = new api.ZoomPasswordClient({ accessToken: TOKEN, baseUrl: `${mock.origin}/v2`, requestsPerSecond: rate });
    const summary = await client.updatePasswords(users.map((u, i) => ({ userId: u.email, password: `Paced-${rate}-${i}-Pass` })), { concurrency: 16 });
    const requests = (await mock.control('requests')).filter((r) => r.kind === 'password');
    const times = requests.map((r) => r.receivedAt).sort((a, b) => a - b);
    const achieved = (times.length - 1) / ((times.at(-1) - times[0]) / 1000);
    const limited = requests.filter((r) => r.status === 429).length;
    rows.push([`${rate}/s`, count, achieved.toFixed(2), `${((achieved / rate) * 100).toFixed(1)}%`, limited, summary.succeeded]);
    results.pacing.push({ configured: rate, requests: count, achieved, ratio: achieved / rate, rateLimited: limited, succeeded: summary.succeeded });
  }
  table('5. Pacing: updatePasswords, concurrency 16, the mock limiting at the same rate', ['configured', 'requests', 'achieved/s', 'of configured', '429s', 'succeeded'], rows);
}

// ---- 6. the password proxy ------------------------------------------------------------

/**
 * Requests/s through createPasswordProxy (on node:http, createNodeListener)
 * beside the minimal hand-written forwarder people write first (method,
 * path, body and Authorization passed straight to Zoom: the unsafe one),
 * both in this process in front of the mock, 3,000 changes at concurrency
 * 32 each round, rounds alternating, ratios within a round.
 */
async function proxyThroughput(api, mock) {
  const { createServer } = await import('node:http');
  const N = 3000;
  const C = 32;
  const users = people(N);
  const baseUrl = `${mock.origin}/v2`;
  const listen = (listener) => new Promise((resolve) => {
    const server = createServer(listener).listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) }));
  });
  const proxy = await listen(api.createNodeListener(api.createPasswordProxy({
    accessToken: TOKEN, zoomBaseUrl: baseUrl, authorize: () => true,
    limits: { perUser: 1_000_000, perCaller: 1_000_000 },
  })));
  const forwarder = await listen(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const upstream = await fetch(`${baseUrl}${req.url.slice('/zoom'.length)}`, {
      method: req.method, body: Buffer.concat(chunks),
      headers: { authorization: req.headers.authorization ?? '', 'content-type': req.headers['content-type'] ?? '' },
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await upstream.arrayBuffer()));
  });
  const page = (origin) => (i, tag) => {
    const body = new FormData();
    body.append('password', `${tag}-${i}-Pass`);
    return fetch(`${origin}/zoom/users/${encodeURIComponent(users[i].email)}/password`, { method: 'PUT', body, headers: { Authorization: `Bearer ${TOKEN}` } })
      .then(async (r) => { await r.arrayBuffer(); if (r.status !== 204) throw new Error(String(r.status)); });
  };
  const contenders = [['minimal forwarder (unsafe)', page(forwarder.origin)], ['createPasswordProxy', page(proxy.origin)]];
  const perSecond = new Map(contenders.map(([name]) => [name, []]));
  const ROUNDS = 4;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, call] of round % 2 === 0 ? contenders : [...contenders].reverse()) {
        await mock.control('reset', { users, tokens: [TOKEN] });
        const { seconds, failures } = await pool(N, C, (i) => call(i, `P${round}${name.length}`));
        if (failures > 0) console.log(`  (${name}: ${failures} failed calls)`);
        perSecond.get(name).push(N / seconds);
      }
    }
  } finally {
    await proxy.close();
    await forwarder.close();
  }
  const ratios = perSecond.get('createPasswordProxy').map((rps, round) => rps / perSecond.get('minimal forwarder (unsafe)')[round]);
  const ratio = median(ratios);
  table(`6. The password proxy: ${N} changes through it at concurrency ${C}, in front of the mock (medians of ${ROUNDS} rounds)`, ['server half', 'requests/s', 'vs the forwarder'],
    contenders.map(([name]) => [name, Math.round(median(perSecond.get(name))), name === 'createPasswordProxy' ? ratio.toFixed(2) : '1.00']));
  console.log(`createPasswordProxy: ${ratio.toFixed(3)}x the minimal forwarder ${ratio >= 0.7 ? 'PASS' : 'FAIL'} (at least 0.70x): it also reads and checks the body, validates, asks authorize and counts limits`);
  results.proxy = { requests: N, concurrency: C, ratio, rounds: Object.fromEntries(perSecond) };
}

// ---- run ----------------------------------------------------------------------------

const api = await import(pathToFileURL(join(pkg, 'node.mjs')).href);
console.log(`zoom-password bench, ${results.date}, Node ${process.version}`);
await size();
await validation(api);
startup();
const mock = await startMockProcess();
try {
  await throughput(api, mock);
  await ownCost(api);
  await pacing(api, mock);
  await proxyThroughput(api, mock);
} finally {
  mock.stop();
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench/results/latest.json');
