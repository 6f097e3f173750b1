// The full build's additions (Node, Deno, Bun, workerd): absent from the
// browser entries' exports and from their types, so a bundler fails at
// build time on an import of them.

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

export interface BulkItem {
  userId: string;
  password: string;
  maybeApplied?: boolean | undefined;
  /** Overrides the run's `breachCheck` for this item. */
  breachCheck?: BreachCheck | undefined;
}

export interface BulkProgress {
  done: number;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** When one item has just finished: its position in `items` and its result. */
  index?: number | undefined;
  result?: BulkResult | undefined;
}

export interface BulkOptions extends Omit<CallOptions, "maybeApplied"> {
  /** Requests in flight at once (default 4, at most 64). */
  concurrency?: number | undefined;
  /** Called after each item (and once after the skipped ones); what it throws is ignored. */
  onProgress?: ((progress: BulkProgress) => void) | undefined;
  /**
   * Called as each user settles, with its result and its index in `items`,
   * before that worker sends another request: journal it to resume later.
   * A returned promise is awaited; if it rejects (or the function throws),
   * no new request is sent and the users not yet done are skipped.
   */
  onResult?: ((result: BulkResult, index: number) => void | PromiseLike<void>) | undefined;
  /**
   * A graceful stop: once it aborts, no new request is sent (no new user, no
   * retry), requests already out finish with their real outcome, and the
   * users not yet sent are skipped. `signal` stops at once instead.
   */
  stopSignal?: AbortSignalLike | null | undefined;
}

export interface BulkError {
  kind: ErrorKind;
  status: number | null;
  zoomCode: number | null;
  message: string;
  /** The password rules that failed (`invalid_password`), or the one Zoom named (`password_rejected`). */
  violations: Check[];
}

export interface BulkResult {
  userId: string | null;
  ok: boolean;
  alreadySet?: boolean | undefined;
  /** Not done, nothing sent: the run was stopped or aborted first, or stopped by an authorization failure. */
  skipped?: boolean | undefined;
  /**
   * "unknown": a request was sent and no answer said whether it landed (a
   * lost answer, a timeout, a 5xx, an abort while it was out). Resend it
   * with `maybeApplied: true` to settle it.
   */
  outcome?: "unknown" | undefined;
  error?: BulkError | undefined;
}

export interface BulkSummary {
  /** One per item, in input order. */
  results: BulkResult[];
  succeeded: number;
  failed: number;
  skipped: number;
}

/** `client.updatePasswords` (full build only). */
export interface ZoomPasswordClient {
  /** Resolves (never rejects for per-user failures); rejects invalid_options for a non-array or duplicate users. */
  updatePasswords(items: readonly BulkItem[], options?: BulkOptions): Promise<BulkSummary>;
}
