//! `validatePassword(password, policy?)`, and reading a policy object.

use wasm_bindgen::prelude::*;

use super::js::{given, to_js};
use super::letters::PlatformClasses;
use super::options::{string_value, OptionBag};
use crate::core::error::{ErrorKind, Failure};
use crate::core::password::{validate_password_with, Policy};

#[wasm_bindgen(js_name = validatePassword, skip_typescript)]
pub fn validate_password(password: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let password = read_password(&password)?;
    let policy = read_policy(&policy)?;
    Ok(to_js(&validate_password_with(
        &password,
        &policy,
        &PlatformClasses,
    )))
}

pub(crate) fn read_password(value: &JsValue) -> Result<String, Failure> {
    string_value(value, ErrorKind::InvalidPassword, "password", "")
}

/// Zoom's `security.password_requirement`, exactly as the API returns it.
/// Missing fields take the basic value; unknown fields are ignored (Zoom
/// may add some).
pub(crate) fn read_policy(value: &JsValue) -> Result<Policy, Failure> {
    let Some(value) = given(value.clone()) else {
        return Ok(Policy::BASIC);
    };
    let bag = OptionBag::new(&value, "policy", "policy.")?;
    let mut policy = Policy::BASIC;
    if let Some(n) = bag.number("minimum_password_length")? {
        policy.minimum_password_length = Policy::minimum_length_from(n)?;
    }
    if let Some(n) = bag.number("consecutive_characters_length")? {
        policy.consecutive_characters_length = Policy::consecutive_length_from(n)?;
    }
    policy.have_special_character = bag.boolean("have_special_character")?.unwrap_or(false);
    policy.weak_enhance_detection = bag.boolean("weak_enhance_detection")?.unwrap_or(false);
    Ok(policy)
}
