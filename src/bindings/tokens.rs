//! Where the bearer token comes from: a fixed string, or a function called
//! before every attempt with `{ refresh }` (true once, after a 401).
//!
//! Every wait for a token function is bounded: by the attempt's `timeoutMs`
//! (kind `timeout`) and by the caller's signal (kind `aborted`); a token
//! that arrives after either is dropped, and nothing is sent.
//!
//! Refreshes are single-flight per function: calls that hit a 401 together
//! share one refresh, and a call whose 401 answered a token older than the
//! latest refresh simply takes that newer token. The state lives in a
//! `WeakMap` keyed by the function, so it goes when the function does.
//!
//! `serverToServerTokenProvider` is in `server_to_server.rs` (full build only).

use std::rc::Rc;

use js_sys::{Function, Promise, WeakMap};
use wasm_bindgen::prelude::*;

use super::errors::TokenFailure;
use super::js::{key, promise_resolve, property, well_formed_string, when_settled, JsObject};
use super::timers::{settle_within, Interrupted, Settled, SignalLike};
use crate::core::attempt::transport_failure;
use crate::core::error::{ErrorKind, Failure};
use crate::core::request::{authorization_header, check_access_token};

#[wasm_bindgen(module = "/src/bindings/objects.js")]
extern "C" {
    /// `Bearer ${token}` from the caller's JS string. It cannot throw for
    /// a string; `catch` all the same, which also keeps it among the glue's
    /// imports (an import that converts nothing is imported from the
    /// snippet directly, which the build's renaming does not expect).
    #[wasm_bindgen(catch)]
    fn bearer(token: &JsValue) -> Result<JsValue, JsValue>;
}

/// The token function's own default per attempt, and the token endpoint's.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

#[derive(Clone)]
pub(crate) enum TokenSource {
    /// A fixed token and its `Authorization` value as a JS string, made once.
    Fixed(Rc<str>, JsValue),
    Function(Function),
    /// None here: a page calling a same-origin proxy (`createPasswordProxy`),
    /// which adds the token itself; the page's cookies go with the request.
    AddedByProxy,
    /// The password proxy's token function for one page request: called with
    /// `{ refresh, request }`, so it can answer with the signed-in user's own
    /// token. Its refreshes are never shared: another request may be
    /// another user's.
    #[cfg(feature = "proxy")]
    ForRequest(Function, JsValue),
}

/// How long a wait for the token may last, and what ends it early.
#[derive(Clone, Copy)]
pub(crate) struct Deadline<'a> {
    pub timeout_ms: u32,
    pub signal: Option<&'a SignalLike>,
}

thread_local! {
    /// Per token function: `{ inFlight: Promise | undefined, latest: string | undefined }`.
    static REFRESHES: WeakMap = WeakMap::new();
}

impl TokenSource {
    pub fn read(value: &JsValue) -> Result<TokenSource, Failure> {
        if value.is_function() {
            return Ok(TokenSource::Function(value.clone().into()));
        }
        match well_formed_string(value) {
            Some(token) => {
                check_access_token(&token)?;
                let authorization = match bearer(value) {
                    Ok(header) => header,
                    Err(_) => JsValue::from_str(&authorization_header(&token)?),
                };
                Ok(TokenSource::Fixed(token.into(), authorization))
            }
            None => Err(Failure::invalid_options(
                "accessToken",
                "accessToken must be a token string or a function returning one.",
            )),
        }
    }

    pub fn can_refresh(&self) -> bool {
        match self {
            TokenSource::Function(_) => true,
            #[cfg(feature = "proxy")]
            TokenSource::ForRequest(..) => true,
            _ => false,
        }
    }

    /// This source as the proxy uses it for one `request`: a function is
    /// asked with the request beside `refresh`.
    #[cfg(feature = "proxy")]
    pub fn for_request(&self, request: &JsValue) -> TokenSource {
        match self {
            TokenSource::Function(function) => {
                TokenSource::ForRequest(function.clone(), request.clone())
            }
            other => other.clone(),
        }
    }

    /// A fixed token and its header (none for a same-origin proxy), which
    /// need no wait at all.
    pub fn fixed(&self) -> Option<(Rc<str>, Option<JsValue>)> {
        match self {
            TokenSource::Fixed(token, authorization) => {
                Some((token.clone(), Some(authorization.clone())))
            }
            TokenSource::AddedByProxy => Some((Rc::from(""), None)),
            _ => None,
        }
    }

    /// The token for the next attempt.
    pub async fn current(&self, deadline: Deadline<'_>) -> Result<String, TokenFailure> {
        match self {
            TokenSource::Fixed(token, _) => Ok(String::from(&**token)),
            TokenSource::AddedByProxy => Ok(String::new()),
            TokenSource::Function(function) => {
                let promise = call(function, false, None)?;
                settle(&promise, deadline).await
            }
            #[cfg(feature = "proxy")]
            TokenSource::ForRequest(function, request) => {
                let promise = call(function, false, Some(request))?;
                settle(&promise, deadline).await
            }
        }
    }

    /// A fresh token after `used` was refused with a 401.
    pub async fn refreshed(
        &self,
        used: &str,
        deadline: Deadline<'_>,
    ) -> Result<String, TokenFailure> {
        let function = match self {
            TokenSource::Function(function) => function,
            #[cfg(feature = "proxy")]
            TokenSource::ForRequest(function, request) => {
                let promise = call(function, true, Some(request))?;
                return settle(&promise, deadline).await;
            }
            _ => return self.current(deadline).await,
        };
        let state = REFRESHES.with(|map| {
            let state = map.get(function);
            if state.is_object() {
                state
            } else {
                let fresh = JsObject::new().into_value();
                map.set(function, &fresh);
                fresh
            }
        });
        if let Some(latest) = property(&state, "latest").as_string() {
            if latest != used {
                return Ok(latest);
            }
        }
        let in_flight = property(&state, "inFlight");
        let promise: Promise = if in_flight.is_object() {
            in_flight.into()
        } else {
            let promise = call(function, true, None)?;
            set(&state, "inFlight", &promise);
            // Whoever waits (or nobody, if every waiter gave up), the
            // refresh is over when its promise settles.
            let state_for_clear = state.clone();
            let promise_for_clear = promise.clone();
            let clear = Closure::once_into_js(move |_: JsValue| {
                if js_sys::Object::is(&property(&state_for_clear, "inFlight"), &promise_for_clear) {
                    set(&state_for_clear, "inFlight", &JsValue::UNDEFINED);
                }
            });
            when_settled(&promise, &clear);
            promise
        };
        let token = settle(&promise, deadline).await?;
        set(&state, "latest", &JsValue::from_str(&token));
        Ok(token)
    }
}

fn set(target: &JsValue, name: &'static str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, key(name), value);
}

/// Calls the token function with `{ refresh }` (and the proxy's `request`);
/// what it returns, as a promise.
fn call(
    function: &Function,
    refresh: bool,
    request: Option<&JsValue>,
) -> Result<Promise, TokenFailure> {
    let hint = JsObject::new();
    hint.set("refresh", refresh);
    if let Some(request) = request {
        hint.set("request", request.clone());
    }
    function
        .call1(&JsValue::UNDEFINED, &hint.into_value())
        .and_then(|value| promise_resolve(&value))
        .map_err(TokenFailure::thrown_by_token_function)
}

/// Awaits a token function's result within the deadline and checks that it
/// is a usable token.
async fn settle(promise: &Promise, deadline: Deadline<'_>) -> Result<String, TokenFailure> {
    let value = match settle_within(promise, deadline.timeout_ms, deadline.signal).await {
        Ok(Settled::Resolved(value)) => value,
        Ok(Settled::Rejected(error)) => return Err(TokenFailure::thrown_by_token_function(error)),
        Err(Interrupted::Aborted) => {
            return Err(transport_failure(ErrorKind::Aborted, None, None, &[]).into())
        }
        Err(Interrupted::TimedOut) => {
            return Err(Failure::client(
                ErrorKind::Timeout,
                "The accessToken function did not settle within timeoutMs; nothing was sent.",
            )
            .into())
        }
    };
    let token = well_formed_string(&value).ok_or_else(|| {
        Failure::invalid_options(
            "accessToken",
            "The accessToken function must return a token string.",
        )
    })?;
    check_access_token(&token)?;
    Ok(token)
}
