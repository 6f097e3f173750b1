//! The JS-facing shapes (reports, outcomes, errors' fields, requests), written
//! as JSON text. The bindings hand each to one `JSON.parse`: one call across
//! the boundary instead of dozens of property sets and string conversions,
//! which made object building the slowest part of `validatePassword`. Being
//! plain text, the shapes are tested natively here.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::attempt::{is_paid_only, Next, Settled};
use crate::classify::push_decimal;
use crate::error::{Failure, FieldError};
use crate::json::push_string_literal;
use crate::password::{Check, PasswordReport};
use crate::request::{BodyEncoding, PreparedRequest};

/// Writes one JSON object, field by field.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut String) -> ObjectWriter<'a> {
        // push_str, not push(char): the latter encodes UTF-8 each time, and
        // this is the hot path of every result.
        out.push_str("{");
        ObjectWriter { out, first: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push_str(",");
        }
        self.first = false;
        push_string_literal(self.out, key);
        self.out.push_str(":");
        self.out
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        let out = self.key(key);
        push_string_literal(out, value);
        self
    }

    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => self.str(key, value),
            None => self.raw(key, "null"),
        }
    }

    pub fn num(&mut self, key: &str, value: u64) -> &mut Self {
        let out = self.key(key);
        push_decimal(out, value);
        self
    }

    pub fn opt_num(&mut self, key: &str, value: Option<u64>) -> &mut Self {
        match value {
            Some(value) => self.num(key, value),
            None => self.raw(key, "null"),
        }
    }

    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// A value already written as JSON.
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key).push_str(json);
        self
    }

    /// A value written by `write`.
    pub fn with(&mut self, key: &str, write: impl FnOnce(&mut String)) -> &mut Self {
        write(self.key(key));
        self
    }

    pub fn end(&mut self) {
        self.out.push_str("}");
    }
}

/// Writes `[item, item, ...]`.
pub fn push_array<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push_str("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(",");
        }
        write(out, item);
    }
    out.push_str("]");
}

pub fn push_check(out: &mut String, check: &Check) {
    ObjectWriter::new(out)
        .str("rule", check.rule.as_str())
        .bool("passed", check.passed)
        .opt_num("zoomCode", check.rule.zoom_code().map(u64::from))
        .str("message", &check.message)
        .end();
}

fn push_field_error(out: &mut String, error: &FieldError) {
    ObjectWriter::new(out)
        .str("field", &error.field)
        .str("message", &error.message)
        .end();
}

/// `{ valid, checks, violations }`.
pub fn report(report: &PasswordReport) -> String {
    let mut out = String::with_capacity(1024);
    let violations: Vec<&Check> = report.violations().collect();
    ObjectWriter::new(&mut out)
        .bool("valid", report.valid())
        .with("checks", |out| {
            push_array(out, &report.checks, |out, check| push_check(out, check))
        })
        .with("violations", |out| {
            push_array(out, &violations, |out, check| push_check(out, check))
        })
        .end();
    out
}

/// The fields every failure carries, in both its forms (Outcome, error).
fn failure_fields(writer: &mut ObjectWriter<'_>, failure: &Failure) {
    writer
        .str("kind", failure.kind.as_str())
        .opt_num("status", failure.status.map(u64::from))
        .opt_num("zoomCode", failure.zoom_code.map(u64::from))
        .bool("retryable", failure.retryable)
        .opt_num("retryAfterMs", failure.retry_after_ms)
        .opt_str("rateLimitType", failure.rate_limit_type.map(|t| t.as_str()))
        .with("fieldErrors", |out| {
            push_array(out, &failure.field_errors, push_field_error)
        })
        .with("violations", |out| {
            push_array(out, &failure.violations, push_check)
        });
}

/// `{ ok: false, kind, status, zoomCode, message, ... }` for classifyResponse;
/// `None` is `{ ok: true }`.
pub fn outcome(failure: Option<&Failure>) -> String {
    let mut out = String::with_capacity(256);
    let mut writer = ObjectWriter::new(&mut out);
    match failure {
        None => {
            writer.bool("ok", true);
        }
        Some(failure) => {
            writer.bool("ok", false);
            failure_fields(&mut writer, failure);
            writer.str("message", &failure.message);
        }
    }
    writer.end();
    out
}

/// A `ZoomPasswordError`'s fields, its `message` last (the JS side makes
/// that the `Error`'s own message).
fn push_error(out: &mut String, failure: &Failure, attempts: u32) {
    let mut writer = ObjectWriter::new(out);
    writer.str("name", "ZoomPasswordError");
    failure_fields(&mut writer, failure);
    writer
        .num("attempts", u64::from(attempts))
        .raw("userId", "null")
        .str("message", &failure.message)
        .end();
}

/// `{"error": {...}}`: how every binding says "throw this". No result
/// object has a top-level `error` key, so the two cannot be confused.
pub fn thrown(failure: &Failure, attempts: u32) -> String {
    let mut out = String::with_capacity(320);
    ObjectWriter::new(&mut out)
        .with("error", |out| push_error(out, failure, attempts))
        .end();
    out
}

/// What follows an attempt, for the bindings' fetch loop:
/// `{ next, attempts, holdMs, delayMs?, paidOnly?, error? }`.
pub fn settled(settled: &Settled, attempts: u32) -> String {
    let mut out = String::with_capacity(64);
    let mut writer = ObjectWriter::new(&mut out);
    let next = match &settled.next {
        Next::Done => "done",
        Next::Retry { .. } => "retry",
        Next::RefreshToken => "refresh",
        Next::AlreadySet => "already_set",
        Next::Fail(_) => "fail",
    };
    writer
        .str("next", next)
        .num("attempts", u64::from(attempts))
        .opt_num("holdMs", settled.hold_ms);
    match &settled.next {
        Next::Retry { delay_ms } => {
            writer.num("delayMs", *delay_ms);
        }
        Next::Fail(failure) => {
            writer
                .bool("paidOnly", is_paid_only(settled))
                .with("error", |out| push_error(out, failure, attempts));
        }
        _ => {}
    }
    writer.end();
    out
}

/// buildRequest's `{ method, url, headers, encoding, fields }`.
pub fn prepared_request(request: &PreparedRequest) -> String {
    let mut out = String::with_capacity(
        request.url.len() + request.authorization.len() + request.password.len() + 160,
    );
    ObjectWriter::new(&mut out)
        .str("method", PreparedRequest::METHOD)
        .str("url", &request.url)
        .with("headers", |out| {
            let mut headers = ObjectWriter::new(out);
            headers
                .str("Authorization", &request.authorization)
                .str("Accept", PreparedRequest::ACCEPT);
            if request.encoding == BodyEncoding::Json {
                headers.str("Content-Type", "application/json");
            }
            headers.end();
        })
        .str("encoding", request.encoding.as_str())
        .with("fields", |out| {
            ObjectWriter::new(out)
                .str("password", &request.password)
                .end()
        })
        .end();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{classify_response, HttpResponse};
    use crate::json::{parse, Value};
    use crate::password::{validate_password, Policy};
    use crate::request::{build_request, RequestOptions};

    fn keys(json: &str) -> Vec<String> {
        match parse(json) {
            Some(Value::Object(members)) => members.into_iter().map(|(k, _)| k).collect(),
            other => panic!("not an object: {other:?} from {json}"),
        }
    }

    #[test]
    fn thrown_and_settled_shapes() {
        let failure = Failure::invalid_options("userId", "userId must be a string.");
        let json = thrown(&failure, 2);
        assert_eq!(keys(&json), ["error"]);
        let error = parse(&json).unwrap();
        let error = error.get("error").unwrap();
        assert_eq!(
            error.get("kind").and_then(Value::as_str),
            Some("invalid_options")
        );
        assert_eq!(
            error.get("message").and_then(Value::as_str),
            Some("userId must be a string.")
        );
        assert_eq!(error.get("attempts").and_then(Value::as_u32), Some(2));
        assert_eq!(
            error.get("name").and_then(Value::as_str),
            Some("ZoomPasswordError")
        );

        let retry = Settled {
            next: Next::Retry { delay_ms: 250 },
            hold_ms: Some(1000),
        };
        assert_eq!(
            settled(&retry, 1),
            r#"{"next":"retry","attempts":1,"holdMs":1000,"delayMs":250}"#
        );
        let fail = Settled {
            next: Next::Fail(failure),
            hold_ms: None,
        };
        let json = settled(&fail, 3);
        assert_eq!(
            keys(&json),
            ["next", "attempts", "holdMs", "paidOnly", "error"]
        );
        let value = parse(&json).unwrap();
        assert_eq!(
            value
                .get("error")
                .and_then(|e| e.get("attempts"))
                .and_then(Value::as_u32),
            Some(3)
        );
    }

    #[test]
    fn report_shape() {
        let json = report(&validate_password("abc", &Policy::BASIC));
        assert_eq!(keys(&json), ["valid", "checks", "violations"]);
        let value = parse(&json).unwrap();
        match (value.get("checks"), value.get("violations")) {
            (Some(Value::Array(checks)), Some(Value::Array(violations))) => {
                assert_eq!(checks.len(), 7);
                assert_eq!(violations.len(), 3);
                assert_eq!(
                    checks[0].get("zoomCode").and_then(Value::as_u32),
                    Some(1124)
                );
                assert_eq!(checks[1].get("zoomCode"), Some(&Value::Null));
                assert_eq!(
                    checks[6].get("message").and_then(Value::as_str),
                    Some(
                        validate_password("abc", &Policy::BASIC).checks[6]
                            .message
                            .as_ref()
                    )
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn outcome_and_error_shapes() {
        assert_eq!(outcome(None), r#"{"ok":true}"#);
        let failure = classify_response(
            &HttpResponse {
                status: 429,
                body: r#"{"code":429,"message":"a \"quoted\"\nline"}"#,
                retry_after: Some("2"),
                rate_limit_type: Some("QPS"),
            },
            0,
        )
        .unwrap_err();
        let json = outcome(Some(&failure));
        assert_eq!(
            keys(&json),
            [
                "ok",
                "kind",
                "status",
                "zoomCode",
                "retryable",
                "retryAfterMs",
                "rateLimitType",
                "fieldErrors",
                "violations",
                "message"
            ]
        );
        assert_eq!(
            parse(&json).unwrap().get("message").and_then(Value::as_str),
            Some("a \"quoted\"\nline")
        );
        let error = thrown(&failure, 3);
        assert!(
            error.ends_with(r#""attempts":3,"userId":null,"message":"a \"quoted\"\nline"}}"#),
            "{error}"
        );
    }

    #[test]
    fn request_shape() {
        let request = build_request(&RequestOptions {
            user_id: "a+b@x.com",
            password: "p\"w",
            access_token: "t",
            base_url: None,
            encoding: BodyEncoding::Json,
            page_url: None,
        })
        .unwrap();
        let json = prepared_request(&request);
        assert_eq!(
            json,
            r#"{"method":"PUT","url":"https://api.zoom.us/v2/users/a%2Bb%40x.com/password","headers":{"Authorization":"Bearer t","Accept":"application/json","Content-Type":"application/json"},"encoding":"json","fields":{"password":"p\"w"}}"#
        );
    }
}
