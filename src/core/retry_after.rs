//! `Retry-After`: delta-seconds, the three HTTP-date forms (RFC 9110
//! section 5.6.7) and ISO-8601 date-times, which Zoom itself sends
//! (`2020-05-31T00:00:00Z`). Anything else means "not given".
//!
//! Everything is integer arithmetic on milliseconds since the Unix epoch;
//! `now_ms` comes from the caller so tests use a fixed clock.
//!
//! Hand-written, on purpose. The `httpdate` crate was measured in this
//! wasm at 8.9 KB raw / 4.3 KB gzip (its `SystemTime` conversions pull in
//! `Duration`'s Debug formatting), for a form Zoom itself does not send;
//! this reader of all the forms is one cursor and Hinnant's civil-date
//! arithmetic. It is also lenient where RFC 9110 asks recipients to be
//! (case, a one-digit day, an unchecked weekday), and ISO-8601 has no
//! small crate that reads Zoom's forms (`Z`, `+hh:mm`, `+hhmm`, fractions).

use crate::core::text::parse_decimal;

/// The largest delay reported: JavaScript's `Number.MAX_SAFE_INTEGER`, so the
/// number a caller sees is exact.
pub const MAX_DELAY_MS: u64 = (1 << 53) - 1;

/// Milliseconds to wait from `now_ms`; a date in the past means 0 (retry
/// now); `None` when the value is not one of the accepted forms.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim_matches(|c: char| c == ' ' || c == '\t');
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(delta_seconds(value));
    }
    let at_ms = http_date(value).or_else(|| iso_8601(value))?;
    Some(if at_ms <= now_ms as i64 {
        0
    } else {
        (at_ms as u64 - now_ms).min(MAX_DELAY_MS)
    })
}

fn delta_seconds(digits: &str) -> u64 {
    // All digits: `None` only when the number is past u64, which saturates too.
    parse_decimal(digits).map_or(MAX_DELAY_MS, |seconds| {
        seconds.saturating_mul(1000).min(MAX_DELAY_MS)
    })
}

/// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = month as i64;
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

struct DateTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
    /// Minutes east of UTC.
    offset_minutes: i64,
}

impl DateTime {
    fn to_epoch_ms(&self) -> Option<i64> {
        if !(1..=12).contains(&self.month)
            || self.day == 0
            || self.day > days_in_month(self.year, self.month)
            || self.hour > 23
            || self.minute > 59
            || self.second > 60
            || !(0..=9999).contains(&self.year)
        {
            return None;
        }
        // A leap second (:60) is read as the last second of the minute.
        let second = self.second.min(59) as i64;
        let days = days_from_civil(self.year, self.month, self.day);
        let seconds = days * 86_400 + self.hour as i64 * 3600 + self.minute as i64 * 60 + second
            - self.offset_minutes * 60;
        Some(seconds * 1000 + self.millis as i64)
    }
}

/// A cursor over ASCII text with the few primitives the date forms need.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn byte(&mut self, expected: u8) -> Option<()> {
        if self.peek() == Some(expected) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    fn spaces(&mut self, at_least: usize) -> Option<()> {
        let start = self.pos;
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        (self.pos - start >= at_least).then_some(())
    }

    /// Exactly `count` digits.
    fn number(&mut self, count: usize) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + count)?;
        let mut value = 0u32;
        for &b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + (b - b'0') as u32;
        }
        self.pos += count;
        Some(value)
    }

    /// One or two digits (asctime pads the day with a space instead).
    fn short_number(&mut self) -> Option<u32> {
        let first = self.number(1)?;
        match self.peek() {
            Some(b) if b.is_ascii_digit() => Some(first * 10 + self.number(1)?),
            _ => Some(first),
        }
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !b.is_ascii_alphabetic() {
                break;
            }
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or(&[])
    }

    fn month_name(&mut self) -> Option<u32> {
        const MONTHS: [&[u8]; 12] = [
            b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
            b"dec",
        ];
        let word = self.word();
        MONTHS
            .iter()
            .position(|m| word.eq_ignore_ascii_case(m))
            .map(|i| i as u32 + 1)
    }

    fn day_name(&mut self) -> Option<()> {
        const DAYS: [&[u8]; 7] = [b"mon", b"tue", b"wed", b"thu", b"fri", b"sat", b"sun"];
        const LONG: [&[u8]; 7] = [
            b"monday",
            b"tuesday",
            b"wednesday",
            b"thursday",
            b"friday",
            b"saturday",
            b"sunday",
        ];
        let word = self.word();
        let known = |names: &[&[u8]]| names.iter().any(|d| word.eq_ignore_ascii_case(d));
        (known(&DAYS) || known(&LONG)).then_some(())
    }

    /// `HH:MM:SS`
    fn clock(&mut self, into: &mut DateTime) -> Option<()> {
        into.hour = self.number(2)?;
        self.byte(b':')?;
        into.minute = self.number(2)?;
        self.byte(b':')?;
        into.second = self.number(2)?;
        Some(())
    }

    fn gmt(&mut self) -> Option<()> {
        let word = self.word();
        (word.eq_ignore_ascii_case(b"GMT") || word.eq_ignore_ascii_case(b"UTC")).then_some(())
    }
}

fn blank() -> DateTime {
    DateTime {
        year: 0,
        month: 0,
        day: 0,
        hour: 0,
        minute: 0,
        second: 0,
        millis: 0,
        offset_minutes: 0,
    }
}

/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850
/// `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`.
/// The weekday must be a day name but is not checked against the date.
fn http_date(text: &str) -> Option<i64> {
    let mut c = Cursor::new(text);
    let mut dt = blank();
    c.day_name()?;
    if c.byte(b',').is_some() {
        c.spaces(1)?;
        dt.day = c.short_number()?;
        if c.byte(b'-').is_some() {
            // RFC 850: two-digit year, 70..99 -> 19xx, 00..69 -> 20xx.
            dt.month = c.month_name()?;
            c.byte(b'-')?;
            let start = c.pos;
            let year = c.short_number()?;
            let year = match c.pos - start {
                2 if c.peek().is_some_and(|b| b.is_ascii_digit()) => {
                    // A four-digit year written in RFC 850 style.
                    year * 100 + c.number(2)?
                }
                2 if year >= 70 => 1900 + year,
                2 => 2000 + year,
                _ => return None,
            };
            dt.year = year as i64;
        } else {
            c.spaces(1)?;
            dt.month = c.month_name()?;
            c.spaces(1)?;
            dt.year = c.number(4)? as i64;
        }
        c.spaces(1)?;
        c.clock(&mut dt)?;
        c.spaces(1)?;
        c.gmt()?;
    } else {
        c.spaces(1)?;
        dt.month = c.month_name()?;
        c.spaces(1)?;
        dt.day = c.short_number()?;
        c.spaces(1)?;
        c.clock(&mut dt)?;
        c.spaces(1)?;
        dt.year = c.number(4)? as i64;
    }
    c.spaces(0)?;
    if !c.done() {
        return None;
    }
    dt.to_epoch_ms()
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|+HHMM|-HH:MM)`; `t`, `z` and a
/// space for `T` are accepted; no zone means UTC.
fn iso_8601(text: &str) -> Option<i64> {
    let mut c = Cursor::new(text);
    let mut dt = blank();
    dt.year = c.number(4)? as i64;
    c.byte(b'-')?;
    dt.month = c.number(2)?;
    c.byte(b'-')?;
    dt.day = c.number(2)?;
    match c.peek()? {
        b'T' | b't' | b' ' => c.pos += 1,
        _ => return None,
    }
    c.clock(&mut dt)?;
    if c.byte(b'.').is_some() || c.byte(b',').is_some() {
        let start = c.pos;
        let mut millis = 0;
        while let Some(b) = c.peek() {
            if !b.is_ascii_digit() {
                break;
            }
            if c.pos - start < 3 {
                millis = millis * 10 + (b - b'0') as u32;
            }
            c.pos += 1;
        }
        match c.pos - start {
            0 => return None,
            1 => millis *= 100,
            2 => millis *= 10,
            _ => {}
        }
        dt.millis = millis;
    }
    match c.peek() {
        None => {}
        Some(b'Z' | b'z') => c.pos += 1,
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let hours = c.number(2)?;
            c.byte(b':');
            let minutes = c.number(2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = (hours * 60 + minutes) as i64;
            dt.offset_minutes = if sign == b'+' { offset } else { -offset };
        }
        Some(_) => return None,
    }
    if !c.done() {
        return None;
    }
    dt.to_epoch_ms()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    // 1994-11-06T08:49:37Z, the RFC's example instant.
    const RFC_EXAMPLE_MS: u64 = 784_111_777_000;

    #[test]
    fn delta_seconds() {
        assert_eq!(parse_retry_after("0", 5), Some(0));
        assert_eq!(parse_retry_after("1", 5), Some(1000));
        assert_eq!(parse_retry_after(" 120 ", 5), Some(120_000));
        assert_eq!(parse_retry_after("007", 5), Some(7000));
    }

    #[test]
    fn huge_delta_saturates_to_an_exact_js_number() {
        assert_eq!(
            parse_retry_after("99999999999999999999999999", 0),
            Some(MAX_DELAY_MS)
        );
        assert_eq!(parse_retry_after("9007199254741", 0), Some(MAX_DELAY_MS));
        assert_eq!(
            parse_retry_after("9007199254739", 0),
            Some(9_007_199_254_739_000)
        );
    }

    #[test]
    fn the_three_http_date_forms() {
        let before = RFC_EXAMPLE_MS - 2500;
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "sun, 06 nov 1994 08:49:37 gmt",
            "Sun, 6 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(form, before), Some(2500), "{form}");
        }
    }

    #[test]
    fn rfc_850_two_digit_years() {
        let y2069 = parse_retry_after("Sunday, 06-Nov-69 08:49:37 GMT", 0).unwrap();
        let y1970 = parse_retry_after("Thursday, 01-Jan-70 00:00:01 GMT", 0).unwrap();
        assert_eq!(y1970, 1000);
        assert!(y2069 > 3_000_000_000_000);
    }

    #[test]
    fn iso_8601_forms() {
        // Zoom's own example.
        let may31 = 1_590_883_200_000u64; // 2020-05-31T00:00:00Z
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00Z", may31 - 1000),
            Some(1000)
        );
        assert_eq!(
            parse_retry_after("2020-05-31t00:00:00z", may31 - 1000),
            Some(1000)
        );
        assert_eq!(
            parse_retry_after("2020-05-31 00:00:00Z", may31 - 1000),
            Some(1000)
        );
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00", may31 - 1000),
            Some(1000)
        );
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00.5Z", may31),
            Some(500)
        );
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00.123456Z", may31),
            Some(123)
        );
        assert_eq!(
            parse_retry_after("2020-05-31T02:00:00+02:00", may31 - 1000),
            Some(1000)
        );
        assert_eq!(
            parse_retry_after("2020-05-30T22:00:00-0200", may31 - 1000),
            Some(1000)
        );
        assert!(parse_retry_after("2020-02-29T00:00:00Z", 0).is_some());
    }

    #[test]
    fn a_past_date_means_retry_now() {
        assert_eq!(
            parse_retry_after("2020-05-31T00:00:00Z", 1_700_000_000_000),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 1_700_000_000_000),
            Some(0)
        );
        assert_eq!(parse_retry_after("1969-12-31T23:59:59Z", 0), Some(0));
    }

    #[test]
    fn far_future_dates_are_exact() {
        let ms = parse_retry_after("9999-12-31T23:59:59Z", 0).unwrap();
        assert_eq!(ms, 253_402_300_799_000);
    }

    #[test]
    fn garbage_means_not_given() {
        for garbage in [
            "",
            " ",
            "-5",
            "+5",
            "1.5",
            "1e3",
            "soon",
            "0x10",
            "5 s",
            "Sun, 06 Nov 1994",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "2020-13-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2020-05-31T00:00Z",
            "2020-05-31T00:00:00+25:00",
            "2020-05-31T00:00:00.Z",
            "2020-05-31T00:00:00Zjunk",
            "2020-05-31",
            "１２",
            "\u{0}",
            "Sun Nov  6 08:49:37 1994 extra",
        ] {
            assert_eq!(parse_retry_after(garbage, 0), None, "{garbage:?}");
        }
    }
}
