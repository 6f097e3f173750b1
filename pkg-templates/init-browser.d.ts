
/** Resolves at once: this entry instantiates its wasm at import. */
export function init(input?: unknown): Promise<void>;
export default init;
