//! `ZoomPasswordClient`: one configuration (token, base URL, retry,
//! timeout, encoding) and one pacer shared by every call made through it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::CallFailure;
use super::js::{given, page_url, property, string_value, OptionBag};
use super::token::TokenSource;
use super::transport::{Body, Success, Transport};
use super::update::PasswordChange;
use crate::classify::paid_accounts_only;
use crate::error::{ErrorKind, Failure};
use crate::pacer::Pacer;
use crate::request::{resolve_base_url, security_settings_url};

#[wasm_bindgen(js_name = ZoomPasswordClient, skip_typescript)]
pub struct ZoomPasswordClient {
    transport: Transport,
}

#[wasm_bindgen(js_class = ZoomPasswordClient)]
impl ZoomPasswordClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ZoomPasswordClient, JsValue> {
        Ok(ZoomPasswordClient {
            transport: read_client_options(&options)?,
        })
    }

    /// Changes one user's password; `options` may override the client's
    /// settings for this call and add `policy`, `validate` and `signal`.
    #[wasm_bindgen(js_name = updatePassword)]
    pub fn update_password(
        &self,
        user_id: JsValue,
        password: JsValue,
        options: JsValue,
    ) -> Promise {
        let transport = self.transport.clone();
        future_to_promise(async move {
            let (change, transport) = per_call(&transport, &user_id, &password, &options)?;
            change.run(&transport).await.map_err(JsValue::from)
        })
    }

    /// Changes many users' passwords, paced and bounded by `concurrency`;
    /// resolves `{ results, succeeded, failed, skipped }` in input order.
    #[wasm_bindgen(js_name = updatePasswords)]
    pub fn update_passwords(&self, items: JsValue, options: JsValue) -> Promise {
        let transport = self.transport.clone();
        future_to_promise(super::bulk::update_passwords(transport, items, options))
    }

    /// The account's `security.password_requirement`, as Zoom sends it; `{}`
    /// for a free account (Zoom answers "Only available for paid accounts").
    #[wasm_bindgen(js_name = fetchPasswordPolicy)]
    pub fn fetch_password_policy(&self, account_id: JsValue, options: JsValue) -> Promise {
        let transport = self.transport.clone();
        future_to_promise(async move {
            let account_id = match given(account_id) {
                None => String::from("me"),
                Some(id) => string_value(&id, ErrorKind::InvalidOptions, "accountId", "")?,
            };
            let transport = match optional_bag(&options)? {
                Some(bag) => Transport::from_options(&bag, Some(&transport))?,
                None => transport,
            };
            fetch_policy(&transport, &account_id)
                .await
                .map_err(JsValue::from)
        })
    }
}

fn optional_bag(options: &JsValue) -> Result<Option<OptionBag>, Failure> {
    given(options.clone())
        .map(|options| OptionBag::new(&options, "options", ""))
        .transpose()
}

/// `{ accessToken | tokenProvider, baseUrl?, retry?, timeoutMs?, requestsPerSecond?, encoding? }`.
fn read_client_options(options: &JsValue) -> Result<Transport, Failure> {
    let bag = OptionBag::new(options, "options", "")?;
    let token = match (bag.present("accessToken")?, bag.present("tokenProvider")?) {
        (Some(access_token), None) => TokenSource::read(&access_token)?,
        (None, Some(provider)) if provider.is_function() => TokenSource::read(&provider)?,
        (None, Some(_)) => {
            return Err(Failure::invalid_options(
                "tokenProvider",
                "tokenProvider must be a function.",
            ))
        }
        _ => {
            return Err(Failure::invalid_options(
                "accessToken",
                "Give exactly one of accessToken (a token or a function) and tokenProvider.",
            ))
        }
    };
    let mut transport = Transport::from_options(&bag, Some(&Transport::new(token)))?;
    // Refuse a bad baseUrl now rather than on every call.
    resolve_base_url(transport.base_url.as_deref(), page_url().as_deref())?;
    if let Some(rate) = bag.number("requestsPerSecond")? {
        transport.pacer = Some(Rc::new(RefCell::new(Pacer::new(rate, 1)?)));
    }
    Ok(transport)
}

/// The change and the transport for one call through a client.
pub(crate) fn per_call(
    transport: &Transport,
    user_id: &JsValue,
    password: &JsValue,
    options: &JsValue,
) -> Result<(PasswordChange, Transport), Failure> {
    match optional_bag(options)? {
        Some(bag) => Ok((
            PasswordChange::read(user_id, password, Some(&bag))?,
            Transport::from_options(&bag, Some(transport))?,
        )),
        None => Ok((
            PasswordChange::read(user_id, password, None)?,
            transport.clone(),
        )),
    }
}

async fn fetch_policy(transport: &Transport, account_id: &str) -> Result<JsValue, CallFailure> {
    let url = security_settings_url(
        account_id,
        transport.base_url.as_deref(),
        page_url().as_deref(),
    )?;
    let body = match transport.execute("GET", &url, Body::None, "", false).await {
        Ok(Success::Answered { body, .. }) => body,
        Ok(Success::AlreadySet { .. }) => String::new(),
        Err(call) if paid_accounts_only(&call.failure) => return Ok(js_sys::Object::new().into()),
        Err(call) => return Err(call),
    };
    let not_settings = || {
        Failure::client(
            ErrorKind::UnexpectedResponse,
            "The account settings answer is not the JSON object Zoom sends.",
        )
    };
    let settings = js_sys::JSON::parse(&body).map_err(|_| not_settings())?;
    if !settings.is_object() {
        return Err(not_settings().into());
    }
    let requirement = property(&property(&settings, "security"), "password_requirement");
    if requirement.is_object() {
        Ok(requirement)
    } else {
        Ok(js_sys::Object::new().into())
    }
}
