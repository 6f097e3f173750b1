//! The one place a core `Failure` becomes a JS value: a real `Error` named
//! `ZoomPasswordError` (for throwing) or a plain `{ ok: false, ... }` Outcome
//! (for `classifyResponse`). Both carry the same fields, written once by
//! `crate::output`.

use std::borrow::Cow;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::js::{parse_json, property, static_str, str_or_null, JsObject};
use crate::error::{ErrorKind, Failure};
use crate::output;

pub(crate) const ERROR_NAME: &str = "ZoomPasswordError";

/// A failure with what the caller's call adds to it.
pub(crate) struct CallFailure {
    pub failure: Failure,
    pub attempts: u32,
    pub user_id: Option<String>,
    /// What a caller-supplied function threw, kept as the standard `cause`.
    pub cause: Option<JsValue>,
    /// A ZoomPasswordError a caller-supplied function threw (a token
    /// provider's `unauthorized`): passed on as it is; `failure` mirrors it.
    pub passthrough: Option<JsValue>,
}

impl From<Failure> for CallFailure {
    fn from(failure: Failure) -> CallFailure {
        CallFailure {
            failure,
            attempts: 0,
            user_id: None,
            cause: None,
            passthrough: None,
        }
    }
}

impl CallFailure {
    /// Keeps a ZoomPasswordError thrown by caller code, reading its fields
    /// into `failure` for summaries.
    pub fn passthrough(error: JsValue, attempts: u32) -> CallFailure {
        let read = |key| property(&error, key);
        let kind = read("kind").as_string();
        let mut failure = Failure::client(
            ErrorKind::ALL
                .into_iter()
                .find(|k| Some(k.as_str()) == kind.as_deref())
                .unwrap_or(ErrorKind::Unauthorized),
            "",
        );
        failure.message = Cow::Owned(read("message").as_string().unwrap_or_default());
        failure.status = read("status").as_f64().map(|n| n as u16);
        failure.zoom_code = read("zoomCode").as_f64().map(|n| n as u32);
        CallFailure {
            failure,
            attempts,
            user_id: None,
            cause: None,
            passthrough: Some(error),
        }
    }

    pub fn for_user(mut self, user_id: &str) -> CallFailure {
        self.user_id = Some(user_id.to_owned());
        self
    }
}

impl From<CallFailure> for JsValue {
    fn from(call: CallFailure) -> JsValue {
        if let Some(error) = call.passthrough {
            // Only this call's own fields change.
            let target: &Object = error.unchecked_ref();
            let _ = Reflect::set(
                target,
                &static_str("attempts"),
                &JsValue::from_f64(call.attempts as f64),
            );
            let _ = Reflect::set(
                target,
                &static_str("userId"),
                &str_or_null(call.user_id.as_deref()),
            );
            return error;
        }
        let error = js_sys::Error::new(&call.failure.message);
        let fields = parse_json(&output::error_fields(
            &call.failure,
            call.attempts,
            call.user_id.as_deref(),
        ));
        let target: &Object = error.unchecked_ref();
        Object::assign(target, fields.unchecked_ref());
        if let Some(cause) = call.cause {
            // Non-enumerable, as `new Error(message, { cause })` makes it.
            let descriptor = JsObject::new();
            descriptor
                .set("value", cause)
                .set("writable", true)
                .set("configurable", true);
            let _ = Reflect::define_property(target, &static_str("cause"), descriptor.object());
        }
        error.into()
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> JsValue {
        CallFailure::from(failure).into()
    }
}

/// `{ ok: true }`, or `{ ok: false, kind, status, ... }` for `classifyResponse`.
pub(crate) fn outcome(failure: Option<&Failure>) -> JsValue {
    parse_json(&output::outcome(failure))
}

/// `e instanceof Error && e.name === "ZoomPasswordError"` with a string
/// `kind`: true for errors from any copy of this module.
#[wasm_bindgen(js_name = isZoomPasswordError, skip_typescript)]
pub fn is_zoom_password_error(value: &JsValue) -> bool {
    if !value.is_instance_of::<js_sys::Error>() {
        return false;
    }
    let read = |key| property(value, key);
    read("name").as_string().as_deref() == Some(ERROR_NAME) && read("kind").is_string()
}
