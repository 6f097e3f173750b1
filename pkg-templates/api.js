// The API every entry exports (API.md): the wasm-bindgen exports of the
// Rust bindings (src/bindings/), re-exported by name so that an entry shows
// nothing else of the glue. `#wasm` is the glue of the entry's loader,
// resolved by scripts/build.mjs.
export {
  ZoomPasswordClient,
  buildRequest,
  checkBreachedPassword,
  classifyResponse,
  generatePassword,
  isZoomPasswordError,
  updatePassword,
  validatePassword,
} from '#wasm';
