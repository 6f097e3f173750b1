//! Running a call's future to the Promise the call returns.
//!
//! The first poll runs at once, as a JS async function's body runs up to
//! its first `await`, and a wake (settle.rs calls it from a promise's
//! `then` handler, already in a microtask) polls at once too. The promise
//! is made by settle.js's `pendingPromise`, and only when the first poll is
//! pending: a call refused at once answers an already settled one.
//!
//! Why not wasm-bindgen-futures' `future_to_promise`: it makes the promise
//! through a closure that JS calls back, polls first in a microtask it
//! queues, and queues another for each wake. An `updatePassword` call
//! crossed the wasm boundary seven times for that alone (the promise's
//! executor calling in, two `queueMicrotask`, the two microtasks calling
//! in, `resolve`) and took two microtask hops more; here it crosses twice
//! (`pendingPromise`, `settlePromise`). With fetch stubbed: 13.0 us a call
//! before, 11.9 after, with two crossing cuts measured alongside that alone
//! changed nothing (bench/hot-path.mjs's loop, alternating rounds).
//!
//! What running at once asks of the callers: a task may end before `spawn`
//! returns (so nothing may be noted as "in flight" after it without
//! checking, server_to_server.rs), no `RefCell` may be borrowed across a
//! `spawn` that could reach it, and a client method holds its client while
//! the first step runs (pkg-templates/api.js defers a `free()` made then).
//!
//! A task is found by its number in `TASKS`; its `Waker` holds only that
//! number, so it is `Send` and needs no `unsafe`. A stale waker of a
//! finished task whose number was reused wakes the new task once more
//! than needed, which a future tolerates (a poll that finds nothing new).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

type CallFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

#[wasm_bindgen(module = "/src/bindings/settle.js")]
extern "C" {
    /// A new promise whose resolvers settle.js keeps under `task`.
    #[wasm_bindgen(js_name = pendingPromise)]
    fn pending_promise(task: u32) -> Promise;
    /// Settles the promise kept under `task` (resolving cannot throw: a
    /// thenable's throwing `then` rejects it).
    #[wasm_bindgen(js_name = settlePromise)]
    fn settle_promise(task: u32, fulfilled: bool, value: &JsValue);
}

struct Task {
    future: RefCell<Option<CallFuture>>,
    waker: Waker,
    /// Being polled: a wake now (from inside the poll) polls again after it.
    polling: Cell<bool>,
    woken: Cell<bool>,
}

thread_local! {
    /// The running tasks by number; `None` is a free number.
    static TASKS: RefCell<Vec<Option<Rc<Task>>>> = const { RefCell::new(Vec::new()) };
}

/// A task's waker: its number.
struct TaskNumber(u32);

impl Wake for TaskNumber {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    /// A wake comes after the first poll (one during it only marks the task
    /// woken), so the task has its promise: settle it if this poll ends it.
    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(outcome) = run(self.0) {
            let (fulfilled, value) = match &outcome {
                Ok(value) => (true, value),
                Err(error) => (false, error),
            };
            settle_promise(self.0, fulfilled, value);
        }
    }
}

/// Runs `future` to a Promise: resolved with its `Ok`, rejected with its
/// `Err`. Only the boxing is generic: the rest, compiled once for every
/// export (inlined into each, it made the full module 760 bytes raw larger
/// than wasm-bindgen-futures' executor).
pub(crate) fn spawn(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    spawn_boxed(Box::pin(future))
}

#[inline(never)]
fn spawn_boxed(future: CallFuture) -> Promise {
    let number = TASKS.with(|tasks| {
        let tasks = tasks.borrow();
        tasks
            .iter()
            .position(Option::is_none)
            .unwrap_or(tasks.len())
    });
    let task = Rc::new(Task {
        future: RefCell::new(Some(future)),
        waker: Waker::from(Arc::new(TaskNumber(number as u32))),
        polling: Cell::new(false),
        woken: Cell::new(false),
    });
    TASKS.with(|tasks| {
        let mut tasks = tasks.borrow_mut();
        match tasks.get_mut(number) {
            Some(free) => *free = Some(task),
            None => tasks.push(Some(task)),
        }
    });
    match run(number as u32) {
        Some(Ok(value)) => Promise::resolve(&value),
        Some(Err(error)) => Promise::reject(&error),
        None => pending_promise(number as u32),
    }
}

/// Polls task `number` until it is pending with no wake pending, or done:
/// then it answers the outcome, for `spawn_boxed` to make a settled
/// promise with (the first poll) or the waker to settle the promise made
/// after it. A run inside a poll of the same task answers `None`.
fn run(number: u32) -> Option<Result<JsValue, JsValue>> {
    let task = TASKS.with(|tasks| tasks.borrow().get(number as usize).cloned().flatten())?;
    if task.polling.replace(true) {
        task.woken.set(true);
        return None;
    }
    let mut finished_with = None;
    loop {
        task.woken.set(false);
        let polled = {
            let mut future = task.future.borrow_mut();
            let Some(future) = future.as_mut() else {
                break;
            };
            future.as_mut().poll(&mut Context::from_waker(&task.waker))
        };
        match polled {
            Poll::Ready(outcome) => {
                // Dropped outside the borrow: its guards call JS (clearTimeout).
                let finished = task.future.borrow_mut().take();
                drop(finished);
                TASKS.with(|tasks| {
                    if let Some(slot) = tasks.borrow_mut().get_mut(number as usize) {
                        *slot = None;
                    }
                });
                finished_with = Some(outcome);
                break;
            }
            Poll::Pending if task.woken.get() => continue,
            Poll::Pending => break,
        }
    }
    task.polling.set(false);
    finished_with
}
