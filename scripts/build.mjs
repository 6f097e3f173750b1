// npm run build: assembles the publishable package in pkg/.
//
// Two builds of the Rust crate (Cargo feature `server`): the browser
// entries load a module without it (no server-to-server OAuth provider, no
// bulk runner: a client secret never belongs in a page, and a page pays for
// every byte), Node, Deno, Bun and workerd load the full one (`server` and
// `proxy`, the password proxy). `--without-proxy` adds a third, measured
// by the bench and never shipped. wasm-bindgen
// runs on each module for the loaders that use it; for the full module the
// nodejs (CommonJS) and web targets must write byte-identical `_bg.wasm`
// files, which the build checks before keeping one. esbuild then bundles
// each entry of pkg-templates/ with the glue (`#wasm`).
//
//   pkg/zoom_password_bg.wasm       the browser module (wasm-opt -Oz)
//   pkg/zoom_password_full_bg.wasm  the full module (wasm-opt -Oz)
//   pkg/glue-browser.js             the browser API and loader, minified with the
//                                   web glue; both browser entries import it, so
//                                   a page has one instance whatever it imports
//   pkg/web.js                      zoom-password/web: `await init()` fetches the wasm
//   pkg/browser.js                  default browser/bundler entry, the wasm inlined
//                                   (deflated, base64; tiny-inflate restores it)
//   pkg/glue-node.cjs               wasm-bindgen Node glue of the full module
//   pkg/node.cjs, pkg/node.mjs      Node entries: node.mjs requires node.cjs and names its
//                                   exports, so import and require share one instance
//   pkg/workerd.js                  Cloudflare Workers: the web glue of the full
//                                   module, the wasm imported as a module
//   pkg/*.d.ts, *.d.cts             types for every entry

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { deflate as zopfliDeflate } from '@gfx/zopfli';
import inflate from 'tiny-inflate';

import { build, buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const work = join(root, 'build', 'wasm-bindgen');
const templates = join(root, 'pkg-templates');
const crateName = 'zoom_password';
/** The modules' file names in pkg/ (the browser one keeps wasm-bindgen's name: it is what users host). */
const BROWSER_WASM = `${crateName}_bg.wasm`;
const FULL_WASM = `${crateName}_full_bg.wasm`;

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

// 2. Two wasm modules, each in its own target directory so that neither
//    build undoes the other (cargo rebuilds a crate whose features change).
//    CARGO_TARGET_DIR is relative to the root, as cargo reads it.
const targetDir = resolve(root, process.env.CARGO_TARGET_DIR || 'target');
const builds = {
  full: { features: [], dir: targetDir },
  browser: { features: ['--no-default-features'], dir: join(targetDir, 'browser') },
};
// `--without-proxy` (npm run bench): a third module, the full one without
// its Cargo feature `proxy`, only for bench/sizes.mjs to measure beside the
// browser-build issue's full module, which had no proxy. Never shipped.
const WITHOUT_PROXY = join(root, 'build', `${crateName}_without_proxy_bg.wasm`);
const withoutProxy = process.argv.includes('--without-proxy');
if (withoutProxy) builds.withoutProxy = { features: ['--no-default-features', '--features', 'server'], dir: join(targetDir, 'without-proxy') };
rmSync(WITHOUT_PROXY, { force: true });
for (const { features, dir } of Object.values(builds)) {
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--lib', ...features, '--target-dir', dir]);
}
const rawWasm = (name) => join(builds[name].dir, 'wasm32-unknown-unknown', 'release', `${crateName}.wasm`);

// 3. wasm-bindgen: the browser module for the web loader; the full module
//    for Node (CommonJS) and for workerd (web loader).
rmSync(work, { recursive: true, force: true });
const bindgen = { 'browser-web': ['browser', 'web'], 'full-node': ['full', 'nodejs'], 'full-web': ['full', 'web'] };
if (withoutProxy) bindgen['without-proxy'] = ['withoutProxy', 'nodejs'];
for (const [dir, [module, target]] of Object.entries(bindgen)) {
  run('wasm-bindgen', ['--target', target, '--out-dir', join(work, dir), rawWasm(module)]);
}
const wasmOf = (dir) => readFileSync(join(work, dir, `${crateName}_bg.wasm`));
if (!wasmOf('full-node').equals(wasmOf('full-web'))) {
  throw new Error("build: the nodejs and web targets' _bg.wasm differ; one file can no longer serve both loaders");
}

// 4. Assemble pkg/.
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
const FEATURES = [
  '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-nontrapping-float-to-int',
  '--enable-sign-ext', '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals',
];
// -Oz run to a fixed point; the producers and target-features sections are
// of no use to a runtime (wasm-opt has read the features by then).
// --low-memory-unused lets -Oz fold a constant added to a pointer into the
// load's offset. Sound here: wasm-ld puts no data below 1,024 (its default
// global base, kept for this reason) and Rust's wasm32 stack grows down
// from 1 MiB toward 0, reaching those bytes only 1,047,552 bytes deep; a
// pointer that wrapped into them traps now instead. The full module
// 188,335 to 187,014 bytes raw, 88,393 to 87,825 gzip -9; the browser
// module 122,852 to 121,883, 60,776 to 60,384.
// Measured and not taken: --reorder-functions (1.5 KB raw less, but 1.8 KB
// more gzip for the full module and 0.5 more for the browser one).
const optimize = (from, to) => run(wasmOpt, [
  '-Oz', '--converge', '--low-memory-unused', '--strip-producers', '--strip-target-features',
  ...FEATURES,
  join(work, from, `${crateName}_bg.wasm`), '-o', to,
]);
optimize('browser-web', join(pkg, BROWSER_WASM));
optimize('full-node', join(pkg, FULL_WASM));

const glue = (dir) => catchInline(read(join(work, dir, `${crateName}.js`))
  .replace('/* @ts-self-types="./zoom_password.d.ts" */\n', ''), dir);

/**
 * Each `catch` import catches in a `try` of its own. wasm-bindgen wraps
 * every one in `handleError(function (...) {...}, arguments)`: a closure and
 * an `arguments` object made on each call, and an `updatePassword` call
 * makes about nine. Written out, the call's own cost with `fetch` stubbed
 * fell by 0.4 to 1.5 us of 10 to 12 (four runs of bench/hot-path.mjs's loop,
 * the two glues alternating in one process), and the minified app (a) by
 * 468 bytes raw. What is caught goes where it went
 * (`__wbindgen_exn_store`, which the wasm reads as the `Err`). The rewrite
 * fails the build when wasm-bindgen's text no longer matches, so a glue is
 * never left half rewritten.
 */
function catchInline(text, what) {
  text = replaceOnce(text, `function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}`, `function handleError(e) {
    const idx = addToExternrefTable0(e);
    wasm.__wbindgen_exn_store(idx);
}`, `${what}'s handleError`);
  const wrapped = /: function\(\) \{ return handleError\(function \(([^)]*)\) \{\n([\s\S]*?)\n {8}\}, arguments\); \},/g;
  text = text.replace(wrapped, (whole, params, body) => {
    if (/\bthis\b|\barguments\b/.test(body)) throw new Error(`build: a catch import of ${what} uses this or arguments: ${whole}`);
    return `: function(${params}) { try {\n${body}\n        } catch (e) { handleError(e); } },`;
  });
  if (/handleError\((?!e\))/.test(text)) throw new Error(`build: ${what} still calls handleError in a form the rewrite does not know`);
  return text;
}

/**
 * Short import, export and module names: binaryen's own pass renames them
 * in the wasm (wasm-bindgen's are hashed, 20 to 60 characters each, and the
 * glue repeats them) and prints the mapping, by which each glue of that
 * module is rewritten in step: its import object's keys and module name,
 * and every `wasm.name` it calls. `renamed` checks that a glue names
 * exactly what the module imports and exports, so the two cannot drift
 * apart unseen. Returns the glue rewriter for the module.
 */
function minifyNames(wasmFile) {
  const mapping = JSON.parse(execFileSync(wasmOpt, ['--minify-imports-and-exports-and-modules', ...FEATURES, wasmFile, '-o', wasmFile], { cwd: root, encoding: 'utf8' }));
  const module = new WebAssembly.Module(readFileSync(wasmFile));
  const imports = WebAssembly.Module.imports(module);
  const moduleNames = [...new Set(imports.map((i) => i.module))];
  if (moduleNames.length !== 1) throw new Error(`build: expected one import module after minifying, found ${moduleNames.join(', ')}`);
  const exported = new Map(mapping.exports);
  return function renamed(glueText, what) {
    let text = replaceOnce(glueText, `"./${crateName}_bg.js": import0`, `${JSON.stringify(moduleNames[0])}: import0`, `${what}'s import module`);
    for (const [, from, to] of mapping.imports) text = replaceOnce(text, `\n        ${from}: function`, `\n        ${to}: function`, `${what}'s imports`);
    text = text.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, name) => {
      if (!exported.has(name)) throw new Error(`build: ${what} calls wasm.${name}, which the module does not export`);
      return `wasm.${exported.get(name)}`;
    });
    const keys = new Set([...text.matchAll(/\n {8}([\w$]+): function/g)].map((m) => m[1]));
    const missing = imports.filter((i) => !keys.has(i.name)).map((i) => i.name);
    if (missing.length) throw new Error(`build: ${what} lacks the module's imports ${missing.join(', ')}`);
    return text;
  };
}
const renameBrowser = minifyNames(join(pkg, BROWSER_WASM));
const renameFull = minifyNames(join(pkg, FULL_WASM));
if (withoutProxy) {
  optimize('without-proxy', WITHOUT_PROXY);
  minifyNames(WITHOUT_PROXY);
}

// The web glue's own default URL would make bundlers emit the wasm file for
// the inlined entry too; web.js passes the URL itself instead.
// Each glue is written beside wasm-bindgen's output, where the JS snippets
// it imports (src/bindings/*.js, under snippets/) resolve; esbuild bundles
// them in.
const webGlue = (dir, rewrite = (text) => text) => {
  const path = join(work, dir, `glue-${dir}.js`);
  writeFileSync(path, rewrite(replaceOnce(
    glue(dir),
    "module_or_path = new URL('zoom_password_bg.wasm', import.meta.url);",
    "throw new Error('zoom-password: init() needs the wasm module URL or bytes');",
    `the ${dir} glue`,
  )));
  return path;
};
const browserGlue = webGlue('browser-web', (text) => renameBrowser(text, 'the browser glue'));
const fullWebGlue = webGlue('full-web', (text) => renameFull(text, 'the workerd glue'));
const nodeGlue = join(work, 'full-node', 'glue-node.cjs');
writeFileSync(nodeGlue, renameFull(replaceOnce(
  // esbuild follows require("…") only with a plain string.
  glue('full-node').replace(/require\(String\.raw`(\.\/snippets\/[^`]+)`\)/g, (whole, path) => `require(${JSON.stringify(path)})`),
  '`${__dirname}/zoom_password_bg.wasm`',
  `\`\${__dirname}/${FULL_WASM}\``,
  'the Node glue',
), 'the Node glue'));

/** esbuild's view of `#wasm`: a glue file, bundled in or left as an import of `external`. */
const wasmGlue = (glueFile, external) => ({
  name: 'wasm-glue',
  setup(b) {
    b.onResolve({ filter: /^#wasm$/ }, () => (external ? { path: external, external: true } : { path: glueFile }));
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
// The Node glue is bundled too: wasm-bindgen's CommonJS glue require()s the
// snippets, which are ES modules.
await build({ entryPoints: [nodeGlue], outfile: join(pkg, 'glue-node.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'warning' });
await bundle('node.js', 'node.cjs', { platform: 'node', format: 'cjs', plugins: [wasmGlue(null, './glue-node.cjs')] });
// node.mjs names node.cjs's exports (see the template): read from the built
// file itself, so the two cannot differ.
const nodeExports = Object.keys(createRequire(import.meta.url)(join(pkg, 'node.cjs'))).filter((name) => name !== 'default');
writeFileSync(join(pkg, 'node.mjs'), replaceOnce(read(join(templates, 'node.mjs')), 'NODE_CJS_EXPORTS', nodeExports.join(', '), 'node.mjs'));
const browserOptions = { platform: 'browser', format: 'esm', minify: true };
const shared = await bundle('glue-browser.js', 'glue-browser.js', { ...browserOptions, metafile: true, plugins: [wasmGlue(browserGlue)] });
await bundle('workerd.js', 'workerd.js', { ...browserOptions, external: [`./${FULL_WASM}`], plugins: [wasmGlue(fullWebGlue)] });
// The two browser entries re-export the API of the one shared module, by
// name (its loader functions and the demo's breach line stay internal).
const INTERNAL = ['initSync', 'initAsync', 'breachCheckMessage'];
const apiNames = Object.values(shared.metafile.outputs)[0].exports.filter((name) => !INTERNAL.includes(name));
const apiExports = `export { ${apiNames.join(', ')} } from './glue-browser.js';`;
const external = ['./glue-browser.js'];
await bundle('web.js', 'web.js', { ...browserOptions, external, plugins: [templated(apiExports)] });
// The default entry inlines the module deflated (see pkg-templates/browser.js),
// by zopfli: its deflate stream is 5% smaller than zlib's -9 here (58,610
// against 61,838 bytes for a 127 KB module), and base64 of it does not
// compress further, so that is what an app pays; any inflater restores it.
const wasmBytes = readFileSync(join(pkg, BROWSER_WASM));
const deflated = Buffer.from(await new Promise((resolve, reject) => {
  zopfliDeflate(wasmBytes, { numiterations: 15 }, (error, output) => (error ? reject(error) : resolve(output)));
}));
if (!Buffer.from(inflate(deflated, new Uint8Array(wasmBytes.length))).equals(wasmBytes)) {
  throw new Error('build: tiny-inflate does not restore the deflated module');
}
await bundle('browser.js', 'browser.js', {
  ...browserOptions,
  external,
  plugins: [templated(apiExports)],
  define: {
    __WASM_DEFLATED_BASE64__: JSON.stringify(deflated.toString('base64')),
    __WASM_BYTES__: String(wasmBytes.length),
  },
});

/** Loads an entry template with its `__API_EXPORTS__` line written out. */
function templated(exportsLine) {
  return {
    name: 'api-exports',
    setup(b) {
      b.onLoad({ filter: /pkg-templates[\\/](web|browser)\.js$/ }, (args) => ({
        contents: replaceOnce(read(args.path), '__API_EXPORTS__', exportsLine, args.path),
        loader: 'js',
        resolveDir: templates,
      }));
    },
  };
}

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
  external: ['../node.mjs', '../glue-node.cjs'],
  legalComments: 'inline',
  logLevel: 'warning',
});
for (const file of ['LICENSE', 'SECURITY.md', 'THIRD-PARTY.md']) {
  copyFileSync(join(root, file), join(pkg, file));
}

// Types: the shared API (types.d.ts), the full build's additions
// (types-server.d.ts), and each entry's init().
const entryTypes = (...files) => files.map((file) => read(join(templates, file))).join('\n');
const nodeTypes = entryTypes('types.d.ts', 'types-server.d.ts', 'init-node.d.ts');
writeFileSync(join(pkg, 'node.d.ts'), nodeTypes);
writeFileSync(join(pkg, 'node.d.cts'), nodeTypes);
writeFileSync(join(pkg, 'workerd.d.ts'), entryTypes('types.d.ts', 'types-server.d.ts', 'init-browser.d.ts'));
writeFileSync(join(pkg, 'browser.d.ts'), entryTypes('types.d.ts', 'init-browser.d.ts'));
writeFileSync(join(pkg, 'web.d.ts'), entryTypes('types.d.ts', 'init-web.d.ts'));

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
const rows = [BROWSER_WASM, FULL_WASM, 'glue-browser.js', 'web.js', 'browser.js', 'workerd.js', 'node.cjs', 'glue-node.cjs'].map(sizeOf);
console.log('\npkg/ sizes (bytes):');
for (const { file, raw, gzip } of rows) console.log(`  ${file.padEnd(28)} ${String(raw).padStart(8)} raw ${String(gzip).padStart(7)} gzip -9`);
