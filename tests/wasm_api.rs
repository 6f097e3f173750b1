//! The exports inside wasm (wasm-bindgen-test), in Node and in headless
//! Chromium, against the local Zoom mock over real HTTP: the async exports
//! send from Rust and resolve or reject as the README says; failures are real
//! `Error`s named `ZoomPasswordError`; a hostile global `fetch` (rejecting
//! with a string, resolving to something that is not a Response) and odd
//! inputs never trap the instance.
//!
//! scripts/test.sh starts the mock and passes its origin at compile time
//! (`ZOOM_MOCK_ORIGIN`); without it every network test fails, naming why.
//! It runs the full build in Node and the browser build (no `server`
//! feature) in Chromium; the bulk test needs the full build.

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use zoom_password::bindings::*;

const MOCK: Option<&str> = option_env!("ZOOM_MOCK_ORIGIN");

/// The mock's origin: a network test without it fails, never passes unseen.
fn mock_origin() -> &'static str {
    MOCK.expect("ZOOM_MOCK_ORIGIN was not set at build time: run the tests through scripts/test.sh")
}
const TOKEN: &str = "demo-token-0123456789";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn plain_fetch(url: &str, init: &JsValue) -> Promise;
}

fn js(text: &str) -> JsValue {
    JsValue::from_str(text)
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |value, key| {
        Reflect::get(&value, &js(key)).expect("readable property")
    })
}

fn text(value: &JsValue, path: &str) -> String {
    get(value, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

/// An object from JSON text: options as a caller writes them.
fn object(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

/// Asserts `error` is a ZoomPasswordError of `kind`.
fn expect_kind(error: &JsValue, kind: &str) {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert_eq!(text(error, "name"), "ZoomPasswordError");
    assert_eq!(text(error, "kind"), kind, "{}", text(error, "message"));
    assert!(is_zoom_password_error(error));
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

async fn control(path: &str, body: Option<&str>) -> JsValue {
    let origin = mock_origin();
    let init = match body {
        None => JsValue::UNDEFINED,
        Some(body) => object(&format!(
            r#"{{"method":"POST","headers":{{"Content-Type":"application/json"}},"body":{}}}"#,
            JSON::stringify(&js(body)).unwrap().as_string().unwrap()
        )),
    };
    let response = settle(plain_fetch(&format!("{origin}/__mock/{path}"), &init))
        .await
        .expect("mock control");
    let json: Function = get(&response, "json").unchecked_into();
    settle(json.call0(&response).unwrap().unchecked_into())
        .await
        .expect("mock JSON")
}

/// The password requests the mock received since its last reset.
async fn password_requests() -> Vec<JsValue> {
    Array::from(&control("requests", None).await)
        .iter()
        .filter(|r| text(r, "kind") == "password")
        .collect()
}

fn update_options(user_id: &str, password: &str, extra: &str) -> JsValue {
    let origin = mock_origin();
    object(&format!(
        r#"{{"userId":"{user_id}","password":"{password}","accessToken":"{TOKEN}","baseUrl":"{origin}/v2","retry":{{"baseDelayMs":5,"maxDelayMs":50}}{extra}}}"#
    ))
}

/// Replaces `globalThis.fetch` for one block of a test, then restores it.
struct FetchReplaced(JsValue);

impl FetchReplaced {
    fn with(body: &str) -> FetchReplaced {
        let global = js_sys::global();
        let real = Reflect::get(&global, &js("fetch")).unwrap();
        let fake = Function::new_no_args(body);
        Reflect::set(&global, &js("fetch"), &fake).unwrap();
        FetchReplaced(real)
    }
}

impl Drop for FetchReplaced {
    fn drop(&mut self) {
        Reflect::set(&js_sys::global(), &js("fetch"), &self.0).unwrap();
    }
}

/// validatePassword as pkg-templates/api.js makes it from the full reading:
/// the report's code, turned into the report.
fn validate_password(password: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let code = validate_password_code(password, policy)?;
    let report = zoom_password::core::password::report_from_code(code);
    // As the glue's objects have it: a missing zoomCode is null.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    Ok(serde::Serialize::serialize(&report, &serializer).unwrap())
}

/// The quick call answers what the full reading answers, and leaves to it
/// what it cannot take as it is.
#[wasm_bindgen_test]
fn the_quick_password_check_agrees_with_the_full_reading() {
    let policy = object(
        r#"{"minimum_password_length":12,"have_special_character":true,"consecutive_characters_length":5,"weak_enhance_detection":true}"#,
    );
    for password in [
        "Zx9kq2Lm!",
        "Password1",
        "abcde-12345-XY",
        "Äpfel-und-birnen-12!",
        " lead",
        "",
    ] {
        assert_eq!(
            check_password(password, 0.0, 0.0, 0),
            validate_password_code(js(password), JsValue::UNDEFINED).unwrap(),
            "{password}"
        );
        assert_eq!(
            check_password(password, 12.0, 5.0, 1 | 2 | 4 | 8),
            validate_password_code(js(password), policy.clone()).unwrap(),
            "{password}"
        );
    }
    const FULL: u32 = u32::MAX;
    assert_eq!(
        check_password("a\u{FFFD}b", 0.0, 0.0, 0),
        FULL,
        "maybe a lone surrogate"
    );
    assert_eq!(check_password("x", 3.0, 0.0, 4), FULL, "out of range");
    assert_eq!(check_password("x", -1.0, 0.0, 4), FULL, "no sentinel");
    assert_eq!(check_password("x", f64::NAN, 0.0, 4), FULL, "not a number");
    assert_eq!(Array::from(&password_check_lines()).length(), 21);
}

#[wasm_bindgen_test]
fn validate_password_answers_a_report_and_refuses_bad_policies() {
    let report = validate_password(js("Zx9kq2Lm!"), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&report, "valid").as_bool(), Some(true));
    assert_eq!(Array::from(&get(&report, "checks")).length(), 8);
    let weak = validate_password(
        js("Password1"),
        object(r#"{"weak_enhance_detection":true,"have_special_character":true}"#),
    )
    .unwrap();
    let rules: Vec<String> = Array::from(&get(&weak, "violations"))
        .iter()
        .map(|v| text(&v, "rule"))
        .collect();
    assert_eq!(rules, ["special_character", "weak_password"]);
    assert!(get(&weak, "checks").is_array());
    assert!(
        get(&Array::from(&get(&weak, "checks")).get(2), "zoomCode").is_null(),
        "max_length has no code"
    );

    let error = validate_password(js("x"), object(r#"{"minimum_password_length":3}"#)).unwrap_err();
    expect_kind(&error, "invalid_options");
    assert_eq!(
        text(&Array::from(&get(&error, "fieldErrors")).get(0), "field"),
        "minimum_password_length"
    );
    expect_kind(
        &validate_password(JsValue::from(42), JsValue::NULL).unwrap_err(),
        "invalid_password",
    );
}

/// Letters and cases beyond ASCII come from the platform's `\p{...}`
/// classes here; src/core/password.rs checks the same table (tests/common/)
/// against Rust's.
#[wasm_bindgen_test]
fn letters_and_cases_beyond_ascii_agree_with_rusts_tables() {
    let cases: &[(&str, &[&str])] = include!("common/letter_cases.rs");
    for &(password, violated) in cases {
        let report = validate_password(js(password), JsValue::UNDEFINED).unwrap();
        let rules: Vec<String> = Array::from(&get(&report, "violations"))
            .iter()
            .map(|v| text(&v, "rule"))
            .collect();
        assert_eq!(rules, violated, "{password}");
    }
}

#[wasm_bindgen_test]
fn build_request_and_classify_response_are_plain_objects() {
    let request = build_request(object(
        r#"{"userId":"a+b@x.com","password":"Zx9kq2Lm!","accessToken":"tok","encoding":"json"}"#,
    ))
    .unwrap();
    assert_eq!(
        text(&request, "url"),
        "https://api.zoom.us/v2/users/a%2Bb%40x.com/password"
    );
    assert_eq!(text(&request, "headers.Content-Type"), "application/json");
    assert_eq!(text(&request, "fields.password"), "Zx9kq2Lm!");
    expect_kind(
        &build_request(object(
            r#"{"userId":"..","password":"x","accessToken":"t"}"#,
        ))
        .unwrap_err(),
        "invalid_user_id",
    );

    let outcome = classify_response(object(
        r#"{"status":400,"body":"{\"code\":1010,\"message\":\"User not found on this account\"}"}"#,
    ))
    .unwrap();
    assert_eq!(get(&outcome, "ok").as_bool(), Some(false));
    assert_eq!(text(&outcome, "kind"), "user_not_found");
    assert!(get(&outcome, "retryAfterMs").is_null());
    let ok = classify_response(object(r#"{"status":204}"#)).unwrap();
    assert_eq!(JSON::stringify(&ok).unwrap(), "{\"ok\":true}");
}

#[wasm_bindgen_test]
fn is_zoom_password_error_never_throws() {
    let proxy = js_sys::eval(
        "new Proxy({}, { getPrototypeOf() { throw new Error('no'); }, get() { throw new Error('no'); } })",
    )
    .unwrap();
    assert!(!is_zoom_password_error(&proxy));
    assert!(!is_zoom_password_error(&object(
        r#"{"name":"ZoomPasswordError","kind":"x"}"#
    )));
    assert!(!is_zoom_password_error(&js_sys::Error::new("x").into()));
}

#[wasm_bindgen_test]
async fn update_password_sends_the_form_from_rust() {
    mock_origin();
    control("reset", Some("{}")).await;
    let result = settle(update_password(update_options(
        "ada@example.com",
        "Wasm-Test-Pass-1",
        "",
    )))
    .await
    .expect("resolves");
    assert_eq!(
        JSON::stringify(&result).unwrap(),
        r#"{"userId":"ada@example.com","attempts":1,"alreadySet":false}"#
    );
    let requests = password_requests().await;
    assert_eq!(requests.len(), 1);
    assert_eq!(text(&requests[0], "encoding"), "multipart");
    assert_eq!(
        text(&requests[0], "rawPath"),
        "/v2/users/ada%40example.com/password"
    );
    assert_eq!(text(&requests[0], "fields.password"), "Wasm-Test-Pass-1");
    assert_eq!(
        text(&requests[0], "headers.authorization"),
        format!("Bearer {TOKEN}")
    );
}

#[wasm_bindgen_test]
async fn answers_become_typed_errors_and_retries_reconcile() {
    mock_origin();
    control("reset", Some("{}")).await;
    let error = settle(update_password(update_options(
        "nobody@example.com",
        "Wasm-Test-Pass-2",
        "",
    )))
    .await
    .unwrap_err();
    expect_kind(&error, "user_not_found");
    assert_eq!(get(&error, "status").as_f64(), Some(404.0));
    assert_eq!(get(&error, "attempts").as_f64(), Some(1.0));
    assert_eq!(text(&error, "userId"), "nobody@example.com");

    control(
        "faults",
        Some(r#"[{"type":"status","status":500},{"type":"drop","apply":true}]"#),
    )
    .await;
    let result = settle(update_password(update_options(
        "grace@example.com",
        "Wasm-Test-Pass-3",
        "",
    )))
    .await
    .expect("reconciled");
    assert_eq!(get(&result, "attempts").as_f64(), Some(3.0));
    assert_eq!(get(&result, "alreadySet").as_bool(), Some(true));

    let weak = settle(update_password(update_options(
        "ada@example.com",
        "weakpass",
        "",
    )))
    .await
    .unwrap_err();
    expect_kind(&weak, "invalid_password");
    assert_eq!(get(&weak, "attempts").as_f64(), Some(0.0));
}

#[wasm_bindgen_test]
async fn a_hostile_fetch_never_traps_the_instance() {
    let cases = [
        ("return Promise.reject('a string, not an Error')", "network_error"),
        ("throw 42", "network_error"),
        ("return Promise.resolve('not a Response')", "unexpected_response"),
        ("return { status: 'weird' }", "unexpected_response"),
        // Promise.resolve reads `then` and rejects with what the trap threw.
        (
            "return new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } })",
            "network_error",
        ),
        (
            "return Promise.resolve(new Proxy({ status: 204 }, { getPrototypeOf() { throw new Error('trap'); } }))",
            "ok",
        ),
        ("return { status: 503, text() { throw new Error('no body'); } }", "server_error"),
    ];
    for (body, kind) in cases {
        let _fake = FetchReplaced::with(body);
        let options = update_options("me", "Zx9kq2Lm!", r#","retry":false"#);
        match settle(update_password(options)).await {
            Ok(result) => assert_eq!((kind, get(&result, "attempts").as_f64()), ("ok", Some(1.0))),
            Err(error) => expect_kind(&error, kind),
        }
    }
    // And it still works afterwards.
    let _fake = FetchReplaced::with("return Promise.resolve(new Response(null, { status: 204 }))");
    let result = settle(update_password(update_options("me", "Zx9kq2Lm!", "")))
        .await
        .unwrap();
    assert_eq!(get(&result, "attempts").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn an_abort_before_sending_sends_nothing() {
    mock_origin();
    control("reset", Some("{}")).await;
    let controller = web_sys_abort_controller();
    let abort: Function = get(&controller, "abort").unchecked_into();
    abort.call0(&controller).unwrap();
    let options = update_options("ada@example.com", "Wasm-Test-Pass-4", "");
    Reflect::set(&options, &js("signal"), &get(&controller, "signal")).unwrap();
    let error = settle(update_password(options)).await.unwrap_err();
    expect_kind(&error, "aborted");
    assert_eq!(get(&error, "attempts").as_f64(), Some(0.0));
    assert!(password_requests().await.is_empty());
}

#[wasm_bindgen_test]
async fn a_client_reads_the_account_policy() {
    let origin = mock_origin();
    control(
        "reset",
        Some(r#"{"policy":{"have_special_character":true}}"#),
    )
    .await;
    let client = ZoomPasswordClient::new(object(&format!(
        r#"{{"accessToken":"{TOKEN}","baseUrl":"{origin}/v2"}}"#
    )))
    .expect("a client");
    let policy = settle(client.fetch_password_policy(JsValue::UNDEFINED, JsValue::UNDEFINED))
        .await
        .expect("a policy");
    assert_eq!(get(&policy, "have_special_character").as_bool(), Some(true));
}

/// The bulk runner is in the full build only (Node here).
#[cfg(feature = "server")]
#[wasm_bindgen_test]
async fn a_client_paces_and_runs_a_bulk_pool() {
    let origin = mock_origin();
    control("reset", Some("{}")).await;
    let rate = 10.0;
    let client = ZoomPasswordClient::new(object(&format!(
        r#"{{"accessToken":"{TOKEN}","baseUrl":"{origin}/v2","requestsPerSecond":{rate}}}"#
    )))
    .expect("a client");
    let items = object(
        r#"[{"userId":"ada@example.com","password":"Bulk-Wasm-Pass-1"},{"userId":"grace@example.com","password":"weak"},{"userId":"owner@example.com","password":"Bulk-Wasm-Pass-3"},{"userId":"sso@example.com","password":"Bulk-Wasm-Pass-4"}]"#,
    );
    let summary = settle(client.update_passwords(items, object(r#"{"concurrency":3}"#)))
        .await
        .expect("resolves");
    assert_eq!(get(&summary, "succeeded").as_f64(), Some(2.0));
    assert_eq!(get(&summary, "failed").as_f64(), Some(2.0));
    let refused = Array::from(&get(&summary, "results")).get(1);
    assert_eq!(text(&refused, "error.kind"), "invalid_password");
    let sent = password_requests().await;
    assert_eq!(sent.len(), 3, "nothing sent for the weak one");
    // Three workers at once, yet the requests left at most `rate` a second:
    // the pacer spaces them 1/rate apart (105 ms here). Unpaced, all three
    // would arrive within a few ms; the bound leaves 50 ms for a busy machine.
    let mut times: Vec<f64> = sent
        .iter()
        .map(|r| get(r, "receivedAt").as_f64().unwrap())
        .collect();
    times.sort_by(f64::total_cmp);
    let span = times[2] - times[0];
    assert!(
        span >= 2.0 * 1000.0 / rate - 50.0,
        "3 requests within {span} ms at {rate}/s"
    );
}

fn web_sys_abort_controller() -> JsValue {
    js_sys::eval("new AbortController()").unwrap()
}

/// Runs `body` (JS, with `crypto` in scope) to patch or restore `crypto`.
fn patch_crypto(body: &str) {
    Function::new_with_args("crypto", body)
        .call1(&JsValue::UNDEFINED, &get(&js_sys::global(), "crypto"))
        .expect("patch crypto");
}

#[wasm_bindgen_test]
fn generate_password_draws_from_crypto_get_random_values() {
    let policy = object(
        r#"{"minimum_password_length":14,"have_special_character":true,"consecutive_characters_length":4,"weak_enhance_detection":true}"#,
    );
    // Count the calls: the bytes must come from crypto.getRandomValues.
    patch_crypto(
        "const real = crypto.getRandomValues; globalThis.__draws = 0; \
         crypto.getRandomValues = function (a) { globalThis.__draws += 1; return real.call(crypto, a); }; \
         globalThis.__restore = () => { delete crypto.getRandomValues; };",
    );
    let mut seen = std::collections::HashSet::new();
    for _ in 0..50 {
        let password = generate_password(policy.clone(), JsValue::UNDEFINED).unwrap();
        assert_eq!(password.len(), 16);
        let report = validate_password(js(&password), policy.clone()).unwrap();
        assert_eq!(get(&report, "valid").as_bool(), Some(true), "{password}");
        seen.insert(password);
    }
    let draws = get(&js_sys::global(), "__draws").as_f64().unwrap();
    patch_crypto("globalThis.__restore();");
    assert_eq!(seen.len(), 50);
    assert!(draws >= 50.0, "{draws} calls to getRandomValues");

    // A throwing or a do-nothing source is a typed error, and no trap.
    patch_crypto("crypto.getRandomValues = () => { throw new Error('gone'); };");
    let thrown = generate_password(JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap_err();
    patch_crypto("crypto.getRandomValues = (a) => a;");
    let stuck = generate_password(JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap_err();
    patch_crypto("delete crypto.getRandomValues;");
    // A runtime without a working crypto: unsupported_environment, not retryable.
    expect_kind(&thrown, "unsupported_environment");
    expect_kind(&stuck, "unsupported_environment");
    assert_eq!(get(&stuck, "retryable").as_bool(), Some(false));
    let length = generate_password(JsValue::UNDEFINED, object(r#"{"length":40}"#)).unwrap_err();
    expect_kind(&length, "invalid_options");
    assert_eq!(
        generate_password(JsValue::UNDEFINED, object(r#"{"length":31}"#))
            .unwrap()
            .len(),
        31
    );
}

#[wasm_bindgen_test]
async fn check_breached_password_hashes_with_crypto_subtle() {
    let origin = mock_origin();
    control("reset", Some("{}")).await;
    let options = object(&format!(r#"{{"rangeUrl":"{origin}/range/"}}"#));
    let breached = settle(check_breached_password(js("Password123"), options.clone()))
        .await
        .unwrap();
    assert_eq!(get(&breached, "breached").as_bool(), Some(true));
    assert_eq!(get(&breached, "count").as_f64(), Some(251_682.0));
    let clean = settle(check_breached_password(
        js("Zx9kq2Lm!-unlisted"),
        options.clone(),
    ))
    .await
    .unwrap();
    assert_eq!(get(&clean, "breached").as_bool(), Some(false));
    let paths: Vec<String> = Array::from(&control("requests", None).await)
        .iter()
        .filter(|r| text(r, "kind") == "range")
        .map(|r| text(&r, "path"))
        .collect();
    // SHA-1("Password123") = B2E98AD6F6EB8508DD6A14CFA704BAD7F05F6FB1.
    assert_eq!(paths[0], "/range/B2E98");
    assert_eq!(paths.len(), 2);

    // Without WebCrypto (a browser page that is not a secure context): a
    // typed error, and nothing sent.
    patch_crypto("crypto.__subtle = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(crypto), 'subtle'); Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true });");
    let missing = settle(check_breached_password(js("Password123"), options.clone())).await;
    patch_crypto("delete crypto.subtle;");
    expect_kind(&missing.unwrap_err(), "unsupported_environment");
    let after = Array::from(&control("requests", None).await).length();
    assert_eq!(after, 2, "nothing sent without a hash");
    // A hostile digest answer is refused, not trusted.
    patch_crypto("Object.defineProperty(crypto, 'subtle', { value: { digest: async () => 'not a buffer' }, configurable: true });");
    let hostile = settle(check_breached_password(js("Password123"), options)).await;
    patch_crypto("delete crypto.subtle;");
    expect_kind(&hostile.unwrap_err(), "unsupported_environment");
}

/// A runtime without fetch, FormData or AbortController: the call ends with
/// unsupported_environment, attempts 0, never retried, nothing sent.
#[wasm_bindgen_test]
async fn a_runtime_without_a_platform_feature_is_unsupported_not_retried() {
    mock_origin();
    control("reset", Some("{}")).await;
    for global in ["fetch", "FormData", "AbortController"] {
        let saved = Reflect::get(&js_sys::global(), &js(global)).unwrap();
        Reflect::set(&js_sys::global(), &js(global), &JsValue::UNDEFINED).unwrap();
        let error = settle(update_password(update_options(
            "ada@example.com",
            "Wasm-Test-Pass-9",
            "",
        )))
        .await
        .unwrap_err();
        Reflect::set(&js_sys::global(), &js(global), &saved).unwrap();
        expect_kind(&error, "unsupported_environment");
        assert_eq!(get(&error, "attempts").as_f64(), Some(0.0), "{global}");
        assert_eq!(get(&error, "retryable").as_bool(), Some(false), "{global}");
    }
    assert!(password_requests().await.is_empty());
}
