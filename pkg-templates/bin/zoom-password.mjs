#!/usr/bin/env node
// zoom-password: change Zoom passwords from a terminal or a script.
// Bundled into pkg/bin/ at build time (csv-parse included), so the published
// package has no runtime dependencies. Passwords never come from argv and
// are never printed; tokens neither.

import { randomBytes, scrypt } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs, promisify } from 'node:util';

import { parse as parseCsv } from 'csv-parse/sync';

import {
  ZoomPasswordClient,
  buildRequest,
  checkBreachedPassword,
  generatePassword,
  isZoomPasswordError,
  serverToServerTokenProvider,
  validatePassword,
} from '../node.mjs';
import glue from '../glue-node.cjs';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report a command Ctrl-C ended. */
const EXIT_INTERRUPTED = 130;
const DEFAULT_RATE = 10;
const DEFAULT_CONCURRENCY = 4;
/** Zoom's "Medium" rate-limit label, per account. */
const PLAN_RATES = { free: 2, pro: 20, business: 60 };

const HELP = `zoom-password: change Zoom user passwords

Usage:
  zoom-password set <userId> [options]      new password from standard input, or a no-echo prompt
  zoom-password check [--policy FILE]       validate a password from standard input; exit 0 valid, 1 invalid
  zoom-password bulk FILE.csv [options]     columns userId,password; one JSON line per user in the report
  zoom-password generate [--policy FILE] [--length N]   print one generated password that passes the policy

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
  --breach-check        refuse a password found in Pwned Passwords (only 5 hex characters of its
                        SHA-1 leave the machine); a failed check fails closed (set, check, bulk)
  --range-url URL       the range API (default https://api.pwnedpasswords.com/range/)
bulk only:
  --report FILE         a new file for this run's report (default FILE.report.jsonl beside the
                        CSV); an existing report is refused: it belongs to its own run
  --resume REPORT       continue that run: skip each user it set to the very password they would
                        get now; send the rest again (with maybeApplied); append to REPORT
  --rate N              requests per second for the whole run (default ${DEFAULT_RATE})
  --plan free|pro|business   shortcut for --rate 2, 20 or 60 (Zoom's limits for this endpoint)
  --concurrency N       requests in flight (default ${DEFAULT_CONCURRENCY})
  --generate --secrets OUT.csv   the CSV needs only userId: each user gets a generated password,
                        written with its userId to OUT.csv (created 0600, flushed to disk before
                        any request); an existing OUT.csv needs --resume, and its passwords are reused
  --length N            generated length (generate, bulk --generate; default 16)

Standard input holds one line, the password: a final newline (or CRLF) and
trailing blank lines are not part of it; a second line, or a control
character in the password, is refused (exit 2) and nothing is sent. On a
terminal the password is read without echo, and set asks for it twice.

bulk and Ctrl-C: once, nothing new is sent and the requests already out finish with their
real outcome; twice, those are cut too and reported "outcome": "unknown" (--resume settles
them). Either way the report is complete and the exit code is 130.

Exit codes: 0 all ok, 1 some failed or skipped (or, for check, invalid), 2 usage or configuration
error (credentials Zoom refuses included), 130 interrupted.`;

/** `zoom-password COMMAND --help`: the usage line and the options that command takes. */
const COMMAND_HELP = {
  set: `zoom-password set <userId> [--base-url URL] [--policy FILE] [--json] [--dry-run] [--timeout MS] [--encoding multipart|json]
                       [--breach-check [--range-url URL]]

Changes one user's password. The password comes from standard input (one
line) or, on a terminal, a no-echo prompt asked twice; never from argv.
Exit codes: 0 changed, 1 refused or failed, 2 usage or configuration error.`,
  check: `zoom-password check [--policy FILE] [--json] [--breach-check [--range-url URL]]

Validates a password from standard input (one line) against Zoom's rules and
the policy; prints the checklist. --breach-check adds the Pwned Passwords line
(a failed query exits 1). Exit codes: 0 valid, 1 invalid, 2 usage error.`,
  generate: `zoom-password generate [--policy FILE|account] [--length N]

Prints one password that passes Zoom's rules and the policy, drawn from the
platform's cryptographic random source (74 symbols: A-Z a-z 0-9 !#$%*+-=?@^_).
--length is 8 (or the policy's minimum) to 31, default 16. Exit codes: 0
printed, 2 usage error.`,
  bulk: `zoom-password bulk FILE.csv [--rate N | --plan free|pro|business] [--concurrency N]
                   [--report FILE] [--resume REPORT] [--base-url URL] [--policy FILE]
                   [--json] [--dry-run] [--timeout MS] [--encoding multipart|json]
                   [--generate --secrets OUT.csv [--length N]] [--breach-check [--range-url URL]]

Changes the passwords of the CSV's rows (columns userId,password). --dry-run
validates every row and prints the requests, redacted; it sends nothing to
Zoom and exits 1 if a row would be refused (with --breach-check it asks the
range API, which sees only hash prefixes). With --generate the CSV needs only
userId: every password is generated and written to the --secrets file (mode
0600, flushed to disk) before the first request; no generated password is
ever printed or reported. Without --policy, --generate reads the account's
policy first (a policy that cannot be read is exit 2). With --resume, the
secrets file's passwords are reused for the users not yet done. Ctrl-C once
lets the requests already out finish; twice cuts them. Exit codes: 0 all
ok, 1 some failed or skipped, 2 usage or configuration error, 130 interrupted.`,
};

/** Options, as the flags that set them: one table, read both ways. */
const FLAG_OF = { baseUrl: '--base-url', timeoutMs: '--timeout', encoding: '--encoding', requestsPerSecond: '--rate', concurrency: '--concurrency', rangeUrl: '--range-url', length: '--length' };

/**
 * The library's refusal of an option, naming the flag that set it: the
 * option comes from the error's `fieldErrors` (never guessed from its
 * text), and its name in the message becomes the flag's.
 */
function flagMessage(error) {
  const field = error.fieldErrors?.[0]?.field;
  const flag = Object.hasOwn(FLAG_OF, field ?? '') ? FLAG_OF[field] : undefined;
  return flag ? error.message.replaceAll(field, flag) : error.message;
}

/** The `breachCheck` option the flags ask for, or undefined. */
function breachCheckOption(values) {
  if (values['range-url'] && !values['breach-check']) throw new UsageError('--range-url needs --breach-check');
  if (!values['breach-check']) return undefined;
  return values['range-url'] ? { rangeUrl: values['range-url'] } : true;
}

/** The options of checkBreachedPassword for the flags. */
function rangeOptions(values) {
  return values['range-url'] ? { rangeUrl: values['range-url'] } : undefined;
}

/** The `generatePassword` options for --length. */
function generateOptions(values) {
  return values.length === undefined ? undefined : { length: Number(values.length) };
}

/** The breach line's text: the library's own (the glue is the module node.mjs loads). */
const BREACH_MESSAGE = glue.breachCheckMessage();

/** Adds the breach line to a validatePassword report. */
function withBreach(report, breach) {
  const check = { rule: 'not_breached', passed: !breach.breached, zoomCode: null, message: BREACH_MESSAGE };
  return {
    valid: report.valid && !breach.breached,
    checks: [...report.checks, check],
    violations: breach.breached ? [...report.violations, check] : report.violations,
    breach,
  };
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
  'breach-check': { type: 'boolean', default: false },
  'range-url': { type: 'string' },
  generate: { type: 'boolean', default: false },
  secrets: { type: 'string' },
  length: { type: 'string' },
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
async function policyFor(values, io, token = undefined) {
  if (values.policy !== 'account') return readPolicy(values.policy);
  return accountPolicy(values, token ?? credentials(io.env, { required: true }));
}

/** The account's own policy, read with the command's credentials (fetchPasswordPolicy). */
async function accountPolicy(values, token) {
  const client = new ZoomPasswordClient({ accessToken: token, baseUrl: values['base-url'] });
  try {
    return await client.fetchPasswordPolicy();
  } catch (error) {
    if (isZoomPasswordError(error) && error.kind === 'invalid_options') throw error;
    const why = values.generate && values.policy === undefined
      ? "--generate follows the account's policy (or give --policy FILE), which could not be read"
      : "--policy account: the account's policy could not be read";
    throw new UsageError(`${why}: ${describe(error)}; nothing was sent`);
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

/** A token source that could not be tried: the command fails (exit 1) before any user. */
class CredentialsFailed extends Error {}

/**
 * The credentials, tried once before any user: server-to-server ones that
 * Zoom refuses are a configuration error (exit 2), not a failure per user.
 */
async function verifiedCredentials(env, { required }) {
  const token = credentials(env, { required });
  if (typeof token !== 'function') return token;
  try {
    await token({ refresh: false });
  } catch (error) {
    if (isZoomPasswordError(error) && ['unauthorized', 'forbidden', 'invalid_options'].includes(error.kind)) {
      throw new UsageError(`Zoom refused the server-to-server credentials (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET): ${describe(error)}; nothing was sent`);
    }
    throw new CredentialsFailed(`could not get an access token, so nothing was sent: ${describe(error)}`);
  }
  return token;
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
  for (const check of report.checks) {
    const seen = check.rule === 'not_breached' && report.breach?.breached ? ` (seen ${report.breach.count} times)` : '';
    out.write(`${check.passed ? '✓' : '✗'} ${check.message}${seen}\n`);
  }
}

// ---- commands ----------------------------------------------------------

async function commandSet(positionals, values, io) {
  if (positionals.length !== 1) throw new UsageError('set takes exactly one <userId> (the password comes from standard input)');
  const [userId] = positionals;
  const breachCheck = breachCheckOption(values);
  const token = await verifiedCredentials(io.env, { required: !values['dry-run'] || values.policy === 'account' });
  const policy = await policyFor(values, io, token);
  const password = await readPassword(io, { confirm: true });
  if (values['dry-run']) {
    let report = validatePassword(password, policy);
    if (breachCheck && report.valid) report = withBreach(report, await queryBreach(password, values));
    const request = redactedRequest(userId, password, values['base-url'], values.encoding);
    io.stdout.write(values.json ? `${JSON.stringify({ valid: report.valid, request })}\n` : `${request.method} ${request.url}\n${JSON.stringify(request, null, 2)}\n`);
    if (!report.valid && !values.json) printChecklist(report, io.stderr);
    return report.valid ? EXIT_OK : EXIT_FAILED;
  }
  const client = new ZoomPasswordClient({ accessToken: token, baseUrl: values['base-url'], timeoutMs: values.timeout && positiveNumber(values.timeout, '--timeout', { integer: true }), encoding: values.encoding });
  try {
    const result = await client.updatePassword(userId, password, { policy, breachCheck });
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
  const breachCheck = breachCheckOption(values);
  const password = await readPassword(io);
  let report;
  try {
    report = validatePassword(password, policy);
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (breachCheck) report = withBreach(report, await queryBreach(password, values));
  if (values.json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else printChecklist(report, io.stdout);
  return report.valid ? EXIT_OK : EXIT_FAILED;
}

/** A breach query failed: the check fails closed (exit 1), naming why. */
class BreachCheckFailed extends Error {}

/** `{ breached, count }`, or a BreachCheckFailed (a UsageError for a bad --range-url). */
async function queryBreach(password, values) {
  try {
    return await checkBreachedPassword(password, rangeOptions(values));
  } catch (error) {
    if (isZoomPasswordError(error) && error.kind === 'invalid_options') throw new UsageError(flagMessage(error));
    throw new BreachCheckFailed(`the breach check failed, so the password is not accepted: ${describe(error)}`);
  }
}

async function commandGenerate(positionals, values, io) {
  if (positionals.length !== 0) throw new UsageError('generate takes no arguments');
  const policy = await policyFor(values, io);
  io.stdout.write(`${generatePassword(policy, generateOptions(values))}\n`);
  return EXIT_OK;
}

/** A CSV field, quoted when it needs it. */
function csvField(text) {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** How a user is known in a CSV: an email without ASCII case (as the library and Zoom compare them), an id exactly. */
function userKey(userId) {
  return userId.includes('@') ? userId.replace(/[A-Z]/g, (c) => c.toLowerCase()) : userId;
}

/** The passwords an existing secrets file holds, by user; empty when it does not exist. */
function readSecrets(path) {
  const known = new Map();
  if (!existsSync(path)) return known;
  let records;
  try {
    records = parseCsv(readFileSync(path, 'utf8'), { bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    throw new UsageError(`--secrets ${path}: ${error.code === 'EACCES' ? 'cannot be read' : 'not a userId,password CSV'}`);
  }
  for (const [userId, password] of records.slice(1)) if (userId && password) known.set(userKey(userId), password);
  return known;
}

/**
 * The secrets file of `bulk --generate`: each user's password, read back
 * from the file (`known`, with --resume) or generated now, and every new
 * line written and fsync'd before this function returns, so before any
 * request is sent: a crash never leaves a changed password that nobody
 * knows. Created with mode 0600 (exclusively: commandBulk refused an
 * existing one unless resuming).
 */
function writeSecrets(rows, { path, known, policy, values }) {
  const exists = existsSync(path);
  let fd;
  try {
    fd = openSync(path, exists ? 'a' : 'wx', 0o600);
  } catch (error) {
    throw new UsageError(`--secrets ${path}: cannot be ${exists ? 'opened' : 'created'} (${error.code ?? 'error'}); nothing was sent`);
  }
  try {
    // The umask cannot widen 0600, but an existing file may be wider.
    fchmodSync(fd, 0o600);
    let text = exists ? '' : 'userId,password\n';
    const passwords = rows.map((row) => {
      const reused = known.get(userKey(row.userId));
      if (reused !== undefined) return reused;
      const password = generatePassword(policy, generateOptions(values));
      text += `${csvField(row.userId)},${password}\n`;
      return password;
    });
    writeSync(fd, text);
    fsyncSync(fd);
    if (!exists) {
      // The new file's directory entry, too (where the platform allows it).
      try {
        const dir = openSync(dirname(path), 'r');
        try { fsyncSync(dir); } finally { closeSync(dir); }
      } catch {
        // Not supported here (Windows).
      }
    }
    return passwords;
  } finally {
    closeSync(fd);
  }
}

/** Rows `{ userId, password, line }`, or a UsageError naming the line. Cells are taken as written. */
function readRows(file, { generate = false } = {}) {
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
  // Header names may be padded (`userId, password`); cells never are: a
  // password " Good-Pass" is refused (printable), not trimmed and sent.
  const header = records[0].record.map((name) => name.trim().toLowerCase());
  const userColumn = header.indexOf('userid');
  const passwordColumn = header.indexOf('password');
  if (generate) {
    if (userColumn < 0) throw new UsageError(`${file}: line 1 must be a header with the column userId`);
    if (passwordColumn >= 0) throw new UsageError(`${file}: has a password column; --generate makes the passwords (remove the column, or drop --generate)`);
  } else if (userColumn < 0 || passwordColumn < 0) {
    throw new UsageError(`${file}: line 1 must be a header with the columns userId and password`);
  }
  const rows = [];
  const seen = new Map();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const userId = record[userColumn];
    const password = generate ? undefined : record[passwordColumn];
    if (userId === '') throw new UsageError(`${file}: line ${line}: empty userId`);
    if (password === '') throw new UsageError(`${file}: line ${line}: empty password`);
    const key = userKey(userId);
    if (seen.has(key)) throw new UsageError(`${file}: line ${line}: ${userId} already appears on line ${seen.get(key)}`);
    seen.set(key, line);
    rows.push({ userId, password, line });
  }
  return rows;
}

// ---- the report: one run's JSON lines ----------------------------------
//
// A report belongs to one run. Each run (the first, and each --resume)
// starts with a header line {"run": {...}} holding a fresh random salt; an
// ok line carries `passwordCheck`, a salted scrypt of the user and the
// password set, so --resume skips a user only when that run set the very
// password it would set now. The check is not the password: scrypt at
// these costs takes about 9 ms a guess here (the report is 0600 anyway).

const SCRYPT = { N: 4096, r: 8, p: 1 };
const scryptAsync = promisify(scrypt);

/** The report's check of `password` for `userId` under a run's `salt`. */
async function passwordCheck(salt, userId, password) {
  const derived = await scryptAsync(`${userKey(userId)}\u0000${password}`, Buffer.from(salt, 'base64url'), 16, SCRYPT);
  return derived.toString('base64url');
}

/**
 * What an earlier report says: per user, the `{ salt, check }` of each ok
 * line, and how many ok lines cannot be checked (no run header or no
 * check: another version's report). A torn last line from a crash is ignored.
 */
function readReport(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--resume ${file}: cannot be read`);
  }
  const done = new Map();
  let salt = null;
  let unchecked = 0;
  for (const line of text.split('\n')) {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // Blank or torn line.
    }
    if (typeof entry?.run?.salt === 'string') salt = entry.run.salt;
    if (entry?.ok !== true || typeof entry.userId !== 'string') continue;
    if (salt === null || typeof entry.passwordCheck !== 'string') {
      unchecked += 1;
      continue;
    }
    const key = userKey(entry.userId);
    if (!done.has(key)) done.set(key, []);
    done.get(key).push({ salt, check: entry.passwordCheck });
  }
  return { done, unchecked };
}

/** Whether `earlier` shows that a run set `password` for `userId`. */
async function alreadySetBy(earlier, userId, password) {
  for (const { salt, check } of earlier.done.get(userKey(userId)) ?? []) {
    if ((await passwordCheck(salt, userId, password)) === check) return true;
  }
  return false;
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
  const commands = { set: commandSet, check: commandCheck, bulk: commandBulk, generate: commandGenerate };
  try {
    if (!commands[command]) throw new UsageError(`unknown command ${command}`);
    if (values.encoding && !['multipart', 'json'].includes(values.encoding)) throw new UsageError('--encoding must be multipart or json');
    return await commands[command](rest, values, io);
  } catch (error) {
    if (error instanceof BreachCheckFailed || error instanceof CredentialsFailed) {
      io.stderr.write(`zoom-password: ${error.message}\n`);
      return EXIT_FAILED;
    }
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
