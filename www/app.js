// The demo page's script: plain ES module, no bundler. It imports the built
// package's zoom-password/web entry, served by www/server.mjs at /pkg/.
// It never logs and never holds a token: every call goes to this server's
// password proxy (`baseUrl: '/zoom'`, createPasswordProxy), which adds the
// token it keeps; the page's session cookie goes with each request. It never
// writes the password into the page, except a generated password, shown once
// (until edited or sent) so it can be copied.
import init, * as zoomPassword from '/pkg/web.js';
import { breachCheckMessage } from '/pkg/glue-browser.js';

const form = document.getElementById('change-form');
const userId = document.getElementById('user-id');
const password = document.getElementById('new-password');
const toggle = document.getElementById('toggle-password');
const checklist = document.getElementById('checklist');
const announcement = document.getElementById('checks-announcement');
const loadPolicy = document.getElementById('load-policy');
const result = document.getElementById('result');
const submit = document.getElementById('submit');
const generate = document.getElementById('generate-password');
const generatedBox = document.getElementById('generated');
const generatedValue = document.getElementById('generated-value');
const copyGenerated = document.getElementById('copy-generated');
const copyNote = document.getElementById('copy-note');

/** The demo server's password proxy: Zoom's API has no CORS, and the token stays on the server. */
const PROXY = '/zoom';
/** The demo server's Pwned Passwords range endpoint (its mock, or a forward of the prefix). */
const rangeUrl = new URL('/range/', window.location.href).href;
/** The breach check asked for: `{ for, pending?, result?, error? }`, valid while the field holds `for`. */
let breach = null;

let policy = null;
let lastAnnounced = '';
let announceTimer;

await init();
/** The breach line's text, as the library writes it (the shared module web.js loads). */
const BREACH_MESSAGE = breachCheckMessage();

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Re-validates on every keystroke; announces a short summary, politely and once per change. */
function renderChecklist() {
  const report = zoomPassword.validatePassword(password.value, policy);
  checklist.replaceChildren(...report.checks.map((check) => element(
    'li',
    { class: check.passed ? 'pass' : 'fail', 'data-rule': check.rule },
    element('span', { class: 'mark', 'aria-hidden': 'true' }, check.passed ? '✓' : '✗'),
    element('span', { class: 'visually-hidden' }, check.passed ? 'Passed: ' : 'Not yet: '),
    check.message,
  )), breachItem());
  const failing = report.violations.length;
  const summary = password.value === ''
    ? ''
    : failing === 0 ? 'All password checks pass.' : `${failing} of ${report.checks.length} password checks not met yet.`;
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    if (summary !== lastAnnounced) {
      announcement.textContent = summary;
      lastAnnounced = summary;
    }
  }, 400);
  return report;
}

/**
 * The checklist's breach line: checked only when asked (the check sends the
 * first five hex characters of the password's SHA-1 to the range endpoint).
 */
function breachItem() {
  const state = breach && breach.for === password.value && password.value !== '' ? breach : null;
  const item = (status, mark, hidden, text, ...rest) => element('li', { class: status, 'data-rule': 'not_breached' },
    element('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
    element('span', { class: 'visually-hidden' }, hidden),
    text, ...rest);
  if (state?.result) {
    return state.result.breached
      ? item('fail', '✗', 'Not met: ', `Found in breached passwords (${state.result.count} times): choose another`)
      : item('pass', '✓', 'Passed: ', BREACH_MESSAGE);
  }
  if (state?.error) return item('fail', '✗', 'Not checked: ', `Breach check failed (${state.error}); try again`, checkButton());
  if (state?.pending) return item('unknown', '…', 'Checking: ', `${BREACH_MESSAGE}: checking…`);
  return item('unknown', '?', 'Not checked yet: ', BREACH_MESSAGE, checkButton());
}

function checkButton() {
  const button = element('button', { type: 'button', id: 'check-breach' }, 'Check');
  button.disabled = password.value === '';
  button.addEventListener('click', async () => {
    const value = password.value;
    breach = { for: value, pending: true };
    renderChecklist();
    try {
      const result = await zoomPassword.checkBreachedPassword(value, { rangeUrl });
      if (breach?.for === value) breach = { for: value, result };
    } catch (error) {
      if (breach?.for === value) breach = { for: value, error: zoomPassword.isZoomPasswordError(error) ? error.kind : 'error' };
    }
    renderChecklist();
    document.getElementById('check-breach')?.focus();
  });
  return button;
}

/** Clears the generated password from the page. */
function forgetGenerated() {
  generatedValue.textContent = '';
  copyNote.textContent = '';
  generatedBox.hidden = true;
}

function showResult(...children) {
  result.replaceChildren(...children);
}

function describeError(error) {
  const rows = [
    ['Kind', error.kind],
    ['HTTP status', error.status ?? '—'],
    ['Zoom code', error.zoomCode ?? '—'],
    ['Message', error.message],
  ];
  if (error.retryAfterMs !== null && error.retryAfterMs !== undefined) rows.push(['Retry after', `${Math.ceil(error.retryAfterMs / 1000)} s`]);
  const list = element('dl', {}, ...rows.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, String(value))]));
  const parts = [element('p', { class: 'error-title' }, `Not changed: ${error.kind}`), list];
  if (error.violations?.length) {
    parts.push(element('ul', { class: 'violations' }, ...error.violations.map((v) => element('li', {}, v.message))));
  }
  return parts;
}

toggle.addEventListener('click', () => {
  const show = password.type === 'password';
  password.type = show ? 'text' : 'password';
  toggle.setAttribute('aria-pressed', String(show));
  toggle.textContent = show ? 'Hide' : 'Show';
  toggle.setAttribute('aria-label', show ? 'Hide password' : 'Show password');
});
toggle.setAttribute('aria-label', 'Show password');

password.addEventListener('input', () => {
  forgetGenerated();
  renderChecklist();
});

generate.addEventListener('click', () => {
  try {
    const value = zoomPassword.generatePassword(policy);
    password.value = value;
    generatedValue.textContent = value;
    copyNote.textContent = '';
    generatedBox.hidden = false;
    renderChecklist();
  } catch (error) {
    showResult(...(zoomPassword.isZoomPasswordError(error) ? describeError(error) : [element('p', {}, 'Could not generate a password.')]));
  }
});

copyGenerated.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(generatedValue.textContent);
    copyNote.textContent = 'Copied to the clipboard.';
  } catch {
    // No clipboard access: select the text so the keyboard can copy it.
    window.getSelection().selectAllChildren(generatedValue);
    copyNote.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
  }
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  forgetGenerated();
  showResult(element('p', { class: 'muted' }, 'Sending…'));
  try {
    const outcome = await zoomPassword.updatePassword({
      userId: userId.value.trim(),
      password: password.value,
      baseUrl: PROXY, // no accessToken: the proxy adds the server's
      policy,
      // Refused before anything reaches Zoom when it is a breached password.
      breachCheck: { rangeUrl },
      timeoutMs: 15_000,
    });
    showResult(
      element('p', { class: 'success-title' }, `Password updated for ${outcome.userId}.`),
      element('p', {}, `Attempts: ${outcome.attempts}.${outcome.alreadySet ? ' An earlier attempt had already set it (alreadySet).' : ''}`),
    );
  } catch (error) {
    showResult(...(zoomPassword.isZoomPasswordError(error)
      ? describeError(error)
      : [element('p', { class: 'error-title' }, 'Unexpected failure'), element('p', {}, String(error?.name ?? 'Error'))]));
  } finally {
    submit.disabled = false;
  }
});

// The account-policy button appears only when the package offers it.
if (typeof zoomPassword.ZoomPasswordClient === 'function') {
  loadPolicy.hidden = false;
  loadPolicy.addEventListener('click', async () => {
    loadPolicy.disabled = true;
    try {
      const client = new zoomPassword.ZoomPasswordClient({ baseUrl: PROXY });
      policy = await client.fetchPasswordPolicy();
      const active = Object.entries(policy).filter(([, value]) => value).map(([key, value]) => `${key}: ${value}`);
      showResult(element('p', {}, active.length ? `Account policy loaded (${active.join(', ')}).` : 'Account policy loaded: only the basic rules apply.'));
      renderChecklist();
    } catch (error) {
      policy = null;
      showResult(...(zoomPassword.isZoomPasswordError(error) ? describeError(error) : [element('p', {}, 'Could not load the policy.')]));
    } finally {
      loadPolicy.disabled = false;
    }
  });
}

renderChecklist();
document.documentElement.dataset.ready = 'true';
