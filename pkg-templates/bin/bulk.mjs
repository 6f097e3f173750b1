// zoom-password bulk FILE.csv: many users, paced, with a report to resume from.

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';

import { ZoomPasswordClient, generatePassword, isZoomPasswordError, validatePassword } from '../node.mjs';
import {
  SCRYPT, alreadySetBy, passwordCheck, readReport, readRows, readSecrets, userKey, writeSecrets,
} from './bulk-files.mjs';
import {
  DEFAULT_CONCURRENCY, DEFAULT_RATE, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError, accountPolicy, breachCheckOption, flagMessage, generateOptions,
  positiveNumber, queryBreach, readPolicy, redactedRequest, verifiedCredentials, withBreach,
} from './shared.mjs';

/** Zoom's "Medium" rate-limit label, per account. */
const PLAN_RATES = { free: 2, pro: 20, business: 60 };

function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Kinds of a result whose request was never sent (refused before sending, or skipped). */
const NOT_SENT = new Set(['invalid_password', 'invalid_user_id', 'invalid_options']);
/** The rate shown is measured over this last stretch of the run. */
const RATE_WINDOW_MS = 5000;

/**
 * A progress bar on a terminal, plain lines otherwise. The rate counts only
 * requests that were sent, over the last few seconds, so it reads the same
 * as --rate (a row refused before sending is not a request).
 */
function progressReporter(stderr, total) {
  const started = Date.now();
  let lastDraw = 0;
  let lastLine = 0;
  let lastLineDone = -1;
  let dropped = false;
  const sentAt = [];
  return (progress, final = false) => {
    const now = Date.now();
    const result = progress.result;
    if (result && !result.skipped && !(result.error && NOT_SENT.has(result.error.kind))) sentAt.push(now);
    while (sentAt.length > 2 && sentAt[0] < now - RATE_WINDOW_MS) {
      sentAt.shift();
      dropped = true;
    }
    // n answers span n - 1 intervals. While the window still holds the
    // run's first answer, measure from the start, when the first request
    // left: its answer's latency must not shorten the span.
    const from = dropped ? sentAt[0] : started;
    const rate = sentAt.length >= 2 ? (sentAt.length - 1) / Math.max(0.001, (sentAt.at(-1) - from) / 1000) : 0;
    const eta = rate > 0 ? (total - progress.done) / rate : Infinity;
    const counts = `ok ${progress.succeeded}, failed ${progress.failed}${progress.skipped ? `, skipped ${progress.skipped}` : ''}`;
    if (stderr.isTTY) {
      if (!final && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 24;
      const filled = total === 0 ? width : Math.round((progress.done / total) * width);
      stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${total} | ${counts} | ${rate.toFixed(1)}/s | ETA ${formatDuration(eta)} `);
      if (final) stderr.write('\n');
    } else if ((final || now - lastLine >= 5000 || progress.done === total) && progress.done !== lastLineDone) {
      lastLine = now;
      lastLineDone = progress.done;
      stderr.write(`${progress.done}/${total} done (${counts}), ${rate.toFixed(1)}/s\n`);
    }
  };
}

export async function commandBulk(positionals, values, io) {
  if (positionals.length !== 1) throw new UsageError('bulk takes exactly one FILE.csv');
  const [file] = positionals;
  if (values.rate && values.plan) throw new UsageError('give --rate or --plan, not both');
  const rate = values.plan
    ? PLAN_RATES[values.plan] ?? (() => { throw new UsageError('--plan must be free, pro or business'); })()
    : values.rate ? positiveNumber(values.rate, '--rate', { max: 10_000 }) : DEFAULT_RATE;
  const concurrency = values.concurrency ? positiveNumber(values.concurrency, '--concurrency', { integer: true, max: 64 }) : DEFAULT_CONCURRENCY;
  const generate = values.generate;
  const dryRun = values['dry-run'];
  if (generate && !values.secrets) throw new UsageError('--generate needs --secrets OUT.csv, the file that keeps the generated passwords');
  if (!generate && values.secrets) throw new UsageError('--secrets goes with --generate');
  if (!generate && values.length !== undefined) throw new UsageError('--length goes with --generate (or the generate command)');
  const breachCheck = breachCheckOption(values);
  const rows = readRows(file, { generate });
  if (generate && existsSync(values.secrets) && !values.resume) {
    throw new UsageError(`--secrets ${values.secrets} already exists: give --resume REPORT to continue that run (its passwords are reused), or name a new file`);
  }
  // A report belongs to one run: a new run never appends to an earlier one.
  const reportPath = values.report ?? values.resume ?? `${file.replace(/\.csv$/i, '')}.report.jsonl`;
  if (!dryRun && reportPath !== values.resume && existsSync(reportPath)) {
    throw new UsageError(`${reportPath} already exists: it is the report of an earlier run. Give --resume ${reportPath} to continue that run, or --report NEW.jsonl to start a new one`);
  }
  const earlier = values.resume ? readReport(values.resume) : null;
  // --generate follows the account's own policy unless --policy names one:
  // a password the account refuses must never reach the secrets file.
  const needsAccount = values.policy === 'account' || (generate && values.policy === undefined);
  const token = await verifiedCredentials(io.env, { required: !dryRun || needsAccount });
  const policy = needsAccount ? await accountPolicy(values, token) : readPolicy(values.policy);
  // A bad --length or policy is refused before any file is touched.
  const length = generate ? generatePassword(policy, generateOptions(values)).length : 0;

  // The password each row would get now: its cell, or its line in the secrets file.
  const known = generate ? readSecrets(values.secrets) : new Map();
  const wouldSet = (row) => (generate ? known.get(userKey(row.userId)) : row.password);
  const todo = [];
  for (const row of rows) {
    const password = wouldSet(row);
    if (earlier && password !== undefined && (await alreadySetBy(earlier, row.userId, password))) continue;
    todo.push(row);
  }
  const alreadyDone = rows.length - todo.length;
  if (earlier?.unchecked) {
    io.stderr.write(`--resume ${values.resume}: ${earlier.unchecked} ok line(s) carry no password check (another version's report): those users are sent again, with maybeApplied\n`);
  }

  if (dryRun) {
    // Every row is validated as the run would, so a dry run says which would be refused.
    let refused = 0;
    const breaches = new Map();
    for (const row of todo) {
      let request;
      try {
        request = redactedRequest(row.userId, generate ? 'x'.repeat(length) : row.password, values['base-url'], values.encoding);
      } catch (error) {
        if (!isZoomPasswordError(error) || error.kind !== 'invalid_user_id') throw error;
        refused += 1;
        io.stdout.write(`${JSON.stringify({ line: row.line, valid: false, error: { kind: error.kind, message: error.message } })}\n`);
        io.stderr.write(`line ${row.line}: ${error.message}\n`);
        continue;
      }
      if (generate) {
        request.fields.password = `[generated, ${length} characters]`;
        io.stdout.write(`${JSON.stringify({ line: row.line, valid: true, ...request })}\n`);
        continue;
      }
      let report = validatePassword(row.password, policy);
      if (breachCheck && report.valid) {
        if (!breaches.has(row.password)) breaches.set(row.password, await queryBreach(row.password, values));
        report = withBreach(report, breaches.get(row.password));
      }
      if (!report.valid) refused += 1;
      io.stdout.write(`${JSON.stringify({ line: row.line, valid: report.valid, ...request, ...(report.valid ? {} : { violations: report.violations }) })}\n`);
      if (!report.valid) {
        io.stderr.write(`line ${row.line}: ${row.userId}: ${report.violations.map((v) => v.message).join('; ')}\n`);
      }
    }
    io.stderr.write(`dry run: ${todo.length - refused} request(s) at ${rate}/s, ${refused} refused, ${alreadyDone} already done; nothing sent\n`);
    return refused === 0 ? EXIT_OK : EXIT_FAILED;
  }
  let client;
  try {
    client = new ZoomPasswordClient({ accessToken: token, baseUrl: values['base-url'], requestsPerSecond: rate, timeoutMs: values.timeout && positiveNumber(values.timeout, '--timeout', { integer: true }), encoding: values.encoding });
  } catch (error) {
    throw new UsageError(flagMessage(error));
  }

  // Every generated password is on disk before the first request leaves.
  const passwords = generate
    ? writeSecrets(todo, { path: values.secrets, known, policy, values })
    : todo.map((row) => row.password);

  // One JSON line per user, appended and fsync'd as soon as it is known,
  // after this run's header line. Created 0600: ok lines carry password checks.
  let report;
  try {
    report = openSync(reportPath, values.resume === reportPath ? 'a' : 'wx', 0o600);
  } catch (error) {
    throw new UsageError(`${reportPath}: cannot be ${values.resume === reportPath ? 'opened' : 'created'} (${error.code ?? 'error'}); nothing was sent`);
  }
  const salt = randomBytes(16).toString('base64url');
  const append = (entry) => {
    writeSync(report, `${JSON.stringify(entry)}\n`);
    fsyncSync(report);
  };
  append({ run: { startedAt: new Date().toISOString(), input: file, secrets: values.secrets ?? null, users: todo.length, salt, passwordCheck: `scrypt N=${SCRYPT.N} r=${SCRYPT.r} p=${SCRYPT.p}` } });
  const written = new Set();
  const writeResult = async (index, result) => {
    if (written.has(index)) return;
    written.add(index);
    const check = result.ok ? { passwordCheck: await passwordCheck(salt, todo[index].userId, passwords[index]) } : {};
    append({ line: todo[index].line, ...result, ...check, at: new Date().toISOString() });
  };

  // Ctrl-C once: nothing new is sent, requests already out finish with
  // their real outcome. Twice: those are cut too, and their users are
  // reported "outcome": "unknown" for --resume to settle.
  const stop = new AbortController();
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts === 1) {
      io.stderr.write('\nstopping: nothing new is sent; waiting for the requests already sent (Ctrl-C again to stop at once)\n');
      stop.abort();
    } else if (interrupts === 2) {
      io.stderr.write('\nstopping now: users whose request is out are reported with "outcome": "unknown" (--resume settles them)\n');
      abort.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const draw = progressReporter(io.stderr, todo.length);
  let summary;
  try {
    summary = await client.updatePasswords(
      todo.map(({ userId }, index) => ({ userId, password: passwords[index], maybeApplied: Boolean(earlier) })),
      {
        concurrency,
        signal: abort.signal,
        stopSignal: stop.signal,
        policy,
        breachCheck,
        onResult: (result, index) => writeResult(index, result),
        onProgress: (progress) => draw(progress),
      },
    );
    for (const [index, result] of summary.results.entries()) await writeResult(index, result);
  } finally {
    closeSync(report);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  draw({ done: todo.length, succeeded: summary.succeeded, failed: summary.failed, skipped: summary.skipped }, true);
  const failures = summary.results.filter((r) => !r.ok && !r.skipped).map((r) => ({ userId: r.userId, ...(r.outcome ? { outcome: r.outcome } : {}), ...r.error }));
  const unknown = summary.results.filter((r) => r.outcome === 'unknown').length;
  const total = { ...summary, results: undefined, failures, outcomeUnknown: unknown, alreadyDone, report: reportPath, interrupted: interrupts > 0 };
  if (values.json) {
    io.stdout.write(`${JSON.stringify(total)}\n`);
  } else {
    io.stdout.write(`Done: ${summary.succeeded} ok, ${summary.failed} failed, ${summary.skipped} skipped, ${alreadyDone} already done. Report: ${reportPath}\n`);
    for (const result of summary.results.filter((r) => !r.ok && !r.skipped).slice(0, 20)) {
      io.stdout.write(`  ${result.userId}: ${result.error.kind}${result.outcome ? ` (outcome ${result.outcome})` : ''}: ${result.error.message}\n`);
    }
    if (unknown > 0 || summary.skipped > 0) io.stdout.write(`Continue with: --resume ${reportPath}${unknown > 0 ? ` (it settles the ${unknown} user(s) whose outcome is unknown)` : ''}\n`);
  }
  if (interrupts > 0) return EXIT_INTERRUPTED;
  return summary.failed + summary.skipped === 0 ? EXIT_OK : EXIT_FAILED;
}
