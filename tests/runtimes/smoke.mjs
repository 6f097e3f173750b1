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
  // crypto.getRandomValues and crypto.subtle, as each runtime provides them.
  const policy = { minimum_password_length: 14, have_special_character: true, consecutive_characters_length: 4 };
  const generated = [api.generatePassword(policy), api.generatePassword(policy, { length: 31 })];
  const generatedOk = generated.every((p) => api.validatePassword(p, policy).valid) && generated[0].length === 16 && generated[1].length === 31;
  const rangeUrl = `${mockOrigin}/range/`;
  const breach = [await api.checkBreachedPassword('Password123', { rangeUrl }), await api.checkBreachedPassword(`Runtime-${tag}-Pass-1`, { rangeUrl })];
  // Node, Deno, Bun and workerd load the full module.
  const fullBuild = typeof api.serverToServerTokenProvider === 'function' && typeof api.ZoomPasswordClient.prototype.updatePasswords === 'function';
  return { valid: report.valid, checks: report.checks.length, url: request.url, result, error, generatedOk, breach, fullBuild };
}
