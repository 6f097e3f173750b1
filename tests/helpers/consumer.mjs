// The packed package as a user gets it: `npm pack ./pkg` installed into
// build/consumer by scripts/pack-consumer.mjs (run by the test command).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const consumerDir = join(root, 'build', 'consumer');
export const installedPackage = join(consumerDir, 'node_modules', 'zoom-password');

/**
 * The environment of a runtime the tests start: Deno's cache (`DENO_DIR`)
 * inside build/consumer, which each pack makes anew. In the machine's own
 * cache Deno 2.9.6 ran a rebuilt glue of the same length (new symbol
 * hashes, nothing else) half stale: "wasm_bindgen__convert__closures_____
 * invoke__h... is not defined" from createPasswordProxy, in Deno only,
 * while a fresh cache ran the same files (its V8 code cache for CommonJS
 * was not keyed by the source's contents: denoland/deno#36413, #36743).
 */
export const runtimeEnv = (extra = {}) => ({ ...process.env, DENO_DIR: join(consumerDir, '.deno'), NO_COLOR: '1', ...extra });

function assertInstalled() {
  if (!existsSync(installedPackage)) {
    throw new Error(`${installedPackage} is missing: run \`npm test\` (or node scripts/pack-consumer.mjs) first`);
  }
}

/** The package's API through one entry: import, require, browser.js or web.js. */
export async function loadEntry(entry) {
  assertInstalled();
  switch (entry) {
    case 'import':
      return { ...(await import(pathToFileURL(join(consumerDir, 'entry-import.mjs')).href)) };
    case 'require':
      return { ...createRequire(join(consumerDir, 'entry.cjs'))('zoom-password') };
    case 'browser.js':
      return { ...(await import(pathToFileURL(join(installedPackage, 'browser.js')).href)) };
    case 'web.js': {
      const api = { ...(await import(pathToFileURL(join(installedPackage, 'web.js')).href)) };
      // web.js fetches the wasm by URL, which Node's fetch cannot do for file:
      // URLs; the bytes are the documented alternative.
      await api.init(readFileSync(join(installedPackage, 'zoom_password_bg.wasm')));
      return api;
    }
    default:
      throw new Error(`unknown entry ${entry}`);
  }
}
