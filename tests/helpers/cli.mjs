// What the command-line tests share: the installed CLI, run as a real
// process with a clean environment, and the users and report lines they
// check against.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { installedPackage } from './consumer.mjs';

export const BIN = join(installedPackage, 'bin', 'zoom-password.mjs');

/** The environment without any Zoom credentials of the machine running the tests. */
export function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZOOM_')));
  return { ...env, ...extra };
}

/**
 * Runs a process to its end. Asynchronous on purpose: the mock lives in the
 * test's process, and a blocking spawnSync would stop it from answering.
 */
export function spawnCollect(command, args, { input = '', env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `zoom-password ...args`: `{ status, stdout, stderr }`. */
export function runCli(args, options) {
  return spawnCollect(process.execPath, [BIN, ...args], options);
}

/** Seeded mock users `{ id, email, password }`. */
export function users(count, prefix) {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}Id${String(i).padStart(14, '0')}`, email: `${prefix}${i}@example.com`, password: `Initial-${prefix}-${i}x` }));
}

/** Every JSON line of a bulk report: each run's header `{ run }` and one line per user. */
export function reportEntries(path) {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** The per-user lines of a bulk report (without the runs' header lines). */
export function reportLines(path) {
  return reportEntries(path).filter((entry) => !entry.run);
}

/**
 * Starts `zoom-password ...args` and SIGKILLs it as soon as the report at
 * `report` has more than `lines` lines (or after 15 s): a crash halfway.
 */
export async function killWhenReportHas(args, { report, lines, env }) {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 600; i++) {
    if (existsSync(report) && readFileSync(report, 'utf8').split('\n').length > lines) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  await exited;
}
