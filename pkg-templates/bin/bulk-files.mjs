// The files of a bulk run: the input CSV, the --generate secrets file and
// the report (one run's JSON lines, with the password checks --resume reads).

import { scrypt } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

import { parse as parseCsv } from 'csv-parse/sync';

import { generatePassword } from '../node.mjs';
import { UsageError, generateOptions } from './shared.mjs';

/** A CSV field, quoted when it needs it. */
export function csvField(text) {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** How a user is known in a CSV: an email without ASCII case (as the library and Zoom compare them), an id exactly. */
export function userKey(userId) {
  return userId.includes('@') ? userId.replace(/[A-Z]/g, (c) => c.toLowerCase()) : userId;
}

/** The passwords an existing secrets file holds, by user; empty when it does not exist. */
export function readSecrets(path) {
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
export function writeSecrets(rows, { path, known, policy, values }) {
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
export function readRows(file, { generate = false } = {}) {
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

export const SCRYPT = { N: 4096, r: 8, p: 1 };
export const scryptAsync = promisify(scrypt);

/** The report's check of `password` for `userId` under a run's `salt`. */
export async function passwordCheck(salt, userId, password) {
  const derived = await scryptAsync(`${userKey(userId)}\u0000${password}`, Buffer.from(salt, 'base64url'), 16, SCRYPT);
  return derived.toString('base64url');
}

/**
 * What an earlier report says: per user, the `{ salt, check }` of each ok
 * line, and how many ok lines cannot be checked (no run header or no
 * check: another version's report). A torn last line from a crash is ignored.
 */
export function readReport(file) {
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
export async function alreadySetBy(earlier, userId, password) {
  for (const { salt, check } of earlier.done.get(userKey(userId)) ?? []) {
    if ((await passwordCheck(salt, userId, password)) === check) return true;
  }
  return false;
}
