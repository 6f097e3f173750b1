
/** A wasm URL, a fetch Response, the bytes, or a compiled module. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Fetches and instantiates the wasm module (from beside web.js unless given);
 * idempotent: every call returns the same promise. Call it before anything else.
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;
export default init;
