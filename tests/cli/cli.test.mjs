// The zoom-password command line from the installed tarball, as a user runs
// it: real processes, a real pseudo-terminal for the prompt, real CSV files,
// the local Zoom mock, and a kill halfway through a bulk run.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DEMO_TOKEN, startZoomMock } from '../../mock/zoom-mock.mjs';
import { BIN, killWhenReportHas, reportLines, runCli, spawnCollect, users } from '../helpers/cli.mjs';
import { installedPackage, root } from '../helpers/consumer.mjs';

const work = join(root, 'build', 'cli-test');
const run = runCli;

/** Runs the CLI in a pseudo-terminal; `answers` are [prompt, answer] pairs, in order. */
async function inTerminal(args, { answers, env = {} }) {
  const result = await spawnCollect('python3', [join(root, 'tests', 'helpers', 'pty-run.py'), ...answers.flat(), '--', process.execPath, BIN, ...args], { env });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

function csv(file, text) {
  const path = join(work, file);
  writeFileSync(path, text);
  return path;
}

describe('zoom-password CLI', () => {
  let mock;
  let token;
  before(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    mock = await startZoomMock();
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset({});
    token = { ZOOM_ACCESS_TOKEN: DEMO_TOKEN };
  });

  describe('set', () => {
    it('reads the new password from a pipe', async () => {
      const { status, stdout, stderr } = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl], { input: 'Piped-Pass-1234\n', env: token });
      assert.equal(status, 0, stderr);
      assert.match(stdout, /Password updated for ada@example\.com \(1 attempt\)\./);
      assert.equal(mock.findUser('ada@example.com').password, 'Piped-Pass-1234', 'one trailing newline dropped');
      assert.ok(!stdout.includes('Piped-Pass-1234') && !stderr.includes('Piped-Pass-1234'));
    });

    it('prompts on a terminal without echoing the password', async () => {
      const result = await inTerminal(['set', 'grace@example.com', '--base-url', mock.baseUrl], {
        answers: [['New password: ', 'Typed-Pass-5678'], ['Repeat new password: ', 'Typed-Pass-5678']], env: token,
      });
      assert.ok(result.answered, result.output);
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /New password: /);
      assert.ok(!result.output.includes('Typed-Pass-5678'), `echoed: ${result.output}`);
      assert.equal(mock.findUser('grace@example.com').password, 'Typed-Pass-5678');
    });

    it('on a terminal, refuses two passwords that differ and sends nothing', async () => {
      const result = await inTerminal(['set', 'grace@example.com', '--base-url', mock.baseUrl], {
        answers: [['New password: ', 'Typed-Pass-5678'], ['Repeat new password: ', 'Typed-Pass-5679']], env: token,
      });
      assert.ok(result.answered, result.output);
      assert.equal(result.status, 2, result.output);
      assert.match(result.output, /the two passwords typed differ; nothing was sent/);
      assert.equal(mock.passwordRequests().length, 0);
    });

    it('reads one line from a pipe: trailing blank lines dropped, a second line or a control character refused', async () => {
      const ok = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl], { input: 'Cli-Set-Pass-15\n\n', env: token });
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(mock.findUser('ada@example.com').password, 'Cli-Set-Pass-15', 'no newline kept');
      const crlf = await run(['set', 'grace@example.com', '--base-url', mock.baseUrl], { input: 'Cli-Crlf-Pass-15\r\n', env: token });
      assert.equal(crlf.status, 0, crlf.stderr);
      assert.equal(mock.findUser('grace@example.com').password, 'Cli-Crlf-Pass-15');
      mock.reset({});
      for (const [input, message] of [
        ['Cli-Set-Pass-15\nother\n', /must hold one line, the password; it holds 2 lines/],
        ['Cli-Set-Pass-15\n\nother', /it holds 3 lines/],
        ['Cli-Tab\tPass-15\n', /control character/],
        ['Cli-Set-Pass-15\r', /control character/],
      ]) {
        const refused = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl], { input, env: token });
        assert.equal(refused.status, 2, `${JSON.stringify(input)}: ${refused.stderr}`);
        assert.match(refused.stderr, message);
      }
      assert.equal(mock.passwordRequests().length, 0, 'nothing was sent');
      // check reads the same way: the stray newline is not the special character.
      const policy = csv('special.json', JSON.stringify({ have_special_character: true }));
      const check = await run(['check', '--policy', policy], { input: 'Abcdefgh12\n\n' });
      assert.equal(check.status, 1, check.stdout);
    });

    it('--version, per-command --help, and flag errors that name the flag', async () => {
      const version = await run(['--version']);
      assert.equal(version.status, 0);
      assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(installedPackage, 'package.json'), 'utf8')).version);
      const help = await run(['set', '--help']);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /^zoom-password set <userId>/);
      assert.ok(!help.stdout.includes('zoom-password bulk'), 'help for set only');
      const bad = await run(['set', 'ada@example.com', '--base-url', 'http://evil.example/v2'], { input: 'Flag-Pass-1234\n', env: token });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--base-url must be an https: URL/);
      assert.equal(mock.passwordRequests().length, 0);
    });

    it('a network failure says which host and why, in one shape, never the token', async () => {
      // A port that was just free, so nothing listens on it.
      const server = createServer();
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address();
      await new Promise((resolve) => server.close(resolve));
      const result = await run(['set', 'ada@example.com', '--base-url', `http://127.0.0.1:${port}/v2`], { input: 'Network-Pass-1234\n', env: token });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`network_error: The request to 127\\.0\\.0\\.1:${port} failed before an answer arrived: fetch failed \\(ECONNREFUSED\\)`));
      assert.ok(!result.stderr.includes(DEMO_TOKEN) && !result.stderr.includes('Network-Pass-1234'));
    });

    it('a closed pipe ends the command quietly (EPIPE)', async () => {
      for (let i = 0; i < 3; i++) {
        const result = await spawnCollect('sh', ['-c', `printf 'Abc-defgh12\\n' | "${process.execPath}" "${BIN}" check | head -1`]);
        assert.equal(result.status, 0);
        assert.doesNotMatch(result.stderr, /EPIPE|Unhandled/);
      }
    });

    it('never takes the password from argv', async () => {
      const { status, stderr } = await run(['set', 'ada@example.com', 'Argv-Pass-1234'], { env: token });
      assert.equal(status, 2);
      assert.match(stderr, /exactly one <userId>/);
    });

    it('exits 1 with the kind, status, code and message when Zoom refuses', async () => {
      const { status, stderr } = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl], { input: 'Current-Pass-7', env: token });
      assert.equal(status, 1);
      assert.match(stderr, /Not changed: password_reused \(400, code 300\): Your new password can not match the old password\./);
      const json = await run(['set', 'nobody@example.com', '--base-url', mock.baseUrl, '--json'], { input: 'Json-Pass-1234', env: token });
      assert.equal(json.status, 1);
      assert.deepEqual(JSON.parse(json.stdout).error, { kind: 'user_not_found', status: 404, zoomCode: 1001, message: 'User does not exist: nobody@example.com.', violations: [] });
    });

    it('exits 2 with a clear message when no token is configured', async () => {
      const { status, stderr } = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl], { input: 'No-Token-Pass-1' });
      assert.equal(status, 2);
      assert.match(stderr, /no Zoom credentials: set ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET/);
      const partial = await run(['set', 'ada@example.com'], { input: 'x', env: { ZOOM_ACCOUNT_ID: 'a' } });
      assert.equal(partial.status, 2);
      assert.match(partial.stderr, /needs ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET too/);
      assert.equal(mock.passwordRequests().length, 0);
    });

    it('uses server-to-server credentials from the environment, never printing the secret', async () => {
      mock.reset({ oauthClients: { cid: { secret: 'cli-secret-value', accountId: 'acct' } } });
      const env = { ZOOM_ACCOUNT_ID: 'acct', ZOOM_CLIENT_ID: 'cid', ZOOM_CLIENT_SECRET: 'cli-secret-value', ZOOM_OAUTH_BASE_URL: mock.origin };
      const ok = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl], { input: 'S2s-Cli-Pass-1', env });
      assert.equal(ok.status, 0, ok.stderr);
      const sent = mock.passwordRequests().length;
      const refused = await run(['set', 'ada@example.com', '--base-url', mock.baseUrl], { input: 'S2s-Cli-Pass-2', env: { ...env, ZOOM_CLIENT_SECRET: 'wrong-cli-secret' } });
      // Credentials Zoom refuses are a configuration error, found before any user.
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /Zoom refused the server-to-server credentials .*unauthorized \(400\): Zoom's token endpoint refused the request: Invalid client_id or client_secret/);
      assert.equal(mock.passwordRequests().length, sent, 'nothing sent');
      assert.ok(!refused.stderr.includes('wrong-cli-secret') && !refused.stdout.includes('wrong-cli-secret'));
    });

    it('--dry-run prints the request with secrets redacted and sends nothing', async () => {
      const { status, stdout } = await run(['set', 'a+b@example.com', '--dry-run', '--base-url', mock.baseUrl], { input: 'Dry-Run-Pass-1', env: token });
      assert.equal(status, 0);
      assert.match(stdout, /PUT http:\/\/127\.0\.0\.1:\d+\/v2\/users\/a%2Bb%40example\.com\/password/);
      assert.match(stdout, /Bearer \[redacted\]/);
      assert.ok(!stdout.includes('Dry-Run-Pass-1') && !stdout.includes(DEMO_TOKEN));
      assert.equal(mock.passwordRequests().length, 0);
    });
  });

  describe('check', () => {
    it('prints the checklist and exits 0 when valid, 1 when not', async () => {
      const valid = await run(['check'], { input: 'Zx9kq2Lm!' });
      assert.equal(valid.status, 0);
      assert.match(valid.stdout, /✓ Have at least 8 characters/);
      const invalid = await run(['check'], { input: 'zx9kq2lm' });
      assert.equal(invalid.status, 1);
      assert.match(invalid.stdout, /✗ Include both Upper case and Lower case characters/);
    });

    it('--policy account fetches the account policy from Zoom', async () => {
      mock.reset({ policy: { minimum_password_length: 14, have_special_character: true } });
      const weak = await run(['check', '--policy', 'account', '--base-url', mock.baseUrl], { input: 'Zx9kq2Lmwpqr7\n', env: token });
      assert.equal(weak.status, 1, weak.stderr);
      assert.match(weak.stdout, /✗ Have at least 14 characters/);
      const strong = await run(['check', '--policy', 'account', '--base-url', mock.baseUrl], { input: 'Zx9kq2Lm-Wpqr7\n', env: token });
      assert.equal(strong.status, 0, strong.stdout);
      assert.equal(mock.requests.filter((r) => r.kind === 'settings').length, 2);
      const noToken = await run(['check', '--policy', 'account', '--base-url', mock.baseUrl], { input: 'Zx9kq2Lm-Wpqr7\n' });
      assert.equal(noToken.status, 2);
    });

    it('applies a policy file, either the requirement or the whole settings answer', async () => {
      const requirement = csv('policy.json', JSON.stringify({ minimum_password_length: 12 }));
      const settings = csv('settings.json', JSON.stringify({ security: { password_requirement: { have_special_character: true } } }));
      assert.equal((await run(['check', '--policy', requirement], { input: 'Zx9kq2Lm!' })).status, 1);
      assert.equal((await run(['check', '--policy', settings], { input: 'Zx9kq2Lmw' })).status, 1);
      const json = await run(['check', '--policy', settings, '--json'], { input: 'Zx9kq2Lm!' });
      assert.equal(json.status, 0);
      assert.equal(JSON.parse(json.stdout).checks.at(-1).rule, 'special_character');
      assert.equal((await run(['check', '--policy', csv('bad.json', '{')], { input: 'x' })).status, 2);
      assert.equal((await run(['check', '--policy', csv('range.json', '{"minimum_password_length":3}')], { input: 'x' })).status, 2);
    });
  });

  describe('bulk', () => {
    it('parses quotes, commas, a BOM, CRLF and blank lines', async () => {
      const file = csv('quoted.csv', '\uFEFFuserId,password\r\n"ada@example.com","Comma,Quote""Pass1"\r\n\r\ngrace@example.com,Plain-Pass-123\r\n');
      const { status, stdout, stderr } = await run(['bulk', file, '--base-url', mock.baseUrl], { env: token });
      assert.equal(status, 0, stderr);
      assert.match(stdout, /Done: 2 ok, 0 failed, 0 skipped/);
      assert.equal(mock.findUser('ada@example.com').password, 'Comma,Quote"Pass1');
      const lines = reportLines(join(work, 'quoted.report.jsonl'));
      assert.deepEqual(lines.map((l) => [l.line, l.userId, l.ok]), [[2, 'ada@example.com', true], [4, 'grace@example.com', true]]);
      assert.ok(!readFileSync(join(work, 'quoted.report.jsonl'), 'utf8').includes('Pass'), 'no password in the report');
    });

    it('reports the line of a malformed row without starting the run', async () => {
      const cases = [
        ['unclosed.csv', 'userId,password\nada@example.com,"Open-Pass-1\n', /line 2/],
        ['columns.csv', 'userId,password\nada@example.com,Good-Pass-1\ngrace@example.com\n', /line 3/],
        ['header.csv', 'user,pass\nada@example.com,Good-Pass-1\n', /line 1 must be a header/],
        ['empty.csv', 'userId,password\nada@example.com,\n', /line 2: empty password/],
        ['dup.csv', 'userId,password\nada@example.com,Good-Pass-1\n\nADA@example.com,Good-Pass-2\n', /line 4: ADA@example\.com already appears on line 2/],
      ];
      for (const [name, text, pattern] of cases) {
        const { status, stderr } = await run(['bulk', csv(name, text), '--base-url', mock.baseUrl], { env: token });
        assert.equal(status, 2, name);
        assert.match(stderr, pattern, name);
      }
      assert.equal(mock.passwordRequests().length, 0);
    });

    it('--dry-run validates every row, names the refused ones and exits 1', async () => {
      const file = csv('dry-weak.csv', 'userId,password\nada@example.com,Dry-Bulk-Pass-1\nme,weak\n');
      const { status, stdout, stderr } = await run(['bulk', file, '--dry-run', '--base-url', mock.baseUrl]);
      assert.equal(status, 1, stderr);
      assert.match(stderr, /line 3: me: /);
      assert.match(stderr, /1 request\(s\) at 10\/s, 1 refused/);
      const [ok, weak] = stdout.trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual([ok.valid, weak.valid], [true, false]);
      assert.ok(weak.violations.some((v) => v.rule === 'min_length'));
      assert.ok(!stdout.includes('weak"') && !stderr.includes('weak,'), 'no password printed');
      assert.equal(mock.passwordRequests().length, 0);
    });

    it('--dry-run and --plan print what would be sent, redacted', async () => {
      const file = csv('dry.csv', 'userId,password\nada@example.com,Dry-Bulk-Pass-1\n');
      const { status, stdout, stderr } = await run(['bulk', file, '--dry-run', '--plan', 'pro', '--base-url', mock.baseUrl]);
      assert.equal(status, 0);
      assert.match(stderr, /1 request\(s\) at 20\/s/);
      assert.ok(!stdout.includes('Dry-Bulk-Pass-1'));
      assert.equal(JSON.parse(stdout).fields.password, '[redacted, 15 characters]');
      assert.equal((await run(['bulk', file, '--plan', 'enterprise'], { env: token })).status, 2);
    });

    it('runs 1,000 rows through 5% injected faults and every user ends correct', async () => {
      const people = users(1000, 'cli');
      mock.reset({ users: people, tokens: [DEMO_TOKEN] });
      mock.setRandomFaults({
        rate: 0.05,
        seed: 5,
        types: [{ type: 'status', status: 500 }, { type: 'html' }, { type: 'drop', apply: true }, { type: 'drop', apply: false }, { type: 'rate_limit', limit: 'qps', retryAfter: '0' }, { type: 'malformed' }],
      });
      const file = csv('thousand.csv', `userId,password\n${people.map((p, i) => `${p.email},Bulk-Cli-${i}-Pass`).join('\n')}\n`);
      const { status, stdout, stderr } = await run(['bulk', file, '--base-url', mock.baseUrl, '--rate', '400', '--concurrency', '16', '--json'], { env: token });
      mock.setRandomFaults({ rate: 0 });
      const summary = JSON.parse(stdout);
      const lines = reportLines(join(work, 'thousand.report.jsonl'));
      assert.equal(lines.length, 1000, 'one line per user');
      assert.deepEqual(new Set(lines.map((l) => l.userId)).size, 1000);
      for (const line of lines) {
        const i = line.line - 2;
        const now = mock.findUser(people[i].email).password;
        if (line.ok) assert.equal(now, `Bulk-Cli-${i}-Pass`, line.userId);
        else assert.ok(['server_error', 'network_error', 'timeout', 'rate_limited'].includes(line.error.kind), JSON.stringify(line));
      }
      assert.equal(status, summary.failed === 0 ? 0 : 1, stderr);
      assert.ok(summary.succeeded >= 995, JSON.stringify(summary));
      assert.ok(lines.some((l) => l.alreadySet), 'some lost answers reconciled');
    });

    it('survives a kill halfway: --resume finishes, and every user is changed exactly once', async () => {
      const people = users(1000, 'kill');
      mock.reset({ users: people, tokens: [DEMO_TOKEN] });
      const file = csv('kill.csv', `userId,password\n${people.map((p, i) => `${p.email},Kill-Run-${i}-Pass`).join('\n')}\n`);
      const report = join(work, 'kill.report.jsonl');
      await killWhenReportHas(['bulk', file, '--base-url', mock.baseUrl, '--rate', '200', '--concurrency', '8'], { report, lines: 400, env: token });
      const before = reportLines(report).filter((l) => l.ok).length;
      assert.ok(before >= 300 && before < 1000, `killed after ${before} users`);

      const resumed = await run(['bulk', file, '--base-url', mock.baseUrl, '--rate', '400', '--concurrency', '8', '--resume', report], { env: token });
      assert.equal(resumed.status, 0, resumed.stderr);
      assert.match(resumed.stdout, new RegExp(`already done`));
      for (const [i, person] of people.entries()) {
        assert.equal(mock.changesFor(person.email), 1, person.email);
        assert.equal(mock.findUser(person.email).password, `Kill-Run-${i}-Pass`);
      }
      const okUsers = new Set(reportLines(report).filter((l) => l.ok).map((l) => l.userId));
      assert.equal(okUsers.size, 1000);
    });

    it('shows the rate of sent requests, at most --rate, and --json lists the failures', async () => {
      const file = csv('rate.csv', `userId,password\n${['ada', 'grace', 'owner'].map((u) => `${u}@example.com,Rate-${u}-Pass-1`).join('\n')}\nnobody@example.com,Rate-Nobody-Pass-1\nme,weak\n`);
      const { status, stdout, stderr } = await run(['bulk', file, '--rate', '10', '--json', '--base-url', mock.baseUrl], { env: token });
      assert.equal(status, 1, stderr);
      const line = stderr.trim().split('\n').at(-1);
      const [, shown] = line.match(/^5\/5 done \(ok 3, failed 2\), ([\d.]+)\/s$/) ?? assert.fail(line);
      assert.ok(Number(shown) > 0 && Number(shown) <= 10, `rate shown ${shown}/s for --rate 10`);
      const summary = JSON.parse(stdout);
      assert.deepEqual(summary.failures.map((f) => [f.userId, f.kind]), [['nobody@example.com', 'user_not_found'], ['me', 'invalid_password']]);
    });

    it('shows a progress bar on a terminal', async () => {
      const file = csv('bar.csv', 'userId,password\nada@example.com,Bar-Pass-123\n');
      const result = await inTerminal(['bulk', file, '--base-url', mock.baseUrl], { answers: [['never-shown', '']], env: token });
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /\[#+\] 1\/1 \| ok 1, failed 0 \| [\d.]+\/s \| ETA /);
      assert.doesNotMatch(result.output, /\S {2}\S/, 'no double spaces');
    });
  });
});
