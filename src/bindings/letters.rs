//! Letter and case classes of non-ASCII characters from the platform's
//! Unicode regular expressions (`\p{Alphabetic}`, `\p{Uppercase}`,
//! `\p{Lowercase}`: the properties Rust's `char::is_alphabetic`,
//! `is_uppercase` and `is_lowercase` test), as `JSON.parse` serves the JSON
//! reader: the core asks once per non-ASCII password (`core::password::
//! LetterClasses`), and std's tables stay out of the module (2.6 KB gzip,
//! measured by building with and without them).

use js_sys::{JsString, RegExp};
use wasm_bindgen::JsValue;

use crate::core::password::{LetterClasses, LetterCounts};

/// The platform's tables. The engines follow a Unicode version of their
/// own (Node 20's ICU: 15.1; Rust 1.95: 16.0): a letter assigned since may
/// count as a letter in one and not the other.
pub(crate) struct PlatformClasses;

thread_local! {
    /// Each matches one non-ASCII character of its class; made once.
    static PATTERNS: [RegExp; 3] = [
        RegExp::new("(?![\\0-\\x7f])\\p{Alphabetic}", "gu"),
        RegExp::new("(?![\\0-\\x7f])\\p{Uppercase}", "gu"),
        RegExp::new("(?![\\0-\\x7f])\\p{Lowercase}", "gu"),
    ];
}

impl LetterClasses for PlatformClasses {
    fn non_ascii(&self, text: &str) -> LetterCounts {
        let text = JsString::from(text);
        // `String.prototype.match` with the `g` flag: every match, or null.
        let count = |pattern: &RegExp| {
            text.match_(pattern).map_or(0, |found| {
                js_sys::Array::from(&JsValue::from(found)).length() as usize
            })
        };
        PATTERNS.with(|[letters, upper, lower]| LetterCounts {
            letters: count(letters),
            upper: count(upper),
            lower: count(lower),
        })
    }
}
