//! The exported API inside wasm (wasm-bindgen-test), in Node and in headless
//! Chromium: results are plain JS objects, errors are real `Error`s with
//! `name` and `kind`, hostile JS values never trap, and updatePassword talks
//! to the local Zoom mock (its origin is given at build time in
//! ZOOM_MOCK_ORIGIN by scripts/test.sh).

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use zoom_password::bindings::{
    build_request, classify_response, is_zoom_password_error, update_password, validate_password,
};

const TOKEN: &str = "demo-token-0123456789";

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("readable property")
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

/// Asserts `result` is Err(ZoomPasswordError of `kind`) and returns it.
fn expect_error(result: Result<JsValue, JsValue>, kind: &str) -> JsValue {
    let error = result.expect_err("expected a ZoomPasswordError");
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "thrown value is an Error"
    );
    assert_eq!(
        get(&error, "name").as_string().as_deref(),
        Some("ZoomPasswordError")
    );
    assert_eq!(get(&error, "kind").as_string().as_deref(), Some(kind));
    assert!(is_zoom_password_error(&error));
    error
}

fn mock_origin() -> &'static str {
    option_env!("ZOOM_MOCK_ORIGIN")
        .expect("build with ZOOM_MOCK_ORIGIN set to the local Zoom mock (scripts/test.sh does)")
}

async fn mock_control(path: &str, body: &str) -> JsValue {
    let init = object(&[
        ("method", s("POST")),
        (
            "headers",
            object(&[("Content-Type", s("application/json"))]),
        ),
        ("body", s(body)),
    ]);
    let fetch: Function = get(&js_sys::global(), "fetch").unchecked_into();
    let url = s(&format!("{}/__mock/{}", mock_origin(), path));
    let response = JsFuture::from(js_sys::Promise::from(
        fetch.call2(&JsValue::UNDEFINED, &url, &init).unwrap(),
    ))
    .await
    .unwrap();
    let json: Function = get(&response, "json").unchecked_into();
    JsFuture::from(js_sys::Promise::from(json.call0(&response).unwrap()))
        .await
        .unwrap()
}

/// A password no earlier run has set: the mock may be shared across runs
/// (Node, then Chromium) and its tests may run concurrently.
fn fresh_password(prefix: &str) -> String {
    let n = (js_sys::Math::random() * 1e9) as u64;
    format!("{prefix}-Pw{n}x")
}

fn update_options(user_id: &str, password: &str) -> Vec<(&'static str, JsValue)> {
    vec![
        ("userId", s(user_id)),
        ("password", s(password)),
        ("accessToken", s(TOKEN)),
        ("baseUrl", s(&format!("{}/v2", mock_origin()))),
        ("retry", object(&[("baseDelayMs", JsValue::from_f64(5.0))])),
    ]
}

#[wasm_bindgen_test]
fn validate_password_returns_a_report_object() {
    let report = validate_password(s("abc"), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&report, "valid"), JsValue::FALSE);
    let checks = Array::from(&get(&report, "checks"));
    assert_eq!(checks.length(), 7);
    assert_eq!(
        get(&checks.get(0), "rule").as_string().as_deref(),
        Some("min_length")
    );
    assert_eq!(get(&checks.get(0), "zoomCode").as_f64(), Some(1124.0));
    assert!(get(&checks.get(1), "zoomCode").is_null());
    let policy = object(&[("weak_enhance_detection", JsValue::TRUE)]);
    let weak = validate_password(s("Password1"), policy).unwrap();
    let violations = Array::from(&get(&weak, "violations"));
    assert_eq!(
        get(&violations.get(0), "rule").as_string().as_deref(),
        Some("weak_password")
    );
}

#[wasm_bindgen_test]
fn out_of_range_policy_is_an_invalid_options_error() {
    let policy = object(&[("consecutive_characters_length", JsValue::from_f64(9.0))]);
    let error = expect_error(validate_password(s("Zx9kq2Lm"), policy), "invalid_options");
    let field_errors = Array::from(&get(&error, "fieldErrors"));
    assert_eq!(
        get(&field_errors.get(0), "field").as_string().as_deref(),
        Some("consecutive_characters_length")
    );
    assert!(get(&error, "stack").is_string());
}

#[wasm_bindgen_test]
fn wrong_types_and_lone_surrogates_are_typed_errors() {
    expect_error(
        validate_password(JsValue::from_f64(5.0), JsValue::UNDEFINED),
        "invalid_password",
    );
    expect_error(
        validate_password(s("Zx9kq2Lm"), s("policy")),
        "invalid_options",
    );
    let lone = js_sys::JsString::from_char_code1(0xD800);
    let user_id: JsValue = js_sys::JsString::from("ab").concat(&lone).into();
    let options = object(&[
        ("userId", user_id),
        ("password", s("x")),
        ("accessToken", s(TOKEN)),
    ]);
    expect_error(build_request(options), "invalid_user_id");
    expect_error(build_request(JsValue::NULL), "invalid_options");
    expect_error(
        build_request(object(&[("userId", JsValue::from_f64(1.0))])),
        "invalid_user_id",
    );
    // The instance is alive and well after all of that.
    assert_eq!(
        get(
            &validate_password(s("Zx9kq2Lm"), JsValue::NULL).unwrap(),
            "valid"
        ),
        JsValue::TRUE
    );
}

#[wasm_bindgen_test]
fn a_throwing_getter_is_invalid_options_not_a_trap() {
    let options = object(&[("password", s("x")), ("accessToken", s(TOKEN))]);
    let descriptor = object(&[(
        "get",
        Function::new_no_args("throw new Error('boom')").into(),
    )]);
    Reflect::define_property(
        options.unchecked_ref::<Object>(),
        &s("userId"),
        descriptor.unchecked_ref::<Object>(),
    )
    .unwrap();
    let error = expect_error(build_request(options), "invalid_options");
    assert_eq!(
        get(&Array::from(&get(&error, "fieldErrors")).get(0), "field")
            .as_string()
            .as_deref(),
        Some("userId")
    );
}

#[wasm_bindgen_test]
fn a_polluted_object_prototype_cannot_inject_a_base_url() {
    let prototype = Object::get_prototype_of(&Object::new().into());
    Reflect::set(&prototype, &s("baseUrl"), &s("https://evil.example/v2")).unwrap();
    let options = object(&[
        ("userId", s("me")),
        ("password", s("x")),
        ("accessToken", s(TOKEN)),
    ]);
    let request = build_request(options);
    Reflect::delete_property(&prototype, &s("baseUrl")).unwrap();
    let url = get(&request.unwrap(), "url").as_string().unwrap();
    assert_eq!(url, "https://api.zoom.us/v2/users/me/password");
}

#[wasm_bindgen_test]
fn classify_response_reads_plain_header_objects() {
    let headers = object(&[
        ("Retry-After", s("2020-05-31T00:00:00Z")),
        ("X-RateLimit-Type", s("Daily-limit")),
    ]);
    let outcome = classify_response(object(&[
        ("status", JsValue::from_f64(429.0)),
        ("body", s("")),
        ("headers", headers),
    ]))
    .unwrap();
    assert_eq!(
        get(&outcome, "kind").as_string().as_deref(),
        Some("rate_limited")
    );
    assert_eq!(
        get(&outcome, "rateLimitType").as_string().as_deref(),
        Some("daily")
    );
    assert_eq!(
        get(&outcome, "retryAfterMs").as_f64(),
        Some(0.0),
        "a past date means now"
    );
    let ok = classify_response(object(&[("status", JsValue::from_f64(204.0))])).unwrap();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn update_password_changes_the_mock_and_classifies_failures() {
    let password = fresh_password("Wasm-Test");
    let result = update_password(object(&update_options("grace@example.com", &password)))
        .await
        .unwrap();
    assert_eq!(get(&result, "attempts").as_f64(), Some(1.0));
    assert_eq!(get(&result, "alreadySet"), JsValue::FALSE);

    let again = update_password(object(&update_options("grace@example.com", &password))).await;
    let error = expect_error(again, "password_reused");
    assert_eq!(get(&error, "status").as_f64(), Some(400.0));
    assert_eq!(get(&error, "zoomCode").as_f64(), Some(300.0));
    assert_eq!(
        get(&error, "userId").as_string().as_deref(),
        Some("grace@example.com")
    );

    let missing = update_password(object(&update_options("nobody@example.com", &password))).await;
    expect_error(missing, "user_not_found");
}

#[wasm_bindgen_test]
async fn update_password_retries_server_errors_and_reconciles_a_lost_answer() {
    let faults = r#"[{"type":"status","status":500,"userId":"ada@example.com"},{"type":"drop","apply":true,"userId":"ada@example.com"}]"#;
    mock_control("faults", faults).await;
    let result = update_password(object(&update_options(
        "ada@example.com",
        &fresh_password("Wasm-Lost"),
    )))
    .await
    .unwrap();
    assert_eq!(get(&result, "attempts").as_f64(), Some(3.0));
    assert_eq!(get(&result, "alreadySet"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn update_password_times_out_and_aborts() {
    mock_control(
        "faults",
        r#"[{"type":"hang","userId":"owner@example.com"}]"#,
    )
    .await;
    let mut options = update_options("owner@example.com", &fresh_password("Wasm-Hang"));
    options.push(("timeoutMs", JsValue::from_f64(100.0)));
    options.push(("retry", JsValue::FALSE));
    expect_error(update_password(object(&options)).await, "timeout");

    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let mut options = update_options("owner@example.com", &fresh_password("Wasm-Abort"));
    options.push(("signal", controller.signal().into()));
    let error = expect_error(update_password(object(&options)).await, "aborted");
    assert_eq!(get(&error, "attempts").as_f64(), Some(0.0));
}
