//! `updatePassword(options)`, and the password change a client runs for
//! `client.updatePassword(userId, password, options)`.

use wasm_bindgen::prelude::*;

use super::error::CallFailure;
use super::js::{page_url, parse_json, string_value, OptionBag};
use super::transport::{Body, Success, Transport};
use super::validate::{read_password, read_policy};
use crate::error::{ErrorKind, Failure};
use crate::output;
use crate::password::{validate_password, Policy};
use crate::request::password_url;

#[wasm_bindgen(js_name = updatePassword, skip_typescript)]
pub async fn update_password(options: JsValue) -> Result<JsValue, JsValue> {
    let (change, transport) = read_standalone(&options)?;
    change.run(&transport).await.map_err(JsValue::from)
}

fn read_standalone(options: &JsValue) -> Result<(PasswordChange, Transport), Failure> {
    let bag = OptionBag::new(options, "options", "")?;
    let user_id = bag.get("userId")?;
    let password = bag.get("password")?;
    let transport = Transport::from_options(&bag, None)?;
    Ok((
        PasswordChange::read(&user_id, &password, Some(&bag))?,
        transport,
    ))
}

/// One password change, its inputs checked.
#[derive(Clone)]
pub(crate) struct PasswordChange {
    pub user_id: String,
    pub password: String,
    pub policy: Policy,
    pub validate: bool,
    /// An earlier run may already have sent this change (a resumed bulk run).
    pub maybe_applied: bool,
}

impl PasswordChange {
    /// `userId` and `password`, plus `policy` and `validate` from `bag`.
    pub fn read(
        user_id: &JsValue,
        password: &JsValue,
        bag: Option<&OptionBag>,
    ) -> Result<PasswordChange, Failure> {
        let user_id = string_value(user_id, ErrorKind::InvalidUserId, "userId", "")?;
        let password = read_password(password)?;
        let (policy, validate, maybe_applied) = match bag {
            Some(bag) => (
                read_policy(&bag.get("policy")?)?,
                bag.boolean("validate")?.unwrap_or(true),
                bag.boolean("maybeApplied")?.unwrap_or(false),
            ),
            None => (Policy::BASIC, true, false),
        };
        Ok(PasswordChange {
            user_id,
            password,
            policy,
            validate,
            maybe_applied,
        })
    }

    /// Validates, then sends `PUT .../users/{userId}/password` through `transport`.
    pub async fn run(&self, transport: &Transport) -> Result<JsValue, CallFailure> {
        let url = password_url(
            &self.user_id,
            transport.base_url.as_deref(),
            page_url().as_deref(),
        )?;
        if self.validate {
            if let Some(failure) = validate_password(&self.password, &self.policy).into_failure() {
                return Err(CallFailure::from(failure).for_user(&self.user_id));
            }
        }
        let body = Body::Password(&self.password);
        let outcome = transport
            .execute("PUT", &url, body, &self.password, self.maybe_applied)
            .await;
        let (attempts, already_set) = match outcome {
            Ok(Success::Answered { attempts, .. }) => (attempts, false),
            Ok(Success::AlreadySet { attempts }) => (attempts, true),
            Err(failure) => return Err(failure.for_user(&self.user_id)),
        };
        Ok(parse_json(&output::update_result(
            &self.user_id,
            attempts,
            already_set,
        )))
    }
}
