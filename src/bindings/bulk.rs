//! `client.updatePasswords(items, { concurrency, onResult, onProgress, signal, stopSignal, ... })`
//! (full build only: bulk resets are an administrator's Node or CLI job):
//! a pool of workers taking items in order, every request paced by the
//! client's one pacer (inside `Transport::execute`). It resolves with a
//! result per item, in input order; only input it cannot run at all (not an
//! array, a repeated user) rejects, before anything is sent.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::breach::{BreachCheck, RangeCache};
use super::client::ZoomPasswordClient;
use super::errors::CallFailure;
use super::js::{awaited, is_array, key, property, spawn, well_formed_string};
use super::options::{
    Declared, OptionBag, BREACH_CHECK, CHANGE_OPTIONS, MAYBE_APPLIED, PASSWORD, TRANSPORT_OPTIONS,
    USER_ID,
};
use super::output::to_js;
use super::transport::read_signal;
use super::transport::Transport;
use super::update::{ChangeSettings, PasswordChange};
use crate::core::error::{ErrorKind, Failure};
use crate::core::password::Check;
use crate::core::retry::whole_number;
use crate::core::text::concat;

pub const DEFAULT_CONCURRENCY: u64 = 4;
pub const MAX_CONCURRENCY: u64 = 64;

/// Requests in flight at once.
const CONCURRENCY: &Declared = &Declared::whole(
    "concurrency",
    1,
    MAX_CONCURRENCY as u32,
    "concurrency must be an integer from 1 to 64.",
);
const ON_PROGRESS: &Declared = &Declared::value("onProgress");
const ON_RESULT: &Declared = &Declared::value("onResult");
/// A graceful stop: an AbortSignal (`transport::read_signal`).
const STOP_SIGNAL: &Declared = &Declared::value("stopSignal");
/// More items than this in one run are refused (the report would be unwieldy anyway).
pub const MAX_ITEMS: u64 = 1_000_000;

/// One item, read once up front: what to run, or why it cannot run.
enum Entry {
    /// Shared, so a worker can hold it across an await without borrowing the run.
    Ready(Rc<PasswordChange>),
    Invalid {
        user_id: Option<String>,
        failure: CallFailure,
    },
}

impl Entry {
    fn user_id(&self) -> Option<&str> {
        match self {
            Entry::Ready(change) => Some(&change.user_id),
            Entry::Invalid { user_id, .. } => user_id.as_deref(),
        }
    }
}

/// A bulk result's `error`: what a caller needs to act on, never a secret.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct BulkError {
    kind: ErrorKind,
    status: Option<u16>,
    zoom_code: Option<u32>,
    message: String,
    /// Which password rules failed, for `invalid_password` (and the rule
    /// Zoom named, for `password_rejected`).
    violations: Vec<Check>,
}

impl BulkError {
    fn of(failure: &Failure) -> BulkError {
        BulkError {
            kind: failure.kind,
            status: failure.status,
            zoom_code: failure.zoom_code,
            message: String::from(&*failure.message),
            violations: failure.violations.clone(),
        }
    }
}

/// One item's result: `{ userId, ok, alreadySet?, skipped?, outcome?, error? }`.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemResult {
    user_id: Option<String>,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    already_set: Option<bool>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skipped: bool,
    /// `"unknown"`: a request was sent and no answer said whether it
    /// landed (a lost answer, a timeout, a 5xx, an abort while it was out).
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<BulkError>,
}

impl ItemResult {
    fn failed(user_id: Option<String>, failure: &Failure, skipped: bool) -> ItemResult {
        ItemResult {
            user_id,
            ok: false,
            already_set: None,
            skipped,
            outcome: None,
            error: Some(BulkError::of(failure)),
        }
    }

    /// A change that ended in `failure` after the request(s) it made.
    fn of_call(user_id: Option<String>, failure: &CallFailure) -> ItemResult {
        // Aborted before any request left (or after one whose answer said it
        // did not land): not done, so skipped rather than failed.
        let skipped = failure.failure.kind == ErrorKind::Aborted
            && !failure.outcome_unknown
            && !failure.ended_by_token_function();
        ItemResult {
            outcome: failure.outcome_unknown.then_some("unknown"),
            ..ItemResult::failed(user_id, &failure.failure, skipped)
        }
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    results: &'a [Option<ItemResult>],
    succeeded: u32,
    failed: u32,
    skipped: u32,
}

#[derive(Serialize)]
struct Progress<'a> {
    done: u32,
    total: u32,
    succeeded: u32,
    failed: u32,
    skipped: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'a ItemResult>,
}

struct Run {
    entries: Vec<Entry>,
    transport: Transport,
    /// Breached-password range answers, shared by the run's items.
    range_cache: Rc<RangeCache>,
    on_progress: Option<Function>,
    /// Called with `(result, index)` as each item settles; what it returns
    /// is awaited before that worker sends again.
    on_result: Option<Function>,
    next: usize,
    results: Vec<Option<ItemResult>>,
    succeeded: u32,
    failed: u32,
    skipped: u32,
    /// Why no further item starts: an auth failure that cannot be refreshed.
    stopped_by: Option<ErrorKind>,
    /// `onResult` threw or rejected: no further item starts (the journal it
    /// keeps would miss them).
    journal_failed: bool,
}

impl Run {
    /// The progress after `finished` (an item index), as a fresh JS object:
    /// a copy, so what the callback does to it cannot change the results.
    fn progress(&self, finished: Option<usize>) -> JsValue {
        to_js(&Progress {
            done: self.succeeded + self.failed + self.skipped,
            total: self.entries.len() as u32,
            succeeded: self.succeeded,
            failed: self.failed,
            skipped: self.skipped,
            index: finished.map(|index| index as u32),
            result: finished.and_then(|index| self.results.get(index)?.as_ref()),
        })
    }
}

/// Calls `onProgress` with no borrow of the run held: the callback may call
/// back into this module. What it throws is ignored.
fn report(run: &RefCell<Run>, finished: Option<usize>) {
    let (callback, progress) = {
        let run = run.borrow();
        let Some(callback) = run.on_progress.clone() else {
            return;
        };
        (callback, run.progress(finished))
    };
    let _ = callback.call1(&JsValue::UNDEFINED, &progress);
}

#[wasm_bindgen(js_class = ZoomPasswordClient)]
impl ZoomPasswordClient {
    /// Changes many users' passwords, paced and bounded by `concurrency`;
    /// resolves `{ results, succeeded, failed, skipped }` in input order.
    #[wasm_bindgen(js_name = updatePasswords)]
    pub fn update_passwords(&self, items: JsValue, options: JsValue) -> Promise {
        let defaults = self.transport.clone();
        spawn(async move { Ok(update_passwords(&defaults, &items, &options).await?) })
    }
}

async fn update_passwords(
    defaults: &Transport,
    items: &JsValue,
    options: &JsValue,
) -> Result<JsValue, CallFailure> {
    let (run, concurrency) = read(defaults, items, options)?;
    let total = run.entries.len();
    let run = Rc::new(RefCell::new(run));
    let workers = Array::new();
    for _ in 0..concurrency.min(total.max(1)) {
        let run = run.clone();
        workers.push(&spawn(async move {
            work(&run).await;
            Ok(JsValue::UNDEFINED)
        }));
    }
    // Workers never reject: every item's failure is a result.
    let _ = awaited(Promise::all(&workers).into()).await;

    let marked_skipped = {
        let mut run = run.borrow_mut();
        let run = &mut *run;
        let mut marked = false;
        for index in 0..total {
            if run.results[index].is_none() {
                let message = match run.stopped_by {
                    Some(_) => {
                        "Skipped: the run stopped after an authorization failure that could not be refreshed."
                    }
                    None if run.journal_failed => {
                        "Skipped: onResult threw or rejected, so the run stopped before this user."
                    }
                    None => "Skipped: the run was stopped or aborted before this user's request was sent.",
                };
                let failure =
                    Failure::client(run.stopped_by.unwrap_or(ErrorKind::Aborted), message);
                let user_id = run.entries[index].user_id().map(str::to_owned);
                run.results[index] = Some(ItemResult::failed(user_id, &failure, true));
                run.skipped += 1;
                marked = true;
            }
        }
        marked
    };
    if marked_skipped {
        report(&run, None);
    }
    let run = run.borrow();
    Ok(to_js(&Summary {
        results: &run.results,
        succeeded: run.succeeded,
        failed: run.failed,
        skipped: run.skipped,
    }))
}

/// One worker: takes the next item until none is left, the run is aborted
/// or an authorization failure stopped it.
async fn work(run: &RefCell<Run>) {
    loop {
        // The borrow ends with this block, before any await.
        let (index, ready) = {
            let mut state = run.borrow_mut();
            if state.stopped_by.is_some()
                || state.journal_failed
                || state.transport.interrupted()
                || state.next >= state.entries.len()
            {
                return;
            }
            let index = state.next;
            state.next += 1;
            let ready = match &state.entries[index] {
                Entry::Ready(change) => Some((
                    change.clone(),
                    state.transport.clone(),
                    state.range_cache.clone(),
                )),
                Entry::Invalid { user_id, failure } => {
                    let result = ItemResult::failed(user_id.clone(), &failure.failure, false);
                    state.failed += 1;
                    state.results[index] = Some(result);
                    None
                }
            };
            (index, ready)
        };
        let Some((change, transport, range_cache)) = ready else {
            settled(run, index).await;
            continue;
        };
        let outcome = change.send(&transport, Some(&range_cache)).await;
        {
            let mut state = run.borrow_mut();
            let user_id = Some(change.user_id.clone());
            let result = match outcome {
                Ok((_, already_set)) => {
                    state.succeeded += 1;
                    ItemResult {
                        user_id,
                        ok: true,
                        already_set: Some(already_set),
                        skipped: false,
                        outcome: None,
                        error: None,
                    }
                }
                Err(failure) => {
                    let result = ItemResult::of_call(user_id, &failure);
                    if result.skipped {
                        state.skipped += 1;
                    } else {
                        state.failed += 1;
                        let kind = failure.failure.kind;
                        // The transport already refreshed once if it could: stop.
                        if matches!(kind, ErrorKind::Unauthorized | ErrorKind::Forbidden) {
                            state.stopped_by = Some(kind);
                        }
                    }
                    result
                }
            };
            state.results[index] = Some(result);
        }
        settled(run, index).await;
    }
}

/// Item `index` has its result: `onResult(result, index)` (awaited, so a
/// journal is written before this worker sends again), then `onProgress`.
async fn settled(run: &RefCell<Run>, index: usize) {
    let call = {
        let run = run.borrow();
        run.on_result.clone().map(|callback| {
            let result = run.results.get(index).and_then(Option::as_ref).map(to_js);
            (callback, result.unwrap_or(JsValue::UNDEFINED))
        })
    };
    if let Some((callback, result)) = call {
        // What it returns is awaited as `await` would (a value, a promise,
        // a thenable); a throw or a rejection stops the run.
        let journaled =
            match callback.call2(&JsValue::UNDEFINED, &result, &JsValue::from(index as u32)) {
                Ok(returned) => awaited(returned).await.is_ok(),
                Err(_) => false,
            };
        if !journaled {
            run.borrow_mut().journal_failed = true;
        }
    }
    report(run, Some(index));
}

/// Reads the items and options up front: what to run, with which transport
/// and how many workers.
fn read(defaults: &Transport, items: &JsValue, options: &JsValue) -> Result<(Run, usize), Failure> {
    let not_an_array =
        || Failure::invalid_options("items", "items must be an array of { userId, password }.");
    if !is_array(items) {
        return Err(not_an_array());
    }
    // Read through Reflect: an index getter or a Proxy trap may throw.
    let length = Reflect::get(items, key("length"))
        .ok()
        .and_then(|n| n.as_f64())
        .and_then(|n| whole_number(n, MAX_ITEMS))
        .ok_or_else(not_an_array)? as usize;
    let bag = OptionBag::optional(options, "options")?
        .map(|bag| {
            bag.only(&[
                &[CONCURRENCY, ON_PROGRESS, ON_RESULT, STOP_SIGNAL],
                &TRANSPORT_OPTIONS,
                &CHANGE_OPTIONS,
            ])
        })
        .transpose()?;
    let mut concurrency = DEFAULT_CONCURRENCY;
    let mut on_progress = None;
    let mut on_result = None;
    let mut transport = defaults.clone();
    if let Some(bag) = &bag {
        if let Some(n) = bag.whole(CONCURRENCY)? {
            concurrency = n;
        }
        on_progress = bag.function(ON_PROGRESS)?;
        on_result = bag.function(ON_RESULT)?;
        transport = Transport::from_options(bag, Some(defaults))?;
        if let Some(stop) = bag.present(STOP_SIGNAL)? {
            transport.stop = Some(read_signal(&stop).map_err(|_| {
                Failure::invalid_options(STOP_SIGNAL.name, "stopSignal must be an AbortSignal.")
            })?);
        }
    }
    let settings = ChangeSettings::read(bag.as_ref())?;
    let entries: Vec<Entry> = (0..length as u32)
        .map(|index| {
            read_item(
                &Reflect::get_u32(items, index).unwrap_or(JsValue::UNDEFINED),
                &settings,
            )
        })
        .collect();
    refuse_repeats(&entries)?;
    let run = Run {
        results: std::iter::repeat_with(|| None)
            .take(entries.len())
            .collect(),
        entries,
        transport,
        range_cache: Rc::new(RangeCache::new()),
        on_progress,
        on_result,
        next: 0,
        succeeded: 0,
        failed: 0,
        skipped: 0,
        stopped_by: None,
        journal_failed: false,
    };
    Ok((run, concurrency as usize))
}

/// `{ userId, password, maybeApplied?, breachCheck? }`, with the run's
/// `policy`, `validate` and (unless the item sets its own) `breachCheck`.
fn read_item(value: &JsValue, settings: &ChangeSettings) -> Entry {
    let read = || -> Result<PasswordChange, Failure> {
        let item = OptionBag::new(value, "item", "item.")?;
        let mut settings = settings.clone();
        if let Some(maybe_applied) = item.flag(MAYBE_APPLIED)? {
            settings.maybe_applied = maybe_applied;
        }
        if let Some(breach_check) = item.present(BREACH_CHECK)? {
            settings.breach_check = BreachCheck::read(Some(breach_check))?;
        }
        PasswordChange::read(&item.get(USER_ID)?, &item.get(PASSWORD)?, &settings)
    };
    match read() {
        Ok(change) => Entry::Ready(Rc::new(change)),
        Err(failure) => Entry::Invalid {
            user_id: well_formed_string(&property(value, "userId")),
            failure: failure.into(),
        },
    }
}

/// Each user once: Zoom treats an email address case-insensitively (ASCII)
/// and a user id exactly. Refuses the run at the first repeat.
fn refuse_repeats(entries: &[Entry]) -> Result<(), Failure> {
    // A JS Set: dropping the Rust HashSet (with compiling the JSON reader once)
    // made the wasm 3.7 KB raw / 2.1 KB gzip smaller.
    let seen = js_sys::Set::new(&JsValue::UNDEFINED);
    for entry in entries {
        let Entry::Ready(change) = entry else {
            continue;
        };
        let id = &change.user_id;
        let user = if crate::core::text::contains(id, "@") {
            id.to_ascii_lowercase()
        } else {
            id.clone()
        };
        let user = JsValue::from_str(&user);
        if seen.has(&user) {
            return Err(Failure::invalid_options(
                "items",
                concat(&[
                    "Each user may appear once in items; this one appears again: ",
                    id,
                ]),
            ));
        }
        seen.add(&user);
    }
    Ok(())
}
