//! Building `PUT {baseUrl}/users/{userId}/password`: option checks, the
//! one-segment percent-encoding of the user id, and the base URL rules that
//! keep a bearer token off plain-text networks.

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::core::error::{ErrorKind, Failure};

pub const DEFAULT_BASE_URL: &str = "https://api.zoom.us/v2";
pub const MAX_USER_ID_LENGTH: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum BodyEncoding {
    /// A FormData body, as Zoom's Postman collection and curl send it.
    #[default]
    Multipart,
    /// `application/json` `{"password": ...}`, as Zoom's OpenAPI declares.
    Json,
}

impl BodyEncoding {
    pub fn parse(value: &str) -> Result<BodyEncoding, Failure> {
        match value {
            "multipart" => Ok(BodyEncoding::Multipart),
            "json" => Ok(BodyEncoding::Json),
            _ => Err(Failure::invalid_options(
                "encoding",
                "encoding must be \"multipart\" or \"json\".",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BodyEncoding::Multipart => "multipart",
            BodyEncoding::Json => "json",
        }
    }
}

/// Everything `buildRequest` takes. `page_url` is the document's URL in a
/// browser (so `/zoom/v2` can name a same-origin proxy); `None` elsewhere.
pub struct RequestOptions<'a> {
    pub user_id: &'a str,
    pub password: &'a str,
    pub access_token: &'a str,
    pub base_url: Option<&'a str>,
    pub encoding: BodyEncoding,
    pub page_url: Option<&'a str>,
}

impl fmt::Debug for RequestOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("user_id", &self.user_id)
            .field("password", &crate::core::error::REDACTED)
            .field("access_token", &crate::core::error::REDACTED)
            .field("base_url", &self.base_url)
            .field("encoding", &self.encoding)
            .field("page_url", &self.page_url)
            .finish()
    }
}

/// The request to send. Holds both secrets, so `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    pub url: String,
    /// `Bearer <token>`.
    pub authorization: String,
    pub encoding: BodyEncoding,
    pub password: String,
}

impl PreparedRequest {
    pub const METHOD: &'static str = "PUT";
    pub const ACCEPT: &'static str = "application/json";
    pub const JSON_CONTENT_TYPE: &'static str = "application/json";
}

/// buildRequest's `{ method, url, headers, encoding, fields }`. The
/// password is in `fields` and the token in `headers`: this is the one
/// output that shows them, because the caller asked for the request itself.
impl Serialize for PreparedRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Headers<'a>(&'a PreparedRequest);
        impl Serialize for Headers<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let json = self.0.encoding == BodyEncoding::Json;
                let mut state = serializer.serialize_struct("Headers", 2 + usize::from(json))?;
                state.serialize_field("Authorization", &self.0.authorization)?;
                state.serialize_field("Accept", PreparedRequest::ACCEPT)?;
                if json {
                    state.serialize_field("Content-Type", PreparedRequest::JSON_CONTENT_TYPE)?;
                }
                state.end()
            }
        }
        struct Fields<'a>(&'a str);
        impl Serialize for Fields<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut state = serializer.serialize_struct("Fields", 1)?;
                state.serialize_field("password", self.0)?;
                state.end()
            }
        }
        let mut state = serializer.serialize_struct("PreparedRequest", 5)?;
        state.serialize_field("method", PreparedRequest::METHOD)?;
        state.serialize_field("url", &self.url)?;
        state.serialize_field("headers", &Headers(self))?;
        state.serialize_field("encoding", self.encoding.as_str())?;
        state.serialize_field("fields", &Fields(&self.password))?;
        state.end()
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &Self::METHOD)
            .field("url", &self.url)
            .field("authorization", &"Bearer [redacted]")
            .field("encoding", &self.encoding)
            .field("password", &crate::core::error::REDACTED)
            .finish()
    }
}

pub fn build_request(options: &RequestOptions<'_>) -> Result<PreparedRequest, Failure> {
    let url = password_url(options.user_id, options.base_url, options.page_url)?;
    let authorization = authorization_header(options.access_token)?;
    Ok(PreparedRequest {
        url,
        authorization,
        encoding: options.encoding,
        password: options.password.to_owned(),
    })
}

/// `{base}/users/{userId}/password`, after checking both.
pub fn password_url(
    user_id: &str,
    base_url: Option<&str>,
    page_url: Option<&str>,
) -> Result<String, Failure> {
    password_url_under(resolve_base_url(base_url, page_url)?, user_id)
}

/// [`password_url`] under a base URL already resolved.
pub fn password_url_under(resolved_base: String, user_id: &str) -> Result<String, Failure> {
    check_user_id(user_id)?;
    Ok(segment_url(resolved_base, "/users/", user_id, "/password"))
}

/// `{base}{before}{segment, percent-encoded}{after}`.
fn segment_url(base: String, before: &str, segment: &str, after: &str) -> String {
    let mut url = base;
    url.reserve(before.len() + segment.len() * 3 + after.len());
    url.push_str(before);
    push_path_segment(&mut url, segment);
    url.push_str(after);
    url
}

/// `Bearer <token>`, after checking the token.
pub fn authorization_header(access_token: &str) -> Result<String, Failure> {
    check_access_token(access_token)?;
    let mut authorization = String::with_capacity(access_token.len() + 7);
    authorization.push_str("Bearer ");
    authorization.push_str(access_token);
    Ok(authorization)
}

/// `GET {base}/accounts/{accountId}/settings?option=security`: where the
/// account's `security.password_requirement` lives.
pub fn security_settings_url(
    account_id: &str,
    base_url: Option<&str>,
    page_url: Option<&str>,
) -> Result<String, Failure> {
    check_segment(account_id, ErrorKind::InvalidOptions, "accountId")?;
    Ok(segment_url(
        resolve_base_url(base_url, page_url)?,
        "/accounts/",
        account_id,
        "/settings?option=security",
    ))
}

/// A Zoom user id, an email address or `me`: 1..=128 code points, no control
/// characters, no whitespace at either end, and never a dot-segment.
pub fn check_user_id(user_id: &str) -> Result<(), Failure> {
    check_segment(user_id, ErrorKind::InvalidUserId, "userId")
}

/// The rules for an id that becomes one path segment; messages name `field`.
fn check_segment(id: &str, kind: ErrorKind, field: &'static str) -> Result<(), Failure> {
    let problem = if id.is_empty() {
        " must not be empty."
    } else if crate::core::text::char_count(id) > MAX_USER_ID_LENGTH {
        " must be at most 128 characters."
    } else if id.chars().any(char::is_control) {
        " must not contain control characters."
    } else if id.starts_with(char::is_whitespace) || id.ends_with(char::is_whitespace) {
        // " ada@x.com" would name no user, or (trimmed by a server) another one.
        " must not start or end with whitespace."
    } else if id == "." || id == ".." {
        " must not be \".\" or \"..\"."
    } else {
        return Ok(());
    };
    let mut message = String::with_capacity(field.len() + problem.len());
    message.push_str(field);
    message.push_str(problem);
    Err(Failure::option(kind, field, message))
}

/// Non-empty visible ASCII: anything else is either not a token or would
/// make `fetch` throw when it sets the header.
pub fn check_access_token(token: &str) -> Result<(), Failure> {
    if token.is_empty() {
        return Err(Failure::invalid_options(
            "accessToken",
            "accessToken must not be empty.",
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Failure::invalid_options(
            "accessToken",
            "accessToken must not contain whitespace, control or non-ASCII characters.",
        ));
    }
    Ok(())
}

/// Percent-encodes `segment` so that it is exactly one path segment: every
/// byte outside RFC 3986's unreserved set (`ALPHA / DIGIT / "-" / "." /
/// "_" / "~"`) is escaped, `/`, `?`, `#` and `%` included, so the result can
/// never add a segment, a query or a fragment.
///
/// Written here rather than with the `percent-encoding` crate, whose generic
/// set machinery took 0.8 KB gzip of the browser module for this one use
/// (129,413 to 128,223 bytes raw, 63,028 to 62,180 gzip); a native property
/// test checks every output against the crate's, byte for byte.
pub fn push_path_segment(out: &mut String, segment: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in segment.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

/// A decimal number of at most `max_digits` ASCII digits (no sign, no space).
fn digits(text: &str, max_digits: usize) -> Option<u32> {
    if text.len() > max_digits {
        return None;
    }
    u32::try_from(crate::core::text::parse_decimal(text)?).ok()
}

/// The host (and port) of an absolute URL this crate built, for messages.
pub fn authority(url: &str) -> &str {
    authority_at_start(crate::core::text::split_once(url, "://").map_or(url, |(_, rest)| rest))
}

/// What comes before the first `/`, `?` or `#` (the URL after its `://`).
/// By bytes: those are ASCII, so the cut is on a character boundary, and
/// `str::find` with a set of chars instantiated its searcher for the two
/// callers.
fn authority_at_start(rest: &str) -> &str {
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    rest.get(..end).unwrap_or(rest)
}

/// `/zoom/v2`: a path on the page's own origin (a same-origin proxy), not
/// a URL of its own (`//host` is one).
pub fn is_same_origin_path(base_url: &str) -> bool {
    base_url.starts_with('/') && !base_url.starts_with("//")
}

/// The absolute base URL, without a trailing slash.
pub fn resolve_base_url(base_url: Option<&str>, page_url: Option<&str>) -> Result<String, Failure> {
    resolve_url_option("baseUrl", base_url.unwrap_or(DEFAULT_BASE_URL), page_url)
}

/// An option holding a base URL (`baseUrl`, `oauthBaseUrl`, `zoomBaseUrl`),
/// absolute and without a trailing slash; a path resolves against the page.
/// A refusal names `field` in its message and `fieldErrors`.
pub fn resolve_url_option(
    field: &'static str,
    base: &str,
    page_url: Option<&str>,
) -> Result<String, Failure> {
    let refuse = |problem: UrlProblem| problem.failure(field);
    let resolved = if is_same_origin_path(base) {
        // A same-origin proxy path: only meaningful against a page.
        let page = page_url
            .and_then(parse_origin)
            .ok_or(UrlProblem::NeedsPage)
            .map_err(refuse)?;
        check_path(base).map_err(refuse)?;
        Absolute {
            scheme: page.scheme,
            authority: page.authority,
            host: page.host,
            path: base,
        }
    } else {
        parse_absolute(base).map_err(refuse)?
    };
    check_scheme(&resolved).map_err(refuse)?;
    let mut url = String::with_capacity(base.len() + resolved.authority.len() + 8);
    url.push_str(resolved.scheme);
    url.push_str("://");
    url.push_str(resolved.authority);
    url.push_str(resolved.path.trim_end_matches('/'));
    Ok(url)
}

/// `url` is absolute, strictly formed (as a `baseUrl` must be), and `https:`
/// or `http:` on a loopback host; a refusal names `field`.
pub fn check_absolute_url(field: &'static str, url: &str) -> Result<(), Failure> {
    parse_absolute(url)
        .and_then(|parsed| check_scheme(&parsed))
        .map_err(|problem| problem.failure(field))
}

/// What is wrong with a URL option, said after the option's name.
#[derive(Clone, Copy, Debug)]
enum UrlProblem {
    NotAbsolute,
    BadHost,
    BadPath,
    DotSegment,
    Scheme,
    NeedsPage,
}

impl UrlProblem {
    fn failure(self, field: &'static str) -> Failure {
        let problem = match self {
            UrlProblem::NotAbsolute => " must be an absolute URL such as https://api.zoom.us/v2.",
            UrlProblem::BadHost => {
                " has an invalid host or port (credentials in the URL are not allowed)."
            }
            UrlProblem::BadPath => {
                " must not contain a query, fragment, backslash or whitespace."
            }
            UrlProblem::DotSegment => " must not contain \".\" or \"..\" path segments.",
            UrlProblem::Scheme => {
                " must be an https: URL (http: only for localhost, 127.0.0.0/8 or [::1])."
            }
            UrlProblem::NeedsPage => {
                " is a path (like \"/zoom/v2\"), which needs a page to resolve against; give an absolute https: URL."
            }
        };
        // Pushed, not `[field, problem].concat()`: concat's generic join
        // was 1.2 KB raw of the browser module (twiggy).
        let mut message = String::with_capacity(field.len() + problem.len());
        message.push_str(field);
        message.push_str(problem);
        Failure::invalid_options(field, message)
    }
}

fn check_scheme(url: &Absolute<'_>) -> Result<(), UrlProblem> {
    let https = url.scheme.eq_ignore_ascii_case("https");
    let http = url.scheme.eq_ignore_ascii_case("http");
    if https || http && is_loopback(url.host) {
        Ok(())
    } else {
        Err(UrlProblem::Scheme)
    }
}

struct Absolute<'a> {
    scheme: &'a str,
    /// Host and optional port, as written.
    authority: &'a str,
    host: &'a str,
    path: &'a str,
}

/// The origin of the page's own URL (its path, query and fragment do not
/// matter: the base path replaces them).
fn parse_origin(page_url: &str) -> Option<Absolute<'_>> {
    let (scheme, rest) = crate::core::text::split_once(page_url, "://")?;
    let authority = authority_at_start(rest);
    let host = parse_authority(authority).ok()?;
    Some(Absolute {
        scheme,
        authority,
        host,
        path: "",
    })
}

/// `scheme://host[:port][/path]`, strictly: no credentials, query, fragment,
/// backslash, whitespace or dot-segment, so what is checked is what `fetch`
/// will contact.
fn parse_absolute(url: &str) -> Result<Absolute<'_>, UrlProblem> {
    let (scheme, rest) =
        crate::core::text::split_once(url, "://").ok_or(UrlProblem::NotAbsolute)?;
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(UrlProblem::NotAbsolute);
    }
    let (authority, path) = match rest.find('/') {
        // `find` gives a char boundary, so this never fails.
        Some(slash) => rest.split_at_checked(slash).unwrap_or((rest, "")),
        None => (rest, ""),
    };
    let host = parse_authority(authority)?;
    check_path(path)?;
    Ok(Absolute {
        scheme,
        authority,
        host,
        path,
    })
}

/// Returns the host (with brackets for IPv6).
fn parse_authority(authority: &str) -> Result<&str, UrlProblem> {
    let bad_host = || UrlProblem::BadHost;
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or_else(bad_host)?;
        let (host, rest) = authority.split_at_checked(close + 1).ok_or_else(bad_host)?;
        let inside = host.get(1..host.len().saturating_sub(1)).unwrap_or("");
        if inside.is_empty()
            || !inside
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(bad_host());
        }
        match rest.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if rest.is_empty() => (host, None),
            None => return Err(bad_host()),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let host_ok = !host.is_empty()
        && (host.starts_with('[')
            || host.chars().all(|c| {
                c.is_ascii_alphanumeric() || !c.is_ascii() || matches!(c, '-' | '.' | '_')
            }));
    let port_ok = match port {
        None => true,
        Some(port) => digits(port, 5).is_some_and(|p| p <= 65_535),
    };
    if host_ok && port_ok {
        Ok(host)
    } else {
        Err(bad_host())
    }
}

fn check_path(path: &str) -> Result<(), UrlProblem> {
    if path
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '?' | '#' | '\\'))
    {
        return Err(UrlProblem::BadPath);
    }
    // `fetch` resolves `.`/`..` (also written `%2e`) before sending, which
    // would move the request elsewhere than the URL shown.
    let dot_segment = path.split('/').any(|segment| {
        let lower = segment.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            "." | ".." | "%2e" | "%2e." | ".%2e" | "%2e%2e"
        )
    });
    if dot_segment {
        return Err(UrlProblem::DotSegment);
    }
    Ok(())
}

/// localhost (and `*.localhost`), 127.0.0.0/8 in dotted-decimal, `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost")
        || (host.len() > 10
            && host
                .get(host.len() - 10..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(".localhost")))
    {
        return true;
    }
    if host == "[::1]" || host == "[0:0:0:0:0:0:0:1]" {
        return true;
    }
    let mut parts = host.split('.');
    let first = parts.next();
    let rest: Vec<&str> = parts.collect();
    first == Some("127")
        && rest.len() == 3
        && rest
            .iter()
            .all(|part| !part.is_empty() && digits(part, 3).is_some_and(|n| n <= 255))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn options<'a>(user_id: &'a str, base_url: Option<&'a str>) -> RequestOptions<'a> {
        RequestOptions {
            user_id,
            password: "Secret-Pass1",
            access_token: "tok.en-123",
            base_url,
            encoding: BodyEncoding::Multipart,
            page_url: None,
        }
    }

    fn url_for(user_id: &str) -> String {
        build_request(&options(user_id, None)).unwrap().url
    }

    fn decode(segment: &str) -> String {
        let bytes = segment.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn builds_the_documented_request() {
        let request = build_request(&options("me", None)).unwrap();
        assert_eq!(request.url, "https://api.zoom.us/v2/users/me/password");
        assert_eq!(request.authorization, "Bearer tok.en-123");
        assert_eq!(request.encoding, BodyEncoding::Multipart);
        assert_eq!(request.password, "Secret-Pass1");
    }

    #[test]
    fn user_ids_are_one_encoded_segment() {
        let cases = [
            ("a+b@x.com", "a%2Bb%40x.com"),
            ("KDcuGIm1QgePTO8WbOqwIQ", "KDcuGIm1QgePTO8WbOqwIQ"),
            ("../x", "..%2Fx"),
            ("%2e%2e", "%252e%252e"),
            ("a/b?c#d", "a%2Fb%3Fc%23d"),
            ("jörg@例え.jp", "j%C3%B6rg%40%E4%BE%8B%E3%81%88.jp"),
            ("sp ace", "sp%20ace"),
            ("...", "..."),
            ("~user_1-2.3", "~user_1-2.3"),
        ];
        for (user_id, encoded) in cases {
            let url = url_for(user_id);
            assert_eq!(
                url,
                format!("https://api.zoom.us/v2/users/{encoded}/password")
            );
            assert_eq!(decode(encoded), user_id);
        }
    }

    #[test]
    fn user_id_limits() {
        let at_limit = "é".repeat(128);
        assert!(build_request(&options(&at_limit, None)).is_ok());
        assert!(build_request(&options("a b@example.com", None)).is_ok());
        for bad in [
            String::new(),
            "é".repeat(129),
            "a".repeat(129),
            ".".into(),
            "..".into(),
            "a\nb".into(),
            "a\u{0}".into(),
            "\u{85}x".into(),
            " ".into(),
            "ada@example.com ".into(),
            " ada@example.com".into(),
            "ada@example.com\u{3000}".into(),
        ] {
            let err = build_request(&options(&bad, None)).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidUserId, "{bad:?}");
            assert_eq!(err.field_errors[0].field, "userId");
        }
    }

    #[test]
    fn security_settings_url_encodes_the_account_id() {
        assert_eq!(
            security_settings_url("me", None, None).as_deref(),
            Ok("https://api.zoom.us/v2/accounts/me/settings?option=security")
        );
        assert_eq!(
            security_settings_url("a/b", Some("http://127.0.0.1:9/v2"), None).as_deref(),
            Ok("http://127.0.0.1:9/v2/accounts/a%2Fb/settings?option=security")
        );
        for bad in ["", "..", "a\u{0}"] {
            let err = security_settings_url(bad, None, None).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidOptions);
            assert_eq!(err.field_errors[0].field, "accountId");
        }
    }

    #[test]
    fn access_token_rules() {
        for bad in ["", "a b", "tok\n", "tok\u{7f}", "tökén", "\t"] {
            let mut o = options("me", None);
            o.access_token = bad;
            let err = build_request(&o).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidOptions, "{bad:?}");
            assert_eq!(err.field_errors[0].field, "accessToken");
            assert!(!err.message.contains(bad) || bad.is_empty());
        }
    }

    #[test]
    fn base_url_accepts_https_and_loopback_http() {
        let ok = [
            ("https://api.zoom.us/v2", "https://api.zoom.us/v2"),
            ("https://api-eu.zoom.us/v2/", "https://api-eu.zoom.us/v2"),
            ("https://api.zoomgov.com/v2", "https://api.zoomgov.com/v2"),
            ("HTTPS://Api.Zoom.US", "HTTPS://Api.Zoom.US"),
            (
                "http://localhost:8080/zoom/v2",
                "http://localhost:8080/zoom/v2",
            ),
            ("http://LOCALHOST/v2", "http://LOCALHOST/v2"),
            ("http://mock.localhost/v2", "http://mock.localhost/v2"),
            ("http://127.0.0.1:1/v2", "http://127.0.0.1:1/v2"),
            ("http://127.255.0.9/v2", "http://127.255.0.9/v2"),
            ("http://[::1]:9000/v2", "http://[::1]:9000/v2"),
            ("https://[2001:db8::1]/v2", "https://[2001:db8::1]/v2"),
        ];
        for (base, expected) in ok {
            assert_eq!(
                resolve_base_url(Some(base), None).as_deref(),
                Ok(expected),
                "{base}"
            );
        }
    }

    #[test]
    fn base_url_refusals() {
        let bad = [
            "http://api.zoom.us/v2",
            "http://127.0.0.1.evil.com/v2",
            "http://localhost.evil.com/v2",
            "http://128.0.0.1/v2",
            "http://127.1/v2",
            "http://0x7f.0.0.1/v2",
            "http://[::2]/v2",
            "ftp://api.zoom.us/v2",
            "javascript://x/v2",
            "api.zoom.us/v2",
            "https://user:pass@api.zoom.us/v2",
            "https://evil.com@api.zoom.us/v2",
            "https://api.zoom.us/v2?x=1",
            "https://api.zoom.us/v2#frag",
            "https://api.zoom.us/v2/../v1",
            "https://api.zoom.us/v2/%2E%2e/v1",
            "https://api.zoom.us\\@evil.com/v2",
            "https://api.zoom.us/v2 ",
            "https://api.zoom.us:99999/v2",
            "https://api.zoom.us:/v2",
            "https:///v2",
            "//evil.com/v2",
            "/zoom/v2",
            "",
        ];
        for base in bad {
            let err = resolve_base_url(Some(base), None).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidOptions, "{base}");
            assert_eq!(err.field_errors[0].field, "baseUrl");
        }
    }

    #[test]
    fn path_bases_resolve_against_the_page() {
        let page = Some("http://127.0.0.1:8080/index.html?x#y");
        assert_eq!(
            resolve_base_url(Some("/zoom/v2"), page).as_deref(),
            Ok("http://127.0.0.1:8080/zoom/v2")
        );
        let https_page = Some("https://admin.example.com/tools/");
        assert_eq!(
            resolve_base_url(Some("/zoom/v2/"), https_page).as_deref(),
            Ok("https://admin.example.com/zoom/v2")
        );
        // A plain-http page that is not loopback must not receive the token.
        let err =
            resolve_base_url(Some("/zoom/v2"), Some("http://intranet.example.com/")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidOptions);
        assert!(resolve_base_url(Some("/zoom/../v2"), page).is_err());
        assert!(resolve_base_url(Some("//evil.com/v2"), page).is_err());
    }

    #[test]
    fn authority_of_built_urls() {
        assert_eq!(
            authority("http://127.0.0.1:9/v2/users/me/password"),
            "127.0.0.1:9"
        );
        assert_eq!(authority("https://api.zoom.us/v2"), "api.zoom.us");
        assert_eq!(authority("https://[::1]:8443"), "[::1]:8443");
        assert_eq!(authority("https://example.com?q=/x"), "example.com");
        assert_eq!(authority("https://example.com#/x"), "example.com");
        assert_eq!(authority("https://é.example:1/p"), "é.example:1");
        // A page URL whose query or fragment follows the host at once.
        for page in ["http://127.0.0.1:8080?x=/y", "http://127.0.0.1:8080#/y"] {
            assert_eq!(
                resolve_base_url(Some("/zoom/v2"), Some(page)).as_deref(),
                Ok("http://127.0.0.1:8080/zoom/v2")
            );
        }
    }

    #[test]
    fn encoding_parse_and_serialized_shape() {
        assert_eq!(BodyEncoding::parse("json"), Ok(BodyEncoding::Json));
        assert_eq!(
            BodyEncoding::parse("multipart"),
            Ok(BodyEncoding::Multipart)
        );
        assert_eq!(
            BodyEncoding::parse("form").unwrap_err().field_errors[0].field,
            "encoding"
        );
        let mut o = options("me", None);
        o.password = "a\"b\\c";
        o.encoding = BodyEncoding::Json;
        let request = build_request(&o).unwrap();
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            r#"{"method":"PUT","url":"https://api.zoom.us/v2/users/me/password","headers":{"Authorization":"Bearer tok.en-123","Accept":"application/json","Content-Type":"application/json"},"encoding":"json","fields":{"password":"a\"b\\c"}}"#
        );
    }

    #[test]
    fn debug_output_redacts_both_secrets() {
        let o = options("me", None);
        let request = build_request(&o).unwrap();
        for text in [
            format!("{request:?}"),
            format!("{o:?}"),
            format!("{request:#?}"),
        ] {
            assert!(!text.contains("Secret-Pass1"), "{text}");
            assert!(!text.contains("tok.en-123"), "{text}");
            assert!(text.contains("redacted"));
        }
    }
}
