// zoom-password for Node (ESM): the wasm module is read and instantiated
// synchronously at import.
export { validatePassword, buildRequest, classifyResponse, updatePassword, isZoomPasswordError, ZoomPasswordClient } from './glue-node.mjs';

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
