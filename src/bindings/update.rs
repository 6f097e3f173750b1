//! `updatePassword(options)`, and the password change a client runs for
//! `client.updatePassword(userId, password, options)` and for each item of
//! `updatePasswords`: read and check the inputs, validate the password
//! (nothing is sent when it fails), with `breachCheck` ask the range API
//! (breach.rs; a breached password or a failed query sends nothing), build
//! the URL, then `PUT {baseUrl}/users/{userId}/password` through the transport.

use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::breach::{BreachCheck, RangeCache};
use super::errors::CallFailure;
use super::js::{spawn, update_result};
use super::letters::PlatformClasses;
use super::options::{
    string_value, OptionBag, BREACH_CHECK, CHANGE_OPTIONS, MAYBE_APPLIED, PASSWORD, POLICY,
    TRANSPORT_OPTIONS, USER_ID, VALIDATE,
};
use super::transport::{Call, Delivered, Transport};
use super::validate::{read_password, read_policy};
use crate::core::breach::breached_failure;
use crate::core::error::{ErrorKind, Failure};
use crate::core::password::{printable_failure, validate_password_with, Policy};
use crate::core::request::{authority, password_url_under};

#[wasm_bindgen(js_name = updatePassword, skip_typescript)]
pub fn update_password(options: JsValue) -> Promise {
    spawn(async move {
        let bag = OptionBag::new(&options, "options", "")?;
        // Read at once; the user id first, so that any refusal names it.
        let read = bag.read(&[&[USER_ID, PASSWORD], &TRANSPORT_OPTIONS, &CHANGE_OPTIONS]);
        let user_id = match &read {
            Ok(read) => read.get(USER_ID)?,
            Err(_) => bag.get(USER_ID)?,
        };
        let run = async {
            let bag = read?;
            bag.refuse_unknown()?;
            let password = bag.get(PASSWORD)?;
            let transport = Transport::from_options(&bag, None)?;
            let change =
                PasswordChange::read(&user_id, &password, &ChangeSettings::read(Some(&bag))?)?;
            change.run(&transport).await
        };
        run.await
            .map_err(|failure| failure.into_error_for(&user_id))
    })
}

/// What a call (or a whole bulk run) says about how to change passwords.
#[derive(Clone)]
pub(crate) struct ChangeSettings {
    pub policy: Policy,
    pub validate: bool,
    pub maybe_applied: bool,
    /// `breachCheck`: ask the range API before anything is sent to Zoom.
    pub breach_check: Option<Rc<BreachCheck>>,
}

impl ChangeSettings {
    /// `policy`, `validate` and `maybeApplied` from an option object.
    pub fn read(bag: Option<&OptionBag>) -> Result<ChangeSettings, Failure> {
        let Some(bag) = bag else {
            return Ok(ChangeSettings {
                policy: Policy::BASIC,
                validate: true,
                maybe_applied: false,
                breach_check: None,
            });
        };
        Ok(ChangeSettings {
            // Absent needs no look at the value (a crossing less).
            policy: match bag.present(POLICY)? {
                Some(policy) => read_policy(&policy)?,
                None => Policy::BASIC,
            },
            validate: bag.flag(VALIDATE)?.unwrap_or(true),
            maybe_applied: bag.flag(MAYBE_APPLIED)?.unwrap_or(false),
            breach_check: BreachCheck::read(bag.present(BREACH_CHECK)?)?,
        })
    }
}

/// One password change, its inputs checked.
pub(crate) struct PasswordChange {
    /// The user id and password as text, and as the caller's own JS
    /// strings (the result and the body carry those, with no copy back).
    pub user_id: String,
    user_id_js: JsValue,
    password: String,
    password_js: JsValue,
    pub settings: ChangeSettings,
}

impl PasswordChange {
    pub fn read(
        user_id: &JsValue,
        password: &JsValue,
        settings: &ChangeSettings,
    ) -> Result<PasswordChange, Failure> {
        Ok(PasswordChange {
            user_id: string_value(user_id, ErrorKind::InvalidUserId, USER_ID.name, "")?,
            user_id_js: user_id.clone(),
            password: read_password(password)?,
            password_js: password.clone(),
            settings: settings.clone(),
        })
    }

    /// A change from text already read in Rust (the proxy's decoded path
    /// segment and body field): its JS strings are made once and nothing is
    /// read back, as `read` would (a Rust string is always well-formed).
    #[cfg(feature = "proxy")]
    pub fn from_text(user_id: &str, password: String, settings: ChangeSettings) -> PasswordChange {
        PasswordChange {
            user_id: user_id.to_owned(),
            user_id_js: JsValue::from_str(user_id),
            password_js: JsValue::from_str(&password),
            password,
            settings,
        }
    }

    /// Validates, then sends the change through `transport`: resolves
    /// `{ userId, attempts, alreadySet }`.
    pub async fn run(&self, transport: &Transport) -> Result<JsValue, CallFailure> {
        let (attempts, already_set) = self.send(transport, None).await?;
        Ok(update_result(&self.user_id_js, attempts, already_set))
    }

    /// `(attempts, alreadySet)`. `range_cache` shares breached-password
    /// range answers between the items of a bulk run.
    pub async fn send(
        &self,
        transport: &Transport,
        range_cache: Option<&RangeCache>,
    ) -> Result<(u32, bool), CallFailure> {
        let url = password_url_under(transport.resolved_base_url()?, &self.user_id)?;
        // `validate: false` skips Zoom's rules, never `printable`: a body
        // must carry exactly the text that was checked.
        let refused = if self.settings.validate {
            validate_password_with(&self.password, &self.settings.policy, &PlatformClasses)
                .into_failure()
        } else {
            printable_failure(&self.password)
        };
        if let Some(failure) = refused {
            return Err(failure.into());
        }
        // After the rules (a password they refuse needs no query), before
        // Zoom: a breached password, or a failed query, sends nothing.
        if let Some(check) = &self.settings.breach_check {
            let count = check
                .count(&self.password, transport.signal.as_ref(), range_cache)
                .await?;
            if count > 0 {
                return Err(breached_failure().into());
            }
        }
        let call = Call {
            method: Method::PUT,
            url: JsValue::from_str(&url),
            host: authority(&url),
            password: Some((&self.password, &self.password_js)),
            maybe_applied: self.settings.maybe_applied,
        };
        match transport.execute(&call).await? {
            Delivered::Answered { attempts, .. } => Ok((attempts, false)),
            Delivered::AlreadySet { attempts } => Ok((attempts, true)),
        }
    }
}
