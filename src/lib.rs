//! zoom-password: change a Zoom user's password safely.
//!
//! The crate is two layers:
//! - the core (every module here but `bindings`): request building, password
//!   rules, response classification, `Retry-After` parsing and retry
//!   arithmetic. Plain Rust with no dependencies, tested with `cargo test`;
//! - `bindings` (wasm32 only): turns the core into the JavaScript API of
//!   the npm package; `fetch` and timers live only there.

pub mod bulk;
pub mod classify;
pub mod dictionary;
pub mod error;
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
