
/**
 * Resolves at once: in Node the module is ready at import. Accepts (and
 * ignores) a wasm URL or bytes so code shared with browsers can pass one.
 */
export function init(input?: unknown): Promise<void>;
export default init;

export interface ServerToServerOptions {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Default "https://zoom.us". */
  oauthBaseUrl?: string | undefined;
  /** Per token request (default 30000). */
  timeoutMs?: number | undefined;
}

/**
 * A token function for Zoom's server-to-server OAuth (Node): cached until
 * 60 s before expiry, one token request at a time, refreshed on `{ refresh: true }`.
 * Token endpoint refusals reject as `unauthorized` with Zoom's reason.
 */
export function serverToServerTokenProvider(options: ServerToServerOptions): (hint?: Partial<TokenHint>) => Promise<string>;
