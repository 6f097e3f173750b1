//! When to try again, and how long to wait: the arithmetic of
//! `updatePassword`'s resilience. No clock and no randomness of its own: the
//! caller passes a random `u32`, so tests pin every delay.

use crate::core::error::{ErrorKind, Failure, RateLimitType};

pub const DEFAULT_ATTEMPTS: u32 = 3;
pub const DEFAULT_BASE_DELAY_MS: u64 = 500;
pub const DEFAULT_MAX_DELAY_MS: u64 = 30_000;
pub const MAX_ATTEMPTS: u32 = 20;
/// `setTimeout` treats anything longer as 1 ms.
pub const MAX_TIMER_MS: u64 = 2_147_483_647;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first one included.
    pub attempts: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: DEFAULT_ATTEMPTS,
            base_delay_ms: DEFAULT_BASE_DELAY_MS,
            max_delay_ms: DEFAULT_MAX_DELAY_MS,
        }
    }
}

impl RetryPolicy {
    /// `retry: false`: one attempt only.
    pub const NONE: RetryPolicy = RetryPolicy {
        attempts: 1,
        base_delay_ms: 0,
        max_delay_ms: 0,
    };

    /// Checks the values of a `retry` option object (missing ones default).
    pub fn new(
        attempts: Option<f64>,
        base_delay_ms: Option<f64>,
        max_delay_ms: Option<f64>,
    ) -> Result<RetryPolicy, Failure> {
        let defaults = RetryPolicy::default();
        let attempts = match attempts {
            None => defaults.attempts,
            Some(value) => match whole_number(value, MAX_ATTEMPTS as u64) {
                Some(n) if n >= 1 => n as u32,
                _ => {
                    return Err(Failure::invalid_options(
                        "retry.attempts",
                        "retry.attempts must be an integer from 1 to 20.",
                    ))
                }
            },
        };
        let delay = |value: Option<f64>,
                     default: u64,
                     field: &'static str,
                     message: &'static str| match value {
            None => Ok(default),
            Some(value) => whole_number(value, MAX_TIMER_MS)
                .ok_or_else(|| Failure::invalid_options(field, message)),
        };
        let base_delay_ms = delay(
            base_delay_ms,
            defaults.base_delay_ms,
            "retry.baseDelayMs",
            "retry.baseDelayMs must be an integer from 0 to 2147483647.",
        )?;
        let max_delay_ms = delay(
            max_delay_ms,
            defaults.max_delay_ms.max(base_delay_ms),
            "retry.maxDelayMs",
            "retry.maxDelayMs must be an integer from 0 to 2147483647.",
        )?;
        if base_delay_ms > max_delay_ms {
            return Err(Failure::invalid_options(
                "retry.baseDelayMs",
                "retry.baseDelayMs must not be greater than retry.maxDelayMs.",
            ));
        }
        Ok(RetryPolicy {
            attempts,
            base_delay_ms,
            max_delay_ms,
        })
    }

    /// Exponential backoff with full jitter: uniform in
    /// `[0, min(max_delay_ms, base_delay_ms * 2^(failures - 1))]`, where
    /// `failures` counts the failed attempts so far (1 after the first).
    pub fn backoff_ms(&self, failures: u32, random: u32) -> u64 {
        let exponent = failures.saturating_sub(1).min(40);
        let ceiling = self
            .base_delay_ms
            .saturating_mul(1u64 << exponent)
            .min(self.max_delay_ms);
        // ceiling * random / 2^32, rounded so that random = u32::MAX reaches the ceiling.
        ((ceiling as u128 * (random as u128 + 1)) >> 32) as u64
    }
}

/// A non-negative integer no greater than `max`, from a JS number.
pub fn whole_number(value: f64, max: u64) -> Option<u64> {
    if value >= 0.0 && value <= max as f64 && value == (value as u64) as f64 {
        Some(value as u64)
    } else {
        None
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Wait, then send again.
    Retry { delay_ms: u64 },
    /// Ask the token function for a fresh token (`{ refresh: true }`), then
    /// send again at once.
    RefreshToken,
    /// An earlier attempt whose answer was lost did change the password.
    AlreadySet,
    /// The failure is final.
    Fail,
}

/// The state of one `updatePassword` call across its attempts.
#[derive(Clone, Debug)]
pub struct Attempts {
    policy: RetryPolicy,
    made: u32,
    failures_counted: u32,
    outcome_unknown: bool,
    refreshed: bool,
}

impl Attempts {
    pub fn new(policy: RetryPolicy) -> Attempts {
        Attempts {
            policy,
            made: 0,
            failures_counted: 0,
            outcome_unknown: false,
            refreshed: false,
        }
    }

    /// An earlier run may already have sent this very change and lost the
    /// answer (a resumed bulk run): reconcile as after a lost answer.
    pub fn after_unknown_prior_attempt(mut self) -> Attempts {
        self.outcome_unknown = true;
        self
    }

    /// Call just before each request is sent.
    pub fn start(&mut self) {
        self.made += 1;
    }

    /// Attempts sent so far.
    /// The attempt just started never left: the runtime lacks what sending
    /// needs (`unsupported_environment`), so it is not counted.
    pub fn never_left(&mut self) {
        self.made = self.made.saturating_sub(1);
    }

    pub fn made(&self) -> u32 {
        self.made
    }

    /// Whether a request of this call may have changed the password
    /// without the answer saying so (a network error, a timeout, a 5xx, an
    /// abort while it was out, or a run before this one, `maybeApplied`).
    pub fn outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }

    /// A request was out when the call gave up on it (an abort).
    pub fn answer_lost(&mut self) {
        self.outcome_unknown = true;
    }

    /// Decides what follows `failure`. `can_refresh` is true when the token
    /// came from a function; `random` feeds the jitter.
    pub fn after_failure(&mut self, failure: &Failure, can_refresh: bool, random: u32) -> Step {
        if failure.kind == ErrorKind::PasswordReused && self.outcome_unknown {
            // The lost attempt landed: the password is already the new one.
            return Step::AlreadySet;
        }
        if failure.kind == ErrorKind::Unauthorized {
            // One refresh per call, outside the retry budget: an expired
            // token is not a transient fault.
            if can_refresh && !self.refreshed {
                self.refreshed = true;
                return Step::RefreshToken;
            }
            return Step::Fail;
        }
        if failure.kind.outcome_unknown() {
            self.outcome_unknown = true;
        }
        self.failures_counted += 1;
        if self.failures_counted >= self.policy.attempts {
            return Step::Fail;
        }
        match failure.kind {
            ErrorKind::RateLimited => match failure.rate_limit_type {
                Some(RateLimitType::Qps) => {}
                None if failure.retry_after_ms.is_some() => {}
                // A daily limit (or an unknown one with no date) will not lift
                // within a backoff: the caller schedules with retryAfterMs.
                _ => return Step::Fail,
            },
            ErrorKind::ServerError | ErrorKind::NetworkError | ErrorKind::Timeout => {}
            _ => return Step::Fail,
        }
        let backoff = self.policy.backoff_ms(self.failures_counted, random);
        let delay_ms = match failure.retry_after_ms {
            // The server asks for more than the caller is willing to wait.
            Some(asked) if asked > self.policy.max_delay_ms => return Step::Fail,
            // Never earlier than asked, and never less than the backoff: a
            // date already past (clock skew, whole-second rounding) must not
            // turn into a burst of immediate retries.
            Some(asked) => asked.max(backoff),
            None => backoff,
        };
        Step::Retry { delay_ms }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::classify::{classify_response, HttpResponse};

    fn failure(kind: ErrorKind) -> Failure {
        Failure::client(kind, "x")
    }

    fn rate_limited(limit_type: Option<RateLimitType>, retry_after_ms: Option<u64>) -> Failure {
        Failure::from(crate::core::error::FailureData {
            rate_limit_type: limit_type,
            retry_after_ms,
            ..crate::core::error::FailureData::client(ErrorKind::RateLimited, "x")
        })
    }

    #[test]
    fn option_checks() {
        assert_eq!(
            RetryPolicy::new(None, None, None),
            Ok(RetryPolicy::default())
        );
        assert_eq!(
            RetryPolicy::new(Some(5.0), Some(10.0), Some(100.0)),
            Ok(RetryPolicy {
                attempts: 5,
                base_delay_ms: 10,
                max_delay_ms: 100
            })
        );
        // A base above the default cap lifts the default cap with it.
        assert_eq!(
            RetryPolicy::new(None, Some(40_000.0), None)
                .unwrap()
                .max_delay_ms,
            40_000
        );
        for (a, b, m, field) in [
            (Some(0.0), None, None, "retry.attempts"),
            (Some(21.0), None, None, "retry.attempts"),
            (Some(2.5), None, None, "retry.attempts"),
            (Some(f64::NAN), None, None, "retry.attempts"),
            (None, Some(-1.0), None, "retry.baseDelayMs"),
            (None, None, Some(3e9), "retry.maxDelayMs"),
            (None, Some(100.0), Some(10.0), "retry.baseDelayMs"),
        ] {
            let err = RetryPolicy::new(a, b, m).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidOptions);
            assert_eq!(err.field_errors[0].field, field);
        }
    }

    #[test]
    fn backoff_bounds_cap_and_jitter_range() {
        let policy = RetryPolicy {
            attempts: 10,
            base_delay_ms: 100,
            max_delay_ms: 1000,
        };
        assert_eq!(policy.backoff_ms(1, 0), 0);
        assert_eq!(policy.backoff_ms(1, u32::MAX), 100);
        assert_eq!(policy.backoff_ms(2, u32::MAX), 200);
        assert_eq!(policy.backoff_ms(3, u32::MAX), 400);
        assert_eq!(policy.backoff_ms(4, u32::MAX), 800);
        assert_eq!(policy.backoff_ms(5, u32::MAX), 1000, "capped");
        assert_eq!(policy.backoff_ms(1000, u32::MAX), 1000, "no overflow");
        assert_eq!(policy.backoff_ms(3, u32::MAX / 2 + 1), 200, "half way");
        // Every random value lands inside [0, ceiling].
        let mut state = 0x9E37_79B9u32;
        for failures in 1..12 {
            let ceiling = (100u64 << (failures - 1)).min(1000);
            for _ in 0..1000 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                assert!(policy.backoff_ms(failures, state) <= ceiling);
            }
        }
        let huge = RetryPolicy {
            attempts: 3,
            base_delay_ms: MAX_TIMER_MS,
            max_delay_ms: MAX_TIMER_MS,
        };
        assert_eq!(huge.backoff_ms(64, u32::MAX), MAX_TIMER_MS);
    }

    #[test]
    fn transient_failures_retry_until_attempts_run_out() {
        let mut attempts = Attempts::new(RetryPolicy {
            attempts: 3,
            base_delay_ms: 100,
            max_delay_ms: 1000,
        });
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::ServerError), false, u32::MAX),
            Step::Retry { delay_ms: 100 }
        );
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::Timeout), false, u32::MAX),
            Step::Retry { delay_ms: 200 }
        );
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::NetworkError), false, u32::MAX),
            Step::Fail
        );
        assert_eq!(attempts.made(), 3);
    }

    #[test]
    fn final_kinds_never_retry() {
        for kind in [
            ErrorKind::PasswordRejected,
            ErrorKind::PasswordReused,
            ErrorKind::ChangeLimitReached,
            ErrorKind::NotPermitted,
            ErrorKind::UserNotFound,
            ErrorKind::Forbidden,
            ErrorKind::UnexpectedResponse,
            ErrorKind::InvalidPassword,
            ErrorKind::Aborted,
        ] {
            let mut attempts = Attempts::new(RetryPolicy::default());
            attempts.start();
            assert_eq!(
                attempts.after_failure(&failure(kind), true, 0),
                Step::Fail,
                "{kind:?}"
            );
        }
        let mut attempts = Attempts::new(RetryPolicy::default());
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::Unauthorized), false, 0),
            Step::Fail
        );
    }

    #[test]
    fn rate_limits() {
        let policy = RetryPolicy {
            attempts: 3,
            base_delay_ms: 100,
            max_delay_ms: 5000,
        };
        let step = |f: Failure| {
            let mut attempts = Attempts::new(policy);
            attempts.start();
            attempts.after_failure(&f, false, u32::MAX)
        };
        assert_eq!(
            step(rate_limited(Some(RateLimitType::Qps), Some(1000))),
            Step::Retry { delay_ms: 1000 }
        );
        assert_eq!(
            step(rate_limited(Some(RateLimitType::Qps), None)),
            Step::Retry { delay_ms: 100 }
        );
        // A Retry-After already past still waits the backoff.
        assert_eq!(
            step(rate_limited(Some(RateLimitType::Qps), Some(0))),
            Step::Retry { delay_ms: 100 }
        );
        assert_eq!(
            step(rate_limited(Some(RateLimitType::Qps), Some(50))),
            Step::Retry { delay_ms: 100 }
        );
        assert_eq!(
            step(rate_limited(Some(RateLimitType::Qps), Some(5001))),
            Step::Fail,
            "beyond the cap"
        );
        assert_eq!(
            step(rate_limited(Some(RateLimitType::Daily), Some(10))),
            Step::Fail
        );
        assert_eq!(
            step(rate_limited(None, Some(2000))),
            Step::Retry { delay_ms: 2000 }
        );
        assert_eq!(step(rate_limited(None, None)), Step::Fail);
    }

    #[test]
    fn server_retry_after_is_honoured_within_the_cap() {
        let policy = RetryPolicy {
            attempts: 3,
            base_delay_ms: 100,
            max_delay_ms: 5000,
        };
        let body = crate::core::body::ZoomBody::default();
        let response = HttpResponse {
            status: 503,
            body: &body,
            retry_after: Some("3"),
            rate_limit_type: None,
        };
        let f = classify_response(&response, 0).unwrap_err();
        let mut attempts = Attempts::new(policy);
        attempts.start();
        assert_eq!(
            attempts.after_failure(&f, false, 0),
            Step::Retry { delay_ms: 3000 }
        );
    }

    #[test]
    fn lost_answer_then_reused_means_already_set() {
        let mut attempts = Attempts::new(RetryPolicy::default());
        attempts.start();
        assert!(matches!(
            attempts.after_failure(&failure(ErrorKind::NetworkError), false, 7),
            Step::Retry { .. }
        ));
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::PasswordReused), false, 7),
            Step::AlreadySet
        );

        // A 429 in between does not forget the lost answer.
        let mut attempts = Attempts::new(RetryPolicy {
            attempts: 5,
            ..RetryPolicy::default()
        });
        attempts.start();
        attempts.after_failure(&failure(ErrorKind::Timeout), false, 0);
        attempts.start();
        attempts.after_failure(&rate_limited(Some(RateLimitType::Qps), Some(0)), false, 0);
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::PasswordReused), false, 0),
            Step::AlreadySet
        );

        // On a first attempt the same answer is the error.
        let mut first = Attempts::new(RetryPolicy::default());
        first.start();
        assert_eq!(
            first.after_failure(&failure(ErrorKind::PasswordReused), false, 0),
            Step::Fail
        );
        // After a definite answer (429) it is the error too.
        let mut after_429 = Attempts::new(RetryPolicy::default());
        after_429.start();
        after_429.after_failure(&rate_limited(Some(RateLimitType::Qps), Some(0)), false, 0);
        after_429.start();
        assert_eq!(
            after_429.after_failure(&failure(ErrorKind::PasswordReused), false, 0),
            Step::Fail
        );
    }

    #[test]
    fn an_unknown_prior_attempt_reconciles_from_the_first_answer() {
        let mut resumed = Attempts::new(RetryPolicy::default()).after_unknown_prior_attempt();
        resumed.start();
        assert_eq!(
            resumed.after_failure(&failure(ErrorKind::PasswordReused), false, 0),
            Step::AlreadySet
        );
        let mut fresh = Attempts::new(RetryPolicy::default());
        fresh.start();
        assert_eq!(
            fresh.after_failure(&failure(ErrorKind::PasswordReused), false, 0),
            Step::Fail
        );
    }

    #[test]
    fn one_token_refresh_per_call() {
        let mut attempts = Attempts::new(RetryPolicy::NONE);
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::Unauthorized), true, 0),
            Step::RefreshToken
        );
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::Unauthorized), true, 0),
            Step::Fail
        );
        assert_eq!(attempts.made(), 2);
    }

    #[test]
    fn retry_false_means_one_attempt() {
        let mut attempts = Attempts::new(RetryPolicy::NONE);
        attempts.start();
        assert_eq!(
            attempts.after_failure(&failure(ErrorKind::ServerError), false, 0),
            Step::Fail
        );
    }
}
