// The same generator as generatePassword, in plain JS, written only for the
// benchmark (never shipped): 64 random bytes per call to
// crypto.getRandomValues, bytes below 222 mapped onto the 74-symbol
// alphabet, whole draws the policy refuses drawn again, validated by the
// plain-JS rules (bench/plain-validate.mjs).

import { validatePassword } from './plain-validate.mjs';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%*+-=?@^_';
const ACCEPT_BELOW = 222;
const pool = new Uint8Array(64);
let used = pool.length;

export function generatePassword(policy, { length = 16 } = {}) {
  for (;;) {
    let candidate = '';
    while (candidate.length < length) {
      if (used === pool.length) {
        crypto.getRandomValues(pool);
        used = 0;
      }
      const byte = pool[used++];
      if (byte < ACCEPT_BELOW) candidate += ALPHABET[byte % ALPHABET.length];
    }
    if (validatePassword(candidate, policy).valid) return candidate;
  }
}
