// The packed package as a user gets it: `npm pack ./pkg` installed into
// build/consumer by scripts/pack-consumer.mjs (run by the test command).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const consumerDir = join(root, 'build', 'consumer');
export const installedPackage = join(consumerDir, 'node_modules', 'zoom-password');

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
