// The same password rules as the wasm module, in plain JS, written only for
// the benchmark (never shipped): the baseline validatePassword is compared
// with. Same report shape, same messages' role, same definitions (README).

import { createRequire } from 'node:module';

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const KEY = new Map();
ROWS.forEach((row, r) => [...row].forEach((key, c) => KEY.set(key, r * 16 + c + 1)));

let common;
function isCommon(password) {
  if (!common) {
    const require = createRequire(import.meta.url);
    common = new Set(require('@zxcvbn-ts/language-common/src/passwords.json').map((p) => p.toLowerCase()));
  }
  return common.has(password.replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

const LETTER = /\p{Alphabetic}/u;
const UPPER = /\p{Uppercase}/u;
const LOWER = /\p{Lowercase}/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const BLANK_END = /^\s|\s$/u;

export function validatePassword(password, policy = {}) {
  const min = policy.minimum_password_length || 8;
  const n = policy.consecutive_characters_length || 0;
  let length = 0, letters = 0, digits = 0, upper = 0, lower = 0, specials = 0;
  let same = true, prev = '';
  let up = 1, down = 1, ident = 1, kf = 1, kb = 1, seq = 1, idMax = 1, kbMax = 1;
  for (const ch of password) {
    length += 1;
    if (ch >= '0' && ch <= '9') digits += 1;
    else if (LETTER.test(ch)) {
      letters += 1;
      if (UPPER.test(ch)) upper += 1;
      else if (LOWER.test(ch)) lower += 1;
    } else specials += 1;
    const c = ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch;
    if (length > 1) {
      if (c !== prev) same = false;
      const p = prev.charCodeAt(0), q = c.charCodeAt(0);
      const alike = (prev >= 'a' && prev <= 'z' && c >= 'a' && c <= 'z') || (prev >= '0' && prev <= '9' && c >= '0' && c <= '9');
      up = alike && q === p + 1 ? up + 1 : 1;
      down = alike && q === p - 1 ? down + 1 : 1;
      ident = c === prev ? ident + 1 : 1;
      const a = KEY.get(prev) ?? 0, b = KEY.get(c) ?? 0;
      kf = a && b && b === a + 1 ? kf + 1 : 1;
      kb = a && b && a === b + 1 ? kb + 1 : 1;
      seq = Math.max(seq, up, down);
      idMax = Math.max(idMax, ident);
      kbMax = Math.max(kbMax, kf, kb);
    }
    prev = c;
  }
  if (length === 0) same = false;
  const runsOk = n === 0 ? seq < 6 : seq < Math.min(n, 6) && idMax < n && kbMax < n;
  const checks = [
    { rule: 'printable', passed: !INVISIBLE.test(password) && !BLANK_END.test(password), zoomCode: null, message: 'Only visible characters' },
    { rule: 'min_length', passed: length >= min, zoomCode: 1124, message: `Have at least ${min} characters` },
    { rule: 'max_length', passed: length <= 31, zoomCode: null, message: 'Have at most 31 characters (less than 32)' },
    { rule: 'letter', passed: letters > 0, zoomCode: 1125, message: 'Have at least 1 letter (a, b, c...)' },
    { rule: 'number', passed: digits > 0, zoomCode: 1126, message: 'Have at least 1 number (1, 2, 3...)' },
    { rule: 'upper_and_lower', passed: upper > 0 && lower > 0, zoomCode: 1128, message: 'Include both Upper case and Lower case characters' },
    { rule: 'single_character', passed: !same, zoomCode: 1130, message: 'Not the same character repeated' },
    { rule: 'consecutive_characters', passed: runsOk, zoomCode: 1131, message: 'No consecutive characters' },
  ];
  if (policy.have_special_character) checks.push({ rule: 'special_character', passed: specials > 0, zoomCode: 1127, message: 'Have at least 1 special character (!, @, #...)' });
  if (policy.weak_enhance_detection) checks.push({ rule: 'weak_password', passed: !isCommon(password), zoomCode: 1136, message: 'Not a common, easy-to-guess password' });
  const violations = checks.filter((c) => !c.passed);
  return { valid: violations.length === 0, checks, violations };
}
