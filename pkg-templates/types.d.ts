/** A password rule, in the order `PasswordReport.checks` lists them. */
export type RuleId =
  /** No control or format characters, no whitespace at either end (never skipped, even with `validate: false`). */
  | "printable"
  | "min_length"
  | "max_length"
  | "letter"
  | "number"
  | "upper_and_lower"
  | "single_character"
  | "consecutive_characters"
  | "special_character"
  | "weak_password"
  /** Only with `breachCheck`: the password is in the Pwned Passwords range. */
  | "not_breached";

/** Kinds a response can be classified as. */
export type ResponseErrorKind =
  | "password_reused"
  | "change_limit_reached"
  | "password_rejected"
  | "not_permitted"
  | "user_not_found"
  | "account_not_found"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "server_error"
  | "unexpected_response";

/** Every `ZoomPasswordError.kind`. */
export type ErrorKind =
  | ResponseErrorKind
  | "invalid_password"
  | "invalid_user_id"
  | "invalid_options"
  | "network_error"
  | "timeout"
  | "aborted"
  /** The runtime lacks fetch, FormData, AbortController or crypto: nothing was sent, never retried. */
  | "unsupported_environment";

/** Zoom's `security.password_requirement`, passed exactly as the API returns it. */
export interface PasswordPolicy {
  /** 0 (the basic 8 applies) or 8..14. */
  minimum_password_length?: number | undefined;
  have_special_character?: boolean | undefined;
  /** 0 (basic rule only) or 4..8: runs of this many characters fail. */
  consecutive_characters_length?: number | undefined;
  weak_enhance_detection?: boolean | undefined;
  [other: string]: unknown;
}

export interface Check {
  rule: RuleId;
  passed: boolean;
  zoomCode: number | null;
  message: string;
}

export interface PasswordReport {
  valid: boolean;
  checks: Check[];
  violations: Check[];
}

export type BodyEncoding = "multipart" | "json";

export interface RequestOptions {
  /** A Zoom user id, an email address, or "me". */
  userId: string;
  password: string;
  accessToken: string;
  /** Default "https://api.zoom.us/v2"; http: only for loopback hosts. */
  baseUrl?: string | undefined;
  encoding?: BodyEncoding | undefined;
}

export interface PreparedRequest {
  method: "PUT";
  url: string;
  headers: Record<string, string>;
  encoding: BodyEncoding;
  fields: { password: string };
}

export interface FieldError {
  field: string;
  message: string;
}

export type RateLimitType = "qps" | "daily";

export type Outcome =
  | { ok: true }
  | {
      ok: false;
      kind: ResponseErrorKind;
      status: number | null;
      zoomCode: number | null;
      message: string;
      retryable: boolean;
      retryAfterMs: number | null;
      rateLimitType: RateLimitType | null;
      fieldErrors: FieldError[];
      violations: Check[];
    };

/** Anything with a `get(name)` method, such as `Headers`. */
export interface HeadersLike {
  get(name: string): string | null;
}

export interface ResponseLike {
  status: number;
  /**
   * The response text (read a fetch `Response` with `await response.text()`
   * first): anything but a string, `null` or `undefined` is `invalid_options`.
   */
  body?: string | null | undefined;
  headers?: HeadersLike | Record<string, string | number | readonly string[] | undefined> | null | undefined;
}

/** The parts of `AbortSignal` this library uses. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export interface TokenHint {
  /** True once per call, after Zoom answered 401: return a fresh token. */
  refresh: boolean;
}

export type AccessToken = string | ((hint: TokenHint) => string | PromiseLike<string>);

export interface RetryOptions {
  /** Total attempts including the first (default 3, at most 20). */
  attempts?: number | undefined;
  /** Backoff base (default 500 ms). */
  baseDelayMs?: number | undefined;
  /** Backoff cap, and the longest Retry-After waited for (default 30000 ms). */
  maxDelayMs?: number | undefined;
}

/** updatePassword's options: a client call's options, with who and what. */
export interface UpdateOptions extends Omit<CallOptions, "accessToken"> {
  userId: string;
  password: string;
  accessToken: AccessToken;
}

/** Where and how long to ask a Pwned Passwords range API. */
export interface RangeOptions {
  /** Default `https://api.pwnedpasswords.com/range/`; `https:`, or `http:` on a loopback host. */
  rangeUrl?: string | undefined;
  /** For the whole query (default 10000). */
  timeoutMs?: number | undefined;
}

/**
 * `true` (the public range API), or where to ask. A breached password is
 * `invalid_password` with the violation `not_breached`; a failed query
 * fails the change (nothing is sent to Zoom).
 */
export type BreachCheck = boolean | RangeOptions;

export interface BreachCheckOptions extends RangeOptions {
  signal?: AbortSignalLike | null | undefined;
}

export interface BreachResult {
  breached: boolean;
  /** How often the password appears in the breach corpus (0 when it does not). */
  count: number;
}

export interface GenerateOptions {
  /** Default 16 (or the policy's minimum, if larger); max(8, the policy's minimum) to 31. */
  length?: number | undefined;
}

export interface UpdateResult {
  userId: string;
  attempts: number;
  /** True when an earlier attempt whose answer was lost had already set the password. */
  alreadySet: boolean;
}

export interface ZoomPasswordError extends Error {
  name: "ZoomPasswordError";
  kind: ErrorKind;
  status: number | null;
  zoomCode: number | null;
  retryable: boolean;
  retryAfterMs: number | null;
  rateLimitType: RateLimitType | null;
  fieldErrors: FieldError[];
  violations: Check[];
  /** Requests sent before this error (0 when refused before sending). */
  attempts: number;
  userId: string | null;
}

export interface ClientOptions {
  /** A token, or a function called per attempt (give this or tokenProvider). */
  accessToken?: AccessToken | undefined;
  /** A function called per attempt with `{ refresh }`, such as serverToServerTokenProvider(...). */
  tokenProvider?: ((hint: TokenHint) => string | PromiseLike<string>) | undefined;
  baseUrl?: string | undefined;
  retry?: RetryOptions | boolean | undefined;
  timeoutMs?: number | undefined;
  /**
   * Paces every request of this client (all workers, retries included).
   * Zoom's "Medium" label: 2/s Free, 20/s Pro, 60/s Business+, per account.
   */
  requestsPerSecond?: number | undefined;
  encoding?: BodyEncoding | undefined;
}

/** Per-call settings for a client's calls (each overrides the client's). */
export interface CallOptions {
  /** The account policy to pre-validate with. */
  policy?: PasswordPolicy | null | undefined;
  /** Pre-validate before sending (default true). */
  validate?: boolean | undefined;
  /** Refuse a breached password before anything is sent to Zoom (default off). */
  breachCheck?: BreachCheck | undefined;
  /** Per attempt (default 30000). */
  timeoutMs?: number | undefined;
  signal?: AbortSignalLike | null | undefined;
  retry?: RetryOptions | boolean | undefined;
  encoding?: BodyEncoding | undefined;
  baseUrl?: string | undefined;
  accessToken?: AccessToken | undefined;
  /**
   * An earlier run may already have sent this very change (a resumed bulk
   * run): a first answer "can not match the old password" then resolves
   * with alreadySet instead of failing.
   */
  maybeApplied?: boolean | undefined;
}

/** One configuration and one pacer shared by every call made through it. */
export class ZoomPasswordClient {
  constructor(options: ClientOptions);
  updatePassword(userId: string, password: string, options?: CallOptions): Promise<UpdateResult>;
  /**
   * The account's `password_requirement` as Zoom sends it (under `security`
   * or at the top level); `{}` on a free account; `unexpected_response` for
   * any other answer without one, `account_not_found` for code 2001.
   */
  fetchPasswordPolicy(accountId?: string, options?: Pick<CallOptions, "timeoutMs" | "signal" | "retry" | "baseUrl" | "accessToken">): Promise<PasswordPolicy>;
  /**
   * Releases the client's wasm memory now instead of at garbage collection;
   * afterwards every method rejects with `invalid_options` (calls already
   * made finish). A second `free()` does nothing.
   */
  free(): void;
}

/** Checks a password against Zoom's basic rules and, if given, the account policy. */
export function validatePassword(password: string, policy?: PasswordPolicy | null): PasswordReport;

/** The request `updatePassword` would send, without sending it. */
export function buildRequest(options: RequestOptions): PreparedRequest;

/**
 * Classifies any HTTP answer to the password endpoint. Never throws on the
 * body's content (empty, HTML, garbage); throws `invalid_options` for a
 * status that is not an integer 0..999, or a body that is not a string.
 */
export function classifyResponse(response: ResponseLike): Outcome;

/** Validates, sends `PUT {baseUrl}/users/{userId}/password`, retries, and resolves once. */
export function updatePassword(options: UpdateOptions): Promise<UpdateResult>;

/**
 * A password `validatePassword(password, policy)` accepts, each character
 * drawn uniformly from 74 printable ASCII symbols (A-Z a-z 0-9 and
 * `!#$%*+-=?@^_`) with `crypto.getRandomValues`; a draw the policy refuses
 * is drawn again. Throws `invalid_options` for a length out of range.
 */
export function generatePassword(policy?: PasswordPolicy | null, options?: GenerateOptions): string;

/**
 * k-anonymity: sends only the first five hex characters of the password's
 * SHA-1 (`GET {rangeUrl}{prefix}`, `Add-Padding: true`). Rejects with
 * `network_error`, `timeout`, `aborted`, `server_error` or `unexpected_response`.
 */
export function checkBreachedPassword(password: string, options?: BreachCheckOptions): Promise<BreachResult>;

/** True for errors thrown by this library (any copy of it). */
export function isZoomPasswordError(value: unknown): value is ZoomPasswordError;
