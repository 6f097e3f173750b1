// Derives the weak-password dictionary embedded in the wasm module.
//
// Source: the `passwords` list of the npm package @zxcvbn-ts/language-common
// (MIT; pinned in package.json), itself derived from zxcvbn's frequency lists.
// Only entries that could pass Zoom's basic rules once case is ignored are
// kept: 8..31 characters, a letter and a digit, not one repeated character
// and no ascending/descending run of 6 letters or digits (those fail the
// basic rules anyway, so storing them would be waste).
//
// Storage: a Golomb-Rice coded set (GCS). Each entry is lower-cased (ASCII),
// hashed with 64-bit FNV-1a and mapped to [0, n * P); the sorted values are
// stored as Rice-coded gaps with parameter k. A password not in the list
// matches with probability about 1/P = 1/10,000 (the documented rate).
//
//   node scripts/build-dictionary.mjs          writes src/core/dictionary/common-passwords.gcs
//   node scripts/build-dictionary.mjs --check  fails if the committed file is stale

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src', 'core', 'dictionary', 'common-passwords.gcs');
export const FALSE_POSITIVE_INVERSE = 10_000;
export const RICE_BITS = 13;
const MAGIC = 'ZPW1';

function longestSequence(s) {
  let best = 1, up = 1, down = 1;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1), b = s.charCodeAt(i);
    const sameClass = (/[a-z]/.test(s[i - 1]) && /[a-z]/.test(s[i])) || (/[0-9]/.test(s[i - 1]) && /[0-9]/.test(s[i]));
    up = sameClass && b === a + 1 ? up + 1 : 1;
    down = sameClass && b === a - 1 ? down + 1 : 1;
    best = Math.max(best, up, down);
  }
  return best;
}

/** The filtered, lower-cased, sorted entries. */
export function dictionaryEntries() {
  const require = createRequire(import.meta.url);
  const source = require('@zxcvbn-ts/language-common/src/passwords.json');
  const lower = [...new Set(source.map((s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())))];
  const kept = lower.filter((s) => {
    const length = [...s].length;
    return length >= 8 && length <= 31 && /[a-z]/.test(s) && /[0-9]/.test(s)
      && !/^(.)\1*$/u.test(s) && longestSequence(s) < 6;
  });
  for (const entry of kept) {
    if (!/^[\x21-\x7e]+$/.test(entry)) throw new Error(`non-ASCII or blank entry: ${JSON.stringify(entry)}`);
  }
  return { sourceCount: source.length, entries: kept.sort() };
}

export function fnv1a64(text) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

export function encode(entries) {
  const range = BigInt(entries.length) * BigInt(FALSE_POSITIVE_INVERSE);
  const values = [...new Set(entries.map((e) => Number((fnv1a64(e) * range) >> 64n)))].sort((a, b) => a - b);
  const bits = [];
  let previous = 0;
  for (const value of values) {
    const gap = value - previous;
    previous = value;
    for (let q = Math.floor(gap / 2 ** RICE_BITS); q > 0; q--) bits.push(1);
    bits.push(0);
    for (let i = RICE_BITS - 1; i >= 0; i--) bits.push((gap >> i) & 1);
  }
  const header = Buffer.alloc(13);
  header.write(MAGIC, 0, 'ascii');
  header.writeUInt32LE(entries.length, 4);
  header.writeUInt32LE(values.length, 8);
  header.writeUInt8(RICE_BITS, 12);
  const body = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => { if (bit) body[i >> 3] |= 0x80 >> (i & 7); });
  return Buffer.concat([header, body]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { sourceCount, entries } = dictionaryEntries();
  const bytes = encode(entries);
  const summary = `dictionary: ${entries.length} of ${sourceCount} source entries kept, ${bytes.length} bytes ` +
    `(Golomb-Rice, false-positive rate 1/${FALSE_POSITIVE_INVERSE})`;
  if (process.argv.includes('--check')) {
    const committed = readFileSync(target);
    if (!committed.equals(bytes)) {
      console.error(`${target} is stale: run node scripts/build-dictionary.mjs`);
      process.exit(1);
    }
    console.log(`${summary}; committed file is current`);
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    console.log(summary);
  }
}
