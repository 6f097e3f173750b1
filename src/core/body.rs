//! What an answer's body says. The JSON itself is parsed by the platform
//! (`JSON.parse` in the wasm, `serde_json` in the native tests): this module
//! only reads the parsed tree, leniently, because a body may be anything.
//!
//! - A Zoom error body is `{ code, message, errors?: [{ field, message }] }`;
//!   a field of the wrong type is ignored rather than failing the whole body,
//!   `code` may be written as a number or a string of digits, and server text
//!   is cut to [`MAX_MESSAGE_CHARS`].
//! - A body that is not JSON may still be worth showing: a short single line
//!   of plain text from a proxy ("Service Unavailable"), never HTML.
//! - The token endpoint answers `{ access_token, expires_in }`, or refuses
//!   with `{ reason, error }`.

use std::borrow::Cow;

use crate::core::error::FieldError;
use crate::core::text::{concat, first_chars, parse_decimal};

/// Server text is kept to this many characters in messages.
pub const MAX_MESSAGE_CHARS: usize = 500;
/// At most this many `errors[]` entries are kept.
pub const MAX_FIELD_ERRORS: usize = 20;
/// Plain-text bodies longer than this are not shown.
const MAX_TEXT_LINE_CHARS: usize = 200;

/// A parsed JSON value, read the way the core needs: `JSON.parse`'s result
/// in the wasm (`bindings::body`), `serde_json::Value` in native tests.
pub trait JsonTree: Sized {
    /// The member `key` of an object; `None` for anything else.
    fn member(&self, key: &'static str) -> Option<Self>;
    /// The value if it is a string.
    fn text(&self) -> Option<String>;
    /// The value if it is a number.
    fn number(&self) -> Option<f64>;
    /// The elements if it is an array, at most `limit` of them.
    fn elements(&self, limit: usize) -> Option<Vec<Self>>;
}

/// A non-negative integer that fits in `u32`, written as a number (`1001`,
/// `1001.0`) or as a string of digits (`"1001"`).
fn whole_u32<J: JsonTree>(value: &J) -> Option<u32> {
    if let Some(number) = value.number() {
        return (number >= 0.0 && number <= u32::MAX as f64 && number.fract() == 0.0)
            .then_some(number as u32);
    }
    u32::try_from(parse_decimal(&value.text()?)?).ok()
}

/// `text`, cut to [`MAX_MESSAGE_CHARS`] characters (with "..." when cut).
pub fn truncate(text: &str) -> String {
    let kept = first_chars(text, MAX_MESSAGE_CHARS);
    if kept.len() == text.len() {
        return text.to_owned();
    }
    concat(&[kept, "..."])
}

/// Parses `text` with `parse` when it looks like a JSON object.
fn parse_object<J: JsonTree>(text: &str, parse: &dyn Fn(&str) -> Option<J>) -> Option<J> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        parse(trimmed)
    } else {
        None
    }
}

/// What an error body says, whatever shape it has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZoomBody {
    pub code: Option<u32>,
    /// Zoom's `message`, trimmed, never empty, cut to `MAX_MESSAGE_CHARS`.
    pub message: Option<String>,
    pub field_errors: Vec<FieldError>,
    /// For a body that is not a JSON object: a short single line of plain text.
    pub text_line: Option<String>,
}

impl ZoomBody {
    /// Reads `text`; `parse` is the platform's JSON parser (`dyn`, so each
    /// JSON type is compiled once whatever the caller's closure).
    pub fn read<J: JsonTree>(text: &str, parse: &dyn Fn(&str) -> Option<J>) -> ZoomBody {
        let Some(value) = parse_object(text, parse) else {
            return ZoomBody {
                text_line: plain_text_line(text),
                ..ZoomBody::default()
            };
        };
        let message = value
            .member("message")
            .and_then(|m| m.text())
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .map(|m| truncate(&m));
        let field_errors = value
            .member("errors")
            .and_then(|errors| errors.elements(MAX_FIELD_ERRORS * 4))
            .unwrap_or_default()
            .iter()
            .filter_map(|entry| {
                Some(FieldError {
                    field: Cow::Owned(truncate(&entry.member("field")?.text()?)),
                    message: Cow::Owned(truncate(&entry.member("message")?.text()?)),
                })
            })
            .take(MAX_FIELD_ERRORS)
            .collect();
        ZoomBody {
            code: value.member("code").as_ref().and_then(whole_u32),
            message,
            field_errors,
            text_line: None,
        }
    }
}

/// Plain text from a proxy ("Bad Gateway") is worth showing; HTML and long
/// or multi-line text is not.
fn plain_text_line(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let shown = !trimmed.is_empty()
        && !trimmed.starts_with('<')
        && !trimmed.starts_with('{')
        && crate::core::text::char_count(trimmed) <= MAX_TEXT_LINE_CHARS
        && !trimmed.chars().any(char::is_control);
    shown.then(|| trimmed.to_owned())
}

/// The token endpoint's answer, read leniently.
#[derive(Clone, Default, PartialEq)]
pub struct TokenAnswer {
    pub access_token: Option<String>,
    pub expires_in_seconds: Option<u32>,
    /// A refusal's `reason` and `error` code.
    pub reason: Option<String>,
    pub error: Option<String>,
}

impl std::fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenAnswer")
            .field(
                "access_token",
                &self
                    .access_token
                    .as_ref()
                    .map(|_| crate::core::error::REDACTED),
            )
            .field("expires_in_seconds", &self.expires_in_seconds)
            .field("reason", &self.reason)
            .field("error", &self.error)
            .finish()
    }
}

impl TokenAnswer {
    pub fn read<J: JsonTree>(text: &str, parse: &dyn Fn(&str) -> Option<J>) -> TokenAnswer {
        let Some(value) = parse_object(text, parse) else {
            return TokenAnswer::default();
        };
        let text_of = |key| value.member(key).and_then(|v| v.text());
        TokenAnswer {
            access_token: text_of("access_token"),
            expires_in_seconds: value.member("expires_in").as_ref().and_then(whole_u32),
            reason: text_of("reason"),
            error: text_of("error"),
        }
    }
}

/// Outside the wasm the core reads JSON with `serde_json`: native Rust
/// callers, the tests of every body rule, the property tests and the fuzzers.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::JsonTree;

    /// The parser to pass to [`super::ZoomBody::read`] and [`super::TokenAnswer::read`].
    pub fn parse(text: &str) -> Option<serde_json::Value> {
        serde_json::from_str(text).ok()
    }

    impl JsonTree for serde_json::Value {
        fn member(&self, key: &'static str) -> Option<Self> {
            self.as_object()?.get(key).cloned()
        }
        fn text(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn elements(&self, limit: usize) -> Option<Vec<Self>> {
            Some(self.as_array()?.iter().take(limit).cloned().collect())
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::native::parse;
    use super::*;

    fn body(text: &str) -> ZoomBody {
        ZoomBody::read(text, &parse)
    }

    #[test]
    fn zoom_bodies() {
        let read = body(
            r#" {"code":300,"message":" Validation Failed. ","errors":[{"field":"password","message":"Invalid field."},{"bad":1},7]} "#,
        );
        assert_eq!(read.code, Some(300));
        assert_eq!(read.message.as_deref(), Some("Validation Failed."));
        assert_eq!(read.field_errors.len(), 1);
        assert_eq!(read.field_errors[0].field, "password");
        assert_eq!(read.text_line, None);
    }

    #[test]
    fn codes_as_numbers_or_digit_strings() {
        for (text, code) in [
            (r#"{"code":1001}"#, Some(1001)),
            (r#"{"code":1001.0}"#, Some(1001)),
            (r#"{"code":"1001"}"#, Some(1001)),
            (r#"{"code":"+1001"}"#, None),
            (r#"{"code":-1}"#, None),
            (r#"{"code":1.5}"#, None),
            (r#"{"code":4294967296}"#, None),
            (r#"{"code":"99999999999"}"#, None),
            (r#"{"code":true}"#, None),
            (r#"{"code":null}"#, None),
        ] {
            assert_eq!(body(text).code, code, "{text}");
        }
    }

    #[test]
    fn wrong_types_are_ignored_not_fatal() {
        let read = body(r#"{"code":true,"message":7,"errors":"no"}"#);
        assert_eq!(read, ZoomBody::default());
        let read = body(r#"{"code":300,"message":""}"#);
        assert_eq!((read.code, read.message), (Some(300), None));
    }

    #[test]
    fn errors_are_bounded() {
        let many: Vec<String> = (0..100)
            .map(|i| format!(r#"{{"field":"f{i}","message":"m"}}"#))
            .collect();
        let read = body(&format!(r#"{{"code":300,"errors":[{}]}}"#, many.join(",")));
        assert_eq!(read.field_errors.len(), MAX_FIELD_ERRORS);
        let long = "x".repeat(10_000);
        let read = body(&format!(r#"{{"message":"{long}"}}"#));
        assert_eq!(read.message.unwrap().chars().count(), MAX_MESSAGE_CHARS + 3);
    }

    #[test]
    fn plain_text_lines_but_never_markup() {
        assert_eq!(
            body("Service Unavailable\n").text_line.as_deref(),
            Some("Service Unavailable")
        );
        for hidden in [
            "",
            "<html><body>Bad Gateway</body></html>",
            "two\nlines",
            "{\"code\":300,\"message\":",
        ] {
            assert_eq!(body(hidden).text_line, None, "{hidden:?}");
        }
        assert_eq!(body(&"y".repeat(300)).text_line, None);
        assert_eq!(body("[1,2]").text_line.as_deref(), Some("[1,2]"));
        assert_eq!(body("[1,2]").code, None);
    }

    #[test]
    fn token_answers() {
        let grant = TokenAnswer::read(
            r#"{"access_token":"tok","token_type":"bearer","expires_in":3599}"#,
            &parse,
        );
        assert_eq!(grant.access_token.as_deref(), Some("tok"));
        assert_eq!(grant.expires_in_seconds, Some(3599));
        assert!(!format!("{grant:?}").contains("tok\""));
        let refused = TokenAnswer::read(
            r#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
            &parse,
        );
        assert_eq!(refused.error.as_deref(), Some("invalid_client"));
        assert_eq!(TokenAnswer::read("<html>", &parse), TokenAnswer::default());
    }
}
