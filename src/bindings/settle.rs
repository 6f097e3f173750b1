//! Awaiting a JS promise without making closures per await.
//!
//! `wasm_bindgen_futures::JsFuture` makes two `Closure`s for every promise
//! it awaits; each is registered with a `FinalizationRegistry` and later
//! unregistered. Replacing it for `fetch`'s two awaits took an
//! `updatePassword` call with `fetch` stubbed from 16.8 to 16.4 us
//! (bench/hot-path.mjs).
//! Here one callback lives for the life of the module; each await hands
//! it and a slot number to `settle.js`, whose `then` handlers call it back
//! with the slot, and the outcome waits in that slot until the future
//! reads it. Both builds await through it: JsFuture calls `then` through a
//! binding that is not `catch`, so a promise whose own `then` throws (a
//! replaced `fetch` can return one) threw through the wasm and the call
//! never settled; here that attempt ends with the error (the API suite
//! holds it in every entry). It cost the browser module 520 bytes raw.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use js_sys::Function;
#[cfg(feature = "server")]
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(feature = "server")]
use super::js::bind_with;
#[cfg(feature = "server")]
use super::timers::{AbortListener, Settled, SignalLike, Timer};

enum Slot {
    Free,
    /// The promise has not settled; the waker of the task awaiting it.
    Waiting(Option<Waker>),
    Settled(Result<JsValue, JsValue>),
    /// The future was dropped before the promise settled: the slot is freed
    /// when it does.
    Abandoned,
}

#[wasm_bindgen(module = "/src/bindings/settle.js")]
extern "C" {
    /// `Promise.resolve(value).then(...)` calling `on_settled(slot, fulfilled, value)`.
    #[wasm_bindgen(catch, js_name = settleInto)]
    fn settle_into(value: &JsValue, on_settled: &Function, slot: u32) -> Result<(), JsValue>;
}

thread_local! {
    static SLOTS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    /// `(slot, fulfilled, value) => void`, made once. `Fn`, not `FnMut`:
    /// a wake polls its task at once (task.rs), and a replaced
    /// `Promise.prototype.then` that calls back at once would re-enter it,
    /// which the glue refuses for a `FnMut` closure (`on_settled` holds no
    /// borrow while it wakes).
    static ON_SETTLED: Function = Closure::<dyn Fn(u32, bool, JsValue)>::new(on_settled)
        .into_js_value()
        .unchecked_into();
}

fn on_settled(slot: u32, fulfilled: bool, value: JsValue) {
    let waker = SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let entry = slots.get_mut(slot as usize)?;
        match std::mem::replace(entry, Slot::Free) {
            Slot::Waiting(waker) => {
                *entry = Slot::Settled(if fulfilled { Ok(value) } else { Err(value) });
                waker
            }
            // Abandoned: freed now. Free or Settled: a second call (a
            // hostile `then`), ignored.
            Slot::Abandoned => None,
            other => {
                *entry = other;
                None
            }
        }
    });
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// The outcome of a promise, as `JsFuture` gives it: `Ok(value)` when it
/// fulfils, `Err(reason)` when it rejects.
pub(crate) struct Settle {
    slot: Option<u32>,
}

/// Awaits `value`, as `await` does: a promise, a thenable or any value
/// (`Promise.resolve` is taken in settle.js; when it throws, for a
/// thenable whose `then` getter does, the wait ends with that error).
pub(crate) fn settle(value: &JsValue) -> Settle {
    let slot = SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let index = match slots.iter().position(|slot| matches!(slot, Slot::Free)) {
            Some(index) => index,
            None => {
                slots.push(Slot::Free);
                slots.len() - 1
            }
        };
        if let Some(entry) = slots.get_mut(index) {
            *entry = Slot::Waiting(None);
        }
        index as u32
    });
    // A real promise's `then` does not throw; a replaced one that does
    // settles the wait with its error at once, rather than never.
    if let Err(error) = ON_SETTLED.with(|callback| settle_into(value, callback, slot)) {
        on_settled(slot, false, error);
    }
    Settle { slot: Some(slot) }
}

impl Future for Settle {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(slot) = self.slot else {
            return Poll::Ready(Err(JsValue::UNDEFINED));
        };
        let outcome = SLOTS.with(|slots| {
            let mut slots = slots.borrow_mut();
            let entry = slots.get_mut(slot as usize)?;
            match std::mem::replace(entry, Slot::Free) {
                Slot::Settled(outcome) => Some(outcome),
                _ => {
                    *entry = Slot::Waiting(Some(context.waker().clone()));
                    None
                }
            }
        });
        match outcome {
            Some(outcome) => {
                self.slot = None;
                Poll::Ready(outcome)
            }
            None => Poll::Pending,
        }
    }
}

impl Drop for Settle {
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            SLOTS.with(|slots| {
                if let Some(entry) = slots.borrow_mut().get_mut(slot as usize) {
                    *entry = match entry {
                        Slot::Settled(_) => Slot::Free,
                        _ => Slot::Abandoned,
                    };
                }
            });
        }
    }
}

/// One timeout for several awaits in turn, with no `Closure` per await: the
/// proxy's `authorize` answer and each chunk of a request body, and in the
/// full build every `timers::settle_within` (a token function's promise).
/// Through `settle_within`'s own race (a promise, a timer, a race and two
/// `JsFuture` closures each time) the proxy's three waits took 29 us of a
/// proxied request's 134 under the profiler, `fetch` stubbed
/// (bench/profile.mjs's method on the proxy). The browser build keeps
/// `settle_within`'s own race: built on this type there, the module
/// measured 295 bytes raw larger.
#[cfg(feature = "server")]
pub(crate) struct Deadline {
    /// Resolves with `mark` when the time is up or the signal aborts.
    promise: Promise,
    /// A value only the deadline has, so a race tells it from a promise
    /// that resolved with `undefined`.
    mark: JsValue,
    _timer: Option<Timer>,
    _listener: Option<AbortListener>,
}

#[cfg(feature = "server")]
impl Deadline {
    /// Ends after `timeout_ms`, or when `signal` aborts.
    pub fn start(timeout_ms: u32, signal: Option<&SignalLike>) -> Deadline {
        let mark: JsValue = js_sys::Object::new().into();
        let mut guards = (None, None);
        let promise = Promise::new(&mut |resolve, _reject| {
            guards.0 = Timer::start(&resolve, timeout_ms, &mark);
            guards.1 = signal.map(|signal| {
                AbortListener::add(signal, &bind_with(&resolve, &JsValue::UNDEFINED, &mark))
            });
        });
        Deadline {
            promise,
            mark,
            _timer: guards.0,
            _listener: guards.1,
        }
    }

    /// What `promise` settled to, or `None` when the deadline came first.
    pub async fn settle(&self, promise: &Promise) -> Option<Settled> {
        let race = Promise::race(&js_sys::Array::of2(promise, &self.promise));
        match settle(&race).await {
            Ok(value) if js_sys::Object::is(&value, &self.mark) => None,
            Ok(value) => Some(Settled::Resolved(value)),
            Err(error) => Some(Settled::Rejected(error)),
        }
    }
}
