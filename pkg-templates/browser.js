// zoom-password for bundlers and browsers: the wasm module is inlined below
// and instantiated synchronously at import, so everything works right after
// `import` with no bundler plugin and no separate file to host.
//
// The module is inlined deflated, then base64: base64 of the raw module
// gzips badly (its 3-byte groups break gzip's matches), while deflated
// bytes are already as small as gzip would make them. tiny-inflate (1.3 KB
// gzip) restores them at import in about 2 ms.
// scripts/build.mjs writes the re-exports of the API where the marker below stands.
import { initSync } from './glue-browser.js';
import inflate from 'tiny-inflate';

__API_EXPORTS__

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Both set by scripts/build.mjs (esbuild `define`). A module already
// loaded through zoom-password/web is kept (the glue ignores a second init).
initSync({ module: inflate(decodeBase64(__WASM_DEFLATED_BASE64__), new Uint8Array(__WASM_BYTES__)) });

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
