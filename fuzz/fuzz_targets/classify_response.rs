//! classifyResponse (and Retry-After, and the body reader under it): any
//! status, body and headers give one well-formed outcome.
//! Input: lines status, Retry-After, X-RateLimit-Type, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoom_password::core::body::{native, ZoomBody};
use zoom_password::core::classify::{classify_response, HttpResponse};
use zoom_password::core::retry_after::MAX_DELAY_MS;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.splitn(4, '\n');
    let status = fields.next().and_then(|s| s.trim().parse::<u16>().ok()).unwrap_or(400) % 1000;
    let retry_after = fields.next().filter(|s| !s.is_empty());
    let rate_limit_type = fields.next().filter(|s| !s.is_empty());
    let body = ZoomBody::read(fields.next().unwrap_or(""), &native::parse);
    let response = HttpResponse { status, body: &body, retry_after, rate_limit_type };
    if let Err(failure) = classify_response(&response, 1_590_883_199_000) {
        assert!(!failure.message.is_empty());
        assert!(failure.retry_after_ms.map_or(true, |ms| ms <= MAX_DELAY_MS));
    }
});
