// Where the bearer token comes from: a fixed string, or a function called
// per attempt with `{ refresh }` (true once, after a 401).
//
// Refreshes are single-flight per function: calls that hit 401 together
// share one refresh, and a call whose 401 answered a token older than the
// latest refresh simply takes that newer token.
import * as wasm from '#wasm';
import { fail, isZoomPasswordError, passedThrough, result } from './errors.js';
import { wellFormed } from './options.js';

/** Per token function: the refresh in flight and the latest token it gave. */
const refreshes = new WeakMap();

export class TokenSource {
  constructor(fixed, provider) {
    this.fixed = fixed;
    this.provider = provider;
  }

  static read(value) {
    if (typeof value === 'function') return new TokenSource(undefined, value);
    const token = wellFormed(value);
    if (token === undefined) {
      throw fail('invalid_options', 'accessToken', 'accessToken must be a token string or a function returning one.');
    }
    result(wasm.checkToken(token));
    return new TokenSource(token, undefined);
  }

  get canRefresh() {
    return this.provider !== undefined;
  }

  /** The token for the next attempt. */
  current() {
    return this.provider === undefined ? Promise.resolve(this.fixed) : settle(this.provider, false);
  }

  /** A fresh token after `used` was refused with a 401. */
  async refreshed(used) {
    const provider = this.provider;
    if (provider === undefined) return this.fixed;
    let state = refreshes.get(provider);
    if (state === undefined) refreshes.set(provider, (state = { inFlight: undefined, latest: undefined }));
    if (state.latest !== undefined && state.latest !== used) return state.latest;
    if (state.inFlight !== undefined) return state.inFlight;
    const refresh = settle(provider, true);
    state.inFlight = refresh;
    try {
      const token = await refresh;
      state.latest = token;
      return token;
    } finally {
      state.inFlight = undefined;
    }
  }
}

/** Calls the token function and checks that what it gives is a usable token. */
async function settle(provider, refresh) {
  let value;
  try {
    value = await provider({ refresh });
  } catch (error) {
    throw thrown(error);
  }
  const token = wellFormed(value);
  if (token === undefined) {
    throw fail('invalid_options', 'accessToken', 'The accessToken function must return a token string.');
  }
  result(wasm.checkToken(token));
  return token;
}

/** What the token function threw: its own ZoomPasswordError passes on as it is. */
function thrown(error) {
  if (isZoomPasswordError(error)) {
    passedThrough.add(error);
    return error;
  }
  return fail(
    'unauthorized',
    undefined,
    'Could not get an access token: the accessToken function threw or rejected (see cause).',
    error,
  );
}
