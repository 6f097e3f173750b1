// The same few checks in every JS runtime the package serves: Node 20, 22
// and 24 (import and require), Deno 2, Bun and Cloudflare workerd. Each
// runner imports the installed package its own way and calls smoke();
// runtimes.test.mjs compares what they print.

export async function smoke(api, { mockOrigin, tag }) {
  const report = api.validatePassword('Zx9kq2Lm!', { have_special_character: true });
  const request = api.buildRequest({ userId: 'a+b@x.com', password: 'Zx9kq2Lm!', accessToken: 'tok' });
  const common = { accessToken: 'demo-token-0123456789', baseUrl: `${mockOrigin}/v2`, retry: false };
  const result = await api.updatePassword({ ...common, userId: 'ada@example.com', password: `Runtime-${tag}-Pass-1` });
  let error = null;
  try {
    await api.updatePassword({ ...common, userId: 'nobody@example.com', password: `Runtime-${tag}-Pass-2` });
  } catch (e) {
    error = { isError: e instanceof Error, guard: api.isZoomPasswordError(e), name: e.name, kind: e.kind, status: e.status, zoomCode: e.zoomCode };
  }
  return { valid: report.valid, checks: report.checks.length, url: request.url, result, error };
}
