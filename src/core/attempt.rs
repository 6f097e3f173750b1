//! What follows one attempt of an API call. The loop that sends, sleeps and
//! asks for tokens lives in the bindings (it needs `fetch` and timers); every
//! decision it makes is taken here, so it is tested natively: classify the
//! answer, cut the secrets from server text, decide retry / refresh /
//! already-set / fail, and whether the whole client must pause (a 429).

use crate::core::classify::{classify_sent_response, HttpResponse};
use crate::core::error::{redacted, ErrorKind, Failure, RateLimitType};
use crate::core::retry::{Attempts, Step};
use crate::core::text::first_chars;

/// The longest piece of a transport error's text kept in a message.
const MAX_DETAIL_CHARS: usize = 200;
/// How long a 429 without `Retry-After` pauses the pacer.
const DEFAULT_HOLD_MS: u64 = 1000;

#[derive(Debug, PartialEq)]
pub enum Next {
    /// A 2xx answer: the call succeeded.
    Done,
    /// Send again after `delay_ms`. `failure` is how this attempt ended: the
    /// call's outcome if no retry may follow (a bulk run that was stopped).
    Retry {
        delay_ms: u64,
        failure: Failure,
    },
    /// Ask the token function for a fresh token, then send again at once
    /// (`failure`, the 401, is the outcome if that cannot happen).
    RefreshToken {
        failure: Failure,
    },
    /// An earlier attempt whose answer was lost had already made the change.
    AlreadySet,
    Fail(Failure),
}

#[derive(Debug, PartialEq)]
pub struct Settled {
    pub next: Next,
    /// A per-second 429: no request of the client may start for this long
    /// (the account's limit is shared, so every worker slows, not one).
    pub hold_ms: Option<u64>,
}

/// After an HTTP answer. `secrets` (the password, the token used) are cut
/// from any server text before it can reach an error.
pub fn after_answer(
    attempts: &mut Attempts,
    response: &HttpResponse<'_>,
    now_ms: u64,
    secrets: &[&str],
    can_refresh: bool,
    random: u32,
) -> Settled {
    match classify_sent_response(response, now_ms, secrets) {
        Ok(()) => Settled {
            next: Next::Done,
            hold_ms: None,
        },
        Err(failure) => after_failure(attempts, failure, can_refresh, random),
    }
}

/// After a failed attempt (an answer classified as a failure, or no answer;
/// its text already free of secrets, see [`network_failure`]).
pub fn after_failure(
    attempts: &mut Attempts,
    failure: Failure,
    can_refresh: bool,
    random: u32,
) -> Settled {
    let hold_ms = match (failure.kind, failure.rate_limit_type) {
        (ErrorKind::RateLimited, Some(RateLimitType::Qps) | None) => {
            Some(failure.retry_after_ms.unwrap_or(DEFAULT_HOLD_MS))
        }
        _ => None,
    };
    if failure.kind == ErrorKind::UnsupportedEnvironment {
        // Found before the request could leave: not an attempt, and trying
        // again in this runtime cannot help.
        attempts.never_left();
        return Settled {
            next: Next::Fail(failure),
            hold_ms,
        };
    }
    if failure.kind == ErrorKind::Aborted {
        // The caller gave up while a request was out: it may have landed.
        // Nothing follows, whatever the budget says.
        attempts.answer_lost();
        return Settled {
            next: Next::Fail(failure),
            hold_ms,
        };
    }
    let next = match attempts.after_failure(&failure, can_refresh, random) {
        Step::Retry { delay_ms } => Next::Retry { delay_ms, failure },
        Step::RefreshToken => Next::RefreshToken { failure },
        Step::AlreadySet => Next::AlreadySet,
        Step::Fail => Next::Fail(failure),
    };
    Settled { next, hold_ms }
}

/// Why an attempt got no answer: aborted, timeout, or (see
/// [`network_failure`]) the network.
pub fn transport_failure(
    kind: ErrorKind,
    detail: Option<&str>,
    code: Option<&str>,
    secrets: &[&str],
) -> Failure {
    match kind {
        ErrorKind::Aborted => Failure::client(
            ErrorKind::Aborted,
            "The operation was aborted by its AbortSignal.",
        ),
        ErrorKind::Timeout => {
            // Also the breached-password range query's: it names no server.
            Failure::client(ErrorKind::Timeout, "No answer arrived within timeoutMs.")
        }
        _ => network_failure(None, detail, code, secrets),
    }
}

/// A request to `host` that got no answer, in one shape whatever the
/// platform: `The request to 127.0.0.1:9 failed before an answer arrived:
/// fetch failed (ECONNREFUSED)`. `detail` and `code` are what the platform
/// said (undici: "fetch failed", its reason in `cause.code`), each cut to
/// 200 characters, and `secrets` cut from them (a platform may quote the
/// request it failed to send).
pub fn network_failure(
    host: Option<&str>,
    detail: Option<&str>,
    code: Option<&str>,
    secrets: &[&str],
) -> Failure {
    let mut message = String::from("The request");
    if let Some(host) = host.filter(|h| !h.is_empty()) {
        message.push_str(" to ");
        message.push_str(host);
    }
    message.push_str(" failed before an answer arrived");
    if let Some(detail) = detail {
        message.push_str(": ");
        message.push_str(first_chars(detail, MAX_DETAIL_CHARS));
    }
    if let Some(code) = code {
        message.push_str(" (");
        message.push_str(first_chars(code, MAX_DETAIL_CHARS));
        message.push(')');
    }
    Failure::client(ErrorKind::NetworkError, redacted(message.into(), secrets))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::body::native::parse;
    use crate::core::body::ZoomBody;
    use crate::core::retry::RetryPolicy;

    /// Leaked: a test's few bodies live as long as the test binary.
    fn answer(status: u16, body: &str, retry_after: Option<&'static str>) -> HttpResponse<'static> {
        let body = Box::leak(Box::new(ZoomBody::read(body, &parse)));
        HttpResponse {
            status,
            body,
            retry_after,
            rate_limit_type: None,
        }
    }

    fn fresh() -> Attempts {
        let mut attempts = Attempts::new(RetryPolicy::default());
        attempts.start();
        attempts
    }

    #[test]
    fn success_is_done() {
        let settled = after_answer(&mut fresh(), &answer(204, "", None), 0, &[], false, 0);
        assert_eq!(
            settled,
            Settled {
                next: Next::Done,
                hold_ms: None
            }
        );
    }

    #[test]
    fn server_text_loses_the_secrets() {
        let body = r#"{"code":300,"message":"echo Secret-1 tok-XYZ"}"#;
        let settled = after_answer(
            &mut fresh(),
            &answer(400, body, None),
            0,
            &["Secret-1", "tok-XYZ"],
            false,
            0,
        );
        let Next::Fail(failure) = settled.next else {
            panic!("{settled:?}")
        };
        assert!(!failure.message.contains("Secret-1") && !failure.message.contains("tok-XYZ"));
    }

    #[test]
    fn a_qps_429_holds_the_pacer_and_retries() {
        let mut attempts = fresh();
        let settled = after_answer(&mut attempts, &answer(429, "", Some("2")), 0, &[], false, 0);
        assert_eq!(settled.hold_ms, Some(2000));
        assert!(
            matches!(settled.next, Next::Retry { delay_ms: 2000, ref failure } if failure.kind == ErrorKind::RateLimited)
        );
        let no_header = after_answer(
            &mut attempts,
            &answer(429, r#"{"code":429,"message":"x"}"#, None),
            0,
            &[],
            false,
            0,
        );
        assert_eq!(no_header.hold_ms, Some(DEFAULT_HOLD_MS));
    }

    #[test]
    fn aborted_fails_at_once_with_budget_left() {
        let failure = transport_failure(ErrorKind::Aborted, None, None, &[]);
        let mut attempts = fresh();
        assert!(!attempts.outcome_unknown());
        let settled = after_failure(&mut attempts, failure, true, 0);
        assert!(matches!(settled.next, Next::Fail(ref f) if f.kind == ErrorKind::Aborted));
        // Aborted while the request was out: it may have landed.
        assert!(attempts.outcome_unknown());
    }

    #[test]
    fn an_unsupported_environment_is_no_attempt_and_final() {
        let mut attempts = fresh();
        let failure = Failure::client(
            ErrorKind::UnsupportedEnvironment,
            "FormData is not available here.",
        );
        let settled = after_failure(&mut attempts, failure, true, 0);
        assert!(
            matches!(settled.next, Next::Fail(ref f) if f.kind == ErrorKind::UnsupportedEnvironment)
        );
        assert_eq!(attempts.made(), 0);
        assert!(!attempts.outcome_unknown());
    }

    #[test]
    fn a_lost_answer_then_password_reused_is_already_set() {
        let mut attempts = fresh();
        let lost = transport_failure(
            ErrorKind::NetworkError,
            Some("fetch failed"),
            Some("ECONNRESET"),
            &[],
        );
        assert!(matches!(
            after_failure(&mut attempts, lost, false, 0).next,
            Next::Retry { .. }
        ));
        attempts.start();
        let reused = r#"{"code":300,"message":"The new password can not match the old password."}"#;
        let settled = after_answer(&mut attempts, &answer(400, reused, None), 0, &[], false, 0);
        assert_eq!(settled.next, Next::AlreadySet);
    }

    #[test]
    fn a_401_refreshes_once_when_it_can() {
        let mut attempts = fresh();
        let body = r#"{"code":124,"message":"Invalid access token."}"#;
        assert!(matches!(
            after_answer(&mut attempts, &answer(401, body, None), 0, &[], true, 0).next,
            Next::RefreshToken { ref failure } if failure.kind == ErrorKind::Unauthorized
        ));
        attempts.start();
        assert!(matches!(
            after_answer(&mut attempts, &answer(401, body, None), 0, &[], true, 0).next,
            Next::Fail(_)
        ));
    }

    #[test]
    fn network_messages_keep_detail_and_code_but_not_without_bound() {
        let long = "x".repeat(1000);
        let failure = transport_failure(
            ErrorKind::NetworkError,
            Some(&long),
            Some("ECONNREFUSED"),
            &[],
        );
        assert!(failure.message.ends_with(" (ECONNREFUSED)"));
        assert_eq!(
            network_failure(Some("127.0.0.1:9"), Some("fetch failed"), Some("ECONNREFUSED"), &[])
                .message,
            "The request to 127.0.0.1:9 failed before an answer arrived: fetch failed (ECONNREFUSED)"
        );
        assert!(failure.message.len() < 300);
        assert!(failure.retryable);
        assert_eq!(
            transport_failure(ErrorKind::Timeout, None, None, &[]).kind,
            ErrorKind::Timeout
        );
    }

    #[test]
    fn a_platform_message_quoting_a_secret_is_cut_at_birth() {
        let failure = network_failure(
            Some("api.zoom.us"),
            Some("could not send password=Secret-1 with tok-XYZ"),
            Some("tok-XYZ"),
            &["Secret-1", "tok-XYZ"],
        );
        assert!(!failure.message.contains("Secret-1") && !failure.message.contains("tok-XYZ"));
        assert!(
            failure.message.contains("[redacted]"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn paid_only_is_recognised() {
        let body = r#"{"code":200,"message":"Only available for paid accounts."}"#;
        // fetchPasswordPolicy resolves {} on this final failure.
        let settled = after_answer(&mut fresh(), &answer(400, body, None), 0, &[], false, 0);
        assert!(
            matches!(&settled.next, Next::Fail(failure) if crate::core::classify::paid_accounts_only(failure))
        );
    }
}
