//! `validatePassword(password, policy?)`, and reading a policy object.
//!
//! The public function is JS (`pkg-templates/api.js`): it makes one call
//! here with the password and the policy's four values, and builds the
//! report's objects from the number that comes back (`core::password::
//! report_code`) and the lines fetched once (`passwordCheckLines`). Building
//! the objects in Rust took 74 wasm-to-JS crossings per call (0.26x a
//! plain-JS validator); see the README's performance table for today's
//! figure. Anything the quick call cannot take as it is (a value of the
//! wrong type, a property from a prototype, a throwing getter, a string
//! with a lone surrogate) goes through `validatePasswordCode`, which reads
//! the inputs as every other call does and throws the typed error.

use wasm_bindgen::prelude::*;

use super::js::given;
use super::letters::PlatformClasses;
use super::options::{string_value, Declared, OptionBag, PASSWORD};
use super::output::to_js;
use crate::core::error::{ErrorKind, Failure};
use crate::core::password::{report_code, validate_password_with, Check, Policy, CHECK_LINES};

/// What `checkPassword` answers when the inputs need the full reading.
const NEEDS_FULL_READING: u32 = u32::MAX;

/// The quick call: `minimum` and `consecutive` are the policy's numbers,
/// `flags` says which are there (4: minimum, 8: consecutive) and holds its
/// booleans (1: have_special_character, 2: weak_enhance_detection). The
/// report's code, or `NEEDS_FULL_READING`.
#[wasm_bindgen(js_name = checkPassword, skip_typescript)]
pub fn check_password(password: &str, minimum: f64, consecutive: f64, flags: u32) -> u32 {
    // The glue replaced any lone surrogate with U+FFFD: only the full
    // reading can tell, so it decides.
    if crate::core::text::contains(password, "\u{FFFD}") {
        return NEEDS_FULL_READING;
    }
    let number = |present: u32, value: f64, from: fn(f64) -> Result<u8, Failure>| {
        if flags & present == 0 {
            Some(0)
        } else {
            from(value).ok()
        }
    };
    let (Some(minimum), Some(consecutive)) = (
        number(4, minimum, Policy::minimum_length_from),
        number(8, consecutive, Policy::consecutive_length_from),
    ) else {
        return NEEDS_FULL_READING;
    };
    let policy = Policy {
        minimum_password_length: minimum,
        consecutive_characters_length: consecutive,
        have_special_character: flags & 1 == 1,
        weak_enhance_detection: flags & 2 == 2,
    };
    report_code(
        &validate_password_with(password, &policy, &PlatformClasses),
        &policy,
    )
}

/// The full reading: the report's code, or the typed error.
#[wasm_bindgen(js_name = validatePasswordCode, skip_typescript)]
pub fn validate_password_code(password: JsValue, policy: JsValue) -> Result<u32, JsValue> {
    let password = read_password(&password)?;
    let policy = read_policy(&policy)?;
    Ok(report_code(
        &validate_password_with(&password, &policy, &PlatformClasses),
        &policy,
    ))
}

/// Every line a report can hold, `{ rule, passed: false, zoomCode, message }`,
/// indexed as `core::password::report_code` says.
#[wasm_bindgen(js_name = passwordCheckLines, skip_typescript)]
pub fn password_check_lines() -> JsValue {
    let lines: Vec<Check> = CHECK_LINES
        .iter()
        .map(|&(rule, message)| Check::new(rule, false, message))
        .collect();
    to_js(&lines)
}

pub(crate) fn read_password(value: &JsValue) -> Result<String, Failure> {
    string_value(value, ErrorKind::InvalidPassword, PASSWORD.name, "")
}

// The policy's fields, as Zoom names them; their ranges are the core's
// (`Policy::minimum_length_from`, `Policy::consecutive_length_from`).
const MINIMUM_PASSWORD_LENGTH: &Declared = &Declared::number("minimum_password_length");
const CONSECUTIVE_CHARACTERS_LENGTH: &Declared = &Declared::number("consecutive_characters_length");
const HAVE_SPECIAL_CHARACTER: &Declared = &Declared::flag("have_special_character");
const WEAK_ENHANCE_DETECTION: &Declared = &Declared::flag("weak_enhance_detection");

/// Zoom's `security.password_requirement`, exactly as the API returns it.
/// Missing fields take the basic value; unknown fields are ignored (Zoom
/// may add some).
pub(crate) fn read_policy(value: &JsValue) -> Result<Policy, Failure> {
    let Some(value) = given(value.clone()) else {
        return Ok(Policy::BASIC);
    };
    let bag = OptionBag::new(&value, "policy", "policy.")?;
    let mut policy = Policy::BASIC;
    if let Some(n) = bag.number(MINIMUM_PASSWORD_LENGTH)? {
        policy.minimum_password_length = Policy::minimum_length_from(n)?;
    }
    if let Some(n) = bag.number(CONSECUTIVE_CHARACTERS_LENGTH)? {
        policy.consecutive_characters_length = Policy::consecutive_length_from(n)?;
    }
    policy.have_special_character = bag.flag(HAVE_SPECIAL_CHARACTER)?.unwrap_or(false);
    policy.weak_enhance_detection = bag.flag(WEAK_ENHANCE_DETECTION)?.unwrap_or(false);
    Ok(policy)
}
