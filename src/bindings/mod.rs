//! The wasm exports: synchronous functions of strings and numbers that
//! return JSON text (parsed once on the JS side). The JS half of the
//! bindings (`pkg-templates/lib/`) reads option objects, calls `fetch`, runs
//! the timers and turns `{"error": ...}` into a `ZoomPasswordError`; every
//! decision it needs is asked of the core through these functions.
//!
//! Why not `async` Rust with `fetch` bound here: wasm-bindgen-futures, the
//! closures and the async state machines were about half of a 76 KB
//! (gzipped) module, against a 35 KB browser budget; and the extra microtask
//! hops per attempt cost 35-45% throughput next to a plain `fetch` loop.
//!
//! Conventions: a result is a JSON object without an `error` key; a failure
//! is `{"error": {...fields, message}}` (`crate::output::thrown`). Nothing
//! here panics on any input: every value is checked by the core.

#[cfg(feature = "shipped")]
mod runtime;

use wasm_bindgen::prelude::*;

#[allow(unused_imports)]
use crate::prelude::*;

use crate::attempt::{self, Settled};
use crate::classify::{self, HttpResponse};
use crate::error::{ErrorKind, Failure, FieldError};
use crate::oauth;
use crate::output::{self, ObjectWriter};
use crate::pacer::Pacer;
use crate::password::{self, Policy};
use crate::request::{self, BodyEncoding, RequestOptions};
use crate::retry::{whole_number, Attempts, RetryPolicy};

const OK: &str = "{}";

fn thrown(failure: &Failure) -> String {
    output::thrown(failure, 0)
}

fn object_with_string(key: &str, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + key.len() + 8);
    ObjectWriter::new(&mut out).str(key, value).end();
    out
}

fn policy(
    minimum_password_length: f64,
    consecutive_characters_length: f64,
    have_special_character: bool,
    weak_enhance_detection: bool,
) -> Result<Policy, Failure> {
    Ok(Policy {
        minimum_password_length: Policy::minimum_length_from(minimum_password_length)?,
        consecutive_characters_length: Policy::consecutive_length_from(
            consecutive_characters_length,
        )?,
        have_special_character,
        weak_enhance_detection,
    })
}

/// What `validate` answers.
const REPORT: u8 = 0;
/// `{}` when valid, else the `invalid_password` failure with its violations
/// (how `updatePassword` checks before sending).
const FAILURE_ONLY: u8 = 1;
/// `{}`: the policy alone is checked (when an option object is read).
const POLICY_ONLY: u8 = 2;

/// `validatePassword`, in the form `mode` asks for; any mode fails with
/// `invalid_options` for a policy value out of range. Absent policy numbers
/// are 0 (the basic rule).
#[wasm_bindgen(js_name = validate)]
pub fn validate(
    password: &str,
    minimum_password_length: f64,
    consecutive_characters_length: f64,
    have_special_character: bool,
    weak_enhance_detection: bool,
    mode: u8,
) -> String {
    let policy = match policy(
        minimum_password_length,
        consecutive_characters_length,
        have_special_character,
        weak_enhance_detection,
    ) {
        Ok(policy) => policy,
        Err(failure) => return thrown(&failure),
    };
    if mode == POLICY_ONLY {
        return String::from(OK);
    }
    let report = password::validate_password(password, &policy);
    if mode == REPORT {
        return output::report(&report);
    }
    debug_assert_eq!(mode, FAILURE_ONLY);
    match report.into_failure() {
        None => String::from(OK),
        Some(failure) => thrown(&failure),
    }
}

fn encoding(name: Option<String>) -> Result<BodyEncoding, Failure> {
    match name {
        Some(name) => BodyEncoding::parse(&name),
        None => Ok(BodyEncoding::Multipart),
    }
}

/// `buildRequest`: `{ method, url, headers, encoding, fields }`.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    user_id: &str,
    password: &str,
    access_token: &str,
    base_url: Option<String>,
    encoding_name: Option<String>,
    page_url: Option<String>,
) -> String {
    let built = encoding(encoding_name).and_then(|encoding| {
        request::build_request(&RequestOptions {
            user_id,
            password,
            access_token,
            base_url: base_url.as_deref(),
            encoding,
            page_url: page_url.as_deref(),
        })
    });
    match built {
        Ok(prepared) => output::prepared_request(&prepared),
        Err(failure) => thrown(&failure),
    }
}

/// Checks a transport's settings once, when they are given:
/// `{ "json": bool }` (the body encoding), or the failure.
#[wasm_bindgen(js_name = checkTransport)]
pub fn check_transport(
    base_url: Option<String>,
    page_url: Option<String>,
    encoding_name: Option<String>,
) -> String {
    let checked = request::resolve_base_url(base_url.as_deref(), page_url.as_deref())
        .and_then(|_| encoding(encoding_name));
    match checked {
        Ok(encoding) => {
            let mut out = String::new();
            ObjectWriter::new(&mut out)
                .bool("json", encoding == BodyEncoding::Json)
                .end();
            out
        }
        Err(failure) => thrown(&failure),
    }
}

/// `{}` for a usable bearer token, else `invalid_options`.
#[wasm_bindgen(js_name = checkToken)]
pub fn check_token(token: &str) -> String {
    match request::check_access_token(token) {
        Ok(()) => String::from(OK),
        Err(failure) => thrown(&failure),
    }
}

/// `{ url }` of `PUT .../users/{userId}/password`.
#[wasm_bindgen(js_name = passwordUrl)]
pub fn password_url(user_id: &str, base_url: Option<String>, page_url: Option<String>) -> String {
    match request::password_url(user_id, base_url.as_deref(), page_url.as_deref()) {
        Ok(url) => object_with_string("url", &url),
        Err(failure) => thrown(&failure),
    }
}

/// `{ url }` of `GET .../accounts/{accountId}/settings?option=security`.
#[wasm_bindgen(js_name = settingsUrl)]
pub fn settings_url(
    account_id: &str,
    base_url: Option<String>,
    page_url: Option<String>,
) -> String {
    match request::security_settings_url(account_id, base_url.as_deref(), page_url.as_deref()) {
        Ok(url) => object_with_string("url", &url),
        Err(failure) => thrown(&failure),
    }
}

/// The JSON body `{"password": ...}` for `encoding: "json"`.
#[wasm_bindgen(js_name = jsonBody)]
pub fn json_body(password: &str) -> String {
    request::json_body(password)
}

/// `classifyResponse`: the Outcome, or `invalid_options` for a status that
/// is not an integer 0..999.
#[wasm_bindgen(js_name = classify)]
pub fn classify(
    status: f64,
    body: &str,
    retry_after: Option<String>,
    rate_limit_type: Option<String>,
    now_ms: f64,
) -> String {
    let Some(status) = whole_number(status, 999) else {
        return thrown(&Failure::invalid_options(
            "status",
            "response.status must be an integer from 0 to 999.",
        ));
    };
    let response = HttpResponse {
        status: status as u16,
        body,
        retry_after: retry_after.as_deref(),
        rate_limit_type: rate_limit_type.as_deref(),
    };
    let now = whole_number(now_ms, u64::MAX).unwrap_or(0);
    output::outcome(classify::classify_response(&response, now).err().as_ref())
}

/// Checks a `retry` option and writes the state of a call's attempts under
/// it into `state` (`Attempts::WORDS` words), or returns the failure.
/// `none` is `retry: false`; NaN numbers are "not given".
#[wasm_bindgen(js_name = retryPolicy)]
pub fn retry_policy(state: &mut [u32], none: bool, attempts: f64, base: f64, max: f64) -> String {
    let given = |n: f64| (!n.is_nan()).then_some(n);
    let policy = if none {
        Ok(RetryPolicy::NONE)
    } else {
        RetryPolicy::new(given(attempts), given(base), given(max))
    };
    match policy {
        Ok(policy) => {
            write_attempts(state, &Attempts::new(policy));
            String::from(OK)
        }
        Err(failure) => thrown(&failure),
    }
}

fn read_attempts(state: &[u32]) -> Attempts {
    Attempts::from_words(state).unwrap_or_else(|| Attempts::new(RetryPolicy::default()))
}

fn write_attempts(state: &mut [u32], attempts: &Attempts) {
    for (word, value) in state.iter_mut().zip(attempts.to_words()) {
        *word = value;
    }
}

/// Marks a call as possibly done already by an earlier run (a resumed bulk
/// run): a `password_reused` answer then means "already set".
#[wasm_bindgen(js_name = maybeApplied)]
pub fn maybe_applied(state: &mut [u32]) {
    let attempts = read_attempts(state).after_unknown_prior_attempt();
    write_attempts(state, &attempts);
}

/// After an attempt answered 2xx (success whatever else it says, API.md):
/// counts it and returns the attempts made. The common path, so it takes
/// and returns no strings.
#[wasm_bindgen(js_name = attemptSucceeded)]
pub fn attempt_succeeded(state: &mut [u32]) -> u32 {
    let mut attempts = read_attempts(state);
    attempts.start();
    write_attempts(state, &attempts);
    attempts.made()
}

/// Attempts sent so far.
#[wasm_bindgen(js_name = attemptsMade)]
pub fn attempts_made(state: &[u32]) -> u32 {
    read_attempts(state).made()
}

fn random_u32(random: f64) -> u32 {
    (random * 4_294_967_296.0) as u32
}

/// After an attempt that got an answer: `{ next, attempts, holdMs, ... }`.
/// `password` and `token` are cut from any server text.
#[wasm_bindgen(js_name = afterAnswer)]
#[allow(clippy::too_many_arguments)]
pub fn after_answer(
    state: &mut [u32],
    status: f64,
    body: &str,
    retry_after: Option<String>,
    rate_limit_type: Option<String>,
    now_ms: f64,
    password: &str,
    token: &str,
    can_refresh: bool,
    random: f64,
) -> String {
    let response = HttpResponse {
        // Not a status (an opaque redirect says 0): unexpected_response.
        status: whole_number(status, 999).unwrap_or(0) as u16,
        body,
        retry_after: retry_after.as_deref(),
        rate_limit_type: rate_limit_type.as_deref(),
    };
    let now = whole_number(now_ms, u64::MAX).unwrap_or(0);
    let mut attempts = read_attempts(state);
    attempts.start();
    let settled = attempt::after_answer(
        &mut attempts,
        &response,
        now,
        &[password, token],
        can_refresh,
        random_u32(random),
    );
    finish(state, &attempts, &settled)
}

fn finish(state: &mut [u32], attempts: &Attempts, settled: &Settled) -> String {
    write_attempts(state, attempts);
    output::settled(settled, attempts.made())
}

fn transport_kind(kind: &str) -> ErrorKind {
    match kind {
        "aborted" => ErrorKind::Aborted,
        "timeout" => ErrorKind::Timeout,
        _ => ErrorKind::NetworkError,
    }
}

/// After an attempt that got no answer: `kind` is `"aborted"`, `"timeout"`
/// or anything else for a network error, with the platform's `detail` and
/// `code`. `sent`: false when the call stops before sending (an abort while
/// waiting), so it does not count as an attempt. The token request of
/// `serverToServerTokenProvider` uses it too, with its own secrets and a
/// `retry: false` state.
#[wasm_bindgen(js_name = afterError)]
#[allow(clippy::too_many_arguments)]
pub fn after_error(
    state: &mut [u32],
    kind: &str,
    detail: Option<String>,
    code: Option<String>,
    sent: bool,
    password: &str,
    token: &str,
    can_refresh: bool,
    random: f64,
) -> String {
    let failure =
        attempt::transport_failure(transport_kind(kind), detail.as_deref(), code.as_deref());
    let mut attempts = read_attempts(state);
    if sent {
        attempts.start();
    }
    let settled = attempt::after_failure(
        &mut attempts,
        failure,
        &[password, token],
        can_refresh,
        random_u32(random),
    );
    finish(state, &attempts, &settled)
}

/// A failure the JS side found (an option of the wrong type, an answer that
/// is not what Zoom sends): `{"error": ...}` with `fieldErrors` naming
/// `field` when given. Unknown kinds are `invalid_options`.
#[wasm_bindgen(js_name = failure)]
pub fn failure(kind: &str, field: Option<String>, message: &str, attempts: u32) -> String {
    let kind = ErrorKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .unwrap_or(ErrorKind::InvalidOptions);
    let mut failure = Failure::client(kind, "");
    failure.message = String::from(message).into();
    if let Some(field) = field {
        failure.field_errors.push(FieldError {
            field: field.into(),
            message: String::from(message).into(),
        });
    }
    output::thrown(&failure, attempts)
}

/// Checks `requestsPerSecond` and writes a pacer's state (3 numbers), or
/// returns the failure.
#[wasm_bindgen(js_name = pacerNew)]
pub fn pacer_new(state: &mut [f64], requests_per_second: f64) -> String {
    match Pacer::new(requests_per_second, 1) {
        Ok(pacer) => {
            write_pacer(state, &pacer);
            String::from(OK)
        }
        Err(failure) => thrown(&failure),
    }
}

fn write_pacer(state: &mut [f64], pacer: &Pacer) {
    for (slot, value) in state.iter_mut().zip(pacer.to_array()) {
        *slot = value;
    }
}

/// Reserves the next start time; returns how long to wait for it (ms).
#[wasm_bindgen(js_name = pacerReserve)]
pub fn pacer_reserve(state: &mut [f64], now_ms: f64) -> f64 {
    let Some(mut pacer) = Pacer::from_array(state) else {
        return 0.0;
    };
    let wait = pacer.reserve(now_ms);
    write_pacer(state, &pacer);
    wait
}

/// No request of the pacer starts before `until_ms`.
#[wasm_bindgen(js_name = pacerHold)]
pub fn pacer_hold(state: &mut [f64], until_ms: f64) {
    if let Some(mut pacer) = Pacer::from_array(state) {
        pacer.hold_until(until_ms);
        write_pacer(state, &pacer);
    }
}

/// The server-to-server token request: `{ url, authorization }`.
#[wasm_bindgen(js_name = tokenRequest)]
pub fn token_request(
    account_id: &str,
    client_id: &str,
    client_secret: &str,
    oauth_base_url: Option<String>,
) -> String {
    match oauth::token_request(
        account_id,
        client_id,
        client_secret,
        oauth_base_url.as_deref(),
    ) {
        Ok(request) => {
            let mut out =
                String::with_capacity(request.url.len() + request.authorization.len() + 40);
            ObjectWriter::new(&mut out)
                .str("url", &request.url)
                .str("authorization", &request.authorization)
                .end();
            out
        }
        Err(failure) => thrown(&failure),
    }
}

/// The token endpoint's answer: `{ accessToken, expiresIn }` (seconds), or
/// `unauthorized` with Zoom's reason. The secrets are cut from any text.
#[wasm_bindgen(js_name = tokenGrant)]
pub fn token_grant(status: f64, body: &str, client_secret: &str, authorization: &str) -> String {
    let status = whole_number(status, 999).unwrap_or(0) as u16;
    match oauth::parse_token_response(status, body, &[client_secret, authorization]) {
        Ok(grant) => {
            let mut out = String::with_capacity(grant.access_token.len() + 48);
            ObjectWriter::new(&mut out)
                .str("accessToken", &grant.access_token)
                .num("expiresIn", u64::from(grant.expires_in_seconds))
                .end();
            out
        }
        Err(failure) => thrown(&failure),
    }
}
