//! zoom-password: change a Zoom user's password safely.
//!
//! Two layers, one folder each:
//! - [`core`]: every decision, as plain Rust with no wasm types: the password
//!   rules, request building, response classification, `Retry-After`, retry
//!   and pacing arithmetic, the server-to-server token request. Tested
//!   natively with `cargo test`.
//! - `bindings` (wasm32 only): the JS API. It reads option objects, builds the
//!   FormData body, sends it with `fetch`, awaits it (settle.rs, task.rs),
//!   runs the timers, the abort wiring, the shared pacer and the bulk pool,
//!   asks the core what each answer means, and turns the core's failures into
//!   `ZoomPasswordError`s in one place.

pub mod core;

/// The JS API (wasm32 only). Public so wasm-bindgen-test can drive the
/// exports exactly as JS sees them.
#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use crate::core::classify::{classify_response, HttpResponse};
pub use crate::core::error::{ErrorKind, Failure, FieldError, RateLimitType};
pub use crate::core::password::{validate_password, Check, PasswordReport, Policy, RuleId};
pub use crate::core::request::{build_request, BodyEncoding, PreparedRequest, RequestOptions};
