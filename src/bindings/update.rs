//! `updatePassword(options)`: validate, send through `fetch`, classify, and
//! retry per the core's `retry::Attempts` until one definite outcome.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, FormData};

use super::classify::ResponseHeaders;
use super::error::CallFailure;
use super::js::{now_ms, page_url, well_formed_string, JsObject, OptionBag};
use super::request::read_encoding;
use super::timers::{aborted, is_aborted, sleep, AbortListener, Timer};
use super::token::{TokenError, TokenSource};
use super::validate::{read_password, read_policy};
use crate::classify::{classify_response, HttpResponse};
use crate::error::{ErrorKind, Failure};
use crate::password::{validate_password, Policy};
use crate::request::{authorization_header, json_body, password_url, BodyEncoding, PreparedRequest};
use crate::retry::{whole_number, Attempts, RetryPolicy, Step, MAX_TIMER_MS};

pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch(url: &str, init: &JsValue) -> Result<Promise, JsValue>;

    /// A function, seen only for `Function.prototype.bind`.
    type Bindable;
    #[wasm_bindgen(method, js_name = bind)]
    fn bind_with_arg(this: &Bindable, context: &JsValue, arg: &JsValue) -> Function;
}

#[wasm_bindgen(js_name = updatePassword, skip_typescript)]
pub async fn update_password(
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let call = UpdateCall::read(&options).map_err(JsValue::from)?;
    call.run().await
}

/// One `updatePassword` call, its options checked.
pub(crate) struct UpdateCall {
    pub user_id: String,
    pub password: String,
    pub url: String,
    pub encoding: BodyEncoding,
    pub token: TokenSource,
    pub policy: Policy,
    pub validate: bool,
    pub timeout_ms: u64,
    pub signal: Option<AbortSignal>,
    pub retry: RetryPolicy,
}

/// An HTTP answer, read completely.
struct Answer {
    status: u16,
    body: String,
    retry_after: Option<String>,
    rate_limit_type: Option<String>,
}

impl UpdateCall {
    pub fn read(options: &JsValue) -> Result<UpdateCall, Failure> {
        let bag = OptionBag::new(options, "options", "")?;
        let user_id = bag.required_string("userId", ErrorKind::InvalidUserId)?;
        let password = read_password(&bag.get("password")?)?;
        let token = TokenSource::read(&bag.get("accessToken")?)?;
        let base_url = bag.string("baseUrl", ErrorKind::InvalidOptions)?;
        let url = password_url(&user_id, base_url.as_deref(), page_url().as_deref())?;
        Ok(UpdateCall {
            encoding: read_encoding(&bag)?,
            policy: read_policy(Some(&bag.get("policy")?))?,
            validate: bag.boolean("validate")?.unwrap_or(true),
            timeout_ms: read_timeout(&bag)?,
            signal: read_signal(&bag.get("signal")?)?,
            retry: read_retry(&bag.get("retry")?)?,
            user_id,
            password,
            url,
            token,
        })
    }

    fn fail(&self, failure: Failure, attempts: u32) -> JsValue {
        CallFailure { failure, attempts, user_id: Some(self.user_id.clone()), cause: None }.into()
    }

    pub async fn run(&self) -> Result<JsValue, JsValue> {
        if self.validate {
            if let Some(failure) = validate_password(&self.password, &self.policy).into_failure() {
                return Err(self.fail(failure, 0));
            }
        }
        let mut attempts = Attempts::new(self.retry);
        let mut refreshed_token: Option<String> = None;
        loop {
            if is_aborted(self.signal.as_ref()) {
                return Err(self.fail(aborted(), attempts.made()));
            }
            let token = match refreshed_token.take() {
                Some(token) => token,
                None => self.token.current().await.map_err(|e| self.token_error(e, attempts.made()))?,
            };
            let authorization = authorization_header(&token).map_err(|f| self.fail(f, attempts.made()))?;
            attempts.start();
            let mut failure = match self.send(&authorization).await {
                Ok(answer) => {
                    let parts = HttpResponse {
                        status: answer.status,
                        body: &answer.body,
                        retry_after: answer.retry_after.as_deref(),
                        rate_limit_type: answer.rate_limit_type.as_deref(),
                    };
                    match classify_response(&parts, now_ms()) {
                        Ok(()) => return Ok(self.success(attempts.made(), false)),
                        Err(failure) => failure,
                    }
                }
                Err(failure) => failure,
            };
            // Server text and fetch messages are not ours: never let them
            // carry the password or the token into an error.
            failure.redact(&[&self.password, &token]);
            if failure.kind == ErrorKind::Aborted {
                return Err(self.fail(failure, attempts.made()));
            }
            match attempts.after_failure(&failure, self.token.can_refresh(), random_u32()) {
                Step::Retry { delay_ms } => {
                    if let Err(failure) = sleep(delay_ms, self.signal.as_ref()).await {
                        return Err(self.fail(failure, attempts.made()));
                    }
                }
                Step::RefreshToken => {
                    let token = self.token.refreshed(&token).await.map_err(|e| self.token_error(e, attempts.made()))?;
                    refreshed_token = Some(token);
                }
                Step::AlreadySet => return Ok(self.success(attempts.made(), true)),
                Step::Fail => return Err(self.fail(failure, attempts.made())),
            }
        }
    }

    fn token_error(&self, error: TokenError, attempts: u32) -> JsValue {
        match error {
            TokenError::Failure(mut call) => {
                call.attempts = attempts;
                call.user_id = Some(self.user_id.clone());
                call.into()
            }
            TokenError::Thrown(error) => {
                // A ZoomPasswordError from the token function (for example
                // the server-to-server provider's): keep its kind and text.
                let _ = Reflect::set(&error, &JsValue::from_str("attempts"), &JsValue::from_f64(attempts as f64));
                let _ = Reflect::set(&error, &JsValue::from_str("userId"), &JsValue::from_str(&self.user_id));
                error
            }
        }
    }

    fn success(&self, attempts: u32, already_set: bool) -> JsValue {
        let result = JsObject::new();
        result
            .set("userId", self.user_id.as_str())
            .set("attempts", attempts as f64)
            .set("alreadySet", already_set);
        result.into_value()
    }

    /// One request: `fetch` with a per-attempt timeout and the caller's
    /// signal, both wired to one AbortController.
    async fn send(&self, authorization: &str) -> Result<Answer, Failure> {
        let controller = AbortController::new()
            .map_err(|_| Failure::client(ErrorKind::NetworkError, "AbortController is not available here."))?;
        // `abort.bind(controller, undefined)`: called by the timer or as an
        // event listener, it aborts with the default AbortError reason
        // rather than with the event object.
        let abort: Function = Reflect::get(&controller, &JsValue::from_str("abort"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .map(|f| f.unchecked_ref::<Bindable>().bind_with_arg(&controller, &JsValue::UNDEFINED))
            .ok_or_else(|| Failure::client(ErrorKind::NetworkError, "AbortController is not available here."))?;
        let _timer = Timer::start(&abort, self.timeout_ms);
        let _listener = self.signal.as_ref().map(|signal| AbortListener::add(signal, &abort));
        let attempt_signal = controller.signal();
        let settle_error = |error: JsValue| self.transport_failure(&attempt_signal, &error);

        let init = self.request_init(authorization, &attempt_signal)?;
        let promise = fetch(&self.url, &init).map_err(settle_error)?;
        let response = JsFuture::from(promise).await.map_err(settle_error)?;

        let opaque_redirect = read(&response, "type").as_string().as_deref() == Some("opaqueredirect");
        let status = match read(&response, "status").as_f64().and_then(|s| whole_number(s, 999)) {
            Some(status) if !opaque_redirect => status as u16,
            _ => 0,
        };
        let headers = ResponseHeaders::new(&read(&response, "headers")).unwrap_or(ResponseHeaders::None);
        let text = read(&response, "text")
            .dyn_into::<Function>()
            .ok()
            .and_then(|text| text.call0(&response).ok())
            .map(|p| Promise::resolve(&p));
        let body = match text {
            Some(promise) => JsFuture::from(promise).await.map_err(settle_error)?,
            None => JsValue::from_str(""),
        };
        Ok(Answer {
            status,
            body: well_formed_string(&body).unwrap_or_default(),
            retry_after: headers.get("retry-after"),
            rate_limit_type: headers.get("x-ratelimit-type"),
        })
    }

    fn request_init(&self, authorization: &str, signal: &AbortSignal) -> Result<JsValue, Failure> {
        let headers = JsObject::new();
        headers.set("Authorization", authorization).set("Accept", PreparedRequest::ACCEPT);
        let body: JsValue = match self.encoding {
            BodyEncoding::Multipart => {
                let form = FormData::new()
                    .map_err(|_| Failure::client(ErrorKind::NetworkError, "FormData is not available here."))?;
                form.append_with_str("password", &self.password)
                    .map_err(|_| Failure::client(ErrorKind::NetworkError, "FormData is not available here."))?;
                form.into()
            }
            BodyEncoding::Json => {
                headers.set("Content-Type", "application/json");
                JsValue::from_str(&json_body(&self.password))
            }
        };
        let init = JsObject::new();
        init.set("method", PreparedRequest::METHOD)
            .set("headers", headers.into_value())
            .set("body", body)
            .set("signal", signal.clone())
            // Never follow a redirect: it could carry the token elsewhere.
            .set("redirect", "manual");
        Ok(init.into_value())
    }

    /// Why `fetch` or the body read failed: the caller's abort, our
    /// timeout, or the network.
    fn transport_failure(&self, attempt_signal: &AbortSignal, error: &JsValue) -> Failure {
        if is_aborted(self.signal.as_ref()) {
            return aborted();
        }
        if is_aborted(Some(attempt_signal)) {
            return Failure::client(ErrorKind::Timeout, "Zoom did not answer within timeoutMs.");
        }
        // undici says "fetch failed" and keeps the reason in `cause.code`.
        let mut message = String::from("The request failed before an answer arrived");
        let detail = read(error, "message").as_string();
        let code = read(&read(error, "cause"), "code").as_string();
        for part in [detail, code].into_iter().flatten() {
            message.push_str(": ");
            message.extend(part.chars().take(200));
        }
        let mut failure = Failure::client(ErrorKind::NetworkError, "");
        failure.message = message.into();
        failure
    }
}

fn read(target: &JsValue, key: &str) -> JsValue {
    if !target.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn random_u32() -> u32 {
    (js_sys::Math::random() * 4_294_967_296.0) as u32
}

fn read_timeout(bag: &OptionBag) -> Result<u64, Failure> {
    match bag.number("timeoutMs")? {
        None => Ok(DEFAULT_TIMEOUT_MS),
        Some(n) => match whole_number(n, MAX_TIMER_MS) {
            Some(ms) if ms >= 1 => Ok(ms),
            _ => Err(Failure::invalid_options("timeoutMs", "timeoutMs must be an integer from 1 to 2147483647.")),
        },
    }
}

pub(crate) fn read_signal(value: &JsValue) -> Result<Option<AbortSignal>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let looks_like_signal = value.is_object()
        && read(value, "aborted").as_bool().is_some()
        && read(value, "addEventListener").is_function();
    if looks_like_signal {
        Ok(Some(value.clone().unchecked_into()))
    } else {
        Err(Failure::invalid_options("signal", "signal must be an AbortSignal."))
    }
}

pub(crate) fn read_retry(value: &JsValue) -> Result<RetryPolicy, Failure> {
    if value.is_undefined() || value.is_null() || value.as_bool() == Some(true) {
        return Ok(RetryPolicy::default());
    }
    if value.as_bool() == Some(false) {
        return Ok(RetryPolicy::NONE);
    }
    let bag = OptionBag::new(value, "retry", "retry.")?;
    RetryPolicy::new(bag.number("attempts")?, bag.number("baseDelayMs")?, bag.number("maxDelayMs")?)
}
