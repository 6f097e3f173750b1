//! The weak-password dictionary (Zoom code 1136): a Golomb-Rice coded set
//! written by `scripts/build-dictionary.mjs` (source, filter and false
//! positive rate are documented there and in the README).
//!
//! The set is decoded once, on first use, into a sorted `Vec<u32>` (about
//! 20 KB of memory) so each lookup is a binary search. Entries are the
//! 64-bit FNV-1a hash (the `fnv` crate) of the lower-cased password, mapped
//! onto `entry_count * FALSE_POSITIVE_INVERSE`.

use std::cell::Cell;
use std::hash::Hasher;

static GCS: &[u8] = include_bytes!("dictionary/common-passwords.gcs");
const HEADER_LEN: usize = 13;

/// Entries kept from the source list (the `n` of the hash range `n * P`).
pub fn entry_count() -> u32 {
    read_u32(4)
}

/// The false-positive rate is `1 / FALSE_POSITIVE_INVERSE`.
pub const FALSE_POSITIVE_INVERSE: u64 = 10_000;

fn read_u32(at: usize) -> u32 {
    match GCS.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// The decoded set, made on first use and kept for the life of the module
/// (natively, once per thread). A thread-local cell rather than a
/// `OnceLock`: the wasm module has one thread, and `OnceLock`'s `Once`
/// cost it 0.6 KB raw.
fn decoded() -> &'static [u32] {
    thread_local! {
        static VALUES: Cell<Option<&'static [u32]>> = const { Cell::new(None) };
    }
    VALUES.with(|cell| {
        cell.get().unwrap_or_else(|| {
            let values: &'static [u32] = Vec::leak(decode());
            cell.set(Some(values));
            values
        })
    })
}

/// The Golomb-Rice set as its sorted values (empty if the data is not ours).
fn decode() -> Vec<u32> {
    if GCS.get(..4) != Some(b"ZPW1".as_slice()) {
        return Vec::new();
    }
    let count = read_u32(8) as usize;
    let rice_bits = GCS.get(12).copied().unwrap_or(0) as u32;
    let mut bits = BitReader {
        bytes: GCS.get(HEADER_LEN..).unwrap_or(&[]),
        pos: 0,
    };
    let mut values = Vec::with_capacity(count);
    let mut value: u64 = 0;
    for _ in 0..count {
        let Some(quotient) = bits.unary() else { break };
        let Some(remainder) = bits.fixed(rice_bits) else {
            break;
        };
        value += (quotient << rice_bits) | remainder;
        values.push(value as u32);
    }
    values
}

struct BitReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl BitReader<'_> {
    fn bit(&mut self) -> Option<u64> {
        let byte = *self.bytes.get(self.pos >> 3)?;
        let bit = (byte >> (7 - (self.pos & 7))) & 1;
        self.pos += 1;
        Some(bit as u64)
    }

    fn unary(&mut self) -> Option<u64> {
        let mut count = 0;
        while self.bit()? == 1 {
            count += 1;
        }
        Some(count)
    }

    fn fixed(&mut self, width: u32) -> Option<u64> {
        let mut value = 0;
        for _ in 0..width {
            value = (value << 1) | self.bit()?;
        }
        Some(value)
    }
}

fn fnv1a64(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    for byte in bytes {
        hasher.write_u8(byte);
    }
    hasher.finish()
}

/// Whether `password`, ignoring ASCII case, is in the dictionary (or is one
/// of the rare false positives).
pub fn is_common_password(password: &str) -> bool {
    // Every entry is 8..=31 visible ASCII characters: anything else cannot
    // be one, and skipping it keeps false positives away from it too.
    if !(8..=31).contains(&password.len()) || !password.is_ascii() {
        return false;
    }
    let range = entry_count() as u64 * FALSE_POSITIVE_INVERSE;
    let hash = fnv1a64(password.bytes().map(|b| b.to_ascii_lowercase()));
    let value = ((hash as u128 * range as u128) >> 64) as u32;
    decoded().binary_search(&value).is_ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_value_in_order() {
        let values = decoded();
        assert_eq!(values.len(), read_u32(8) as usize);
        assert!(values.len() > 4000, "{}", values.len());
        assert!(values.windows(2).all(|w| w[0] < w[1]));
        assert!((*values.last().unwrap() as u64) < entry_count() as u64 * FALSE_POSITIVE_INVERSE);
    }

    #[test]
    fn finds_common_passwords_case_insensitively() {
        for common in [
            "password1",
            "PASSWORD1",
            "Password1",
            "trustno1",
            "1qaz2wsx",
            "Qwerty123",
            "abcd1234",
        ] {
            assert!(is_common_password(common), "{common}");
        }
    }

    #[test]
    fn entries_outside_the_kept_shape_are_never_matched() {
        for other in [
            "password",
            "123456",
            "qwerty",
            "Pass1",
            "päss wörd1",
            "a".repeat(40).as_str(),
        ] {
            assert!(!is_common_password(other), "{other}");
        }
    }

    #[test]
    fn false_positive_rate_is_near_one_in_ten_thousand() {
        // Random-looking passwords of the kept shape: at most a handful may hit.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let alphabet = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%";
        let mut hits = 0;
        let trials = 200_000;
        for _ in 0..trials {
            let mut candidate = String::with_capacity(12);
            for _ in 0..12 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                candidate.push(alphabet[(state % alphabet.len() as u64) as usize] as char);
            }
            if is_common_password(&candidate) {
                hits += 1;
            }
        }
        // Expected 20; 60 would be a rate three times the documented one.
        assert!(hits < 60, "{hits} false positives in {trials}");
    }
}
