//! `buildRequest(options)`: the request `updatePassword` would send.

use wasm_bindgen::prelude::*;

use super::js::{page_url, parse_json, string_value, OptionBag};
use super::validate::read_password;
use crate::error::ErrorKind;
use crate::output;
use crate::request::{self, BodyEncoding, PreparedRequest, RequestOptions};

#[wasm_bindgen(js_name = buildRequest, skip_typescript)]
pub fn build_request(options: JsValue) -> Result<JsValue, JsValue> {
    let bag = OptionBag::new(&options, "options", "")?;
    let user_id = string_value(&bag.get("userId")?, ErrorKind::InvalidUserId, "userId", "")?;
    let password = read_password(&bag.get("password")?)?;
    let access_token = string_value(
        &bag.get("accessToken")?,
        ErrorKind::InvalidOptions,
        "accessToken",
        "",
    )?;
    let base_url = bag.string("baseUrl", ErrorKind::InvalidOptions)?;
    let encoding = read_encoding(&bag)?;
    let page = page_url();
    let prepared = request::build_request(&RequestOptions {
        user_id: &user_id,
        password: &password,
        access_token: &access_token,
        base_url: base_url.as_deref(),
        encoding,
        page_url: page.as_deref(),
    })?;
    Ok(prepared_to_js(&prepared))
}

pub(crate) fn read_encoding(bag: &OptionBag) -> Result<BodyEncoding, crate::error::Failure> {
    match bag.string("encoding", ErrorKind::InvalidOptions)? {
        Some(name) => BodyEncoding::parse(&name),
        None => Ok(BodyEncoding::Multipart),
    }
}

fn prepared_to_js(prepared: &PreparedRequest) -> JsValue {
    parse_json(&output::prepared_request(prepared))
}
