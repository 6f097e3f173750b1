'use strict';
// zoom-password for Node (CommonJS): the wasm module is read and
// instantiated synchronously at require().
const glue = require('./glue-node.cjs');
const { makeServerToServerTokenProvider } = require('./server-to-server.cjs');

/** Already initialised at require(); kept so `await init()` is always safe. */
function init() {
  return Promise.resolve();
}

module.exports = {
  validatePassword: glue.validatePassword,
  buildRequest: glue.buildRequest,
  classifyResponse: glue.classifyResponse,
  updatePassword: glue.updatePassword,
  isZoomPasswordError: glue.isZoomPasswordError,
  ZoomPasswordClient: glue.ZoomPasswordClient,
  serverToServerTokenProvider: makeServerToServerTokenProvider(glue.prepareServerToServerToken),
  init,
  default: init,
};
