// The account policy through the installed package: fetchPasswordPolicy,
// pre-validation with a policy, and agreement between the client's rules
// (Rust, in wasm) and the mock's rules (written independently in JS) on
// 2,000 generated passwords under several policies.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';

import { checkPassword } from '../../mock/password-rules.mjs';
import { DEMO_TOKEN, startZoomMock } from '../../mock/zoom-mock.mjs';
import { loadEntry } from '../helpers/consumer.mjs';

const POLICIES = [
  {},
  { minimum_password_length: 12 },
  { have_special_character: true },
  { consecutive_characters_length: 4 },
  { consecutive_characters_length: 6, weak_enhance_detection: true },
  { minimum_password_length: 10, have_special_character: true, consecutive_characters_length: 5, weak_enhance_detection: true },
];

/** Deterministic passwords that hit every rule's edges (mulberry32). */
function generatePasswords(count, seed) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (items) => items[Math.floor(random() * items.length)];
  const pieces = [
    () => pick('abcdefghijklmnopqrstuvwxyz'),
    () => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    () => pick('0123456789'),
    () => pick('!@#$%^&*()-_ .,'),
    () => pick(['é', 'Ж', 'ß', 'ñ', 'Ω', 'ж']),
    () => pick(['😀', '€', '中']),
    // Runs the rules look for, of lengths around every threshold.
    () => { const s = pick(['abcdefghij', '0123456789', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890']); const n = 3 + Math.floor(random() * 6); const start = Math.floor(random() * (s.length - n + 1)); const run = s.slice(start, start + n); return random() < 0.3 ? [...run].reverse().join('') : run; },
    () => pick('aZ9!').repeat(2 + Math.floor(random() * 7)),
  ];
  const require = createRequire(import.meta.url);
  const common = require('@zxcvbn-ts/language-common/src/passwords.json').filter((p) => p.length >= 8 && /[a-z]/.test(p) && /\d/.test(p)).slice(0, 300);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.1) {
      // A common password, sometimes with its case changed.
      const word = pick(common);
      out.push(random() < 0.5 ? word : word[0].toUpperCase() + word.slice(1));
      continue;
    }
    const length = 4 + Math.floor(random() * 32);
    let text = '';
    while ([...text].length < length) text += pick(pieces)();
    // Spaces inside only: one at either end fails the client's own
    // `printable` rule, which Zoom (and so the mock) does not have.
    out.push([...text].slice(0, length).join('').replace(/^ | $/g, '_'));
  }
  return out;
}

describe('account policy', () => {
  let api;
  let mock;

  before(async () => {
    api = await loadEntry('import');
    mock = await startZoomMock();
  });
  after(() => mock.close());
  beforeEach(() => mock.reset({}));

  it('fetchPasswordPolicy returns password_requirement as Zoom sends it', async () => {
    mock.reset({ policy: { minimum_password_length: 12, have_special_character: true, consecutive_characters_length: 5, weak_enhance_detection: true } });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    assert.deepEqual(await client.fetchPasswordPolicy(), {
      minimum_password_length: 12, have_special_character: true, consecutive_characters_length: 5, weak_enhance_detection: true,
    });
    const [request] = mock.requests.filter((r) => r.kind === 'settings');
    assert.equal(request.rawPath, '/v2/accounts/me/settings');
    assert.deepEqual(request.query, { option: 'security' });
    assert.equal(request.headers.authorization, `Bearer ${DEMO_TOKEN}`);
  });

  it('a free account resolves to {} so only the basic rules apply', async () => {
    mock.reset({ plan: 'free' });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const policy = await client.fetchPasswordPolicy('me');
    assert.deepEqual(policy, {});
    assert.equal(api.validatePassword('Zx9kq2Lm', policy).checks.length, 8);
  });

  it('other failures reject with the usual kinds', async () => {
    const client = new api.ZoomPasswordClient({ accessToken: 'expired-or-wrong', baseUrl: mock.baseUrl });
    await assert.rejects(client.fetchPasswordPolicy(), (e) => e.kind === 'unauthorized' && e.status === 401);
    const good = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    // Zoom's code 2001 names the account: account_not_found, whatever the status.
    await assert.rejects(good.fetchPasswordPolicy('someone-else'), (e) => e.kind === 'account_not_found' && e.status === 404 && e.zoomCode === 2001 && /Account does not exist/.test(e.message));
    await assert.rejects(good.fetchPasswordPolicy('..'), (e) => e.kind === 'invalid_options' && e.fieldErrors[0].field === 'accountId');
    await assert.rejects(good.fetchPasswordPolicy(42), (e) => e.kind === 'invalid_options');
  });

  it('reads password_requirement under security or at the top level, and never turns an odd answer into {}', async () => {
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    mock.reset({ policy: { have_special_character: true }, settingsShape: 'top-level' });
    assert.equal((await client.fetchPasswordPolicy()).have_special_character, true, 'top level');
    for (const shape of ['no-requirement', 'requirement-not-object', 'not-json', 'empty-200']) {
      mock.reset({ policy: { have_special_character: true }, settingsShape: shape });
      await assert.rejects(client.fetchPasswordPolicy(), (e) => e.kind === 'unexpected_response', shape);
    }
  });

  it('updatePassword pre-validates with the policy and sends nothing when it fails', async () => {
    mock.reset({ policy: { minimum_password_length: 14, have_special_character: true } });
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const policy = await client.fetchPasswordPolicy();
    await assert.rejects(client.updatePassword('ada@example.com', 'Zx9kq2Lmwpqr', { policy }), (e) => {
      assert.equal(e.kind, 'invalid_password');
      assert.deepEqual(e.violations.map((v) => v.rule), ['min_length', 'special_character']);
      return true;
    });
    await assert.rejects(api.updatePassword({ userId: 'ada@example.com', password: 'Zx9kq2Lmwpqr', accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl, policy }), (e) => e.kind === 'invalid_password');
    assert.equal(mock.passwordRequests().length, 0);
    assert.deepEqual(await client.updatePassword('ada@example.com', 'Zx9kq2Lmwpqr!@', { policy }), { userId: 'ada@example.com', attempts: 1, alreadySet: false });
  });

  it('out-of-range policy values are invalid_options naming the field; extra fields are ignored', () => {
    for (const [policy, field] of [
      [{ minimum_password_length: 7 }, 'minimum_password_length'],
      [{ minimum_password_length: 15 }, 'minimum_password_length'],
      [{ consecutive_characters_length: 3 }, 'consecutive_characters_length'],
      [{ consecutive_characters_length: 9 }, 'consecutive_characters_length'],
      [{ have_special_character: 'yes' }, 'have_special_character'],
    ]) {
      assert.throws(() => api.validatePassword('Zx9kq2Lm', policy), (e) => e.kind === 'invalid_options' && e.fieldErrors[0].field === field);
    }
    assert.equal(api.validatePassword('Zx9kq2Lm', { minimum_password_length: 0, unknown_field: 3, sign_in_with_two_factor_auth: 'all' }).valid, true);
  });

  it('agrees with the independently written mock rules on 2,000 passwords under several policies', () => {
    const passwords = generatePasswords(2000, 20261129);
    const disagreements = [];
    let invalid = 0;
    for (const password of passwords) {
      for (const policy of POLICIES) {
        const report = api.validatePassword(password, policy);
        const refused = checkPassword(password, policy);
        if (report.valid !== (refused === null)) {
          disagreements.push({ password, policy, client: report.violations.map((v) => v.rule), mock: refused?.code });
          continue;
        }
        if (refused) {
          invalid += 1;
          // The code Zoom would answer is one of the rules the client names.
          const codes = report.violations.map((v) => v.zoomCode ?? 300);
          if (!codes.includes(refused.code)) disagreements.push({ password, policy, client: codes, mock: refused.code });
        }
      }
    }
    assert.deepEqual(disagreements.slice(0, 10), []);
    // The generator exercises both verdicts plenty.
    assert.ok(invalid > 2000 && invalid < 2000 * POLICIES.length - 1000, `${invalid} refusals`);
  });

  it('the mock server refuses what the client refuses, with the matching code', async () => {
    const passwords = generatePasswords(200, 7);
    const policy = POLICIES.at(-1);
    mock.reset({ policy, historySize: 0 });
    for (const [i, password] of passwords.entries()) {
      const report = api.validatePassword(password, policy);
      const outcome = await api.updatePassword({
        userId: 'grace@example.com', password, accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl, validate: false, retry: false,
      }).then(() => null, (e) => e);
      if (report.valid) {
        // Accepted, or refused only as the current password.
        assert.ok(outcome === null || outcome.kind === 'password_reused', `#${i}: ${outcome?.message}`);
      } else {
        assert.ok(outcome && ['password_rejected'].includes(outcome.kind), `#${i} should be refused`);
        assert.ok(report.violations.some((v) => (v.zoomCode ?? 300) === outcome.zoomCode), `#${i}: code ${outcome.zoomCode}`);
        assert.deepEqual(outcome.violations.map((v) => v.rule), outcome.zoomCode === 300 ? [] : [report.violations.find((v) => v.zoomCode === outcome.zoomCode).rule]);
      }
    }
  });
});
