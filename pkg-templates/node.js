// zoom-password for Node (also Deno and Bun, through their Node support),
// bundled by scripts/build.mjs as pkg/node.cjs with `#wasm` the
// wasm-bindgen Node glue beside it, which reads and instantiates the full
// module synchronously at require. pkg/node.mjs re-exports this very
// CommonJS module, so `import` and `require` share one instance (one
// ZoomPasswordClient class, one module's memory).
export * from './server.js';
export { createNodeListener } from './node-listener.js';

/** Already initialised at require; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
