//! Small string helpers, hand-written on purpose: `str::contains(&str)`,
//! `replace` and `split_once` with a string pattern pull in std's two-way
//! searcher and, through it, the formatting of str-slicing panics (char and
//! range `Debug`): measured in this wasm at 9.6 KB raw / 5.1 KB gzip. Every
//! haystack here is short (a message, a URL), so a plain scan does.

/// Byte offset of the first `needle` in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return Some(0);
    };
    let last_start = h.len().checked_sub(n.len())?;
    // Candidates by their first byte, then the rest compared, instead of a
    // window compared at every offset: the U+FFFD scan of each option
    // string was 1.2 us of an updatePassword call (--cpu-prof), and the
    // call went from 18.0 to 16.8 us with this (bench/hot-path.mjs).
    let mut from = 0;
    while from <= last_start {
        let at = from + h.get(from..=last_start)?.iter().position(|&b| b == first)?;
        if h.get(at + 1..at + n.len()) == Some(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `haystack` with every `needle` replaced by `with` (`needle` non-empty).
pub fn replace_all(haystack: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = find(rest, needle).filter(|_| !needle.is_empty()) {
        // `at` and `at + needle.len()` are char boundaries: a match of valid
        // UTF-8 inside valid UTF-8 starts and ends on them.
        out.push_str(rest.get(..at).unwrap_or(""));
        out.push_str(with);
        rest = rest.get(at + needle.len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The parts, joined: what `format!` would make of text-only messages,
/// without core::fmt's argument machinery at every call site: this, with
/// the report lines as a const table, took the browser module from 132,558
/// to 130,671 bytes raw; `[..].concat()` is generic and was 1.2 KB raw more
/// (twiggy).
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `n` in decimal, as text.
pub fn decimal(n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[at..].iter().map(|&d| char::from(d)).collect()
}

/// A number written only in ASCII digits (no sign, no space), `None` for
/// anything else or more than `u64` holds. The three places that read such
/// numbers each checked the digits and then called `str::parse`, whose
/// general reader (signs, radix) was 290 bytes of the module.
pub fn parse_decimal(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// `(before, after)` around the first `separator`.
pub fn split_once<'a>(text: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    let at = find(text, separator)?;
    Some((text.get(..at)?, text.get(at + separator.len()..)?))
}

/// The longest start of `text` with at most `max_chars` code points: one
/// `char_indices` walk for every cut the crate makes (a `chars().take(n)`
/// collected into a String was a generic iterator per call site).
pub fn first_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => text.get(..cut).unwrap_or(text),
        None => text,
    }
}

/// Unicode code points, without the vectorised counter `chars().count()` brings.
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn concat_and_decimal_match_format() {
        assert_eq!(concat(&["a", "", "bc", "ü"]), "abcü");
        for n in [0u64, 7, 10, 404, 65_535, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    use super::*;

    #[test]
    fn helpers_match_the_standard_library() {
        for (h, n) in [
            ("abcabc", "ca"),
            ("abc", "d"),
            ("", "a"),
            ("a", ""),
            ("ééé", "é"),
            ("x😀y", "😀y"),
            ("aaab", "aab"),
            ("abababc", "ababc"),
            ("ab", "abc"),
            ("xyz", "z"),
            ("a\u{FFFD}", "\u{FFFD}"),
        ] {
            assert_eq!(find(h, n), h.find(n), "{h} {n}");
            assert_eq!(split_once(h, n), h.split_once(n));
        }
        for (h, n, w) in [
            ("a-b-c", "-", "+"),
            ("secret and secret", "secret", "[r]"),
            ("none", "x", "y"),
            ("ééé", "é", "e"),
        ] {
            assert_eq!(replace_all(h, n, w), h.replace(n, w));
        }
        for text in ["", "abc", "é😀x", "\u{10FFFF}", "aé😀\u{10FFFF}b"] {
            for max in 0..7 {
                let taken: String = text.chars().take(max).collect();
                assert_eq!(first_chars(text, max), taken, "{text} {max}");
            }
        }
        for text in [
            "",
            "0",
            "7",
            "0042",
            "65535",
            "18446744073709551615",
            "18446744073709551616",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1a",
            "١",
            "99999999999999999999",
        ] {
            let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            let parsed = if digits_only {
                text.parse::<u64>().ok()
            } else {
                None
            };
            assert_eq!(parse_decimal(text), parsed, "{text}");
        }
        for text in ["", "abc", "é😀x", "\u{10FFFF}"] {
            assert_eq!(char_count(text), text.chars().count());
        }
    }
}
