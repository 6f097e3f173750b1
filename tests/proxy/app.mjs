// The test application every runtime serves: the package's password proxy
// with a stand-in for an application's session check, and two test-only
// paths of its own (the audit events, and a reset). Plain ES module: Node,
// Deno, Bun and workerd import it as it is.
//
// Sessions (cookie `session`): admin may change anyone's password and read
// the policy; ada may change only her own, by address: the proxy's token is
// an admin's, so `me` would be the admin (an application must refuse it to
// anyone else); the others make authorize misbehave: throw, reject, hang,
// answer "yes" or 1; `later` answers true after 20 ms (within the timeout).

export const TOKEN = 'demo-token-0123456789';

const SESSIONS = {
  'admin-session': { caller: 'admin', may: () => true },
  'ada-session': { caller: 'ada', may: (action, userId) => action === 'update_password' && userId.toLowerCase() === 'ada@example.com' },
};

function session(request) {
  const cookie = request.headers.get('cookie') ?? '';
  return /(?:^|;\s*)session=([\w-]+)/.exec(cookie)?.[1] ?? null;
}

export function testApp(api, { zoomBaseUrl, rangeUrl, policy, allowedOrigins }) {
  let events = [];
  const make = () => api.createPasswordProxy({
    accessToken: TOKEN,
    zoomBaseUrl,
    mount: '/zoom',
    policy,
    allowedOrigins,
    breachCheck: { rangeUrl },
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    limits: { perUser: 3, perCaller: 10, windowMs: 60_000 },
    authorizeTimeoutMs: 300,
    callerId: (request) => SESSIONS[session(request)]?.caller ?? session(request) ?? 'anonymous',
    authorize(request, { action, userId }) {
      const id = session(request);
      if (id === 'throws-session') throw new Error('authorize threw: session store down');
      if (id === 'rejects-session') return Promise.reject(new Error('no'));
      if (id === 'hangs-session') return new Promise(() => {});
      if (id === 'yes-session') return 'yes';
      if (id === 'truthy-session') return 1;
      if (id === 'later-session') return new Promise((resolve) => setTimeout(resolve, 20, true));
      return SESSIONS[id]?.may(action, userId) === true;
    },
    onEvent: (event) => events.push(event),
  });
  let proxy = make();
  return async (request, extra) => {
    const url = new URL(request.url);
    if (url.pathname === '/__test/events') return Response.json(events);
    if (url.pathname === '/__test/reset') {
      events = [];
      proxy = make();
      return Response.json({ ok: true });
    }
    return proxy(request, extra);
  };
}
