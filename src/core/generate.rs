//! `generatePassword`: a password the policy accepts, every character drawn
//! uniformly from [`ALPHABET`], the whole password drawn again when the
//! policy refuses it (rejection sampling). No class is forced into a
//! position, so every accepted password of a length is equally likely.
//!
//! One exception to "every password equally likely": no password starts
//! with `=`, `+`, `-` or `@` ([`FORMULA_STARTS`]), which a spreadsheet
//! opening a secrets file would run as a formula; such a draw is drawn
//! again too.
//!
//! The random bytes come from the caller (`crypto.getRandomValues` in the
//! wasm, a seeded generator in the native tests): the core has no
//! randomness of its own.

use crate::core::error::{ErrorKind, Failure};
use crate::core::password::{
    validate_password_with, LetterClasses, Policy, BASIC_MIN_LENGTH, MAX_LENGTH,
};

/// 74 symbols: `A-Z`, `a-z`, `0-9` and 12 special characters. Left out:
/// space, quotes, backslash, backtick, comma, `&`, `<`, `>`, `;`, `|` and
/// brackets, so a generated password can be pasted into a shell, a CSV
/// cell, JSON or HTML without quoting. log2(74) = 6.21 bits per character:
/// 16 characters are 99.3 bits before the policy's rejections, which remove
/// log2 of the share of draws that pass: measured over 20,000 draws for each
/// policy shape, the worst is 8 characters with special characters and
/// runs of 4 (45% pass, 1.1 bits); at 16 characters 84-90% pass (under
/// 0.3 bits).
pub const ALPHABET: &[u8; 74] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%*+-=?@^_";

pub const DEFAULT_LENGTH: usize = 16;

/// First characters a spreadsheet reads as the start of a formula (CSV
/// injection): a draw starting with one is drawn again. The first
/// character then has 70 symbols to be, 0.08 bits less than 74.
pub const FORMULA_STARTS: &[u8; 4] = b"=+-@";

/// A byte below this maps to `ALPHABET[byte % 74]`; bytes at or above it are
/// discarded, so each symbol is exactly 3 of the 222 accepted byte values.
const ACCEPT_BELOW: u8 = (256 / ALPHABET.len() * ALPHABET.len()) as u8;

/// Whole passwords drawn before giving up. With any policy at least 45% of
/// draws pass (above), so 1,000 refusals in a row (0.55^1000) mean a broken
/// random source (one that keeps answering zeros), not bad luck.
const MAX_DRAWS: u32 = 1_000;

/// The bytes asked for at once: a 31-character draw needs 36 on average
/// (13% of bytes are discarded), so one call across the boundary usually
/// serves a whole draw; the pool is refilled when it runs out.
const POOL_BYTES: usize = 64;

/// The lengths `policy` allows: max(8, its minimum) to 31.
pub fn allowed_lengths(policy: &Policy) -> std::ops::RangeInclusive<usize> {
    let min = policy.minimum_password_length.max(BASIC_MIN_LENGTH) as usize;
    min..=MAX_LENGTH
}

/// `options.length` as a JS number, checked against the policy.
pub fn length_from(value: Option<f64>, policy: &Policy) -> Result<usize, Failure> {
    let allowed = allowed_lengths(policy);
    let Some(value) = value else {
        return Ok(DEFAULT_LENGTH.max(*allowed.start()));
    };
    let length = value as usize;
    if value.fract() == 0.0 && value >= 0.0 && allowed.contains(&length) {
        Ok(length)
    } else {
        Err(Failure::invalid_options(
            "length",
            crate::core::text::concat(&[
                "length must be an integer from ",
                &crate::core::text::decimal(*allowed.start() as u64),
                " to ",
                &crate::core::text::decimal(*allowed.end() as u64),
                " for this policy.",
            ]),
        ))
    }
}

/// A password of `length` characters that `validate_password(_, policy)`
/// accepts. `fill` writes random bytes into the buffer it is given;
/// `classes` are the validation's (the alphabet is ASCII, so it is never
/// asked, but the check is the very one `validatePassword` makes).
pub fn generate_password(
    policy: &Policy,
    length: usize,
    fill: &mut dyn FnMut(&mut [u8]) -> Result<(), Failure>,
    classes: &dyn LetterClasses,
) -> Result<String, Failure> {
    length_from(Some(length as f64), policy)?;
    let mut pool = [0u8; POOL_BYTES];
    let mut used = POOL_BYTES;
    let mut candidate = String::with_capacity(length);
    for _ in 0..MAX_DRAWS {
        candidate.clear();
        while candidate.len() < length {
            if used == POOL_BYTES {
                fill(&mut pool)?;
                used = 0;
            }
            let byte = pool[used];
            used += 1;
            if byte < ACCEPT_BELOW {
                candidate.push(ALPHABET[(byte % ALPHABET.len() as u8) as usize] as char);
            }
        }
        let formula = candidate
            .bytes()
            .next()
            .is_some_and(|first| FORMULA_STARTS.contains(&first));
        if !formula && validate_password_with(&candidate, policy, classes).valid() {
            // Wipe what the pool still holds of this password's bytes.
            pool.fill(0);
            return Ok(candidate);
        }
    }
    // A source that keeps giving unusable bytes (a stub answering zeros) is
    // a broken runtime, not a transient fault.
    Err(Failure::client(
        ErrorKind::UnsupportedEnvironment,
        "crypto.getRandomValues gave no usable password in 1000 draws.",
    ))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::password::{validate_password, StdClasses};
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const FULL_POLICY: Policy = Policy {
        minimum_password_length: 14,
        have_special_character: true,
        consecutive_characters_length: 4,
        weak_enhance_detection: true,
    };

    fn seeded(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), Failure> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        move |buffer: &mut [u8]| {
            rng.fill_bytes(buffer);
            Ok(())
        }
    }

    #[test]
    fn the_alphabet_is_printable_ascii_without_space_or_repeats() {
        assert!(ALPHABET.len() >= 64);
        for (i, c) in ALPHABET.iter().enumerate() {
            assert!(c.is_ascii_graphic(), "{c}");
            assert!(!ALPHABET[i + 1..].contains(c), "{} twice", *c as char);
        }
        for class in [
            |c: &u8| c.is_ascii_uppercase(),
            |c: &u8| c.is_ascii_lowercase(),
            |c: &u8| c.is_ascii_digit(),
            |c: &u8| !c.is_ascii_alphanumeric(),
        ] {
            assert!(ALPHABET.iter().any(class));
        }
        assert_eq!(ACCEPT_BELOW, 222);
    }

    #[test]
    fn a_seeded_source_gives_fixed_passwords() {
        let mut fill = seeded(7);
        let first = generate_password(&Policy::BASIC, 16, &mut fill, &StdClasses).unwrap();
        let second = generate_password(&Policy::BASIC, 16, &mut fill, &StdClasses).unwrap();
        assert_eq!(first, "n++j0Jbo6pHu#PBr");
        assert_eq!(second, "5UPSA7DTtl^0^%ke");
        let mut again = seeded(7);
        assert_eq!(
            generate_password(&Policy::BASIC, 16, &mut again, &StdClasses).unwrap(),
            first
        );
    }

    #[test]
    fn ten_thousand_draws_all_pass_the_full_policy() {
        let mut fill = seeded(1);
        for length in [14, 16, 31] {
            for _ in 0..10_000 / 3 + 1 {
                let password =
                    generate_password(&FULL_POLICY, length, &mut fill, &StdClasses).unwrap();
                assert_eq!(password.len(), length);
                let report = validate_password(&password, &FULL_POLICY);
                assert!(
                    report.valid(),
                    "{password}: {:?}",
                    report.violations().collect::<Vec<_>>()
                );
            }
        }
    }

    /// Pearson's chi-square over the symbols of many raw draws (the basic
    /// policy refuses about 1 in 6, which tilts the classes a little: the
    /// bound is for the symbols within each class, where every symbol is
    /// treated alike by the rules up to the rare run and dictionary hits).
    #[test]
    fn characters_are_uniform_within_each_class() {
        let mut fill = seeded(42);
        let mut counts = [0u64; 128];
        for _ in 0..20_000 {
            let password = generate_password(&Policy::BASIC, 16, &mut fill, &StdClasses).unwrap();
            // The first character is never one of FORMULA_STARTS (tested
            // below), which tilts its class on purpose: count the others.
            for b in password.bytes().skip(1) {
                counts[b as usize] += 1;
            }
        }
        let classes: [fn(&u8) -> bool; 4] = [
            |c| c.is_ascii_uppercase(),
            |c| c.is_ascii_lowercase(),
            |c| c.is_ascii_digit(),
            |c| !c.is_ascii_alphanumeric(),
        ];
        for class in classes {
            let members: Vec<u8> = ALPHABET.iter().copied().filter(class).collect();
            let total: u64 = members.iter().map(|&c| counts[c as usize]).sum();
            let expected = total as f64 / members.len() as f64;
            let chi_square: f64 = members
                .iter()
                .map(|&c| (counts[c as usize] as f64 - expected).powi(2) / expected)
                .sum();
            // The 99.9th percentile of chi-square with 25 degrees of freedom
            // is 52.6 (11 df: 31.3; 9 df: 27.9). The seed is fixed, so this
            // never flakes; a biased mapping (a % 74 over all 256 bytes) fails it.
            let bound = match members.len() - 1 {
                25 => 52.6,
                11 => 31.3,
                9 => 27.9,
                df => panic!("no bound for {df} degrees of freedom"),
            };
            assert!(
                chi_square < bound,
                "class of {:?}: chi-square {chi_square}",
                members[0] as char
            );
        }
    }

    #[test]
    fn no_password_starts_like_a_spreadsheet_formula() {
        let mut fill = seeded(3);
        let mut firsts = [0u32; 128];
        for _ in 0..20_000 {
            let password = generate_password(&Policy::BASIC, 8, &mut fill, &StdClasses).unwrap();
            firsts[password.as_bytes()[0] as usize] += 1;
        }
        for &c in FORMULA_STARTS {
            assert_eq!(firsts[c as usize], 0, "{}", c as char);
        }
        // Every other symbol still starts some: about 285 each of 20,000.
        for &c in ALPHABET.iter().filter(|c| !FORMULA_STARTS.contains(c)) {
            assert!(
                firsts[c as usize] > 150,
                "{} starts {}",
                c as char,
                firsts[c as usize]
            );
        }
    }

    #[test]
    fn lengths_follow_the_policy() {
        assert_eq!(length_from(None, &Policy::BASIC).unwrap(), 16);
        assert_eq!(length_from(Some(8.0), &Policy::BASIC).unwrap(), 8);
        assert_eq!(length_from(Some(31.0), &Policy::BASIC).unwrap(), 31);
        for bad in [7.0, 32.0, 12.5, -1.0, f64::NAN, f64::INFINITY] {
            let failure = length_from(Some(bad), &Policy::BASIC).unwrap_err();
            assert_eq!(failure.kind, ErrorKind::InvalidOptions);
            assert_eq!(
                failure.message,
                "length must be an integer from 8 to 31 for this policy."
            );
        }
        let failure = length_from(Some(12.0), &FULL_POLICY).unwrap_err();
        assert_eq!(
            failure.message,
            "length must be an integer from 14 to 31 for this policy."
        );
        assert!(generate_password(&FULL_POLICY, 12, &mut seeded(1), &StdClasses).is_err());
    }

    #[test]
    fn a_broken_source_ends_with_an_error_not_a_hang() {
        let mut zeros = |buffer: &mut [u8]| {
            buffer.fill(0);
            Ok(())
        };
        let failure = generate_password(&Policy::BASIC, 16, &mut zeros, &StdClasses).unwrap_err();
        assert_eq!(failure.kind, ErrorKind::UnsupportedEnvironment);
        assert!(!failure.retryable);
        let mut broken = |_: &mut [u8]| {
            Err(Failure::client(
                ErrorKind::UnsupportedEnvironment,
                "no crypto",
            ))
        };
        let failure = generate_password(&Policy::BASIC, 16, &mut broken, &StdClasses).unwrap_err();
        assert_eq!(failure.message, "no crypto");
    }
}
