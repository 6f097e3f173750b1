//! The JavaScript API: a thin layer that reads JS values into the core's
//! types, calls the core, and writes the results back as plain JS objects
//! and `ZoomPasswordError`s. `fetch` and timers live only here.

mod bulk;
mod classify;
mod client;
mod error;
mod js;
mod oauth;
mod request;
mod timers;
mod token;
mod transport;
mod update;
mod validate;

pub use classify::classify_response;
pub use client::ZoomPasswordClient;
pub use error::is_zoom_password_error;
pub use request::build_request;
pub use update::update_password;
pub use validate::validate_password;

use wasm_bindgen::prelude::*;

// The TypeScript shapes of every option, result and error; the functions'
// own signatures refer to them by name.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");
