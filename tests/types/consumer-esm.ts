// Type-checked with --strict against the installed package (Node ESM,
// moduleResolution node16, no DOM lib). Every @ts-expect-error below is a
// promise the shipped .d.ts must keep.
import init, {
  ZoomPasswordClient,
  serverToServerTokenProvider,
  buildRequest,
  checkBreachedPassword,
  classifyResponse,
  generatePassword,
  isZoomPasswordError,
  updatePassword,
  validatePassword,
  type BreachResult,
  type BulkSummary,
  type Check,
  type PasswordPolicy,
  type ErrorKind,
  type Outcome,
  type PasswordReport,
  type RuleId,
  type UpdateResult,
} from 'zoom-password';

await init();

const report: PasswordReport = validatePassword('Zx9kq2Lm', { minimum_password_length: 10, weak_enhance_detection: true });
const rules: RuleId[] = report.violations.map((check: Check) => check.rule);
const code: number | null = report.checks[0].zoomCode;
validatePassword('Zx9kq2Lm');
validatePassword('Zx9kq2Lm', null);

// @ts-expect-error not a rule id
const notARule: RuleId = 'no_such_rule';
// @ts-expect-error not an error kind
const notAKind: ErrorKind = 'teapot';

const request = buildRequest({ userId: 'a+b@x.com', password: 'x', accessToken: 't', encoding: 'json' });
const method: 'PUT' = request.method;
// @ts-expect-error encoding is a literal union
buildRequest({ userId: 'me', password: 'x', accessToken: 't', encoding: 'form' });

const outcome: Outcome = classifyResponse({ status: 429, body: '', headers: { 'retry-after': '2' } });
if (!outcome.ok) {
  const retryAfter: number | null = outcome.retryAfterMs;
  const type: 'qps' | 'daily' | null = outcome.rateLimitType;
}

export async function change(): Promise<UpdateResult | ErrorKind> {
  try {
    return await updatePassword({
      userId: 'me',
      password: 'Zx9kq2Lm!',
      accessToken: async ({ refresh }) => (refresh ? 'fresh' : 'cached'),
      retry: { attempts: 5, baseDelayMs: 100 },
      timeoutMs: 10_000,
      signal: new AbortController().signal,
    });
  } catch (error) {
    if (isZoomPasswordError(error)) {
      const status: number | null = error.status;
      const attempts: number = error.attempts;
      return error.kind;
    }
    throw error;
  }
}

const client = new ZoomPasswordClient({
  tokenProvider: serverToServerTokenProvider({ accountId: 'a', clientId: 'b', clientSecret: 'c' }),
  requestsPerSecond: 20,
});
const summary: Promise<BulkSummary> = client.updatePasswords([{ userId: 'a@b.c', password: 'Zx9kq2Lm!' }], {
  concurrency: 4,
  onProgress: (progress) => {
    const done: number = progress.done;
    if (progress.result && !progress.result.ok) {
      const kind: ErrorKind | undefined = progress.result.error?.kind;
    }
  },
});
const policy: Promise<PasswordPolicy> = client.fetchPasswordPolicy();
// @ts-expect-error requestsPerSecond is a number
new ZoomPasswordClient({ accessToken: 't', requestsPerSecond: '20' });

export { rules, code, notARule, notAKind, method, summary, policy };

// Generated passwords and breach checks.
const generated: string = generatePassword({ minimum_password_length: 12 }, { length: 20 });
generatePassword();
generatePassword(null, {});
// @ts-expect-error length is a number
generatePassword(null, { length: '20' });
export async function breachChecks(): Promise<number> {
  const result: BreachResult = await checkBreachedPassword(generated, { rangeUrl: 'https://api.pwnedpasswords.com/range/', timeoutMs: 5000, signal: AbortSignal.timeout(1000) });
  const breached: boolean = result.breached;
  await updatePassword({ userId: 'me', password: generated, accessToken: 't', breachCheck: true });
  await updatePassword({ userId: 'me', password: generated, accessToken: 't', breachCheck: { rangeUrl: 'http://127.0.0.1:8080/range/' } });
  // @ts-expect-error breachCheck is a boolean or { rangeUrl?, timeoutMs? }
  await updatePassword({ userId: 'me', password: generated, accessToken: 't', breachCheck: 'yes' });
  const client = new ZoomPasswordClient({ accessToken: 't' });
  await client.updatePasswords([{ userId: 'a@x.com', password: generated, breachCheck: false }], { breachCheck: true });
  const rule: RuleId = 'not_breached';
  return breached ? result.count : rule.length;
}

// Resumable runs: onResult, stopSignal, outcome; options given as
// `string | undefined` (what process.env gives) under exactOptionalPropertyTypes.
export async function journaled(baseUrl: string | undefined, journal: string[]): Promise<number> {
  const stop = new AbortController();
  const client = new ZoomPasswordClient({ accessToken: 't', baseUrl });
  const run = await client.updatePasswords([{ userId: 'a@x.com', password: 'Zx9kq2Lm!', maybeApplied: true }], {
    stopSignal: stop.signal,
    signal: undefined,
    onResult: (result, index) => {
      const unknown: 'unknown' | undefined = result.outcome;
      journal.push(`${index} ${result.userId} ${result.ok} ${unknown ?? ''}`);
    },
  });
  await client.updatePasswords([], { onResult: async () => { await Promise.resolve(); } });
  await updatePassword({ userId: 'me', password: 'Zx9kq2Lm!', accessToken: 't', baseUrl, breachCheck: { rangeUrl: baseUrl } });
  const printable: RuleId = 'printable';
  client.free();
  return run.results.length + printable.length;
}
