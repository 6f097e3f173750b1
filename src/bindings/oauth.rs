//! The Node-only `serverToServerTokenProvider` is a small JS cache
//! (pkg-templates/server-to-server.mjs) around this: the token request is
//! checked and built here once (the client secret then stays in wasm
//! memory), and each `send()` is one `POST .../oauth/token` through the same
//! `fetch_once` as every API call.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::js::{given, parse_json, string_value, OptionBag};
use super::transport::{fetch_once, read_signal, read_timeout, DEFAULT_TIMEOUT_MS};
use crate::error::ErrorKind;
use crate::oauth::{parse_token_response, token_request, TokenRequest};
use crate::output::ObjectWriter;

#[wasm_bindgen(skip_typescript)]
pub struct ServerToServerTokenRequest {
    request: TokenRequest,
    client_secret: String,
    timeout_ms: u64,
}

/// `{ accountId, clientId, clientSecret, oauthBaseUrl?, timeoutMs? }`, checked now.
#[wasm_bindgen(js_name = prepareServerToServerToken, skip_typescript)]
pub fn prepare_server_to_server_token(
    options: JsValue,
) -> Result<ServerToServerTokenRequest, JsValue> {
    let bag = OptionBag::new(&options, "options", "")?;
    let text = |field| string_value(&bag.get(field)?, ErrorKind::InvalidOptions, field, "");
    let account_id = text("accountId")?;
    let client_id = text("clientId")?;
    let client_secret = text("clientSecret")?;
    let oauth_base_url = bag.string("oauthBaseUrl", ErrorKind::InvalidOptions)?;
    let timeout_ms = read_timeout(&bag)?.unwrap_or(DEFAULT_TIMEOUT_MS);
    let request = token_request(
        &account_id,
        &client_id,
        &client_secret,
        oauth_base_url.as_deref(),
    )?;
    Ok(ServerToServerTokenRequest {
        request,
        client_secret,
        timeout_ms,
    })
}

#[wasm_bindgen]
impl ServerToServerTokenRequest {
    /// One token request: resolves `{ accessToken, expiresIn }` (seconds),
    /// rejects `unauthorized` with Zoom's reason, or a transport kind.
    pub fn send(&self, signal: JsValue) -> Promise {
        let request = self.request.clone();
        let secret = self.client_secret.clone();
        let timeout_ms = self.timeout_ms;
        future_to_promise(async move {
            let signal = given(signal).map(|s| read_signal(&s)).transpose()?;
            let headers = [
                ("Authorization", request.authorization.as_str()),
                ("Accept", "application/json"),
            ];
            let answer = fetch_once(
                "POST",
                &request.url,
                &headers,
                &JsValue::UNDEFINED,
                timeout_ms,
                signal.as_ref(),
            )
            .await
            .map_err(|mut failure| {
                failure.redact(&[&secret, &request.authorization]);
                failure
            })?;
            let grant = parse_token_response(
                answer.status,
                &answer.body,
                &[&secret, &request.authorization],
            )?;
            let mut json = String::with_capacity(grant.access_token.len() + 48);
            ObjectWriter::new(&mut json)
                .str("accessToken", &grant.access_token)
                .num("expiresIn", u64::from(grant.expires_in_seconds))
                .end();
            Ok(parse_json(&json))
        })
    }
}
