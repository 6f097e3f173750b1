// The full build's API (Node, Deno, Bun, workerd): everything the browser
// entries have, plus what only a server or an administrator's script needs.
// `#wasm` is the glue of the full module (scripts/build.mjs).
export * from './api.js';
export { serverToServerTokenProvider } from '#wasm';
