//! The hand-written TypeScript declarations (pkg-templates/types.d.ts)
//! name exactly the kinds, rules and rate-limit types the Rust enums have:
//! adding a variant without its type, or the reverse, fails here.

use std::collections::BTreeSet;

use zoom_password::core::error::{ErrorKind, RateLimitType};
use zoom_password::core::password::RuleId;

fn declarations() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/pkg-templates/types.d.ts"
    ))
    .expect("pkg-templates/types.d.ts is readable")
}

/// The string literals of `export type {name} = ...;`, following the other
/// type aliases it names (`ErrorKind` is `ResponseErrorKind | ...`).
fn union(text: &str, name: &str) -> BTreeSet<String> {
    let start = format!("export type {name} =");
    let at = text
        .find(&start)
        .unwrap_or_else(|| panic!("types.d.ts declares no {name}"));
    let body = &text[at + start.len()..];
    let body = &body[..body.find(';').expect("the alias ends with ;")];
    let mut members = BTreeSet::new();
    // Comments may quote words; drop them first.
    let code: String = body
        .split("/**")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once("*/").map_or("", |(_, rest)| rest)
            }
        })
        .collect();
    for member in code.split('|').map(str::trim).filter(|m| !m.is_empty()) {
        match member.strip_prefix('"').and_then(|m| m.strip_suffix('"')) {
            Some(literal) => {
                members.insert(literal.to_owned());
            }
            None => members.extend(union(text, member)),
        }
    }
    members
}

/// The Rust side's names, as a set to compare with a union.
fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    names.into_iter().map(str::to_owned).collect()
}

#[test]
fn error_kinds_match_the_rust_enum() {
    let declared = union(&declarations(), "ErrorKind");
    assert_eq!(declared, set(ErrorKind::ALL.iter().map(|k| k.as_str())));
}

#[test]
fn rule_ids_match_the_rust_enum() {
    let declared = union(&declarations(), "RuleId");
    assert_eq!(declared, set(RuleId::ALL.iter().map(|r| r.as_str())));
}

#[test]
fn response_kinds_are_error_kinds_a_response_can_have() {
    let text = declarations();
    let response = union(&text, "ResponseErrorKind");
    let client_only = [
        "invalid_password",
        "invalid_user_id",
        "invalid_options",
        "network_error",
        "timeout",
        "aborted",
        "unsupported_environment",
    ];
    let rust = set(ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !client_only.contains(k)));
    assert_eq!(response, rust);
}

#[test]
fn rate_limit_types_match_the_rust_enum() {
    let declared = union(&declarations(), "RateLimitType");
    let rust = set([RateLimitType::Qps, RateLimitType::Daily].map(RateLimitType::as_str));
    assert_eq!(declared, rust);
}

/// `ALL` lists every variant: these matches stop compiling when a variant
/// is added, and the counts then say whether `ALL` has it.
#[test]
fn the_all_lists_are_complete() {
    fn error_kind_count(kind: ErrorKind) -> usize {
        match kind {
            ErrorKind::PasswordReused
            | ErrorKind::ChangeLimitReached
            | ErrorKind::PasswordRejected
            | ErrorKind::NotPermitted
            | ErrorKind::UserNotFound
            | ErrorKind::AccountNotFound
            | ErrorKind::Unauthorized
            | ErrorKind::Forbidden
            | ErrorKind::RateLimited
            | ErrorKind::ServerError
            | ErrorKind::UnexpectedResponse
            | ErrorKind::InvalidPassword
            | ErrorKind::InvalidUserId
            | ErrorKind::InvalidOptions
            | ErrorKind::NetworkError
            | ErrorKind::Timeout
            | ErrorKind::Aborted
            | ErrorKind::UnsupportedEnvironment => 18,
        }
    }
    fn rule_count(rule: RuleId) -> usize {
        match rule {
            RuleId::Printable
            | RuleId::MinLength
            | RuleId::MaxLength
            | RuleId::Letter
            | RuleId::Number
            | RuleId::UpperAndLower
            | RuleId::SingleCharacter
            | RuleId::ConsecutiveCharacters
            | RuleId::SpecialCharacter
            | RuleId::WeakPassword
            | RuleId::NotBreached => 11,
        }
    }
    assert_eq!(ErrorKind::ALL.len(), error_kind_count(ErrorKind::Timeout));
    assert_eq!(RuleId::ALL.len(), rule_count(RuleId::Letter));
    let distinct: BTreeSet<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(distinct.len(), ErrorKind::ALL.len());
    let distinct: BTreeSet<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(distinct.len(), RuleId::ALL.len());
}
