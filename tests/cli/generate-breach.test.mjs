// The command line's generated passwords and breach checks, from the
// installed tarball as a user runs it: `generate`, `--breach-check` on set,
// check and bulk, and `bulk --generate --secrets` with its 0600 file, a
// SIGKILL halfway and a resume that reuses what the file holds. No
// generated password may reach the report, stdout or stderr.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { parse as parseCsv } from 'csv-parse/sync';

import { DEMO_TOKEN, sha1Hex, startZoomMock } from '../../mock/zoom-mock.mjs';
import { killWhenReportHas, reportLines, runCli, users } from '../helpers/cli.mjs';
import { loadEntry, root } from '../helpers/consumer.mjs';

const work = join(root, 'build', 'cli-generate-test');
const FULL_POLICY = { minimum_password_length: 14, have_special_character: true, consecutive_characters_length: 4, weak_enhance_detection: true };
const run = runCli;

function file(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** `userId -> password` from a secrets file; fails on a repeated user. */
function secrets(path) {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  assert.deepEqual(header, ['userId', 'password']);
  const map = new Map();
  for (const [userId, password] of rows) {
    assert.ok(!map.has(userId), `${userId} appears twice in the secrets file`);
    map.set(userId, password);
  }
  return map;
}

describe('zoom-password generate and --breach-check', () => {
  let api;
  let mock;
  let token;
  let rangeUrl;
  before(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    api = await loadEntry('import');
    mock = await startZoomMock();
    rangeUrl = `${mock.origin}/range/`;
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset({});
    token = { ZOOM_ACCESS_TOKEN: DEMO_TOKEN };
  });

  it('generate prints one password that passes the policy, of the asked length', async () => {
    const policy = file('full-policy.json', JSON.stringify(FULL_POLICY));
    const seen = new Set();
    for (const length of [undefined, 14, 31]) {
      const { status, stdout, stderr } = await run(['generate', '--policy', policy, ...(length ? ['--length', String(length)] : [])]);
      assert.equal(status, 0, stderr);
      assert.equal(stderr, '');
      const password = stdout.replace(/\n$/, '');
      assert.ok(!password.includes('\n'), 'one line');
      assert.equal(password.length, length ?? 16);
      assert.equal(api.validatePassword(password, FULL_POLICY).valid, true, 'valid for the policy');
      seen.add(password);
    }
    assert.equal(seen.size, 3);
    const short = await run(['generate', '--policy', policy, '--length', '12']);
    assert.equal(short.status, 2);
    assert.match(short.stderr, /--length must be an integer from 14 to 31 for this policy/);
    assert.equal((await run(['generate', 'extra'])).status, 2);
    assert.equal(mock.requests.length, 0, 'generate sends nothing');
  });

  it('check --breach-check adds the breach line; only the hash prefix leaves', async () => {
    const breached = await run(['check', '--breach-check', '--range-url', rangeUrl], { input: 'Password123\n' });
    assert.equal(breached.status, 1, breached.stderr);
    assert.match(breached.stdout, /✗ Not in a list of breached passwords \(seen 251682 times\)/);
    const clean = await run(['check', '--breach-check', '--range-url', rangeUrl, '--json'], { input: 'Clean-Unlisted-77\n' });
    assert.equal(clean.status, 0, clean.stderr);
    const report = JSON.parse(clean.stdout);
    assert.deepEqual([report.valid, report.checks.at(-1).rule, report.breach], [true, 'not_breached', { breached: false, count: 0 }]);
    const hashes = [sha1Hex('Password123'), sha1Hex('Clean-Unlisted-77')];
    assert.deepEqual(mock.rangeRequests().map((r) => r.path), hashes.map((h) => `/range/${h.slice(0, 5)}`));
    const seen = JSON.stringify(mock.requests);
    for (const secret of ['Password123', 'Clean-Unlisted-77', ...hashes.map((h) => h.slice(5))]) assert.ok(!seen.includes(secret));
    // The check fails closed: no answer is not "not breached".
    const down = await run(['check', '--breach-check', '--range-url', 'http://127.0.0.1:9/range/'], { input: 'Clean-Unlisted-77\n' });
    assert.equal(down.status, 1);
    assert.match(down.stderr, /the breach check failed, so the password is not accepted: network_error/);
    const flag = await run(['check', '--range-url', rangeUrl], { input: 'Clean-Unlisted-77\n' });
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /--range-url needs --breach-check/);
    const plain = await run(['check', '--breach-check', '--range-url', 'http://example.com/range/'], { input: 'Clean-Unlisted-77\n' });
    assert.equal(plain.status, 2);
    assert.match(plain.stderr, /--range-url must be an https: URL/);
  });

  it('set --breach-check never sends a breached password, and fails closed', async () => {
    const breached = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl, '--breach-check', '--range-url', rangeUrl], { input: 'Summer2024!\n', env: token });
    assert.equal(breached.status, 1);
    assert.match(breached.stderr, /Not changed: invalid_password: The password is in a list of breached passwords/);
    assert.match(breached.stderr, /✗ Not in a list of breached passwords/);
    mock.addRangeFaults({ type: 'status', status: 503 });
    const down = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl, '--breach-check', '--range-url', rangeUrl], { input: 'Clean-Unlisted-77\n', env: token });
    assert.equal(down.status, 1);
    assert.match(down.stderr, /Not changed: server_error \(503\)/);
    assert.equal(mock.passwordRequests().length, 0, 'nothing sent to Zoom');
    const ok = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl, '--breach-check', '--range-url', rangeUrl], { input: 'Clean-Unlisted-77\n', env: token });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(mock.findUser('ada@example.com').password, 'Clean-Unlisted-77');
  });

  it('bulk --breach-check refuses the breached rows, one query per distinct prefix; --dry-run says so', async () => {
    const csv = file('breach.csv', 'userId,password\nada@example.com,P@ssw0rd2024\ngrace@example.com,Clean-Shared-Pass-5\nowner@example.com,Clean-Shared-Pass-5\n');
    const dry = await run(['bulk', csv, '--dry-run', '--breach-check', '--range-url', rangeUrl]);
    assert.equal(dry.status, 1, dry.stderr);
    assert.match(dry.stderr, /line 2: ada@example\.com: Not in a list of breached passwords/);
    assert.match(dry.stderr, /2 request\(s\) at 10\/s, 1 refused/);
    assert.equal(mock.passwordRequests().length, 0);
    mock.reset({});
    const real = await run(['bulk', csv, '--base-url', mock.baseUrl, '--breach-check', '--range-url', rangeUrl, '--json'], { env: token });
    assert.equal(real.status, 1, real.stderr);
    const summary = JSON.parse(real.stdout);
    assert.deepEqual(summary.failures.map((f) => [f.userId, f.kind, f.violations.map((v) => v.rule)]), [['ada@example.com', 'invalid_password', ['not_breached']]]);
    assert.equal(mock.rangeRequests().length, 2, 'one query per distinct prefix');
    assert.deepEqual(mock.passwordRequests().map((r) => r.userId).sort(), ['grace@example.com', 'owner@example.com']);
  });

  it('bulk --generate writes a 0600 secrets file before sending, and prints no password', async () => {
    const people = users(6, 'gen');
    mock.reset({ users: people, tokens: [DEMO_TOKEN] });
    const csv = file('generate.csv', `userId\n${people.map((p) => p.email).join('\n')}\n`);
    const out = join(work, 'generate.secrets.csv');
    const { status, stdout, stderr } = await run(['bulk', csv, '--generate', '--secrets', out, '--length', '20', '--base-url', mock.baseUrl], { env: token });
    assert.equal(status, 0, stderr);
    assert.equal(statSync(out).mode & 0o777, 0o600, 'mode 0600');
    const kept = secrets(out);
    assert.equal(kept.size, 6);
    const report = readFileSync(join(work, 'generate.report.jsonl'), 'utf8');
    for (const person of people) {
      const password = kept.get(person.email);
      assert.equal(password.length, 20);
      assert.equal(mock.findUser(person.email).password, password, 'the file holds what Zoom now has');
      for (const text of [stdout, stderr, report]) assert.ok(!text.includes(password), 'no generated password printed or reported');
    }
    // An existing secrets file is refused (exit 2) and left as it was.
    const before = readFileSync(out, 'utf8');
    const again = await run(['bulk', csv, '--generate', '--secrets', out, '--base-url', mock.baseUrl], { env: token });
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists: give --resume REPORT/);
    assert.equal(readFileSync(out, 'utf8'), before);
    // Usage errors, each before any file or request.
    const withPasswords = file('with-passwords.csv', 'userId,password\nada@example.com,Some-Pass-123\n');
    const cases = [
      [['bulk', withPasswords, '--generate', '--secrets', join(work, 'x1.csv')], /has a password column/],
      [['bulk', csv, '--generate'], /--generate needs --secrets/],
      [['bulk', csv, '--secrets', join(work, 'x2.csv')], /--secrets goes with --generate/],
      [['bulk', csv, '--generate', '--secrets', join(work, 'x3.csv'), '--length', '40'], /--length must be an integer from 8 to 31/],
      [['bulk', csv, '--generate', '--secrets', join(work, 'no-such-dir', 'x4.csv')], /--secrets .*x4\.csv: cannot be created \(ENOENT\); nothing was sent/],
    ];
    for (const [i, [args, pattern]] of cases.entries()) {
      // A fresh report each: the first run's report exists, and is refused first.
      const result = await run([...args, '--report', join(work, `usage-${i}.jsonl`), '--base-url', mock.baseUrl], { env: token });
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, pattern);
    }
    for (const name of ['x1.csv', 'x2.csv', 'x3.csv']) assert.ok(!existsSync(join(work, name)), `${name} not created`);
    assert.equal(mock.passwordRequests().length, 6, 'only the first run sent requests');
  });

  it('bulk --generate survives a kill: --resume reuses the secrets, and every user ends with the password on file', async () => {
    const people = users(400, 'genkill');
    mock.reset({ users: people, tokens: [DEMO_TOKEN] });
    const csv = file('genkill.csv', `userId\n${people.map((p) => p.email).join('\n')}\n`);
    const out = join(work, 'genkill.secrets.csv');
    const report = join(work, 'genkill.report.jsonl');
    await killWhenReportHas(['bulk', csv, '--generate', '--secrets', out, '--base-url', mock.baseUrl, '--rate', '150', '--concurrency', '8'], { report, lines: 120, env: token });
    const done = reportLines(report).filter((l) => l.ok).length;
    assert.ok(done >= 100 && done < 400, `killed after ${done} users`);
    const first = secrets(out);
    assert.equal(first.size, 400, 'every password was on disk before the kill');

    const resumed = await run(['bulk', csv, '--generate', '--secrets', out, '--resume', report, '--base-url', mock.baseUrl, '--rate', '400', '--concurrency', '8'], { env: token });
    assert.equal(resumed.status, 0, resumed.stderr);
    const kept = secrets(out);
    assert.deepEqual([...kept], [...first], 'resume reused the file; it added nothing');
    const reportText = readFileSync(report, 'utf8');
    for (const person of people) {
      const password = kept.get(person.email);
      assert.equal(mock.findUser(person.email).password, password, person.email);
      assert.equal(mock.changesFor(person.email), 1, `${person.email} changed once`);
      assert.ok(!reportText.includes(password) && !resumed.stdout.includes(password) && !resumed.stderr.includes(password));
    }
  });
});
