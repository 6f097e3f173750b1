//! `generatePassword(policy?, { length })`: the core's generator fed by the
//! platform's cryptographic random source, never `Math.random`.
//!
//! `crypto.getRandomValues` through web-sys `Crypto`, on whatever
//! `globalThis.crypto` is at the call (read through a `catch` binding, as
//! every global we did not make): Node, Deno, Bun, workerd and browsers all
//! have it; where it is missing or throws, the call is a typed error.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js::global_property;
use super::letters::PlatformClasses;
use super::options::{Declared, OptionBag};

/// `{ length }`; `core::generate::length_from` checks its range.
const LENGTH: &Declared = &Declared::number("length");
use super::validate::read_policy;
use crate::core::error::{ErrorKind, Failure};
use crate::core::generate::{generate_password as generate, length_from};

/// Fills `buffer` (a view of the wasm memory, at most 65,536 bytes; the
/// core asks for 64) in place.
fn fill_random(buffer: &mut [u8]) -> Result<(), Failure> {
    let unavailable = || {
        Failure::client(
            ErrorKind::UnsupportedEnvironment,
            "crypto.getRandomValues is not available here.",
        )
    };
    let crypto = global_property("crypto");
    if !crypto.is_object() {
        return Err(unavailable());
    }
    crypto
        .unchecked_ref::<web_sys::Crypto>()
        .get_random_values_with_u8_array(buffer)
        .map(|_| ())
        .map_err(|_| unavailable())
}

#[wasm_bindgen(js_name = generatePassword, skip_typescript)]
pub fn generate_password(policy: JsValue, options: JsValue) -> Result<String, JsValue> {
    let policy = read_policy(&policy)?;
    let length = match OptionBag::optional(&options, "options")? {
        Some(bag) => bag.only(&[&[LENGTH]])?.number(LENGTH)?,
        None => None,
    };
    let length = length_from(length, &policy)?;
    Ok(generate(
        &policy,
        length,
        &mut fill_random,
        &PlatformClasses,
    )?)
}
