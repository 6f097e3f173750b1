// Where an updatePassword call's own time goes, by part: 60,000 sequential
// calls with fetch stubbed, under `node --cpu-prof`, the samples summed by
// what they ran (the Rust module and its crossings, the wasm-bindgen glue,
// the platform's AbortController and timers, undici's Response, GC).
// (Crossings, counted by wrapping the glue's imports: 107 wasm-to-JS per
// call before the one-crossing option reader, 80 after it, 67 after
// objects.js made fetch's init in one call.)
// `node bench/profile.mjs` after `node scripts/build.mjs`; prints, never asserts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CALLS = 60_000;
const call = (api, i) => api.updatePassword({
  userId: `user${i}@example.com`, password: `Stub-${i}-Pass`, accessToken: 'stub-token-0123456789', baseUrl: 'https://api.zoom.us/v2',
});

if (process.argv[2] === '--child') {
  const api = await import(pathToFileURL(join(root, 'pkg', 'node.mjs')).href);
  globalThis.fetch = () => Promise.resolve(new Response(null, { status: 204 }));
  for (let i = 0; i < CALLS; i++) await call(api, i);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'zp-profile-'));
  try {
    execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, fileURLToPath(import.meta.url), '--child'], { stdio: 'inherit' });
    const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parts = new Map();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const { functionName, url } = nodes.get(id).callFrame;
      const us = profile.timeDeltas[i] ?? 0;
      total += us;
      const part = /^(wasm-function|wasm-to-js|js-to-wasm)/.test(functionName) ? 'the Rust module and its crossings'
        : url.endsWith('glue-node.cjs') ? 'wasm-bindgen glue (glue-node.cjs)'
          : url.includes('abort_controller') ? 'AbortController (platform)'
            : url.includes('timers') ? 'timers (platform)'
              : url.includes('undici') ? 'Response and fetch internals (undici)'
                : functionName === '(garbage collector)' ? 'garbage collection'
                  : url.includes('/pkg/') ? 'the package\'s JS (api.js, node.cjs)'
                    : 'the loop, microtasks and the rest';
      parts.set(part, (parts.get(part) ?? 0) + us);
    });
    console.log(`updatePassword with fetch stubbed: ${(total / CALLS).toFixed(2)} us per call under the profiler, by part:`);
    for (const [part, us] of [...parts].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${part.padEnd(40)} ${(us / CALLS).toFixed(2).padStart(6)} us  ${((us / total) * 100).toFixed(0).padStart(3)}%`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
