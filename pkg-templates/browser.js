// zoom-password for bundlers and browsers: the wasm module is inlined below
// and instantiated synchronously at import, so everything works right after
// `import` with no bundler plugin and no separate file to host.
//
// The module is inlined deflated, then base64: base64 of the raw module
// gzips badly (its 3-byte groups break gzip's matches: 49 KB where the
// module gzips to 41 KB), while deflated bytes are already as small as gzip
// would make them. tiny-inflate (1.3 KB gzip) restores them at import in
// about 2 ms.
import { initSync } from '#wasm';
import inflate from 'tiny-inflate';

export * from './api.js';

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Both set by scripts/build.mjs (esbuild `define`).
initSync({ module: inflate(decodeBase64(__WASM_DEFLATED_BASE64__), new Uint8Array(__WASM_BYTES__)) });

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
