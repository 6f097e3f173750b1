//! validatePassword: any text under any policy returns a full, consistent
//! report. Input: first byte picks the policy, the rest is the password.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zoom_password::core::password::{validate_password, Policy};

fuzz_target!(|data: &[u8]| {
    let (selector, rest) = data.split_first().unwrap_or((&0, &[]));
    let password = String::from_utf8_lossy(rest);
    let policy = Policy {
        minimum_password_length: Policy::minimum_length_from(f64::from(selector % 16)).unwrap_or(0),
        have_special_character: selector & 0x10 != 0,
        consecutive_characters_length: Policy::consecutive_length_from(f64::from((selector >> 5) + 3)).unwrap_or(0),
        weak_enhance_detection: selector & 0x80 != 0,
    };
    let report = validate_password(&password, &policy);
    assert_eq!(report.valid(), report.checks.iter().all(|c| c.passed));
    assert!(report.checks.len() >= 7 && report.checks.len() <= 9);
});
