//! `ZoomPasswordClient`: one configuration (token, base URL, retry, timeout,
//! encoding) and one pacer, shared by every call made through it. JS holds
//! a handle; the configuration lives here, behind an `Rc` that each call in
//! flight keeps, so `free()` never pulls it from under a running call.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::errors::CallFailure;
use super::js::{given, page_url_for, property, spawn};
use super::options::{
    string_value, OptionBag, ACCESS_TOKEN, BASE_URL, CHANGE_OPTIONS, ENCODING, REQUESTS_PER_SECOND,
    RETRY, TIMEOUT_MS, TOKEN_PROVIDER, TRANSPORT_OPTIONS,
};
use super::tokens::TokenSource;
use super::transport::{proxied, Call, Delivered, Transport};
use super::update::{ChangeSettings, PasswordChange};
use crate::core::classify::paid_accounts_only;
use crate::core::error::{ErrorKind, Failure};
use crate::core::pacer::Pacer;
use crate::core::request::{authority, resolve_base_url, security_settings_url};

#[wasm_bindgen(js_name = ZoomPasswordClient, skip_typescript)]
pub struct ZoomPasswordClient {
    pub(crate) transport: Rc<Transport>,
}

#[wasm_bindgen(js_class = ZoomPasswordClient)]
impl ZoomPasswordClient {
    /// `{ accessToken | tokenProvider, baseUrl?, retry?, timeoutMs?, requestsPerSecond?, encoding? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ZoomPasswordClient, JsValue> {
        let bag = OptionBag::new(&options, "options", "")?.only(&[&[
            ACCESS_TOKEN,
            TOKEN_PROVIDER,
            BASE_URL,
            RETRY,
            TIMEOUT_MS,
            REQUESTS_PER_SECOND,
            ENCODING,
        ]])?;
        let base_url = bag.text(BASE_URL)?;
        let token =
            match (bag.present(ACCESS_TOKEN)?, bag.present(TOKEN_PROVIDER)?) {
                (Some(token), None) => TokenSource::read(&token)?,
                (None, Some(provider)) if provider.is_function() => TokenSource::read(&provider)?,
                (None, Some(_)) => {
                    return Err(Failure::invalid_options(
                        TOKEN_PROVIDER.name,
                        "tokenProvider must be a function.",
                    )
                    .into())
                }
                // A page calling a same-origin proxy, which adds the token.
                (None, None) if proxied(base_url.as_deref()) => TokenSource::AddedByProxy,
                _ => return Err(Failure::invalid_options(
                    ACCESS_TOKEN.name,
                    "Give exactly one of accessToken (a token or a function) and tokenProvider (none only with a same-origin baseUrl such as \"/zoom\" in a page).",
                )
                .into()),
            };
        let mut transport = Transport::from_options(&bag, Some(&Transport::new(token)))?;
        // Refuse a bad baseUrl now rather than on every call.
        resolve_base_url(
            transport.base_url.as_deref(),
            page_url_for(transport.base_url.as_deref()).as_deref(),
        )?;
        if let Some(rate) = bag.number(REQUESTS_PER_SECOND)? {
            transport.pacer = Some(Rc::new(RefCell::new(Pacer::new(rate, 1)?)));
        }
        Ok(ZoomPasswordClient {
            transport: Rc::new(transport),
        })
    }

    /// Changes one user's password; `options` may override the client's
    /// settings for this call and add `policy`, `validate`, `maybeApplied`
    /// and `signal`.
    #[wasm_bindgen(js_name = updatePassword)]
    pub fn update_password(
        &self,
        user_id: JsValue,
        password: JsValue,
        options: JsValue,
    ) -> Promise {
        let defaults = self.transport.clone();
        spawn(async move {
            let run = async {
                let bag = OptionBag::optional(&options, "options")?
                    .map(|bag| bag.only(&[&TRANSPORT_OPTIONS, &CHANGE_OPTIONS]))
                    .transpose()?;
                let transport = call_transport(&defaults, bag.as_ref())?;
                let change = PasswordChange::read(
                    &user_id,
                    &password,
                    &ChangeSettings::read(bag.as_ref())?,
                )?;
                change.run(&transport).await
            };
            run.await
                .map_err(|failure| failure.into_error_for(&user_id))
        })
    }

    /// The account's `security.password_requirement`, as Zoom sends it; `{}`
    /// for a free account (Zoom answers "Only available for paid accounts").
    #[wasm_bindgen(js_name = fetchPasswordPolicy)]
    pub fn fetch_password_policy(&self, account_id: JsValue, options: JsValue) -> Promise {
        let defaults = self.transport.clone();
        spawn(async move { Ok(fetch_password_policy(&defaults, &account_id, &options).await?) })
    }
}

/// What every method of a client rejects with after `client.free()`
/// (pkg-templates/api.js asks for it; JS alone knows the client was freed).
#[wasm_bindgen(js_name = freedClientError, skip_typescript)]
pub fn freed_client_error() -> JsValue {
    Failure::invalid_options(
        "client",
        "This ZoomPasswordClient was released with free(); create a new one.",
    )
    .into()
}

/// The client's transport, or a copy with this call's overrides.
fn call_transport(defaults: &Rc<Transport>, bag: Option<&OptionBag>) -> Result<Transport, Failure> {
    match bag {
        None => Ok(Transport::clone(defaults)),
        Some(bag) => Transport::from_options(bag, Some(defaults)),
    }
}

async fn fetch_password_policy(
    defaults: &Rc<Transport>,
    account_id: &JsValue,
    options: &JsValue,
) -> Result<JsValue, CallFailure> {
    let id = match given(account_id.clone()) {
        Some(id) => string_value(&id, ErrorKind::InvalidOptions, "accountId", "")?,
        None => "me".to_owned(),
    };
    let bag = OptionBag::optional(options, "options")?
        .map(|bag| bag.only(&[&TRANSPORT_OPTIONS]))
        .transpose()?;
    let transport = call_transport(defaults, bag.as_ref())?;
    account_policy(&transport, &id).await
}

/// `GET {base}/accounts/{id}/settings?option=security`: the account's
/// `password_requirement`, under `security` or at the top level (Zoom's
/// OpenAPI document allows both). A free account's "Only available for paid
/// accounts" is `{}` (the basic rules); any other answer without a
/// requirement object is `unexpected_response`, never a silent `{}`, which
/// would turn the account's policy off. The password proxy reads it too.
pub(crate) async fn account_policy(
    transport: &Transport,
    account_id: &str,
) -> Result<JsValue, CallFailure> {
    let url = security_settings_url(
        account_id,
        transport.base_url.as_deref(),
        page_url_for(transport.base_url.as_deref()).as_deref(),
    )?;
    let call = Call {
        method: Method::GET,
        url: JsValue::from_str(&url),
        host: authority(&url),
        password: None,
        maybe_applied: false,
    };
    let answer = match transport.execute(&call).await {
        Ok(Delivered::Answered { answer, .. }) => answer,
        Ok(Delivered::AlreadySet { .. }) => return Err(no_requirement().into()),
        Err(failure) if paid_accounts_only(&failure.failure) => {
            return Ok(js_sys::Object::new().into())
        }
        Err(failure) => return Err(failure),
    };
    let settings = answer
        .json()
        .filter(JsValue::is_object)
        .ok_or_else(no_requirement)?;
    [property(&settings, "security"), settings]
        .iter()
        .map(|holder| property(holder, "password_requirement"))
        .find(|requirement| requirement.is_object() && !super::js::is_array(requirement))
        .ok_or_else(|| no_requirement().into())
}

fn no_requirement() -> Failure {
    Failure::client(
        ErrorKind::UnexpectedResponse,
        "The account settings answer holds no password_requirement object.",
    )
}
