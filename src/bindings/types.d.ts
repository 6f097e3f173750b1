/** A password rule, in the order `PasswordReport.checks` lists them. */
export type RuleId =
  | "min_length"
  | "max_length"
  | "letter"
  | "number"
  | "upper_and_lower"
  | "single_character"
  | "consecutive_characters"
  | "special_character"
  | "weak_password";

/** Kinds a response can be classified as. */
export type ResponseErrorKind =
  | "password_reused"
  | "change_limit_reached"
  | "password_rejected"
  | "not_permitted"
  | "user_not_found"
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
  | "aborted";

/** Zoom's `security.password_requirement`, passed exactly as the API returns it. */
export interface PasswordPolicy {
  /** 0 (the basic 8 applies) or 8..14. */
  minimum_password_length?: number;
  have_special_character?: boolean;
  /** 0 (basic rule only) or 4..8: runs of this many characters fail. */
  consecutive_characters_length?: number;
  weak_enhance_detection?: boolean;
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
  baseUrl?: string;
  encoding?: BodyEncoding;
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
  /** The response text. */
  body?: string | null;
  headers?: HeadersLike | Record<string, string | number | readonly string[] | undefined> | null;
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
  attempts?: number;
  /** Backoff base (default 500 ms). */
  baseDelayMs?: number;
  /** Backoff cap, and the longest Retry-After waited for (default 30000 ms). */
  maxDelayMs?: number;
}

export interface UpdateOptions {
  userId: string;
  password: string;
  accessToken: AccessToken;
  baseUrl?: string;
  encoding?: BodyEncoding;
  /** The account policy to pre-validate with. */
  policy?: PasswordPolicy | null;
  /** Pre-validate before sending (default true). */
  validate?: boolean;
  /** Per attempt (default 30000). */
  timeoutMs?: number;
  signal?: AbortSignalLike | null;
  retry?: RetryOptions | boolean;
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

/** Checks a password against Zoom's basic rules and, if given, the account policy. */
export function validatePassword(password: string, policy?: PasswordPolicy | null): PasswordReport;

/** The request `updatePassword` would send, without sending it. */
export function buildRequest(options: RequestOptions): PreparedRequest;

/** Classifies any HTTP answer to the password endpoint; never throws on a body. */
export function classifyResponse(response: ResponseLike): Outcome;

/** Validates, sends `PUT {baseUrl}/users/{userId}/password`, retries, and resolves once. */
export function updatePassword(options: UpdateOptions): Promise<UpdateResult>;

/** True for errors thrown by this library (any copy of it). */
export function isZoomPasswordError(value: unknown): value is ZoomPasswordError;
