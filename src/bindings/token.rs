//! Where the bearer token comes from: a fixed string, or a function called
//! per attempt with `{ refresh }` (true once, after a 401).
//!
//! Refreshes are single-flight per function: calls that hit 401 together
//! share one refresh, and a call whose 401 answered a token older than the
//! latest refresh simply takes that newer token.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::error::{is_zoom_password_error, CallFailure};
use super::js::{well_formed_string, JsObject};
use crate::error::{ErrorKind, Failure};
use crate::request::check_access_token;

/// Functions whose refresh state is remembered; the oldest idle one is
/// forgotten beyond this.
const REMEMBERED_FUNCTIONS: usize = 8;

struct RefreshState {
    function: Function,
    in_flight: Option<Promise>,
    latest: Option<String>,
}

thread_local! {
    static REFRESHES: RefCell<Vec<RefreshState>> = const { RefCell::new(Vec::new()) };
}

#[derive(Clone)]
pub(crate) enum TokenSource {
    Fixed(String),
    Function(Function),
}

/// What went wrong getting a token: a failure of ours, or a
/// `ZoomPasswordError` the function threw (kept as it is).
pub(crate) enum TokenError {
    Failure(CallFailure),
    Thrown(JsValue),
}

impl TokenSource {
    pub fn read(value: &JsValue) -> Result<TokenSource, Failure> {
        if let Some(function) = value.dyn_ref::<Function>() {
            return Ok(TokenSource::Function(function.clone()));
        }
        match well_formed_string(value) {
            Some(token) => {
                check_access_token(&token)?;
                Ok(TokenSource::Fixed(token))
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

    /// The token for the next attempt.
    pub async fn current(&self) -> Result<String, TokenError> {
        match self {
            TokenSource::Fixed(token) => Ok(token.clone()),
            TokenSource::Function(function) => {
                let value = call(function, false)?;
                settle(value).await
            }
        }
    }

    /// A fresh token after `used` was refused with a 401.
    pub async fn refreshed(&self, used: &str) -> Result<String, TokenError> {
        let TokenSource::Function(function) = self else {
            return self.current().await;
        };
        enum Plan {
            Use(String),
            Await(Promise),
            Start,
        }
        let plan = REFRESHES.with(|cell| {
            let states = cell.borrow();
            match states.iter().find(|s| Object::is(&s.function, function)) {
                Some(RefreshState {
                    latest: Some(latest),
                    ..
                }) if latest != used => Plan::Use(latest.clone()),
                Some(RefreshState {
                    in_flight: Some(promise),
                    ..
                }) => Plan::Await(promise.clone()),
                _ => Plan::Start,
            }
        });
        match plan {
            Plan::Use(token) => Ok(token),
            Plan::Await(promise) => settle(promise.into()).await,
            Plan::Start => {
                let promise = match call(function, true) {
                    Ok(value) => Promise::resolve(&value),
                    Err(error) => return Err(error),
                };
                remember(function, |state| state.in_flight = Some(promise.clone()));
                let result = settle(promise.into()).await;
                remember(function, |state| {
                    state.in_flight = None;
                    if let Ok(token) = &result {
                        state.latest = Some(token.clone());
                    }
                });
                result
            }
        }
    }
}

fn remember(function: &Function, update: impl FnOnce(&mut RefreshState)) {
    REFRESHES.with(|cell| {
        let mut states = cell.borrow_mut();
        let index = match states
            .iter()
            .position(|s| Object::is(&s.function, function))
        {
            Some(index) => index,
            None => {
                if states.len() >= REMEMBERED_FUNCTIONS {
                    if let Some(idle) = states.iter().position(|s| s.in_flight.is_none()) {
                        states.remove(idle);
                    }
                }
                states.push(RefreshState {
                    function: function.clone(),
                    in_flight: None,
                    latest: None,
                });
                states.len() - 1
            }
        };
        update(&mut states[index]);
    });
}

fn call(function: &Function, refresh: bool) -> Result<JsValue, TokenError> {
    let hint = JsObject::new();
    hint.set("refresh", refresh);
    function
        .call1(&JsValue::UNDEFINED, &hint.into_value())
        .map_err(thrown)
}

/// Awaits a token function's result and checks it is a usable token.
async fn settle(value: JsValue) -> Result<String, TokenError> {
    let value = JsFuture::from(Promise::resolve(&value))
        .await
        .map_err(thrown)?;
    let token = well_formed_string(&value).ok_or_else(|| {
        TokenError::Failure(
            Failure::invalid_options(
                "accessToken",
                "The accessToken function must return a token string.",
            )
            .into(),
        )
    })?;
    check_access_token(&token).map_err(|failure| TokenError::Failure(failure.into()))?;
    Ok(token)
}

fn thrown(error: JsValue) -> TokenError {
    if is_zoom_password_error(&error) {
        return TokenError::Thrown(error);
    }
    let mut failure: CallFailure = Failure::client(
        ErrorKind::Unauthorized,
        "Could not get an access token: the accessToken function threw or rejected (see cause).",
    )
    .into();
    failure.cause = Some(error);
    TokenError::Failure(failure)
}
