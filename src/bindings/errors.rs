//! The one place a core `Failure` becomes a JS value: a real `Error` named
//! `ZoomPasswordError`, whose fields (kind, status, zoomCode, retryable,
//! retryAfterMs, rateLimitType, fieldErrors, violations, attempts, userId)
//! are written by serde-wasm-bindgen from the same serializer the Outcome of
//! `classifyResponse` uses. Nothing changes an error after it is made.

use std::borrow::Cow;

use js_sys::{Object, Reflect};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use wasm_bindgen::prelude::*;

use super::js::{is_error, key, property, to_js, JsObject};
use crate::core::error::{serialize_failure_fields, ErrorKind, Failure, RateLimitType};
use crate::core::retry::{whole_number, Attempts};
use crate::core::retry_after::MAX_DELAY_MS;

pub(crate) const ERROR_NAME: &str = "ZoomPasswordError";

/// A failure with what the call adds to it. Boxed like `Failure`, so that
/// `Result<T, CallFailure>` stays one pointer wide through the async code
/// (1.1 KB gzip smaller here).
pub(crate) struct CallFailure(Box<CallFailureData>);

impl std::ops::Deref for CallFailure {
    type Target = CallFailureData;
    fn deref(&self) -> &CallFailureData {
        &self.0
    }
}

impl std::ops::DerefMut for CallFailure {
    fn deref_mut(&mut self) -> &mut CallFailureData {
        &mut self.0
    }
}

pub(crate) struct CallFailureData {
    pub failure: Failure,
    /// Requests sent before the failure (0 when refused before sending).
    pub attempts: u32,
    /// A request may have changed the password without an answer saying so.
    pub outcome_unknown: bool,
    pub user_id: Option<String>,
    /// What caller code threw (a token function), kept as the standard `cause`.
    pub cause: Option<JsValue>,
    /// The failure is a `ZoomPasswordError` the caller's token function
    /// threw: its `aborted`, say, is not this run's abort.
    pub from_token_function: bool,
    /// The `Retry-After` and `X-RateLimit-*` headers of the answer that
    /// ended the call, for the password proxy to pass on.
    #[cfg(feature = "server")]
    pub zoom_headers: Vec<(&'static str, String)>,
}

impl From<Failure> for CallFailure {
    fn from(failure: Failure) -> CallFailure {
        CallFailure(Box::new(CallFailureData {
            failure,
            attempts: 0,
            outcome_unknown: false,
            user_id: None,
            cause: None,
            from_token_function: false,
            #[cfg(feature = "server")]
            zoom_headers: Vec::new(),
        }))
    }
}

impl CallFailure {
    /// What the call's attempts add: how many were sent, and whether one
    /// of them may have landed unseen.
    pub fn after(mut self, attempts: &Attempts) -> CallFailure {
        self.attempts = attempts.made();
        self.outcome_unknown = attempts.outcome_unknown();
        self
    }

    pub fn for_user(mut self, user_id: &str) -> CallFailure {
        self.user_id = Some(user_id.to_owned());
        self
    }

    /// Names the user when `user_id` is a valid one and no user is named yet.
    pub fn for_valid_user(self, user_id: &JsValue) -> CallFailure {
        if self.user_id.is_some() {
            return self;
        }
        match super::js::well_formed_string(user_id) {
            Some(id) if crate::core::request::check_user_id(&id).is_ok() => self.for_user(&id),
            _ => self,
        }
    }

    /// What a caller's token function threw. Its own `ZoomPasswordError`
    /// (from `serverToServerTokenProvider`, say) keeps its kind, status,
    /// code and message; anything else is `unauthorized`. Either way the
    /// thrown value is the new error's `cause`.
    pub fn thrown_by_token_function(thrown: JsValue) -> CallFailure {
        let failure = if is_zoom_password_error(&thrown) {
            failure_of(&thrown)
        } else {
            Failure::client(
                ErrorKind::Unauthorized,
                "Could not get an access token: the accessToken function threw or rejected (see cause).",
            )
        };
        let mut call = CallFailure::from(failure);
        call.from_token_function = is_zoom_password_error(&thrown);
        call.cause = Some(thrown);
        call
    }
}

/// The fields of a `ZoomPasswordError` that JS reads back (message, kind,
/// status, code, retry hints) from one we made, in this or another copy of
/// the module.
pub(crate) fn failure_of(error: &JsValue) -> Failure {
    let read = |name| property(error, name);
    let kind_name = read("kind").as_string();
    let kind = ErrorKind::ALL
        .into_iter()
        .find(|kind| Some(kind.as_str()) == kind_name.as_deref())
        .unwrap_or(ErrorKind::Unauthorized);
    let mut failure = Failure::client(kind, "");
    failure.message = Cow::Owned(read("message").as_string().unwrap_or_default());
    failure.status = read("status")
        .as_f64()
        .and_then(|n| whole_number(n, 999))
        .map(|n| n as u16);
    failure.zoom_code = read("zoomCode")
        .as_f64()
        .and_then(|n| whole_number(n, u32::MAX as u64))
        .map(|n| n as u32);
    failure.retryable = read("retryable").as_bool() == Some(true);
    failure.retry_after_ms = read("retryAfterMs")
        .as_f64()
        .and_then(|n| whole_number(n, MAX_DELAY_MS));
    failure.rate_limit_type = match read("rateLimitType").as_string().as_deref() {
        Some("qps") => Some(RateLimitType::Qps),
        Some("daily") => Some(RateLimitType::Daily),
        _ => None,
    };
    failure
}

/// `{ kind, status, ..., attempts, userId }`: every field but the message.
struct ErrorFields<'a>(&'a CallFailure);

impl Serialize for ErrorFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let call = self.0;
        let mut state = serializer.serialize_struct(ERROR_NAME, 11)?;
        state.serialize_field("name", ERROR_NAME)?;
        serialize_failure_fields(&mut state, &call.failure)?;
        state.serialize_field("attempts", &call.attempts)?;
        state.serialize_field("userId", &call.user_id)?;
        state.end()
    }
}

impl From<CallFailure> for JsValue {
    fn from(mut call: CallFailure) -> JsValue {
        let error = js_sys::Error::new(&call.failure.message);
        let _ = Object::assign(&error, &to_js(&ErrorFields(&call)).into());
        if let Some(cause) = call.cause.take() {
            // Non-enumerable, as `new Error(message, { cause })` makes it.
            let descriptor = JsObject::new();
            descriptor
                .set("value", cause)
                .set("writable", true)
                .set("configurable", true);
            let _ = Reflect::define_property(&error, key("cause"), &descriptor.into_value().into());
        }
        error.into()
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
