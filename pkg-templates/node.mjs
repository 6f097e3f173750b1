// zoom-password for Node (ESM): the wasm module is read and instantiated
// synchronously at import.
import { prepareServerToServerToken } from './glue-node.mjs';
import { makeServerToServerTokenProvider } from './server-to-server.mjs';

export { validatePassword, buildRequest, classifyResponse, updatePassword, isZoomPasswordError, ZoomPasswordClient } from './glue-node.mjs';

/** A token function for Zoom's server-to-server OAuth, cached and single-flight. */
export const serverToServerTokenProvider = makeServerToServerTokenProvider(prepareServerToServerToken);

/** Already initialised at import; kept so `await init()` is always safe. */
export function init() {
  return Promise.resolve();
}

export default init;
