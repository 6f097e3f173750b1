// What each kind of user downloads, gzip -9 and brotli -11, measured from
// pkg/ as it is built (npm run bench prints it; `node bench/sizes.mjs` alone
// prints just this table after `npm run build`):
//
//   (a) a browser app importing init, validatePassword and updatePassword
//       from the default entry (esbuild --minify; the wasm inlined)
//   (b) the same through zoom-password/web, plus the .wasm beside it
//   (c) a checklist app: validatePassword, fetchPasswordPolicy,
//       generatePassword and checkBreachedPassword, default entry
//   (d) the full module as Node loads it (node.cjs, its glue, the .wasm)
//
// and the browser wasm in each shipping form, to say which transfers least.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, deflateRawSync, gzipSync } from 'node:zlib';

import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
/** The bar for (a): at most, and the aim (KB = 1,024 bytes). */
export const BUDGET = 65 * 1024;
export const AIM = 58 * 1024;
/**
 * The full module at the browser-build issue's end (8559613, built by its
 * own scripts/build.mjs with today's tools): the bar for the full module
 * without the proxy, which came after it. `[raw, gzip -9, brotli -11]`.
 */
export const FULL_BEFORE_PROXY = [149284, 71046, 62356];
/** Written by `node scripts/build.mjs --without-proxy` (npm run bench). */
const WITHOUT_PROXY = join(root, 'build', 'zoom_password_without_proxy_bg.wasm');

export const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
export const br = (bytes) => brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length;
export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** An esbuild-minified app of `source`, as one file's bytes. */
async function app(name, source) {
  const outdir = join(root, 'build', 'bench');
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, outfile: join(outdir, `${name}.js`), logLevel: 'error',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

const entry = (file) => JSON.stringify(pathToFileURL(join(pkg, file)).pathname);

/** `[label, raw, gzip, brotli]` rows for (a) to (d) and the wasm's forms. */
export async function sizes() {
  const file = (name) => readFileSync(join(pkg, name));
  const wasm = file('zoom_password_bg.wasm');
  const full = file('zoom_password_full_bg.wasm');
  const changeApp = (from) => `import init, { validatePassword, updatePassword } from ${entry(from)};\nawait init();\nglobalThis.app = { validatePassword, updatePassword };\n`;
  const a = await app('a-default', changeApp('browser.js'));
  const b = await app('b-web', changeApp('web.js'));
  const c = await app('c-checklist', `import { validatePassword, ZoomPasswordClient, generatePassword, checkBreachedPassword } from ${entry('browser.js')};
globalThis.app = { validatePassword, policy: (o) => new ZoomPasswordClient(o).fetchPasswordPolicy(), generatePassword, checkBreachedPassword };\n`);
  const node = [file('node.cjs'), file('glue-node.cjs'), full];
  const sum = (parts, f) => parts.reduce((total, part) => total + f(part), 0);
  const rows = [
    ['(a) app, default entry (wasm inlined)', a.length, gz(a), br(a)],
    ['(b) app, zoom-password/web + the .wasm', b.length + wasm.length, gz(b) + gz(wasm), br(b) + br(wasm)],
    ['(c) checklist app, default entry', c.length, gz(c), br(c)],
    ['(d) full module as Node loads it (node.cjs, glue, .wasm)', sum(node, (p) => p.length), sum(node, gz), sum(node, br)],
  ];
  // What browser.js inlines: the longest base64 literal in it.
  const inlined = Buffer.from(file('browser.js').toString('latin1').match(/"[A-Za-z0-9+/]{1000,}={0,2}"/g).sort((x, y) => y.length - x.length)[0].slice(1, -1));
  const zlibDeflated = Buffer.from(deflateRawSync(wasm, { level: 9 }).toString('base64'));
  const base64 = Buffer.from(wasm.toString('base64'));
  const forms = [
    ['browser wasm: a separate .wasm file', wasm.length, gz(wasm), br(wasm)],
    ['browser wasm: inlined as browser.js does, zopfli + base64 (+ tiny-inflate 1.3 KB gz)', inlined.length, gz(inlined), br(inlined)],
    ['browser wasm: inlined, zlib -9 deflate + base64 (before zopfli)', zlibDeflated.length, gz(zlibDeflated), br(zlibDeflated)],
    ['browser wasm: inlined, plain base64', base64.length, gz(base64), br(base64)],
    ['full wasm', full.length, gz(full), br(full)],
  ];
  let withoutProxy = null;
  if (existsSync(WITHOUT_PROXY)) {
    const bytes = readFileSync(WITHOUT_PROXY);
    withoutProxy = [bytes.length, gz(bytes), br(bytes)];
    forms.push(['full wasm without the proxy (Cargo feature `proxy` off)', ...withoutProxy]);
    forms.push(['full wasm at the browser-build issue\'s end (8559613, no proxy yet)', ...FULL_BEFORE_PROXY]);
  }
  return { rows, forms, a: { raw: a.length, gzip: gz(a), brotli: br(a) }, withoutProxy };
}

/** A line saying whether the full module without the proxy is within the bar. */
export function withoutProxyVerdict(withoutProxy) {
  if (!withoutProxy) return 'full module without the proxy: not built (node scripts/build.mjs --without-proxy)';
  const within = withoutProxy.every((n, i) => n <= FULL_BEFORE_PROXY[i]);
  const [raw, g, b] = withoutProxy;
  const [raw0, g0, b0] = FULL_BEFORE_PROXY;
  return `full module without the proxy: ${raw} raw, ${kb(g)} gzip, ${kb(b)} brotli: ${within ? 'PASS' : 'OVER'} (the browser-build issue's: ${raw0} raw, ${kb(g0)} gzip, ${kb(b0)} brotli)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { rows, forms, a, withoutProxy } = await sizes();
  for (const [label, raw, g, b] of [...rows, ...forms]) console.log(`${label.padEnd(72)} ${String(raw).padStart(7)} raw ${kb(g).padStart(9)} gz ${kb(b).padStart(9)} br`);
  console.log(`(a) ${kb(a.gzip)} gzip: ${a.gzip <= BUDGET ? 'PASS' : 'FAIL'} (at most ${kb(BUDGET)}, aim ${kb(AIM)})`);
  console.log(withoutProxyVerdict(withoutProxy));
}
