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

use super::js::{given, parse_json, property, static_str, well_formed_string, OptionBag};
use super::transport::Transport;
use super::update::PasswordChange;
use crate::bulk::first_duplicate;
use crate::error::{ErrorKind, Failure};
use crate::output::{self, push_array, ObjectWriter};
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
    Invalid {
        user_id: Option<String>,
        failure: Failure,
    },
}

struct Run {
    items: Vec<Item>,
    transport: Transport,
    on_progress: Option<Function>,
    next: usize,
    /// Each item's result as JSON (`crate::output`), once known.
    results: Vec<Option<String>>,
    succeeded: u32,
    failed: u32,
    skipped: u32,
    /// Why no further item starts: an auth failure that cannot be refreshed.
    stopped_by: Option<ErrorKind>,
}

pub(crate) async fn update_passwords(
    transport: Transport,
    items: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
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
            let result = skipped(&run.items[index], run.stopped_by);
            run.results[index] = Some(result);
            run.skipped += 1;
            marked_skipped = true;
        }
    }
    if marked_skipped {
        report_progress(&run, None);
    }
    let mut json = String::with_capacity(total * 80 + 64);
    ObjectWriter::new(&mut json)
        .with("results", |out| {
            push_array(out, &run.results, |out, r| {
                out.push_str(r.as_deref().unwrap_or("null"))
            })
        })
        .num("succeeded", u64::from(run.succeeded))
        .num("failed", u64::from(run.failed))
        .num("skipped", u64::from(run.skipped))
        .end();
    Ok(parse_json(&json))
}

fn read(transport: Transport, items: &JsValue, options: &JsValue) -> Result<(Run, usize), Failure> {
    let not_an_array =
        || Failure::invalid_options("items", "items must be an array of { userId, password }.");
    if is_array(items) != Ok(true) {
        return Err(not_an_array());
    }
    // Read through Reflect: an index getter or a Proxy trap may throw.
    let length = Reflect::get(items, &static_str("length"))
        .ok()
        .and_then(|n| n.as_f64())
        .and_then(|n| whole_number(n, MAX_ITEMS as u64))
        .ok_or_else(not_an_array)?;
    let (transport, concurrency, on_progress, item_options) = if given(options.clone()).is_none() {
        (transport, DEFAULT_CONCURRENCY, None, None)
    } else {
        let bag = OptionBag::new(options, "options", "")?;
        let concurrency = match bag.number("concurrency")? {
            None => DEFAULT_CONCURRENCY,
            Some(n) => match whole_number(n, MAX_CONCURRENCY) {
                Some(n) if n >= 1 => n,
                _ => {
                    return Err(Failure::invalid_options(
                        "concurrency",
                        "concurrency must be an integer from 1 to 64.",
                    ))
                }
            },
        };
        let on_progress = match bag.present("onProgress")? {
            None => None,
            Some(callback) => Some(callback.dyn_into::<Function>().map_err(|_| {
                Failure::invalid_options("onProgress", "onProgress must be a function.")
            })?),
        };
        (
            Transport::from_options(&bag, Some(&transport))?,
            concurrency,
            on_progress,
            Some(bag),
        )
    };
    let mut read_items = Vec::with_capacity(length as usize);
    for index in 0..length {
        let value =
            Reflect::get(items, &JsValue::from_f64(index as f64)).unwrap_or(JsValue::UNDEFINED);
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
        let mut message =
            String::from("Each user may appear once in items; this one appears again: ");
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
    let user_id_of = |value: &JsValue| well_formed_string(&property(value, "userId"));
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
        Err(failure) => Item::Invalid {
            user_id: if value.is_object() {
                user_id_of(value)
            } else {
                None
            },
            failure,
        },
    }
}

async fn work(run: Rc<RefCell<Run>>) {
    loop {
        // Take the next item (never holding the borrow across an await).
        let (index, transport, item) = {
            let mut state = run.borrow_mut();
            if state.stopped_by.is_some()
                || state.transport.aborted()
                || state.next >= state.items.len()
            {
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
                    let already_set = property(&value, "alreadySet").as_bool();
                    Outcome::Succeeded {
                        user_id: change.user_id,
                        already_set: already_set == Some(true),
                    }
                }
                // Unfinished because the run was aborted.
                Err(call)
                    if call.passthrough.is_none() && call.failure.kind == ErrorKind::Aborted =>
                {
                    Outcome::Unfinished {
                        user_id: Some(change.user_id),
                        failure: call.failure,
                    }
                }
                Err(call) => Outcome::Failed {
                    user_id: Some(change.user_id),
                    failure: call.failure,
                },
            },
            Err((user_id, failure)) => Outcome::Failed { user_id, failure },
        };
        let mut state = run.borrow_mut();
        let mut entry = String::with_capacity(160);
        let mut writer = ObjectWriter::new(&mut entry);
        match outcome {
            Outcome::Succeeded {
                user_id,
                already_set,
            } => {
                state.succeeded += 1;
                writer
                    .str("userId", &user_id)
                    .bool("ok", true)
                    .bool("alreadySet", already_set);
            }
            Outcome::Unfinished { user_id, failure } => {
                state.skipped += 1;
                writer
                    .opt_str("userId", user_id.as_deref())
                    .bool("ok", false)
                    .bool("skipped", true)
                    .raw("error", &output::error_summary(&failure));
            }
            Outcome::Failed { user_id, failure } => {
                state.failed += 1;
                if matches!(failure.kind, ErrorKind::Unauthorized | ErrorKind::Forbidden) {
                    // The transport already refreshed once if it could: stop.
                    state.stopped_by = Some(failure.kind);
                }
                writer
                    .opt_str("userId", user_id.as_deref())
                    .bool("ok", false)
                    .raw("error", &output::error_summary(&failure));
            }
        }
        writer.end();
        report_progress(&state, Some((index, &entry)));
        state.results[index] = Some(entry);
    }
}

enum Outcome {
    Succeeded {
        user_id: String,
        already_set: bool,
    },
    Failed {
        user_id: Option<String>,
        failure: Failure,
    },
    Unfinished {
        user_id: Option<String>,
        failure: Failure,
    },
}

fn skipped(item: &Item, stopped_by: Option<ErrorKind>) -> String {
    let user_id = match item {
        Item::Ready(change) => Some(change.user_id.as_str()),
        Item::Invalid { user_id, .. } => user_id.as_deref(),
    };
    let failure = match stopped_by {
        Some(kind) => Failure::client(
            kind,
            "Skipped: the run stopped after an authorization failure that could not be refreshed.",
        ),
        None => Failure::client(
            ErrorKind::Aborted,
            "Skipped: the run was aborted before this user was done.",
        ),
    };
    let mut entry = String::with_capacity(200);
    ObjectWriter::new(&mut entry)
        .opt_str("userId", user_id)
        .bool("ok", false)
        .bool("skipped", true)
        .raw("error", &output::error_summary(&failure))
        .end();
    entry
}

/// `{ done, total, succeeded, failed, skipped }`, plus `index` and `result`
/// when one item has just finished (so a caller can record it at once).
fn report_progress(run: &Run, finished: Option<(usize, &str)>) {
    let Some(callback) = &run.on_progress else {
        return;
    };
    let mut json = String::with_capacity(256);
    let mut writer = ObjectWriter::new(&mut json);
    writer
        .num("done", u64::from(run.succeeded + run.failed + run.skipped))
        .num("total", run.items.len() as u64)
        .num("succeeded", u64::from(run.succeeded))
        .num("failed", u64::from(run.failed))
        .num("skipped", u64::from(run.skipped));
    if let Some((index, result)) = finished {
        writer.num("index", index as u64).raw("result", result);
    }
    writer.end();
    // A throwing callback must not end the run or lose results.
    let _ = callback.call1(&JsValue::UNDEFINED, &parse_json(&json));
}
