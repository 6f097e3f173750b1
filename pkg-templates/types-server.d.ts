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

/** What `authorize` is asked to allow. */
export type ProxyAction = "update_password" | "read_policy";

/** One request the proxy answered: never the password, a token or a body. */
export interface ProxyEvent {
  /** null when the request named no route of the proxy's. */
  action: ProxyAction | null;
  /** The decoded user id (or the account id for read_policy); null as above. */
  userId: string | null;
  /** "ok": done; "refused": by the proxy, nothing sent to Zoom; "failed": Zoom or the network said no. */
  outcome: "ok" | "refused" | "failed";
  /** Why: the proxy's own refusal ("not_found", "cross_site", "not_authorized", "body_too_large",
   * "unsupported_media_type", "malformed_body", "invalid_password", "over_limit", "method_override",
   * "policy_unavailable") or the ErrorKind of a failure; null when ok. */
  kind: string | null;
  /** The HTTP status the page got. */
  status: number;
}

export interface ProxyLimits {
  /** Password changes of one user per window (default 5). */
  perUser?: number | undefined;
  /** Password changes by one caller (as callerId names it) per window (default 20). */
  perCaller?: number | undefined;
  /** The window (default 900000: 15 minutes). */
  windowMs?: number | undefined;
}

export interface PasswordProxyOptions {
  /**
   * Required: the application's own check (its session, its roles). Only
   * `true` allows; false, a throw, a rejection, any other value or no answer
   * within authorizeTimeoutMs is 403.
   */
  authorize: (request: Request, context: { action: ProxyAction; userId: string }) => boolean | PromiseLike<boolean>;
  /** Default 5000. */
  authorizeTimeoutMs?: number | undefined;
  /**
   * The server's Zoom token (give this or tokenProvider): a string, or a
   * function asked for each page request with `{ refresh, request }`, so it
   * may answer with the signed-in user's own token (refreshes are then not
   * shared between requests).
   */
  accessToken?: string | ((hint: TokenHint & { request: Request }) => string | PromiseLike<string>) | undefined;
  /** A token function such as serverToServerTokenProvider(...): one account's token for every request. */
  tokenProvider?: ((hint: TokenHint & { request?: Request }) => string | PromiseLike<string>) | undefined;
  /** Default "https://api.zoom.us/v2". */
  zoomBaseUrl?: string | undefined;
  /** Where the proxy answers (default "/zoom"): the page's baseUrl. */
  mount?: string | undefined;
  /** Origins besides the request's own that may call it (behind a reverse proxy, say). No CORS headers are sent. */
  allowedOrigins?: readonly string[] | undefined;
  /** "account" (read from Zoom, kept 10 minutes), a password_requirement object, or the basic rules (default). */
  policy?: "account" | PasswordPolicy | null | undefined;
  breachCheck?: BreachCheck | undefined;
  limits?: ProxyLimits | undefined;
  /** Who is calling (the application's user id): perCaller counts per this; without it perCaller does not apply. */
  callerId?: ((request: Request) => string) | undefined;
  /** Called once per request, after the answer is made; what it throws is ignored. */
  onEvent?: ((event: ProxyEvent) => void) | undefined;
  /** Paces every request this proxy sends to Zoom (Zoom: 2/s Free, 20/s Pro, 60/s Business+). */
  requestsPerSecond?: number | undefined;
  /** For the calls to Zoom, as updatePassword's. */
  retry?: RetryOptions | boolean | undefined;
  timeoutMs?: number | undefined;
}

/**
 * A same-origin proxy for pages (Zoom's API sends no CORS headers): a
 * standard fetch handler for `export default { fetch }`, `Deno.serve`,
 * `Bun.serve` and frameworks that take fetch handlers. It answers only
 * `PUT {mount}/users/{userId}/password` and
 * `GET {mount}/accounts/{id}/settings?option=security`, rebuilds each request
 * with the server's token, validates on the server and sends with this
 * package's updatePassword.
 */
export function createPasswordProxy(options: PasswordProxyOptions): (request: Request) => Promise<Response>;
