// A Worker bundled as wrangler bundles one, with the package's full module
// beside it: what the runtime tests and the proxy tests run in miniflare.

import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { build } from 'esbuild';

import { installedPackage } from './consumer.mjs';

/** Bundles `entry` (a `worker.mjs`) into `outdir`; the modules miniflare loads. */
export async function bundleWorker(entry, outdir) {
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    // wrangler's resolution for a Worker; the .wasm stays a module of its own.
    conditions: ['workerd', 'worker', 'browser'],
    platform: 'neutral',
    mainFields: ['module', 'main'],
    outdir,
    logLevel: 'warning',
    plugins: [{
      name: 'wasm-module',
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: `./${basename(args.path)}`, external: true }));
      },
    }],
  });
  // Workers load the full module (the one a same-origin proxy needs).
  copyFileSync(join(installedPackage, 'zoom_password_full_bg.wasm'), join(outdir, 'zoom_password_full_bg.wasm'));
  return [
    { type: 'ESModule', path: join(outdir, 'worker.js') },
    { type: 'CompiledWasm', path: join(outdir, 'zoom_password_full_bg.wasm') },
  ];
}
