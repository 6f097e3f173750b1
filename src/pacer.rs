//! Request pacing shared by every worker of a client: a token bucket in its
//! GCRA form (one number, the theoretical arrival time), so a reservation is
//! O(1) and the clock is the caller's (tests pass a fake one).
//!
//! `reserve` hands out start times `interval` apart, allowing at most `burst`
//! requests at once after an idle spell; `hold_until` is how a 429 slows the
//! whole pool rather than one worker.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::Failure;

/// Requests are spaced this much wider than `1 / rate`, so that timer jitter
/// (a timer fires late, never early) cannot put rate + 1 requests into one
/// second of the server's window. The achieved rate is about 95% of the
/// configured one.
pub const JITTER_MARGIN: f64 = 1.05;
pub const MAX_RATE: f64 = 10_000.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Pacer {
    interval_ms: f64,
    /// How far a reservation may be ahead of the theoretical arrival time.
    tolerance_ms: f64,
    /// The theoretical arrival time of the next request.
    tat_ms: f64,
}

impl Pacer {
    /// `requests_per_second` in (0, 10000]; `burst` >= 1 requests may start together.
    pub fn new(requests_per_second: f64, burst: u32) -> Result<Pacer, Failure> {
        if !(requests_per_second > 0.0 && requests_per_second <= MAX_RATE) {
            return Err(Failure::invalid_options(
                "requestsPerSecond",
                "requestsPerSecond must be a number greater than 0 and at most 10000.",
            ));
        }
        let interval_ms = 1000.0 / requests_per_second * JITTER_MARGIN;
        let burst = burst.max(1);
        Ok(Pacer {
            interval_ms,
            tolerance_ms: (burst - 1) as f64 * interval_ms,
            tat_ms: f64::NEG_INFINITY,
        })
    }

    pub fn interval_ms(&self) -> f64 {
        self.interval_ms
    }

    /// Takes the next start time and returns how long to wait for it.
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        let start = now_ms.max(self.tat_ms - self.tolerance_ms);
        self.tat_ms = self.tat_ms.max(start) + self.interval_ms;
        start - now_ms
    }

    /// The state as three numbers, so a JS pool can keep the pacer in a
    /// `Float64Array` shared by its workers.
    pub fn to_array(&self) -> [f64; 3] {
        [self.interval_ms, self.tolerance_ms, self.tat_ms]
    }

    /// The inverse of `to_array`; `None` for numbers it did not write.
    pub fn from_array(values: &[f64]) -> Option<Pacer> {
        let &[interval_ms, tolerance_ms, tat_ms] = values else {
            return None;
        };
        let valid = interval_ms.is_finite()
            && interval_ms > 0.0
            && tolerance_ms.is_finite()
            && tolerance_ms >= 0.0
            && !tat_ms.is_nan();
        valid.then_some(Pacer {
            interval_ms,
            tolerance_ms,
            tat_ms,
        })
    }

    /// No request may start before `until_ms` (a 429's Retry-After).
    pub fn hold_until(&mut self, until_ms: f64) {
        // The bucket is empty at `until_ms`: nothing starts earlier, and the
        // first request after it starts a fresh spacing.
        self.tat_ms = self.tat_ms.max(until_ms + self.tolerance_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starts of `n` requests all asking at `now`.
    fn starts(pacer: &mut Pacer, n: usize, now: f64) -> Vec<f64> {
        (0..n).map(|_| now + pacer.reserve(now)).collect()
    }

    #[test]
    fn array_round_trip_keeps_the_schedule() {
        let mut pacer = Pacer::new(20.0, 2).unwrap();
        pacer.reserve(100.0);
        let mut copy = Pacer::from_array(&pacer.to_array()).unwrap();
        assert_eq!(copy, pacer);
        assert_eq!(copy.reserve(100.0), pacer.reserve(100.0));
        assert!(Pacer::from_array(&[0.0, 0.0, 0.0]).is_none());
        assert!(Pacer::from_array(&[1.0, 0.0, f64::NAN]).is_none());
        assert!(Pacer::from_array(&[1.0, 0.0]).is_none());
    }

    #[test]
    fn refuses_rates_outside_the_range() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 10_001.0] {
            assert_eq!(
                Pacer::new(bad, 1).unwrap_err().field_errors[0].field,
                "requestsPerSecond"
            );
        }
        assert!(Pacer::new(0.5, 1).is_ok());
    }

    #[test]
    fn n_requests_at_r_per_second_take_n_minus_one_intervals() {
        for rate in [2.0, 20.0, 60.0] {
            let mut pacer = Pacer::new(rate, 1).unwrap();
            let n = 100;
            let all = starts(&mut pacer, n, 1000.0);
            let span_s = (all[n - 1] - all[0]) / 1000.0;
            let expected = (n - 1) as f64 / rate * JITTER_MARGIN;
            assert!(
                (span_s - expected).abs() < 1e-6,
                "{rate}/s: {span_s} s vs {expected} s"
            );
            // Within one tick of the ideal (N-1)/R, margin included.
            assert!(span_s >= (n - 1) as f64 / rate);
        }
    }

    #[test]
    fn no_window_of_one_second_holds_more_than_the_rate() {
        let rate = 20.0;
        let mut pacer = Pacer::new(rate, 1).unwrap();
        // Workers ask at irregular moments, sometimes together.
        let mut clock = 0.0;
        let mut all = Vec::new();
        for i in 0..500 {
            clock += [0.0, 3.0, 0.0, 41.0, 7.0][i % 5];
            all.push(clock + pacer.reserve(clock));
        }
        all.sort_by(f64::total_cmp);
        for (i, start) in all.iter().enumerate() {
            let in_window = all[i..].iter().take_while(|t| **t < start + 1000.0).count();
            assert!(
                in_window as f64 <= rate,
                "{in_window} starts in the second after {start}"
            );
        }
    }

    #[test]
    fn bursts_never_exceed_the_bucket() {
        let mut pacer = Pacer::new(10.0, 3).unwrap();
        let all = starts(&mut pacer, 6, 0.0);
        assert_eq!(&all[..3], &[0.0, 0.0, 0.0]);
        let interval = pacer.interval_ms();
        assert!((all[3] - interval).abs() < 1e-9 && (all[4] - 2.0 * interval).abs() < 1e-9);
        // After an idle spell the bucket refills to 3, never more.
        let later = 10_000.0;
        let burst = starts(&mut pacer, 5, later);
        assert_eq!(burst.iter().filter(|t| **t == later).count(), 3);
    }

    #[test]
    fn hold_until_delays_everyone_then_spacing_resumes() {
        let mut pacer = Pacer::new(10.0, 1).unwrap();
        assert_eq!(pacer.reserve(0.0), 0.0);
        pacer.hold_until(5000.0);
        let interval = pacer.interval_ms();
        assert_eq!(pacer.reserve(100.0), 4900.0);
        assert!((pacer.reserve(100.0) - (4900.0 + interval)).abs() < 1e-9);
        // An earlier hold never moves the schedule back.
        pacer.hold_until(10.0);
        assert!(pacer.reserve(100.0) > 4900.0 + interval);
    }
}
