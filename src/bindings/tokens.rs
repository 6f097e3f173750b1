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
//! `serverToServerTokenProvider` (Node): a token function for Zoom's
//! server-to-server OAuth, built here on the same `fetch` path as every call.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::{Function, Promise, WeakMap};
use wasm_bindgen::prelude::*;

use super::errors::CallFailure;
use super::fetch::{self, Body, Outgoing};
use super::js::{
    key, now_ms, promise_resolve, property, spawn, well_formed_string, when_settled, JsObject,
};
use super::options::{read_timeout, string_value, OptionBag};
use super::timers::{settle_within, Interrupted, Settled, SignalLike};
use crate::core::attempt::transport_failure;
use crate::core::error::{ErrorKind, Failure};
use crate::core::oauth::{token_grant, token_request, TokenRequest};
use crate::core::request::{authority, authorization_header, check_access_token, PreparedRequest};

/// The token function's own default per attempt, and the token endpoint's.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

#[derive(Clone)]
pub(crate) enum TokenSource {
    /// A fixed token and its `Authorization` value as a JS string, made once.
    Fixed(Rc<str>, JsValue),
    Function(Function),
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
                let authorization = authorization_header(&token)?;
                Ok(TokenSource::Fixed(
                    token.into(),
                    JsValue::from_str(&authorization),
                ))
            }
            None => Err(Failure::invalid_options(
                "accessToken",
                "accessToken must be a token string or a function returning one.",
            )),
        }
    }

    pub fn can_refresh(&self) -> bool {
        matches!(self, TokenSource::Function(_))
    }

    /// A fixed token and its header, which need no wait at all.
    pub fn fixed(&self) -> Option<(Rc<str>, JsValue)> {
        match self {
            TokenSource::Fixed(token, authorization) => {
                Some((token.clone(), authorization.clone()))
            }
            TokenSource::Function(_) => None,
        }
    }

    /// The token for the next attempt.
    pub async fn current(&self, deadline: Deadline<'_>) -> Result<String, CallFailure> {
        match self {
            TokenSource::Fixed(token, _) => Ok(token.to_string()),
            TokenSource::Function(function) => {
                let promise = call(function, false)?;
                settle(&promise, deadline).await
            }
        }
    }

    /// A fresh token after `used` was refused with a 401.
    pub async fn refreshed(
        &self,
        used: &str,
        deadline: Deadline<'_>,
    ) -> Result<String, CallFailure> {
        let TokenSource::Function(function) = self else {
            return self.current(deadline).await;
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
            let promise = call(function, true)?;
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

/// Calls the token function with `{ refresh }`; what it returns, as a promise.
fn call(function: &Function, refresh: bool) -> Result<Promise, CallFailure> {
    let hint = JsObject::new();
    hint.set("refresh", refresh);
    function
        .call1(&JsValue::UNDEFINED, &hint.into_value())
        .and_then(|value| promise_resolve(&value))
        .map_err(CallFailure::thrown_by_token_function)
}

/// Awaits a token function's result within the deadline and checks that it
/// is a usable token.
async fn settle(promise: &Promise, deadline: Deadline<'_>) -> Result<String, CallFailure> {
    let value = match settle_within(promise, deadline.timeout_ms, deadline.signal).await {
        Ok(Settled::Resolved(value)) => value,
        Ok(Settled::Rejected(error)) => return Err(CallFailure::thrown_by_token_function(error)),
        Err(Interrupted::Aborted) => {
            return Err(transport_failure(ErrorKind::Aborted, None, None).into())
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

#[wasm_bindgen]
extern "C" {
    /// The platform's base64 (ASCII in, ASCII out).
    #[wasm_bindgen(catch)]
    fn btoa(text: &str) -> Result<String, JsValue>;
}

/// Tokens are reused until this long before they expire.
const EARLY_REFRESH_MS: f64 = 60_000.0;

/// One server-to-server credential: its checked request, the cached token
/// and the one token request in flight.
struct ServerToServer {
    request: TokenRequest,
    /// `Basic base64(clientId:clientSecret)`.
    authorization: String,
    client_secret: String,
    timeout_ms: u32,
    /// The token and when to stop using it (ms since the epoch).
    cached: RefCell<Option<(String, f64)>>,
    in_flight: RefCell<Option<Promise>>,
    /// Bumped by `{ refresh: true }`: a request started before it does not
    /// fill the cache.
    generation: Cell<u32>,
}

impl std::fmt::Debug for ServerToServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerToServer")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

/// `serverToServerTokenProvider({ accountId, clientId, clientSecret,
/// oauthBaseUrl?, timeoutMs? })`: the options are checked now; the function
/// it returns resolves a token, cached until 60 s before `expires_in`, with
/// one token request in flight at a time; `{ refresh: true }` fetches anew.
#[wasm_bindgen(js_name = serverToServerTokenProvider, skip_typescript)]
pub fn server_to_server_token_provider(options: JsValue) -> Result<JsValue, JsValue> {
    let bag = OptionBag::new(&options, "options", "")?.only(&[&[
        "accountId",
        "clientId",
        "clientSecret",
        "oauthBaseUrl",
        "timeoutMs",
    ]])?;
    let text = |field| string_value(&bag.get(field)?, ErrorKind::InvalidOptions, field, "");
    let account_id = text("accountId")?;
    let client_id = text("clientId")?;
    let client_secret = text("clientSecret")?;
    let oauth_base_url = bag.string("oauthBaseUrl", ErrorKind::InvalidOptions)?;
    let timeout_ms = read_timeout(&bag)?.unwrap_or(DEFAULT_TIMEOUT_MS);
    let request = token_request(
        &account_id,
        &client_id,
        &client_secret,
        oauth_base_url.as_deref(),
    )?;
    let encoded = btoa(&request.credentials).map_err(|_| {
        Failure::invalid_options(
            "clientSecret",
            "btoa is not available here to encode the credentials.",
        )
    })?;
    let provider = Rc::new(ServerToServer {
        authorization: format!("Basic {encoded}"),
        request,
        client_secret,
        timeout_ms,
        cached: RefCell::new(None),
        in_flight: RefCell::new(None),
        generation: Cell::new(0),
    });
    let token = Closure::<dyn Fn(JsValue) -> Promise>::new(move |hint: JsValue| {
        ServerToServer::token(&provider, &hint)
    });
    // The JS garbage collector owns the function (and with it the secret,
    // which never leaves wasm memory).
    Ok(token.into_js_value())
}

impl ServerToServer {
    fn token(this: &Rc<ServerToServer>, hint: &JsValue) -> Promise {
        if property(hint, "refresh").as_bool() == Some(true) {
            this.cached.replace(None);
            this.in_flight.replace(None);
            this.generation.set(this.generation.get().wrapping_add(1));
        }
        if let Some((token, refresh_at)) = this.cached.borrow().as_ref() {
            if now_ms() < *refresh_at {
                return Promise::resolve(&JsValue::from_str(token));
            }
        }
        if let Some(pending) = this.in_flight.borrow().as_ref() {
            return pending.clone();
        }
        let this_for_request = this.clone();
        let generation = this.generation.get();
        let pending = spawn(async move {
            let this = this_for_request;
            let outcome = this.request_token().await;
            if this.generation.get() == generation {
                this.in_flight.replace(None);
                if let Ok((token, refresh_at)) = &outcome {
                    this.cached.replace(Some((token.clone(), *refresh_at)));
                }
            }
            match outcome {
                Ok((token, _)) => Ok(JsValue::from_str(&token)),
                Err(failure) => Err(failure.into()),
            }
        });
        this.in_flight.replace(Some(pending.clone()));
        pending
    }

    /// One token request: the token and when to refresh it, or
    /// `unauthorized` with Zoom's reason, or the transport's kind. One
    /// attempt: the API call that asked for the token has its own retries.
    async fn request_token(&self) -> Result<(String, f64), Failure> {
        let secrets = [self.client_secret.as_str(), self.authorization.as_str()];
        let url = JsValue::from_str(&self.request.url);
        let authorization = JsValue::from_str(&self.authorization);
        let outgoing = Outgoing {
            method: Method::POST,
            url: &url,
            host: authority(&self.request.url),
            headers: &[
                ("Authorization", &authorization),
                ("Accept", key(PreparedRequest::ACCEPT)),
            ],
            body: Body::Empty,
        };
        let answer = fetch::send(&outgoing, self.timeout_ms, None)
            .await
            .map_err(|mut failure| {
                failure.redact(&secrets);
                failure
            })?;
        let grant = token_grant(answer.status, answer.token_answer(), &secrets)?;
        let lifetime_ms = f64::from(grant.expires_in_seconds) * 1000.0;
        Ok((
            grant.access_token,
            now_ms() + (lifetime_ms - EARLY_REFRESH_MS).max(0.0),
        ))
    }
}
