//! Reading the caller's option objects: duck-typed (as lol-html's js-api
//! does) rather than through serde, whose `from_value` costs about 20 KB
//! gzipped here. A call's known options are read at once: in the full build
//! in one crossing (`read-options.js`), in the browser build one property at
//! a time. Every read is fallible and checked, so `null`, a number or a
//! throwing getter where a string belongs becomes an `invalid_options`
//! failure, never a wasm trap.
//!
//! A property counts if the object or its class has it, never if it comes
//! from `Object.prototype`: a polluted prototype cannot inject a `baseUrl`,
//! a token or a policy.
//!
//! Each option is declared once ([`Declared`]: its JS name and how it is
//! read, with a whole number's range and refusal): the options several
//! calls share at the end of this file, a call's own in its module. A
//! call's accepted names are lists of declarations, the readers take one,
//! and the refusal's message and `fieldErrors` field come from it. (The
//! declarations cost the browser module 369 bytes raw against the string
//! lists they replaced.)

#[cfg(feature = "server")]
use std::cell::RefCell;

#[cfg(feature = "server")]
use js_sys::Array;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::js::{given, has_own, key, object_prototype, prototype_of, well_formed_string};
use crate::core::error::{ErrorKind, Failure};
use crate::core::retry::{whole_number, RetryPolicy, MAX_TIMER_MS};
use crate::core::text::concat;

/// The properties of one option object.
pub(crate) struct OptionBag {
    object: JsValue,
    /// Prefix for names in messages, such as `"retry."`.
    prefix: &'static str,
    /// The call's options, read at once by [`OptionBag::read`]. Boxed: a
    /// bag is built and dropped at a dozen call sites, each of which grew
    /// by its size (boxing it and keeping `read` out of line took 1.5 KB
    /// raw off the browser module while it still had the snapshot).
    #[cfg(feature = "server")]
    snapshot: Option<Box<Snapshot>>,
}

/// An option, declared once: its JS name and how its value is read. A
/// call's lists of them ([`Known`]) are the names it accepts; the message
/// that refuses a value and the `field` of its `fieldErrors` entry come
/// from the declaration too.
pub(crate) struct Declared {
    pub name: &'static str,
    pub reads: Reads,
}

/// How an option's value is read.
pub(crate) enum Reads {
    /// Any value, which the call reads (a token, a policy, a callback, a signal).
    Value,
    /// A string; anything else is a failure of this kind.
    Text(ErrorKind),
    /// `true` or `false`.
    Flag,
    /// A number; the call checks what it means (a rate, a length).
    Number,
    /// A whole number from `min` to `max`; anything else is refused with
    /// `refusal` (written out: building it from the numbers took more code
    /// than the texts).
    Whole {
        min: u32,
        max: u32,
        refusal: &'static str,
    },
}

impl Declared {
    pub const fn value(name: &'static str) -> Declared {
        Declared {
            name,
            reads: Reads::Value,
        }
    }

    pub const fn text(name: &'static str) -> Declared {
        Declared {
            name,
            reads: Reads::Text(ErrorKind::InvalidOptions),
        }
    }

    pub const fn flag(name: &'static str) -> Declared {
        Declared {
            name,
            reads: Reads::Flag,
        }
    }

    pub const fn number(name: &'static str) -> Declared {
        Declared {
            name,
            reads: Reads::Number,
        }
    }

    pub const fn whole(name: &'static str, min: u32, max: u32, refusal: &'static str) -> Declared {
        Declared {
            name,
            reads: Reads::Whole { min, max, refusal },
        }
    }
}

/// Lists of declared options: the options of each part of a call.
pub(crate) type Known = &'static [&'static [&'static Declared]];

#[cfg(feature = "server")]
/// An option object's known properties, read in one crossing instead of
/// two to four per name (the read, `hasOwn`, undefined checks): an
/// `updatePassword` call's crossings went from 107 to 80 (counted by
/// wrapping the glue's imports) and its own cost from 18.8 to 18.0 us
/// (bench/hot-path.mjs). The answer is one number (read-options.js), so
/// that neither unpacking it nor asking whether an option is given
/// crosses again: 49 crossings a call to 32.
struct Snapshot {
    known: Known,
    values: Array,
    /// Bit `i`: the `i`-th known name has a value (skipped without a crossing when not).
    present: u32,
    /// Bit `i`: that value is not `null` either ([`OptionBag::present`]).
    given: u32,
    /// The first own property that is none of `known`.
    unknown: Option<String>,
}

#[cfg(feature = "server")]
impl Snapshot {
    /// A plain loop over the lists: the same search through `names()`'s
    /// flat_map took 1.1 us of an updatePassword call under the profiler.
    /// A name is looked up by the literal's address first (the same
    /// declaration gives the same address), by its text only when that
    /// finds nothing: comparing the texts was 0.67 us of a call's 14.4
    /// under the profiler, with a dozen lookups among fourteen names.
    fn index_of(&self, field: &str) -> Option<usize> {
        self.find(|name| std::ptr::eq(name, field))
            .or_else(|| self.find(|name| name == field))
    }

    fn find(&self, same: impl Fn(&str) -> bool) -> Option<usize> {
        let mut index = 0;
        for list in self.known {
            for option in *list {
                if same(option.name) {
                    return Some(index);
                }
                index += 1;
            }
        }
        None
    }
}

/// The names of `known`, its lists one after another: the order of the
/// JS array `readOptions` reads and of its answer.
#[cfg(feature = "server")]
fn names(known: Known) -> impl Iterator<Item = &'static str> {
    known
        .iter()
        .flat_map(|list| list.iter().map(|option| option.name))
}

#[cfg(feature = "server")]
#[wasm_bindgen(module = "/src/bindings/read-options.js")]
extern "C" {
    /// Fills `values` and answers which names have a value, which are
    /// given and whether an unknown key is there (bits), or `-(i + 1)`
    /// when the read of name `i` threw (`catch`: a replaced global it uses
    /// may throw too).
    #[wasm_bindgen(catch, js_name = readOptions)]
    fn read_options(object: &JsValue, names: &Array, values: &Array) -> Result<f64, JsValue>;
}

#[cfg(feature = "server")]
thread_local! {
    /// The names of each `Known` list as a JS array, made once: keyed by the
    /// list's address and length (a constant, so the same on every call).
    static NAME_ARRAYS: RefCell<Vec<(usize, usize, Array)>> = const { RefCell::new(Vec::new()) };
}

#[cfg(feature = "server")]
/// At most this many lists are kept (about a dozen exist).
const NAME_ARRAYS_KEPT: usize = 32;

#[cfg(feature = "server")]
fn names_array(known: Known) -> Array {
    let id = (known.as_ptr() as usize, known.len());
    let found = NAME_ARRAYS.with(|arrays| {
        let arrays = arrays.borrow();
        let found = arrays.iter().find(|(ptr, len, _)| (*ptr, *len) == id);
        found.map(|(_, _, array)| array.clone())
    });
    if let Some(array) = found {
        return array;
    }
    let array = Array::new();
    for name in names(known) {
        array.push(key(name));
    }
    NAME_ARRAYS.with(|arrays| {
        let mut arrays = arrays.borrow_mut();
        if arrays.len() < NAME_ARRAYS_KEPT {
            arrays.push((id.0, id.1, array.clone()));
        }
    });
    array
}

impl OptionBag {
    /// `value` must be an object; `name` is how messages call it.
    pub fn new(
        value: &JsValue,
        name: &'static str,
        prefix: &'static str,
    ) -> Result<OptionBag, Failure> {
        if !value.is_object() {
            return Err(Failure::invalid_options(
                name,
                concat(&[name, " must be an object."]),
            ));
        }
        Ok(OptionBag {
            object: value.clone(),
            prefix,
            #[cfg(feature = "server")]
            snapshot: None,
        })
    }

    /// `None` for `undefined` and `null` (no options), else as `new`.
    pub fn optional(value: &JsValue, name: &'static str) -> Result<Option<OptionBag>, Failure> {
        given(value.clone())
            .map(|value| OptionBag::new(&value, name, ""))
            .transpose()
    }

    fn unreadable(&self, field: &'static str) -> Failure {
        Failure::invalid_options(
            field,
            concat(&["Reading option ", self.prefix, field, " failed."]),
        )
    }

    /// A property, own or from the object's class, never one inherited from
    /// `Object.prototype`. Absent properties read as `undefined`.
    pub fn get(&self, option: &Declared) -> Result<JsValue, Failure> {
        self.get_named(option.name)
    }

    fn get_named(&self, field: &'static str) -> Result<JsValue, Failure> {
        #[cfg(feature = "server")]
        if let Some(snapshot) = &self.snapshot {
            if let Some(index) = snapshot.index_of(field) {
                if snapshot.present >> index & 1 == 0 {
                    return Ok(JsValue::UNDEFINED);
                }
                return Ok(snapshot.values.get(index as u32));
            }
        }
        let name = key(field);
        let value = Reflect::get(&self.object, name).map_err(|_| self.unreadable(field))?;
        // The common cases cost one or two reads: absent, or the object's own.
        if value.is_undefined() || has_own(&self.object, name) {
            return Ok(value);
        }
        let object_prototype = object_prototype();
        let mut holder = self.object.clone();
        // Prototype chains are finite, but a Proxy can fake an endless one.
        for _ in 0..32 {
            holder = match prototype_of(&holder) {
                Some(prototype) if !js_sys::Object::is(&prototype, &object_prototype) => prototype,
                _ => return Ok(JsValue::UNDEFINED),
            };
            if has_own(&holder, name) {
                return Ok(value);
            }
        }
        Err(self.unreadable(field))
    }

    /// Refuses an own property that is none of `known`, a list of lists
    /// (the options of each part of a call): a typo such as `retries: 3`
    /// would otherwise be silently ignored. The bag it answers has read
    /// every known option at once.
    #[inline(never)]
    pub fn only(&self, known: Known) -> Result<OptionBag, Failure> {
        let bag = self.read(known)?;
        bag.refuse_unknown()?;
        Ok(bag)
    }

    /// Every option of `known`, read at once by the rule [`OptionBag::get`]
    /// states; an unknown own property is kept for [`OptionBag::refuse_unknown`].
    #[cfg(feature = "server")]
    #[inline(never)]
    pub fn read(&self, known: Known) -> Result<OptionBag, Failure> {
        let values = Array::new();
        let answer = read_options(&self.object, &names_array(known), &values)
            .map_err(|_| self.unreadable("options"))?;
        if answer < 0.0 {
            let index = (-answer - 1.0) as usize;
            let field = names(known).nth(index).unwrap_or("options");
            return Err(self.unreadable(field));
        }
        // Below 2 ** 53, so exact.
        let bits = answer as u64;
        let unknown = (bits >> 52 & 1 == 1)
            .then(|| values.get(names(known).count() as u32).as_string())
            .flatten();
        Ok(OptionBag {
            object: self.object.clone(),
            prefix: self.prefix,
            snapshot: Some(Box::new(Snapshot {
                known,
                values,
                present: (bits & 0x3ff_ffff) as u32,
                given: (bits >> 26 & 0x3ff_ffff) as u32,
                unknown,
            })),
        })
    }

    /// The browser build reads options one by one (the one-crossing reader
    /// is the full build's: 0.8 KB gzip here, where a call's CPU matters
    /// less than in a Worker), and refuses an unknown option at once.
    #[cfg(not(feature = "server"))]
    #[inline(never)]
    pub fn read(&self, known: Known) -> Result<OptionBag, Failure> {
        let names = Reflect::own_keys(&self.object).map_err(|_| self.unreadable("options"))?;
        for name in names.iter() {
            let Some(name) = name.as_string() else {
                continue;
            };
            if !known
                .iter()
                .any(|list| list.iter().any(|option| option.name == name))
            {
                return Err(unknown_option(self.prefix, &name));
            }
        }
        Ok(OptionBag {
            object: self.object.clone(),
            prefix: self.prefix,
        })
    }

    /// The failure for an own property that is none of the options read
    /// (the browser build's `read` has refused it already).
    pub fn refuse_unknown(&self) -> Result<(), Failure> {
        #[cfg(feature = "server")]
        if let Some(name) = self
            .snapshot
            .as_ref()
            .and_then(|snapshot| snapshot.unknown.as_deref())
        {
            return Err(unknown_option(self.prefix, name));
        }
        Ok(())
    }

    /// The property, `None` when absent (`undefined` or `null`).
    pub fn present(&self, option: &Declared) -> Result<Option<JsValue>, Failure> {
        #[cfg(feature = "server")]
        if let Some(snapshot) = &self.snapshot {
            if let Some(index) = snapshot.index_of(option.name) {
                return Ok(
                    (snapshot.given >> index & 1 == 1).then(|| snapshot.values.get(index as u32))
                );
            }
        }
        Ok(given(self.get(option)?))
    }

    fn wrong_type(&self, field: &'static str, kind: ErrorKind, what: &str) -> Failure {
        Failure::option(
            kind,
            field,
            concat(&[self.prefix, field, " must be ", what, "."]),
        )
    }

    /// A string (its declaration's kind names the failure when it is not one).
    pub fn text(&self, option: &Declared) -> Result<Option<String>, Failure> {
        self.present(option)?
            .map(|value| self.text_of(option, &value))
            .transpose()
    }

    /// A string that must be there: absent is refused as not a string.
    pub fn required_text(&self, option: &Declared) -> Result<String, Failure> {
        self.text_of(option, &self.get(option)?)
    }

    fn text_of(&self, option: &Declared, value: &JsValue) -> Result<String, Failure> {
        let kind = match option.reads {
            Reads::Text(kind) => kind,
            _ => ErrorKind::InvalidOptions,
        };
        string_value(value, kind, option.name, self.prefix)
    }

    /// An optional callback (the bulk runner's and the proxy's).
    #[cfg(feature = "server")]
    pub fn function(&self, option: &Declared) -> Result<Option<js_sys::Function>, Failure> {
        match self.present(option)? {
            None => Ok(None),
            Some(value) if value.is_function() => Ok(Some(value.into())),
            Some(_) => Err(Failure::invalid_options(
                option.name,
                concat(&[self.prefix, option.name, " must be a function."]),
            )),
        }
    }

    pub fn flag(&self, option: &Declared) -> Result<Option<bool>, Failure> {
        self.present(option)?
            .map(|value| {
                value.as_bool().ok_or_else(|| {
                    self.wrong_type(option.name, ErrorKind::InvalidOptions, "a boolean")
                })
            })
            .transpose()
    }

    pub fn number(&self, option: &Declared) -> Result<Option<f64>, Failure> {
        self.present(option)?
            .map(|value| {
                value.as_f64().ok_or_else(|| {
                    self.wrong_type(option.name, ErrorKind::InvalidOptions, "a number")
                })
            })
            .transpose()
    }

    /// A whole number in its declaration's range.
    pub fn whole(&self, option: &Declared) -> Result<Option<u64>, Failure> {
        let Reads::Whole { min, max, refusal } = option.reads else {
            return Err(self.unreadable(option.name));
        };
        self.number(option)?
            .map(|n| {
                whole_number(n, max.into())
                    .filter(|&n| n >= min.into())
                    .ok_or_else(|| Failure::invalid_options(option.name, refusal))
            })
            .transpose()
    }
}

fn unknown_option(prefix: &str, name: &str) -> Failure {
    let field = concat(&[prefix, name]);
    let message = concat(&[&field, " is not an option here (a typo?)."]);
    Failure::invalid_options(field, message)
}

/// `value` as text, or a failure of `kind` naming `prefix` + `field`.
pub(crate) fn string_value(
    value: &JsValue,
    kind: ErrorKind,
    field: &'static str,
    prefix: &str,
) -> Result<String, Failure> {
    match well_formed_string(value) {
        Some(text) => Ok(text),
        None if value.is_string() => Err(Failure::option(
            kind,
            field,
            concat(&[
                prefix,
                field,
                " must be well-formed Unicode (it has a lone surrogate).",
            ]),
        )),
        None => Err(Failure::option(
            kind,
            field,
            concat(&[prefix, field, " must be a string."]),
        )),
    }
}

// ---- the options several calls share, each declared once -----------------
// (A call's own options are declared in its module: bulk.rs, breach.rs,
// proxy.rs, server_to_server.rs, classify.rs, generate.rs, validate.rs.)

pub(crate) const USER_ID: &Declared = &Declared {
    name: "userId",
    reads: Reads::Text(ErrorKind::InvalidUserId),
};
pub(crate) const PASSWORD: &Declared = &Declared {
    name: "password",
    reads: Reads::Text(ErrorKind::InvalidPassword),
};
/// A token string or a function answering one.
pub(crate) const ACCESS_TOKEN: &Declared = &Declared::value("accessToken");
pub(crate) const TOKEN_PROVIDER: &Declared = &Declared::value("tokenProvider");
pub(crate) const BASE_URL: &Declared = &Declared::text("baseUrl");
/// `true`, `false` or `{ attempts, baseDelayMs, maxDelayMs }` ([`read_retry`]).
pub(crate) const RETRY: &Declared = &Declared::value("retry");
/// setTimeout's limit is the most.
pub(crate) const TIMEOUT_MS: &Declared = &Declared::whole(
    "timeoutMs",
    1,
    MAX_TIMER_MS as u32,
    "timeoutMs must be an integer from 1 to 2147483647.",
);
/// `"multipart"` or `"json"` (`request::read_encoding`).
pub(crate) const ENCODING: &Declared = &Declared::text("encoding");
/// An AbortSignal, or anything shaped like one (`transport::read_signal`).
pub(crate) const SIGNAL: &Declared = &Declared::value("signal");
/// A `password_requirement` object (`validate::read_policy`).
pub(crate) const POLICY: &Declared = &Declared::value("policy");
pub(crate) const VALIDATE: &Declared = &Declared::flag("validate");
pub(crate) const MAYBE_APPLIED: &Declared = &Declared::flag("maybeApplied");
/// `true` or `{ rangeUrl?, timeoutMs? }` (`breach::BreachCheck::read`).
pub(crate) const BREACH_CHECK: &Declared = &Declared::value("breachCheck");
/// Positive; the pacer checks it (`core::pacer`).
pub(crate) const REQUESTS_PER_SECOND: &Declared = &Declared::number("requestsPerSecond");

/// The options of every call that sends (an option object's other own
/// properties are refused, see [`OptionBag::only`]).
pub(crate) const TRANSPORT_OPTIONS: [&Declared; 6] =
    [ACCESS_TOKEN, BASE_URL, RETRY, TIMEOUT_MS, ENCODING, SIGNAL];
/// What `updatePassword` and a client's calls add for the change itself.
pub(crate) const CHANGE_OPTIONS: [&Declared; 4] = [POLICY, VALIDATE, MAYBE_APPLIED, BREACH_CHECK];

/// `retry`'s own options; `core::retry::RetryPolicy::new` checks their ranges.
const RETRY_OPTIONS: [&Declared; 3] = [
    &Declared::number("attempts"),
    &Declared::number("baseDelayMs"),
    &Declared::number("maxDelayMs"),
];

/// `timeoutMs` ([`TIMEOUT_MS`]), in milliseconds.
pub(crate) fn read_timeout(bag: &OptionBag) -> Result<Option<u32>, Failure> {
    // At most MAX_TIMER_MS, so it fits.
    Ok(bag.whole(TIMEOUT_MS)?.map(|ms| ms as u32))
}

/// `retry`: `true` (the defaults), `false` (one attempt) or
/// `{ attempts, baseDelayMs, maxDelayMs }`.
pub(crate) fn read_retry(value: &JsValue) -> Result<RetryPolicy, Failure> {
    match value.as_bool() {
        Some(true) => Ok(RetryPolicy::default()),
        Some(false) => Ok(RetryPolicy::NONE),
        None => {
            let bag = OptionBag::new(value, "retry", "retry.")?.only(&[&RETRY_OPTIONS])?;
            let [attempts, base_delay_ms, max_delay_ms] = RETRY_OPTIONS;
            RetryPolicy::new(
                bag.number(attempts)?,
                bag.number(base_delay_ms)?,
                bag.number(max_delay_ms)?,
            )
        }
    }
}
