// What every command shares: exit codes, the flag table, the usage error,
// credentials, the password from standard input, the policy, the breach
// line, and how an error is described. Passwords never come from argv and
// are never printed; tokens neither.

import { readFileSync } from 'node:fs';

import {
  ZoomPasswordClient,
  buildRequest,
  checkBreachedPassword,
  isZoomPasswordError,
  serverToServerTokenProvider,
} from '../node.mjs';
import glue from '../glue-node.cjs';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report a command Ctrl-C ended. */
export const EXIT_INTERRUPTED = 130;
export const DEFAULT_RATE = 10;
export const DEFAULT_CONCURRENCY = 4;

/**
 * Every flag: what parseArgs reads (`type`, `short`, `default`) and, for a
 * flag that sets a library option, that option's name (`option`). The one
 * table flags and options are mapped through, both ways.
 */
export const FLAGS = {
  'base-url': { type: 'string', option: 'baseUrl' },
  policy: { type: 'string' },
  json: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  timeout: { type: 'string', option: 'timeoutMs' },
  encoding: { type: 'string', option: 'encoding' },
  report: { type: 'string' },
  resume: { type: 'string' },
  rate: { type: 'string', option: 'requestsPerSecond' },
  plan: { type: 'string' },
  concurrency: { type: 'string', option: 'concurrency' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
  'breach-check': { type: 'boolean', default: false },
  'range-url': { type: 'string', option: 'rangeUrl' },
  generate: { type: 'boolean', default: false },
  secrets: { type: 'string' },
  length: { type: 'string', option: 'length' },
};

/** parseArgs's `options`: the table without `option`. */
export const PARSE_OPTIONS = Object.fromEntries(Object.entries(FLAGS).map(([flag, { option, ...spec }]) => [flag, spec]));

/** A library option's flag: `baseUrl` -> `--base-url`. */
const FLAG_OF = new Map(Object.entries(FLAGS).filter(([, { option }]) => option).map(([flag, { option }]) => [option, `--${flag}`]));

/**
 * The library's refusal of an option, naming the flag that set it: the
 * option comes from the error's `fieldErrors` (never guessed from its
 * text), and its name in the message becomes the flag's.
 */
export function flagMessage(error) {
  const field = error.fieldErrors?.[0]?.field;
  const flag = FLAG_OF.get(field);
  return flag ? error.message.replaceAll(field, flag) : error.message;
}

/** The `breachCheck` option the flags ask for, or undefined. */
export function breachCheckOption(values) {
  if (values['range-url'] && !values['breach-check']) throw new UsageError('--range-url needs --breach-check');
  if (!values['breach-check']) return undefined;
  return values['range-url'] ? { rangeUrl: values['range-url'] } : true;
}

/** The options of checkBreachedPassword for the flags. */
export function rangeOptions(values) {
  return values['range-url'] ? { rangeUrl: values['range-url'] } : undefined;
}

/** The `generatePassword` options for --length. */
export function generateOptions(values) {
  return values.length === undefined ? undefined : { length: Number(values.length) };
}

/** The breach line's text: the library's own (the glue is the module node.mjs loads). */
export const BREACH_MESSAGE = glue.breachCheckMessage();

/** Adds the breach line to a validatePassword report. */
export function withBreach(report, breach) {
  const check = { rule: 'not_breached', passed: !breach.breached, zoomCode: null, message: BREACH_MESSAGE };
  return {
    valid: report.valid && !breach.breached,
    checks: [...report.checks, check],
    violations: breach.breached ? [...report.violations, check] : report.violations,
    breach,
  };
}

export class UsageError extends Error {}

export function positiveNumber(text, flag, { integer = false, max = Infinity } = {}) {
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
export async function policyFor(values, io, token = undefined) {
  if (values.policy !== 'account') return readPolicy(values.policy);
  return accountPolicy(values, token ?? credentials(io.env, { required: true }));
}

/** The account's own policy, read with the command's credentials (fetchPasswordPolicy). */
export async function accountPolicy(values, token) {
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

export function readPolicy(file) {
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
export function credentials(env, { required }) {
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
export class CredentialsFailed extends Error {}

/**
 * The credentials, tried once before any user: server-to-server ones that
 * Zoom refuses are a configuration error (exit 2), not a failure per user.
 */
export async function verifiedCredentials(env, { required }) {
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

export async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(prompt, { stdin, stderr }) {
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
export function onlyLine(text) {
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
export async function readPassword(io, { confirm = false } = {}) {
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

export function describe(error) {
  if (!isZoomPasswordError(error)) return `${error?.name ?? 'Error'}: unexpected failure`;
  const parts = [error.status ?? null, error.zoomCode === null ? null : `code ${error.zoomCode}`].filter((p) => p !== null);
  return `${error.kind}${parts.length ? ` (${parts.join(', ')})` : ''}: ${error.message}`;
}

export function redactedRequest(userId, password, baseUrl, encoding) {
  const request = buildRequest({ userId, password, accessToken: 'redacted', baseUrl, encoding });
  return {
    method: request.method,
    url: request.url,
    headers: { ...request.headers, Authorization: 'Bearer [redacted]' },
    encoding: request.encoding,
    fields: { password: `[redacted, ${[...password].length} characters]` },
  };
}

export function printChecklist(report, out) {
  for (const check of report.checks) {
    const seen = check.rule === 'not_breached' && report.breach?.breached ? ` (seen ${report.breach.count} times)` : '';
    out.write(`${check.passed ? '✓' : '✗'} ${check.message}${seen}\n`);
  }
}

/** A breach query failed: the check fails closed (exit 1), naming why. */
export class BreachCheckFailed extends Error {}

/** `{ breached, count }`, or a BreachCheckFailed (a UsageError for a bad --range-url). */
export async function queryBreach(password, values) {
  try {
    return await checkBreachedPassword(password, rangeOptions(values));
  } catch (error) {
    if (isZoomPasswordError(error) && error.kind === 'invalid_options') throw new UsageError(flagMessage(error));
    throw new BreachCheckFailed(`the breach check failed, so the password is not accepted: ${describe(error)}`);
  }
}
