//! Sending one API call with everything resilience needs: `fetch` with a
//! per-attempt timeout and the caller's signal (one AbortController), the
//! token source, the shared pacer, and the core's retry decisions, until one
//! definite outcome. updatePassword and fetchPasswordPolicy both go through
//! `Transport::execute`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, FormData};

use super::classify::ResponseHeaders;
use super::error::CallFailure;
use super::js::{now_ms, property, static_str, well_formed_string, JsObject, OptionBag};
use super::timers::{aborted, is_aborted, sleep, AbortListener, Timer};
use super::token::{TokenError, TokenSource};
use crate::classify::{classify_response, HttpResponse};
use crate::error::{ErrorKind, Failure, RateLimitType};
use crate::pacer::Pacer;
use crate::request::{authorization_header, json_body, BodyEncoding, PreparedRequest};
use crate::retry::{whole_number, Attempts, RetryPolicy, Step, MAX_TIMER_MS};

pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch(url: &str, init: &JsValue) -> Result<JsValue, JsValue>;

    /// A function, seen only for `Function.prototype.bind`.
    type Bindable;
    #[wasm_bindgen(method, js_name = bind)]
    fn bind_with_arg(this: &Bindable, context: &JsValue, arg: &JsValue) -> Function;
}

/// How calls are sent: shared by a client's calls, or built for one call.
#[derive(Clone)]
pub(crate) struct Transport {
    pub token: TokenSource,
    pub base_url: Option<String>,
    pub retry: RetryPolicy,
    pub timeout_ms: u64,
    pub encoding: BodyEncoding,
    pub signal: Option<AbortSignal>,
    pub pacer: Option<Rc<RefCell<Pacer>>>,
}

/// A request body.
pub(crate) enum Body<'a> {
    None,
    /// The `password` field, encoded as the transport says.
    Password(&'a str),
}

pub(crate) enum Success {
    /// A 2xx answer and its body.
    Answered { attempts: u32, body: String },
    /// An earlier attempt whose answer was lost had already done it.
    AlreadySet { attempts: u32 },
}

/// An HTTP answer, read completely.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
    pub rate_limit_type: Option<String>,
}

impl Transport {
    /// Defaults with the given token: no pacing, no signal.
    pub fn new(token: TokenSource) -> Transport {
        Transport {
            token,
            base_url: None,
            retry: RetryPolicy::default(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            encoding: BodyEncoding::Multipart,
            signal: None,
            pacer: None,
        }
    }

    /// A transport from an option object: `accessToken`, `baseUrl`, `retry`,
    /// `timeoutMs`, `encoding` and `signal`, each read once. Those the object
    /// does not set come from `defaults`; without defaults `accessToken` is
    /// required.
    pub fn from_options(
        bag: &OptionBag,
        defaults: Option<&Transport>,
    ) -> Result<Transport, Failure> {
        let mut next = match (defaults, bag.present("accessToken")?) {
            (Some(defaults), None) => defaults.clone(),
            (Some(defaults), Some(token)) => Transport {
                token: TokenSource::read(&token)?,
                ..defaults.clone()
            },
            // Absent: TokenSource::read names accessToken in its refusal.
            (None, token) => {
                Transport::new(TokenSource::read(&token.unwrap_or(JsValue::UNDEFINED))?)
            }
        };
        if let Some(base_url) = bag.string("baseUrl", ErrorKind::InvalidOptions)? {
            next.base_url = Some(base_url);
        }
        if let Some(retry) = bag.present("retry")? {
            next.retry = read_retry(&retry)?;
        }
        if let Some(timeout_ms) = read_timeout(bag)? {
            next.timeout_ms = timeout_ms;
        }
        if let Some(name) = bag.string("encoding", ErrorKind::InvalidOptions)? {
            next.encoding = BodyEncoding::parse(&name)?;
        }
        if let Some(signal) = bag.present("signal")? {
            next.signal = Some(read_signal(&signal)?);
        }
        Ok(next)
    }

    pub fn aborted(&self) -> bool {
        is_aborted(self.signal.as_ref())
    }

    /// Sends `method url` until a definite outcome. `secret` (the password)
    /// is removed from any server text, as is the token used.
    /// `maybe_applied`: an earlier run may already have sent this change.
    pub async fn execute(
        &self,
        method: &'static str,
        url: &str,
        body: Body<'_>,
        secret: &str,
        maybe_applied: bool,
    ) -> Result<Success, CallFailure> {
        let mut attempts = Attempts::new(self.retry);
        if maybe_applied {
            attempts = attempts.after_unknown_prior_attempt();
        }
        let mut refreshed_token: Option<String> = None;
        let fail = |failure: Failure, made: u32| CallFailure {
            attempts: made,
            ..CallFailure::from(failure)
        };
        loop {
            if self.aborted() {
                return Err(fail(aborted(), attempts.made()));
            }
            let token = match refreshed_token.take() {
                Some(token) => token,
                None => self
                    .token
                    .current()
                    .await
                    .map_err(|e| token_failure(e, attempts.made()))?,
            };
            let authorization =
                authorization_header(&token).map_err(|f| fail(f, attempts.made()))?;
            if let Some(pacer) = &self.pacer {
                let wait = pacer.borrow_mut().reserve(js_sys::Date::now());
                sleep(wait.ceil() as u64, self.signal.as_ref())
                    .await
                    .map_err(|f| fail(f, attempts.made()))?;
            }
            attempts.start();
            let mut failure = match self.send(method, url, &authorization, &body).await {
                Ok(answer) => {
                    let parts = HttpResponse {
                        status: answer.status,
                        body: &answer.body,
                        retry_after: answer.retry_after.as_deref(),
                        rate_limit_type: answer.rate_limit_type.as_deref(),
                    };
                    match classify_response(&parts, now_ms()) {
                        Ok(()) => {
                            return Ok(Success::Answered {
                                attempts: attempts.made(),
                                body: answer.body,
                            })
                        }
                        Err(failure) => failure,
                    }
                }
                Err(failure) => failure,
            };
            // Server text and fetch messages are not ours: never let them
            // carry the password or the token into an error.
            failure.redact(&[secret, &token]);
            if failure.kind == ErrorKind::Aborted {
                return Err(fail(failure, attempts.made()));
            }
            if let (Some(pacer), ErrorKind::RateLimited, Some(RateLimitType::Qps) | None) =
                (&self.pacer, failure.kind, failure.rate_limit_type)
            {
                // The account's limit is shared: slow every worker, not one.
                let hold = failure.retry_after_ms.unwrap_or(1000) as f64;
                pacer.borrow_mut().hold_until(js_sys::Date::now() + hold);
            }
            match attempts.after_failure(&failure, self.token.can_refresh(), random_u32()) {
                Step::Retry { delay_ms } => {
                    sleep(delay_ms, self.signal.as_ref())
                        .await
                        .map_err(|f| fail(f, attempts.made()))?;
                }
                Step::RefreshToken => {
                    let token = self
                        .token
                        .refreshed(&token)
                        .await
                        .map_err(|e| token_failure(e, attempts.made()))?;
                    refreshed_token = Some(token);
                }
                Step::AlreadySet => {
                    return Ok(Success::AlreadySet {
                        attempts: attempts.made(),
                    })
                }
                Step::Fail => return Err(fail(failure, attempts.made())),
            }
        }
    }

    /// One request of this transport: its headers and body, then `fetch_once`.
    async fn send(
        &self,
        method: &str,
        url: &str,
        authorization: &str,
        body: &Body<'_>,
    ) -> Result<Answer, Failure> {
        let mut headers: Vec<(&'static str, &str)> = vec![
            ("Authorization", authorization),
            ("Accept", PreparedRequest::ACCEPT),
        ];
        let body: JsValue = match (body, self.encoding) {
            (Body::None, _) => JsValue::UNDEFINED,
            (Body::Password(password), BodyEncoding::Multipart) => {
                let unavailable =
                    |_| Failure::client(ErrorKind::NetworkError, "FormData is not available here.");
                let form = FormData::new().map_err(unavailable)?;
                form.append_with_str("password", password)
                    .map_err(unavailable)?;
                form.into()
            }
            (Body::Password(password), BodyEncoding::Json) => {
                headers.push(("Content-Type", "application/json"));
                JsValue::from_str(&json_body(password))
            }
        };
        fetch_once(
            method,
            url,
            &headers,
            &body,
            self.timeout_ms,
            self.signal.as_ref(),
        )
        .await
    }
}

/// One `fetch`, with a timeout and the caller's signal both wired to one
/// AbortController; the answer is read completely. Redirects are never
/// followed: they could carry the credentials elsewhere.
pub(crate) async fn fetch_once(
    method: &str,
    url: &str,
    headers: &[(&'static str, &str)],
    body: &JsValue,
    timeout_ms: u64,
    signal: Option<&AbortSignal>,
) -> Result<Answer, Failure> {
    let unavailable = || {
        Failure::client(
            ErrorKind::NetworkError,
            "AbortController is not available here.",
        )
    };
    let controller = AbortController::new().map_err(|_| unavailable())?;
    // `abort.bind(controller, undefined)`: called by the timer or as an
    // event listener, it aborts with the default AbortError reason rather
    // than with the event object.
    let abort: Function = property(&controller, "abort")
        .dyn_into::<Function>()
        .ok()
        .map(|f| {
            f.unchecked_ref::<Bindable>()
                .bind_with_arg(&controller, &JsValue::UNDEFINED)
        })
        .ok_or_else(unavailable)?;
    let _timer = Timer::start(&abort, timeout_ms);
    let _listener = signal.map(|signal| AbortListener::add(signal, &abort));
    let attempt_signal = controller.signal();
    let settle_error = |error: JsValue| transport_failure(signal, &attempt_signal, &error);

    let header_object = JsObject::new();
    for (name, value) in headers {
        header_object.set(name, *value);
    }
    let init = JsObject::new();
    init.set("method", JsValue::from_str(method))
        .set("headers", header_object.into_value())
        .set("signal", attempt_signal.clone())
        .set("redirect", static_str("manual"));
    if !body.is_undefined() {
        init.set("body", body.clone());
    }
    // Promise.resolve: a replaced global fetch may return anything.
    let promise = Promise::resolve(&fetch(url, &init.into_value()).map_err(settle_error)?);
    let response = JsFuture::from(promise).await.map_err(settle_error)?;

    let opaque_redirect =
        property(&response, "type").as_string().as_deref() == Some("opaqueredirect");
    let status = match property(&response, "status")
        .as_f64()
        .and_then(|s| whole_number(s, 999))
    {
        Some(status) if !opaque_redirect => status as u16,
        _ => 0,
    };
    let response_headers =
        ResponseHeaders::new(&property(&response, "headers")).unwrap_or(ResponseHeaders::None);
    let text = property(&response, "text")
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
        retry_after: response_headers.get("retry-after"),
        rate_limit_type: response_headers.get("x-ratelimit-type"),
    })
}

/// Why `fetch` or the body read failed: the caller's abort, our timeout, or
/// the network.
fn transport_failure(
    signal: Option<&AbortSignal>,
    attempt_signal: &AbortSignal,
    error: &JsValue,
) -> Failure {
    if is_aborted(signal) {
        return aborted();
    }
    if is_aborted(Some(attempt_signal)) {
        return Failure::client(ErrorKind::Timeout, "Zoom did not answer within timeoutMs.");
    }
    // undici says "fetch failed" and keeps the reason in `cause.code`.
    let mut message = String::from("The request failed before an answer arrived");
    let detail = property(error, "message").as_string();
    let code = property(&property(error, "cause"), "code").as_string();
    for part in [detail, code].into_iter().flatten() {
        message.push_str(": ");
        message.extend(part.chars().take(200));
    }
    let mut failure = Failure::client(ErrorKind::NetworkError, "");
    failure.message = message.into();
    failure
}

fn token_failure(error: TokenError, attempts: u32) -> CallFailure {
    match error {
        TokenError::Failure(mut call) => {
            call.attempts = attempts;
            call
        }
        TokenError::Thrown(error) => CallFailure::passthrough(error, attempts),
    }
}

fn random_u32() -> u32 {
    (js_sys::Math::random() * 4_294_967_296.0) as u32
}

/// `timeoutMs`: an integer from 1 to 2147483647 (setTimeout's limit).
pub(crate) fn read_timeout(bag: &OptionBag) -> Result<Option<u64>, Failure> {
    match bag.number("timeoutMs")? {
        None => Ok(None),
        Some(n) => match whole_number(n, MAX_TIMER_MS) {
            Some(ms) if ms >= 1 => Ok(Some(ms)),
            _ => Err(Failure::invalid_options(
                "timeoutMs",
                "timeoutMs must be an integer from 1 to 2147483647.",
            )),
        },
    }
}

pub(crate) fn read_signal(value: &JsValue) -> Result<AbortSignal, Failure> {
    let looks_like_signal = value.is_object()
        && property(value, "aborted").as_bool().is_some()
        && property(value, "addEventListener").is_function();
    if looks_like_signal {
        Ok(value.clone().unchecked_into())
    } else {
        Err(Failure::invalid_options(
            "signal",
            "signal must be an AbortSignal.",
        ))
    }
}

pub(crate) fn read_retry(value: &JsValue) -> Result<RetryPolicy, Failure> {
    match value.as_bool() {
        Some(true) => return Ok(RetryPolicy::default()),
        Some(false) => return Ok(RetryPolicy::NONE),
        None => {}
    }
    let bag = OptionBag::new(value, "retry", "retry.")?;
    RetryPolicy::new(
        bag.number("attempts")?,
        bag.number("baseDelayMs")?,
        bag.number("maxDelayMs")?,
    )
}
