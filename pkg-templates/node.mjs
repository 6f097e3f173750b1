// zoom-password for Node. scripts/build.mjs bundles this file twice, as
// pkg/node.mjs (ESM) and pkg/node.cjs (CommonJS), with `#wasm` the
// wasm-bindgen Node glue, which reads and instantiates the wasm module
// synchronously at import.
export * from './lib/api.js';
export { serverToServerTokenProvider } from './lib/server-to-server.js';

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
