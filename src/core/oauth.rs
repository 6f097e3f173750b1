//! Zoom's server-to-server OAuth token request and its answer:
//! `POST {oauthBase}/oauth/token?grant_type=account_credentials&account_id=...`
//! with `Authorization: Basic base64(clientId:clientSecret)`.
//!
//! The core checks the credentials and joins them; the bindings encode the
//! pair with the platform's `btoa` (the `base64` crate measured 7.4 KB raw /
//! 3.1 KB gzip in this wasm for this one header; `btoa` costs nothing, and
//! visible ASCII, which the core insists on, is all it needs).

use std::fmt;

use crate::core::error::{redacted, ErrorKind, Failure, FailureData};

use crate::core::body::TokenAnswer;
use crate::core::request::{push_path_segment, resolve_url_option};
use crate::core::text::{concat, decimal, first_chars};

pub const DEFAULT_OAUTH_BASE_URL: &str = "https://zoom.us";

/// The token request. Holds the client secret (in `credentials`), so
/// `Debug` shows neither it nor the header.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub url: String,
    /// `clientId:clientSecret`, for `Authorization: Basic base64(...)`.
    pub credentials: String,
}

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("url", &self.url)
            .field("credentials", &crate::core::error::REDACTED)
            .finish()
    }
}

/// A granted token and how long it lives.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub access_token: String,
    pub expires_in_seconds: u32,
}

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("access_token", &crate::core::error::REDACTED)
            .field("expires_in_seconds", &self.expires_in_seconds)
            .finish()
    }
}

fn credential(value: &str, field: &'static str, message: &'static str) -> Result<(), Failure> {
    // Visible ASCII: Zoom's ids and secrets are, and anything else would not
    // survive the Basic header.
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Failure::invalid_options(field, message));
    }
    Ok(())
}

pub fn token_request(
    account_id: &str,
    client_id: &str,
    client_secret: &str,
    oauth_base_url: Option<&str>,
) -> Result<TokenRequest, Failure> {
    credential(
        account_id,
        "accountId",
        "accountId must be a non-empty string of visible ASCII characters.",
    )?;
    credential(
        client_id,
        "clientId",
        "clientId must be a non-empty string of visible ASCII characters.",
    )?;
    if crate::core::text::contains(client_id, ":") {
        return Err(Failure::invalid_options(
            "clientId",
            "clientId must not contain ':'.",
        ));
    }
    credential(
        client_secret,
        "clientSecret",
        "clientSecret must be a non-empty string of visible ASCII characters.",
    )?;
    let base = resolve_url_option(
        "oauthBaseUrl",
        oauth_base_url.unwrap_or(DEFAULT_OAUTH_BASE_URL),
        None,
    )?;
    let mut url = String::with_capacity(base.len() + account_id.len() * 3 + 64);
    url.push_str(&base);
    url.push_str("/oauth/token?grant_type=account_credentials&account_id=");
    push_path_segment(&mut url, account_id);
    let mut pair = String::with_capacity(client_id.len() + client_secret.len() + 1);
    pair.push_str(client_id);
    pair.push(':');
    pair.push_str(client_secret);
    Ok(TokenRequest {
        url,
        credentials: pair,
    })
}

/// Reads the token endpoint's answer (`TokenAnswer::read`). Refusals become
/// `unauthorized` with Zoom's `reason` (and `error` code); `secrets` are cut
/// from any text.
pub fn token_grant(
    status: u16,
    answer: TokenAnswer,
    secrets: &[&str],
) -> Result<TokenGrant, Failure> {
    if (200..300).contains(&status) {
        let grant = answer
            .access_token
            .filter(|token| crate::core::request::check_access_token(token).is_ok())
            .map(|access_token| TokenGrant {
                access_token,
                expires_in_seconds: answer.expires_in_seconds.unwrap_or(3600),
            });
        return grant.ok_or_else(|| {
            Failure::from(FailureData {
                status: Some(status),
                ..FailureData::client(
                    ErrorKind::Unauthorized,
                    "Zoom's token endpoint answered without a usable access_token.",
                )
            })
        });
    }
    let message = match (answer.reason, answer.error) {
        (Some(reason), Some(code)) => concat(&[": ", &reason, " (", &code, ")"]),
        (Some(reason), None) | (None, Some(reason)) => concat(&[": ", &reason]),
        (None, None) => concat(&[": HTTP ", &decimal(status.into())]),
    };
    let message = concat(&["Zoom's token endpoint refused the request", &message]);
    let message = first_chars(&message, 600).to_owned();
    Err(Failure::from(FailureData {
        status: Some(status),
        retryable: status >= 500 || status == 429,
        ..FailureData::client(ErrorKind::Unauthorized, redacted(message.into(), secrets))
    }))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::body::native::parse;

    fn parse_token_response(
        status: u16,
        text: &str,
        secrets: &[&str],
    ) -> Result<TokenGrant, Failure> {
        token_grant(status, TokenAnswer::read(text, &parse), secrets)
    }

    #[test]
    fn builds_the_documented_request() {
        let request = token_request("acct-1", "cid", "s3cr:et", None).unwrap();
        assert_eq!(
            request.url,
            "https://zoom.us/oauth/token?grant_type=account_credentials&account_id=acct-1"
        );
        assert_eq!(request.credentials, "cid:s3cr:et");
        let text = format!("{request:?}");
        assert!(!text.contains("Y2lk") && !text.contains("s3cr"), "{text}");
    }

    #[test]
    fn refuses_bad_options_by_name() {
        for (args, field) in [
            (("", "c", "s", None), "accountId"),
            (("a", "c d", "s", None), "clientId"),
            (("a", "c:d", "s", None), "clientId"),
            (("a", "c", "", None), "clientSecret"),
            (("a", "c", "s", Some("http://zoom.us")), "oauthBaseUrl"),
        ] {
            let err = token_request(args.0, args.1, args.2, args.3).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidOptions);
            assert_eq!(err.field_errors[0].field, field);
            assert!(!err.message.contains(args.2) || args.2.len() < 2);
        }
        assert!(token_request("a/b", "c", "s", Some("http://127.0.0.1:9"))
            .unwrap()
            .url
            .ends_with("account_id=a%2Fb"));
    }

    #[test]
    fn reads_a_grant() {
        let grant = parse_token_response(
            200,
            r#"{"access_token":"eyJ.abc","token_type":"bearer","expires_in":3599,"scope":"x"}"#,
            &[],
        )
        .unwrap();
        assert_eq!(grant.access_token, "eyJ.abc");
        assert_eq!(grant.expires_in_seconds, 3599);
        assert!(!format!("{grant:?}").contains("eyJ"));
        let no_token = parse_token_response(200, "{}", &[]).unwrap_err();
        assert_eq!(no_token.kind, ErrorKind::Unauthorized);
    }

    #[test]
    fn refusals_are_unauthorized_with_zoom_reason_and_no_secret() {
        let refused = parse_token_response(
            400,
            r#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
            &["topsecret"],
        )
        .unwrap_err();
        assert_eq!(refused.kind, ErrorKind::Unauthorized);
        assert_eq!(refused.status, Some(400));
        assert_eq!(refused.message, "Zoom's token endpoint refused the request: Invalid client_id or client_secret (invalid_client)");
        let echo =
            parse_token_response(401, r#"{"reason":"bad secret topsecret"}"#, &["topsecret"])
                .unwrap_err();
        assert!(!echo.message.contains("topsecret"), "{}", echo.message);
        let html = parse_token_response(502, "<html>", &[]).unwrap_err();
        assert_eq!(
            html.message,
            "Zoom's token endpoint refused the request: HTTP 502"
        );
        assert!(html.retryable);
    }
}
