//! `buildRequest(options)`: the request `updatePassword` would send.

use wasm_bindgen::prelude::*;

use super::js::{key, page_url_for};
use super::options::{OptionBag, ACCESS_TOKEN, BASE_URL, ENCODING, PASSWORD, USER_ID};
use crate::core::error::Failure;
use crate::core::request::{self, BodyEncoding, PreparedRequest, RequestOptions};

#[wasm_bindgen(module = "/src/bindings/objects.js")]
extern "C" {
    /// The prepared request as object literals, which define their
    /// properties: no setter on `Object.prototype` sees the token or the
    /// password (serde-wasm-bindgen assigns them). `Content-Type` is left
    /// out when `content_type` is `undefined`.
    #[wasm_bindgen(js_name = preparedRequest)]
    #[allow(clippy::too_many_arguments)]
    fn prepared_request(
        method: &JsValue,
        url: &str,
        authorization: &str,
        accept: &JsValue,
        content_type: &JsValue,
        encoding: &JsValue,
        password: &str,
    ) -> JsValue;
}

#[wasm_bindgen(js_name = buildRequest, skip_typescript)]
pub fn build_request(options: JsValue) -> Result<JsValue, JsValue> {
    let bag = OptionBag::new(&options, "options", "")?.only(&[&[
        USER_ID,
        PASSWORD,
        ACCESS_TOKEN,
        BASE_URL,
        ENCODING,
    ]])?;
    let user_id = bag.required_text(USER_ID)?;
    let password = bag.required_text(PASSWORD)?;
    // Here only a string: buildRequest writes the header out.
    let access_token = bag.required_text(ACCESS_TOKEN)?;
    let base_url = bag.text(BASE_URL)?;
    let encoding = read_encoding(&bag)?.unwrap_or(BodyEncoding::Multipart);
    let page = page_url_for(base_url.as_deref());
    let prepared = request::build_request(&RequestOptions {
        user_id: &user_id,
        password: &password,
        access_token: &access_token,
        base_url: base_url.as_deref(),
        encoding,
        page_url: page.as_deref(),
    })?;
    let content_type = match prepared.encoding {
        BodyEncoding::Json => key(PreparedRequest::JSON_CONTENT_TYPE),
        BodyEncoding::Multipart => &JsValue::UNDEFINED,
    };
    Ok(prepared_request(
        key(PreparedRequest::METHOD),
        &prepared.url,
        &prepared.authorization,
        key(PreparedRequest::ACCEPT),
        content_type,
        key(prepared.encoding.as_str()),
        &prepared.password,
    ))
}

/// `encoding`, when given: the one reader of it (buildRequest's and every
/// call's transport).
pub(crate) fn read_encoding(bag: &OptionBag) -> Result<Option<BodyEncoding>, Failure> {
    bag.text(ENCODING)?
        .map(|name| BodyEncoding::parse(&name))
        .transpose()
}
