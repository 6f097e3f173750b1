//! `client.updatePasswords(items, { concurrency, onProgress, signal })`: a
//! pool of workers taking items in order, all paced by the client's one
//! pacer (inside `Transport::execute`). It resolves with a result per item,
//! in input order; only input it cannot run at all (not an array, duplicate
//! users) rejects.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::error::CallFailure;
use super::js::{well_formed_string, JsObject, OptionBag};
use super::transport::Transport;
use super::update::PasswordChange;
use crate::bulk::first_duplicate;
use crate::error::{ErrorKind, Failure};
use crate::retry::whole_number;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

pub const DEFAULT_CONCURRENCY: u64 = 4;
/// More items than this in one run are refused (the report would be unwieldy anyway).
pub const MAX_ITEMS: u32 = 1_000_000;
pub const MAX_CONCURRENCY: u64 = 64;

/// One item, read once up front: what to run, or why it cannot run.
enum Item {
    Ready(PasswordChange),
    Invalid { user_id: JsValue, failure: Failure },
}

struct Run {
    items: Vec<Item>,
    transport: Transport,
    on_progress: Option<Function>,
    next: usize,
    results: Vec<Option<JsValue>>,
    succeeded: u32,
    failed: u32,
    skipped: u32,
    /// Why no further item starts: an auth failure that cannot be refreshed.
    stopped_by: Option<ErrorKind>,
}

pub(crate) async fn update_passwords(transport: Transport, items: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (run, concurrency) = read(transport, &items, &options)?;
    let total = run.items.len();
    let run = Rc::new(RefCell::new(run));
    let workers = Array::new();
    for _ in 0..concurrency.min(total.max(1)) {
        let run = run.clone();
        workers.push(&future_to_promise(async move {
            work(run).await;
            Ok(JsValue::UNDEFINED)
        }));
    }
    // Workers never reject: every item's failure is a result.
    let _ = JsFuture::from(Promise::all(&workers)).await;
    let mut run = run.borrow_mut();
    let mut marked_skipped = false;
    for index in 0..total {
        if run.results[index].is_none() {
            let reason = run.stopped_by;
            let result = skipped(&run.items[index], reason);
            run.results[index] = Some(result);
            run.skipped += 1;
            marked_skipped = true;
        }
    }
    if marked_skipped {
        report_progress(&run, None);
    }
    let results: Array = run.results.iter().map(|r| r.clone().unwrap_or(JsValue::UNDEFINED)).collect();
    let summary = JsObject::new();
    summary
        .set("results", results)
        .set("succeeded", run.succeeded as f64)
        .set("failed", run.failed as f64)
        .set("skipped", run.skipped as f64);
    Ok(summary.into_value())
}

fn read(transport: Transport, items: &JsValue, options: &JsValue) -> Result<(Run, usize), Failure> {
    let not_an_array = || Failure::invalid_options("items", "items must be an array of { userId, password }.");
    if is_array(items) != Ok(true) {
        return Err(not_an_array());
    }
    // Read through Reflect: an index getter or a Proxy trap may throw.
    let length = Reflect::get(items, &JsValue::from_str("length"))
        .ok()
        .and_then(|n| n.as_f64())
        .and_then(|n| whole_number(n, MAX_ITEMS as u64))
        .ok_or_else(not_an_array)?;
    let (transport, concurrency, on_progress, item_options) = if options.is_undefined() || options.is_null() {
        (transport, DEFAULT_CONCURRENCY, None, None)
    } else {
        let bag = OptionBag::new(options, "options", "")?;
        let concurrency = match bag.number("concurrency")? {
            None => DEFAULT_CONCURRENCY,
            Some(n) => match whole_number(n, MAX_CONCURRENCY) {
                Some(n) if n >= 1 => n,
                _ => return Err(Failure::invalid_options("concurrency", "concurrency must be an integer from 1 to 64.")),
            },
        };
        let on_progress = bag.get("onProgress")?;
        let on_progress = if on_progress.is_undefined() || on_progress.is_null() {
            None
        } else {
            Some(on_progress.dyn_into::<Function>().map_err(|_| {
                Failure::invalid_options("onProgress", "onProgress must be a function.")
            })?)
        };
        (transport.with_overrides(&bag)?, concurrency, on_progress, Some(bag))
    };
    let mut read_items = Vec::with_capacity(length as usize);
    for index in 0..length {
        let value = Reflect::get(items, &JsValue::from_f64(index as f64)).unwrap_or(JsValue::UNDEFINED);
        read_items.push(read_item(&value, item_options.as_ref()));
    }
    let ids: Vec<&str> = read_items
        .iter()
        .filter_map(|item| match item {
            Item::Ready(change) => Some(change.user_id.as_str()),
            Item::Invalid { .. } => None,
        })
        .collect();
    if let Some((_, later)) = first_duplicate(ids.iter().copied()) {
        let mut message = String::from("Each user may appear once in items; this one appears again: ");
        message.push_str(ids.get(later).copied().unwrap_or(""));
        return Err(Failure::invalid_options("items", message));
    }
    let count = read_items.len();
    let run = Run {
        items: read_items,
        transport,
        on_progress,
        next: 0,
        results: vec![None; count],
        succeeded: 0,
        failed: 0,
        skipped: 0,
        stopped_by: None,
    };
    Ok((run, concurrency as usize))
}

/// `{ userId, password, maybeApplied? }`, with the run's `policy` and `validate`.
fn read_item(value: &JsValue, options: Option<&OptionBag>) -> Item {
    let user_id_of = |value: &JsValue| {
        let id = Reflect::get(value, &JsValue::from_str("userId")).unwrap_or(JsValue::UNDEFINED);
        if well_formed_string(&id).is_some() { id } else { JsValue::NULL }
    };
    let read = || -> Result<PasswordChange, Failure> {
        let bag = OptionBag::new(value, "item", "item.")?;
        let mut change = PasswordChange::read(&bag.get("userId")?, &bag.get("password")?, options)?;
        if let Some(maybe_applied) = bag.boolean("maybeApplied")? {
            change.maybe_applied = maybe_applied;
        }
        Ok(change)
    };
    match read() {
        Ok(change) => Item::Ready(change),
        Err(failure) => Item::Invalid { user_id: if value.is_object() { user_id_of(value) } else { JsValue::NULL }, failure },
    }
}

async fn work(run: Rc<RefCell<Run>>) {
    loop {
        // Take the next item (never holding the borrow across an await).
        let (index, transport, item) = {
            let mut state = run.borrow_mut();
            if state.stopped_by.is_some() || state.transport.aborted() || state.next >= state.items.len() {
                return;
            }
            let index = state.next;
            state.next += 1;
            let item = match &state.items[index] {
                Item::Ready(change) => Ok(change.clone()),
                Item::Invalid { user_id, failure } => Err((user_id.clone(), failure.clone())),
            };
            (index, state.transport.clone(), item)
        };
        let outcome = match item {
            Ok(change) => match change.run(&transport).await {
                Ok(value) => {
                    let already_set = Reflect::get(&value, &JsValue::from_str("alreadySet")).unwrap_or(JsValue::FALSE);
                    Outcome::Succeeded { user_id: change.user_id, already_set }
                }
                // Unfinished because the run was aborted.
                Err(call) if call.passthrough.is_none() && call.failure.kind == ErrorKind::Aborted => {
                    Outcome::Unfinished { user_id: JsValue::from_str(&change.user_id), call }
                }
                Err(call) => Outcome::Failed { user_id: JsValue::from_str(&change.user_id), call },
            },
            Err((user_id, failure)) => Outcome::Failed { user_id, call: CallFailure::from(failure) },
        };
        let mut state = run.borrow_mut();
        let entry = JsObject::new();
        match outcome {
            Outcome::Succeeded { user_id, already_set } => {
                state.succeeded += 1;
                entry.set("userId", user_id.as_str()).set("ok", true).set("alreadySet", already_set);
            }
            Outcome::Unfinished { user_id, call } => {
                state.skipped += 1;
                entry.set("userId", user_id).set("ok", false).set("skipped", true).set("error", error_summary(&call));
            }
            Outcome::Failed { user_id, call } => {
                state.failed += 1;
                let kind = call_kind(&call);
                if matches!(kind, Some(ErrorKind::Unauthorized | ErrorKind::Forbidden)) {
                    // The transport already refreshed once if it could: stop.
                    state.stopped_by = kind;
                }
                entry.set("userId", user_id).set("ok", false).set("error", error_summary(&call));
            }
        }
        let entry = entry.into_value();
        state.results[index] = Some(entry.clone());
        report_progress(&state, Some((index, entry)));
    }
}

enum Outcome {
    Succeeded { user_id: String, already_set: JsValue },
    Failed { user_id: JsValue, call: CallFailure },
    Unfinished { user_id: JsValue, call: CallFailure },
}

fn call_kind(call: &CallFailure) -> Option<ErrorKind> {
    match &call.passthrough {
        None => Some(call.failure.kind),
        Some(error) => {
            let kind = Reflect::get(error, &JsValue::from_str("kind")).ok()?.as_string()?;
            ErrorKind::ALL.into_iter().find(|k| k.as_str() == kind)
        }
    }
}

/// `{ kind, status, zoomCode, message }` of a failed item.
fn error_summary(call: &CallFailure) -> JsValue {
    let summary = JsObject::new();
    match &call.passthrough {
        None => {
            let failure = &call.failure;
            summary
                .set("kind", failure.kind.as_str())
                .set("status", super::js::number_or_null(failure.status))
                .set("zoomCode", super::js::number_or_null(failure.zoom_code))
                .set("message", &*failure.message);
        }
        Some(error) => {
            for key in ["kind", "status", "zoomCode", "message"] {
                summary.set(key, Reflect::get(error, &JsValue::from_str(key)).unwrap_or(JsValue::NULL));
            }
        }
    }
    summary.into_value()
}

fn skipped(item: &Item, stopped_by: Option<ErrorKind>) -> JsValue {
    let user_id = match item {
        Item::Ready(change) => JsValue::from_str(&change.user_id),
        Item::Invalid { user_id, .. } => user_id.clone(),
    };
    let (kind, message) = match stopped_by {
        Some(kind) => (kind, "Skipped: the run stopped after an authorization failure that could not be refreshed."),
        None => (ErrorKind::Aborted, "Skipped: the run was aborted before this user was done."),
    };
    let error = JsObject::new();
    error.set("kind", kind.as_str()).set("status", JsValue::NULL).set("zoomCode", JsValue::NULL).set("message", message);
    let entry = JsObject::new();
    entry.set("userId", user_id).set("ok", false).set("skipped", true).set("error", error.into_value());
    entry.into_value()
}

/// `{ done, total, succeeded, failed, skipped }`, plus `index` and `result`
/// when one item has just finished (so a caller can record it at once).
fn report_progress(run: &Run, finished: Option<(usize, JsValue)>) {
    let Some(callback) = &run.on_progress else { return };
    let progress = JsObject::new();
    progress
        .set("done", (run.succeeded + run.failed + run.skipped) as f64)
        .set("total", run.items.len() as f64)
        .set("succeeded", run.succeeded as f64)
        .set("failed", run.failed as f64)
        .set("skipped", run.skipped as f64);
    if let Some((index, result)) = finished {
        progress.set("index", index as f64).set("result", result);
    }
    // A throwing callback must not end the run or lose results.
    let _ = callback.call1(&JsValue::UNDEFINED, &progress.into_value());
}
