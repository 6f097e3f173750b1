
/**
 * Resolves at once: in Node the module is ready at import. Accepts (and
 * ignores) a wasm URL or bytes so code shared with browsers can pass one.
 */
export function init(input?: unknown): Promise<void>;
export default init;

/** A `node:http` request listener for a fetch handler such as createPasswordProxy's (Node entry only). */
export function createNodeListener(
  handler: (request: Request) => Response | Promise<Response>,
): (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;
