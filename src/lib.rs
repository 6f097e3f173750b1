//! zoom-password: change a Zoom user's password safely.
//!
//! The crate is two layers:
//! - the core (every module here but `bindings`): request building, password
//!   rules, response classification, `Retry-After` parsing and retry
//!   arithmetic. Plain Rust with no dependencies, tested with `cargo test`;
//! - `bindings` (wasm32 only): the core as synchronous wasm exports of
//!   strings and numbers. The JS half of the bindings (pkg-templates/lib)
//!   reads option objects, and is where `fetch` and timers live.

// No std in the shipped wasm: std's panic and formatting machinery and its
// allocator were a third of the module. The core needs only `alloc`; the
// host build (and its tests) keeps std.
#![cfg_attr(all(target_arch = "wasm32", feature = "shipped"), no_std)]

extern crate alloc;

/// What std's prelude would bring, for `no_std`.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod attempt;
pub mod classify;
pub mod dictionary;
pub mod error;
pub mod heap;
pub mod json;
pub mod oauth;
pub mod output;
pub mod pacer;
pub mod password;
pub mod request;
pub mod retry;
pub mod retry_after;
pub mod text;

/// The JS API (wasm32 only). Public so wasm-bindgen-test can call the
/// exported functions exactly as JS sees them.
#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use classify::{classify_response, HttpResponse};
pub use error::{ErrorKind, Failure, FieldError, RateLimitType};
pub use password::{validate_password, Check, PasswordReport, Policy, RuleId};
pub use request::{build_request, BodyEncoding, PreparedRequest, RequestOptions};
