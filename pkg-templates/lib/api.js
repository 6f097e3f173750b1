// The API every entry exports (API.md), one module per piece.
export { validatePassword } from './validate.js';
export { buildRequest } from './request.js';
export { classifyResponse } from './classify.js';
export { updatePassword } from './update.js';
export { isZoomPasswordError } from './errors.js';
export { ZoomPasswordClient } from './client.js';
