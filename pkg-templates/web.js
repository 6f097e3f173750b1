// zoom-password/web: for <script type="module"> without a bundler. The wasm
// module is fetched by `await init()` (from beside this file unless you pass
// a URL, a Response, bytes or a compiled WebAssembly.Module).
// scripts/build.mjs writes the re-exports of the API where the marker below stands.
import { initAsync } from './glue-browser.js';

__API_EXPORTS__

let ready;

/** Loads the wasm module once; later calls return the same promise. */
export function init(input) {
  if (ready === undefined) {
    const module_or_path = input ?? new URL('./zoom_password_bg.wasm', import.meta.url);
    ready = initAsync({ module_or_path }).then(() => undefined);
    // A failed load (offline, wrong URL) may be retried by calling init() again.
    ready.catch(() => { ready = undefined; });
  }
  return ready;
}

export default init;
