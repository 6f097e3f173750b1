// The API every entry exports: the wasm-bindgen exports of the Rust
// bindings (src/bindings/), re-exported by name so that an entry shows
// nothing else of the glue. `#wasm` is the glue of the entry's loader,
// resolved by scripts/build.mjs.
import { ZoomPasswordClient as WasmClient, freedClientError } from '#wasm';

export {
  buildRequest,
  checkBreachedPassword,
  classifyResponse,
  generatePassword,
  isZoomPasswordError,
  updatePassword,
  validatePassword,
} from '#wasm';

/** Clients whose wasm memory free() released. */
const freed = new WeakSet();

/**
 * The Rust class, with one addition only JS can make: after `free()`,
 * wasm-bindgen's glue passes a null handle, which the wasm refuses with an
 * untyped "null pointer passed to rust". Here every method of a freed
 * client rejects with the ZoomPasswordError (`invalid_options`) the Rust
 * side makes, and a second `free()` does nothing.
 */
export class ZoomPasswordClient extends WasmClient {
  free() {
    if (freed.has(this)) return;
    freed.add(this);
    super.free();
  }
}
for (const name of Object.getOwnPropertyNames(WasmClient.prototype)) {
  const method = Object.getOwnPropertyDescriptor(WasmClient.prototype, name).value;
  if (typeof method !== 'function' || name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
  Object.defineProperty(ZoomPasswordClient.prototype, name, {
    value(...args) {
      return freed.has(this) ? Promise.reject(freedClientError()) : method.apply(this, args);
    },
    writable: true,
    configurable: true,
  });
}
if (Symbol.dispose) ZoomPasswordClient.prototype[Symbol.dispose] = ZoomPasswordClient.prototype.free;
