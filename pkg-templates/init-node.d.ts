
/**
 * Resolves at once: in Node the module is ready at import. Accepts (and
 * ignores) a wasm URL or bytes so code shared with browsers can pass one.
 */
export function init(input?: unknown): Promise<void>;
export default init;
