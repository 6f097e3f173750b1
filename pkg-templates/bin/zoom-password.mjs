#!/usr/bin/env node
// zoom-password: change Zoom passwords from a terminal or a script.
// Bundled into pkg/bin/ at build time (csv-parse included), so the published
// package has no runtime dependencies. Passwords never come from argv and
// are never printed; tokens neither.

import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { parse as parseCsv } from 'csv-parse/sync';

import {
  ZoomPasswordClient,
  buildRequest,
  isZoomPasswordError,
  serverToServerTokenProvider,
  validatePassword,
} from '../node.mjs';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const DEFAULT_RATE = 10;
const DEFAULT_CONCURRENCY = 4;
/** Zoom's "Medium" rate-limit label, per account. */
const PLAN_RATES = { free: 2, pro: 20, business: 60 };

const HELP = `zoom-password: change Zoom user passwords

Usage:
  zoom-password set <userId> [options]      new password from standard input, or a no-echo prompt
  zoom-password check [--policy FILE]       validate a password from standard input; exit 0 valid, 1 invalid
  zoom-password bulk FILE.csv [options]     columns userId,password; one JSON line per user in the report

Credentials (environment): ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID + ZOOM_CLIENT_ID + ZOOM_CLIENT_SECRET
(server-to-server OAuth; ZOOM_OAUTH_BASE_URL overrides https://zoom.us).

Options:
  --base-url URL        API base (default https://api.zoom.us/v2)
  --policy FILE         account policy JSON (password_requirement, or the settings answer);
                        --policy account fetches it from Zoom (needs account:read:admin)
  --json                machine-readable output
  --dry-run             print the requests with secrets redacted; send nothing
  --timeout MS          per attempt (default 30000)
  --encoding multipart|json
bulk only:
  --report FILE         default: FILE.report.jsonl beside the CSV (or the --resume file)
  --resume REPORT       skip users already ok in REPORT, append to it
  --rate N              requests per second for the whole run (default ${DEFAULT_RATE})
  --plan free|pro|business   shortcut for --rate 2, 20 or 60 (Zoom's limits for this endpoint)
  --concurrency N       requests in flight (default ${DEFAULT_CONCURRENCY})

Standard input holds one line, the password: a final newline (or CRLF) and
trailing blank lines are not part of it; a second line, or a control
character in the password, is refused (exit 2) and nothing is sent. On a
terminal the password is read without echo, and set asks for it twice.

Exit codes: 0 all ok, 1 some failed or skipped (or, for check, invalid), 2 usage or configuration error.`;

/** `zoom-password COMMAND --help`: the usage line and the options that command takes. */
const COMMAND_HELP = {
  set: `zoom-password set <userId> [--base-url URL] [--policy FILE] [--json] [--dry-run] [--timeout MS] [--encoding multipart|json]

Changes one user's password. The password comes from standard input (one
line) or, on a terminal, a no-echo prompt asked twice; never from argv.
Exit codes: 0 changed, 1 refused or failed, 2 usage or configuration error.`,
  check: `zoom-password check [--policy FILE] [--json]

Validates a password from standard input (one line) against Zoom's rules and
the policy; prints the checklist. Exit codes: 0 valid, 1 invalid, 2 usage error.`,
  bulk: `zoom-password bulk FILE.csv [--rate N | --plan free|pro|business] [--concurrency N]
                   [--report FILE] [--resume REPORT] [--base-url URL] [--policy FILE]
                   [--json] [--dry-run] [--timeout MS] [--encoding multipart|json]

Changes the passwords of the CSV's rows (columns userId,password). --dry-run
validates every row and prints the requests, redacted; it sends nothing and
exits 1 if a row would be refused. Exit codes: 0 all ok, 1 some failed or
skipped, 2 usage or configuration error.`,
};

/** Option names in the library's errors, as the flags that set them. */
const FLAG_OF = { baseUrl: '--base-url', timeoutMs: '--timeout', encoding: '--encoding', requestsPerSecond: '--rate', concurrency: '--concurrency' };

/** The library's refusal of an option, with the option named as its flag. */
function flagMessage(error) {
  let message = error.message;
  for (const [option, flag] of Object.entries(FLAG_OF)) message = message.split(option).join(flag);
  return message;
}

class UsageError extends Error {}

const OPTIONS = {
  'base-url': { type: 'string' },
  policy: { type: 'string' },
  json: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  timeout: { type: 'string' },
  encoding: { type: 'string' },
  report: { type: 'string' },
  resume: { type: 'string' },
  rate: { type: 'string' },
  plan: { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
};

function positiveNumber(text, flag, { integer = false, max = Infinity } = {}) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be a ${integer ? 'positive integer' : 'positive number'}${max < Infinity ? ` up to ${max}` : ''}`);
  }
  return value;
}

/**
 * The policy `--policy` names: a file, or `account` for the account's own
 * (fetched with fetchPasswordPolicy, with the command's credentials).
 */
async function policyFor(values, io) {
  if (values.policy !== 'account') return readPolicy(values.policy);
  const client = new ZoomPasswordClient({ accessToken: credentials(io.env, { required: true }), baseUrl: values['base-url'] });
  try {
    return await client.fetchPasswordPolicy();
  } catch (error) {
    if (isZoomPasswordError(error) && error.kind === 'invalid_options') throw error;
    throw new UsageError(`--policy account: the account's policy could not be read: ${describe(error)}`);
  }
}

function readPolicy(file) {
  if (!file) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--policy ${file}: ${error.code === 'ENOENT' ? 'no such file' : 'not valid JSON'}`);
  }
  return parsed?.security?.password_requirement ?? parsed?.password_requirement ?? parsed;
}

/** The token (string) or token function the environment configures. */
function credentials(env, { required }) {
  if (env.ZOOM_ACCESS_TOKEN) return env.ZOOM_ACCESS_TOKEN;
  const names = ['ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET'];
  const given = names.filter((name) => env[name]);
  if (given.length > 0) {
    const missing = names.filter((name) => !env[name]);
    if (missing.length > 0) throw new UsageError(`server-to-server OAuth needs ${missing.join(' and ')} too`);
    return serverToServerTokenProvider({
      accountId: env.ZOOM_ACCOUNT_ID,
      clientId: env.ZOOM_CLIENT_ID,
      clientSecret: env.ZOOM_CLIENT_SECRET,
      oauthBaseUrl: env.ZOOM_OAUTH_BASE_URL || undefined,
    });
  }
  if (required) {
    throw new UsageError('no Zoom credentials: set ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET');
  }
  return undefined;
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(prompt, { stdin, stderr }) {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let text = '';
    const finish = (error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new UsageError('cancelled'));
        if (char === '\u007f' || char === '\b') text = [...text].slice(0, -1).join('');
        else if (char >= ' ') text += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** The one line a pipe holds: a final newline and trailing blank lines are dropped; a second line is refused. */
function onlyLine(text) {
  const lines = text.split(/\r?\n/);
  while (lines.length > 1 && lines.at(-1) === '') lines.pop();
  if (lines.length > 1) {
    throw new UsageError(`standard input must hold one line, the password; it holds ${lines.length} lines, so nothing was sent`);
  }
  return lines[0];
}

/**
 * The password from standard input: a pipe (one line) or a no-echo prompt,
 * asked twice when `confirm` (a typo must not set a password nobody knows).
 */
async function readPassword(io, { confirm = false } = {}) {
  let password;
  if (io.stdin.isTTY) {
    password = await promptHidden('New password: ', io);
    if (confirm && (await promptHidden('Repeat new password: ', io)) !== password) {
      throw new UsageError('the two passwords typed differ; nothing was sent');
    }
  } else {
    password = onlyLine(await readAll(io.stdin));
  }
  if (password === '') throw new UsageError('no password on standard input');
  if (/[\u0000-\u001f\u007f]/.test(password)) {
    throw new UsageError('the password contains a control character (a tab, an escape or a carriage return); nothing was sent');
  }
  return password;
}

function describe(error) {
  if (!isZoomPasswordError(error)) return `${error?.name ?? 'Error'}: unexpected failure`;
  const parts = [error.status ?? null, error.zoomCode === null ? null : `code ${error.zoomCode}`].filter((p) => p !== null);
  return `${error.kind}${parts.length ? ` (${parts.join(', ')})` : ''}: ${error.message}`;
}

function redactedRequest(userId, password, baseUrl, encoding) {
  const request = buildRequest({ userId, password, accessToken: 'redacted', baseUrl, encoding });
  return {
    method: request.method,
    url: request.url,
    headers: { ...request.headers, Authorization: 'Bearer [redacted]' },
    encoding: request.encoding,
    fields: { password: `[redacted, ${[...password].length} characters]` },
  };
}

function printChecklist(report, out) {
  for (const check of report.checks) out.write(`${check.passed ? '✓' : '✗'} ${check.message}\n`);
}

// ---- commands ----------------------------------------------------------

async function commandSet(positionals, values, io) {
  if (positionals.length !== 1) throw new UsageError('set takes exactly one <userId> (the password comes from standard input)');
  const [userId] = positionals;
  const policy = await policyFor(values, io);
  const token = credentials(io.env, { required: !values['dry-run'] });
  const password = await readPassword(io, { confirm: true });
  if (values['dry-run']) {
    const report = validatePassword(password, policy);
    const request = redactedRequest(userId, password, values['base-url'], values.encoding);
    io.stdout.write(values.json ? `${JSON.stringify({ valid: report.valid, request })}\n` : `${request.method} ${request.url}\n${JSON.stringify(request, null, 2)}\n`);
    if (!report.valid && !values.json) printChecklist(report, io.stderr);
    return report.valid ? EXIT_OK : EXIT_FAILED;
  }
  const client = new ZoomPasswordClient({ accessToken: token, baseUrl: values['base-url'], timeoutMs: values.timeout && positiveNumber(values.timeout, '--timeout', { integer: true }), encoding: values.encoding });
  try {
    const result = await client.updatePassword(userId, password, { policy });
    io.stdout.write(values.json
      ? `${JSON.stringify({ ok: true, ...result })}\n`
      : `Password updated for ${result.userId} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}${result.alreadySet ? ', already set by an earlier attempt' : ''}).\n`);
    return EXIT_OK;
  } catch (error) {
    if (isZoomPasswordError(error) && ['invalid_options', 'invalid_user_id'].includes(error.kind)) throw new UsageError(flagMessage(error));
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ok: false, userId, error: { kind: error.kind, status: error.status, zoomCode: error.zoomCode, message: error.message, violations: error.violations ?? [] } })}\n`);
    } else {
      io.stderr.write(`Not changed: ${describe(error)}\n`);
      for (const violation of error.violations ?? []) io.stderr.write(`  ✗ ${violation.message}\n`);
    }
    return EXIT_FAILED;
  }
}

async function commandCheck(positionals, values, io) {
  if (positionals.length !== 0) throw new UsageError('check takes no arguments (the password comes from standard input)');
  const policy = await policyFor(values, io);
  const password = await readPassword(io);
  let report;
  try {
    report = validatePassword(password, policy);
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (values.json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else printChecklist(report, io.stdout);
  return report.valid ? EXIT_OK : EXIT_FAILED;
}

/** Rows `{ userId, password, line }`, or a UsageError naming the line. */
function readRows(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot be read`);
  }
  let records;
  try {
    records = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: false, info: true });
  } catch (error) {
    throw new UsageError(`${file}: malformed CSV at line ${error.lines ?? '?'}: ${error.message.replace(/^Invalid [^:]*: /, '')}`);
  }
  if (records.length === 0) throw new UsageError(`${file}: empty (expected a header row userId,password)`);
  const header = records[0].record.map((name) => name.trim().toLowerCase());
  const userColumn = header.indexOf('userid');
  const passwordColumn = header.indexOf('password');
  if (userColumn < 0 || passwordColumn < 0) throw new UsageError(`${file}: line 1 must be a header with the columns userId and password`);
  const rows = [];
  const seen = new Map();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const userId = record[userColumn].trim();
    const password = record[passwordColumn];
    if (userId === '') throw new UsageError(`${file}: line ${line}: empty userId`);
    if (password === '') throw new UsageError(`${file}: line ${line}: empty password`);
    const key = userId.includes('@') ? userId.toLowerCase() : userId;
    if (seen.has(key)) throw new UsageError(`${file}: line ${line}: ${userId} already appears on line ${seen.get(key)}`);
    seen.set(key, line);
    rows.push({ userId, password, line });
  }
  return rows;
}

/** userIds already done (ok) in a report; a torn last line from a crash is ignored. */
function doneInReport(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--resume ${file}: cannot be read`);
  }
  const done = new Set();
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line);
      if (entry?.ok === true && typeof entry.userId === 'string') done.add(entry.userId);
    } catch {
      // Blank or torn line.
    }
  }
  return done;
}

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

async function commandBulk(positionals, values, io) {
  if (positionals.length !== 1) throw new UsageError('bulk takes exactly one FILE.csv');
  const [file] = positionals;
  if (values.rate && values.plan) throw new UsageError('give --rate or --plan, not both');
  const rate = values.plan
    ? PLAN_RATES[values.plan] ?? (() => { throw new UsageError('--plan must be free, pro or business'); })()
    : values.rate ? positiveNumber(values.rate, '--rate', { max: 10_000 }) : DEFAULT_RATE;
  const concurrency = values.concurrency ? positiveNumber(values.concurrency, '--concurrency', { integer: true, max: 64 }) : DEFAULT_CONCURRENCY;
  const policy = await policyFor(values, io);
  const rows = readRows(file);
  const resuming = Boolean(values.resume);
  const done = resuming ? doneInReport(values.resume) : new Set();
  const todo = rows.filter((row) => !done.has(row.userId));
  const reportPath = values.report ?? values.resume ?? `${file.replace(/\.csv$/i, '')}.report.jsonl`;

  if (values['dry-run']) {
    // Every row is validated as the run would, so a dry run says which would be refused.
    let refused = 0;
    for (const row of todo) {
      const request = redactedRequest(row.userId, row.password, values['base-url'], values.encoding);
      const report = validatePassword(row.password, policy);
      if (!report.valid) refused += 1;
      io.stdout.write(`${JSON.stringify({ line: row.line, valid: report.valid, ...request, ...(report.valid ? {} : { violations: report.violations }) })}\n`);
      if (!report.valid) {
        io.stderr.write(`line ${row.line}: ${row.userId}: ${report.violations.map((v) => v.message).join('; ')}\n`);
      }
    }
    io.stderr.write(`dry run: ${todo.length - refused} request(s) at ${rate}/s, ${refused} refused, ${rows.length - todo.length} already done; nothing sent\n`);
    return refused === 0 ? EXIT_OK : EXIT_FAILED;
  }
  const token = credentials(io.env, { required: true });
  let client;
  try {
    client = new ZoomPasswordClient({ accessToken: token, baseUrl: values['base-url'], requestsPerSecond: rate, timeoutMs: values.timeout && positiveNumber(values.timeout, '--timeout', { integer: true }), encoding: values.encoding });
  } catch (error) {
    throw new UsageError(flagMessage(error));
  }

  // One JSON line per user, appended and fsync'd as soon as it is known.
  const report = openSync(reportPath, 'a');
  const written = new Set();
  const writeResult = (index, result) => {
    if (written.has(index)) return;
    written.add(index);
    const entry = { line: todo[index].line, ...result, at: new Date().toISOString() };
    writeSync(report, `${JSON.stringify(entry)}\n`);
    fsyncSync(report);
  };
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write('\nstopping: finishing the report (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const draw = progressReporter(io.stderr, todo.length);
  let summary;
  try {
    summary = await client.updatePasswords(
      todo.map(({ userId, password }) => ({ userId, password, maybeApplied: resuming })),
      {
        concurrency,
        signal: controller.signal,
        policy,
        onProgress: (progress) => {
          if (progress.result) writeResult(progress.index, progress.result);
          draw(progress);
        },
      },
    );
    summary.results.forEach((result, index) => writeResult(index, result));
  } finally {
    closeSync(report);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  draw({ done: todo.length, succeeded: summary.succeeded, failed: summary.failed, skipped: summary.skipped }, true);
  const failures = summary.results.filter((r) => !r.ok && !r.skipped).map((r) => ({ userId: r.userId, ...r.error }));
  const total = { ...summary, results: undefined, failures, alreadyDone: rows.length - todo.length, report: reportPath };
  if (values.json) {
    io.stdout.write(`${JSON.stringify(total)}\n`);
  } else {
    io.stdout.write(`Done: ${summary.succeeded} ok, ${summary.failed} failed, ${summary.skipped} skipped, ${total.alreadyDone} already done. Report: ${reportPath}\n`);
    for (const result of summary.results.filter((r) => !r.ok && !r.skipped).slice(0, 20)) {
      io.stdout.write(`  ${result.userId}: ${result.error.kind}: ${result.error.message}\n`);
    }
  }
  return summary.failed + summary.skipped === 0 ? EXIT_OK : EXIT_FAILED;
}

export async function main(argv, io) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`zoom-password: ${error.message}\n\n${HELP}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    const { version } = createRequire(import.meta.url)('../package.json');
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  if (values.help && COMMAND_HELP[command]) {
    io.stdout.write(`${COMMAND_HELP[command]}\n`);
    return EXIT_OK;
  }
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr).write(`${HELP}\n`);
    return values.help ? EXIT_OK : EXIT_USAGE;
  }
  const commands = { set: commandSet, check: commandCheck, bulk: commandBulk };
  try {
    if (!commands[command]) throw new UsageError(`unknown command ${command}`);
    if (values.encoding && !['multipart', 'json'].includes(values.encoding)) throw new UsageError('--encoding must be multipart or json');
    return await commands[command](rest, values, io);
  } catch (error) {
    if (error instanceof UsageError || (isZoomPasswordError(error) && error.kind === 'invalid_options')) {
      io.stderr.write(`zoom-password: ${error instanceof UsageError ? error.message : flagMessage(error)}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`zoom-password: ${describe(error)}\n`);
    return EXIT_FAILED;
  }
}

// A closed pipe (`zoom-password check | head -1`) ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
