// zoom-password for Node (also Deno and Bun, through their Node support).
// scripts/build.mjs bundles this file twice, as pkg/node.mjs (ESM) and
// pkg/node.cjs (CommonJS), with `#wasm` the wasm-bindgen Node glue beside
// it, which reads and instantiates the wasm module synchronously at import.
export * from './api.js';
export { serverToServerTokenProvider } from '#wasm';

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
