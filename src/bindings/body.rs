//! The platform's `JSON.parse` behind the core's [`JsonTree`]: answers are
//! parsed by the JS engine (no JSON parser in the wasm at all) and the core
//! reads the tree it gives back, leniently (`core::body`).

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::js::{has_own, is_array, json_parse, key};
use crate::core::body::JsonTree;

/// A value `JSON.parse` made.
pub(crate) struct ParsedJson(JsValue);

/// `JSON.parse(text)` of a JS string we hold, as a [`JsonTree`]; `None` for
/// text that is not JSON.
pub(crate) fn parse(text: &JsValue) -> Option<ParsedJson> {
    json_parse(text).ok().map(ParsedJson)
}

impl JsonTree for ParsedJson {
    fn member(&self, name: &'static str) -> Option<ParsedJson> {
        if !self.0.is_object() || is_array(&self.0) {
            return None;
        }
        let name = key(name);
        // Own members only: JSON.parse makes nothing else, and a polluted
        // Object.prototype must not supply a `code`.
        if !has_own(&self.0, name) {
            return None;
        }
        Reflect::get(&self.0, name).ok().map(ParsedJson)
    }

    fn text(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn elements(&self, limit: usize) -> Option<Vec<ParsedJson>> {
        if !is_array(&self.0) {
            return None;
        }
        let array: &Array = self.0.unchecked_ref();
        let count = (array.length() as usize).min(limit);
        Some(
            (0..count as u32)
                .map(|i| ParsedJson(array.get(i)))
                .collect(),
        )
    }
}
