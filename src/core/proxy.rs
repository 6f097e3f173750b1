//! The password proxy's decisions (`createPasswordProxy`), pure and with the
//! time passed in: which route a request names, whether its origin may use
//! it, what its body holds, and whether a user or a caller is over its
//! limit. `bindings/proxy.rs` wires them to `Request` and `Response`.
//!
//! A page calls the proxy exactly as it would call Zoom with `baseUrl` set
//! to the mount: `PUT {mount}/users/{userId}/password` and
//! `GET {mount}/accounts/{id}/settings?option=security`. Everything else is
//! refused here, before anything reaches Zoom, with the documented status
//! and a `{ code, message }` body in Zoom's own shape.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;

use fnv::FnvHasher;

use crate::core::error::FieldError;
use crate::core::password::Check;
use crate::core::request::{check_absolute_url, check_user_id};

/// Where the proxy answers unless told otherwise.
pub const DEFAULT_MOUNT: &str = "/zoom";
/// The largest request body read: a password field in multipart or JSON
/// needs a few hundred bytes; anything past this is not read at all.
pub const MAX_BODY_BYTES: usize = 4096;
/// Zoom's code for a malformed request or failed validation.
pub const VALIDATION_CODE: u32 = 300;

/// What a request asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    UpdatePassword { user_id: String },
    ReadPolicy { account_id: String },
}

impl Route {
    /// `authorize`'s `action`.
    pub fn action(&self) -> &'static str {
        match self {
            Route::UpdatePassword { .. } => "update_password",
            Route::ReadPolicy { .. } => "read_policy",
        }
    }

    /// `authorize`'s `userId`: the decoded user id, or the account id.
    pub fn subject(&self) -> &str {
        match self {
            Route::UpdatePassword { user_id } => user_id,
            Route::ReadPolicy { account_id } => account_id,
        }
    }
}

/// Why the proxy refused, as the audit event's `kind` says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    NotFound,
    MethodOverride,
    CrossSite,
    NotAuthorized,
    BodyTooLarge,
    UnsupportedMediaType,
    MalformedBody,
    InvalidPassword,
    OverLimit,
    PolicyUnavailable,
}

impl RefusalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalKind::NotFound => "not_found",
            RefusalKind::MethodOverride => "method_override",
            RefusalKind::CrossSite => "cross_site",
            RefusalKind::NotAuthorized => "not_authorized",
            RefusalKind::BodyTooLarge => "body_too_large",
            RefusalKind::UnsupportedMediaType => "unsupported_media_type",
            RefusalKind::MalformedBody => "malformed_body",
            RefusalKind::InvalidPassword => "invalid_password",
            RefusalKind::OverLimit => "over_limit",
            RefusalKind::PolicyUnavailable => "policy_unavailable",
        }
    }

    /// The HTTP status and the `code` of the body.
    fn status_and_code(self) -> (u16, u32) {
        match self {
            RefusalKind::NotFound => (404, 404),
            RefusalKind::MethodOverride
            | RefusalKind::MalformedBody
            | RefusalKind::InvalidPassword => (400, VALIDATION_CODE),
            RefusalKind::CrossSite | RefusalKind::NotAuthorized => (403, 403),
            RefusalKind::BodyTooLarge => (413, 413),
            RefusalKind::UnsupportedMediaType => (415, 415),
            RefusalKind::OverLimit => (429, 429),
            RefusalKind::PolicyUnavailable => (503, 503),
        }
    }
}

/// A refusal, whole: the status, the `{ code, message, errors? }` body and,
/// over a limit, when to try again. It never holds the password, a token
/// or the request's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub status: u16,
    pub code: u32,
    pub message: &'static str,
    /// For failed validation: one entry per violated rule, `field` the rule id.
    pub errors: Vec<FieldError>,
    pub retry_after_seconds: Option<u64>,
}

impl Refusal {
    pub fn new(kind: RefusalKind, message: &'static str) -> Refusal {
        let (status, code) = kind.status_and_code();
        Refusal {
            kind,
            status,
            code,
            message,
            errors: Vec::new(),
            retry_after_seconds: None,
        }
    }

    fn not_found() -> Refusal {
        Refusal::new(RefusalKind::NotFound, "Not found.")
    }

    fn malformed(message: &'static str) -> Refusal {
        Refusal::new(RefusalKind::MalformedBody, message)
    }

    /// The password failed validation on the server: `errors` lists the
    /// violated rules (`field` the rule id, `message` its checklist line).
    pub fn invalid_password(violations: &[Check]) -> Refusal {
        Refusal {
            errors: violations
                .iter()
                .map(|check| FieldError {
                    field: Cow::Borrowed(check.rule.as_str()),
                    message: check.message.clone(),
                })
                .collect(),
            ..Refusal::new(RefusalKind::InvalidPassword, "Validation Failed.")
        }
    }

    /// Over a limit: try again after `retry_after_ms` (whole seconds, up).
    pub fn over_limit(retry_after_ms: u64) -> Refusal {
        Refusal {
            retry_after_seconds: Some(retry_after_ms.div_ceil(1000).max(1)),
            ..Refusal::new(
                RefusalKind::OverLimit,
                "Too many password changes for this user or caller; try again later.",
            )
        }
    }
}

/// Headers that ask a server to treat a request as another method: a
/// request that carries one is refused, never reinterpreted.
pub const METHOD_OVERRIDE_HEADERS: [&str; 3] = [
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

pub fn method_override_refusal() -> Refusal {
    Refusal::new(
        RefusalKind::MethodOverride,
        "Method-override headers are not accepted.",
    )
}

/// The route `method` and `target` name under `mount`. `target` is the
/// request-target as the server received it (origin-form: a path and an
/// optional query); anything else is 404: other methods, other paths, an
/// absolute-form target, empty, `.` or `..` segments, an encoded `/` or
/// `\`, double encoding (`%25`), a fragment, a user id in the query.
pub fn route(method: &str, target: &str, mount: &str) -> Result<Route, Refusal> {
    let not_found = Refusal::not_found;
    if !target.starts_with('/') || target.contains('#') {
        return Err(not_found());
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let rest = path
        .strip_prefix(mount)
        .and_then(|rest| rest.strip_prefix('/'))
        .ok_or_else(not_found)?;
    let mut segments = rest.split('/');
    let (Some(first), Some(id), Some(last), None) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        return Err(not_found());
    };
    let id = decode_segment(id).ok_or_else(not_found)?;
    match (method, first, last, query) {
        ("PUT", "users", "password", None) => {
            check_user_id(&id).map_err(|_| not_found())?;
            Ok(Route::UpdatePassword { user_id: id })
        }
        ("GET", "accounts", "settings", Some("option=security")) => {
            check_user_id(&id).map_err(|_| not_found())?;
            Ok(Route::ReadPolicy { account_id: id })
        }
        _ => Err(not_found()),
    }
}

/// One path segment, percent-decoded once: `None` for `.` or `..`, an
/// encoded `/` or `\`, an encoded `%` (double encoding), a malformed
/// escape, a character a request-target may not carry raw, or a result
/// that is not UTF-8.
pub fn decode_segment(segment: &str) -> Option<String> {
    if segment.is_empty() || segment == "." || segment == ".." {
        return None;
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            let high = hex_value(*bytes.get(i + 1)?)?;
            let low = hex_value(*bytes.get(i + 2)?)?;
            let decoded = high << 4 | low;
            if matches!(decoded, b'/' | b'\\' | b'%') {
                return None;
            }
            out.push(decoded);
            i += 3;
        } else if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte);
            i += 1;
        } else {
            return None;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (decoded != "." && decoded != "..").then_some(decoded)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// `scheme://host[:port]` and the rest (path and query) of an absolute URL,
/// such as a Request's `url`; a URL without `://` is all rest.
pub fn split_origin(url: &str) -> (&str, &str) {
    let Some(after_scheme) = crate::core::text::find(url, "://").map(|at| at + 3) else {
        return ("", url);
    };
    let path_at = url
        .get(after_scheme..)
        .and_then(|rest| rest.find('/'))
        .map_or(url.len(), |at| after_scheme + at);
    (
        url.get(..path_at).unwrap_or(""),
        url.get(path_at..).unwrap_or(""),
    )
}

/// An `allowedOrigins` entry: `http(s)://host[:port]` exactly, nothing after
/// it, a host this crate would contact.
pub fn is_origin(text: &str) -> bool {
    let (origin, rest) = split_origin(text);
    rest.is_empty()
        && (origin.starts_with("https://") || origin.starts_with("http://"))
        && check_absolute_url("allowedOrigins", text).is_ok()
}

/// Whether a browser's request may use the proxy: `Sec-Fetch-Site:
/// cross-site` never; an `Origin` must be the request's own or one of
/// `allowed`. A request without `Origin` (not a browser's cross-origin or
/// state-changing one) passes here; `authorize` decides who it is.
pub fn origin_allowed(
    origin: Option<&str>,
    fetch_site: Option<&str>,
    own_origin: &str,
    allowed: &[String],
) -> Result<(), Refusal> {
    let cross_site = || {
        Refusal::new(
            RefusalKind::CrossSite,
            "Cross-site requests are not accepted.",
        )
    };
    if fetch_site.is_some_and(|site| site.eq_ignore_ascii_case("cross-site")) {
        return Err(cross_site());
    }
    match origin {
        None => Ok(()),
        Some(origin)
            if origin.eq_ignore_ascii_case(own_origin)
                || allowed.iter().any(|a| a.eq_ignore_ascii_case(origin)) =>
        {
            Ok(())
        }
        Some(_) => Err(cross_site()),
    }
}

/// The one `password` field of a request body, multipart (as this
/// package's FormData sends it) or JSON (`{"password": "..."}`), at most
/// [`MAX_BODY_BYTES`]. A second field, another field, a file, a duplicate
/// member or anything malformed is refused: the proxy rebuilds the request
/// from this one value.
pub fn read_password_field(content_type: Option<&str>, body: &[u8]) -> Result<String, Refusal> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Refusal::new(
            RefusalKind::BodyTooLarge,
            "The request body is too large.",
        ));
    }
    let unsupported = || {
        Refusal::new(
            RefusalKind::UnsupportedMediaType,
            "The body must be multipart/form-data or application/json.",
        )
    };
    let (media_type, parameters) = parse_content_type(content_type.ok_or_else(unsupported)?);
    if media_type.eq_ignore_ascii_case("multipart/form-data") {
        let boundary = parameters
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
            .map(|(_, value)| value.as_str())
            .filter(|boundary| (1..=70).contains(&boundary.len()))
            .ok_or_else(|| Refusal::malformed("The multipart body has no usable boundary."))?;
        read_multipart_password(body, boundary)
    } else if media_type.eq_ignore_ascii_case("application/json") {
        let charset_ok = parameters.iter().all(|(name, value)| {
            !name.eq_ignore_ascii_case("charset") || value.eq_ignore_ascii_case("utf-8")
        });
        if !charset_ok {
            return Err(unsupported());
        }
        let text = std::str::from_utf8(body)
            .map_err(|_| Refusal::malformed("The JSON body is not UTF-8."))?;
        read_json_password(text)
    } else {
        Err(unsupported())
    }
}

/// `type/subtype` and its `name=value` parameters (a quoted value unquoted).
fn parse_content_type(value: &str) -> (&str, Vec<(String, String)>) {
    let mut parts = value.split(';');
    let media_type = parts.next().unwrap_or("").trim();
    let parameters = parts
        .filter_map(|part| {
            let (name, value) = part.split_once('=')?;
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            Some((name.trim().to_owned(), value.to_owned()))
        })
        .collect();
    (media_type, parameters)
}

/// Exactly one part, `Content-Disposition: form-data; name="password"`
/// without a filename (and at most a `Content-Type: text/plain`), its
/// value UTF-8.
fn read_multipart_password(body: &[u8], boundary: &str) -> Result<String, Refusal> {
    let malformed = || Refusal::malformed("The body must hold exactly one field, password.");
    let rest = body
        .strip_prefix(b"--")
        .and_then(|rest| rest.strip_prefix(boundary.as_bytes()))
        .and_then(|rest| rest.strip_prefix(b"\r\n"))
        .ok_or_else(malformed)?;
    let header_end = find_bytes(rest, b"\r\n\r\n").ok_or_else(malformed)?;
    let (headers, value_and_rest) = rest.split_at(header_end);
    let value_and_rest = value_and_rest.get(4..).unwrap_or_default();
    let headers = std::str::from_utf8(headers).map_err(|_| malformed())?;
    let mut named_password = false;
    // Header lines end with CRLF; a bare CR or LF inside one is refused below.
    for line in headers.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.contains('\r') {
            return Err(malformed());
        }
        let (name, value) = line.split_once(':').ok_or_else(malformed)?;
        let name = name.trim();
        if name.eq_ignore_ascii_case("content-disposition") && !named_password {
            named_password = is_password_disposition(value);
            if !named_password {
                return Err(malformed());
            }
        } else if name.eq_ignore_ascii_case("content-type") {
            let (media_type, _) = parse_content_type(value);
            if !media_type.eq_ignore_ascii_case("text/plain") {
                return Err(malformed());
            }
        } else {
            return Err(malformed());
        }
    }
    if !named_password {
        return Err(malformed());
    }
    let mut closing = Vec::with_capacity(boundary.len() + 4);
    closing.extend_from_slice(b"\r\n--");
    closing.extend_from_slice(boundary.as_bytes());
    let value_end = find_bytes(value_and_rest, &closing).ok_or_else(malformed)?;
    let (value, after) = value_and_rest.split_at(value_end);
    // The next delimiter must close the body: a second part is a second field.
    if !after
        .get(closing.len()..)
        .is_some_and(|after| after.starts_with(b"--"))
    {
        return Err(malformed());
    }
    String::from_utf8(value.to_vec()).map_err(|_| malformed())
}

/// `form-data; name="password"`, and no `filename` (a file is not a password).
fn is_password_disposition(value: &str) -> bool {
    let (kind, parameters) = parse_content_type(value);
    kind.eq_ignore_ascii_case("form-data")
        && parameters.len() == 1
        && parameters[0].0.eq_ignore_ascii_case("name")
        && parameters[0].1 == "password"
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `{"password": "..."}` and nothing else: one member, a string. Read here
/// rather than by `JSON.parse` or serde_json's `Value`, which keep one of two
/// duplicate members silently; `{"password":"a","password":"b"}` must be
/// refused, not read as either.
fn read_json_password(text: &str) -> Result<String, Refusal> {
    let malformed =
        || Refusal::malformed("The body must be {\"password\": \"...\"} and nothing else.");
    let mut reader = JsonReader { text, at: 0 };
    reader.consume(b'{').ok_or_else(malformed)?;
    let key = reader.string().ok_or_else(malformed)?;
    if key != "password" {
        return Err(malformed());
    }
    reader.consume(b':').ok_or_else(malformed)?;
    let password = reader.string().ok_or_else(malformed)?;
    reader.consume(b'}').ok_or_else(malformed)?;
    reader.skip_whitespace();
    if reader.at != text.len() {
        return Err(malformed());
    }
    Ok(password)
}

/// A cursor over JSON text, for the one shape above (RFC 8259 strings).
struct JsonReader<'a> {
    text: &'a str,
    at: usize,
}

impl JsonReader<'_> {
    fn skip_whitespace(&mut self) {
        while matches!(
            self.text.as_bytes().get(self.at),
            Some(b' ' | b'\t' | b'\n' | b'\r')
        ) {
            self.at += 1;
        }
    }

    fn consume(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.text.as_bytes().get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    fn string(&mut self) -> Option<String> {
        self.consume(b'"')?;
        let mut out = String::new();
        loop {
            let c = self.text.get(self.at..)?.chars().next()?;
            self.at += c.len_utf8();
            match c {
                '"' => return Some(out),
                '\\' => out.push(self.escape()?),
                '\u{0}'..='\u{1f}' => return None,
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        let c = *self.text.as_bytes().get(self.at)?;
        self.at += 1;
        Some(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate must be followed by its low one.
                    if self.text.get(self.at..self.at + 2)? != "\\u" {
                        return None;
                    }
                    self.at += 2;
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))?
                } else {
                    char::from_u32(first)?
                }
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        self.at += 4;
        digits
            .bytes()
            .try_fold(0u32, |n, digit| Some(n << 4 | u32::from(hex_value(digit)?)))
    }
}

/// How many attempts a user (the target of a change) and a caller (who
/// `callerId` names) may make within `window_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub per_user: u32,
    pub per_caller: u32,
    pub window_ms: u64,
}

impl Limits {
    /// 5 changes of one user and 20 by one caller per 15 minutes: a person
    /// retrying a refused password stays well inside; a script trying every
    /// user, or one user's password over and over, does not.
    pub const DEFAULT: Limits = Limits {
        per_user: 5,
        per_caller: 20,
        window_ms: 15 * 60 * 1000,
    };
}

/// Keys tracked at most by one [`Window`]: past this, with none expired,
/// new keys are refused (fail closed) rather than old ones forgotten.
pub const MAX_KEYS: usize = 10_000;

/// Attempts per key within a sliding window, with the time passed in.
#[derive(Debug, Default)]
pub struct Window {
    /// FNV rather than std's SipHash: the keys are user and caller ids the
    /// application has already authorized, and in wasm std's hasher has no
    /// random keys to make it DoS-resistant anyway.
    attempts: HashMap<String, VecDeque<u64>, BuildHasherDefault<FnvHasher>>,
}

impl Window {
    /// Counts an attempt for `key` at `now_ms` if fewer than `limit` were
    /// made in the last `window_ms`; else `Err(ms until one expires)`.
    pub fn admit(&mut self, key: &str, now_ms: u64, limit: u32, window_ms: u64) -> Result<(), u64> {
        let since = now_ms.saturating_sub(window_ms);
        if !self.attempts.contains_key(key) && self.attempts.len() >= MAX_KEYS {
            self.attempts
                .retain(|_, times| times.back().is_some_and(|&last| last > since));
            if self.attempts.len() >= MAX_KEYS {
                return Err(window_ms);
            }
        }
        let times = self.attempts.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|&first| first <= since) {
            times.pop_front();
        }
        if times.len() >= limit as usize {
            let oldest = times.front().copied().unwrap_or(now_ms);
            return Err((oldest + window_ms).saturating_sub(now_ms).max(1));
        }
        times.push_back(now_ms);
        Ok(())
    }
}

/// The key a user is counted under: an email address without ASCII case
/// (as Zoom compares them), an id or `me` exactly.
pub fn user_key(user_id: &str) -> String {
    if user_id.contains('@') {
        user_id.to_ascii_lowercase()
    } else {
        user_id.to_owned()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn update(user_id: &str) -> Route {
        Route::UpdatePassword {
            user_id: user_id.into(),
        }
    }

    #[test]
    fn exactly_the_two_routes_this_package_calls() {
        assert_eq!(
            route("PUT", "/zoom/users/ada%40x.com/password", "/zoom"),
            Ok(update("ada@x.com"))
        );
        assert_eq!(
            route("PUT", "/zoom/users/me/password", "/zoom"),
            Ok(update("me"))
        );
        assert_eq!(
            route("PUT", "/zoom/users/a%2Bb%40x.com/password", "/zoom"),
            Ok(update("a+b@x.com"))
        );
        assert_eq!(
            route("GET", "/zoom/accounts/me/settings?option=security", "/zoom"),
            Ok(Route::ReadPolicy {
                account_id: "me".into()
            })
        );
        assert_eq!(
            route("PUT", "/api/zoom/users/me/password", "/api/zoom"),
            Ok(update("me"))
        );
        let refused = [
            ("GET", "/zoom/users/me/password"),
            ("POST", "/zoom/users/me/password"),
            ("HEAD", "/zoom/users/me/password"),
            ("OPTIONS", "/zoom/users/me/password"),
            ("TRACE", "/zoom/users/me/password"),
            ("PATCH", "/zoom/users/me/password"),
            ("put", "/zoom/users/me/password"),
            ("PUT", "/zoom/users/me/password?userId=ada@x.com"),
            ("PUT", "/zoom/users/me/password/"),
            ("PUT", "/zoom/users/me/password#x"),
            ("PUT", "/zoom/users//password"),
            ("PUT", "/zoom/users/./password"),
            ("PUT", "/zoom/users/../password"),
            ("PUT", "/zoom/users/%2e%2e/password"),
            ("PUT", "/zoom/users/%2E/password"),
            ("PUT", "/zoom/users/a%2Fb/password"),
            ("PUT", "/zoom/users/a%5Cb/password"),
            ("PUT", "/zoom/users/a%252e/password"),
            ("PUT", "/zoom/users/a%2/password"),
            ("PUT", "/zoom/users/a%zz/password"),
            ("PUT", "/zoom/users/%ff/password"),
            ("PUT", "/zoom/users/a b/password"),
            ("PUT", "/zoom/users/a%20/password"),
            ("PUT", "/zoom/users/%00x/password"),
            ("PUT", "/zoom/users/me/settings"),
            ("PUT", "/zoom/accounts/me/password"),
            ("PUT", "/zoom/v2/users/me/password"),
            ("PUT", "/ZOOM/users/me/password"),
            ("PUT", "/zoomx/users/me/password"),
            ("PUT", "http://evil.example/zoom/users/me/password"),
            ("PUT", "//evil.example/zoom/users/me/password"),
            ("PUT", "*"),
            ("PUT", ""),
            ("GET", "/zoom/accounts/me/settings"),
            ("GET", "/zoom/accounts/me/settings?option=security&x=1"),
            ("GET", "/zoom/accounts/me/settings?option=meeting"),
            ("PUT", "/zoom/accounts/me/settings?option=security"),
            ("GET", "/zoom/users/me"),
            ("GET", "/zoom"),
        ];
        for (method, target) in refused {
            let refusal = route(method, target, "/zoom").unwrap_err();
            assert_eq!(
                (refusal.status, refusal.code),
                (404, 404),
                "{method} {target}"
            );
            assert_eq!(refusal.kind, RefusalKind::NotFound);
        }
        let long = "a".repeat(129);
        assert!(route("PUT", &format!("/zoom/users/{long}/password"), "/zoom").is_err());
    }

    #[test]
    fn a_segment_decodes_once() {
        assert_eq!(decode_segment("caf%C3%A9"), Some("café".into()));
        assert_eq!(
            decode_segment("a~b_c.d-e!$&'()*+,;=:@"),
            Some("a~b_c.d-e!$&'()*+,;=:@".into())
        );
        for bad in [
            "", ".", "..", "%2e", "%2E%2e", "%25", "%2f", "%5c", "%", "%4", "%g0", "%c3", "a\"b",
            "a<b", "a\\b",
        ] {
            assert_eq!(decode_segment(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_request_url_splits_into_its_origin_and_target() {
        assert_eq!(
            split_origin("https://admin.example.com:8443/zoom/users/a%40b/password?x=1"),
            (
                "https://admin.example.com:8443",
                "/zoom/users/a%40b/password?x=1"
            )
        );
        assert_eq!(
            split_origin("http://127.0.0.1:9"),
            ("http://127.0.0.1:9", "")
        );
        assert_eq!(split_origin("/zoom/users"), ("", "/zoom/users"));
    }

    #[test]
    fn allowed_origins_are_bare_web_origins() {
        for origin in [
            "https://admin.example.com",
            "http://localhost:5173",
            "https://a.example:8443",
        ] {
            assert!(is_origin(origin), "{origin}");
        }
        for not_origin in [
            "https://admin.example.com/",
            "https://admin.example.com/path",
            "admin.example.com",
            "ftp://files.example.com",
            "http://admin.example.com",
            "https://user@admin.example.com",
            "",
        ] {
            assert!(!is_origin(not_origin), "{not_origin}");
        }
    }

    #[test]
    fn origins_and_fetch_metadata() {
        let own = "https://app.example";
        let allowed = vec!["https://admin.example".to_owned()];
        assert!(origin_allowed(None, None, own, &allowed).is_ok());
        assert!(origin_allowed(
            Some("https://app.example"),
            Some("same-origin"),
            own,
            &allowed
        )
        .is_ok());
        assert!(origin_allowed(Some("HTTPS://APP.EXAMPLE"), None, own, &allowed).is_ok());
        assert!(origin_allowed(
            Some("https://admin.example"),
            Some("same-site"),
            own,
            &allowed
        )
        .is_ok());
        for (origin, site) in [
            (Some("https://evil.example"), None),
            (Some("null"), None),
            (Some("https://app.example"), Some("cross-site")),
            (None, Some("cross-site")),
            (Some("http://app.example"), None),
            (Some("https://app.example:8443"), None),
        ] {
            let refusal = origin_allowed(origin, site, own, &allowed).unwrap_err();
            assert_eq!(
                (refusal.status, refusal.kind),
                (403, RefusalKind::CrossSite),
                "{origin:?} {site:?}"
            );
        }
    }

    fn multipart(boundary: &str, parts: &[(&str, &str)]) -> Vec<u8> {
        let mut body = String::new();
        for (headers, value) in parts {
            body.push_str(&format!("--{boundary}\r\n{headers}\r\n\r\n{value}\r\n"));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        body.into_bytes()
    }

    const FORM: &str = "multipart/form-data; boundary=XyZ";
    const PASSWORD: (&str, &str) = (
        "Content-Disposition: form-data; name=\"password\"",
        "Good-Pass-123x!",
    );

    #[test]
    fn one_password_field_in_multipart() {
        assert_eq!(
            read_password_field(Some(FORM), &multipart("XyZ", &[PASSWORD])),
            Ok("Good-Pass-123x!".into())
        );
        // As undici and browsers write it: a quoted boundary, a trailing CRLF or none.
        let undici = b"------formdata-undici-0123\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nS p a c e \xc3\xa9\r\n------formdata-undici-0123--";
        assert_eq!(
            read_password_field(
                Some("multipart/form-data; boundary=\"----formdata-undici-0123\""),
                undici
            ),
            Ok("S p a c e é".into())
        );
        let with_type = multipart("XyZ", &[("Content-Disposition: form-data; name=\"password\"\r\nContent-Type: text/plain; charset=utf-8", "Pass-1234Ab")]);
        assert_eq!(
            read_password_field(Some(FORM), &with_type),
            Ok("Pass-1234Ab".into())
        );
        // A value may hold CR, LF and the boundary's text: only CRLF + delimiter ends it.
        let tricky = multipart(
            "XyZ",
            &[(
                "Content-Disposition: form-data; name=\"password\"",
                "a\r\nb--XyZ c",
            )],
        );
        assert_eq!(
            read_password_field(Some(FORM), &tricky),
            Ok("a\r\nb--XyZ c".into())
        );

        let refused: Vec<Vec<u8>> = vec![
            multipart("XyZ", &[PASSWORD, PASSWORD]),
            multipart("XyZ", &[PASSWORD, ("Content-Disposition: form-data; name=\"other\"", "x")]),
            multipart("XyZ", &[("Content-Disposition: form-data; name=\"other\"", "x"), PASSWORD]),
            multipart("XyZ", &[("Content-Disposition: form-data; name=\"password\"; filename=\"p.txt\"", "x")]),
            multipart("XyZ", &[("Content-Disposition: form-data; name=\"Password\"", "x")]),
            multipart("XyZ", &[("Content-Disposition: attachment; name=\"password\"", "x")]),
            multipart("XyZ", &[("Content-Disposition: form-data; name=\"password\"\r\nContent-Type: application/octet-stream", "x")]),
            multipart("XyZ", &[("Content-Disposition: form-data; name=\"password\"\r\nX-Other: 1", "x")]),
            multipart("XyZ", &[("Content-Type: text/plain", "x")]),
            multipart("XyZ", &[]),
            multipart("Other", &[PASSWORD]),
            b"--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nno end".to_vec(),
            b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nx\r\n--XyZ--".to_vec(),
            b"--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n\xff\xfe\r\n--XyZ--".to_vec(),
            Vec::new(),
        ];
        for body in refused {
            let refusal = read_password_field(Some(FORM), &body).unwrap_err();
            assert_eq!(
                (refusal.status, refusal.code, refusal.kind),
                (400, 300, RefusalKind::MalformedBody),
                "{}",
                String::from_utf8_lossy(&body)
            );
        }
        assert_eq!(
            read_password_field(Some("multipart/form-data"), &multipart("XyZ", &[PASSWORD]))
                .unwrap_err()
                .kind,
            RefusalKind::MalformedBody
        );
    }

    #[test]
    fn one_password_member_in_json() {
        let json = |body: &str| read_password_field(Some("application/json"), body.as_bytes());
        assert_eq!(
            json(r#"{"password":"Good-Pass-123x!"}"#),
            Ok("Good-Pass-123x!".into())
        );
        assert_eq!(
            json(" {\n \"password\" : \"a\\\"b\\\\c\\/\\u00e9\\ud83d\\ude00\\n\" } \n"),
            Ok("a\"b\\c/é😀\n".into())
        );
        assert_eq!(
            read_password_field(
                Some("Application/JSON; charset=UTF-8"),
                br#"{"password":"x"}"#
            ),
            Ok("x".into())
        );
        for bad in [
            r#"{"password":"a","password":"b"}"#,
            r#"{"password":"a","other":1}"#,
            r#"{"other":1,"password":"a"}"#,
            r#"{"password":1}"#,
            r#"{"password":null}"#,
            r#"{"password":["a"]}"#,
            r#"{"Password":"a"}"#,
            r#"{"password":"a"} x"#,
            r#"["password","a"]"#,
            r#"{"password":"a\u0"}"#,
            r#"{"password":"\ud800"}"#,
            r#"{"password":"\udc00"}"#,
            r#"{"password":"\x"}"#,
            "{\"password\":\"a\u{1}\"}",
            "{\"password\":\"a",
            "",
            "{}",
        ] {
            assert_eq!(
                json(bad).unwrap_err().kind,
                RefusalKind::MalformedBody,
                "{bad}"
            );
        }
        assert_eq!(
            read_password_field(Some("application/json; charset=latin1"), b"{}")
                .unwrap_err()
                .kind,
            RefusalKind::UnsupportedMediaType
        );
        assert_eq!(
            read_password_field(Some("application/json"), b"{\"password\":\"\xff\"}")
                .unwrap_err()
                .kind,
            RefusalKind::MalformedBody
        );
    }

    #[test]
    fn other_types_and_sizes_are_refused() {
        for content_type in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some(""),
            Some("application/jsonx"),
        ] {
            let refusal = read_password_field(content_type, b"password=x").unwrap_err();
            assert_eq!(
                (refusal.status, refusal.kind),
                (415, RefusalKind::UnsupportedMediaType),
                "{content_type:?}"
            );
        }
        let big = vec![b'a'; MAX_BODY_BYTES + 1];
        assert_eq!(
            read_password_field(Some("application/json"), &big)
                .unwrap_err()
                .status,
            413
        );
    }

    #[test]
    fn windows_count_attempts_per_key() {
        let mut window = Window::default();
        for i in 0..3 {
            assert_eq!(window.admit("ada@x.com", 1_000 + i, 3, 60_000), Ok(()));
        }
        assert_eq!(window.admit("ada@x.com", 2_000, 3, 60_000), Err(59_000));
        assert_eq!(window.admit("grace@x.com", 2_000, 3, 60_000), Ok(()));
        // The first attempt (1,000) leaves the window at 61,000; the next at 61,001.
        assert_eq!(window.admit("ada@x.com", 61_000, 3, 60_000), Ok(()));
        assert_eq!(window.admit("ada@x.com", 61_000, 3, 60_000), Err(1));
        assert_eq!(Refusal::over_limit(59_999).retry_after_seconds, Some(60));
        assert_eq!(Refusal::over_limit(1).retry_after_seconds, Some(1));
        assert_eq!(user_key("Ada@X.com"), "ada@x.com");
        assert_eq!(user_key("KDcuGIm1QgePTO8WbOqwIQ"), "KDcuGIm1QgePTO8WbOqwIQ");
    }

    #[test]
    fn windows_stay_bounded_and_fail_closed() {
        let mut window = Window::default();
        for i in 0..MAX_KEYS {
            window.admit(&format!("u{i}"), 100, 5, 1_000).unwrap();
        }
        assert_eq!(
            window.admit("new", 500, 5, 1_000),
            Err(1_000),
            "full, none expired: refused"
        );
        assert_eq!(
            window.admit("u1", 500, 5, 1_000),
            Ok(()),
            "a known key still counts"
        );
        assert_eq!(
            window.admit("new", 2_000, 5, 1_000),
            Ok(()),
            "expired keys make room"
        );
        assert!(window.attempts.len() < 10);
    }

    #[test]
    fn failed_validation_lists_the_rules() {
        let report = crate::core::password::validate_password(
            "short",
            &crate::core::password::Policy::BASIC,
        );
        let violations: Vec<Check> = report.violations().cloned().collect();
        let refusal = Refusal::invalid_password(&violations);
        assert_eq!(
            (refusal.status, refusal.code, refusal.message),
            (400, 300, "Validation Failed.")
        );
        let fields: Vec<&str> = refusal.errors.iter().map(|e| &*e.field).collect();
        assert_eq!(fields, ["min_length", "number", "upper_and_lower"]);
        assert!(!format!("{refusal:?}").contains("short"));
    }
}
