// Sending one API call with everything resilience needs: `fetch` with a
// per-attempt timeout and the caller's signal (one AbortController), the
// token source, the shared pacer, and the core's decision after every
// attempt (src/attempt.rs: retry, refresh, already set, fail), until one
// definite outcome. This loop only sends, sleeps and asks.
import * as wasm from '#wasm';
import { fail, isZoomPasswordError, result, toError } from './errors.js';
import { headerReader } from './classify.js';
import { Options, isObject, property, wellFormed } from './options.js';
import { TokenSource } from './token.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMER_MS = 2_147_483_647;
const ACCEPT = 'application/json';

/** Words of a call's attempt state (src/retry.rs `Attempts::WORDS`). */
const ATTEMPT_WORDS = 6;

/** The retry policy as the core's initial attempt state. */
export function retryState(none, attempts = NaN, baseDelayMs = NaN, maxDelayMs = NaN) {
  const state = new Uint32Array(ATTEMPT_WORDS);
  result(wasm.retryPolicy(state, none, attempts, baseDelayMs, maxDelayMs));
  return state;
}

/** The default policy's state, made on first use (the wasm is not ready while modules load). */
let defaultRetry;
const defaultRetryState = () => (defaultRetry ??= retryState(false));

/** Why an attempt got no answer: `aborted`, `timeout` or `network`. */
export class TransportFailure {
  constructor(kind, detail, code) {
    this.kind = kind;
    this.detail = detail;
    this.code = code;
  }
}

/** How calls are sent: shared by a client's calls, or made for one call. */
export class Transport {
  constructor(token) {
    this.token = token;
    this.baseUrl = undefined;
    this.retry = undefined;
    this.timeoutMs = DEFAULT_TIMEOUT_MS;
    this.json = false;
    this.signal = undefined;
    /** A Float64Array of the core's pacer state, shared by every call of a client. */
    this.pacer = undefined;
  }

  /**
   * A transport from an option object: `accessToken`, `baseUrl`, `retry`,
   * `timeoutMs`, `encoding` and `signal`, each read once. Those the object
   * does not set come from `defaults`; without defaults `accessToken` is
   * required.
   */
  static fromOptions(bag, defaults) {
    const token = bag.present('accessToken');
    let next;
    if (defaults === undefined) {
      // Absent: TokenSource.read names accessToken in its refusal.
      next = new Transport(TokenSource.read(token));
    } else {
      next = Object.assign(new Transport(defaults.token), defaults);
      if (token !== undefined) next.token = TokenSource.read(token);
    }
    const baseUrl = bag.string('baseUrl');
    if (baseUrl !== undefined) next.baseUrl = baseUrl;
    const retry = bag.present('retry');
    if (retry !== undefined) next.retry = readRetry(retry);
    const timeoutMs = readTimeout(bag);
    if (timeoutMs !== undefined) next.timeoutMs = timeoutMs;
    const encoding = bag.string('encoding');
    if (encoding !== undefined) next.json = result(wasm.checkTransport(undefined, undefined, encoding)).json;
    const signal = bag.present('signal');
    if (signal !== undefined) next.signal = readSignal(signal);
    return next;
  }

  /**
   * Sends `method url` until a definite outcome: `{ attempts, body }`,
   * `{ attempts, alreadySet: true }`, or (with `acceptPaidOnly`, for a
   * settings read) `{ paidOnly: true }`; otherwise throws the
   * ZoomPasswordError. `password` is the body's field (none for a GET); it
   * and the token used are cut from any server text. `maybeApplied`: an
   * earlier run may already have sent this change.
   */
  async execute(method, url, password, maybeApplied, acceptPaidOnly = false) {
    const state = (this.retry ?? defaultRetryState()).slice();
    if (maybeApplied) wasm.maybeApplied(state);
    const secret = password ?? '';
    const canRefresh = this.token.canRefresh;
    const abortedBeforeSending = () => {
      throw toError(JSON.parse(wasm.afterError(state, 'aborted', undefined, undefined, false, secret, '', false, 0)).error);
    };
    let refreshed;
    for (;;) {
      if (isAborted(this.signal)) abortedBeforeSending();
      let token = refreshed ?? this.token.fixed;
      refreshed = undefined;
      // A fixed token needs no await: one microtask hop less per attempt.
      if (token === undefined) token = await this.tokenFor(state, () => this.token.current());
      if (this.pacer !== undefined) {
        const wait = wasm.pacerReserve(this.pacer, Date.now());
        if (!(await sleep(Math.ceil(wait), this.signal))) abortedBeforeSending();
      }
      let answer;
      let next;
      try {
        answer = await this.send(method, url, token, password);
        // A 2xx is success whatever else it says (API.md): the common path
        // reads no headers and passes the core no strings.
        if (answer.status >= 200 && answer.status < 300) {
          return { attempts: wasm.attemptSucceeded(state), body: answer.body };
        }
        next = wasm.afterAnswer(
          state, answer.status, answer.body, answer.header('retry-after'), answer.header('x-ratelimit-type'),
          Date.now(), secret, token, canRefresh, Math.random(),
        );
      } catch (failure) {
        if (!(failure instanceof TransportFailure)) throw failure;
        next = wasm.afterError(state, failure.kind, failure.detail, failure.code, true, secret, token, canRefresh, Math.random());
      }
      const step = JSON.parse(next);
      if (step.holdMs !== null && this.pacer !== undefined) {
        // The account's limit is shared: slow every worker, not one.
        wasm.pacerHold(this.pacer, Date.now() + step.holdMs);
      }
      switch (step.next) {
        case 'already_set':
          return { attempts: step.attempts, alreadySet: true };
        case 'retry':
          if (!(await sleep(step.delayMs, this.signal))) abortedBeforeSending();
          break;
        case 'refresh':
          refreshed = await this.tokenFor(state, () => this.token.refreshed(token));
          break;
        default:
          if (step.paidOnly && acceptPaidOnly) return { paidOnly: true };
          throw toError(step.error);
      }
    }
  }

  /** A token, or the token function's failure with this call's attempts so far. */
  async tokenFor(state, get) {
    try {
      return await get();
    } catch (error) {
      if (isZoomPasswordError(error)) error.attempts = wasm.attemptsMade(state);
      throw error;
    }
  }

  /** One request of this transport: its headers and body, then `fetchOnce`. */
  send(method, url, token, password) {
    const headers = { Authorization: `Bearer ${token}`, Accept: ACCEPT };
    let body;
    if (password !== undefined) {
      if (this.json) {
        headers['Content-Type'] = 'application/json';
        body = wasm.jsonBody(password);
      } else {
        if (typeof FormData !== 'function') {
          return Promise.reject(new TransportFailure('network', 'FormData is not available here.'));
        }
        body = new FormData();
        body.append('password', password);
      }
    }
    return fetchOnce(method, url, headers, body, this.timeoutMs, this.signal);
  }
}

/**
 * One `fetch`, with a timeout and the caller's signal both wired to one
 * AbortController; the answer is read completely: `{ status, body, header }`
 * (`header(lowerCaseName)` reads a header on demand). Redirects are never
 * followed: they could carry the credentials elsewhere. Rejects with a
 * TransportFailure when no answer arrives.
 */
export async function fetchOnce(method, url, headers, body, timeoutMs, signal) {
  if (typeof AbortController !== 'function') {
    throw new TransportFailure('network', 'AbortController is not available here.');
  }
  const controller = new AbortController();
  // Called by the timer or as an event listener: aborts with the default
  // AbortError reason rather than with the event object.
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  const listening = signal !== undefined && listen(signal, 'addEventListener', abort);
  const failed = (error) => {
    if (isAborted(signal)) return new TransportFailure('aborted');
    if (controller.signal.aborted) return new TransportFailure('timeout');
    // undici says "fetch failed" and keeps the reason in `cause.code`.
    return new TransportFailure('network', wellFormed(property(error, 'message')), wellFormed(property(property(error, 'cause'), 'code')));
  };
  try {
    let response;
    try {
      response = await fetch(url, { method, headers, body, signal: controller.signal, redirect: 'manual' });
    } catch (error) {
      throw failed(error);
    }
    const status = property(response, 'type') === 'opaqueredirect' ? 0 : property(response, 'status');
    const header = headerReader(property(response, 'headers')) ?? (() => undefined);
    const read = property(response, 'text');
    let text = '';
    if (typeof read === 'function') {
      try {
        text = await read.call(response);
      } catch (error) {
        throw failed(error);
      }
    }
    return { status: typeof status === 'number' ? status : 0, body: wellFormed(text) ?? '', header };
  } finally {
    clearTimeout(timer);
    if (listening) listen(signal, 'removeEventListener', abort);
  }
}

/** `signal.addEventListener('abort', f)` (or remove), read defensively: the signal is the caller's object. */
function listen(signal, method, listener) {
  try {
    signal[method]('abort', listener);
    return true;
  } catch {
    return false;
  }
}

/** `signal.aborted`, read defensively. */
export function isAborted(signal) {
  return signal !== undefined && property(signal, 'aborted') === true;
}

/** Waits `ms`, or less if `signal` aborts; resolves false when aborted. */
async function sleep(ms, signal) {
  if (isAborted(signal)) return false;
  if (ms > 0) {
    await new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (signal !== undefined) listen(signal, 'removeEventListener', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (signal !== undefined) listen(signal, 'addEventListener', done);
    });
  }
  return !isAborted(signal);
}

/** `timeoutMs`: an integer from 1 to 2147483647 (setTimeout's limit). */
export function readTimeout(bag) {
  const value = bag.number('timeoutMs');
  if (value === undefined || (Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS)) return value;
  throw fail('invalid_options', 'timeoutMs', 'timeoutMs must be an integer from 1 to 2147483647.');
}

function readSignal(value) {
  const looksLikeSignal = isObject(value)
    && typeof property(value, 'aborted') === 'boolean'
    && typeof property(value, 'addEventListener') === 'function';
  if (!looksLikeSignal) throw fail('invalid_options', 'signal', 'signal must be an AbortSignal.');
  return value;
}

/** `retry`: true (the defaults), false (one attempt) or `{ attempts, baseDelayMs, maxDelayMs }`. */
function readRetry(value) {
  if (value === true) return defaultRetryState();
  if (value === false) return retryState(true);
  const bag = new Options(value, 'retry', 'retry.');
  return retryState(false, bag.number('attempts'), bag.number('baseDelayMs'), bag.number('maxDelayMs'));
}
