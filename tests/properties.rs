//! Property tests of the pure core: for arbitrary input (any Unicode, empty,
//! very long; any status, body and header), the entry points never panic
//! and always return a well-formed result, and an encoded user id always
//! decodes back to itself as exactly one safe path segment.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use zoom_password::core::body::{native, ZoomBody, MAX_FIELD_ERRORS, MAX_MESSAGE_CHARS};
use zoom_password::core::classify::{classify_response, HttpResponse};
use zoom_password::core::error::ErrorKind;
use zoom_password::core::password::{validate_password, Policy, RuleId};
use zoom_password::core::request::{
    build_request, push_path_segment, BodyEncoding, PreparedRequest, RequestOptions,
};
use zoom_password::core::retry_after::{parse_retry_after, MAX_DELAY_MS};

fn answer(status: u16, text: &str) -> HttpResponse<'static> {
    let body = Box::leak(Box::new(ZoomBody::read(text, &native::parse)));
    HttpResponse {
        status,
        body,
        retry_after: None,
        rate_limit_type: None,
    }
}

fn policies() -> impl Strategy<Value = Policy> {
    (
        prop_oneof![Just(0u8), 8u8..=14],
        any::<bool>(),
        prop_oneof![Just(0u8), 4u8..=8],
        any::<bool>(),
    )
        .prop_map(
            |(
                minimum_password_length,
                have_special_character,
                consecutive_characters_length,
                weak_enhance_detection,
            )| Policy {
                minimum_password_length,
                have_special_character,
                consecutive_characters_length,
                weak_enhance_detection,
            },
        )
}

/// Text that often looks like what the rules care about, and often does not.
fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9!@#. ]{0,40}",
        "(abc|123|qwer|1111|Aa|😀|é|Ж|\\.\\.|%2e|/|\\?|#|@|\\+){0,20}",
        proptest::collection::vec(any::<char>(), 0..200).prop_map(|c| c.into_iter().collect()),
    ]
}

fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(segment.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn validate_password_is_total_and_consistent(password in texts(), policy in policies()) {
        let report = validate_password(&password, &policy);
        let expected = 8 + usize::from(policy.have_special_character) + usize::from(policy.weak_enhance_detection);
        prop_assert_eq!(report.checks.len(), expected);
        prop_assert_eq!(report.valid(), report.checks.iter().all(|c| c.passed));
        let mut rules: Vec<RuleId> = report.checks.iter().map(|c| c.rule).collect();
        let listed = rules.clone();
        rules.sort();
        prop_assert_eq!(rules, listed, "stable order");
        prop_assert!(report.checks.iter().all(|c| !c.message.is_empty()));
        let long = password.chars().count() > 31;
        prop_assert_eq!(report.checks[2].passed, !long);
        prop_assert_eq!(report.checks[0].rule, RuleId::Printable);
    }

    /// The hand-written search (core::text) finds what std's does, and the
    /// report code (the JS entry's validatePassword) stands for the report.
    #[test]
    fn text_find_and_report_codes_match(haystack in texts(), needle in "[ab\u{e9}]{0,3}", policy in policies()) {
        prop_assert_eq!(zoom_password::core::text::find(&haystack, &needle), haystack.find(needle.as_str()));
        let report = validate_password(&haystack, &policy);
        let code = zoom_password::core::password::report_code(&report, &policy);
        prop_assert_eq!(zoom_password::core::password::report_from_code(code), report);
    }

    /// core::request's own encoder writes exactly what the percent-encoding
    /// crate writes with RFC 3986's unreserved set kept.
    #[test]
    fn the_segment_encoder_matches_the_percent_encoding_crate(segment in texts()) {
        const UNRESERVED_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        let mut ours = String::new();
        push_path_segment(&mut ours, &segment);
        prop_assert_eq!(ours, percent_encoding::utf8_percent_encode(&segment, UNRESERVED_KEPT).to_string());
    }

    #[test]
    fn encoded_user_ids_decode_back_as_one_safe_segment(user_id in texts()) {
        let options = RequestOptions {
            user_id: &user_id,
            password: "x",
            access_token: "token",
            base_url: None,
            encoding: BodyEncoding::Multipart,
            page_url: None,
        };
        match build_request(&options) {
            Ok(request) => {
                let segment = request
                    .url
                    .strip_prefix("https://api.zoom.us/v2/users/")
                    .and_then(|rest| rest.strip_suffix("/password"))
                    .expect("the URL keeps its shape");
                prop_assert!(!segment.contains(['/', '?', '#']), "{}", segment);
                prop_assert!(segment != "." && segment != "..");
                prop_assert!(!segment.eq_ignore_ascii_case("%2e") && !segment.eq_ignore_ascii_case("%2e%2e"));
                let decoded = percent_decode(segment);
                prop_assert_eq!(decoded.as_deref(), Some(user_id.as_str()));
            }
            Err(failure) => {
                prop_assert_eq!(failure.kind, ErrorKind::InvalidUserId);
                prop_assert!(!failure.message.is_empty());
            }
        }
    }

    #[test]
    fn build_request_refuses_or_builds_for_any_options(
        user_id in texts(), password in texts(), token in texts(), base in prop::option::of(texts())
    ) {
        let options = RequestOptions {
            user_id: &user_id,
            password: &password,
            access_token: &token,
            base_url: base.as_deref(),
            encoding: BodyEncoding::Json,
            page_url: Some("http://127.0.0.1:8080/x"),
        };
        match build_request(&options) {
            Ok(request) => {
                let scheme = request.url.get(..8).unwrap_or("").to_ascii_lowercase();
                prop_assert!(scheme.starts_with("https://") || scheme.starts_with("http://"));
                prop_assert!(request.url.ends_with("/password"));
                // Debug does not depend on either secret at all.
                let other = PreparedRequest { authorization: "Bearer other".into(), password: "other".into(), ..request.clone() };
                prop_assert_eq!(format!("{request:?}"), format!("{other:?}"));
            }
            Err(failure) => {
                prop_assert!(matches!(failure.kind, ErrorKind::InvalidUserId | ErrorKind::InvalidOptions));
                prop_assert!(password.len() < 4 || !failure.message.contains(&password) || failure.message.contains(&user_id));
            }
        }
    }

    #[test]
    fn classify_response_is_total(
        status in 0u16..1000,
        body in prop_oneof![texts(), "\\{\"code\":[0-9]{1,5},\"message\":\"[^\"]{0,50}\"(,\"errors\":\\[\\{\"field\":\"p\",\"message\":\"m\"\\}\\])?\\}"],
        retry_after in prop::option::of(texts()),
        limit_type in prop::option::of(texts()),
        now in any::<u64>().prop_map(|n| n % 10_000_000_000_000),
    ) {
        let body = ZoomBody::read(&body, &native::parse);
        let response = HttpResponse { status, body: &body, retry_after: retry_after.as_deref(), rate_limit_type: limit_type.as_deref() };
        match classify_response(&response, now) {
            Ok(()) => prop_assert!((200..300).contains(&status)),
            Err(failure) => {
                prop_assert!(!(200..300).contains(&status));
                prop_assert_eq!(failure.status, Some(status));
                prop_assert!(!failure.message.is_empty());
                prop_assert!(failure.message.chars().count() <= MAX_MESSAGE_CHARS + 220);
                prop_assert!(failure.field_errors.len() <= MAX_FIELD_ERRORS);
                prop_assert!(failure.retry_after_ms.map_or(true, |ms| ms <= MAX_DELAY_MS));
                prop_assert!(!matches!(failure.kind, ErrorKind::InvalidPassword | ErrorKind::InvalidUserId | ErrorKind::InvalidOptions | ErrorKind::NetworkError | ErrorKind::Timeout | ErrorKind::Aborted));
                if failure.kind == ErrorKind::RateLimited { prop_assert_eq!(status, 429); }
            }
        }
    }

    #[test]
    fn retry_after_never_exceeds_the_exact_maximum(value in texts(), now in any::<u64>().prop_map(|n| n % 10_000_000_000_000)) {
        prop_assert!(parse_retry_after(&value, now).map_or(true, |ms| ms <= MAX_DELAY_MS));
    }
}

#[test]
fn one_megabyte_inputs_are_handled() {
    let unicode: String = "aZ9😀é!".repeat(200_000);
    let report = validate_password(
        &unicode,
        &Policy {
            consecutive_characters_length: 4,
            weak_enhance_detection: true,
            ..Policy::BASIC
        },
    );
    assert!(!report.valid());
    let body = format!("{{\"code\":300,\"message\":\"{}\"}}", "x".repeat(1 << 20));
    let failure = classify_response(&answer(400, &body), 0).unwrap_err();
    assert_eq!(failure.message.chars().count(), MAX_MESSAGE_CHARS + 3);
    let nested = "[".repeat(1 << 20);
    assert!(classify_response(&answer(500, &nested), 0).is_err());
    let mut segment = String::new();
    push_path_segment(&mut segment, &"/".repeat(1 << 20));
    assert_eq!(segment.len(), 3 << 20);
}
