//! The one place a core `Failure` becomes a JS value: a real `Error` named
//! `ZoomPasswordError` (for throwing) or a plain `{ ok: false, ... }` Outcome
//! (for `classifyResponse`). Both carry the same fields, written here once.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::js::{array, number_or_null, str_or_null, JsObject};
use crate::error::{FieldError, Failure};
use crate::password::Check;

pub(crate) const ERROR_NAME: &str = "ZoomPasswordError";

/// A failure with what the caller's call adds to it.
pub(crate) struct CallFailure {
    pub failure: Failure,
    pub attempts: u32,
    pub user_id: Option<String>,
    /// What a caller-supplied function threw, kept as the standard `cause`.
    pub cause: Option<JsValue>,
    /// A ZoomPasswordError a caller-supplied function threw (a token
    /// provider's `unauthorized`): passed on as it is, `failure` unused.
    pub passthrough: Option<JsValue>,
}

impl From<Failure> for CallFailure {
    fn from(failure: Failure) -> CallFailure {
        CallFailure { failure, attempts: 0, user_id: None, cause: None, passthrough: None }
    }
}

impl CallFailure {
    pub fn passthrough(error: JsValue, attempts: u32) -> CallFailure {
        let mut call = CallFailure::from(Failure::client(crate::error::ErrorKind::Unauthorized, ""));
        call.attempts = attempts;
        call.passthrough = Some(error);
        call
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
            set(error.unchecked_ref(), "attempts", JsValue::from_f64(call.attempts as f64));
            set(error.unchecked_ref(), "userId", str_or_null(call.user_id.as_deref()));
            return error;
        }
        let error = js_sys::Error::new(&call.failure.message);
        error.set_name(ERROR_NAME);
        let target: &Object = error.unchecked_ref();
        set_failure_fields(target, &call.failure);
        set(target, "attempts", JsValue::from_f64(call.attempts as f64));
        set(target, "userId", str_or_null(call.user_id.as_deref()));
        if let Some(cause) = call.cause {
            // Non-enumerable, as `new Error(message, { cause })` makes it.
            let descriptor = JsObject::new();
            descriptor.set("value", cause).set("writable", true).set("configurable", true);
            let _ = Reflect::define_property(target, &JsValue::from_str("cause"), descriptor.object());
        }
        error.into()
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> JsValue {
        CallFailure::from(failure).into()
    }
}

/// `{ ok: false, kind, status, ... }` for `classifyResponse`.
pub(crate) fn outcome(failure: &Failure) -> JsValue {
    let outcome = JsObject::new();
    outcome.set("ok", false);
    set_failure_fields(outcome.object(), failure);
    outcome.set("message", &*failure.message);
    outcome.into_value()
}

fn set(target: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

fn set_failure_fields(target: &Object, failure: &Failure) {
    set(target, "kind", JsValue::from_str(failure.kind.as_str()));
    set(target, "status", number_or_null(failure.status));
    set(target, "zoomCode", number_or_null(failure.zoom_code));
    set(target, "retryable", JsValue::from_bool(failure.retryable));
    set(target, "retryAfterMs", number_or_null(failure.retry_after_ms.map(|ms| ms as f64)));
    set(target, "rateLimitType", str_or_null(failure.rate_limit_type.map(|t| t.as_str())));
    set(target, "fieldErrors", array(&failure.field_errors, field_error).into());
    set(target, "violations", array(&failure.violations, check).into());
}

fn field_error(error: &FieldError) -> JsValue {
    let object = JsObject::new();
    object.set("field", &*error.field).set("message", &*error.message);
    object.into_value()
}

pub(crate) fn check(check: &Check) -> JsValue {
    let object = JsObject::new();
    object
        .set("rule", check.rule.as_str())
        .set("passed", check.passed)
        .set("zoomCode", number_or_null(check.rule.zoom_code()))
        .set("message", &*check.message);
    object.into_value()
}

/// `e instanceof Error && e.name === "ZoomPasswordError"` with a string
/// `kind`: true for errors from any copy of this module.
#[wasm_bindgen(js_name = isZoomPasswordError, skip_typescript)]
pub fn is_zoom_password_error(value: &JsValue) -> bool {
    if !value.is_instance_of::<js_sys::Error>() {
        return false;
    }
    let read = |key: &str| Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    read("name").as_string().as_deref() == Some(ERROR_NAME) && read("kind").is_string()
}
