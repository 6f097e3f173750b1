//! The JS API, in async Rust on the design's crates. One call reads top to
//! bottom:
//!
//! ```text
//! JS options ─► options.rs      read each property once, range-check   (update.rs, client.rs)
//!            ─► core::password  validate (nothing is sent when it fails)
//!            ─► breach.rs       with breachCheck: SHA-1 prefix to the range API, core::breach reads it
//!            ─► core::request   URL, Authorization (pure)
//!            ─► transport.rs    token (tokens.rs), pacer, then per attempt:
//!            ─► fetch.rs        FormData body, checked fetch, answer read by shape
//!            ─► core::classify  outcome from status, headers, parsed body (body.rs)
//!            ─► core::attempt   done, retry after d, refresh, already set, fail
//!            ─► errors.rs       the one place a failure becomes a JS Error
//! ```
//!
//! Two builds (Cargo feature `server`, on by default): the browser entries
//! load a module without it, so without the server-to-server provider
//! (`server_to_server.rs`, `core::oauth`) and the bulk runner (`bulk.rs`:
//! `client.updatePasswords`, its worker pool and its shared range answers).
//! Node, Deno, Bun and workerd load the full module. Its feature `proxy`
//! (on by default, needs `server`) adds the password proxy (`proxy.rs`) and
//! what it needs of the shared code; it is off only in the build that
//! bench/sizes.mjs measures without the proxy.
//!
//! Nothing here panics on any input, option or hostile global: values we did
//! not make are read through `catch` bindings (js.rs), and every failure is
//! a `ZoomPasswordError` made in errors.rs.

mod body;
mod breach;
#[cfg(feature = "server")]
mod bulk;
mod classify;
mod client;
mod errors;
mod fetch;
mod generate;
mod js;
mod letters;
mod options;
mod output;
#[cfg(feature = "proxy")]
mod proxy;
mod request;
#[cfg(feature = "server")]
mod server_to_server;
mod settle;
mod task;
mod timers;
mod tokens;
mod transport;
mod update;
mod validate;

/// talc instead of std's dlmalloc: smaller (see Cargo.toml) and faster.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use breach::check_breached_password;
pub use classify::classify_response;
pub use client::ZoomPasswordClient;
pub use errors::is_zoom_password_error;
pub use generate::generate_password;
#[cfg(feature = "proxy")]
pub use proxy::create_password_proxy;
pub use request::build_request;
#[cfg(feature = "server")]
pub use server_to_server::server_to_server_token_provider;
pub use update::update_password;
pub use validate::{check_password, password_check_lines, validate_password_code};
