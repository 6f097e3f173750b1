//! Timers and abort listeners that clean up after themselves: dropping the
//! guard clears the timer or removes the listener, on every path, so no call
//! leaves a timer or promise running behind it.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::js::property;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::error::{ErrorKind, Failure};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(handler: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clearTimeout, catch)]
    fn clear_timeout(handle: &JsValue) -> Result<(), JsValue>;
}

pub(crate) struct Timer(JsValue);

impl Timer {
    pub fn start(handler: &Function, ms: u64) -> Option<Timer> {
        set_timeout(handler, ms as f64).ok().map(Timer)
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let _ = clear_timeout(&self.0);
    }
}

pub(crate) struct AbortListener {
    signal: AbortSignal,
    listener: Function,
}

impl AbortListener {
    pub fn add(signal: &AbortSignal, listener: &Function) -> AbortListener {
        let _ = signal.add_event_listener_with_callback("abort", listener);
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
            .remove_event_listener_with_callback("abort", &self.listener);
    }
}

/// `signal.aborted`, read defensively (the signal is the caller's object).
pub(crate) fn is_aborted(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(|signal| property(signal, "aborted").as_bool() == Some(true))
}

pub(crate) fn aborted() -> Failure {
    Failure::client(
        ErrorKind::Aborted,
        "The operation was aborted by its AbortSignal.",
    )
}

/// Waits `ms`, or less if `signal` aborts (then `Err(aborted)`).
pub(crate) async fn sleep(ms: u64, signal: Option<&AbortSignal>) -> Result<(), Failure> {
    if is_aborted(signal) {
        return Err(aborted());
    }
    if ms > 0 {
        let mut guards = None;
        let promise = Promise::new(&mut |resolve, _reject| {
            let timer = Timer::start(&resolve, ms);
            if timer.is_none() {
                // No timers here: do not hang, go on at once.
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
            let listener = signal.map(|signal| AbortListener::add(signal, &resolve));
            guards = Some((timer, listener));
        });
        let _ = JsFuture::from(promise).await;
        drop(guards);
    }
    if is_aborted(signal) {
        return Err(aborted());
    }
    Ok(())
}
