// npm run build: assembles the publishable package in pkg/.
//
// One `cargo build` and one wasm-opt'd `_bg.wasm` serve every loader:
// wasm-bindgen runs on the same module for the web, nodejs (CommonJS) and
// experimental-nodejs-module (ESM) targets, and the build checks the three
// `_bg.wasm` files are byte-identical before keeping one. esbuild then
// bundles each entry of pkg-templates/ with the JS half of the bindings
// (pkg-templates/lib/, which imports the glue as `#wasm`).
//
//   pkg/zoom_password_bg.wasm   the module (wasm-opt -Oz)
//   pkg/glue-node.cjs|.mjs      wasm-bindgen Node glue, CommonJS and ESM
//   pkg/node.mjs|node.cjs       Node entries (lib + `#wasm` = the Node glue)
//   pkg/web.js                  zoom-password/web, minified with the web glue:
//                               `await init()` fetches the wasm
//   pkg/browser.js              default browser/bundler entry, minified with
//                               the web glue and the wasm inlined (deflated,
//                               base64; tiny-inflate restores it at import)
//   pkg/workerd.js              Cloudflare Workers: the web glue, and the
//                               wasm imported as a module (wrangler's way)
//   pkg/*.d.ts, *.d.cts         types for every entry

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';

import inflate from 'tiny-inflate';

import { build, buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const work = join(root, 'build', 'wasm-bindgen');
const templates = join(root, 'pkg-templates');
const crateName = 'zoom_password';

function run(command, args, options = {}) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

function read(path) {
  return readFileSync(path, 'utf8');
}

/** Replaces `from` exactly once, so a changed wasm-bindgen output fails the build loudly. */
function replaceOnce(text, from, to, what) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`build: expected one ${JSON.stringify(from)} in ${what}, found ${count}`);
  return text.replace(from, () => to);
}

function cargoVersion() {
  const match = read(join(root, 'Cargo.toml')).match(/^version\s*=\s*"([^"]+)"/m);
  return match[1];
}

// 1. The weak-password dictionary (prints its entry count and size).
run(process.execPath, [join(root, 'scripts', 'build-dictionary.mjs')]);

// 2. One wasm module.
run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--lib']);
// Where cargo put it: CARGO_TARGET_DIR (relative to the root, as cargo reads it) or target/.
const targetDir = resolve(root, process.env.CARGO_TARGET_DIR || 'target');
const rawWasm = join(targetDir, 'wasm32-unknown-unknown', 'release', `${crateName}.wasm`);

// 3. wasm-bindgen per loader, from the same module.
rmSync(work, { recursive: true, force: true });
const targets = { web: 'web', node: 'nodejs', 'node-esm': 'experimental-nodejs-module' };
for (const [dir, target] of Object.entries(targets)) {
  run('wasm-bindgen', ['--target', target, '--out-dir', join(work, dir), rawWasm]);
}
const wasmOf = (dir) => readFileSync(join(work, dir, `${crateName}_bg.wasm`));
for (const dir of Object.keys(targets)) {
  if (!wasmOf(dir).equals(wasmOf('web'))) {
    throw new Error(`build: ${dir}'s _bg.wasm differs from web's; one file can no longer serve every loader`);
  }
}

// 4. Assemble pkg/.
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
const wasmOut = join(pkg, `${crateName}_bg.wasm`);
const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
run(wasmOpt, [
  '-Oz',
  '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-nontrapping-float-to-int',
  '--enable-sign-ext', '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals',
  join(work, 'web', `${crateName}_bg.wasm`), '-o', wasmOut,
]);

const glue = (dir) => read(join(work, dir, `${crateName}.js`))
  .replace('/* @ts-self-types="./zoom_password.d.ts" */\n', '');
// The web glue's own default URL would make bundlers emit the wasm file for
// the inlined entry too; web.js passes the URL itself instead.
const webGlue = join(work, 'glue-web.js');
writeFileSync(webGlue, replaceOnce(
  glue('web'),
  "module_or_path = new URL('zoom_password_bg.wasm', import.meta.url);",
  "throw new Error('zoom-password: init() needs the wasm module URL or bytes');",
  'the web glue',
));
writeFileSync(join(pkg, 'glue-node.cjs'), glue('node'));
writeFileSync(join(pkg, 'glue-node.mjs'), glue('node-esm'));

/** esbuild's view of `#wasm`: the Node glue beside the entry, or the web glue bundled in. */
const wasmGlue = (glueFile, external) => ({
  name: 'wasm-glue',
  setup(build) {
    build.onResolve({ filter: /^#wasm$/ }, () => (external ? { path: glueFile, external: true } : { path: glueFile }));
  },
});
const bundle = (entry, outfile, options) => build({
  entryPoints: [join(templates, entry)],
  outfile: join(pkg, outfile),
  bundle: true,
  target: 'es2022',
  legalComments: 'inline',
  logLevel: 'warning',
  ...options,
});
await bundle('node.mjs', 'node.mjs', { platform: 'node', format: 'esm', plugins: [wasmGlue('./glue-node.mjs', true)] });
await bundle('node.mjs', 'node.cjs', { platform: 'node', format: 'cjs', plugins: [wasmGlue('./glue-node.cjs', true)] });
const browserOptions = { platform: 'browser', format: 'esm', minify: true, plugins: [wasmGlue(webGlue, false)] };
await bundle('web.js', 'web.js', browserOptions);
await bundle('workerd.js', 'workerd.js', { ...browserOptions, external: ['./zoom_password_bg.wasm'] });
// The default entry inlines the module deflated (see pkg-templates/browser.js).
const wasmBytes = readFileSync(wasmOut);
const deflated = deflateRawSync(wasmBytes, { level: 9 });
if (!Buffer.from(inflate(deflated, new Uint8Array(wasmBytes.length))).equals(wasmBytes)) {
  throw new Error('build: tiny-inflate does not restore the deflated module');
}
await bundle('browser.js', 'browser.js', {
  ...browserOptions,
  define: {
    __WASM_DEFLATED_BASE64__: JSON.stringify(deflated.toString('base64')),
    __WASM_BYTES__: String(wasmBytes.length),
  },
});
copyFileSync(join(templates, 'README.md'), join(pkg, 'README.md'));
// The command line, with csv-parse bundled in (the package has no dependencies).
mkdirSync(join(pkg, 'bin'));
buildSync({
  entryPoints: [join(templates, 'bin', 'zoom-password.mjs')],
  outfile: join(pkg, 'bin', 'zoom-password.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  external: ['../node.mjs'],
  legalComments: 'inline',
  logLevel: 'warning',
});
for (const file of ['LICENSE', 'SECURITY.md', 'THIRD-PARTY.md']) {
  copyFileSync(join(root, file), join(pkg, file));
}

// Types: the API (pkg-templates/types.d.ts) plus each entry's init().
const apiTypes = read(join(templates, 'types.d.ts'));
const entryTypes = (initFile) => apiTypes + read(join(templates, initFile));
writeFileSync(join(pkg, 'node.d.ts'), entryTypes('init-node.d.ts'));
writeFileSync(join(pkg, 'node.d.cts'), entryTypes('init-node.d.ts'));
writeFileSync(join(pkg, 'browser.d.ts'), entryTypes('init-browser.d.ts'));
writeFileSync(join(pkg, 'web.d.ts'), entryTypes('init-web.d.ts'));
writeFileSync(join(pkg, 'workerd.d.ts'), entryTypes('init-browser.d.ts'));

const manifest = JSON.parse(read(join(templates, 'package.json')));
if (manifest.version !== cargoVersion()) {
  throw new Error(`build: pkg-templates/package.json version ${manifest.version} != Cargo.toml ${cargoVersion()}`);
}
writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// 5. Sizes, so every change that grows the download is seen.
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const sizeOf = (file) => {
  const bytes = readFileSync(join(pkg, file));
  return { file, raw: bytes.length, gzip: gz(bytes) };
};
const rows = ['zoom_password_bg.wasm', 'web.js', 'browser.js', 'workerd.js', 'node.mjs', 'glue-node.mjs', 'glue-node.cjs'].map(sizeOf);
console.log('\npkg/ sizes (bytes):');
for (const { file, raw, gzip } of rows) console.log(`  ${file.padEnd(24)} ${String(raw).padStart(8)} raw ${String(gzip).padStart(7)} gzip -9`);
const webTotal = rows[0].gzip + rows[1].gzip;
console.log(`  web entry total (wasm + web.js): ${webTotal} gzip; browser.js (wasm inlined): ${rows[2].gzip} gzip`);
