// The per-call cost of updatePassword with `fetch` stubbed (no network, no
// server): what the library itself spends per call, next to a plain-JS loop
// making the same platform calls (FormData, a 30 s AbortController timeout,
// fetch, reading the answer). Run by bench/run.mjs (section 4b), or alone:
// `node bench/hot-path.mjs` after `node scripts/build.mjs`. Prints, never asserts.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** us per call of each contender, median of `rounds` alternating rounds of `calls` sequential calls. */
export async function hotPath(api, { calls = 20_000, rounds = 5 } = {}) {
  const realFetch = globalThis.fetch;
  const answer = () => new Response(null, { status: 204 });
  const stub = () => Promise.resolve(answer());
  const baseUrl = 'https://api.zoom.us/v2';
  const TOKEN = 'stub-token-0123456789';
  const contenders = [
    ['plain loop: FormData + fetch', async (i) => {
      const body = new FormData();
      body.append('password', `Stub-${i}-Pass`);
      const r = await fetch(`${baseUrl}/users/${encodeURIComponent(`user${i}@example.com`)}/password`, {
        method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' }, body, redirect: 'manual',
      });
      if (r.status !== 204) throw new Error(String(r.status));
    }],
    ['plain loop + a 30 s AbortController timeout', async (i) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const body = new FormData();
        body.append('password', `Stub-${i}-Pass`);
        const r = await fetch(`${baseUrl}/users/${encodeURIComponent(`user${i}@example.com`)}/password`, {
          method: 'PUT', headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' }, body, redirect: 'manual', signal: controller.signal,
        });
        if (r.status !== 204) throw new Error(String(r.status));
      } finally {
        clearTimeout(timer);
      }
    }],
    ['zoom-password updatePassword', (i) => api.updatePassword({
      userId: `user${i}@example.com`, password: `Stub-${i}-Pass`, accessToken: TOKEN, baseUrl,
    })],
  ];
  const perCall = new Map(contenders.map(([name]) => [name, []]));
  globalThis.fetch = stub;
  try {
    for (const [, call] of contenders) for (let i = 0; i < 2000; i++) await call(i);
    for (let round = 0; round < rounds; round++) {
      for (const [name, call] of round % 2 ? [...contenders].reverse() : contenders) {
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) await call(i);
        perCall.get(name).push(((performance.now() - t0) * 1000) / calls);
      }
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  return contenders.map(([name]) => [name, median(perCall.get(name))]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const api = await import(pathToFileURL(join(root, 'pkg', 'node.mjs')).href);
  const rows = await hotPath(api);
  const plain = rows[1][1];
  for (const [name, us] of rows) console.log(`${name.padEnd(48)} ${us.toFixed(2).padStart(7)} us/call  ${(us / plain).toFixed(2)}x the timeout loop's time`);
}
