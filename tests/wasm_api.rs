//! The wasm exports inside wasm (wasm-bindgen-test), in Node and in headless
//! Chromium: every export answers JSON the JS half can parse, failures are
//! `{"error": {...}}` with the right `kind`, odd numbers and huge or odd
//! strings never trap, and the attempt/pacer state survives its round trips
//! through JS typed arrays. (The JS half, with `fetch`, timers and real
//! `Error`s, is tested through the packed package in tests/package and
//! tests/browser.)

#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zoom_password::bindings::*;

const REPORT: u8 = 0;
const FAILURE_ONLY: u8 = 1;
const POLICY_ONLY: u8 = 2;
const WORDS: usize = 6;

fn parse(json: &str) -> JsValue {
    JSON::parse(json).unwrap_or_else(|_| panic!("not JSON: {json}"))
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |value, key| {
        Reflect::get(&value, &JsValue::from_str(key)).expect("readable property")
    })
}

fn text(value: &JsValue, path: &str) -> String {
    get(value, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

fn number(value: &JsValue, path: &str) -> f64 {
    get(value, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

/// Asserts `json` is `{"error": {...}}` of `kind` and returns the error.
fn expect_error(json: &str, kind: &str) -> JsValue {
    let error = get(&parse(json), "error");
    assert!(error.is_object(), "expected an error, got {json}");
    assert_eq!(text(&error, "kind"), kind, "{json}");
    assert_eq!(text(&error, "name"), "ZoomPasswordError");
    assert!(!text(&error, "message").is_empty());
    error
}

fn no_error(json: &str) -> JsValue {
    let value = parse(json);
    assert!(
        get(&value, "error").is_undefined(),
        "unexpected error: {json}"
    );
    value
}

#[wasm_bindgen_test]
fn validate_reports_every_rule_and_checks_the_policy() {
    let report = no_error(&validate("Zx9kq2Lm!", 0.0, 0.0, false, false, REPORT));
    assert_eq!(get(&report, "valid").as_bool(), Some(true));
    let weak = no_error(&validate("Password1", 12.0, 4.0, true, true, REPORT));
    assert_eq!(get(&weak, "valid").as_bool(), Some(false));
    let violations = js_sys::Array::from(&get(&weak, "violations"));
    let rules: Vec<String> = violations.iter().map(|v| text(&v, "rule")).collect();
    assert!(rules.contains(&"weak_password".to_string()), "{rules:?}");
    assert!(
        rules.contains(&"special_character".to_string()),
        "{rules:?}"
    );

    for (minimum, consecutive) in [
        (99.0, 0.0),
        (8.5, 0.0),
        (f64::NAN, 0.0),
        (0.0, 3.0),
        (0.0, f64::INFINITY),
    ] {
        expect_error(
            &validate("x", minimum, consecutive, false, false, POLICY_ONLY),
            "invalid_options",
        );
    }
    assert_eq!(validate("", 14.0, 8.0, true, true, POLICY_ONLY), "{}");
    assert_eq!(
        validate("Zx9kq2Lm!", 0.0, 0.0, false, false, FAILURE_ONLY),
        "{}"
    );
    let error = expect_error(
        &validate("short", 0.0, 0.0, false, false, FAILURE_ONLY),
        "invalid_password",
    );
    assert!(js_sys::Array::from(&get(&error, "violations")).length() > 0);
}

#[wasm_bindgen_test]
fn build_request_encodes_the_user_id_and_refuses_bad_options() {
    let request = no_error(&build_request(
        "a+b@x.com",
        "Zx9kq2Lm!",
        "tok",
        None,
        None,
        None,
    ));
    assert_eq!(
        text(&request, "url"),
        "https://api.zoom.us/v2/users/a%2Bb%40x.com/password"
    );
    assert_eq!(text(&request, "headers.Authorization"), "Bearer tok");
    assert_eq!(text(&request, "encoding"), "multipart");
    let json = no_error(&build_request(
        "me",
        "p",
        "tok",
        None,
        Some("json".into()),
        None,
    ));
    assert_eq!(text(&json, "headers.Content-Type"), "application/json");

    expect_error(
        &build_request("..", "p", "tok", None, None, None),
        "invalid_user_id",
    );
    expect_error(
        &build_request("me", "p", "tok en", None, None, None),
        "invalid_options",
    );
    expect_error(
        &build_request(
            "me",
            "p",
            "tok",
            Some("http://api.zoom.us/v2".into()),
            None,
            None,
        ),
        "invalid_options",
    );
    expect_error(
        &build_request("me", "p", "tok", None, Some("xml".into()), None),
        "invalid_options",
    );
    // A page-relative proxy path resolves only against a page.
    expect_error(
        &build_request("me", "p", "tok", Some("/zoom/v2".into()), None, None),
        "invalid_options",
    );
    let proxied = no_error(&build_request(
        "me",
        "p",
        "tok",
        Some("/zoom/v2".into()),
        None,
        Some("http://127.0.0.1:8080/index.html".into()),
    ));
    assert_eq!(
        text(&proxied, "url"),
        "http://127.0.0.1:8080/zoom/v2/users/me/password"
    );
}

#[wasm_bindgen_test]
fn classify_reads_zoom_errors_and_retry_after() {
    let outcome = parse(&classify(204.0, "", None, None, 0.0));
    assert_eq!(get(&outcome, "ok").as_bool(), Some(true));
    let limited = parse(&classify(
        429.0,
        r#"{"code":429,"message":"You have reached the maximum per-second rate limit"}"#,
        Some("3".into()),
        Some("QPS".into()),
        0.0,
    ));
    assert_eq!(text(&limited, "kind"), "rate_limited");
    assert_eq!(number(&limited, "retryAfterMs"), 3000.0);
    assert_eq!(text(&limited, "rateLimitType"), "qps");
    let html = parse(&classify(
        502.0,
        "<html>bad gateway</html>",
        None,
        None,
        0.0,
    ));
    assert_eq!(text(&html, "kind"), "server_error");
    for status in [-1.0, 1000.0, 200.5, f64::NAN] {
        expect_error(&classify(status, "", None, None, 0.0), "invalid_options");
    }
}

#[wasm_bindgen_test]
fn the_attempt_state_drives_retry_and_reconciles_a_lost_answer() {
    let mut state = [0u32; WORDS];
    assert_eq!(retry_policy(&mut state, false, 3.0, 0.0, 10.0), "{}");
    assert_eq!(attempts_made(&state), 0);
    let lost = parse(&after_error(
        &mut state,
        "network",
        Some("fetch failed".into()),
        Some("ECONNRESET".into()),
        true,
        "Zx9kq2Lm!",
        "tok",
        false,
        0.5,
    ));
    assert_eq!(text(&lost, "next"), "retry");
    assert_eq!(attempts_made(&state), 1);
    // A 2xx counts its attempt (the JS loop's common path).
    let mut succeeded = state;
    assert_eq!(attempt_succeeded(&mut succeeded), 2);
    assert_eq!(attempts_made(&succeeded), 2);
    let reused = r#"{"code":300,"message":"The new password can not match the old password."}"#;
    let settled = parse(&after_answer(
        &mut state,
        400.0,
        reused,
        None,
        None,
        0.0,
        "Zx9kq2Lm!",
        "tok",
        false,
        0.5,
    ));
    assert_eq!(text(&settled, "next"), "already_set");
    assert_eq!(number(&settled, "attempts"), 2.0);

    expect_error(
        &retry_policy(&mut state, false, 0.0, f64::NAN, f64::NAN),
        "invalid_options",
    );
    expect_error(
        &retry_policy(&mut state, false, f64::NAN, 10.0, 5.0),
        "invalid_options",
    );
}

#[wasm_bindgen_test]
fn server_text_never_carries_the_password_or_token_into_an_error() {
    let mut state = [0u32; WORDS];
    assert_eq!(
        retry_policy(&mut state, true, f64::NAN, f64::NAN, f64::NAN),
        "{}"
    );
    let echo = r#"{"code":1124,"message":"Zx9kq2Lm! rejected for tok-SECRET","errors":[{"field":"Zx9kq2Lm!","message":"tok-SECRET"}]}"#;
    let settled = after_answer(
        &mut state,
        400.0,
        echo,
        None,
        None,
        0.0,
        "Zx9kq2Lm!",
        "tok-SECRET",
        false,
        0.0,
    );
    let value = parse(&settled);
    assert_eq!(text(&value, "next"), "fail");
    assert!(
        !settled.contains("Zx9kq2Lm!") && !settled.contains("tok-SECRET"),
        "{settled}"
    );

    let grant = token_grant(
        401.0,
        r#"{"reason":"bad client-secret-1","error":"invalid_client"}"#,
        "client-secret-1",
        "Basic abc",
    );
    expect_error(&grant, "unauthorized");
    assert!(!grant.contains("client-secret-1"), "{grant}");
}

#[wasm_bindgen_test]
fn the_pacer_spaces_requests_and_holds_after_a_429() {
    let mut pacer = [0f64; 3];
    expect_error(&pacer_new(&mut pacer, 0.0), "invalid_options");
    assert_eq!(pacer_new(&mut pacer, 10.0), "{}");
    assert_eq!(pacer_reserve(&mut pacer, 1000.0), 0.0);
    let second = pacer_reserve(&mut pacer, 1000.0);
    assert!((second - 105.0).abs() < 1e-9, "{second}");
    pacer_hold(&mut pacer, 5000.0);
    assert!(pacer_reserve(&mut pacer, 1000.0) >= 4000.0);
    // Foreign state is ignored, not trusted.
    let mut garbage = [f64::NAN; 3];
    assert_eq!(pacer_reserve(&mut garbage, 0.0), 0.0);
}

#[wasm_bindgen_test]
fn odd_input_never_traps() {
    let huge = "Zx9!".repeat(1 << 18);
    no_error(&validate(&huge, 0.0, 0.0, true, true, REPORT));
    expect_error(
        &build_request(&huge, "p", "tok", None, None, None),
        "invalid_user_id",
    );
    let odd = "\u{0}\u{202e}😀\u{fffd}";
    no_error(&validate(odd, 8.0, 4.0, true, true, REPORT));
    expect_error(
        &build_request(odd, odd, odd, Some(odd.into()), None, Some(odd.into())),
        "invalid_user_id",
    );
    expect_error(
        &build_request("me", odd, "tok", None, Some(odd.into()), None),
        "invalid_options",
    );
    parse(&classify(
        999.0,
        &huge,
        Some(odd.into()),
        Some(odd.into()),
        f64::MAX,
    ));
    let mut short = [7u32; 2];
    let settled = parse(&after_answer(
        &mut short,
        f64::NAN,
        odd,
        None,
        None,
        -1.0,
        "",
        "",
        true,
        2.0,
    ));
    // Foreign state is replaced by the defaults; unexpected_response is final.
    assert_eq!(text(&settled, "next"), "fail");
    expect_error(
        &failure("no_such_kind", Some(odd.into()), odd, 0),
        "invalid_options",
    );
    expect_error(&token_request("", "", "", None), "invalid_options");
    expect_error(&token_grant(200.0, "not json", "", ""), "unauthorized");
}
