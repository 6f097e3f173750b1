//! `checkBreachedPassword` and `breachCheck`: the pure half of a Pwned
//! Passwords range query (k-anonymity). The bindings hash the password
//! (WebCrypto SHA-1) and send `GET {rangeUrl}{prefix}`; this module splits
//! the digest, checks the URL, and reads the answer.
//!
//! Only the prefix (five hex characters of the SHA-1) ever leaves the
//! machine: the suffix stays here and is compared with the answer's lines.

use crate::core::error::{ErrorKind, Failure, FailureData};
use crate::core::password::{Check, RuleId};
use crate::core::text::parse_decimal;

pub const DEFAULT_RANGE_URL: &str = "https://api.pwnedpasswords.com/range/";
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// Hex characters of the SHA-1 sent (the prefix) and kept (the suffix).
pub const PREFIX_LENGTH: usize = 5;
pub const SUFFIX_LENGTH: usize = 35;

/// A SHA-1 in upper-case hex, split where the range API splits it.
#[derive(Clone, PartialEq, Eq)]
pub struct HashParts {
    pub prefix: String,
    pub suffix: String,
}

/// Never prints the suffix: with the prefix it is the password's hash.
impl std::fmt::Debug for HashParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HashParts {{ prefix: {:?}, suffix: [redacted] }}",
            self.prefix
        )
    }
}

/// The 20-byte SHA-1 `digest` as prefix and suffix; `None` for another length.
pub fn split_digest(digest: &[u8]) -> Option<HashParts> {
    if digest.len() != 20 {
        return None;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut parts = HashParts {
        prefix: String::with_capacity(PREFIX_LENGTH),
        suffix: String::with_capacity(SUFFIX_LENGTH),
    };
    for (i, nibble) in digest.iter().flat_map(|b| [b >> 4, b & 15]).enumerate() {
        let target = if i < PREFIX_LENGTH {
            &mut parts.prefix
        } else {
            &mut parts.suffix
        };
        target.push(HEX[nibble as usize] as char);
    }
    Some(parts)
}

/// `rangeUrl`: `https:`, or `http:` on a loopback host (the same rules as
/// `baseUrl`: no credentials, query, fragment or dot-segments).
pub fn check_range_url(url: &str) -> Result<(), Failure> {
    crate::core::request::check_absolute_url("rangeUrl", url)
}

/// The checklist line of the `not_breached` rule: the one text the
/// library's failures, the CLI's `check` and the demo page all show.
pub const NOT_BREACHED_MESSAGE: &str = "Not in a list of breached passwords";

/// The failure for a breached password: `invalid_password` with the one
/// violation `not_breached`.
pub fn breached_failure() -> Failure {
    Failure::from(FailureData {
        violations: vec![Check::new(RuleId::NotBreached, false, NOT_BREACHED_MESSAGE)],
        ..FailureData::client(
            ErrorKind::InvalidPassword,
            "The password is in a list of breached passwords; nothing was sent.",
        )
    })
}

/// The range answer's status: a 2xx is an answer to read; 5xx is
/// `server_error`; anything else (a redirect, a 404) `unexpected_response`.
pub fn range_status(status: u16) -> Result<(), Failure> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let server_error = (500..600).contains(&status);
    let (kind, message) = if server_error {
        (
            ErrorKind::ServerError,
            "The breached-password range query failed (5xx).",
        )
    } else {
        (
            ErrorKind::UnexpectedResponse,
            "The breached-password range query got an unexpected status.",
        )
    };
    Err(Failure::from(FailureData {
        // 0: a browser's opaque redirect, which has no status to report.
        status: (status != 0).then_some(status),
        retryable: server_error,
        ..FailureData::client(kind, message)
    }))
}

/// How often a 2xx range answer's `body` lists `suffix`: 0 when it does
/// not, or lists it only as padding; `unexpected_response` when the body is
/// not in the range format.
pub fn range_count(body: &str, suffix: &str) -> Result<u64, Failure> {
    count_in_range(body, suffix).ok_or_else(|| {
        Failure::client(
            ErrorKind::UnexpectedResponse,
            "The breached-password range answer is not in the range format.",
        )
    })
}

/// Lines `SUFFIX:COUNT` (35 hex characters in either case, a decimal
/// count), ended by CRLF or LF. `None` when any line is malformed, or when
/// there is no line at all: a real answer always has hundreds, so an empty
/// one is a proxy's or a stub's, and the check fails closed.
pub fn count_in_range(body: &str, suffix: &str) -> Option<u64> {
    let mut lines = 0;
    let mut found = 0;
    for line in body.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let (hash, count) = line.split_once(':')?;
        if hash.len() != SUFFIX_LENGTH
            || !hash.bytes().all(|b| b.is_ascii_hexdigit())
            || count.len() > 19
        {
            return None;
        }
        // Every line's count is read, matched or not: a malformed one fails the answer.
        let count = parse_decimal(count)?;
        lines += 1;
        if hash.eq_ignore_ascii_case(suffix) {
            found = count;
        }
    }
    (lines > 0).then_some(found)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8.
    const PASSWORD_DIGEST: [u8; 20] = [
        0x5B, 0xAA, 0x61, 0xE4, 0xC9, 0xB9, 0x3F, 0x3F, 0x06, 0x82, 0x25, 0x0B, 0x6C, 0xF8, 0x33,
        0x1B, 0x7E, 0xE6, 0x8F, 0xD8,
    ];

    #[test]
    fn the_digest_splits_into_five_and_thirty_five_upper_hex() {
        let parts = split_digest(&PASSWORD_DIGEST).unwrap();
        assert_eq!(parts.prefix, "5BAA6");
        assert_eq!(parts.suffix, "1E4C9B93F3F0682250B6CF8331B7EE68FD8");
        assert!(split_digest(&PASSWORD_DIGEST[..19]).is_none());
        assert!(!format!("{parts:?}").contains("1E4C9B"));
    }

    #[test]
    fn the_range_format_in_either_case_and_line_ending() {
        let suffix = "1E4C9B93F3F0682250B6CF8331B7EE68FD8";
        let crlf = "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD8:52256179\r\n011053FD0102E94D6AE2F8B83D76FAF94F6:0";
        assert_eq!(count_in_range(crlf, suffix), Some(52_256_179));
        let lower_lf =
            "0018a45c4d1def81644b54ab7f969b88d65:1\n1e4c9b93f3f0682250b6cf8331b7ee68fd8:3\n";
        assert_eq!(count_in_range(lower_lf, suffix), Some(3));
        // Absent, or present only as padding (count 0): not breached.
        assert_eq!(
            count_in_range("0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n", suffix),
            Some(0)
        );
        assert_eq!(
            count_in_range("1E4C9B93F3F0682250B6CF8331B7EE68FD8:0\r\n", suffix),
            Some(0)
        );
    }

    #[test]
    fn a_malformed_answer_fails_closed() {
        let suffix = "1E4C9B93F3F0682250B6CF8331B7EE68FD8";
        for body in [
            "",
            "\r\n",
            "<html>blocked</html>",
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8",
            "1E4C9B93F3F0682250B6CF8331B7EE68FD:1",
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8:",
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8:-1",
            "1E4C9B93F3F0682250B6CF8331B7EE68FDX:1",
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8:1 ",
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8:99999999999999999999",
            "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\nnot a line",
        ] {
            assert_eq!(count_in_range(body, suffix), None, "{body:?}");
            let failure = range_count(body, suffix).unwrap_err();
            assert_eq!(failure.kind, ErrorKind::UnexpectedResponse, "{body:?}");
        }
    }

    #[test]
    fn statuses_map_to_kinds() {
        let server = range_status(503).unwrap_err();
        assert_eq!(
            (server.kind, server.status, server.retryable),
            (ErrorKind::ServerError, Some(503), true)
        );
        let other = range_status(404).unwrap_err();
        assert_eq!(
            (other.kind, other.status, other.retryable),
            (ErrorKind::UnexpectedResponse, Some(404), false)
        );
        let redirect = range_status(0).unwrap_err();
        assert_eq!(
            (redirect.kind, redirect.status),
            (ErrorKind::UnexpectedResponse, None)
        );
        assert!(range_status(200).is_ok() && range_status(204).is_ok());
        let suffix = "1E4C9B93F3F0682250B6CF8331B7EE68FD8";
        assert_eq!(
            range_count("1E4C9B93F3F0682250B6CF8331B7EE68FD8:2", suffix),
            Ok(2)
        );
    }

    #[test]
    fn range_urls_follow_the_base_url_rules() {
        for good in [
            DEFAULT_RANGE_URL,
            "http://127.0.0.1:8080/range/",
            "http://localhost/zoom/range/",
            "https://proxy.example.com/pwned/range/",
        ] {
            assert!(check_range_url(good).is_ok(), "{good}");
        }
        for bad in [
            "http://api.pwnedpasswords.com/range/",
            "ftp://127.0.0.1/range/",
            "/range/",
            "https://user:pass@example.com/range/",
            "https://example.com/range/?x=",
            "https://example.com/a/../range/",
        ] {
            let failure = check_range_url(bad).unwrap_err();
            assert_eq!(failure.kind, ErrorKind::InvalidOptions, "{bad}");
            assert_eq!(failure.field_errors[0].field, "rangeUrl");
        }
    }

    #[test]
    fn a_breach_is_invalid_password_with_not_breached() {
        let failure = breached_failure();
        assert_eq!(failure.kind, ErrorKind::InvalidPassword);
        assert_eq!(failure.violations.len(), 1);
        assert_eq!(failure.violations[0].rule, RuleId::NotBreached);
        assert!(!failure.violations[0].passed);
        assert_eq!(failure.violations[0].rule.zoom_code(), None);
    }
}
