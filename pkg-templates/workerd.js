// zoom-password for Cloudflare Workers (workerd), as wrangler bundles it:
// the full module (a Worker is where a same-origin proxy holds the
// server-to-server secret). The `.wasm` import is a module wrangler uploads
// beside the script, so the Worker gets a compiled WebAssembly.Module
// (Workers may not compile wasm from bytes at run time).
import { initSync } from '#wasm';
import wasmModule from './zoom_password_full_bg.wasm';

export * from './server.js';

initSync({ module: wasmModule });

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
