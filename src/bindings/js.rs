//! The few JS facilities every binding needs, each bound so that nothing a
//! caller or a replaced global does can throw through the wasm: every import
//! that touches a value we did not make is `catch`, and its failure is a
//! value. (A JS exception that crosses wasm frames skips Rust's clean-up and
//! can leave the instance unusable, as a panic does.)

use std::cell::RefCell;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = hasOwn)]
    fn has_own_property(target: &JsValue, key: &JsValue) -> Result<bool, JsValue>;

    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// `encodeURIComponent`, which throws a URIError for a lone surrogate.
    #[wasm_bindgen(catch, js_name = encodeURIComponent)]
    fn encode_uri_component(text: &JsValue) -> Result<JsValue, JsValue>;

    /// `Promise.resolve`, which throws when a thenable's `then` getter does.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    pub(crate) fn promise_resolve(value: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `JSON.parse` of a JS string we already hold (no copy through Rust).
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub(crate) fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = JSON, js_name = stringify)]
    pub(crate) fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `globalThis`, which every runtime this package supports has. js-sys's
    /// `global()` tries `globalThis`, `self`, `window` and `global` in turn
    /// behind a lazy cell: four imports and their code for the first one.
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;

    /// A function or a promise, seen only for the one method used on it.
    #[wasm_bindgen(js_name = Object)]
    type Callable;
    #[wasm_bindgen(method, js_name = bind)]
    fn bind(this: &Callable, context: &JsValue, arg: &JsValue) -> js_sys::Function;
    #[wasm_bindgen(method, catch, js_name = then)]
    fn then(this: &Callable, on_resolve: &JsValue, on_reject: &JsValue)
        -> Result<JsValue, JsValue>;
}

/// `function.bind(context, arg)`.
pub(crate) fn bind_with(
    function: &js_sys::Function,
    context: &JsValue,
    arg: &JsValue,
) -> js_sys::Function {
    function.unchecked_ref::<Callable>().bind(context, arg)
}

/// `promise.then(on_settled, on_settled)`, ignoring what it returns.
pub(crate) fn when_settled(promise: &js_sys::Promise, on_settled: &JsValue) {
    let _ = promise
        .unchecked_ref::<Callable>()
        .then(on_settled, on_settled);
}

/// Awaits a promise: `Ok(value)` when it fulfils, `Err(reason)` when it
/// rejects, through settle.rs's one persistent callback (no `Closure` and
/// no `FinalizationRegistry` entry per await, and no `JsFuture`, whose
/// `then` is not a `catch` binding, in either module). It takes the
/// promise by value: calling `settle(&promise)` at each await instead
/// measured 129 bytes raw larger in the browser module. Any value is
/// awaited as `await` would (`Promise.resolve`, in settle.js).
pub(crate) fn awaited(value: JsValue) -> super::settle::Settle {
    super::settle::settle(&value)
}

/// Slots of the JS-string cache for `'static` names (a few dozen are used).
const KEY_SLOTS: usize = 128;

thread_local! {
    /// JS strings for `'static` Rust strings (property names, fixed values),
    /// each made once and kept for the life of the module: turning UTF-8
    /// into a JS string costs more than the property access it is for.
    /// Direct-mapped by address, so a lookup is one comparison of the
    /// literal's address and length; a name whose slot is taken by another
    /// is looked up in `OTHER_KEYS`.
    static KEYS: RefCell<[Option<(Literal, &'static JsValue)>; KEY_SLOTS]> =
        const { RefCell::new([None; KEY_SLOTS]) };
    static OTHER_KEYS: RefCell<Vec<(Literal, &'static JsValue)>> = const { RefCell::new(Vec::new()) };

    /// `Object.prototype` and `Error.prototype`, looked up once.
    static OBJECT_PROTOTYPE: JsValue = Object::get_prototype_of(&Object::new()).into();
    static ERROR_PROTOTYPE: JsValue =
        Object::get_prototype_of(&js_sys::Error::new("")).into();
}

/// A `'static` string's address and length, which together name it.
type Literal = (usize, usize);

/// The JS string for a `'static` Rust string, created once.
pub(crate) fn key(text: &'static str) -> &'static JsValue {
    let id: Literal = (text.as_ptr() as usize, text.len());
    let slot = (id.0 >> 2) % KEY_SLOTS;
    let cached = KEYS.with(|keys| match keys.borrow()[slot] {
        Some((found, value)) if found == id => Some(value),
        _ => None,
    });
    if let Some(value) = cached {
        return value;
    }
    let other = OTHER_KEYS.with(|others| {
        others
            .borrow()
            .iter()
            .find(|(found, _)| *found == id)
            .map(|(_, value)| *value)
    });
    let value = other.unwrap_or_else(|| {
        let value: &'static JsValue = Box::leak(Box::new(JsValue::from_str(text)));
        OTHER_KEYS.with(|others| others.borrow_mut().push((id, value)));
        value
    });
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if keys[slot].is_none() {
            keys[slot] = Some((id, value));
        }
    });
    value
}

pub(crate) fn object_prototype() -> JsValue {
    OBJECT_PROTOTYPE.with(JsValue::clone)
}

/// `value`, unless it is `undefined` or `null`: how JS says "not given".
pub(crate) fn given(value: JsValue) -> Option<JsValue> {
    if value.is_undefined() || value.is_null() {
        None
    } else {
        Some(value)
    }
}

/// `target[name]` for objects this crate reads but did not make (a
/// response, an error a caller threw, a signal): anything that is not an
/// object, or a read that throws, is `undefined`.
pub(crate) fn property(target: &JsValue, name: &'static str) -> JsValue {
    if !target.is_object() && !target.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(target, key(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `globalThis[name]`, `undefined` when a getter there throws.
pub(crate) fn global_property(name: &'static str) -> JsValue {
    GLOBAL_THIS.with(|global| property(global, name))
}

/// Whether `target` has an own property `key`; a Proxy trap that throws says no.
pub(crate) fn has_own(target: &JsValue, key: &JsValue) -> bool {
    has_own_property(target, key).unwrap_or(false)
}

pub(crate) fn is_array(value: &JsValue) -> bool {
    array_is_array(value).unwrap_or(false)
}

/// The prototype of `value`, or `None` when it has none or the read throws.
pub(crate) fn prototype_of(value: &JsValue) -> Option<JsValue> {
    let prototype: JsValue = Reflect::get_prototype_of(value).ok()?.into();
    (!prototype.is_null()).then_some(prototype)
}

/// `value instanceof Error`, walked by hand so that a Proxy whose traps
/// throw answers `false` instead of throwing.
pub(crate) fn is_error(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let error_prototype = ERROR_PROTOTYPE.with(JsValue::clone);
    let mut holder = value.clone();
    // Prototype chains are finite, but a Proxy can fake an endless one.
    for _ in 0..64 {
        match prototype_of(&holder) {
            Some(prototype) if Object::is(&prototype, &error_prototype) => return true,
            Some(prototype) => holder = prototype,
            None => return false,
        }
    }
    false
}

/// A JS string as Rust text, or `None` if `value` is not a string or holds
/// a lone surrogate (which conversion would silently turn into U+FFFD and
/// so change the value: a different user id, a different password).
pub(crate) fn well_formed_string(value: &JsValue) -> Option<String> {
    let text = value.as_string()?;
    // Only a lossy conversion introduces U+FFFD: check the rare strings that
    // contain one against the original code units. `encodeURIComponent`
    // throws for a lone surrogate, in every runtime; js-sys's
    // `is_valid_utf16` (a crossing per code unit) cost the module 0.4 KB raw.
    if crate::core::text::contains(&text, "\u{FFFD}") && encode_uri_component(value).is_err() {
        return None;
    }
    Some(text)
}

#[wasm_bindgen(module = "/src/bindings/objects.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = defineData)]
    fn define_data(object: &Object, name: &JsValue, value: &JsValue) -> Result<(), JsValue>;
    /// `{ userId, attempts, alreadySet }`, a literal (it cannot throw).
    #[wasm_bindgen(js_name = updateResult)]
    pub(crate) fn update_result(user_id: &JsValue, attempts: u32, already_set: bool) -> JsValue;
}

/// A plain JS object under construction.
pub(crate) struct JsObject(Object);

impl JsObject {
    pub fn new() -> JsObject {
        JsObject(Object::new())
    }

    /// An object made elsewhere (an `Error`), to define fields on.
    pub fn on(object: Object) -> JsObject {
        JsObject(object)
    }

    pub fn set(&self, name: &'static str, value: impl Into<JsValue>) -> &JsObject {
        // Defined, not assigned: a setter planted on Object.prototype must
        // not see the value (objects.js). On a fresh plain object it cannot
        // fail unless a global it uses was replaced.
        let _ = define_data(&self.0, key(name), &value.into());
        self
    }

    pub fn into_value(self) -> JsValue {
        self.0.into()
    }
}

/// `globalThis.location.href` in a browser or worker (so `/zoom/v2` can
/// name a same-origin proxy); `None` in Node.
pub(crate) fn page_url() -> Option<String> {
    well_formed_string(&property(&global_property("location"), "href"))
}

/// The page's URL when `base_url` is a path that needs it (`/zoom`), else
/// `None` without looking: an absolute base URL, the common case, needs no
/// page, and the look is four crossings of the wasm boundary per call.
pub(crate) fn page_url_for(base_url: Option<&str>) -> Option<String> {
    base_url
        .filter(|base| crate::core::request::is_same_origin_path(base))
        .and_then(|_| page_url())
}

/// The Unix time in milliseconds.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A random `u32` for the retry jitter (the platform's `Math.random`; the
/// jitter needs spread, not secrecy).
pub(crate) fn random_u32() -> u32 {
    (js_sys::Math::random() * 4_294_967_296.0) as u32
}

/// Runs `future` to a Promise (task.rs).
pub(crate) use super::task::spawn;
