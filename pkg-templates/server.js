// The full build's API (Node, Deno, Bun, workerd): everything the browser
// entries have, plus what only a server or an administrator's script needs.
// `#wasm` is the glue of the full module (scripts/build.mjs).
import { createPasswordProxy as createHandler } from '#wasm';

export * from './api.js';
export { serverToServerTokenProvider } from '#wasm';

/**
 * The Rust proxy's handler, behind a function that declares its two
 * parameters: Deno.serve reads a handler's `length` and calls one of length
 * 0 (as a wasm-bindgen closure is) with no arguments at all.
 */
export function createPasswordProxy(options) {
  const handler = createHandler(options);
  return (request, extra) => handler(request, extra);
}
