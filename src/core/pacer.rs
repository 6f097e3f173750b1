//! Request pacing shared by every worker of a client: a token bucket in its
//! GCRA form (one number, the theoretical arrival time), with the clock the
//! caller's (tests pass a fake one).
//!
//! A slot is claimed when a request actually leaves, never handed out in
//! advance: a worker asks [`Pacer::try_claim`] just before it sends and, if
//! told to wait, sleeps and asks again. Handing out future start times
//! instead (as an earlier version did) breaks under event-loop delay: a
//! worker whose timer fires late sends at the same moment as the worker that
//! holds the next slot, and the server sees two requests in one interval.
//! Claiming at departure keeps every pair of departures at least one
//! interval apart however late the timers are.
//!
//! `hold_until` is how a 429 slows the whole pool rather than one worker.

use crate::core::error::Failure;

/// Requests are spaced this much wider than `1 / rate`, so that the jitter
/// between leaving the client and reaching the server cannot put rate + 1
/// requests into one second of the server's window. The achieved rate is
/// about 95% of the configured one.
pub const JITTER_MARGIN: f64 = 1.05;
pub const MAX_RATE: f64 = 10_000.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Pacer {
    interval_ms: f64,
    /// How far ahead of the theoretical arrival time a request may leave.
    tolerance_ms: f64,
    /// The theoretical arrival time of the next request.
    tat_ms: f64,
}

impl Pacer {
    /// `requests_per_second` in (0, 10000]; `burst` >= 1 requests may leave together.
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

    /// A request wants to leave at `now_ms`: `Ok(())` claims the slot (the
    /// request must be sent now), `Err(wait_ms)` says how long to sleep
    /// before asking again (always more than 0).
    pub fn try_claim(&mut self, now_ms: f64) -> Result<(), f64> {
        let earliest = self.tat_ms - self.tolerance_ms;
        if now_ms >= earliest {
            self.tat_ms = self.tat_ms.max(now_ms) + self.interval_ms;
            Ok(())
        } else {
            Err(earliest - now_ms)
        }
    }

    /// No request may leave before `until_ms` (a 429's Retry-After).
    pub fn hold_until(&mut self, until_ms: f64) {
        // The bucket is empty at `until_ms`: nothing leaves earlier, and the
        // first request after it starts a fresh spacing.
        self.tat_ms = self.tat_ms.max(until_ms + self.tolerance_ms);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// `workers` workers sending `total` requests through one pacer, on a
    /// fake clock where every timer fires between 0 and `max_late_ms` late
    /// (a deterministic pseudo-random lateness). Returns the departure times.
    fn simulate(rate: f64, workers: usize, total: usize, max_late_ms: f64) -> Vec<f64> {
        let mut pacer = Pacer::new(rate, 1).unwrap();
        let mut seed: u32 = 0x9e37_79b9;
        let mut late = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed % 1000) as f64 / 1000.0 * max_late_ms
        };
        // Each worker's next wake-up time; a worker with a request sends it
        // when the pacer lets it, then takes the next request at once.
        let mut wake: Vec<f64> = vec![0.0; workers];
        let mut departures = Vec::new();
        while departures.len() < total {
            let (index, now) = wake
                .iter()
                .copied()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            match pacer.try_claim(now) {
                Ok(()) => {
                    departures.push(now);
                    // The request takes a while; the worker comes back after it.
                    wake[index] = now + 30.0 + late();
                }
                Err(wait) => {
                    assert!(wait > 0.0);
                    wake[index] = now + wait + late();
                }
            }
        }
        departures
    }

    fn most_in_any_second(times: &[f64]) -> usize {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        (0..sorted.len())
            .map(|i| {
                sorted[i..]
                    .iter()
                    .take_while(|t| **t < sorted[i] + 1000.0)
                    .count()
            })
            .max()
            .unwrap_or(0)
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
    fn departures_are_an_interval_apart_however_late_the_timers() {
        for max_late in [0.0, 5.0, 40.0, 250.0] {
            for rate in [2.0, 20.0, 60.0] {
                let times = simulate(rate, 16, 200, max_late);
                let interval = 1000.0 / rate * JITTER_MARGIN;
                for pair in times.windows(2) {
                    assert!(
                        pair[1] - pair[0] >= interval - 1e-9,
                        "{rate}/s, late {max_late}: {pair:?}"
                    );
                }
                assert!(
                    most_in_any_second(&times) as f64 <= rate,
                    "{rate}/s, late {max_late}"
                );
            }
        }
    }

    #[test]
    fn punctual_timers_reach_the_rate_less_the_margin() {
        for rate in [2.0, 20.0, 60.0] {
            let times = simulate(rate, 16, 120, 0.0);
            let span_s = (times[times.len() - 1] - times[0]) / 1000.0;
            let achieved = (times.len() - 1) as f64 / span_s;
            assert!(
                (achieved - rate / JITTER_MARGIN).abs() < 1e-6,
                "{rate}/s achieved {achieved}"
            );
        }
    }

    #[test]
    fn a_claim_is_only_made_when_allowed() {
        let mut pacer = Pacer::new(10.0, 1).unwrap();
        assert_eq!(pacer.try_claim(0.0), Ok(()));
        let interval = pacer.interval_ms();
        let wait = pacer.try_claim(10.0).unwrap_err();
        assert!((wait - (interval - 10.0)).abs() < 1e-9);
        // Asking again does not move the schedule: a refusal claims nothing.
        assert_eq!(pacer.try_claim(10.0).unwrap_err(), wait);
        assert_eq!(pacer.try_claim(interval), Ok(()));
    }

    #[test]
    fn bursts_never_exceed_the_bucket() {
        let mut pacer = Pacer::new(10.0, 3).unwrap();
        for _ in 0..3 {
            assert_eq!(pacer.try_claim(0.0), Ok(()));
        }
        assert!(pacer.try_claim(0.0).is_err());
        // After an idle spell the bucket refills to 3, never more.
        let later = 10_000.0;
        let allowed = (0..5).filter(|_| pacer.try_claim(later).is_ok()).count();
        assert_eq!(allowed, 3);
    }

    #[test]
    fn hold_until_delays_everyone_then_spacing_resumes() {
        let mut pacer = Pacer::new(10.0, 1).unwrap();
        assert_eq!(pacer.try_claim(0.0), Ok(()));
        pacer.hold_until(5000.0);
        assert_eq!(pacer.try_claim(100.0), Err(4900.0));
        assert_eq!(pacer.try_claim(5000.0), Ok(()));
        let interval = pacer.interval_ms();
        assert!((pacer.try_claim(5000.0).unwrap_err() - interval).abs() < 1e-9);
        // An earlier hold never moves the schedule back.
        pacer.hold_until(10.0);
        assert!(pacer.try_claim(5001.0).is_err());
    }
}
