//! The pure core: no wasm types, no clock, no randomness of its own (callers
//! pass the time and random numbers in), so every rule is tested natively.
//!
//! Where a request is built, classified and decided:
//! - [`request`]: the URL (`userId` as one percent-encoded segment), the
//!   base-URL rules that keep a token off plain-text networks, token checks;
//! - [`password`] and [`dictionary`]: Zoom's password rules and the account policy;
//! - [`body`]: what a Zoom error body or token answer says, from parsed JSON;
//! - [`classify`]: any HTTP answer to one typed outcome;
//! - [`retry_after`], [`retry`], [`attempt`]: what follows each attempt;
//! - [`pacer`]: the request spacing shared by a client's workers;
//! - [`generate`]: policy-valid passwords from a caller's random bytes;
//! - [`breach`]: the Pwned Passwords range query's digest split, URL and answer;
//! - `proxy` (feature `server`): the password proxy's routes, origin checks,
//!   body reading and limit windows;
//! - `oauth` (feature `server`): the server-to-server token request and its answer;
//! - [`error`]: the one failure type every path ends in.

pub mod attempt;
pub mod body;
pub mod breach;
pub mod classify;
pub mod dictionary;
pub mod error;
pub mod generate;
#[cfg(feature = "server")]
pub mod oauth;
pub mod pacer;
pub mod password;
#[cfg(feature = "server")]
pub mod proxy;
pub mod request;
pub mod retry;
pub mod retry_after;
pub mod text;
