//! The password proxy's decisions on any request: `route` and the body
//! reader never panic; a route they accept names one decoded user id that
//! passes the userId rules and holds no `/`; a body they accept holds
//! exactly one password, which a multipart or JSON body of its own reads
//! back the same.
//! Input: the method, the request-target, the content type, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoom_password::core::proxy::{read_password_field, route, Route, MAX_BODY_BYTES};
use zoom_password::core::request::check_user_id;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let method = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let target = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let content_type = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let body = parts.next().unwrap_or_default();

    match route(&method, &target, "/zoom") {
        Ok(Route::UpdatePassword { user_id }) => {
            assert_eq!(method, "PUT");
            assert!(check_user_id(&user_id).is_ok() && !user_id.contains('/'));
            assert!(!target.contains('?') && !target.contains('#'));
        }
        Ok(Route::ReadPolicy { account_id }) => {
            assert_eq!(method, "GET");
            assert!(check_user_id(&account_id).is_ok() && !account_id.contains('/'));
        }
        Err(refusal) => assert_eq!(refusal.status, 404),
    }

    match read_password_field(Some(&content_type), body) {
        Ok(password) => {
            assert!(body.len() <= MAX_BODY_BYTES);
            // The same password, written as this package writes it, reads back the same.
            let json = format!("{{\"password\":{}}}", escape(&password));
            if json.len() <= MAX_BODY_BYTES {
                assert_eq!(read_password_field(Some("application/json"), json.as_bytes()).as_deref(), Ok(password.as_str()));
            }
        }
        Err(refusal) => assert!(matches!(refusal.status, 400 | 413 | 415)),
    }
});

/// A JSON string literal for `text`.
fn escape(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
