//! Turning any HTTP answer into one typed outcome, as the README's table of
//! error kinds says.
//! The body has already been read by [`ZoomBody::read`] (which never fails:
//! empty, plain text, a proxy's HTML or garbage all become a `ZoomBody`).

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::core::body::ZoomBody;
use crate::core::error::{
    redacted, serialize_failure_fields, ErrorKind, Failure, FailureData, FieldError, RateLimitType,
};
use crate::core::password::{Check, RuleId};
use crate::core::retry_after::parse_retry_after;
use crate::core::text::contains;

/// The parts of a response the classification looks at.
#[derive(Clone, Copy, Debug)]
pub struct HttpResponse<'a> {
    pub status: u16,
    pub body: &'a ZoomBody,
    pub retry_after: Option<&'a str>,
    pub rate_limit_type: Option<&'a str>,
}

/// `Ok(())` for 2xx; otherwise the failure. `now_ms` (Unix epoch) turns a
/// dated `Retry-After` into a delay.
pub fn classify_response(response: &HttpResponse<'_>, now_ms: u64) -> Result<(), Failure> {
    classify_sent_response(response, now_ms, &[])
}

/// [`classify_response`] for an answer to a request that carried `secrets`
/// (the password, the token): they are cut from the server's text (a proxy
/// or a buggy server may echo the request back) before the failure is made.
pub fn classify_sent_response(
    response: &HttpResponse<'_>,
    now_ms: u64,
    secrets: &[&str],
) -> Result<(), Failure> {
    let status = response.status;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let body = response.body;
    let code = body.code;
    let lower_message = body
        .message
        .as_deref()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();

    let kind = match (status, code) {
        // A code that names one meaning wins over the status: Zoom has
        // answered "User not found on this account" (1010) with a 400.
        (_, Some(1001 | 1010)) => ErrorKind::UserNotFound,
        // "Account does not exist" (the account settings call, on a 404).
        (_, Some(2001)) => ErrorKind::AccountNotFound,
        (_, Some(124)) => ErrorKind::Unauthorized,
        (_, Some(4700)) => ErrorKind::Forbidden,
        (400, Some(300)) if contains(&lower_message, "old password") => ErrorKind::PasswordReused,
        (400, Some(300)) if contains(&lower_message, "maximum number of times") => {
            ErrorKind::ChangeLimitReached
        }
        (400, Some(1129)) => ErrorKind::PasswordReused,
        (400, Some(300 | 1124..=1128 | 1130 | 1131 | 1136)) => ErrorKind::PasswordRejected,
        (400, Some(1117 | 1123)) => ErrorKind::NotPermitted,
        (401, _) => ErrorKind::Unauthorized,
        (403, _) => ErrorKind::Forbidden,
        (404, _) => ErrorKind::UserNotFound,
        (429, _) => ErrorKind::RateLimited,
        (500..=599, _) => ErrorKind::ServerError,
        _ => ErrorKind::UnexpectedResponse,
    };

    // The server's text, with the secrets cut out before it is kept.
    let message = redacted(
        match &body.message {
            Some(message) => Cow::Borrowed(message.as_str()),
            None => Cow::Owned(fallback_message(status, body.text_line.as_deref())),
        },
        secrets,
    )
    .into_owned();
    let field_errors = body
        .field_errors
        .iter()
        .map(|field_error| FieldError {
            field: redacted(field_error.field.clone(), secrets),
            message: redacted(field_error.message.clone(), secrets),
        })
        .collect();
    let mut retry_after_ms = response
        .retry_after
        .and_then(|value| parse_retry_after(value, now_ms));
    let mut rate_limit_type = None;
    let mut violations = Vec::new();
    let retryable = match kind {
        ErrorKind::RateLimited => {
            rate_limit_type = limit_type_of(response.rate_limit_type, &lower_message);
            if rate_limit_type == Some(RateLimitType::Daily) && retry_after_ms.is_none() {
                // "You may resume these requests at GMT 00:00:00."
                retry_after_ms = Some(until_next_utc_midnight(now_ms));
            }
            match rate_limit_type {
                Some(RateLimitType::Qps) => true,
                Some(RateLimitType::Daily) => false,
                None => retry_after_ms.is_some(),
            }
        }
        ErrorKind::ServerError => true,
        ErrorKind::PasswordRejected => {
            if let Some(rule) = code.and_then(RuleId::from_zoom_code) {
                violations.push(Check {
                    rule,
                    passed: false,
                    message: Cow::Owned(message.clone()),
                });
            }
            false
        }
        _ => false,
    };
    Err(Failure::from(FailureData {
        kind,
        status: Some(status),
        zoom_code: code,
        message: Cow::Owned(message),
        retryable,
        retry_after_ms,
        rate_limit_type,
        field_errors,
        violations,
    }))
}

/// Zoom's answer to a paid-only setting on a free account: HTTP 400 with
/// code 200 "Only available for paid accounts."
pub fn paid_accounts_only(failure: &Failure) -> bool {
    failure.status == Some(400) && failure.zoom_code == Some(200)
}

fn limit_type_of(header: Option<&str>, lower_message: &str) -> Option<RateLimitType> {
    let header = header.map(str::to_ascii_lowercase).unwrap_or_default();
    if contains(&header, "daily") {
        Some(RateLimitType::Daily)
    } else if contains(&header, "qps") || contains(&header, "second") {
        Some(RateLimitType::Qps)
    } else if contains(lower_message, "daily") {
        Some(RateLimitType::Daily)
    } else if contains(lower_message, "per-second") || contains(lower_message, "per second") {
        Some(RateLimitType::Qps)
    } else {
        None
    }
}

const DAY_MS: u64 = 86_400_000;

fn until_next_utc_midnight(now_ms: u64) -> u64 {
    DAY_MS - now_ms % DAY_MS
}

fn fallback_message(status: u16, text_line: Option<&str>) -> String {
    let status_text = crate::core::text::decimal(u64::from(status));
    let rest = match text_line {
        Some(text) => return crate::core::text::concat(&["HTTP ", &status_text, ": ", text]),
        None if status == 0 => " (an opaque redirect, which is not followed)",
        None if (300..400).contains(&status) => " redirect, which is not followed",
        None => " without a Zoom error message",
    };
    crate::core::text::concat(&["HTTP ", &status_text, rest])
}

/// `classifyResponse`'s Outcome: `{ ok: true }`, or `{ ok: false, kind,
/// status, zoomCode, retryable, retryAfterMs, rateLimitType, fieldErrors,
/// violations, message }`.
pub struct Outcome<'a>(pub Option<&'a Failure>);

impl Serialize for Outcome<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => {
                let mut state = serializer.serialize_struct("Outcome", 1)?;
                state.serialize_field("ok", &true)?;
                state.end()
            }
            Some(failure) => {
                let mut state = serializer.serialize_struct("Outcome", 10)?;
                state.serialize_field("ok", &false)?;
                serialize_failure_fields(&mut state, failure)?;
                state.serialize_field("message", &failure.message)?;
                state.end()
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::body::native::parse;
    use crate::core::body::MAX_MESSAGE_CHARS;

    const NOW: u64 = 1_590_883_199_000; // one second before 2020-05-31T00:00:00Z

    fn answer(
        status: u16,
        body: &str,
        retry_after: Option<&str>,
        rate_limit_type: Option<&str>,
    ) -> Result<(), Failure> {
        let body = ZoomBody::read(body, &parse);
        classify_response(
            &HttpResponse {
                status,
                body: &body,
                retry_after,
                rate_limit_type,
            },
            NOW,
        )
    }

    fn classify(status: u16, body: &str) -> Result<(), Failure> {
        answer(status, body, None, None)
    }

    fn kind(status: u16, body: &str) -> &'static str {
        match classify(status, body) {
            Ok(()) => "ok",
            Err(failure) => failure.kind.as_str(),
        }
    }

    fn zoom(code: u32, message: &str) -> String {
        serde_json::json!({ "code": code, "message": message }).to_string()
    }

    #[test]
    fn success_statuses() {
        assert_eq!(kind(204, ""), "ok");
        assert_eq!(kind(200, "{}"), "ok");
        assert_eq!(kind(299, "garbage"), "ok");
    }

    #[test]
    fn every_row_of_the_table() {
        let rows: &[(u16, String, &str)] = &[
            (400, zoom(300, "Your new password can not match the old password."), "password_reused"),
            (400, zoom(1129, "Users cannot reuse any of the last 5 passwords created."), "password_reused"),
            (
                400,
                zoom(300, "This password cannot be changed because it has already been changed the maximum number of times over the past 24 hours."),
                "change_limit_reached",
            ),
            (400, zoom(300, "Validation Failed."), "password_rejected"),
            (400, zoom(1124, "Have at least 8 characters"), "password_rejected"),
            (400, zoom(1125, "Have at least 1 letter (a, b, c...)"), "password_rejected"),
            (400, zoom(1126, "Have at least 1 number (1, 2, 3...)"), "password_rejected"),
            (400, zoom(1127, "Have at least 1 special character (!, @, #...)"), "password_rejected"),
            (400, zoom(1128, "Include both Upper case and Lower case characters"), "password_rejected"),
            (400, zoom(1130, "Password can't use the same character."), "password_rejected"),
            (400, zoom(1131, "Password can't use continuation character.Such as 'abcdef','123456'."), "password_rejected"),
            (400, zoom(1136, "Your password is too easy to guess. Try another one."), "password_rejected"),
            (400, zoom(1117, "Can not update Admin's password"), "not_permitted"),
            (400, zoom(1123, "Can only update password of Zoom work email account"), "not_permitted"),
            (404, zoom(1001, "User does not exist: a@b.c."), "user_not_found"),
            (404, zoom(1010, "User not exist or not belong to this account."), "user_not_found"),
            (401, zoom(124, "Access token is expired."), "unauthorized"),
            (401, zoom(124, "Invalid access token."), "unauthorized"),
            (403, zoom(4700, "Invalid access token, does not contain scopes:[user:write:admin]"), "forbidden"),
            (429, zoom(429, "You have reached the maximum per-second rate limit for this API. Try again later."), "rate_limited"),
            (500, zoom(500, "Internal error"), "server_error"),
            (502, "<html><body>Bad Gateway</body></html>".into(), "server_error"),
            (503, String::new(), "server_error"),
            (400, zoom(1120, "Something new"), "unexpected_response"),
            (400, String::new(), "unexpected_response"),
            (302, String::new(), "unexpected_response"),
            (0, String::new(), "unexpected_response"),
            (418, "I'm a teapot".into(), "unexpected_response"),
            (409, zoom(300, "Your new password can not match the old password."), "unexpected_response"),
        ];
        for (status, body, expected) in rows {
            assert_eq!(kind(*status, body), *expected, "{status} {body}");
        }
    }

    #[test]
    fn failure_fields_carry_zoom_code_and_message() {
        let failure = classify(404, &zoom(1001, "User does not exist: a@b.c.")).unwrap_err();
        assert_eq!(failure.status, Some(404));
        assert_eq!(failure.zoom_code, Some(1001));
        assert_eq!(failure.message, "User does not exist: a@b.c.");
        assert!(!failure.retryable);
    }

    #[test]
    fn rejected_codes_map_to_rule_ids() {
        let failure = classify(400, &zoom(1131, "continuation")).unwrap_err();
        assert_eq!(failure.violations.len(), 1);
        assert_eq!(failure.violations[0].rule, RuleId::ConsecutiveCharacters);
        assert_eq!(failure.violations[0].message, "continuation");
        let validation = classify(400, r#"{"code":300,"message":"Validation Failed.","errors":[{"field":"password","message":"Invalid field."},{"bad":1}]}"#).unwrap_err();
        assert!(validation.violations.is_empty());
        assert_eq!(validation.field_errors.len(), 1);
        assert_eq!(validation.field_errors[0].field, "password");
        assert_eq!(validation.field_errors[0].message, "Invalid field.");
    }

    #[test]
    fn bodies_of_every_shape() {
        let html =
            classify(502, "<!DOCTYPE html><html><h1>502 Bad Gateway</h1></html>").unwrap_err();
        assert_eq!(html.message, "HTTP 502 without a Zoom error message");
        assert_eq!(html.zoom_code, None);
        let text = classify(503, "Service Unavailable\n").unwrap_err();
        assert_eq!(text.message, "HTTP 503: Service Unavailable");
        let empty = classify(500, "").unwrap_err();
        assert_eq!(empty.message, "HTTP 500 without a Zoom error message");
        let malformed = classify(400, "{\"code\":300,\"message\":").unwrap_err();
        assert_eq!(malformed.kind, ErrorKind::UnexpectedResponse);
        assert_eq!(malformed.message, "HTTP 400 without a Zoom error message");
        let string_code = classify(404, r#"{"code":"1001","message":"x"}"#).unwrap_err();
        assert_eq!(string_code.zoom_code, Some(1001));
        let wrong_types = classify(400, r#"{"code":true,"message":7,"errors":"no"}"#).unwrap_err();
        assert_eq!(wrong_types.kind, ErrorKind::UnexpectedResponse);
        assert_eq!(kind(400, r#"[1,2]"#), "unexpected_response");
        let long = "x".repeat(10_000);
        let truncated = classify(500, &zoom(500, &long)).unwrap_err();
        assert_eq!(truncated.message.chars().count(), MAX_MESSAGE_CHARS + 3);
        let long_text = classify(500, &"y".repeat(300)).unwrap_err();
        assert_eq!(long_text.message, "HTTP 500 without a Zoom error message");
    }

    #[test]
    fn rate_limit_types_and_retry_after() {
        let qps_message = zoom(
            429,
            "You have reached the maximum per-second rate limit for this API. Try again later.",
        );
        let daily_message = zoom(429, "You have exceeded the daily rate limit (2000) of Medium API requests permitted for this particular account. You may resume these requests at GMT 00:00:00.");
        let response =
            |body: &str, retry_after, limit_type| answer(429, body, retry_after, limit_type);
        let (qps, daily) = (qps_message.as_str(), daily_message.as_str());

        let by_header = response(daily, Some("2020-05-31T00:00:00Z"), Some("QPS")).unwrap_err();
        assert_eq!(by_header.rate_limit_type, Some(RateLimitType::Qps));
        assert_eq!(by_header.retry_after_ms, Some(1000));
        assert!(by_header.retryable);

        let daily_header = response("", Some("3600"), Some("Daily-limit")).unwrap_err();
        assert_eq!(daily_header.rate_limit_type, Some(RateLimitType::Daily));
        assert_eq!(daily_header.retry_after_ms, Some(3_600_000));
        assert!(!daily_header.retryable);

        let daily_by_message = response(daily, None, None).unwrap_err();
        assert_eq!(daily_by_message.rate_limit_type, Some(RateLimitType::Daily));
        assert_eq!(
            daily_by_message.retry_after_ms,
            Some(1000),
            "until 00:00 UTC"
        );

        let qps_by_message = response(qps, None, None).unwrap_err();
        assert_eq!(qps_by_message.rate_limit_type, Some(RateLimitType::Qps));
        assert!(qps_by_message.retryable);

        let unknown = response("", None, None).unwrap_err();
        assert_eq!(unknown.rate_limit_type, None);
        assert!(!unknown.retryable, "no type and no Retry-After");
        let unknown_with_delay = response("", Some("2"), None).unwrap_err();
        assert!(unknown_with_delay.retryable);
        assert_eq!(unknown_with_delay.retry_after_ms, Some(2000));

        let garbage = response(qps, Some("soon"), None).unwrap_err();
        assert_eq!(garbage.retry_after_ms, None);
        let on_503 = answer(503, "", Some("7"), None).unwrap_err();
        assert_eq!(on_503.retry_after_ms, Some(7000));
    }

    #[test]
    fn free_accounts_are_told_paid_only() {
        let free = classify(400, &zoom(200, "Only available for paid accounts.")).unwrap_err();
        assert!(paid_accounts_only(&free));
        assert_eq!(free.kind, ErrorKind::UnexpectedResponse);
        assert!(!paid_accounts_only(
            &classify(400, &zoom(300, "Validation Failed.")).unwrap_err()
        ));
        assert!(!paid_accounts_only(
            &classify(404, &zoom(200, "x")).unwrap_err()
        ));
    }

    #[test]
    fn codes_with_one_meaning_win_over_the_status() {
        for (status, code, expected) in [
            (400, 1010, "user_not_found"),
            (400, 1001, "user_not_found"),
            (404, 1010, "user_not_found"),
            (500, 124, "unauthorized"),
            (400, 124, "unauthorized"),
            (400, 4700, "forbidden"),
            (401, 4700, "forbidden"),
            (404, 2001, "account_not_found"),
            (400, 2001, "account_not_found"),
        ] {
            assert_eq!(kind(status, &zoom(code, "x")), expected, "{status} {code}");
        }
        // The status still counts where the code names nothing in particular.
        assert_eq!(kind(404, &zoom(300, "x")), "user_not_found");
        assert_eq!(kind(409, &zoom(1124, "x")), "unexpected_response");
    }

    #[test]
    fn outcomes_serialize_as_api_md_shows_them() {
        let ok = serde_json::to_value(Outcome(None)).unwrap();
        assert_eq!(ok, serde_json::json!({ "ok": true }));
        let failure = classify(404, &zoom(1001, "User does not exist: a@b.c.")).unwrap_err();
        let outcome = serde_json::to_value(Outcome(Some(&failure))).unwrap();
        assert_eq!(
            outcome,
            serde_json::json!({
                "ok": false, "kind": "user_not_found", "status": 404, "zoomCode": 1001,
                "retryable": false, "retryAfterMs": null, "rateLimitType": null,
                "fieldErrors": [], "violations": [], "message": "User does not exist: a@b.c.",
            })
        );
    }
}
