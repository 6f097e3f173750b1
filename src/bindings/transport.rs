//! One API call, attempt after attempt, until a definite outcome: the token
//! (bounded by `timeoutMs` and the caller's signal), the shared pacer, the
//! request (`fetch::send`), and after each answer the core's decision
//! (`core::attempt`: done, retry after a delay, refresh the token, already
//! set, fail). `updatePassword` and `fetchPasswordPolicy` both go through
//! [`Transport::execute`].

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Method;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::errors::{CallFailure, TokenFailure, ZoomHeaders};
use super::fetch::{self, Answer, Body, Outgoing};
use super::js::{key, now_ms, page_url, page_url_for, property, random_u32};
use super::options::{read_retry, read_timeout, OptionBag, ACCESS_TOKEN, BASE_URL, RETRY, SIGNAL};
use super::timers::{is_aborted, sleep, SignalLike};
use super::tokens::{Deadline, TokenSource, DEFAULT_TIMEOUT_MS};
use crate::core::attempt::{self, transport_failure, Next, Settled};
use crate::core::classify::HttpResponse;
use crate::core::error::{ErrorKind, Failure};
use crate::core::pacer::Pacer;
use crate::core::request::{
    authorization_header, is_same_origin_path, resolve_base_url, BodyEncoding, PreparedRequest,
};
use crate::core::retry::{Attempts, RetryPolicy};

/// How calls are sent: shared by a client's calls, or made for one call.
#[derive(Clone)]
pub(crate) struct Transport {
    pub token: TokenSource,
    pub base_url: Option<Rc<str>>,
    pub retry: RetryPolicy,
    pub timeout_ms: u32,
    pub encoding: BodyEncoding,
    pub signal: Option<SignalLike>,
    /// A bulk run's `stopSignal`: once aborted, no new request leaves, but
    /// one already out finishes with its real outcome.
    pub stop: Option<SignalLike>,
    /// The client's pacer, shared by every call and worker of the client.
    pub pacer: Option<Rc<RefCell<Pacer>>>,
}

/// What one call sends.
pub(crate) struct Call<'a> {
    pub method: Method,
    /// A JS string, made once for every attempt of the call.
    pub url: JsValue,
    /// Its host and port (`core::request::authority`), for the message
    /// when no answer comes: a slice of the URL's text, not a copy.
    pub host: &'a str,
    /// The body's one field, as text (a secret to cut from any server text)
    /// and as the caller's JS string; `None` for a request without a body.
    pub password: Option<(&'a str, &'a JsValue)>,
    /// An earlier run may already have sent this very change.
    pub maybe_applied: bool,
}

/// A definite success.
pub(crate) enum Delivered {
    /// A 2xx answer.
    Answered { attempts: u32, answer: Answer },
    /// An earlier attempt whose answer was lost had already done it.
    AlreadySet { attempts: u32 },
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
            stop: None,
            pacer: None,
        }
    }

    /// A transport from an option object: `accessToken`, `baseUrl`, `retry`,
    /// `timeoutMs`, `encoding` and `signal`, each read once. What the object
    /// does not set comes from `defaults`; without defaults `accessToken` is
    /// required.
    pub fn from_options(
        bag: &OptionBag,
        defaults: Option<&Transport>,
    ) -> Result<Transport, Failure> {
        let token = bag.present(ACCESS_TOKEN)?;
        let base_url = bag.text(BASE_URL)?;
        let mut next = match (defaults, token) {
            (Some(defaults), None) => defaults.clone(),
            (Some(defaults), Some(token)) => Transport {
                token: TokenSource::read(&token)?,
                ..defaults.clone()
            },
            (None, None) if proxied(base_url.as_deref()) => {
                Transport::new(TokenSource::AddedByProxy)
            }
            // Absent: TokenSource::read names accessToken in its refusal.
            (None, token) => {
                Transport::new(TokenSource::read(&token.unwrap_or(JsValue::UNDEFINED))?)
            }
        };
        if let Some(base_url) = base_url {
            next.base_url = Some(base_url.into());
        }
        if let Some(retry) = bag.present(RETRY)? {
            next.retry = read_retry(&retry)?;
        }
        if let Some(timeout_ms) = read_timeout(bag)? {
            next.timeout_ms = timeout_ms;
        }
        if let Some(encoding) = super::request::read_encoding(bag)? {
            next.encoding = encoding;
        }
        if let Some(signal) = bag.present(SIGNAL)? {
            next.signal = Some(read_signal(&signal)?);
        }
        Ok(next)
    }

    /// The base URL resolved (`core::request::resolve_base_url`). The full
    /// build keeps the last absolute one: a call's transport is read afresh
    /// from its options, and parsing the same URL again was 1 us of a
    /// call's 17 (bench/hot-path.mjs); the browser build, where a call's
    /// CPU matters less than 0.3 KB gzip, parses it each time. A path
    /// (`/zoom`) depends on the page, so it is always resolved.
    pub fn resolved_base_url(&self) -> Result<String, Failure> {
        let base = self.base_url.as_deref();
        if base.is_some_and(is_same_origin_path) {
            return resolve_base_url(base, page_url_for(base).as_deref());
        }
        #[cfg(feature = "server")]
        {
            let kept = LAST_BASE_URL.with(|last| {
                last.borrow()
                    .as_ref()
                    .filter(|(given, _)| given.as_deref() == base)
                    .map(|(_, resolved)| resolved.clone())
            });
            if let Some(resolved) = kept {
                return Ok(resolved);
            }
            let resolved = resolve_base_url(base, None)?;
            LAST_BASE_URL.with(|last| {
                *last.borrow_mut() = Some((base.map(Rc::from), resolved.clone()));
            });
            Ok(resolved)
        }
        #[cfg(not(feature = "server"))]
        resolve_base_url(base, None)
    }

    pub fn aborted(&self) -> bool {
        is_aborted(self.signal.as_ref())
    }

    /// No new request may leave: the caller's signal aborted, or a bulk
    /// run's `stopSignal` did (requests already out still finish then).
    pub fn interrupted(&self) -> bool {
        self.aborted() || is_aborted(self.stop.as_ref())
    }

    /// What ends a wait before a request (a pacer slot, a backoff).
    fn waits(&self) -> Vec<SignalLike> {
        self.signal
            .iter()
            .chain(self.stop.iter())
            .cloned()
            .collect()
    }

    fn deadline(&self) -> Deadline<'_> {
        Deadline {
            timeout_ms: self.timeout_ms,
            signal: self.signal.as_ref(),
        }
    }

    /// Sends `call` until a definite outcome. The password and the token
    /// used are cut from any server text before it can reach an error.
    pub async fn execute(&self, call: &Call<'_>) -> Result<Delivered, CallFailure> {
        let mut attempts = Attempts::new(self.retry);
        if call.maybe_applied {
            attempts = attempts.after_unknown_prior_attempt();
        }
        let secret = call.password.map_or("", |(text, _)| text);
        let json_body = match (call.password, self.encoding) {
            (Some((_, password)), BodyEncoding::Json) => Some(json_body(password)?),
            _ => None,
        };
        let body = match (call.password, &json_body) {
            (None, _) => Body::Empty,
            (Some(_), Some(text)) => Body::Json(text),
            (Some((_, password)), None) => Body::Form(password),
        };
        // Every failure leaves through here, made with what the attempts add
        // (and the headers of the answer that ended the call, if one did).
        // Without the proxy `ZoomHeaders` is `()`, which clippy would flag.
        #[cfg_attr(not(feature = "proxy"), allow(clippy::unit_arg))]
        let fail = |why: TokenFailure, attempts: &Attempts| {
            Err(CallFailure::ended(why, attempts, ZoomHeaders::default()))
        };
        #[cfg_attr(not(feature = "proxy"), allow(unused_mut, clippy::let_unit_value))]
        let mut zoom_headers = ZoomHeaders::default();
        // Nothing more leaves: the caller's signal aborted, or a stopped
        // run ends with how its last attempt ended (`last`), if it made one.
        let interrupted = |attempts: &Attempts, last: Option<Failure>| {
            let failure = match last {
                Some(last) if !self.aborted() => last,
                _ if self.aborted() => transport_failure(ErrorKind::Aborted, None, None, &[]),
                _ => stopped_before_sending(),
            };
            fail(failure.into(), attempts)
        };
        let mut refreshed: Option<String> = None;
        // How the last attempt ended, while a retry or refresh is pending.
        let mut last: Option<Failure> = None;
        loop {
            if self.interrupted() {
                return interrupted(&attempts, last);
            }
            let (token, authorization) = match (refreshed.take(), self.token.fixed()) {
                // A fixed token needs no await (one microtask hop less per
                // attempt), and its header is a JS string made once.
                (None, Some(fixed)) => fixed,
                (refreshed, _) => {
                    let token = match refreshed {
                        Some(token) => token,
                        None => match self.token.current(self.deadline()).await {
                            Ok(token) => token,
                            Err(failure) => return fail(failure, &attempts),
                        },
                    };
                    let authorization = match authorization_header(&token) {
                        Ok(header) => header,
                        Err(failure) => return fail(failure.into(), &attempts),
                    };
                    (Rc::from(token), Some(JsValue::from_str(&authorization)))
                }
            };
            if let Some(pacer) = &self.pacer {
                if wait_for_slot(pacer, &self.waits()).await.is_err() {
                    return interrupted(&attempts, last);
                }
            }
            // The last moment to honour an abort or a stop that came while waiting.
            if self.interrupted() {
                return interrupted(&attempts, last);
            }
            attempts.start();
            let secrets = [secret, &*token];
            let accept = ("Accept", key(PreparedRequest::ACCEPT));
            let with_token;
            let outgoing = Outgoing {
                method: call.method.clone(),
                url: &call.url,
                host: call.host,
                headers: match &authorization {
                    Some(authorization) => {
                        with_token = [("Authorization", authorization), accept];
                        &with_token
                    }
                    None => std::slice::from_ref(&accept),
                },
                body,
                secrets: &secrets,
            };
            let settled = match fetch::send(&outgoing, self.timeout_ms, self.signal.as_ref()).await
            {
                // A 2xx is success whatever else it says: the common path
                // asks the core nothing.
                Ok(answer) if answer.is_success() => {
                    return Ok(Delivered::Answered {
                        attempts: attempts.made(),
                        answer,
                    })
                }
                Ok(answer) => {
                    #[cfg(feature = "proxy")]
                    {
                        zoom_headers = answer.passed_on.clone();
                    }
                    let body = answer.zoom_body();
                    let response = HttpResponse {
                        status: answer.status,
                        body: &body,
                        retry_after: answer.retry_after.as_deref(),
                        rate_limit_type: answer.rate_limit_type.as_deref(),
                    };
                    attempt::after_answer(
                        &mut attempts,
                        &response,
                        now_ms() as u64,
                        &secrets,
                        self.token.can_refresh(),
                        random_u32(),
                    )
                }
                Err(failure) => attempt::after_failure(
                    &mut attempts,
                    failure,
                    self.token.can_refresh(),
                    random_u32(),
                ),
            };
            let Settled { next, hold_ms } = settled;
            if let (Some(pacer), Some(hold_ms)) = (&self.pacer, hold_ms) {
                // The account's limit is shared: slow every worker, not one.
                pacer.borrow_mut().hold_until(now_ms() + hold_ms as f64);
            }
            match next {
                Next::Done => {
                    // after_answer only says Done for a 2xx, handled above.
                    let failure = Failure::client(
                        ErrorKind::UnexpectedResponse,
                        "The answer could not be classified.",
                    );
                    return fail(failure.into(), &attempts);
                }
                Next::AlreadySet => {
                    return Ok(Delivered::AlreadySet {
                        attempts: attempts.made(),
                    })
                }
                Next::Retry { delay_ms, failure } => {
                    last = Some(failure);
                    // Interrupted: the loop's first check ends the call.
                    let _ = sleep(delay_ms as f64, &self.waits()).await;
                }
                Next::RefreshToken { failure } => {
                    if self.interrupted() {
                        return interrupted(&attempts, Some(failure));
                    }
                    last = Some(failure);
                    match self.token.refreshed(&token, self.deadline()).await {
                        Ok(token) => refreshed = Some(token),
                        Err(failure) => return fail(failure, &attempts),
                    }
                }
                Next::Fail(failure) => {
                    return Err(CallFailure::ended(failure.into(), &attempts, zoom_headers));
                }
            }
        }
    }
}

#[cfg(feature = "server")]
thread_local! {
    /// The last absolute base URL given and what it resolved to.
    static LAST_BASE_URL: RefCell<Option<(Option<Rc<str>>, String)>> = const { RefCell::new(None) };
}

/// A page calling a same-origin proxy: `baseUrl` is a path (`/zoom`) and
/// there is a page to resolve it against. The proxy adds the token, so
/// the call needs none (`createPasswordProxy`).
pub(crate) fn proxied(base_url: Option<&str>) -> bool {
    base_url.is_some_and(is_same_origin_path) && page_url().is_some()
}

/// A stopped bulk run's item whose request never left.
fn stopped_before_sending() -> Failure {
    Failure::client(
        ErrorKind::Aborted,
        "Not sent: the run was stopped (stopSignal) before this request left.",
    )
}

/// Waits until the pacer lets a request leave, and claims that slot at the
/// moment of leaving (see `core::pacer`); `Err` when a signal aborts first.
async fn wait_for_slot(pacer: &RefCell<Pacer>, signals: &[SignalLike]) -> Result<(), ()> {
    loop {
        let claim = pacer.borrow_mut().try_claim(now_ms());
        match claim {
            Ok(()) => return Ok(()),
            Err(wait_ms) => sleep(wait_ms, signals).await.map_err(|_| ())?,
        }
    }
}

/// `{"password": ...}` as JSON text, written by the platform's `JSON.stringify`
/// on an object literal (no setter on `Object.prototype` sees the password).
fn json_body(password: &JsValue) -> Result<JsValue, CallFailure> {
    fetch::json_password_body(password).map_err(|_| {
        CallFailure::from(Failure::client(
            ErrorKind::UnsupportedEnvironment,
            "JSON.stringify is not available here.",
        ))
    })
}

/// The caller's `signal`: an `AbortSignal`, or anything with a boolean
/// `aborted` and an `addEventListener` method.
pub(crate) fn read_signal(value: &JsValue) -> Result<SignalLike, Failure> {
    let looks_like_signal = value.is_object()
        && property(value, "aborted").as_bool().is_some()
        && property(value, "addEventListener").is_function();
    if !looks_like_signal {
        return Err(Failure::invalid_options(
            "signal",
            "signal must be an AbortSignal.",
        ));
    }
    Ok(value.clone().unchecked_into())
}
