// The demo page in headless Chromium against the real demo server (npm
// start's server: the package's password proxy in front of a local Zoom
// mock). The page holds no token: every call goes through the proxy with
// the page's demo session cookie. Assertions are on the page's text; a
// screenshot of each state goes to test-output/demo/.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startDemoServer } from '../../www/server.mjs';
import { launchChromium } from '../helpers/chromium.mjs';
import { root } from '../helpers/consumer.mjs';

const shots = join(root, 'test-output', 'demo');
const TOKEN = 'demo-token-0123456789';
const GOOD_PASSWORD = 'Demo-Valid-Pass-42';

describe('demo page', () => {
  let demo;
  let browser;
  const consoleLines = [];
  const pageTexts = [];

  before(async () => {
    mkdirSync(shots, { recursive: true });
    demo = await startDemoServer({ port: 0 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  beforeEach(() => demo.mock.reset({}));

  /** Headers of every request the page made. */
  const pageRequests = [];

  async function open(width = 1280, server = demo) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
    page.on('request', (request) => pageRequests.push({ url: request.url(), headers: request.headers() }));
    await page.goto(server.url);
    await page.waitForSelector('html[data-ready="true"]');
    return page;
  }

  /** A demo server of its own, with the mock's policy set from the start (the proxy keeps the account's policy for 10 minutes). */
  async function withDemo(mockOptions, run) {
    const own = await startDemoServer({ port: 0, mockOptions });
    try {
      await run(own);
    } finally {
      await own.close();
    }
  }

  async function fill(page, { userId = 'ada@example.com', password = GOOD_PASSWORD } = {}) {
    await page.getByLabel('User ID', { exact: true }).fill(userId);
    await page.getByLabel('New password', { exact: true }).fill(password);
  }

  async function submitAndRead(page, name) {
    await page.getByRole('button', { name: 'Update password', exact: true }).click();
    const status = page.getByRole('status');
    await page.waitForFunction(() => !document.querySelector('[role="status"]').textContent.includes('Sending'));
    const text = await status.innerText();
    pageTexts.push(await page.locator('body').innerText());
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    return text;
  }

  it('has the labelled form, no token field, and one polite live region', async () => {
    const page = await open();
    for (const label of ['User ID', 'New password']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
    }
    assert.equal(await page.getByLabel('Access token', { exact: true }).count(), 0, 'the token lives on the server');
    assert.equal(await page.locator('input').count(), 2);
    assert.equal(await page.getByLabel('User ID', { exact: true }).inputValue(), 'me');
    assert.equal(await page.getByLabel('New password', { exact: true }).getAttribute('type'), 'password');
    assert.equal(await page.locator('[aria-live]').count(), 1, 'one live region');
    assert.equal(await page.locator('[aria-live]').getAttribute('aria-live'), 'polite');
    await page.close();
  });

  it('loads the account policy through the proxy and re-validates with it', () => withDemo({ policy: { minimum_password_length: 12, have_special_character: true } }, async (own) => {
    const page = await open(1280, own);
    await fill(page, { password: 'Zx9kq2Lmwp' });
    assert.equal(await page.locator('#checklist li.fail').count(), 0, 'valid under the basic rules');
    await page.getByRole('button', { name: 'Load account policy' }).click();
    await page.getByRole('status').getByText('Account policy loaded').waitFor();
    const checklist = await page.locator('#checklist').innerText();
    assert.match(checklist, /Have at least 12 characters/);
    assert.match(checklist, /Have at least 1 special character/);
    assert.equal(await page.locator('#checklist li.fail').count(), 2);
    const text = await submitAndRead(page, 'policy-violations');
    assert.match(text, /invalid_password/);
    assert.equal(own.mock.passwordRequests().length, 0, 'nothing reached the mock');
    await page.close();
  }));

  it('shows failing checks as you type, and sends nothing for a weak password', async () => {
    const page = await open();
    await fill(page, { password: 'weak' });
    const checklist = await page.locator('#checklist').innerText();
    assert.match(checklist, /Have at least 8 characters/);
    assert.equal(await page.locator('#checklist li.fail').count(), 3, 'min_length, number, upper_and_lower');
    await page.waitForFunction(() => document.querySelector('[aria-live]').textContent.includes('not met'));
    const text = await submitAndRead(page, 'weak-password');
    assert.match(text, /invalid_password/);
    assert.match(text, /Have at least 1 number/);
    assert.equal(demo.mock.passwordRequests().length, 0, 'nothing reached the mock');
    await page.getByLabel('New password', { exact: true }).fill(GOOD_PASSWORD);
    assert.equal(await page.locator('#checklist li.fail').count(), 0);
    await page.waitForFunction(() => document.querySelector('[aria-live]').textContent === 'All password checks pass.');
    await page.close();
  });

  it('changes the password of an existing user through the proxy, with no token in the page', async () => {
    const page = await open();
    pageRequests.length = 0;
    await fill(page);
    const text = await submitAndRead(page, 'success');
    assert.match(text, /Password updated for ada@example\.com\./);
    assert.match(text, /Attempts: 1\./);
    assert.equal(demo.mock.findUser('ada@example.com').password, GOOD_PASSWORD);
    const [sent] = demo.mock.passwordRequests();
    assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`, 'the server added its token');
    assert.equal(sent.headers.cookie, undefined, 'the page\'s cookie went no further than the proxy');
    const put = pageRequests.find((r) => r.url.endsWith('/zoom/users/ada%40example.com/password'));
    assert.ok(put, 'the page called the proxy');
    assert.equal(put.headers.authorization, undefined, 'the page sent no token');
    assert.ok(pageRequests.every((r) => new URL(r.url).origin === new URL(demo.url).origin), 'only its own origin');
    await page.close();
  });

  it('refuses a page without a demo session (the application\'s authorize): forbidden, nothing sent', async () => {
    const page = await open();
    await page.context().clearCookies();
    await fill(page);
    const text = await submitAndRead(page, 'no-session');
    for (const pattern of [/forbidden/, /403/, /Not authorized to do this for this user\./]) assert.match(text, pattern);
    assert.equal(demo.mock.passwordRequests().length, 0);
    await page.close();
  });

  for (const [name, input, expected] of [
    ['user-not-found', { userId: 'nobody@example.com' }, [/user_not_found/, /404/, /1001/, /User does not exist: nobody@example\.com\./]],
    ['password-reused', { password: 'Current-Pass-7' }, [/password_reused/, /400/, /300/, /can not match the old password/]],
  ]) {
    it(`shows ${name} with its kind, status, Zoom code and message`, async () => {
      const page = await open();
      await fill(page, input);
      const text = await submitAndRead(page, name);
      for (const pattern of expected) assert.match(text, pattern);
      await page.close();
    });
  }

  it('works with the keyboard alone, including the show/hide toggle', async () => {
    const page = await open();
    await page.keyboard.press('Tab'); // User ID
    await page.keyboard.press('Control+A');
    await page.keyboard.type('grace@example.com');
    await page.keyboard.press('Tab'); // New password
    await page.keyboard.type('Keyboard-Only-Pass-7');
    await page.keyboard.press('Tab'); // Show
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel('New password', { exact: true }).getAttribute('type'), 'text');
    assert.equal(await page.getByRole('button', { name: 'Hide password' }).getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel('New password', { exact: true }).getAttribute('type'), 'password');
    await page.keyboard.press('Tab'); // Generate
    await page.keyboard.press('Tab'); // the breach line's Check
    assert.equal(await page.evaluate(() => document.activeElement.id), 'check-breach');
    await page.keyboard.press('Tab'); // Update password
    assert.equal(await page.evaluate(() => document.activeElement.id), 'submit');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Password updated for grace@example.com.').waitFor();
    await page.screenshot({ path: join(shots, 'keyboard-only.png'), fullPage: true });
    await page.close();
  });

  it('Generate fills a policy-valid password, shows it once and copies it', () => withDemo({ policy: { minimum_password_length: 14, have_special_character: true, consecutive_characters_length: 4 } }, async (own) => {
    const page = await open(1280, own);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(own.url).origin });
    await fill(page, { password: '' });
    await page.getByRole('button', { name: 'Load account policy' }).click();
    await page.getByRole('status').getByText('Account policy loaded').waitFor();
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const field = page.getByLabel('New password', { exact: true });
    const generated = await field.inputValue();
    assert.equal(generated.length, 16);
    assert.match(generated, /^[A-Za-z0-9!#$%*+\-=?@^_]{16}$/);
    assert.equal(await page.locator('#checklist li.fail').count(), 0, 'passes the loaded policy');
    assert.match(await page.locator('#checklist').innerText(), /Have at least 14 characters/);
    assert.ok(await page.locator('#generated').isVisible(), 'shown');
    assert.equal(await page.locator('#generated-value').innerText(), generated);
    await page.screenshot({ path: join(shots, 'generated.png'), fullPage: true });
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), generated);
    // Shown once: editing the field clears it from the page.
    await field.press('End');
    await field.press('Backspace');
    assert.ok(!(await page.locator('#generated').isVisible()), 'hidden after an edit');
    assert.ok(!(await page.locator('body').innerText()).includes(generated.slice(0, 15)), 'gone from the page text');
    // A second one is different, and sending clears it too.
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const second = await field.inputValue();
    assert.notEqual(second, generated);
    const text = await submitAndRead(page, 'generated-sent');
    assert.match(text, /Password updated for ada@example\.com\./);
    assert.equal(own.mock.findUser('ada@example.com').password, second);
    assert.ok(!(await page.locator('body').innerText()).includes(second), 'not left in the page after sending');
    await page.close();
  }));

  it('checks the breach line on request, against the demo server\'s range endpoint', async () => {
    const page = await open();
    await fill(page, { password: 'Password123' });
    const line = page.locator('#checklist li[data-rule="not_breached"]');
    assert.match(await line.innerText(), /Not in a list of breached passwords/);
    assert.equal(await line.getAttribute('class'), 'unknown', 'not checked until asked');
    assert.equal(demo.mock.rangeRequests().length, 0, 'typing sends nothing');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.locator('#checklist li[data-rule="not_breached"].fail').waitFor();
    assert.match(await line.innerText(), /Found in breached passwords \(251682 times\)/);
    await page.screenshot({ path: join(shots, 'breached.png'), fullPage: true });
    assert.deepEqual(demo.mock.rangeRequests().map((r) => r.path), ['/range/B2E98'], 'only the prefix left');
    const sent = await submitAndRead(page, 'breached-refused');
    assert.match(sent, /invalid_password/);
    assert.match(sent, /Not in a list of breached passwords/);
    assert.equal(demo.mock.passwordRequests().length, 0, 'a breached password never reaches Zoom');
    await page.getByLabel('New password', { exact: true }).fill(GOOD_PASSWORD);
    assert.equal(await line.getAttribute('class'), 'unknown', 'a new password is unchecked again');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.locator('#checklist li[data-rule="not_breached"].pass').waitFor();
    demo.mock.addRangeFaults({ type: 'status', status: 503 });
    await page.getByLabel('New password', { exact: true }).fill(`${GOOD_PASSWORD}x`);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.locator('#checklist li[data-rule="not_breached"].fail').waitFor();
    assert.match(await line.innerText(), /Breach check failed \(server_error\)/);
    await page.close();
  });

  for (const width of [360, 1280]) {
    it(`fits a ${width} px wide window without horizontal scrolling`, async () => {
      const page = await open(width);
      await fill(page, { password: 'weak' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0);
      for (const label of ['User ID', 'New password']) {
        const box = await page.getByLabel(label, { exact: true }).boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= width, `${label} inside the viewport`);
      }
      await page.screenshot({ path: join(shots, `layout-${width}.png`), fullPage: true });
      await page.close();
    });
  }

  it('never shows the password or the token in the page text or the console', () => {
    assert.ok(pageTexts.length >= 5, 'pages were read');
    for (const text of [...pageTexts, ...consoleLines]) {
      for (const secret of [TOKEN, GOOD_PASSWORD, 'Current-Pass-7', 'Keyboard-Only-Pass-7', 'not-the-demo-token']) {
        assert.ok(!text.includes(secret), `a secret appeared in: ${text.slice(0, 120)}`);
      }
    }
  });
});
