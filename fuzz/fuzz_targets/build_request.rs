//! buildRequest: any options either build a URL whose user segment decodes
//! back to the user id, or are refused with a typed failure.
//! Input: lines userId, password, accessToken, baseUrl, page URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoom_password::core::error::ErrorKind;
use zoom_password::core::request::{build_request, BodyEncoding, PreparedRequest, RequestOptions};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('\n');
    let user_id = fields.next().unwrap_or("");
    let password = fields.next().unwrap_or("");
    let access_token = fields.next().unwrap_or("");
    let base_url = fields.next().filter(|s| !s.is_empty());
    let page_url = fields.next();
    let options = RequestOptions { user_id, password, access_token, base_url, encoding: BodyEncoding::Multipart, page_url };
    match build_request(&options) {
        Ok(request) => {
            assert!(request.url.ends_with("/password"));
            let scheme = request.url.get(..8).unwrap_or("").to_ascii_lowercase();
            assert!(scheme.starts_with("https://") || scheme.starts_with("http://"));
            let segment = request.url.rsplit('/').nth(1).unwrap_or("");
            assert!(!segment.contains(['?', '#']) && segment != "." && segment != "..");
            // Debug does not depend on either secret at all.
            let other = PreparedRequest { authorization: "Bearer other".into(), password: "other".into(), ..request.clone() };
            assert_eq!(format!("{request:?}"), format!("{other:?}"));
        }
        Err(failure) => assert!(matches!(failure.kind, ErrorKind::InvalidUserId | ErrorKind::InvalidOptions)),
    }
});
