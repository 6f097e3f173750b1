//! `createPasswordProxy(options)` (full build only): a standard fetch
//! handler, `(request) => Promise<Response>`, for the server half a page
//! needs (Zoom's API sends no CORS headers). Every decision is the core's
//! (`core::proxy`: route, origin, body, limits; `core::password`: the
//! rules); this module reads the `Request`, asks the application's
//! `authorize`, sends the change through the same path as `updatePassword`
//! (`PasswordChange::send`: retries, pacing, `alreadySet`) and writes the
//! `Response`. It never forwards the browser's headers or body, and nothing
//! it refuses reaches Zoom.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::breach::BreachCheck;
use super::client::account_policy;
use super::errors::CallFailure;
use super::js::{
    is_array, key, now_ms, promise_resolve, property, spawn, well_formed_string, JsObject,
};
use super::options::{
    read_retry, read_timeout, Declared, OptionBag, ACCESS_TOKEN, BREACH_CHECK, POLICY,
    REQUESTS_PER_SECOND, RETRY, TIMEOUT_MS, TOKEN_PROVIDER,
};
use super::settle::Deadline;
use super::timers::Settled;
use super::tokens::TokenSource;
use super::transport::Transport;
use super::update::{ChangeSettings, PasswordChange};
use super::validate::read_policy;
use crate::core::error::{ErrorKind, Failure};
use crate::core::pacer::Pacer;
use crate::core::password::Policy;
use crate::core::proxy::{
    is_origin, method_override_refusal, origin_allowed, read_password_field, route, split_origin,
    user_key, Limits, Refusal, RefusalKind, Route, Window, DEFAULT_MOUNT, MAX_BODY_BYTES,
    METHOD_OVERRIDE_HEADERS,
};
use crate::core::request::{check_absolute_url, DEFAULT_BASE_URL};
use crate::core::retry::MAX_TIMER_MS;

#[wasm_bindgen]
extern "C" {
    /// What a fetch handler receives, read by shape (every read `catch`).
    #[wasm_bindgen(js_name = Object)]
    type RequestLike;
    #[wasm_bindgen(method, catch, getter)]
    fn body(this: &RequestLike) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = Object)]
    type HeadersLike;
    #[wasm_bindgen(method, catch, js_name = get)]
    fn get(this: &HeadersLike, name: &JsValue) -> Result<JsValue, JsValue>;

    /// A `ReadableStream` and its reader.
    #[wasm_bindgen(js_name = Object)]
    type StreamLike;
    #[wasm_bindgen(method, catch, js_name = getReader)]
    fn get_reader(this: &StreamLike) -> Result<ReaderLike, JsValue>;
    #[wasm_bindgen(js_name = Object)]
    type ReaderLike;
    #[wasm_bindgen(method, catch)]
    fn read(this: &ReaderLike) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn cancel(this: &ReaderLike) -> Result<JsValue, JsValue>;

    /// The platform's `Response`.
    #[wasm_bindgen(js_name = Response)]
    type ResponseValue;
    #[wasm_bindgen(constructor, catch, js_class = "Response")]
    fn new(body: &JsValue, init: &JsValue) -> Result<ResponseValue, JsValue>;

    /// `Symbol.for(name)`: the Node listener passes the raw request-target
    /// and method under these, which `new Request` would have normalised.
    #[wasm_bindgen(js_namespace = Symbol, js_name = for)]
    fn symbol_for(name: &str) -> JsValue;
}

/// `authorize(request, { action, userId })`, required.
const AUTHORIZE: &Declared = &Declared::value("authorize");
const AUTHORIZE_TIMEOUT_MS: &Declared = &Declared::whole(
    "authorizeTimeoutMs",
    1,
    MAX_TIMER_MS as u32,
    "authorizeTimeoutMs must be an integer from 1 to 2147483647.",
);
const ZOOM_BASE_URL: &Declared = &Declared::text("zoomBaseUrl");
/// A path of plain segments ([`check_mount`]).
const MOUNT: &Declared = &Declared::text("mount");
/// An array of origins ([`read_origins`]).
const ALLOWED_ORIGINS: &Declared = &Declared::value("allowedOrigins");
/// `{ perUser, perCaller, windowMs }` ([`read_limits`]).
const LIMITS: &Declared = &Declared::value("limits");
const CALLER_ID: &Declared = &Declared::value("callerId");
const ON_EVENT: &Declared = &Declared::value("onEvent");

/// The options `createPasswordProxy` takes.
const PROXY_OPTIONS: [&Declared; 15] = [
    AUTHORIZE,
    AUTHORIZE_TIMEOUT_MS,
    ACCESS_TOKEN,
    TOKEN_PROVIDER,
    ZOOM_BASE_URL,
    MOUNT,
    ALLOWED_ORIGINS,
    POLICY,
    BREACH_CHECK,
    LIMITS,
    CALLER_ID,
    ON_EVENT,
    REQUESTS_PER_SECOND,
    RETRY,
    TIMEOUT_MS,
];
const LIMITS_REFUSAL: &str = "limits.perUser, perCaller and windowMs must be positive integers.";
/// `limits`' own: `perUser`, `perCaller` (counts) and `windowMs`.
const LIMIT_OPTIONS: [&Declared; 3] = [
    &Declared::whole("perUser", 1, u32::MAX, LIMITS_REFUSAL),
    &Declared::whole("perCaller", 1, u32::MAX, LIMITS_REFUSAL),
    &Declared::whole("windowMs", 1, MAX_TIMER_MS as u32, LIMITS_REFUSAL),
];
/// How long `authorize` may take by default.
const DEFAULT_AUTHORIZE_TIMEOUT_MS: u32 = 5_000;
/// How long a client may take to send its (small) body, all of it.
const BODY_TIMEOUT_MS: u32 = 10_000;
/// How long an account policy read from Zoom is used before it is read again.
const POLICY_TTL_MS: f64 = 10.0 * 60.0 * 1000.0;

/// Where the proxy's policy comes from.
enum PolicySource {
    /// The basic rules only.
    Basic,
    /// A policy object the application gave, and the value itself (what
    /// the read_policy route answers).
    Fixed(Policy, JsValue),
    /// The account's own, read from Zoom and kept for a while.
    Account(RefCell<Option<(Policy, JsValue, f64)>>),
}

struct Proxy {
    authorize: Function,
    authorize_timeout_ms: u32,
    caller_id: Option<Function>,
    on_event: Option<Function>,
    mount: String,
    allowed_origins: Vec<String>,
    transport: Transport,
    policy: PolicySource,
    breach_check: Option<Rc<BreachCheck>>,
    limits: Limits,
    users: RefCell<Window>,
    callers: RefCell<Window>,
}

#[wasm_bindgen(js_name = createPasswordProxy, skip_typescript)]
pub fn create_password_proxy(options: JsValue) -> Result<JsValue, JsValue> {
    let proxy = Rc::new(Proxy::read(&options)?);
    let handler = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(move |request, extra| {
        let proxy = proxy.clone();
        // Never rejects: every outcome is a Response.
        spawn(async move { Ok(proxy.handle(&request, &extra).await) })
    });
    Ok(handler.into_js_value())
}

impl Proxy {
    fn read(options: &JsValue) -> Result<Proxy, Failure> {
        let bag = OptionBag::new(options, "options", "")?.only(&[&PROXY_OPTIONS])?;
        let authorize = bag
            .present(AUTHORIZE)?
            .filter(JsValue::is_function)
            .ok_or_else(|| {
                Failure::invalid_options(
                    AUTHORIZE.name,
                    "authorize(request, { action, userId }) is required: the application's own check of who may change which password.",
                )
            })?;
        // At most MAX_TIMER_MS, so it fits.
        let authorize_timeout_ms = bag
            .whole(AUTHORIZE_TIMEOUT_MS)?
            .map_or(DEFAULT_AUTHORIZE_TIMEOUT_MS, |ms| ms as u32);
        let token = match (bag.present(ACCESS_TOKEN)?, bag.present(TOKEN_PROVIDER)?) {
            (Some(token), None) => TokenSource::read(&token)?,
            (None, Some(provider)) if provider.is_function() => TokenSource::read(&provider)?,
            _ => {
                return Err(Failure::invalid_options(
                    ACCESS_TOKEN.name,
                    "Give exactly one of accessToken (a token or a function) and tokenProvider: the server's Zoom token.",
                ))
            }
        };
        let mut transport = Transport::new(token);
        let zoom_base_url = bag
            .text(ZOOM_BASE_URL)?
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        check_absolute_url(ZOOM_BASE_URL.name, &zoom_base_url)?;
        transport.base_url = Some(zoom_base_url.into());
        if let Some(retry) = bag.present(RETRY)? {
            transport.retry = read_retry(&retry)?;
        }
        if let Some(timeout_ms) = read_timeout(&bag)? {
            transport.timeout_ms = timeout_ms;
        }
        if let Some(rate) = bag.number(REQUESTS_PER_SECOND)? {
            transport.pacer = Some(Rc::new(RefCell::new(Pacer::new(rate, 1)?)));
        }
        let mount = match bag.text(MOUNT)? {
            None => DEFAULT_MOUNT.to_owned(),
            Some(mount) => check_mount(mount)?,
        };
        let policy = match bag.present(POLICY)? {
            None => PolicySource::Basic,
            Some(value) if value.as_string().as_deref() == Some("account") => {
                PolicySource::Account(RefCell::new(None))
            }
            Some(value) if value.is_object() => PolicySource::Fixed(read_policy(&value)?, value),
            Some(_) => {
                return Err(Failure::invalid_options(
                    POLICY.name,
                    "policy must be \"account\" or a password_requirement object.",
                ))
            }
        };
        Ok(Proxy {
            authorize: authorize.unchecked_into(),
            authorize_timeout_ms,
            caller_id: bag.function(CALLER_ID)?,
            on_event: bag.function(ON_EVENT)?,
            mount,
            allowed_origins: read_origins(&bag.get(ALLOWED_ORIGINS)?)?,
            transport,
            policy,
            breach_check: BreachCheck::read(bag.present(BREACH_CHECK)?)?,
            limits: read_limits(&bag.get(LIMITS)?)?,
            users: RefCell::new(Window::default()),
            callers: RefCell::new(Window::default()),
        })
    }

    /// One request, to its Response. Every refusal is decided before
    /// anything is sent to Zoom.
    async fn handle(&self, request: &JsValue, extra: &JsValue) -> JsValue {
        let (answer, route) = self.answer(request, extra).await;
        let (action, subject) = match &route {
            Some(route) => (
                JsValue::from_str(route.action()),
                JsValue::from_str(route.subject()),
            ),
            None => (JsValue::NULL, JsValue::NULL),
        };
        if let Some(on_event) = &self.on_event {
            // The audit never holds the password, a token or a body.
            let event = JsObject::new();
            event
                .set("action", action)
                .set("userId", subject)
                .set("outcome", answer.outcome)
                .set("kind", answer.kind.clone())
                .set("status", answer.status);
            let _ = on_event.call1(&JsValue::UNDEFINED, &event.into_value());
        }
        answer.into_response()
    }

    async fn answer(&self, request: &JsValue, extra: &JsValue) -> (Answer, Option<Route>) {
        let url = well_formed_string(&property(request, "url")).unwrap_or_default();
        let (own_origin, target) = split_origin(&url);
        // The Node listener passes what `new Request` would normalise away.
        let raw = |name: &str| {
            if extra.is_object() {
                well_formed_string(
                    &js_sys::Reflect::get(extra, &symbol_for(name)).unwrap_or_default(),
                )
            } else {
                None
            }
        };
        let method = raw("zoom-password.rawMethod")
            .or_else(|| well_formed_string(&property(request, "method")))
            .unwrap_or_default();
        let target = raw("zoom-password.rawTarget").unwrap_or_else(|| target.to_owned());
        let headers = property(request, "headers");
        let header = |name: &'static str| -> Option<String> {
            if !headers.is_object() {
                return None;
            }
            well_formed_string(&headers.unchecked_ref::<HeadersLike>().get(key(name)).ok()?)
        };
        if METHOD_OVERRIDE_HEADERS
            .iter()
            .any(|name| header(name).is_some())
        {
            return (Answer::refused(method_override_refusal()), None);
        }
        let route = match route(&method, &target, &self.mount) {
            Ok(route) => route,
            Err(refusal) => return (Answer::refused(refusal), None),
        };
        let checked = async {
            origin_allowed(
                header("origin").as_deref(),
                header("sec-fetch-site").as_deref(),
                own_origin,
                &self.allowed_origins,
            )?;
            self.authorized(request, &route).await?;
            Ok::<(), Refusal>(())
        };
        if let Err(refusal) = checked.await {
            return (Answer::refused(refusal), Some(route));
        }
        let answer = match &route {
            Route::ReadPolicy { .. } => self.read_policy(&self.transport_for(request)).await,
            Route::UpdatePassword { user_id } => {
                self.update_password(
                    request,
                    user_id,
                    header("content-type").as_deref(),
                    header("content-length").as_deref(),
                )
                .await
            }
        };
        (answer, Some(route))
    }

    /// Only `true` from `authorize`, within `authorizeTimeoutMs`, allows.
    async fn authorized(&self, request: &JsValue, route: &Route) -> Result<(), Refusal> {
        let refused = || {
            Refusal::new(
                RefusalKind::NotAuthorized,
                "Not authorized to do this for this user.",
            )
        };
        let context = JsObject::new();
        context
            .set("action", route.action())
            .set("userId", JsValue::from_str(route.subject()));
        let answer = self
            .authorize
            .call2(&JsValue::UNDEFINED, request, &context.into_value())
            .map_err(|_| refused())?;
        // An answer given at once needs no wait; only an object or a
        // function may be a thenable.
        if !answer.is_object() && !answer.is_function() {
            return if answer.as_bool() == Some(true) {
                Ok(())
            } else {
                Err(refused())
            };
        }
        let promise = promise_resolve(&answer).map_err(|_| refused())?;
        match Deadline::start(self.authorize_timeout_ms, None)
            .settle(&promise)
            .await
        {
            Some(Settled::Resolved(value)) if value.as_bool() == Some(true) => Ok(()),
            _ => Err(refused()),
        }
    }

    /// The policy this proxy validates with, as Zoom's settings answer
    /// writes it (the page's `fetchPasswordPolicy` reads it as Zoom's).
    async fn read_policy(&self, transport: &Transport) -> Answer {
        match self.policy(transport).await {
            Ok((_, requirement)) => {
                let requirement = if requirement.is_undefined() {
                    js_sys::Object::new().into()
                } else {
                    requirement
                };
                let security = JsObject::new();
                security.set("password_requirement", requirement);
                let settings = JsObject::new();
                settings.set("security", security.into_value());
                Answer::json(200, &settings.into_value(), "ok", JsValue::NULL)
            }
            Err(refusal) => Answer::refused(refusal),
        }
    }

    /// The Zoom calls for one page request: a token function is asked with
    /// the request beside `refresh` (so it may answer with the signed-in
    /// user's own token).
    fn transport_for(&self, request: &JsValue) -> Transport {
        Transport {
            token: self.transport.token.for_request(request),
            ..self.transport.clone()
        }
    }

    /// The policy and its JS value; for `"account"`, read from Zoom (kept
    /// for 10 minutes: one proxy serves one account). A policy that cannot
    /// be read fails the request, never an empty one.
    async fn policy(&self, transport: &Transport) -> Result<(Policy, JsValue), Refusal> {
        match &self.policy {
            // The value only answers the read_policy route: `undefined`
            // here, `{}` there, rather than an object made per change.
            PolicySource::Basic => Ok((Policy::BASIC, JsValue::UNDEFINED)),
            PolicySource::Fixed(policy, value) => Ok((*policy, value.clone())),
            PolicySource::Account(cache) => {
                if let Some((policy, value, until)) = &*cache.borrow() {
                    if now_ms() < *until {
                        return Ok((*policy, value.clone()));
                    }
                }
                let unavailable = || {
                    Refusal::new(
                        RefusalKind::PolicyUnavailable,
                        "The account's password policy could not be read; nothing was sent.",
                    )
                };
                let value = account_policy(transport, "me")
                    .await
                    .map_err(|_| unavailable())?;
                let policy = read_policy(&value).map_err(|_| unavailable())?;
                cache.replace(Some((policy, value.clone(), now_ms() + POLICY_TTL_MS)));
                Ok((policy, value))
            }
        }
    }

    async fn update_password(
        &self,
        request: &JsValue,
        user_id: &str,
        content_type: Option<&str>,
        content_length: Option<&str>,
    ) -> Answer {
        let transport = self.transport_for(request);
        let change = async {
            let body = read_body(request, content_length).await?;
            let password = read_password_field(content_type, &body)?;
            // A well-formed attempt counts, whatever its password.
            self.admit(request, user_id)?;
            let (policy, _) = self.policy(&transport).await?;
            Ok::<_, Refusal>((password, policy))
        };
        let (password, policy) = match change.await {
            Ok(parts) => parts,
            Err(refusal) => return Answer::refused(refusal),
        };
        let settings = ChangeSettings {
            policy,
            validate: true,
            maybe_applied: false,
            breach_check: self.breach_check.clone(),
        };
        let change = PasswordChange::from_text(user_id, password, settings);
        match change.send(&transport, None).await {
            Ok(_) => Answer::empty(204, "ok", JsValue::NULL),
            Err(failure) => Answer::from_failure(&failure),
        }
    }

    /// Counts the attempt against the user's and the caller's limits.
    fn admit(&self, request: &JsValue, user_id: &str) -> Result<(), Refusal> {
        let now = now_ms() as u64;
        let limits = self.limits;
        if let Some(caller_id) = &self.caller_id {
            // A caller the application cannot name is refused, not uncounted.
            let caller = caller_id
                .call1(&JsValue::UNDEFINED, request)
                .ok()
                .and_then(|value| well_formed_string(&value))
                .ok_or_else(|| {
                    Refusal::new(
                        RefusalKind::NotAuthorized,
                        "The caller could not be identified.",
                    )
                })?;
            self.callers
                .borrow_mut()
                .admit(&caller, now, limits.per_caller, limits.window_ms)
                .map_err(Refusal::over_limit)?;
        }
        self.users
            .borrow_mut()
            .admit(&user_key(user_id), now, limits.per_user, limits.window_ms)
            .map_err(Refusal::over_limit)
    }
}

/// The request's body, stopped past [`MAX_BODY_BYTES`] (a `Content-Length`
/// over it is refused unread; a smaller one is not trusted).
async fn read_body(request: &JsValue, content_length: Option<&str>) -> Result<Vec<u8>, Refusal> {
    let too_large = || Refusal::new(RefusalKind::BodyTooLarge, "The request body is too large.");
    let malformed = || {
        Refusal::new(
            RefusalKind::MalformedBody,
            "The request body could not be read.",
        )
    };
    if content_length
        .and_then(|length| length.trim().parse::<u64>().ok())
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let stream = request
        .unchecked_ref::<RequestLike>()
        .body()
        .map_err(|_| malformed())?;
    if stream.is_null() || stream.is_undefined() {
        return Ok(Vec::new());
    }
    let reader = stream
        .unchecked_ref::<StreamLike>()
        .get_reader()
        .map_err(|_| malformed())?;
    let mut body = Vec::new();
    // The whole body within BODY_TIMEOUT_MS, however it is split.
    let deadline = Deadline::start(BODY_TIMEOUT_MS, None);
    loop {
        let chunk = reader
            .read()
            .and_then(|value| promise_resolve(&value))
            .map_err(|_| malformed())?;
        let chunk = match deadline.settle(&chunk).await {
            Some(Settled::Resolved(chunk)) => chunk,
            _ => {
                let _ = reader.cancel();
                return Err(malformed());
            }
        };
        if property(&chunk, "done").as_bool() == Some(true) {
            return Ok(body);
        }
        let bytes: Uint8Array = property(&chunk, "value")
            .dyn_into()
            .map_err(|_| malformed())?;
        if body.len() + bytes.length() as usize > MAX_BODY_BYTES {
            // Stop reading: the rest is never pulled in.
            let _ = reader.cancel();
            return Err(too_large());
        }
        body.extend(bytes.to_vec());
    }
}

/// `/zoom`: a path of plain segments, no trailing slash.
fn check_mount(mount: String) -> Result<String, Failure> {
    let plain = mount.len() > 1
        && mount.starts_with('/')
        && !mount.ends_with('/')
        && !crate::core::text::contains(&mount, "//")
        && mount
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~'))
        && !mount
            .split('/')
            .any(|segment| segment == "." || segment == "..");
    if plain {
        Ok(mount)
    } else {
        Err(Failure::invalid_options(
            "mount",
            "mount must be a path such as \"/zoom\": plain segments, no trailing slash.",
        ))
    }
}

/// `allowedOrigins`: origins such as `"https://admin.example.com"`.
fn read_origins(value: &JsValue) -> Result<Vec<String>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let refused = || {
        Failure::invalid_options(
            "allowedOrigins",
            "allowedOrigins must be an array of origins such as \"https://admin.example.com\".",
        )
    };
    if !is_array(value) {
        return Err(refused());
    }
    let array: &js_sys::Array = value.unchecked_ref();
    array
        .iter()
        .map(|origin| {
            well_formed_string(&origin)
                .filter(|origin| is_origin(origin))
                .ok_or_else(refused)
        })
        .collect()
}

/// `limits`: `{ perUser, perCaller, windowMs }`, each a positive integer.
fn read_limits(value: &JsValue) -> Result<Limits, Failure> {
    let Some(bag) = OptionBag::optional(value, "limits")? else {
        return Ok(Limits::DEFAULT);
    };
    let bag = bag.only(&[&LIMIT_OPTIONS])?;
    let [per_user, per_caller, window_ms] = LIMIT_OPTIONS;
    let defaults = Limits::DEFAULT;
    // Each at most its declared maximum, so the narrowing casts are exact.
    Ok(Limits {
        per_user: bag.whole(per_user)?.map_or(defaults.per_user, |n| n as u32),
        per_caller: bag
            .whole(per_caller)?
            .map_or(defaults.per_caller, |n| n as u32),
        window_ms: bag.whole(window_ms)?.unwrap_or(defaults.window_ms),
    })
}

/// What the proxy answers, and what its audit event says of it.
struct Answer {
    status: u16,
    /// JSON text, or none (204).
    body: Option<JsValue>,
    headers: Vec<(&'static str, String)>,
    /// `ok` (done), `refused` (by the proxy, nothing sent), `failed` (Zoom
    /// or the network said no).
    outcome: &'static str,
    kind: JsValue,
}

impl Answer {
    fn empty(status: u16, outcome: &'static str, kind: JsValue) -> Answer {
        Answer {
            status,
            body: None,
            headers: Vec::new(),
            outcome,
            kind,
        }
    }

    fn json(status: u16, value: &JsValue, outcome: &'static str, kind: JsValue) -> Answer {
        Answer {
            body: super::js::json_stringify(value).ok(),
            ..Answer::empty(status, outcome, kind)
        }
    }

    /// A refusal, in Zoom's `{ code, message, errors? }` shape.
    fn refused(refusal: Refusal) -> Answer {
        let body = zoom_body(refusal.code, refusal.message, &refusal.errors);
        let mut answer = Answer::json(
            refusal.status,
            &body,
            "refused",
            refusal.kind.as_str().into(),
        );
        if let Some(seconds) = refusal.retry_after_seconds {
            answer
                .headers
                .push(("retry-after", crate::core::text::decimal(seconds)));
        }
        answer
    }

    /// The change's failure as the page should see it: Zoom's status, its
    /// (redacted) body and its rate headers; a refusal before sending as
    /// the proxy's own; no answer at all as a gateway error.
    fn from_failure(call: &CallFailure) -> Answer {
        let failure = &call.failure;
        if call.attempts == 0 && failure.kind == ErrorKind::InvalidPassword {
            let mut answer = Answer::refused(Refusal::invalid_password(&failure.violations));
            answer.kind = JsValue::from_str(failure.kind.as_str());
            return answer;
        }
        let (status, code) = match failure.status {
            Some(status) => (status, failure.zoom_code.unwrap_or(u32::from(status))),
            None if call.attempts == 0 => (503, 503),
            None if failure.kind == ErrorKind::Timeout => (504, 504),
            None => (502, 502),
        };
        let body = zoom_body(code, &failure.message, &failure.field_errors);
        let mut answer = Answer::json(status, &body, "failed", failure.kind.as_str().into());
        answer.headers = call.zoom_headers.clone();
        answer
    }

    fn into_response(self) -> JsValue {
        let headers = JsObject::new();
        if self.body.is_some() {
            headers.set("Content-Type", "application/json; charset=utf-8");
        }
        headers.set("Cache-Control", "no-store");
        for (name, value) in &self.headers {
            headers.set(name, JsValue::from_str(value));
        }
        let init = JsObject::new();
        init.set("status", self.status)
            .set("headers", headers.into_value());
        let body = self.body.unwrap_or(JsValue::NULL);
        ResponseValue::new(&body, &init.into_value())
            .map(JsValue::from)
            .unwrap_or(JsValue::NULL)
    }
}

/// `{ code, message, errors? }`, as Zoom writes its error bodies.
fn zoom_body(code: u32, message: &str, errors: &[crate::core::error::FieldError]) -> JsValue {
    let body = JsObject::new();
    body.set("code", code).set("message", message);
    if !errors.is_empty() {
        let list = js_sys::Array::new();
        for error in errors {
            let entry = JsObject::new();
            entry
                .set("field", &*error.field)
                .set("message", &*error.message);
            list.push(&entry.into_value());
        }
        body.set("errors", list);
    }
    body.into_value()
}
