//! `generatePassword(policy?, { length })`: the core's generator fed by the
//! platform's cryptographic random source, never `Math.random`.
//!
//! `crypto.getRandomValues` through our own `catch` binding rather than
//! web-sys `Crypto` (reached through `Window` or `WorkerGlobalScope`, which
//! Node and workerd do not have) or getrandom (its JS backend does the same
//! call): the global `crypto` is in every runtime we support, and a missing
//! or throwing one is a typed error instead of a trap.

use wasm_bindgen::prelude::*;

use super::options::OptionBag;
use super::validate::read_policy;
use crate::core::error::{ErrorKind, Failure};
use crate::core::generate::{generate_password as generate, length_from};

#[wasm_bindgen]
extern "C" {
    /// Fills a view of the wasm memory in place (at most 65,536 bytes a call;
    /// the core asks for 64).
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buffer: &mut [u8]) -> Result<JsValue, JsValue>;
}

fn fill_random(buffer: &mut [u8]) -> Result<(), Failure> {
    get_random_values(buffer).map(|_| ()).map_err(|_| {
        Failure::client(
            ErrorKind::NetworkError,
            "crypto.getRandomValues is not available here.",
        )
    })
}

#[wasm_bindgen(js_name = generatePassword, skip_typescript)]
pub fn generate_password(policy: JsValue, options: JsValue) -> Result<String, JsValue> {
    let policy = read_policy(&policy)?;
    let length = match OptionBag::optional(&options, "options")? {
        Some(bag) => bag.only(&[&["length"]])?.number("length")?,
        None => None,
    };
    let length = length_from(length, &policy)?;
    Ok(generate(&policy, length, &mut fill_random)?)
}
