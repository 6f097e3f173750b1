// The API every entry exports (API.md), one module per piece. These modules
// are the JS half of the bindings: they import the wasm-bindgen glue as
// `#wasm`, which scripts/build.mjs resolves per entry (the Node glue beside
// node.mjs / node.cjs, the web glue bundled into browser.js and web.js).
export { validatePassword } from './validate.js';
export { buildRequest } from './request.js';
export { classifyResponse } from './classify.js';
export { updatePassword } from './update.js';
export { isZoomPasswordError } from './errors.js';
export { ZoomPasswordClient } from './client.js';
