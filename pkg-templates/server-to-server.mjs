// serverToServerTokenProvider (Node): a token function for Zoom's
// server-to-server OAuth. The request itself is checked, built and sent by
// the wasm module (prepareServerToServerToken); this file only caches.
//
// - the token is reused until 60 s before its expires_in;
// - one request to the token endpoint at a time: concurrent callers share it;
// - `{ refresh: true }` (after a 401) drops the cached token and fetches anew.

const EARLY_REFRESH_MS = 60_000;

/** @param {(options: object) => { send(signal?: unknown): Promise<{accessToken: string, expiresIn: number}> }} prepare */
export function makeServerToServerTokenProvider(prepare) {
  return function serverToServerTokenProvider(options) {
    // Checks the options now, so a bad configuration fails at start-up.
    const request = prepare(options);
    let cached = null;
    let inFlight = null;

    const fetchToken = () => {
      if (inFlight === null) {
        inFlight = request.send().then(
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
  };
}
