//! Reading JS option objects and building JS result objects.
//!
//! Options are duck-typed and read one property at a time (as lol-html's
//! js-api does) rather than through serde: `from_value` alone costs about
//! 20 KB gzipped. Every read is fallible and checked here, so `null`, a
//! number or a throwing getter where a string belongs becomes a
//! `ZoomPasswordError`, never a wasm trap.

use std::borrow::Cow;

use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{ErrorKind, Failure};

thread_local! {
    static STATIC_STRINGS: std::cell::RefCell<Vec<(usize, usize, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The JS string for a `'static` Rust string (a property name, a fixed
/// value), created once: turning UTF-8 into a JS string costs more than the
/// property access it is for.
pub(crate) fn static_str(text: &'static str) -> JsValue {
    let id = (text.as_ptr() as usize, text.len());
    STATIC_STRINGS.with(|cache| {
        if let Some((_, _, value)) = cache.borrow().iter().find(|(p, l, _)| (*p, *l) == id) {
            return value.clone();
        }
        let value = JsValue::from_str(text);
        cache.borrow_mut().push((id.0, id.1, value.clone()));
        value
    })
}

/// `value`, unless it is `undefined` or `null`: how JS says "not given".
pub(crate) fn given(value: JsValue) -> Option<JsValue> {
    if value.is_undefined() || value.is_null() {
        None
    } else {
        Some(value)
    }
}

/// `target[key]`, or `undefined` when `target` is not an object or reading
/// throws: for objects this crate reads but did not make (a Response, an
/// error a caller threw, a signal), where a failed read means "absent".
pub(crate) fn property(target: &JsValue, key: &'static str) -> JsValue {
    if !target.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(target, &static_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A plain JS object under construction.
pub(crate) struct JsObject(Object);

impl JsObject {
    pub fn new() -> JsObject {
        JsObject(Object::new())
    }

    pub fn set(&self, key: &'static str, value: impl Into<JsValue>) -> &JsObject {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.0, &static_str(key), &value.into());
        self
    }

    pub fn object(&self) -> &Object {
        &self.0
    }

    pub fn into_value(self) -> JsValue {
        self.0.into()
    }
}

/// A JS value from JSON this crate wrote (`crate::output`), so it parses.
pub(crate) fn parse_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

pub(crate) fn str_or_null(value: Option<&str>) -> JsValue {
    match value {
        Some(s) => JsValue::from_str(s),
        None => JsValue::NULL,
    }
}

/// A JS string as Rust text, or `None` if `value` is not a string or holds
/// a lone surrogate (which conversion would silently turn into U+FFFD and
/// so change the value: a different user id, a different password).
pub(crate) fn well_formed_string(value: &JsValue) -> Option<String> {
    let text = value.as_string()?;
    // Only a lossy conversion introduces U+FFFD: check the rare strings that
    // contain one against the original code units.
    if text.contains('\u{FFFD}') && !value.unchecked_ref::<JsString>().is_valid_utf16() {
        return None;
    }
    Some(text)
}

/// `value` as text, or a failure of `kind` naming `prefix` + `field`.
pub(crate) fn string_value(
    value: &JsValue,
    kind: ErrorKind,
    field: &'static str,
    prefix: &str,
) -> Result<String, Failure> {
    match well_formed_string(value) {
        Some(text) => Ok(text),
        None if value.is_string() => Err(Failure::option(
            kind,
            field,
            concat(&[
                prefix,
                field,
                " must be well-formed Unicode (it has a lone surrogate).",
            ]),
        )),
        None => Err(Failure::option(
            kind,
            field,
            concat(&[prefix, field, " must be a string."]),
        )),
    }
}

fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

thread_local! {
    /// `Object.prototype`, looked up once.
    static OBJECT_PROTOTYPE: JsValue = Object::get_prototype_of(&Object::new().into()).into();
}

/// Reads the properties of one option object.
pub(crate) struct OptionBag {
    object: JsValue,
    /// Prefix for names in messages, such as `"retry."`.
    prefix: &'static str,
}

impl OptionBag {
    /// `value` must be a non-null object; `name` is how messages call it.
    pub fn new(
        value: &JsValue,
        name: &'static str,
        prefix: &'static str,
    ) -> Result<OptionBag, Failure> {
        if !value.is_object() {
            return Err(Failure::invalid_options(
                name,
                concat(&[name, " must be an object."]),
            ));
        }
        Ok(OptionBag {
            object: value.clone(),
            prefix,
        })
    }

    /// A property, own or from the object's class, but never one inherited
    /// from `Object.prototype`: a polluted prototype cannot inject a
    /// `baseUrl` or a policy. Absent properties read as `undefined`.
    pub fn get(&self, field: &'static str) -> Result<JsValue, Failure> {
        let key = static_str(field);
        let unreadable = || {
            Failure::invalid_options(
                field,
                concat(&["Reading option ", self.prefix, field, " failed."]),
            )
        };
        let object_prototype = OBJECT_PROTOTYPE.with(JsValue::clone);
        let mut holder: JsValue = self.object.clone();
        // Prototype chains are finite, but a Proxy can fake an endless one.
        for _ in 0..32 {
            if holder.is_null() || !holder.is_object() || Object::is(&holder, &object_prototype) {
                return Ok(JsValue::UNDEFINED);
            }
            let target = holder.unchecked_ref::<Object>();
            let own =
                Reflect::get_own_property_descriptor(target, &key).map_err(|_| unreadable())?;
            if !own.is_undefined() {
                return Reflect::get(&self.object, &key).map_err(|_| unreadable());
            }
            holder = Reflect::get_prototype_of(&holder)
                .map_err(|_| unreadable())?
                .into();
        }
        Err(unreadable())
    }

    fn wrong_type(&self, field: &'static str, kind: ErrorKind, what: &str) -> Failure {
        let message = concat(&[self.prefix, field, " must be ", what, "."]);
        Failure::option(kind, field, Cow::Owned(message))
    }

    /// A string, `None` when absent (`undefined` or `null`).
    /// The property, `None` when absent (`undefined` or `null`).
    pub fn present(&self, field: &'static str) -> Result<Option<JsValue>, Failure> {
        Ok(given(self.get(field)?))
    }

    pub fn string(&self, field: &'static str, kind: ErrorKind) -> Result<Option<String>, Failure> {
        let Some(value) = self.present(field)? else {
            return Ok(None);
        };
        string_value(&value, kind, field, self.prefix).map(Some)
    }

    pub fn boolean(&self, field: &'static str) -> Result<Option<bool>, Failure> {
        let Some(value) = self.present(field)? else {
            return Ok(None);
        };
        value
            .as_bool()
            .map(Some)
            .ok_or_else(|| self.wrong_type(field, ErrorKind::InvalidOptions, "a boolean"))
    }

    pub fn number(&self, field: &'static str) -> Result<Option<f64>, Failure> {
        let Some(value) = self.present(field)? else {
            return Ok(None);
        };
        value
            .as_f64()
            .map(Some)
            .ok_or_else(|| self.wrong_type(field, ErrorKind::InvalidOptions, "a number"))
    }
}

/// `globalThis.location.href` in a browser (or worker); `None` in Node.
pub(crate) fn page_url() -> Option<String> {
    let location = Reflect::get(&js_sys::global(), &static_str("location")).ok()?;
    if !location.is_object() {
        return None;
    }
    Reflect::get(&location, &static_str("href"))
        .ok()?
        .as_string()
}

/// The Unix time in milliseconds.
pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}
