// Zoom's password rules as the local mock enforces them, written in JS
// independently of the Rust core (different structure, regular expressions,
// its own keyboard table), so that agreement tests between the two compare
// two implementations, not one with itself.
//
// checkPassword returns the first rule Zoom would refuse with, as
// { code, message }, or null when the password is accepted.

import { createRequire } from 'node:module';

const KEY_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const ALPHABETS = ['abcdefghijklmnopqrstuvwxyz', '0123456789'];

let commonPasswords;
function isCommon(password) {
  if (!commonPasswords) {
    const require = createRequire(import.meta.url);
    const list = require('@zxcvbn-ts/language-common/src/passwords.json');
    commonPasswords = new Set(list.map((p) => p.toLowerCase()));
  }
  return commonPasswords.has(password.replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

/** Does `text` (ASCII-lowercased) contain `length` consecutive characters of `sequence`, forwards or backwards? */
function containsWalk(text, sequence, length) {
  const reversed = [...sequence].reverse().join('');
  for (const line of [sequence, reversed]) {
    for (let start = 0; start + length <= line.length; start++) {
      if (text.includes(line.slice(start, start + length))) return true;
    }
  }
  return false;
}

function hasRepeat(chars, length) {
  let run = 1;
  for (let i = 1; i < chars.length; i++) {
    run = chars[i] === chars[i - 1] ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

/**
 * @param {string} password
 * @param {{minimum_password_length?: number, have_special_character?: boolean,
 *          consecutive_characters_length?: number, weak_enhance_detection?: boolean}} policy
 */
export function checkPassword(password, policy = {}) {
  const chars = Array.from(password);
  const folded = password.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const foldedChars = Array.from(folded);
  const minimum = policy.minimum_password_length || 8;

  if (chars.length < minimum) return { code: 1124, message: `Have at least ${minimum} characters` };
  if (chars.length > 31) {
    return { code: 300, message: 'Validation Failed.', errors: [{ field: 'password', message: 'Password should be less than 32 characters.' }] };
  }
  if (!/\p{Alphabetic}/u.test(password)) return { code: 1125, message: 'Have at least 1 letter (a, b, c...)' };
  if (!/[0-9]/.test(password)) return { code: 1126, message: 'Have at least 1 number (1, 2, 3...)' };
  if (policy.have_special_character && !/[^\p{Alphabetic}0-9]/u.test(password)) {
    return { code: 1127, message: 'Have at least 1 special character (!, @, #...)' };
  }
  if (!/\p{Uppercase}/u.test(password) || !/\p{Lowercase}/u.test(password)) {
    return { code: 1128, message: 'Include both Upper case and Lower case characters' };
  }
  if (foldedChars.every((c) => c === foldedChars[0])) return { code: 1130, message: "Password can't use the same character." };

  const continuation = { code: 1131, message: "Password can't use continuation character.Such as 'abcdef','123456'." };
  const n = policy.consecutive_characters_length || 0;
  const sequenceLimit = n ? Math.min(n, 6) : 6;
  if (ALPHABETS.some((alphabet) => containsWalk(folded, alphabet, sequenceLimit))) return continuation;
  if (n && (KEY_ROWS.some((row) => containsWalk(folded, row, n)) || hasRepeat(foldedChars, n))) return continuation;

  if (policy.weak_enhance_detection && isCommon(password)) {
    return { code: 1136, message: 'Your password is too easy to guess. Try another one.' };
  }
  return null;
}
