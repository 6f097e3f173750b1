// zoom-password for bundlers and browsers: the wasm module is inlined below
// and instantiated synchronously at import, so everything works right after
// `import` with no bundler plugin and no separate file to host.
import { initSync } from '#wasm';

export * from './lib/api.js';

const WASM_BASE64 = '__WASM_BASE64__';

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

initSync({ module: decodeBase64(WASM_BASE64) });

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
