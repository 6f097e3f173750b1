//! The one failure type of the core. Every client-side check and every
//! response class ends up here; the bindings turn it into a JS `Error` in one
//! place (`bindings::errors`).

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::core::password::Check;

/// What went wrong, as the public `kind` string says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    PasswordReused,
    ChangeLimitReached,
    PasswordRejected,
    NotPermitted,
    UserNotFound,
    AccountNotFound,
    Unauthorized,
    Forbidden,
    RateLimited,
    ServerError,
    UnexpectedResponse,
    InvalidPassword,
    InvalidUserId,
    InvalidOptions,
    NetworkError,
    Timeout,
    Aborted,
    /// The runtime lacks what the call needs (`fetch`, `FormData`,
    /// `AbortController`, `crypto`): nothing was sent, and trying again here
    /// will not help.
    UnsupportedEnvironment,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 18] = [
        ErrorKind::PasswordReused,
        ErrorKind::ChangeLimitReached,
        ErrorKind::PasswordRejected,
        ErrorKind::NotPermitted,
        ErrorKind::UserNotFound,
        ErrorKind::AccountNotFound,
        ErrorKind::Unauthorized,
        ErrorKind::Forbidden,
        ErrorKind::RateLimited,
        ErrorKind::ServerError,
        ErrorKind::UnexpectedResponse,
        ErrorKind::InvalidPassword,
        ErrorKind::InvalidUserId,
        ErrorKind::InvalidOptions,
        ErrorKind::NetworkError,
        ErrorKind::Timeout,
        ErrorKind::Aborted,
        ErrorKind::UnsupportedEnvironment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::PasswordReused => "password_reused",
            ErrorKind::ChangeLimitReached => "change_limit_reached",
            ErrorKind::PasswordRejected => "password_rejected",
            ErrorKind::NotPermitted => "not_permitted",
            ErrorKind::UserNotFound => "user_not_found",
            ErrorKind::AccountNotFound => "account_not_found",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::ServerError => "server_error",
            ErrorKind::UnexpectedResponse => "unexpected_response",
            ErrorKind::InvalidPassword => "invalid_password",
            ErrorKind::InvalidUserId => "invalid_user_id",
            ErrorKind::InvalidOptions => "invalid_options",
            ErrorKind::NetworkError => "network_error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::UnsupportedEnvironment => "unsupported_environment",
        }
    }

    /// The request never reached a definite answer: the change may or may not
    /// have been applied by the server.
    pub fn outcome_unknown(self) -> bool {
        matches!(
            self,
            ErrorKind::NetworkError | ErrorKind::Timeout | ErrorKind::ServerError
        )
    }
}

impl Serialize for ErrorKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// `X-RateLimit-Type`, or what the 429 message says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimitType {
    Qps,
    Daily,
}

impl RateLimitType {
    pub fn as_str(self) -> &'static str {
        match self {
            RateLimitType::Qps => "qps",
            RateLimitType::Daily => "daily",
        }
    }
}

impl Serialize for RateLimitType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One entry of Zoom's `errors[]`, or the option a client-side check refused.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub message: Cow<'static, str>,
}

/// A failed outcome: the `{ ok: false, ... }` Outcome and the fields of a
/// `ZoomPasswordError`. It never holds the password or the token: messages
/// are either static text or the server's words after `redacted`.
///
/// Behind a pointer, so a `Result<T, Failure>` is one pointer wide: every
/// `?` on the error path then moves a pointer instead of 80 bytes, which
/// made the wasm 13.6 KB raw (4.1 KB gzip) smaller here. An `Rc`, not a
/// `Box`: a failure never changes after it is made, so a copy (a bulk run's
/// shared range query, an error a token function rethrows) can share it.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure(pub std::rc::Rc<FailureData>);

impl std::ops::Deref for Failure {
    type Target = FailureData;
    fn deref(&self) -> &FailureData {
        &self.0
    }
}

impl From<FailureData> for Failure {
    fn from(data: FailureData) -> Failure {
        Failure(std::rc::Rc::new(data))
    }
}

/// The fields of a [`Failure`].
#[derive(Clone, Debug, PartialEq)]
pub struct FailureData {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    pub zoom_code: Option<u32>,
    pub message: Cow<'static, str>,
    pub retryable: bool,
    pub retry_after_ms: Option<u64>,
    pub rate_limit_type: Option<RateLimitType>,
    pub field_errors: Vec<FieldError>,
    pub violations: Vec<Check>,
}

impl FailureData {
    /// The fields of a failure found before or without an HTTP answer, for
    /// struct-update syntax where a constructor below does not fit:
    /// `FailureData { status: Some(401), ..FailureData::client(kind, text) }`.
    pub fn client(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> FailureData {
        FailureData {
            kind,
            status: None,
            zoom_code: None,
            message: message.into(),
            retryable: matches!(kind, ErrorKind::NetworkError | ErrorKind::Timeout),
            retry_after_ms: None,
            rate_limit_type: None,
            field_errors: Vec::new(),
            violations: Vec::new(),
        }
    }
}

// A `Failure` is whole at birth: the constructors below, or
// `Failure::from(FailureData { .. })`, take everything it carries, and there
// is no `DerefMut`, so no field is written after it is made.
impl Failure {
    /// A failure found before or without an HTTP answer.
    pub fn client(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Failure {
        Failure::from(FailureData::client(kind, message))
    }

    /// A refused option: the message says what is wrong and `fieldErrors`
    /// names the option, so callers can point at it without parsing text.
    pub fn option(
        kind: ErrorKind,
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Failure {
        option_failure(kind, field.into(), message.into())
    }

    pub fn invalid_options(
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Failure {
        Failure::option(ErrorKind::InvalidOptions, field, message)
    }
}

/// `Failure::option`'s body, once: generic over its arguments, it was
/// compiled once per pair of argument types (0.4 KB raw of the browser
/// module, by twiggy).
fn option_failure(
    kind: ErrorKind,
    field: Cow<'static, str>,
    message: Cow<'static, str>,
) -> Failure {
    Failure::from(FailureData {
        field_errors: vec![FieldError {
            field,
            message: message.clone(),
        }],
        ..FailureData::client(kind, message)
    })
}

/// The fields a failure has in both its JS forms (an Outcome, a
/// `ZoomPasswordError`), in camelCase; `message` is left to the caller (an
/// `Error` keeps it as its own, non-enumerable property).
pub fn serialize_failure_fields<S: SerializeStruct>(
    state: &mut S,
    failure: &Failure,
) -> Result<(), S::Error> {
    state.serialize_field("kind", &failure.kind)?;
    state.serialize_field("status", &failure.status)?;
    state.serialize_field("zoomCode", &failure.zoom_code)?;
    state.serialize_field("retryable", &failure.retryable)?;
    // As a JS number, which it is (the core caps it at 2^53 - 1): serde-wasm-
    // bindgen's u64 path formats an out-of-range error message, and with it
    // core::fmt's u64 printing and format! (0.3 KB gzip of the browser
    // module: 128,223 to 127,570 bytes raw, 62,180 to 61,889 gzip).
    state.serialize_field("retryAfterMs", &failure.retry_after_ms.map(|ms| ms as f64))?;
    state.serialize_field("rateLimitType", &failure.rate_limit_type)?;
    state.serialize_field("fieldErrors", &failure.field_errors)?;
    state.serialize_field("violations", &failure.violations)
}

pub const REDACTED: &str = "[redacted]";

/// `text` with every occurrence of each secret replaced by `[redacted]`.
/// Server and platform text is the only text not written by this crate, and
/// a proxy or a buggy server may echo the request back: it passes through
/// here before it becomes part of a failure.
pub fn redacted<'a>(mut text: Cow<'a, str>, secrets: &[&str]) -> Cow<'a, str> {
    for secret in secrets {
        if !secret.is_empty() && crate::core::text::contains(&text, secret) {
            text = Cow::Owned(crate::core::text::replace_all(&text, secret, REDACTED));
        }
    }
    text
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.as_str())?;
        f.write_str(": ")?;
        f.write_str(&self.message)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_distinct_snake_case_names() {
        let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        for (i, a) in names.iter().enumerate() {
            assert!(a.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{a}");
            for b in &names[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn redacted_removes_every_secret() {
        let text = redacted(
            Cow::Borrowed("echo: Secret1! and tok.en and Secret1!"),
            &["Secret1!", "tok.en", ""],
        );
        assert_eq!(text, "echo: [redacted] and [redacted] and [redacted]");
        assert!(matches!(
            redacted(Cow::Borrowed("nothing here"), &["Secret1!"]),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn an_option_failure_names_its_field_with_its_message() {
        let failure = Failure::invalid_options("timeoutMs", "timeoutMs must be a number.");
        assert_eq!(failure.kind, ErrorKind::InvalidOptions);
        assert_eq!(failure.message, "timeoutMs must be a number.");
        assert_eq!(
            failure.field_errors,
            vec![FieldError {
                field: Cow::Borrowed("timeoutMs"),
                message: Cow::Borrowed("timeoutMs must be a number."),
            }]
        );
    }
}
