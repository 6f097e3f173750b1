// bulk runs as an administrator meets them: a report that belongs to one
// run (and --resume that trusts only it), Ctrl-C once and twice against a
// slow server, --generate following the account's policy, credentials
// Zoom refuses, and CSV cells taken as written. Real processes, real
// files, the local mock over HTTP; what the mock changed is compared with
// what the report says.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DEMO_TOKEN, startZoomMock } from '../../mock/zoom-mock.mjs';
import { BIN, cleanEnv, killWhenReportHas, reportEntries, reportLines, runCli as run, users } from '../helpers/cli.mjs';
import { loadEntry, root } from '../helpers/consumer.mjs';

const work = join(root, 'build', 'cli-runs-test');
const token = { ZOOM_ACCESS_TOKEN: DEMO_TOKEN };

function file(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** userId -> password of a secrets file. */
function secrets(path) {
  return new Map(readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')));
}

const until = async (condition, what) => {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
};

/** Starts the CLI; resolves `{ child, done }`, `done` resolving `{ status, stdout, stderr }`. */
function start(args, env) {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  child.stdin.end();
  const done = new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done };
}

describe('bulk runs', () => {
  let mock;
  let api;
  before(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    mock = await startZoomMock();
    api = await loadEntry('import');
  });
  after(() => mock.close());

  it('a report belongs to one run: resuming from another run\'s report skips nobody', async () => {
    const people = users(60, 'months');
    const policy = { have_special_character: true };
    mock.reset({ users: people, tokens: [DEMO_TOKEN], policy });
    const ids = file('ids.csv', `userId\n${people.map((p) => p.email).join('\n')}\n`);
    const idsReport = join(work, 'ids.report.jsonl');
    const jan = join(work, 'jan.csv');
    const feb = join(work, 'feb.csv');
    const febReport = join(work, 'feb.report.jsonl');

    const january = await run(['bulk', ids, '--generate', '--secrets', jan, '--base-url', mock.baseUrl, '--rate', '400'], { env: token });
    assert.equal(january.status, 0, january.stderr);
    for (const p of people) assert.equal(mock.findUser(p.email).password, secrets(jan).get(p.email));

    // February, as the README's January command again: the report exists.
    const sentBefore = mock.passwordRequests().length;
    const refused = await run(['bulk', ids, '--generate', '--secrets', feb, '--base-url', mock.baseUrl], { env: token });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /ids\.report\.jsonl already exists: it is the report of an earlier run\. Give --resume .* or --report NEW\.jsonl/);
    assert.ok(!existsSync(feb), 'no secrets file made');
    assert.equal(mock.passwordRequests().length, sentBefore, 'nothing sent');

    // February with its own report, killed a third of the way.
    await killWhenReportHas(['bulk', ids, '--generate', '--secrets', feb, '--report', febReport, '--base-url', mock.baseUrl, '--rate', '40', '--concurrency', '2'], { report: febReport, lines: 20, env: token });
    const febPasswords = secrets(feb);
    assert.equal(febPasswords.size, 60);
    const doneInFeb = reportLines(febReport).filter((l) => l.ok).length;
    assert.ok(doneInFeb >= 15 && doneInFeb < 60, `killed after ${doneInFeb}`);

    // Resuming February from January's report: its ok lines set January's
    // passwords, not the ones February would set, so nobody is skipped.
    const wrong = await run(['bulk', ids, '--generate', '--secrets', feb, '--resume', idsReport, '--base-url', mock.baseUrl, '--rate', '400', '--json'], { env: token });
    assert.equal(wrong.status, 0, wrong.stderr);
    assert.equal(JSON.parse(wrong.stdout).alreadyDone, 0);
    for (const p of people) {
      assert.equal(mock.findUser(p.email).password, febPasswords.get(p.email), `${p.email} has February's password`);
      assert.notEqual(febPasswords.get(p.email), secrets(jan).get(p.email));
    }
    // The users February had already changed were recognised, not changed twice.
    for (const line of reportLines(febReport).filter((l) => l.ok)) assert.equal(mock.changesFor(line.userId), 2, line.userId);

    // February's own report: every user is done, nothing is sent.
    const sent = mock.passwordRequests().length;
    const right = await run(['bulk', ids, '--generate', '--secrets', feb, '--resume', febReport, '--base-url', mock.baseUrl, '--json'], { env: token });
    assert.equal(right.status, 0, right.stderr);
    const febSummary = JSON.parse(right.stdout);
    assert.equal(febSummary.alreadyDone, doneInFeb, 'only what February itself set counts as done');
    // The rest were set by the run resumed from January's report, which
    // appended to that report: February's still lists them as not done.
    assert.equal(mock.passwordRequests().length - sent, 60 - doneInFeb);
    for (const line of reportLines(febReport).filter((l) => l.ok)) assert.match(line.passwordCheck, /^[\w-]{22}$/);
    // The report holds no password, and each run starts with its own header.
    const text = readFileSync(febReport, 'utf8');
    for (const password of febPasswords.values()) assert.ok(!text.includes(password));
    assert.equal(reportEntries(febReport).filter((e) => e.run).length, 2);
  });

  it('--resume skips a user only when that run set the password the CSV gives now', async () => {
    const people = users(6, 'edit');
    mock.reset({ users: people, tokens: [DEMO_TOKEN] });
    const rows = people.map((p, i) => [p.email, `Edit-Run-${i}-Pass`]);
    const csv = file('edit.csv', `userId,password\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const report = join(work, 'edit.report.jsonl');
    assert.equal((await run(['bulk', csv, '--base-url', mock.baseUrl], { env: token })).status, 0);
    // The administrator changes one row and resumes: only that user is sent again.
    rows[3][1] = 'Edit-Run-3-Changed';
    writeFileSync(csv, `userId,password\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const sent = mock.passwordRequests().length;
    const resumed = await run(['bulk', csv, '--base-url', mock.baseUrl, '--resume', report, '--json'], { env: token });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(JSON.parse(resumed.stdout).alreadyDone, 5);
    assert.deepEqual(mock.passwordRequests().slice(sent).map((r) => r.userId), [people[3].email]);
    assert.equal(mock.findUser(people[3].email).password, 'Edit-Run-3-Changed');
  });

  it('Ctrl-C once: nothing new is sent, requests already out finish and are reported as they ended; exit 130', async () => {
    const people = users(20, 'sigint');
    mock.reset({ users: people, tokens: [DEMO_TOKEN] });
    // A slow server: every answer takes 1.5 s.
    mock.addFaults({ type: 'latency', ms: 1500, times: 100 });
    const csv = file('sigint.csv', `userId,password\n${people.map((p, i) => `${p.email},Sigint-${i}-Pass`).join('\n')}\n`);
    const report = join(work, 'sigint.report.jsonl');
    const { child, done } = start(['bulk', csv, '--base-url', mock.baseUrl, '--concurrency', '4', '--rate', '100'], token);
    await until(() => mock.passwordRequests().length >= 4, 'four requests in flight');
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.status, 130, result.stderr);
    assert.match(result.stderr, /nothing new is sent/);
    const requested = new Set(mock.passwordRequests().map((r) => r.userId));
    assert.equal(requested.size, 4, 'no request after Ctrl-C');
    const lines = reportLines(report);
    assert.equal(lines.length, 20);
    for (const line of lines) {
      const changed = mock.changesFor(line.userId) === 1;
      // Users Zoom changed are reported ok, never skipped; the rest skipped, never failed.
      assert.equal(line.ok, changed, JSON.stringify(line));
      assert.equal(line.skipped === true, !requested.has(line.userId), JSON.stringify(line));
    }
  });

  it('Ctrl-C twice: requests out are cut and reported "outcome": "unknown"; --resume settles them', async () => {
    const people = users(12, 'twice');
    mock.reset({ users: people, tokens: [DEMO_TOKEN] });
    mock.addFaults({ type: 'latency', ms: 1500, times: 4 });
    const csv = file('twice.csv', `userId,password\n${people.map((p, i) => `${p.email},Twice-${i}-Pass`).join('\n')}\n`);
    const report = join(work, 'twice.report.jsonl');
    const { child, done } = start(['bulk', csv, '--base-url', mock.baseUrl, '--concurrency', '4', '--rate', '100'], token);
    await until(() => mock.passwordRequests().length >= 4, 'four requests in flight');
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.status, 130, result.stderr);
    const lines = reportLines(report);
    const unknown = lines.filter((l) => l.outcome === 'unknown');
    assert.deepEqual(unknown.map((l) => l.userId).sort(), mock.passwordRequests().map((r) => r.userId).sort(), 'every user with a request out');
    for (const line of unknown) {
      assert.equal(line.ok, false);
      assert.notEqual(line.skipped, true, 'never reported as skipped');
    }
    // The server finishes the cut requests anyway (it never saw the abort).
    await until(() => unknown.every((l) => mock.changesFor(l.userId) === 1), 'the slow server to apply them');
    const resumed = await run(['bulk', csv, '--base-url', mock.baseUrl, '--resume', report, '--rate', '200'], { env: token });
    assert.equal(resumed.status, 0, resumed.stderr);
    for (const [i, p] of people.entries()) {
      assert.equal(mock.findUser(p.email).password, `Twice-${i}-Pass`);
      assert.equal(mock.changesFor(p.email), 1, `${p.email} changed once`);
    }
  });

  it('--generate without --policy follows the account policy; no password starts like a formula', async () => {
    const people = users(200, 'genpol');
    const policy = { minimum_password_length: 12, have_special_character: true, consecutive_characters_length: 4 };
    mock.reset({ users: people, tokens: [DEMO_TOKEN], policy });
    const ids = file('genpol.csv', `userId\n${people.map((p) => p.email).join('\n')}\n`);
    const out = join(work, 'genpol.secrets.csv');
    const dry = await run(['bulk', ids, '--generate', '--secrets', out, '--dry-run', '--base-url', mock.baseUrl], { env: token });
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(mock.requests.filter((r) => r.kind === 'settings').length, 1, 'the dry run read the policy too');
    const result = await run(['bulk', ids, '--generate', '--secrets', out, '--base-url', mock.baseUrl, '--rate', '400', '--concurrency', '8'], { env: token });
    assert.equal(result.status, 0, result.stderr);
    const kinds = mock.requests.map((r) => r.kind);
    assert.ok(kinds.lastIndexOf('settings') < kinds.indexOf('password'), 'the policy was read before any change');
    for (const [userId, password] of secrets(out)) {
      assert.ok(api.validatePassword(password, policy).valid, `${userId}: passes the account's policy`);
      assert.match(password, /[^A-Za-z0-9]/, 'a special character, as the account requires');
      assert.doesNotMatch(password, /^[=+\-@]/, 'no spreadsheet formula');
    }

    // A policy that cannot be read: exit 2, nothing sent, no secrets file.
    mock.reset({ users: people, tokens: { [DEMO_TOKEN]: { user: people[0].id, scopes: ['user:write:admin'] } } });
    const other = join(work, 'genpol-2.secrets.csv');
    const unreadable = await run(['bulk', ids, '--generate', '--secrets', other, '--report', join(work, 'genpol-2.jsonl'), '--base-url', mock.baseUrl], { env: token });
    assert.equal(unreadable.status, 2);
    assert.match(unreadable.stderr, /--generate follows the account's policy \(or give --policy FILE\), which could not be read: forbidden \(403, code 4700\)/);
    assert.ok(!existsSync(other));
    assert.equal(mock.passwordRequests().length, 0);
  });

  it('server-to-server credentials Zoom refuses are one configuration error before any user', async () => {
    const people = users(5, 'creds');
    mock.reset({ users: people, tokens: [DEMO_TOKEN], oauthClients: { cid: { secret: 'right-secret', accountId: 'acct' } } });
    const csv = file('creds.csv', `userId,password\n${people.map((p, i) => `${p.email},Creds-${i}-Pass`).join('\n')}\n`);
    const env = { ZOOM_ACCOUNT_ID: 'acct', ZOOM_CLIENT_ID: 'cid', ZOOM_CLIENT_SECRET: 'wrong-secret-value', ZOOM_OAUTH_BASE_URL: mock.origin };
    const result = await run(['bulk', csv, '--base-url', mock.baseUrl], { env });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Zoom refused the server-to-server credentials/);
    assert.ok(!result.stderr.includes('wrong-secret-value'));
    assert.equal(mock.passwordRequests().length, 0);
    assert.ok(!existsSync(join(work, 'creds.report.jsonl')), 'no report of a run that never started');
  });

  it('CSV cells are taken as written: whitespace, tabs and line breaks are refused, never trimmed or sent', async () => {
    mock.reset({});
    const csv = file('cells.csv', [
      'userId, password',
      'ada@example.com, Good-Pass-123x!',
      'grace@example.com,"Good\tPass-123x!"',
      'owner@example.com,"Good-Pass-123x!\n"',
      '"ada@example.com ",Other-Pass-123x!',
      '',
    ].join('\r\n'));
    const result = await run(['bulk', csv, '--base-url', mock.baseUrl, '--json', '--report', join(work, 'cells.jsonl')], { env: token });
    assert.equal(result.status, 1, result.stderr);
    const failures = JSON.parse(result.stdout).failures;
    assert.deepEqual(failures.map((f) => [f.userId, f.kind, (f.violations ?? []).map((v) => v.rule)]), [
      ['ada@example.com', 'invalid_password', ['printable']],
      ['grace@example.com', 'invalid_password', ['printable']],
      ['owner@example.com', 'invalid_password', ['printable']],
      ['ada@example.com ', 'invalid_user_id', []],
    ]);
    assert.equal(mock.passwordRequests().length, 0, 'nothing sent');
    // The dry run says the same, before anything.
    const dry = await run(['bulk', csv, '--dry-run'], { env: token });
    assert.equal(dry.status, 1);
    assert.match(dry.stderr, /4 refused/);
  });
});
