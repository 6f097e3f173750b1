//! `serverToServerTokenProvider` (full build only: a client secret never
//! belongs in a page): a token function for Zoom's server-to-server OAuth,
//! built on the same `fetch` path as every call. The core checks and joins
//! the credentials (`core::oauth`); the token is cached until 60 s before
//! it expires, and one token request is in flight at a time.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::fetch::{self, Body, Outgoing};
use super::js::{key, now_ms, property, spawn};
use super::options::{read_timeout, Declared, OptionBag, TIMEOUT_MS};
use super::tokens::DEFAULT_TIMEOUT_MS;
use crate::core::error::Failure;
use crate::core::oauth::{token_grant, token_request, TokenRequest};
use crate::core::request::{authority, PreparedRequest};

#[wasm_bindgen]
extern "C" {
    /// The platform's base64 (ASCII in, ASCII out).
    #[wasm_bindgen(catch)]
    fn btoa(text: &str) -> Result<String, JsValue>;
}

/// Tokens are reused until this long before they expire.
const EARLY_REFRESH_MS: f64 = 60_000.0;

/// One server-to-server credential: its checked request, the cached token
/// and the one token request in flight.
struct ServerToServer {
    request: TokenRequest,
    /// `Basic base64(clientId:clientSecret)`.
    authorization: String,
    client_secret: String,
    timeout_ms: u32,
    /// The token and when to stop using it (ms since the epoch).
    cached: RefCell<Option<(String, f64)>>,
    in_flight: RefCell<Option<Promise>>,
    /// Bumped by `{ refresh: true }`: a request started before it does not
    /// fill the cache.
    generation: Cell<u32>,
}

impl std::fmt::Debug for ServerToServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerToServer")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

const ACCOUNT_ID: &Declared = &Declared::text("accountId");
const CLIENT_ID: &Declared = &Declared::text("clientId");
const CLIENT_SECRET: &Declared = &Declared::text("clientSecret");
const OAUTH_BASE_URL: &Declared = &Declared::text("oauthBaseUrl");

/// `serverToServerTokenProvider({ accountId, clientId, clientSecret,
/// oauthBaseUrl?, timeoutMs? })`: the options are checked now; the function
/// it returns resolves a token, cached until 60 s before `expires_in`, with
/// one token request in flight at a time; `{ refresh: true }` fetches anew.
#[wasm_bindgen(js_name = serverToServerTokenProvider, skip_typescript)]
pub fn server_to_server_token_provider(options: JsValue) -> Result<JsValue, JsValue> {
    let bag = OptionBag::new(&options, "options", "")?.only(&[&[
        ACCOUNT_ID,
        CLIENT_ID,
        CLIENT_SECRET,
        OAUTH_BASE_URL,
        TIMEOUT_MS,
    ]])?;
    let account_id = bag.required_text(ACCOUNT_ID)?;
    let client_id = bag.required_text(CLIENT_ID)?;
    let client_secret = bag.required_text(CLIENT_SECRET)?;
    let oauth_base_url = bag.text(OAUTH_BASE_URL)?;
    let timeout_ms = read_timeout(&bag)?.unwrap_or(DEFAULT_TIMEOUT_MS);
    let request = token_request(
        &account_id,
        &client_id,
        &client_secret,
        oauth_base_url.as_deref(),
    )?;
    let encoded = btoa(&request.credentials).map_err(|_| {
        Failure::invalid_options(
            "clientSecret",
            "btoa is not available here to encode the credentials.",
        )
    })?;
    let provider = Rc::new(ServerToServer {
        authorization: crate::core::text::concat(&["Basic ", &encoded]),
        request,
        client_secret,
        timeout_ms,
        cached: RefCell::new(None),
        in_flight: RefCell::new(None),
        generation: Cell::new(0),
    });
    let token = Closure::<dyn Fn(JsValue) -> Promise>::new(move |hint: JsValue| {
        ServerToServer::token(&provider, &hint)
    });
    // The JS garbage collector owns the function (and with it the secret).
    // The secret and the header live in this closure's Rust memory, but not
    // only there: the platform's btoa has encoded them, and fetch sends the
    // header, so both pass through JS strings too.
    Ok(token.into_js_value())
}

impl ServerToServer {
    fn token(this: &Rc<ServerToServer>, hint: &JsValue) -> Promise {
        if property(hint, "refresh").as_bool() == Some(true) {
            this.cached.replace(None);
            this.in_flight.replace(None);
            this.generation.set(this.generation.get().wrapping_add(1));
        }
        if let Some((token, refresh_at)) = this.cached.borrow().as_ref() {
            if now_ms() < *refresh_at {
                return Promise::resolve(&JsValue::from_str(token));
            }
        }
        if let Some(pending) = this.in_flight.borrow().as_ref() {
            return pending.clone();
        }
        let this_for_request = this.clone();
        let generation = this.generation.get();
        // The task runs at once (task.rs) and may end before `spawn`
        // returns (a fetch that throws): then it is not in flight.
        let finished = Rc::new(Cell::new(false));
        let finished_by_task = finished.clone();
        let pending = spawn(async move {
            let this = this_for_request;
            let outcome = this.request_token().await;
            finished_by_task.set(true);
            if this.generation.get() == generation {
                this.in_flight.replace(None);
                if let Ok((token, refresh_at)) = &outcome {
                    this.cached.replace(Some((token.clone(), *refresh_at)));
                }
            }
            match outcome {
                Ok((token, _)) => Ok(JsValue::from_str(&token)),
                Err(failure) => Err(failure.into()),
            }
        });
        if !finished.get() {
            this.in_flight.replace(Some(pending.clone()));
        }
        pending
    }

    /// One token request: the token and when to refresh it, or
    /// `unauthorized` with Zoom's reason, or the transport's kind. One
    /// attempt: the API call that asked for the token has its own retries.
    async fn request_token(&self) -> Result<(String, f64), Failure> {
        let secrets = [self.client_secret.as_str(), self.authorization.as_str()];
        let url = JsValue::from_str(&self.request.url);
        let authorization = JsValue::from_str(&self.authorization);
        let outgoing = Outgoing {
            method: Method::POST,
            url: &url,
            host: authority(&self.request.url),
            headers: &[
                ("Authorization", &authorization),
                ("Accept", key(PreparedRequest::ACCEPT)),
            ],
            body: Body::Empty,
            secrets: &secrets,
        };
        let answer = fetch::send(&outgoing, self.timeout_ms, None).await?;
        let grant = token_grant(answer.status, answer.token_answer(), &secrets)?;
        let lifetime_ms = f64::from(grant.expires_in_seconds) * 1000.0;
        Ok((
            grant.access_token,
            now_ms() + (lifetime_ms - EARLY_REFRESH_MS).max(0.0),
        ))
    }
}
