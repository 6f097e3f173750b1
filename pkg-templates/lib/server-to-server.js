// serverToServerTokenProvider (Node): a token function for Zoom's
// server-to-server OAuth. The core checks and builds the request and reads
// the answer (src/oauth.rs); this file sends it and caches the token:
//
// - the token is reused until 60 s before its expires_in;
// - one request to the token endpoint at a time: concurrent callers share it;
// - `{ refresh: true }` (after a 401) drops the cached token and fetches anew.
import * as wasm from '#wasm';
import { result, toError } from './errors.js';
import { Options, text } from './options.js';
import { DEFAULT_TIMEOUT_MS, TransportFailure, fetchOnce, readTimeout, retryState } from './transport.js';

const EARLY_REFRESH_MS = 60_000;

/** `{ accountId, clientId, clientSecret, oauthBaseUrl?, timeoutMs? }`, checked now. */
export function serverToServerTokenProvider(options) {
  const bag = new Options(options, 'options', '');
  const field = (name) => text(bag.get(name), 'invalid_options', name);
  const accountId = field('accountId');
  const clientId = field('clientId');
  const clientSecret = field('clientSecret');
  const oauthBaseUrl = bag.string('oauthBaseUrl');
  const timeoutMs = readTimeout(bag) ?? DEFAULT_TIMEOUT_MS;
  const { url, authorization } = result(wasm.tokenRequest(accountId, clientId, clientSecret, oauthBaseUrl));

  /** One token request: `{ accessToken, expiresIn }` (seconds), or `unauthorized` with Zoom's reason. */
  const requestToken = async () => {
    let answer;
    try {
      answer = await fetchOnce('POST', url, { Authorization: authorization, Accept: 'application/json' }, undefined, timeoutMs, undefined);
    } catch (failure) {
      if (!(failure instanceof TransportFailure)) throw failure;
      // One attempt, no retry: the API call that asked for the token has its own.
      const step = JSON.parse(wasm.afterError(retryState(true), failure.kind, failure.detail, failure.code, true, clientSecret, authorization, false, 0));
      throw toError(step.error);
    }
    return result(wasm.tokenGrant(answer.status, answer.body, clientSecret, authorization));
  };

  let cached = null;
  let inFlight = null;
  const fetchToken = () => {
    if (inFlight === null) {
      inFlight = requestToken().then(
        ({ accessToken, expiresIn }) => {
          cached = { accessToken, refreshAt: Date.now() + Math.max(0, expiresIn * 1000 - EARLY_REFRESH_MS) };
          inFlight = null;
          return accessToken;
        },
        (error) => {
          inFlight = null;
          throw error;
        },
      );
    }
    return inFlight;
  };

  return function zoomServerToServerToken({ refresh = false } = {}) {
    if (refresh) cached = null;
    if (cached !== null && Date.now() < cached.refreshAt) return Promise.resolve(cached.accessToken);
    return fetchToken();
  };
}
