//! `classifyResponse({ status, body, headers })`.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::outcome;
use super::js::{given, now_ms, property, static_str, well_formed_string, OptionBag};
use crate::classify::{self, HttpResponse};
use crate::error::{ErrorKind, Failure};
use crate::retry::whole_number;

#[wasm_bindgen(js_name = classifyResponse, skip_typescript)]
pub fn classify_response(response: JsValue) -> Result<JsValue, JsValue> {
    let bag = OptionBag::new(&response, "response", "response.")?;
    let status = match bag.number("status")?.and_then(|n| whole_number(n, 999)) {
        Some(status) => status as u16,
        None => {
            return Err(Failure::invalid_options(
                "status",
                "response.status must be an integer from 0 to 999.",
            )
            .into())
        }
    };
    let body = bag
        .string("body", ErrorKind::InvalidOptions)?
        .unwrap_or_default();
    let headers = ResponseHeaders::new(&bag.get("headers")?)?;
    let retry_after = headers.get("retry-after");
    let rate_limit_type = headers.get("x-ratelimit-type");
    let parts = HttpResponse {
        status,
        body: &body,
        retry_after: retry_after.as_deref(),
        rate_limit_type: rate_limit_type.as_deref(),
    };
    Ok(outcome_of(&parts))
}

pub(crate) fn outcome_of(parts: &HttpResponse<'_>) -> JsValue {
    outcome(classify::classify_response(parts, now_ms()).err().as_ref())
}

/// A `Headers` instance (anything with a `get` method) or a plain object
/// with header names in any case; values may be strings, numbers or arrays.
pub(crate) enum ResponseHeaders {
    None,
    WithGet(JsValue, Function),
    Plain(JsValue),
}

impl ResponseHeaders {
    pub fn new(value: &JsValue) -> Result<ResponseHeaders, Failure> {
        let Some(value) = given(value.clone()) else {
            return Ok(ResponseHeaders::None);
        };
        if !value.is_object() {
            return Err(Failure::invalid_options(
                "headers",
                "response.headers must be a Headers or a plain object.",
            ));
        }
        let get = property(&value, "get");
        Ok(match get.dyn_into::<Function>() {
            Ok(get) => ResponseHeaders::WithGet(value.clone(), get),
            Err(_) => ResponseHeaders::Plain(value.clone()),
        })
    }

    /// The value of header `lower_name`; unreadable values count as absent.
    pub fn get(&self, lower_name: &'static str) -> Option<String> {
        let value = match self {
            ResponseHeaders::None => return None,
            ResponseHeaders::WithGet(headers, get) => {
                get.call1(headers, &static_str(lower_name)).ok()?
            }
            ResponseHeaders::Plain(object) => {
                let keys = Reflect::own_keys(object).ok()?;
                let key = keys.iter().find(|key| {
                    key.as_string()
                        .is_some_and(|k| k.eq_ignore_ascii_case(lower_name))
                })?;
                Reflect::get(object, &key).ok()?
            }
        };
        header_text(&value)
    }
}

fn header_text(value: &JsValue) -> Option<String> {
    if let Some(n) = value.as_f64() {
        // `{ "Retry-After": 5 }`: whole seconds written as a number.
        let mut text = String::new();
        crate::classify::push_decimal(&mut text, whole_number(n, u32::MAX as u64)?);
        return Some(text);
    }
    if js_sys::Array::is_array(value) {
        return header_text(&js_sys::Array::from(value).get(0));
    }
    well_formed_string(value)
}
