//! `classifyResponse({ status, body, headers })`: the core's classification
//! of an answer the caller already has.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::body;
use super::js::{given, key, now_ms, property, well_formed_string};
use super::options::{Declared, OptionBag};
use super::output::to_js;
use crate::core::body::ZoomBody;
use crate::core::classify::{classify_response as classify, HttpResponse, Outcome};
use crate::core::error::{ErrorKind, Failure};
use crate::core::retry::whole_number;

const STATUS_REFUSAL: &str = "response.status must be an integer from 0 to 999.";
/// Required.
const STATUS: &Declared = &Declared::whole("status", 0, 999, STATUS_REFUSAL);
/// A string; absent is an empty body.
const BODY: &Declared = &Declared::text("body");
/// `Headers`, anything with `get(name)`, or a plain object ([`ResponseHeaders`]).
const HEADERS: &Declared = &Declared::value("headers");

#[wasm_bindgen(js_name = classifyResponse, skip_typescript)]
pub fn classify_response(response: JsValue) -> Result<JsValue, JsValue> {
    let bag = OptionBag::new(&response, "response", "response.")?;
    let status = match bag.whole(STATUS)? {
        Some(status) => status as u16,
        None => return Err(Failure::invalid_options(STATUS.name, STATUS_REFUSAL).into()),
    };
    let body_js = bag.present(BODY)?.unwrap_or_else(|| JsValue::from_str(""));
    let text =
        super::options::string_value(&body_js, ErrorKind::InvalidOptions, BODY.name, "response.")?;
    let headers = ResponseHeaders::new(&bag.get(HEADERS)?)?;
    let retry_after = headers.get("retry-after");
    let rate_limit_type = headers.get("x-ratelimit-type");
    let zoom_body = ZoomBody::read(&text, &|_| body::parse(&body_js));
    let parts = HttpResponse {
        status,
        body: &zoom_body,
        retry_after: retry_after.as_deref(),
        rate_limit_type: rate_limit_type.as_deref(),
    };
    let failure = classify(&parts, now_ms() as u64).err();
    Ok(to_js(&Outcome(failure.as_ref())))
}

/// A `Headers` instance (anything with a `get` method) or a plain object
/// with header names in any case; values may be strings, numbers or arrays.
enum ResponseHeaders {
    None,
    WithGet(JsValue, js_sys::Function),
    Plain(JsValue),
}

impl ResponseHeaders {
    fn new(value: &JsValue) -> Result<ResponseHeaders, Failure> {
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
        Ok(if get.is_function() {
            ResponseHeaders::WithGet(value, get.unchecked_into())
        } else {
            ResponseHeaders::Plain(value)
        })
    }

    /// The value of header `lower_name`; unreadable values count as absent.
    fn get(&self, lower_name: &'static str) -> Option<String> {
        let value = match self {
            ResponseHeaders::None => return None,
            ResponseHeaders::WithGet(headers, get) => get.call1(headers, key(lower_name)).ok()?,
            ResponseHeaders::Plain(object) => {
                let keys = Reflect::own_keys(object).ok()?;
                let name = keys.iter().find(|name| {
                    name.as_string()
                        .is_some_and(|name| name.eq_ignore_ascii_case(lower_name))
                })?;
                Reflect::get(object, &name).ok()?
            }
        };
        header_text(&value)
    }
}

fn header_text(value: &JsValue) -> Option<String> {
    if let Some(n) = value.as_f64() {
        // `{ "Retry-After": 5 }`: whole seconds written as a number.
        return whole_number(n, u32::MAX as u64).map(crate::core::text::decimal);
    }
    if super::js::is_array(value) {
        return header_text(&Reflect::get_u32(value, 0).ok()?);
    }
    well_formed_string(value)
}
