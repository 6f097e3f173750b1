//! One request, sent from Rust: the body (a `web_sys::FormData`, or JSON
//! text), the headers, one `AbortController` for the per-attempt timeout and
//! the caller's signal, our own `catch` binding of the global `fetch`, and
//! the answer read completely.
//!
//! Why not gloo-net's `RequestBuilder` and `send`, measured here (Node 20,
//! median of 5 alternating rounds of 3,000 PUTs at concurrency 32, against
//! the same plain-JS loop with an `AbortController` timeout): this path runs
//! at 1.00-1.05x the JS loop; building a `Request` with `RequestBuilder`
//! first runs at 0.65-0.68x, because undici's `Request` constructor is
//! costly and `fetch` then copies it again. And `send` panics (an
//! `unreachable!`) when `fetch` rejects with something that is not an
//! `Error`, and on a value that is not a `Response`; a panic kills the wasm
//! instance. So we call `fetch(url, init)` ourselves and read the answer by
//! shape through `catch` bindings: `instanceof Response` is false across
//! realms and under jsdom, and gloo-net's `Response` accessors are not
//! `catch`, so a Proxy posing as a Response would throw through the wasm.
//! From gloo-net we use what is sound here, `Method`. Its `Headers` would be
//! sound too (the values are checked by the core), but a plain object is
//! what code that wraps `fetch` expects to find in `init.headers`, and it
//! costs undici no more to read (5.0-5.6 us per `Request` either way here).

use gloo_net::http::Method;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, FormData};

use super::body;
use super::js::{
    awaited, bind_with, global_property, key, promise_resolve, property, well_formed_string,
};
use super::timers::{is_aborted, AbortListener, SignalLike, Timer};
use crate::core::attempt::{network_failure, transport_failure};
#[cfg(feature = "server")]
use crate::core::body::TokenAnswer;
use crate::core::body::ZoomBody;
use crate::core::error::{ErrorKind, Failure};
use crate::core::request::PreparedRequest;
use crate::core::retry::whole_number;

#[wasm_bindgen(module = "/src/bindings/objects.js")]
extern "C" {
    /// The `init` of a `fetch`, made by definition (no setter planted on
    /// `Object.prototype` sees the body or a header) in one crossing: up to
    /// three headers, a name `undefined` when unused. `catch`: it cannot
    /// throw unless a global it uses was replaced (and wasm-bindgen then
    /// routes it through the glue's import object, as the build expects).
    #[wasm_bindgen(catch, js_name = requestInit)]
    #[allow(clippy::too_many_arguments)]
    fn request_init(
        method: &JsValue,
        signal: &JsValue,
        body: &JsValue,
        name1: &JsValue,
        value1: &JsValue,
        name2: &JsValue,
        value2: &JsValue,
        name3: &JsValue,
        value3: &JsValue,
    ) -> Result<JsValue, JsValue>;

    /// `value.status` if `value` is an object and that is a number, else
    /// -1; `catch`: the getter may throw.
    #[wasm_bindgen(catch, js_name = responseStatus)]
    fn response_status(value: &JsValue) -> Result<f64, JsValue>;

    /// `JSON.stringify({ password })`, `catch`: a runtime may lack JSON.
    #[wasm_bindgen(catch, js_name = jsonPasswordBody)]
    pub(crate) fn json_password_body(password: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, looked up at each call (so a replaced one is
    /// used), `catch` so that a synchronous throw is a value.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &JsValue, init: &JsValue) -> Result<JsValue, JsValue>;

    /// `FormData`, seen only for `append` with a JS string we already hold.
    #[wasm_bindgen(js_name = FormData)]
    type FormBody;
    #[wasm_bindgen(method, catch, js_name = append)]
    fn append(this: &FormBody, name: &JsValue, value: &JsValue) -> Result<(), JsValue>;

    /// What `fetch` resolved to, read by shape: every read is `catch`.
    #[wasm_bindgen(js_name = Object)]
    type ResponseLike;
    #[wasm_bindgen(method, catch, getter)]
    fn headers(this: &ResponseLike) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn text(this: &ResponseLike) -> Result<JsValue, JsValue>;

    /// A `Headers`, or anything with a `get(name)`.
    #[wasm_bindgen(js_name = Object)]
    type HeadersLike;
    #[wasm_bindgen(method, catch, js_name = get)]
    fn get(this: &HeadersLike, name: &JsValue) -> Result<JsValue, JsValue>;
}

/// A request body.
#[derive(Clone, Copy)]
pub(crate) enum Body<'a> {
    Empty,
    /// `multipart/form-data` with one field, `password`: the caller's own
    /// JS string, passed back as it came (no copy through Rust).
    Form(&'a JsValue),
    /// `application/json` text.
    Json(&'a JsValue),
}

/// One request to send.
pub(crate) struct Outgoing<'a> {
    pub method: Method,
    /// A JS string, made once per call rather than once per attempt.
    pub url: &'a JsValue,
    /// The URL's host and port, for the message when no answer comes.
    pub host: &'a str,
    /// Header names and values (JS strings), at most two: `Authorization`
    /// (`Bearer ...` or `Basic ...`) and `Accept`, or `Accept` and
    /// `Add-Padding`; `send` adds a JSON body's `Content-Type`.
    pub headers: &'a [(&'static str, &'a JsValue)],
    pub body: Body<'a>,
    /// What the request carries that must never be quoted back (the
    /// password, the token, a client secret): cut from the platform's text
    /// when no answer comes.
    pub secrets: &'a [&'a str],
}

/// An HTTP answer, read completely.
pub(crate) struct Answer {
    pub status: u16,
    /// The body as a JS string (what `JSON.parse` reads) and as Rust text.
    body: JsValue,
    pub text: String,
    pub retry_after: Option<String>,
    pub rate_limit_type: Option<String>,
    /// A failure's `Retry-After` and `X-RateLimit-*` headers as they came,
    /// for the password proxy to pass on (and nothing else of Zoom's).
    #[cfg(feature = "proxy")]
    pub passed_on: Vec<(&'static str, String)>,
}

/// The answer headers the password proxy passes on to a page.
#[cfg(feature = "proxy")]
pub(crate) const PASSED_ON_HEADERS: [&str; 5] = [
    "retry-after",
    "x-ratelimit-category",
    "x-ratelimit-type",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
];

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// What a Zoom error body says.
    pub fn zoom_body(&self) -> ZoomBody {
        // JSON.parse reads the JS string we hold; it skips the whitespace
        // the core trims, so it parses exactly what the core looked at.
        ZoomBody::read(&self.text, &|_| body::parse(&self.body))
    }

    #[cfg(feature = "server")]
    pub fn token_answer(&self) -> TokenAnswer {
        TokenAnswer::read(&self.text, &|_| body::parse(&self.body))
    }

    /// The body parsed as JSON, as the JS value itself.
    pub fn json(&self) -> Option<JsValue> {
        super::js::json_parse(&self.body).ok()
    }
}

fn no_controller() -> Failure {
    unavailable("AbortController is not available here.")
}

/// `controller.abort.bind(controller, undefined)`: called by a timer or as
/// an event listener, it aborts with the default AbortError reason rather
/// than with the event object.
fn bound_abort(controller: &AbortController) -> Option<js_sys::Function> {
    let abort = property(controller, "abort");
    abort
        .is_function()
        .then(|| bind_with(abort.unchecked_ref(), controller, &JsValue::UNDEFINED))
}

/// Aborts `controller` after `timeout_ms`, or when the caller's `signal`
/// does, until the guards are dropped.
#[cfg(not(feature = "server"))]
fn abort_after(
    controller: &AbortController,
    timeout_ms: u32,
    signal: Option<&SignalLike>,
) -> Result<(Option<Timer>, Option<AbortListener>), Failure> {
    let abort = bound_abort(controller).ok_or_else(no_controller)?;
    let timer = Timer::start(&abort, timeout_ms, &JsValue::UNDEFINED);
    Ok((
        timer,
        signal.map(|signal| AbortListener::add(signal, &abort)),
    ))
}

/// The full build's timer binds nothing per attempt: it is
/// `setTimeout(abortAny, ms, controller)`, where `abortAny` is
/// `Function.prototype.call.bind(AbortController.prototype.abort)`, made
/// once. The bind and the `abort` lookup were four of an `updatePassword`
/// call's crossings of the boundary; the browser build keeps them (the
/// cached `abortAny` measured 479 bytes raw there: 131,042 against 130,563).
#[cfg(feature = "server")]
fn abort_after(
    controller: &AbortController,
    timeout_ms: u32,
    signal: Option<&SignalLike>,
) -> Result<(Option<Timer>, Option<AbortListener>), Failure> {
    thread_local! {
        static ABORT_ANY: std::cell::OnceCell<js_sys::Function> = const { std::cell::OnceCell::new() };
    }
    let abort_any = ABORT_ANY.with(|cell| {
        if let Some(abort_any) = cell.get() {
            return Some(abort_any.clone());
        }
        let abort = property(controller, "abort");
        let call = property(&abort, "call");
        if !abort.is_function() || !call.is_function() {
            return None;
        }
        let abort_any = call.unchecked_ref::<js_sys::Function>().bind0(&abort);
        Some(cell.get_or_init(|| abort_any).clone())
    });
    let abort_any = abort_any.ok_or_else(no_controller)?;
    let timer = Timer::start(&abort_any, timeout_ms, controller);
    let listener = match signal {
        Some(signal) => {
            let abort = bound_abort(controller).ok_or_else(no_controller)?;
            Some(AbortListener::add(signal, &abort))
        }
        None => None,
    };
    Ok((timer, listener))
}

/// A platform feature the request needs is missing: nothing was sent.
fn unavailable(what: &'static str) -> Failure {
    Failure::client(ErrorKind::UnsupportedEnvironment, what)
}

/// Sends `outgoing` and reads the answer, within `timeout_ms` for the whole
/// exchange (the body read included), ending at once when `signal` aborts.
/// Redirects are never followed (`redirect: "manual"`): they could carry the
/// credentials elsewhere. Node answers them with the real 3xx, browsers
/// with an `opaqueredirect` of status 0; both are `unexpected_response`.
/// Without an answer the failure says why: aborted, timeout or network.
pub(crate) async fn send(
    outgoing: &Outgoing<'_>,
    timeout_ms: u32,
    signal: Option<&SignalLike>,
) -> Result<Answer, Failure> {
    let controller = AbortController::new().map_err(|_| no_controller())?;
    let _guards = abort_after(&controller, timeout_ms, signal)?;
    let attempt_signal = controller.signal();
    let no_answer = |error: &JsValue| {
        if is_aborted(signal) {
            transport_failure(ErrorKind::Aborted, None, None, &[])
        } else if attempt_signal.aborted() {
            transport_failure(ErrorKind::Timeout, None, None, &[])
        } else {
            // undici says "fetch failed" and keeps the reason in `cause.code`.
            let detail = well_formed_string(&property(error, "message"));
            // Its cause's code (ECONNREFUSED), or failing that its message ("bad port").
            let cause = property(error, "cause");
            let code = well_formed_string(&property(&cause, "code"))
                .or_else(|| well_formed_string(&property(&cause, "message")));
            network_failure(
                Some(outgoing.host),
                detail.as_deref(),
                code.as_deref(),
                outgoing.secrets,
            )
        }
    };

    let body = match outgoing.body {
        Body::Empty => None,
        Body::Form(password) => {
            let form =
                FormData::new().map_err(|_| unavailable("FormData is not available here."))?;
            form.unchecked_ref::<FormBody>()
                .append(key("password"), password)
                .map_err(|_| unavailable("FormData is not available here."))?;
            Some(JsValue::from(form))
        }
        Body::Json(text) => Some(text.clone()),
    };
    // Up to three headers: the request's own (two at most), then a JSON
    // body's Content-Type.
    let unused = JsValue::UNDEFINED;
    let header = |index: usize| match outgoing.headers.get(index) {
        Some(&(name, value)) => (key(name), value),
        None => (&unused, &unused),
    };
    let (name1, value1) = header(0);
    let (name2, value2) = header(1);
    let (name3, value3) = match outgoing.body {
        Body::Json(_) => (key("Content-Type"), key(PreparedRequest::JSON_CONTENT_TYPE)),
        _ => header(2),
    };
    // The methods this crate sends, as JS strings made once.
    let other_method;
    let method = match outgoing.method {
        Method::GET => key("GET"),
        Method::PUT => key("PUT"),
        Method::POST => key("POST"),
        ref other => {
            other_method = JsValue::from_str(other.as_str());
            &other_method
        }
    };
    let init = request_init(
        method,
        &attempt_signal,
        body.as_ref().unwrap_or(&JsValue::UNDEFINED),
        name1,
        value1,
        name2,
        value2,
        name3,
        value3,
    )
    .map_err(|_| unavailable("Object.defineProperty is not available here."))?;

    // A replaced global fetch may return anything: `awaited` takes it as
    // `await` would (Promise.resolve, in settle.js).
    let pending = global_fetch(outgoing.url, &init).map_err(|error| {
        // No fetch at all (an old runtime): nothing was sent. Looked at
        // only when the call threw (three crossings less per attempt).
        if global_property("fetch").is_function() {
            no_answer(&error)
        } else {
            unavailable("fetch is not available here.")
        }
    })?;
    let value = awaited(pending).await.map_err(|error| no_answer(&error))?;
    let response = read_response(&value).ok_or_else(|| {
        Failure::client(
            ErrorKind::UnexpectedResponse,
            "fetch resolved to something that is not a Response.",
        )
    })?;

    let mut answer = Answer {
        status: response.status,
        // `undefined` until a body is read: JSON.parse refuses it as it
        // refuses "" (and an empty text is never parsed), without making a
        // JS string per answer.
        body: JsValue::UNDEFINED,
        text: String::new(),
        retry_after: None,
        rate_limit_type: None,
        #[cfg(feature = "proxy")]
        passed_on: Vec::new(),
    };
    if !answer.is_success() {
        // Only a failure needs its headers.
        let header = |name| response.header(name);
        answer.retry_after = header("retry-after");
        answer.rate_limit_type = header("x-ratelimit-type");
        #[cfg(feature = "proxy")]
        {
            answer.passed_on = PASSED_ON_HEADERS
                .iter()
                .filter_map(|&name| Some((name, header(name)?)))
                .collect();
        }
    }
    if !matches!(answer.status, 204 | 205 | 304) {
        let reading = response
            .raw
            .text()
            .and_then(|value| promise_resolve(&value))
            .map_err(|error| no_answer(&error));
        // No `text` (a hand-made answer): the body is empty.
        if let Ok(reading) = reading {
            let text = awaited(reading.into())
                .await
                .map_err(|error| no_answer(&error))?;
            if let Some(body) = text.as_string() {
                answer.text = body;
                answer.body = text;
            }
        }
    }
    Ok(answer)
}

/// The parts of what `fetch` resolved to, if it is shaped like a Response.
struct ReadResponse<'a> {
    raw: &'a ResponseLike,
    status: u16,
}

impl ReadResponse<'_> {
    fn header(&self, name: &'static str) -> Option<String> {
        let headers = self.raw.headers().ok()?;
        if !headers.is_object() {
            return None;
        }
        let value = headers.unchecked_ref::<HeadersLike>().get(key(name)).ok()?;
        well_formed_string(&value)
    }
}

fn read_response(value: &JsValue) -> Option<ReadResponse<'_>> {
    let raw: &ResponseLike = value.unchecked_ref();
    // A browser's answer to `redirect: "manual"` is an `opaqueredirect`,
    // whose status is 0 by the Fetch standard (nothing in it is readable):
    // the core classifies a 0 as `unexpected_response`, so its `type` need
    // not be read.
    let status = whole_number(response_status(value).ok()?, 999)? as u16;
    Some(ReadResponse { raw, status })
}
