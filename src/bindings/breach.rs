//! `checkBreachedPassword(password, options)` and the `breachCheck` option
//! of a password change: SHA-1 through WebCrypto (web-sys `SubtleCrypto`;
//! RustCrypto's `sha1` measured 1.3 KB gzip more here, `sha1_smol` the
//! same), then `GET {rangeUrl}{prefix}` with `Add-Padding: true` through the
//! same `fetch::send` as the password change (timeout, abort, typed
//! failures), and the answer read by `core::breach`. Only the five-character
//! prefix leaves: the suffix is compared here.

use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::{ArrayBuffer, Promise, Uint8Array};
#[cfg(feature = "server")]
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::errors::CallFailure;
use super::fetch::{self, Body, Outgoing};
use super::js::{awaited, global_property, key, property, spawn, JsObject};
use super::options::{read_timeout, Declared, OptionBag, SIGNAL, TIMEOUT_MS};
use super::timers::{is_aborted, SignalLike};
use super::transport::read_signal;
use super::validate::read_password;
use crate::core::attempt::transport_failure;
use crate::core::breach::{
    check_range_url, range_count, range_status, split_digest, HashParts, DEFAULT_RANGE_URL,
    DEFAULT_TIMEOUT_MS, NOT_BREACHED_MESSAGE,
};
use crate::core::error::{ErrorKind, Failure};
use crate::core::request::authority;

const RANGE_URL: &Declared = &Declared::text("rangeUrl");
/// `breachCheck: { ... }`'s options and checkBreachedPassword's (which adds `signal`).
const RANGE_OPTIONS: [&Declared; 2] = [RANGE_URL, TIMEOUT_MS];

/// Where and how long to ask: `breachCheck: true` or `{ rangeUrl?, timeoutMs? }`.
pub(crate) struct BreachCheck {
    range_url: Rc<str>,
    timeout_ms: u32,
}

impl Default for BreachCheck {
    /// The public range API, within 10 s.
    fn default() -> BreachCheck {
        BreachCheck {
            range_url: DEFAULT_RANGE_URL.into(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

impl BreachCheck {
    /// `rangeUrl` and `timeoutMs` from an option object, with the defaults.
    fn from_bag(bag: &OptionBag) -> Result<BreachCheck, Failure> {
        let range_url = match bag.text(RANGE_URL)? {
            Some(url) => {
                check_range_url(&url)?;
                url.into()
            }
            None => DEFAULT_RANGE_URL.into(),
        };
        Ok(BreachCheck {
            range_url,
            timeout_ms: read_timeout(bag)?.unwrap_or(DEFAULT_TIMEOUT_MS),
        })
    }

    /// The `breachCheck` option: absent or `false` is off.
    pub fn read(value: Option<JsValue>) -> Result<Option<Rc<BreachCheck>>, Failure> {
        let Some(value) = value else {
            return Ok(None);
        };
        match value.as_bool() {
            Some(false) => Ok(None),
            Some(true) => Ok(Some(Rc::new(BreachCheck::default()))),
            None if value.is_object() => {
                let bag = OptionBag::new(&value, "breachCheck", "breachCheck.")?
                    .only(&[&RANGE_OPTIONS])?;
                Ok(Some(Rc::new(BreachCheck::from_bag(&bag)?)))
            }
            None => Err(Failure::invalid_options(
                "breachCheck",
                "breachCheck must be true, false or { rangeUrl?, timeoutMs? }.",
            )),
        }
    }

    /// How often the range lists `password` (0: not breached). `cache`
    /// shares answers between the items of a bulk run.
    pub async fn count(
        &self,
        password: &str,
        signal: Option<&SignalLike>,
        cache: Option<&RangeCache>,
    ) -> Result<u64, Failure> {
        if is_aborted(signal) {
            return Err(transport_failure(ErrorKind::Aborted, None, None, &[]));
        }
        let parts = sha1(password).await?;
        let mut url = String::with_capacity(self.range_url.len() + parts.prefix.len());
        url.push_str(&self.range_url);
        url.push_str(&parts.prefix);
        let query = RangeQuery {
            url,
            timeout_ms: self.timeout_ms,
            signal: signal.cloned(),
        };
        match cache {
            Some(cache) => range_count(&cache.answer(query).await?, &parts.suffix),
            None => range_count(&query.send().await?, &parts.suffix),
        }
    }
}

/// One range query, owned, so a bulk run can share it as a Promise.
struct RangeQuery {
    url: String,
    timeout_ms: u32,
    signal: Option<SignalLike>,
}

impl RangeQuery {
    /// The answer's body, or the failure of a non-2xx answer.
    async fn send(&self) -> Result<String, Failure> {
        let url_js = JsValue::from_str(&self.url);
        let outgoing = Outgoing {
            method: Method::GET,
            url: &url_js,
            host: authority(&self.url),
            // Add-Padding: the answer's size must not tell the prefix's popularity.
            headers: &[("Accept", key("text/plain")), ("Add-Padding", key("true"))],
            body: Body::Empty,
            // Only the hash's first five hex digits leave.
            secrets: &[],
        };
        let answer = fetch::send(&outgoing, self.timeout_ms, self.signal.as_ref()).await?;
        range_status(answer.status)?;
        Ok(answer.text)
    }
}

/// The SHA-1 of `password`'s UTF-8, split into prefix and suffix.
async fn sha1(password: &str) -> Result<HashParts, Failure> {
    let unavailable = || {
        Failure::client(
            ErrorKind::UnsupportedEnvironment,
            "crypto.subtle is not available here (browsers: https: and localhost pages only).",
        )
    };
    // web-sys `SubtleCrypto` on `globalThis.crypto.subtle`, read through
    // `catch` bindings: browsers offer it only to secure contexts (https:
    // and localhost pages). digest copies the bytes before it returns
    // (WebCrypto: "get a copy of the bytes held by data"), so the view into
    // wasm memory is safe.
    let subtle = property(&global_property("crypto"), "subtle");
    if !subtle.is_object() {
        return Err(unavailable());
    }
    let pending = subtle
        .unchecked_ref::<web_sys::SubtleCrypto>()
        .digest_with_str_and_u8_array("SHA-1", password.as_bytes())
        .map_err(|_| unavailable())?;
    // Whatever a replaced `subtle` answers, `awaited` takes it as `await` does.
    let digest = awaited(pending.into()).await.map_err(|_| unavailable())?;
    // Read by index: Uint8Array::to_vec and copy_to carry an assertion's
    // formatting code (0.5 KB raw before wasm-opt, by twiggy) for a length we check anyway.
    let bytes: Vec<u8> = match digest.dyn_ref::<ArrayBuffer>() {
        Some(buffer) => {
            let view = Uint8Array::new(buffer);
            (0..view.length()).map(|i| view.get_index(i)).collect()
        }
        None => Vec::new(),
    };
    split_digest(&bytes).ok_or_else(unavailable)
}

/// Range answers for the length of a bulk run, so one query per distinct
/// prefix is enough: URL to the query's outcome, kept in Rust (the failure
/// whole), with a Promise that settles when it is known. Items with the
/// same prefix await the same query, even while it runs; a failed one is
/// dropped, so the next item with that prefix asks again.
#[cfg(feature = "server")]
pub(crate) struct RangeCache {
    /// Searched in order: at most 128 URLs, one search per bulk item. A
    /// `BTreeMap` here made the full module 9.0 KB raw larger (207,865 to
    /// 198,866 bytes when it became this `Vec`).
    entries: RefCell<Vec<(String, Rc<RangeEntry>)>>,
}

#[cfg(feature = "server")]
struct RangeEntry {
    /// Resolves once `outcome` is set (our `spawn`: never rejects).
    settled: Promise,
    outcome: SharedRangeOutcome,
}

/// A range query's answer text or failure, set once by the query's task and
/// read by every worker that asked for the same prefix.
#[cfg(feature = "server")]
type SharedRangeOutcome = Rc<RefCell<Option<Result<Rc<str>, Failure>>>>;

/// The browser build has no bulk runs, so no cache: no value of this type
/// exists, and every `Option<&RangeCache>` is `None`.
#[cfg(not(feature = "server"))]
pub(crate) enum RangeCache {}

#[cfg(not(feature = "server"))]
impl RangeCache {
    async fn answer(&self, _query: RangeQuery) -> Result<Rc<str>, Failure> {
        match *self {}
    }
}

#[cfg(feature = "server")]
/// Answers kept at most before the cache starts afresh: a padded range
/// answer is about 35 KB, so 128 of them are 4.5 MB. Distinct passwords
/// rarely share a prefix (there are a million); the cache is for the one
/// password a run gives many users.
const CACHE_ENTRIES: usize = 128;

#[cfg(feature = "server")]
impl RangeCache {
    pub fn new() -> RangeCache {
        RangeCache {
            entries: RefCell::new(Vec::new()),
        }
    }

    /// The entry already made for this URL, or a new one with its query
    /// under way.
    fn entry(&self, query: RangeQuery) -> Rc<RangeEntry> {
        let found = self
            .entries
            .borrow()
            .iter()
            .find(|(url, _)| *url == query.url)
            .map(|(_, entry)| entry.clone());
        if let Some(entry) = found {
            return entry;
        }
        // No borrow held while the query's task takes its first step (it
        // runs at once, task.rs, and calls the platform's fetch).
        let url = query.url.clone();
        let outcome = Rc::new(RefCell::new(None));
        let slot = outcome.clone();
        let settled = spawn(async move {
            let answer = query.send().await.map(Rc::from);
            *slot.borrow_mut() = Some(answer);
            Ok(JsValue::UNDEFINED)
        });
        let entry = Rc::new(RangeEntry { settled, outcome });
        let mut entries = self.entries.borrow_mut();
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        entries.push((url, entry.clone()));
        entry
    }

    /// The body for `query`'s URL: its own answer, or the one a query for the
    /// same URL already got (or is getting).
    async fn answer(&self, query: RangeQuery) -> Result<Rc<str>, Failure> {
        let url = query.url.clone();
        let entry = self.entry(query);
        let _ = awaited(entry.settled.clone().into()).await;
        let outcome = entry.outcome.borrow().clone();
        match outcome {
            Some(Ok(body)) => Ok(body),
            failed => {
                // Dropped, unless a newer query for the URL replaced it.
                self.entries
                    .borrow_mut()
                    .retain(|(kept_url, kept)| *kept_url != url || !Rc::ptr_eq(kept, &entry));
                Err(match failed {
                    Some(Err(failure)) => failure,
                    // The query's task ended without an outcome: not possible
                    // (it sets one before resolving), but never a panic.
                    _ => transport_failure(ErrorKind::NetworkError, None, None, &[]),
                })
            }
        }
    }
}

/// The `not_breached` checklist line, for the CLI's `check` and the demo
/// page, which show it beside validatePassword's checks (not part of the
/// API: the entries do not re-export it).
#[wasm_bindgen(js_name = breachCheckMessage, skip_typescript)]
pub fn breach_check_message() -> String {
    NOT_BREACHED_MESSAGE.to_owned()
}

#[wasm_bindgen(js_name = checkBreachedPassword, skip_typescript)]
pub fn check_breached_password(password: JsValue, options: JsValue) -> Promise {
    spawn(async move {
        let password = read_password(&password)?;
        let bag = OptionBag::optional(&options, "options")?
            .map(|bag| bag.only(&[&RANGE_OPTIONS, &[SIGNAL]]))
            .transpose()?;
        let (check, signal) = match &bag {
            Some(bag) => (
                BreachCheck::from_bag(bag)?,
                bag.present(SIGNAL)?.map(|s| read_signal(&s)).transpose()?,
            ),
            None => (BreachCheck::default(), None),
        };
        let count = check
            .count(&password, signal.as_ref(), None)
            .await
            .map_err(CallFailure::from)?;
        let result = JsObject::new();
        result
            .set("breached", count > 0)
            // Counts are far below 2^53 (the largest is about 10^8).
            .set("count", count as f64);
        Ok(result.into_value())
    })
}
