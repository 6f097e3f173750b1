// The npm README's examples, as a user copies them: every ```js block of
// the installed package's README.md type-checks under `tsc --strict`
// (checkJs, against the package's own .d.ts) and runs in Node against the
// local mock, through the environment variables the examples read.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DEMO_TOKEN, defaultUsers, startZoomMock } from '../../mock/zoom-mock.mjs';
import { consumerDir, installedPackage, root } from '../helpers/consumer.mjs';

const dir = join(consumerDir, 'readme-examples');
const blocks = [...readFileSync(join(installedPackage, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const files = blocks.map((_, i) => `example-${i + 1}.mjs`);
/** The resume example's list of changes (it reads new-passwords.json), users the mock also knows. */
const journalUsers = Array.from({ length: 12 }, (_, i) => ({ id: `JournalUser${String(i).padStart(11, '0')}`, email: `journal${i}@example.com`, password: `Old-Journal-${i}-Pass` }));
const changes = journalUsers.map((u, i) => ({ userId: u.email, password: `New-Journal-${i}-Pass` }));
const journalExample = files[blocks.findIndex((code) => code.includes('onResult'))];

function runNode(file, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd: dir, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the npm README', () => {
  let mock;
  before(async () => {
    mock = await startZoomMock();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
    symlinkSync(installedPackage, join(dir, 'node_modules', 'zoom-password'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    blocks.forEach((code, i) => writeFileSync(join(dir, files[i]), code));
    writeFileSync(join(dir, 'new-passwords.json'), JSON.stringify(changes));
  });
  after(() => mock.close());

  it('shows every export at least once', () => {
    const text = blocks.join('\n');
    for (const name of ['validatePassword', 'buildRequest', 'classifyResponse', 'updatePassword', 'isZoomPasswordError', 'ZoomPasswordClient', 'fetchPasswordPolicy', 'updatePasswords', 'serverToServerTokenProvider', 'generatePassword', 'checkBreachedPassword']) {
      assert.ok(text.includes(name), name);
    }
    for (const option of ['baseUrl', 'encoding', 'validate', 'retry', 'timeoutMs', 'signal', 'policy', 'breachCheck', 'length']) {
      assert.ok(text.includes(`${option}:`), option);
    }
  });

  it('type-checks every example under tsc --strict --exactOptionalPropertyTypes', () => {
    const result = spawnSync(process.execPath, [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--exactOptionalPropertyTypes', '--allowJs', '--checkJs',
      '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', ...files,
    ], { cwd: dir, encoding: 'utf8' });
    assert.equal(`${result.stdout}${result.stderr}`.trim(), '', 'tsc found errors');
    assert.equal(result.status, 0);
  });

  it('ships every file it points to', () => {
    const readme = readFileSync(join(installedPackage, 'README.md'), 'utf8');
    const named = [...new Set(readme.match(/\b[A-Z][A-Z-]+\.md\b/g))];
    assert.ok(named.includes('SECURITY.md'), named.join(' '));
    for (const name of named) assert.ok(existsSync(join(installedPackage, name)), `${name} is in the package`);
  });

  it('runs every example against the mock', async () => {
    mock.reset({ users: [...defaultUsers(), ...journalUsers], oauthClients: { 'readme-client': { secret: 'readme-secret', accountId: 'readme-account' } } });
    rmSync(join(dir, 'new-passwords.journal.jsonl'), { force: true });
    const env = {
      ZOOM_ACCESS_TOKEN: DEMO_TOKEN,
      ZOOM_API_BASE: mock.baseUrl,
      ZOOM_OAUTH_BASE_URL: mock.origin,
      ZOOM_ACCOUNT_ID: 'readme-account',
      ZOOM_CLIENT_ID: 'readme-client',
      ZOOM_CLIENT_SECRET: 'readme-secret',
      ZOOM_RANGE_URL: `${mock.origin}/range/`,
    };
    const outputs = [];
    for (const file of files) {
      const result = await runNode(file, env);
      assert.equal(result.status, 0, `${file}: ${result.stderr}`);
      assert.equal(result.stderr, '', `${file} printed an error`);
      outputs.push(result.stdout);
    }
    const all = outputs.join('');
    assert.match(all, /false \[ 'min_length' \]/);
    assert.match(all, /changed in 1 attempt\(s\)/);
    assert.match(all, /PUT https:\/\/api\.zoom\.us\/v2\/users\/a%2Bb%40example\.com\/password/);
    assert.match(all, /rate_limited true 2000/);
    assert.match(all, /2 0 0 \[ 'ok', 'ok' \]/);
    assert.match(all, /20 true true/);
    assert.match(all, /invalid_password \[ 'not_breached' \]/);
    assert.equal(mock.rangeRequests().length, 2, 'the check, then the change');
    assert.equal(mock.findUser('ada@example.com').password, 'New-Secret-Pass-1');
    assert.equal(mock.findUser('grace@example.com').password, 'Bulk-Secret-Pass-1');
    assert.match(all, /journal: 0 done before, 12 now, 0 failed, 0 left for the next run/);
  });

  it('the resume example carries on after Ctrl-C from its journal, changing each user once', async () => {
    mock.reset({ users: journalUsers, tokens: [DEMO_TOKEN] });
    // A slow server, so Ctrl-C lands with requests out.
    mock.addFaults({ type: 'latency', ms: 400, times: 12 });
    const journal = join(dir, 'new-passwords.journal.jsonl');
    rmSync(journal, { force: true });
    const env = { ZOOM_ACCESS_TOKEN: DEMO_TOKEN, ZOOM_API_BASE: mock.baseUrl };
    const child = spawn(process.execPath, [journalExample], { cwd: dir, env: { ...process.env, ...env } });
    let first = '';
    child.stdout.on('data', (c) => { first += c; });
    const exited = new Promise((resolve) => child.on('close', resolve));
    for (let i = 0; i < 400 && !(existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 2); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    const [, before, now, , left] = first.match(/journal: (\d+) done before, (\d+) now, (\d+) failed, (\d+) left/) ?? assert.fail(first);
    assert.equal(Number(before), 0);
    assert.ok(Number(left) > 0 && Number(now) >= 2, first);
    assert.equal(mock.passwordRequests().length, Number(now), 'requests out finished; nothing new after Ctrl-C');

    const second = await runNode(journalExample, env);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`journal: ${now} done before, ${12 - Number(now)} now, 0 failed, 0 left`));
    for (const [i, user] of journalUsers.entries()) {
      assert.equal(mock.findUser(user.email).password, changes[i].password);
      assert.equal(mock.changesFor(user.email), 1, `${user.email} changed once`);
    }
    assert.ok(!readFileSync(journal, 'utf8').includes('New-Journal'), 'no password in the journal');
  });
});
