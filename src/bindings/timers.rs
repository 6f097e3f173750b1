//! Waiting without leaving anything behind: timers and abort listeners are
//! guards that clear or remove themselves when dropped, on every path, and
//! no wait allocates a `Closure` (the promise's own `resolve` is the timer
//! callback and the abort listener).
//!
//! - [`sleep`]: a backoff or a pacer wait, cut short by the caller's signal;
//! - [`settle_within`]: a promise the caller's code made (a token function's),
//!   raced against `timeoutMs` and the caller's signal.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::js::{awaited, key, property};

#[wasm_bindgen]
extern "C" {
    /// `setTimeout(handler, ms, argument)`: the timer passes `argument`
    /// to `handler`, so a handler made once serves every timer.
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64, argument: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue) -> Result<(), JsValue>;

    /// An `AbortSignal`, or anything shaped like one (`aborted` and the two
    /// listener methods): the caller's object, so every use is `catch`.
    #[wasm_bindgen(js_name = Object)]
    #[derive(Clone)]
    pub(crate) type SignalLike;
    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    fn add_event_listener(
        this: &SignalLike,
        kind: &JsValue,
        listener: &Function,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    fn remove_event_listener(
        this: &SignalLike,
        kind: &JsValue,
        listener: &Function,
    ) -> Result<(), JsValue>;
}

impl SignalLike {
    /// `signal.aborted`, read defensively.
    pub fn aborted(&self) -> bool {
        property(self, "aborted").as_bool() == Some(true)
    }
}

/// Whether the caller's signal, if any, has aborted.
pub(crate) fn is_aborted(signal: Option<&SignalLike>) -> bool {
    signal.is_some_and(SignalLike::aborted)
}

/// A running `setTimeout`, cleared when dropped.
pub(crate) struct Timer(JsValue);

impl Timer {
    /// Calls `handler(argument)` after `ms`; `None` when the platform has
    /// no working timers.
    pub fn start(handler: &Function, ms: u32, argument: &JsValue) -> Option<Timer> {
        set_timeout(handler, f64::from(ms), argument)
            .ok()
            .map(Timer)
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let _ = clear_timeout(&self.0);
    }
}

/// An `abort` listener on the caller's signal, removed when dropped.
pub(crate) struct AbortListener {
    signal: SignalLike,
    listener: Function,
}

impl AbortListener {
    pub fn add(signal: &SignalLike, listener: &Function) -> AbortListener {
        let _ = signal.add_event_listener(key("abort"), listener);
        AbortListener {
            signal: signal.clone(),
            listener: listener.clone(),
        }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener(key("abort"), &self.listener);
    }
}

/// Why a wait ended early.
#[derive(Debug, PartialEq)]
pub(crate) enum Interrupted {
    Aborted,
    TimedOut,
}

/// Waits `ms`, or less if one of `signals` aborts (`Err(Aborted)`).
pub(crate) async fn sleep(ms: f64, signals: &[SignalLike]) -> Result<(), Interrupted> {
    let aborted = || signals.iter().any(SignalLike::aborted);
    if aborted() {
        return Err(Interrupted::Aborted);
    }
    if ms > 0.0 {
        let ms = ms.ceil().min(f64::from(i32::MAX)) as u32;
        let mut guards = None;
        let wake = Promise::new(&mut |resolve, _reject| {
            let timer = Timer::start(&resolve, ms, &JsValue::UNDEFINED);
            if timer.is_none() {
                // No timers here: do not hang, go on at once.
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
            let listeners: Vec<AbortListener> = signals
                .iter()
                .map(|signal| AbortListener::add(signal, &resolve))
                .collect();
            guards = Some((timer, listeners));
        });
        let _ = awaited(wake.into()).await;
        drop(guards);
    }
    if aborted() {
        return Err(Interrupted::Aborted);
    }
    Ok(())
}

/// What a promise of the caller's settled to, if it did in time.
pub(crate) enum Settled {
    Resolved(JsValue),
    Rejected(JsValue),
}

/// Awaits `promise`, but no longer than `timeout_ms` and not past an abort
/// of `signal`. A value that arrives after either is dropped.
pub(crate) async fn settle_within(
    promise: &Promise,
    timeout_ms: u32,
    signal: Option<&SignalLike>,
) -> Result<Settled, Interrupted> {
    if is_aborted(signal) {
        return Err(Interrupted::Aborted);
    }
    // The full build races through `settle::Deadline` (the proxy's: one copy
    // of the race there); the browser build's own race is smaller than
    // Deadline there (125,574 against 125,869 bytes raw).
    #[cfg(feature = "server")]
    return match super::settle::Deadline::start(timeout_ms, signal)
        .settle(promise)
        .await
    {
        _ if is_aborted(signal) => Err(Interrupted::Aborted),
        None => Err(Interrupted::TimedOut),
        Some(settled) => Ok(settled),
    };
    // The deadline resolves with a value only it has, so the race tells a
    // deadline from a promise that resolved with `undefined`.
    #[cfg(not(feature = "server"))]
    {
        let mark: JsValue = js_sys::Object::new().into();
        let mut guards = None;
        let deadline = Promise::new(&mut |resolve, _reject| {
            let fire = super::js::bind_with(&resolve, &JsValue::UNDEFINED, &mark);
            let timer = Timer::start(&fire, timeout_ms, &JsValue::UNDEFINED);
            let listener = signal.map(|signal| AbortListener::add(signal, &fire));
            guards = Some((timer, listener));
        });
        let race = Promise::race(&js_sys::Array::of2(promise, &deadline));
        let settled = awaited(race.into()).await;
        drop(guards);
        match settled {
            Ok(value) if js_sys::Object::is(&value, &mark) => Err(if is_aborted(signal) {
                Interrupted::Aborted
            } else {
                Interrupted::TimedOut
            }),
            _ if is_aborted(signal) => Err(Interrupted::Aborted),
            Ok(value) => Ok(Settled::Resolved(value)),
            Err(error) => Ok(Settled::Rejected(error)),
        }
    }
}
