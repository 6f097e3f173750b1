// zoom-password/web: for <script type="module"> without a bundler. The wasm
// module is fetched by `await init()` (from beside this file unless you pass
// a URL, a Response, bytes or a compiled WebAssembly.Module).
import initGlue from '#wasm';

export * from './api.js';

let ready;

/** Loads the wasm module once; later calls return the same promise. */
export function init(input) {
  if (ready === undefined) {
    const module_or_path = input ?? new URL('./zoom_password_bg.wasm', import.meta.url);
    ready = initGlue({ module_or_path }).then(() => undefined);
    // A failed load (offline, wrong URL) may be retried by calling init() again.
    ready.catch(() => { ready = undefined; });
  }
  return ready;
}

export default init;
