//! The one place a core `Failure` becomes a JS value: a real `Error` named
//! `ZoomPasswordError`, whose fields (kind, status, zoomCode, retryable,
//! retryAfterMs, rateLimitType, fieldErrors, violations, attempts, userId)
//! are defined on it by the outputs' serializer (output.rs), the one the
//! Outcome of `classifyResponse` uses. Nothing changes an error after it is made, and
//! the errors made last are remembered with their `Failure`, so one a token
//! function rethrows keeps all of it.

use js_sys::{Object, Reflect};
use serde::ser::SerializeStruct;
use wasm_bindgen::prelude::*;

use super::js::{is_error, key, property, JsObject};
use super::output::fields_on;
use crate::core::error::{
    serialize_failure_fields, ErrorKind, Failure, FailureData, RateLimitType,
};
use crate::core::retry::{whole_number, Attempts};
use crate::core::retry_after::MAX_DELAY_MS;

pub(crate) const ERROR_NAME: &str = "ZoomPasswordError";

/// A failure with what the call adds to it, made once, where the call ends
/// (`CallFailure::ended`) or is refused before sending (`From<Failure>`);
/// the user id is added where it becomes a JS `Error` (`into_error`).
/// Boxed like `Failure`, so that `Result<T, CallFailure>` stays one pointer
/// wide through the async code (1.1 KB gzip smaller here).
pub(crate) struct CallFailure(Box<CallFailureData>);

impl std::ops::Deref for CallFailure {
    type Target = CallFailureData;
    fn deref(&self) -> &CallFailureData {
        &self.0
    }
}

pub(crate) struct CallFailureData {
    pub failure: Failure,
    /// Requests sent before the failure (0 when refused before sending).
    pub attempts: u32,
    /// A request may have changed the password without an answer saying so
    /// (a bulk item's `outcome: "unknown"`).
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub outcome_unknown: bool,
    /// What caller code threw (a token function), kept as the standard `cause`.
    pub thrown: Option<Thrown>,
    /// The `Retry-After` and `X-RateLimit-*` headers of the answer that
    /// ended the call, for the password proxy to pass on.
    #[cfg_attr(not(feature = "proxy"), allow(dead_code))]
    pub zoom_headers: ZoomHeaders,
}

/// The `Retry-After` and `X-RateLimit-*` headers of an answer, for the
/// password proxy to pass on; nothing in a build without the proxy.
#[cfg(feature = "proxy")]
pub(crate) type ZoomHeaders = Vec<(&'static str, String)>;
#[cfg(not(feature = "proxy"))]
pub(crate) type ZoomHeaders = ();

/// A value a caller's token function threw or rejected with.
pub(crate) struct Thrown {
    pub value: JsValue,
    /// It is a `ZoomPasswordError` (from `serverToServerTokenProvider`,
    /// say): its `aborted`, say, is not this run's abort.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub is_zoom_password_error: bool,
}

/// Why a token could not be had, before the call adds its attempts.
pub(crate) struct TokenFailure {
    pub failure: Failure,
    pub thrown: Option<Thrown>,
}

impl From<Failure> for TokenFailure {
    fn from(failure: Failure) -> TokenFailure {
        TokenFailure {
            failure,
            thrown: None,
        }
    }
}

impl TokenFailure {
    /// What a caller's token function threw. Its own `ZoomPasswordError`
    /// keeps its kind, status, code and message; anything else is
    /// `unauthorized`. Either way the thrown value is the new error's `cause`.
    pub fn thrown_by_token_function(value: JsValue) -> TokenFailure {
        let is_ours = is_zoom_password_error(&value);
        let failure = if is_ours {
            made_here(&value).unwrap_or_else(|| made_by_another_copy(&value))
        } else {
            Failure::client(
                ErrorKind::Unauthorized,
                "Could not get an access token: the accessToken function threw or rejected (see cause).",
            )
        };
        TokenFailure {
            failure,
            thrown: Some(Thrown {
                value,
                is_zoom_password_error: is_ours,
            }),
        }
    }
}

impl From<Failure> for CallFailure {
    fn from(failure: Failure) -> CallFailure {
        CallFailure::from(TokenFailure::from(failure))
    }
}

impl From<TokenFailure> for CallFailure {
    /// Refused before anything was sent.
    fn from(token: TokenFailure) -> CallFailure {
        CallFailure(Box::new(CallFailureData {
            failure: token.failure,
            attempts: 0,
            outcome_unknown: false,
            thrown: token.thrown,
            zoom_headers: ZoomHeaders::default(),
        }))
    }
}

impl CallFailure {
    /// How a call ended after its `attempts`: how many were sent, and
    /// whether one of them may have landed unseen.
    pub fn ended(why: TokenFailure, attempts: &Attempts, zoom_headers: ZoomHeaders) -> CallFailure {
        CallFailure(Box::new(CallFailureData {
            failure: why.failure,
            attempts: attempts.made(),
            outcome_unknown: attempts.outcome_unknown(),
            thrown: why.thrown,
            zoom_headers,
        }))
    }

    /// A token function's own `ZoomPasswordError` ended the call.
    #[cfg(feature = "server")]
    pub fn ended_by_token_function(&self) -> bool {
        self.thrown
            .as_ref()
            .is_some_and(|thrown| thrown.is_zoom_password_error)
    }

    /// The JS `Error`, naming the user when `user_id` is a valid one (the
    /// call's input, which may be anything JS passed).
    pub fn into_error_for(self, user_id: &JsValue) -> JsValue {
        let valid = super::js::well_formed_string(user_id)
            .filter(|id| crate::core::request::check_user_id(id).is_ok());
        self.into_error(valid.as_deref())
    }

    /// The one place a failure becomes a JS `Error`.
    pub fn into_error(self, user_id: Option<&str>) -> JsValue {
        let CallFailureData {
            failure,
            attempts,
            thrown,
            ..
        } = *self.0;
        let error = js_sys::Error::new(&failure.message);
        // Defined on the error itself, not assigned: a setter planted on
        // Object.prototype neither sees a field nor keeps it off the error.
        // Only out-of-range integers could fail, and the core caps them.
        let mut fields = fields_on(error.clone().into());
        let _ = fields.serialize_field("name", ERROR_NAME);
        let _ = serialize_failure_fields(&mut fields, &failure);
        let _ = fields.serialize_field("attempts", &attempts);
        let _ = fields.serialize_field("userId", &user_id);
        if let Some(thrown) = thrown {
            // Non-enumerable, as `new Error(message, { cause })` makes it.
            let descriptor = JsObject::new();
            descriptor
                .set("value", thrown.value)
                .set("writable", true)
                .set("configurable", true);
            let _ = Reflect::define_property(&error, key("cause"), &descriptor.into_value().into());
        }
        let error = JsValue::from(error);
        remember(&error, failure);
        error
    }
}

/// How many of the errors made last are remembered with their failure: a
/// token function rethrowing one of ours (a provider's) does so at once, and
/// the ring holds at most this many errors alive.
const REMEMBERED: usize = 8;

/// The errors made last with their failures, and the slot written next.
type MadeRing = ([Option<(JsValue, Failure)>; REMEMBERED], usize);

thread_local! {
    static MADE: std::cell::RefCell<MadeRing> =
        const { std::cell::RefCell::new(([const { None }; REMEMBERED], 0)) };
}

fn remember(error: &JsValue, failure: Failure) {
    MADE.with(|made| {
        let (ring, next) = &mut *made.borrow_mut();
        ring[*next % REMEMBERED] = Some((error.clone(), failure));
        *next = next.wrapping_add(1);
    });
}

/// The failure a `ZoomPasswordError` made by this instance was made from,
/// whole (fieldErrors and violations too).
fn made_here(error: &JsValue) -> Option<Failure> {
    MADE.with(|made| {
        made.borrow()
            .0
            .iter()
            .flatten()
            .find_map(|(made, failure)| Object::is(made, error).then(|| failure.clone()))
    })
}

/// A `ZoomPasswordError` from another copy of this package (two versions
/// installed side by side) or one this instance no longer remembers: its
/// public fields are all there is to read, and the README promises only its
/// kind, status, code and message (with the retry hints) are kept.
fn made_by_another_copy(error: &JsValue) -> Failure {
    let read = |name| property(error, name);
    let kind_name = read("kind").as_string();
    let kind = ErrorKind::ALL
        .into_iter()
        .find(|kind| Some(kind.as_str()) == kind_name.as_deref())
        .unwrap_or(ErrorKind::Unauthorized);
    Failure::from(FailureData {
        status: read("status")
            .as_f64()
            .and_then(|n| whole_number(n, 999))
            .map(|n| n as u16),
        zoom_code: read("zoomCode")
            .as_f64()
            .and_then(|n| whole_number(n, u32::MAX as u64))
            .map(|n| n as u32),
        retryable: read("retryable").as_bool() == Some(true),
        retry_after_ms: read("retryAfterMs")
            .as_f64()
            .and_then(|n| whole_number(n, MAX_DELAY_MS)),
        rate_limit_type: match read("rateLimitType").as_string().as_deref() {
            Some("qps") => Some(RateLimitType::Qps),
            Some("daily") => Some(RateLimitType::Daily),
            _ => None,
        },
        ..FailureData::client(kind, read("message").as_string().unwrap_or_default())
    })
}

impl From<CallFailure> for JsValue {
    fn from(call: CallFailure) -> JsValue {
        call.into_error(None)
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> JsValue {
        CallFailure::from(failure).into()
    }
}

/// `e instanceof Error && e.name === "ZoomPasswordError"` with a string
/// `kind`: true for errors from any copy of this module.
#[wasm_bindgen(js_name = isZoomPasswordError, skip_typescript)]
pub fn is_zoom_password_error(value: &JsValue) -> bool {
    is_error(value)
        && property(value, "name").as_string().as_deref() == Some(ERROR_NAME)
        && property(value, "kind").is_string()
}
