//! Zoom's login-password rules: the always-on ("basic") rules and the
//! account policy (`security.password_requirement`).
//!
//! Definitions the README documents, because Zoom does not publish them:
//! - length counts Unicode code points;
//! - a letter is any Unicode alphabetic character, upper/lower case follow
//!   Unicode; a number is an ASCII digit `0-9`; a special character is
//!   anything that is neither;
//! - "case-insensitive" (runs, repeated characters, the dictionary) folds
//!   ASCII letters only: every sequence and keyboard row is ASCII anyway;
//! - a sequential run is letters `a-z` or digits `0-9` each one up (or each
//!   one down) from the previous; a keyboard run walks one of the rows
//!   `1234567890`, `qwertyuiop`, `asdfghjkl`, `zxcvbnm` one key at a time in
//!   one direction; an identical run repeats one character.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::core::error::{ErrorKind, Failure, FailureData};

/// Zoom's limit: "less than 32 characters".
pub const MAX_LENGTH: usize = 31;
/// The basic minimum, and the smallest policy minimum Zoom offers.
pub const BASIC_MIN_LENGTH: u8 = 8;
pub const POLICY_MAX_MIN_LENGTH: u8 = 14;
/// The basic rule forbids ascending or descending runs of this many letters
/// or digits ("abcdef", "654321").
pub const BASIC_SEQUENCE_RUN: u32 = 6;
pub const POLICY_MIN_RUN: u8 = 4;
pub const POLICY_MAX_RUN: u8 = 8;

/// Rule ids, in the stable order `checks` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleId {
    /// Nothing the user cannot see or type: no control or format
    /// characters, no whitespace at either end (what is sent is what was checked).
    Printable,
    MinLength,
    MaxLength,
    Letter,
    Number,
    UpperAndLower,
    SingleCharacter,
    ConsecutiveCharacters,
    SpecialCharacter,
    WeakPassword,
    /// Only with `breachCheck`: not in the Pwned Passwords range (core::breach).
    NotBreached,
}

impl RuleId {
    pub const ALL: [RuleId; 11] = [
        RuleId::Printable,
        RuleId::MinLength,
        RuleId::MaxLength,
        RuleId::Letter,
        RuleId::Number,
        RuleId::UpperAndLower,
        RuleId::SingleCharacter,
        RuleId::ConsecutiveCharacters,
        RuleId::SpecialCharacter,
        RuleId::WeakPassword,
        RuleId::NotBreached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::Printable => "printable",
            RuleId::MinLength => "min_length",
            RuleId::MaxLength => "max_length",
            RuleId::Letter => "letter",
            RuleId::Number => "number",
            RuleId::UpperAndLower => "upper_and_lower",
            RuleId::SingleCharacter => "single_character",
            RuleId::ConsecutiveCharacters => "consecutive_characters",
            RuleId::SpecialCharacter => "special_character",
            RuleId::WeakPassword => "weak_password",
            RuleId::NotBreached => "not_breached",
        }
    }

    /// The code Zoom answers with when it refuses a password for this rule.
    pub fn zoom_code(self) -> Option<u32> {
        match self {
            RuleId::Printable => None,
            RuleId::MinLength => Some(1124),
            RuleId::MaxLength => None,
            RuleId::Letter => Some(1125),
            RuleId::Number => Some(1126),
            RuleId::SpecialCharacter => Some(1127),
            RuleId::UpperAndLower => Some(1128),
            RuleId::SingleCharacter => Some(1130),
            RuleId::ConsecutiveCharacters => Some(1131),
            RuleId::WeakPassword => Some(1136),
            RuleId::NotBreached => None,
        }
    }

    pub fn from_zoom_code(code: u32) -> Option<RuleId> {
        RuleId::ALL
            .into_iter()
            .find(|rule| rule.zoom_code() == Some(code))
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One line of the checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub rule: RuleId,
    pub passed: bool,
    pub message: Cow<'static, str>,
}

impl Check {
    pub fn new(rule: RuleId, passed: bool, message: &'static str) -> Check {
        Check {
            rule,
            passed,
            message: Cow::Borrowed(message),
        }
    }
}

/// `{ rule, passed, zoomCode, message }`.
impl Serialize for Check {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Check", 4)?;
        state.serialize_field("rule", &self.rule)?;
        state.serialize_field("passed", &self.passed)?;
        state.serialize_field("zoomCode", &self.rule.zoom_code())?;
        state.serialize_field("message", &self.message)?;
        state.end()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordReport {
    pub checks: Vec<Check>,
}

impl PasswordReport {
    pub fn valid(&self) -> bool {
        self.checks.iter().all(|check| check.passed)
    }

    pub fn violations(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|check| !check.passed)
    }

    /// The `invalid_password` failure for this report, or `None` if valid.
    pub fn into_failure(self) -> Option<Failure> {
        if self.valid() {
            return None;
        }
        Some(Failure::from(FailureData {
            violations: self
                .checks
                .into_iter()
                .filter(|check| !check.passed)
                .collect(),
            ..FailureData::client(
                ErrorKind::InvalidPassword,
                "The password does not meet Zoom's password rules; see violations.",
            )
        }))
    }
}

/// `{ valid, checks, violations }`, `violations` being the failed checks.
impl Serialize for PasswordReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Violations<'a>(&'a PasswordReport);
        impl Serialize for Violations<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.violations())
            }
        }
        let mut state = serializer.serialize_struct("PasswordReport", 3)?;
        state.serialize_field("valid", &self.valid())?;
        state.serialize_field("checks", &self.checks)?;
        state.serialize_field("violations", &Violations(self))?;
        state.end()
    }
}

/// The account's `security.password_requirement`, checked for range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// 0 (the basic 8 applies) or 8..=14.
    pub minimum_password_length: u8,
    pub have_special_character: bool,
    /// 0 (basic rule only) or 4..=8: runs of this length fail.
    pub consecutive_characters_length: u8,
    pub weak_enhance_detection: bool,
}

impl Policy {
    pub const BASIC: Policy = Policy {
        minimum_password_length: 0,
        have_special_character: false,
        consecutive_characters_length: 0,
        weak_enhance_detection: false,
    };

    /// `minimum_password_length` as a JS number: 0 or an integer 8..=14.
    pub fn minimum_length_from(value: f64) -> Result<u8, Failure> {
        match small_integer(value) {
            Some(n) if n == 0 || (BASIC_MIN_LENGTH..=POLICY_MAX_MIN_LENGTH).contains(&n) => Ok(n),
            _ => Err(Failure::invalid_options(
                "minimum_password_length",
                "policy.minimum_password_length must be 0 or an integer from 8 to 14.",
            )),
        }
    }

    /// `consecutive_characters_length` as a JS number: 0 or an integer 4..=8.
    pub fn consecutive_length_from(value: f64) -> Result<u8, Failure> {
        match small_integer(value) {
            Some(n) if n == 0 || (POLICY_MIN_RUN..=POLICY_MAX_RUN).contains(&n) => Ok(n),
            _ => Err(Failure::invalid_options(
                "consecutive_characters_length",
                "policy.consecutive_characters_length must be 0 or an integer from 4 to 8.",
            )),
        }
    }

    fn effective_min_length(&self) -> u8 {
        if self.minimum_password_length == 0 {
            BASIC_MIN_LENGTH
        } else {
            self.minimum_password_length
        }
    }
}

fn small_integer(value: f64) -> Option<u8> {
    // Comparisons only: no float formatting or parsing reaches the binary.
    if (0.0..=255.0).contains(&value) && value == (value as u8) as f64 {
        Some(value as u8)
    } else {
        None
    }
}

const MIN_LENGTH_MESSAGES: [&str; 7] = [
    "Have at least 8 characters",
    "Have at least 9 characters",
    "Have at least 10 characters",
    "Have at least 11 characters",
    "Have at least 12 characters",
    "Have at least 13 characters",
    "Have at least 14 characters",
];

const MAX_LENGTH_MESSAGE: &str = "Have at most 31 characters (less than 32)";
const LETTER_MESSAGE: &str = "Have at least 1 letter (a, b, c...)";
const NUMBER_MESSAGE: &str = "Have at least 1 number (1, 2, 3...)";
const UPPER_AND_LOWER_MESSAGE: &str = "Include both Upper case and Lower case characters";
const SINGLE_CHARACTER_MESSAGE: &str = "Not the same character repeated";
const SPECIAL_CHARACTER_MESSAGE: &str = "Have at least 1 special character (!, @, #...)";
const WEAK_PASSWORD_MESSAGE: &str = "Not a common, easy-to-guess password";
const PRINTABLE_MESSAGE: &str = "Only visible characters: no control or invisible formatting characters, and no space at either end";
const BASIC_RUN_MESSAGE: &str =
    "No 6 or more consecutive letters or numbers, such as 'abcdef' or '654321'";
const POLICY_RUN_MESSAGES: [&str; 5] = [
    "No 4 or more consecutive, repeated or keyboard-row characters, such as 'abcd', '1111' or 'qwer'",
    "No 5 or more consecutive, repeated or keyboard-row characters, such as 'abcde', '11111' or 'qwert'",
    "No 6 or more consecutive, repeated or keyboard-row characters, such as 'abcdef', '111111' or 'qwerty'",
    "No 7 or more repeated or keyboard-row characters (such as '1111111' or 'qwertyu'), and no 6 consecutive letters or numbers (such as 'abcdef')",
    "No 8 or more repeated or keyboard-row characters (such as '11111111' or 'qwertyui'), and no 6 consecutive letters or numbers (such as 'abcdef')",
];

/// The message at `index`, or the last one: `Policy`'s fields are public, and
/// an out-of-range value must not panic in wasm.
fn message_for(messages: &[&'static str], index: u8) -> &'static str {
    messages
        .get(index as usize)
        .or(messages.last())
        .copied()
        .unwrap_or("")
}

/// Letter and case classes of the characters outside ASCII (the scan
/// classifies ASCII itself). Zoom checks characters, so a user typing `Ä`
/// must get Zoom's answer; where the Unicode tables come from is the
/// caller's choice: Rust's std natively ([`StdClasses`]), the platform's
/// `\p{...}` regular expressions in the wasm (`bindings/letters.rs`), which
/// keeps std's tables out of the module (2.6 KB gzip smaller, measured).
pub trait LetterClasses {
    /// Counts among `text`'s non-ASCII characters.
    fn non_ascii(&self, text: &str) -> LetterCounts;
}

/// Letters (Unicode Alphabetic), and of those the upper-case (Uppercase)
/// and lower-case (Lowercase) ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LetterCounts {
    pub letters: usize,
    pub upper: usize,
    pub lower: usize,
}

/// Rust's own Unicode tables: native callers, tests and fuzzers.
pub struct StdClasses;

impl LetterClasses for StdClasses {
    fn non_ascii(&self, text: &str) -> LetterCounts {
        let mut counts = LetterCounts::default();
        for c in text.chars().filter(|c| !c.is_ascii() && c.is_alphabetic()) {
            counts.letters += 1;
            if c.is_uppercase() {
                counts.upper += 1;
            } else if c.is_lowercase() {
                counts.lower += 1;
            }
        }
        counts
    }
}

/// Checks `password` against the basic rules and `policy`, with Rust's
/// Unicode tables.
pub fn validate_password(password: &str, policy: &Policy) -> PasswordReport {
    validate_password_with(password, policy, &StdClasses)
}

/// Checks `password` against the basic rules and `policy`; `classes` says
/// which of its non-ASCII characters are letters, and in which case.
pub fn validate_password_with(
    password: &str,
    policy: &Policy,
    classes: &dyn LetterClasses,
) -> PasswordReport {
    let traits = PasswordTraits::scan(password, classes);
    let min_length = policy.effective_min_length();
    let mut checks = Vec::with_capacity(10);

    checks.push(printable_check(traits.printable));

    checks.push(Check::new(
        RuleId::MinLength,
        traits.length >= min_length as usize,
        message_for(
            &MIN_LENGTH_MESSAGES,
            min_length.saturating_sub(BASIC_MIN_LENGTH),
        ),
    ));
    checks.push(Check::new(
        RuleId::MaxLength,
        traits.length <= MAX_LENGTH,
        MAX_LENGTH_MESSAGE,
    ));
    checks.push(Check::new(
        RuleId::Letter,
        traits.letters > 0,
        LETTER_MESSAGE,
    ));
    checks.push(Check::new(
        RuleId::Number,
        traits.digits > 0,
        NUMBER_MESSAGE,
    ));
    checks.push(Check::new(
        RuleId::UpperAndLower,
        traits.upper > 0 && traits.lower > 0,
        UPPER_AND_LOWER_MESSAGE,
    ));
    checks.push(Check::new(
        RuleId::SingleCharacter,
        !traits.one_repeated_character,
        SINGLE_CHARACTER_MESSAGE,
    ));

    let policy_run = policy.consecutive_characters_length;
    let (runs_ok, run_message) = if policy_run == 0 {
        (
            traits.runs.longest_sequence < BASIC_SEQUENCE_RUN,
            BASIC_RUN_MESSAGE,
        )
    } else {
        let n = policy_run as u32;
        let ok = traits.runs.longest_sequence < n.min(BASIC_SEQUENCE_RUN)
            && traits.runs.longest_identical < n
            && traits.runs.longest_keyboard < n;
        (
            ok,
            message_for(
                &POLICY_RUN_MESSAGES,
                policy_run.saturating_sub(POLICY_MIN_RUN),
            ),
        )
    };
    checks.push(Check::new(
        RuleId::ConsecutiveCharacters,
        runs_ok,
        run_message,
    ));

    if policy.have_special_character {
        checks.push(Check::new(
            RuleId::SpecialCharacter,
            traits.specials > 0,
            SPECIAL_CHARACTER_MESSAGE,
        ));
    }
    if policy.weak_enhance_detection {
        checks.push(Check::new(
            RuleId::WeakPassword,
            !crate::core::dictionary::is_common_password(password),
            WEAK_PASSWORD_MESSAGE,
        ));
    }
    PasswordReport { checks }
}

/// A report as one number, for the wasm boundary: building the checklist's
/// objects in Rust took 74 wasm-to-JS crossings per `validatePassword`
/// (0.26x plain JS); one call returning this number, which the JS side
/// turns into the report with [`CHECK_LINES`] fetched once, measured
/// 1.46-2.07x (`npm run bench`, two runs).
///
/// The report's lines are always, in order: printable, min_length,
/// max_length, letter, number, upper_and_lower, single_character,
/// consecutive_characters, then special_character and weak_password when
/// the policy asks for them. Bits 0-9: each line passed; bit 10: the
/// special_character line is there; bit 11: weak_password is; bits 12-14:
/// min_length's message (`CHECK_LINES[1 + n]`); bits 15-17: the run
/// message (0 the basic one, `CHECK_LINES[13 + n]`).
pub fn report_code(report: &PasswordReport, policy: &Policy) -> u32 {
    let mut code = 0;
    for (bit, check) in report.checks.iter().enumerate() {
        code |= u32::from(check.passed) << bit;
    }
    code |= u32::from(policy.have_special_character) << 10;
    code |= u32::from(policy.weak_enhance_detection) << 11;
    let min_index = policy
        .effective_min_length()
        .saturating_sub(BASIC_MIN_LENGTH)
        .min(6);
    code |= u32::from(min_index) << 12;
    let run_index = match policy.consecutive_characters_length {
        0 => 0,
        n => n.saturating_sub(POLICY_MIN_RUN).min(4) + 1,
    };
    code | u32::from(run_index) << 15
}

/// Every line a report can hold, `(rule, message)`, indexed as
/// [`report_code`] says.
pub const CHECK_LINES: [(RuleId, &str); 21] = [
    (RuleId::Printable, PRINTABLE_MESSAGE),
    (RuleId::MinLength, MIN_LENGTH_MESSAGES[0]),
    (RuleId::MinLength, MIN_LENGTH_MESSAGES[1]),
    (RuleId::MinLength, MIN_LENGTH_MESSAGES[2]),
    (RuleId::MinLength, MIN_LENGTH_MESSAGES[3]),
    (RuleId::MinLength, MIN_LENGTH_MESSAGES[4]),
    (RuleId::MinLength, MIN_LENGTH_MESSAGES[5]),
    (RuleId::MinLength, MIN_LENGTH_MESSAGES[6]),
    (RuleId::MaxLength, MAX_LENGTH_MESSAGE),
    (RuleId::Letter, LETTER_MESSAGE),
    (RuleId::Number, NUMBER_MESSAGE),
    (RuleId::UpperAndLower, UPPER_AND_LOWER_MESSAGE),
    (RuleId::SingleCharacter, SINGLE_CHARACTER_MESSAGE),
    (RuleId::ConsecutiveCharacters, BASIC_RUN_MESSAGE),
    (RuleId::ConsecutiveCharacters, POLICY_RUN_MESSAGES[0]),
    (RuleId::ConsecutiveCharacters, POLICY_RUN_MESSAGES[1]),
    (RuleId::ConsecutiveCharacters, POLICY_RUN_MESSAGES[2]),
    (RuleId::ConsecutiveCharacters, POLICY_RUN_MESSAGES[3]),
    (RuleId::ConsecutiveCharacters, POLICY_RUN_MESSAGES[4]),
    (RuleId::SpecialCharacter, SPECIAL_CHARACTER_MESSAGE),
    (RuleId::WeakPassword, WEAK_PASSWORD_MESSAGE),
];

/// The report a [`report_code`] stands for: what the JS side builds from it
/// (`pkg-templates/api.js`), here to test that nothing is lost.
pub fn report_from_code(code: u32) -> PasswordReport {
    let min_index = (code >> 12 & 7) as usize;
    let run_index = (code >> 15 & 7) as usize;
    let mut indices = vec![0, 1 + min_index, 8, 9, 10, 11, 12, 13 + run_index];
    if code >> 10 & 1 == 1 {
        indices.push(19);
    }
    if code >> 11 & 1 == 1 {
        indices.push(20);
    }
    let checks = indices
        .into_iter()
        .enumerate()
        .map(|(bit, index)| {
            let (rule, message) = CHECK_LINES
                .get(index)
                .copied()
                .unwrap_or((RuleId::Printable, ""));
            Check::new(rule, code >> bit & 1 == 1, message)
        })
        .collect();
    PasswordReport { checks }
}

/// The `printable` check alone: a password that fails it is refused even
/// with `validate: false`, because a multipart body turns a lone CR or LF
/// into CRLF, so what would reach Zoom is not what the caller gave.
pub fn printable_failure(password: &str) -> Option<Failure> {
    PasswordReport {
        checks: vec![printable_check(is_printable(password))],
    }
    .into_failure()
}

fn printable_check(passed: bool) -> Check {
    Check::new(RuleId::Printable, passed, PRINTABLE_MESSAGE)
}

/// No control character (Unicode Cc: NUL, tab, CR, LF, DEL, C1), no
/// format character (Cf: zero-width space and joiners, bidi marks, the
/// BOM, soft hyphen) and no whitespace as the first or last character.
pub fn is_printable(text: &str) -> bool {
    !blank_at_either_end(text) && !text.chars().any(is_invisible)
}

fn blank_at_either_end(text: &str) -> bool {
    let blank = |c: Option<char>| c.is_some_and(char::is_whitespace);
    blank(text.chars().next()) || blank(text.chars().next_back())
}

/// A control (Cc) or format (Cf) character.
fn is_invisible(c: char) -> bool {
    c.is_control() || is_format_character(c)
}

/// Unicode's General_Category=Cf, as inclusive ranges (Unicode 16.0 and
/// 17.0 agree). Written out because std has no general-category lookup and
/// the whole-category crates carry every category's table; a native test
/// checks these 21 ranges against `unicode-properties` for every code point.
const FORMAT_CHARACTERS: [(u32, u32); 21] = [
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Whether `c` is a Unicode format character (General_Category=Cf).
pub fn is_format_character(c: char) -> bool {
    let c = c as u32;
    // Everything below U+00AD is ASCII or C1 control: the common case is one comparison.
    c >= 0xAD
        && FORMAT_CHARACTERS
            .iter()
            .any(|&(first, last)| (first..=last).contains(&c))
}

/// Everything the rules need, gathered in one pass over the code points.
struct PasswordTraits {
    printable: bool,
    length: usize,
    letters: usize,
    upper: usize,
    lower: usize,
    digits: usize,
    specials: usize,
    one_repeated_character: bool,
    runs: Runs,
}

impl PasswordTraits {
    fn scan(password: &str, classes: &dyn LetterClasses) -> PasswordTraits {
        let mut traits = PasswordTraits {
            // The ends here, each character in the loop (one pass).
            printable: !blank_at_either_end(password),
            length: 0,
            letters: 0,
            upper: 0,
            lower: 0,
            digits: 0,
            specials: 0,
            one_repeated_character: !password.is_empty(),
            runs: Runs::default(),
        };
        let mut non_ascii = 0;
        let mut previous: Option<char> = None;
        for c in password.chars() {
            traits.length += 1;
            if c.is_ascii_digit() {
                traits.digits += 1;
            } else if c.is_ascii_alphabetic() {
                traits.letters += 1;
                if c.is_ascii_uppercase() {
                    traits.upper += 1;
                } else {
                    traits.lower += 1;
                }
            } else if c.is_ascii() {
                traits.specials += 1;
                traits.printable &= !c.is_ascii_control();
            } else {
                non_ascii += 1;
                traits.printable &= !is_invisible(c);
            }
            let folded = c.to_ascii_lowercase();
            if let Some(prev) = previous {
                if folded != prev {
                    traits.one_repeated_character = false;
                }
                traits.runs.step(prev, folded);
            } else {
                traits.runs.start();
            }
            previous = Some(folded);
        }
        if non_ascii > 0 {
            // Asked once per password, and only for one that is not ASCII.
            let counts = classes.non_ascii(password);
            traits.letters += counts.letters;
            traits.upper += counts.upper;
            traits.lower += counts.lower;
            traits.specials += non_ascii - counts.letters.min(non_ascii);
        }
        traits
    }
}

/// Lengths of the current and longest runs, in characters.
#[derive(Default)]
struct Runs {
    ascending: u32,
    descending: u32,
    identical: u32,
    keyboard_forward: u32,
    keyboard_backward: u32,
    longest_sequence: u32,
    longest_identical: u32,
    longest_keyboard: u32,
}

impl Runs {
    fn start(&mut self) {
        self.ascending = 1;
        self.descending = 1;
        self.identical = 1;
        self.keyboard_forward = 1;
        self.keyboard_backward = 1;
        self.longest_sequence = 1;
        self.longest_identical = 1;
        self.longest_keyboard = 1;
    }

    /// `prev` and `next` are already ASCII-folded.
    fn step(&mut self, prev: char, next: char) {
        let sequence = sequence_step(prev, next);
        let keyboard = keyboard_step(prev, next);
        self.ascending = if sequence == 1 { self.ascending + 1 } else { 1 };
        self.descending = if sequence == -1 {
            self.descending + 1
        } else {
            1
        };
        self.identical = if prev == next { self.identical + 1 } else { 1 };
        self.keyboard_forward = if keyboard == 1 {
            self.keyboard_forward + 1
        } else {
            1
        };
        self.keyboard_backward = if keyboard == -1 {
            self.keyboard_backward + 1
        } else {
            1
        };
        self.longest_sequence = self
            .longest_sequence
            .max(self.ascending)
            .max(self.descending);
        self.longest_identical = self.longest_identical.max(self.identical);
        self.longest_keyboard = self
            .longest_keyboard
            .max(self.keyboard_forward)
            .max(self.keyboard_backward);
    }
}

/// +1 if `next` follows `prev` in `a-z` or `0-9`, -1 if it precedes it.
fn sequence_step(prev: char, next: char) -> i8 {
    let same_class = (prev.is_ascii_lowercase() && next.is_ascii_lowercase())
        || (prev.is_ascii_digit() && next.is_ascii_digit());
    if !same_class {
        return 0;
    }
    let (p, n) = (prev as u32, next as u32);
    if n == p + 1 {
        1
    } else if p == n + 1 {
        -1
    } else {
        0
    }
}

const KEYBOARD_ROWS: [&[u8]; 4] = [b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// Row and column of an (ASCII-folded) key; rows are stored 16 columns apart
/// so that neighbours in different rows never look adjacent.
const fn keyboard_table() -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut row = 0;
    while row < KEYBOARD_ROWS.len() {
        let keys = KEYBOARD_ROWS[row];
        let mut col = 0;
        while col < keys.len() {
            table[keys[col] as usize] = (row * 16 + col + 1) as u8;
            col += 1;
        }
        row += 1;
    }
    table
}

const KEYBOARD: [u8; 128] = keyboard_table();

fn keyboard_position(c: char) -> u8 {
    if c.is_ascii() {
        KEYBOARD[c as usize]
    } else {
        0
    }
}

/// +1 if `next` is the key right of `prev` on the same row, -1 if left.
fn keyboard_step(prev: char, next: char) -> i8 {
    let (p, n) = (keyboard_position(prev), keyboard_position(next));
    if p == 0 || n == 0 {
        0
    } else if n == p + 1 {
        1
    } else if p == n + 1 {
        -1
    } else {
        0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn a_report_code_stands_for_the_whole_report() {
        let policies = [
            Policy::BASIC,
            Policy {
                minimum_password_length: 14,
                have_special_character: true,
                consecutive_characters_length: 4,
                weak_enhance_detection: true,
            },
            Policy {
                minimum_password_length: 10,
                have_special_character: false,
                consecutive_characters_length: 8,
                weak_enhance_detection: true,
            },
            Policy {
                minimum_password_length: 8,
                have_special_character: true,
                consecutive_characters_length: 6,
                weak_enhance_detection: false,
            },
        ];
        let passwords = [
            "",
            "password",
            "Abcdefgh1!",
            "aaaaaaaa",
            " x\u{200b}",
            "Zoom-Pass-2024-ÄÖ",
            "qwerty123456",
        ];
        for policy in &policies {
            for password in passwords {
                let report = validate_password(password, policy);
                assert_eq!(
                    report_from_code(report_code(&report, policy)),
                    report,
                    "{password:?} {policy:?}"
                );
            }
        }
        assert_eq!(CHECK_LINES[13].1, BASIC_RUN_MESSAGE);
        assert_eq!(CHECK_LINES[19].0, RuleId::SpecialCharacter);
        assert_eq!(CHECK_LINES[20].0, RuleId::WeakPassword);
    }

    use super::*;

    fn failed(password: &str, policy: &Policy) -> Vec<&'static str> {
        validate_password(password, policy)
            .violations()
            .map(|c| c.rule.as_str())
            .collect()
    }

    #[test]
    fn rule_ids_map_to_zoom_codes_both_ways() {
        for rule in RuleId::ALL {
            if let Some(code) = rule.zoom_code() {
                assert_eq!(RuleId::from_zoom_code(code), Some(rule));
            }
        }
        assert_eq!(RuleId::from_zoom_code(1129), None);
    }

    #[test]
    fn basic_checks_are_listed_in_stable_order() {
        let report = validate_password("Abcd1234!x", &Policy::BASIC);
        let rules: Vec<_> = report.checks.iter().map(|c| c.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "printable",
                "min_length",
                "max_length",
                "letter",
                "number",
                "upper_and_lower",
                "single_character",
                "consecutive_characters"
            ]
        );
        assert!(report.valid());
    }

    #[test]
    fn policy_adds_special_and_weak_checks_at_the_end() {
        let policy = Policy {
            have_special_character: true,
            weak_enhance_detection: true,
            ..Policy::BASIC
        };
        let report = validate_password("Zx9!kq2Lm", &policy);
        let rules: Vec<_> = report.checks.iter().map(|c| c.rule).collect();
        assert_eq!(rules[8..], [RuleId::SpecialCharacter, RuleId::WeakPassword]);
        assert!(report.valid(), "{:?}", report);
    }

    #[test]
    fn policy_range_checks_name_the_field() {
        assert_eq!(Policy::minimum_length_from(0.0), Ok(0));
        assert_eq!(Policy::minimum_length_from(8.0), Ok(8));
        assert_eq!(Policy::minimum_length_from(14.0), Ok(14));
        for bad in [7.0, 15.0, -1.0, 8.5, f64::NAN, f64::INFINITY] {
            let err = Policy::minimum_length_from(bad).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidOptions);
            assert_eq!(err.field_errors[0].field, "minimum_password_length");
        }
        assert_eq!(Policy::consecutive_length_from(4.0), Ok(4));
        for bad in [3.0, 9.0, 1.0, 4.2] {
            let err = Policy::consecutive_length_from(bad).unwrap_err();
            assert_eq!(err.field_errors[0].field, "consecutive_characters_length");
        }
    }

    #[test]
    fn invalid_report_becomes_invalid_password_with_violations_only() {
        let failure = validate_password("short", &Policy::BASIC)
            .into_failure()
            .unwrap();
        assert_eq!(failure.kind, ErrorKind::InvalidPassword);
        assert!(failure.violations.iter().all(|c| !c.passed));
        assert!(failure
            .violations
            .iter()
            .any(|c| c.rule == RuleId::MinLength));
        assert!(!format!("{failure:?}").contains("short"));
        assert!(validate_password("Good1pass", &Policy::BASIC)
            .into_failure()
            .is_none());
    }

    /// The table the policy issue asks for: password, policy, violated rules.
    #[test]
    fn password_table() {
        let basic = Policy::BASIC;
        let special = Policy {
            have_special_character: true,
            ..basic
        };
        let min12 = Policy {
            minimum_password_length: 12,
            ..basic
        };
        let min14 = Policy {
            minimum_password_length: 14,
            ..basic
        };
        let run4 = Policy {
            consecutive_characters_length: 4,
            ..basic
        };
        let run5 = Policy {
            consecutive_characters_length: 5,
            ..basic
        };
        let run8 = Policy {
            consecutive_characters_length: 8,
            ..basic
        };
        let weak = Policy {
            weak_enhance_detection: true,
            ..basic
        };
        let full = Policy {
            minimum_password_length: 10,
            have_special_character: true,
            consecutive_characters_length: 4,
            weak_enhance_detection: true,
        };
        let table: &[(&str, &Policy, &[&str])] = &[
            // Lengths, counted in code points.
            ("Abcd1x7", &basic, &["min_length"]),
            ("Abce1x7q", &basic, &[]),
            ("Ab1xQz9Lm0Rt5Yu7Io3Pa8Sd2Fg4Hj6", &basic, &[]), // 31
            ("Ab1xQz9Lm0Rt5Yu7Io3Pa8Sd2Fg4Hj6K", &basic, &["max_length"]), // 32
            (
                "",
                &basic,
                &["min_length", "letter", "number", "upper_and_lower"],
            ),
            ("Zx9kq2Lm7Np", &min12, &["min_length"]),
            ("Zx9kq2Lm7Npw", &min12, &[]),
            ("Zx9kq2Lm7Npwr", &min14, &["min_length"]),
            ("Zx9kq2Lm7Npwrt", &min14, &[]),
            ("Éa1😀😀😀😀😀", &basic, &[]), // 8 code points, emoji count once
            ("Éa1😀😀😀😀", &basic, &["min_length"]),
            // Letters, digits, case.
            ("97531864", &basic, &["letter", "upper_and_lower"]),
            ("Abcxyzqw", &basic, &["number"]),
            ("abx91qzw", &basic, &["upper_and_lower"]),
            ("ABX91QZW", &basic, &["upper_and_lower"]),
            ("Пароль12", &basic, &[]), // Cyrillic letters, both cases
            ("пароль12", &basic, &["upper_and_lower"]),
            ("パスワード12ab", &basic, &["upper_and_lower"]), // letters without case
            (
                "!!!!!!!!",
                &basic,
                &["letter", "number", "upper_and_lower", "single_character"],
            ),
            (
                "aaaaaaaa",
                &basic,
                &["number", "upper_and_lower", "single_character"],
            ),
            ("aAaAaAaA", &basic, &["number", "single_character"]),
            (
                "11111111",
                &basic,
                &["letter", "upper_and_lower", "single_character"],
            ),
            // Basic run rule: 6 sequential letters or digits.
            ("Xy123456", &basic, &["consecutive_characters"]),
            ("Xy912345", &basic, &[]), // run of 5
            ("Q7abcdef", &basic, &["consecutive_characters"]),
            ("Q7aBcDeF", &basic, &["consecutive_characters"]), // mixed case
            ("Q7fedcba", &basic, &["consecutive_characters"]), // descending
            ("Xy654321", &basic, &["consecutive_characters"]),
            ("Xy654320", &basic, &[]),
            ("Qwerty12", &basic, &[]),  // keyboard runs are a policy rule
            ("Xx1111119", &basic, &[]), // identical runs too
            ("Ab1vwxyz", &basic, &[]),  // run of 5
            ("Ab1uvwxyz", &basic, &["consecutive_characters"]),
            ("Xy789012", &basic, &[]), // 9->0 is not sequential
            // Policy runs, n = 4: at most 3.
            ("Zx9abcQm", &run4, &[]),
            ("Zx9abcdQ", &run4, &["consecutive_characters"]),
            ("Zx9DCBAq", &run4, &["consecutive_characters"]),
            ("Zx9111Qm", &run4, &[]),
            ("Zx91111Q", &run4, &["consecutive_characters"]),
            ("Zk9qweMp", &run4, &[]),
            ("Zk9qwerM", &run4, &["consecutive_characters"]),
            ("Zk9QwErM", &run4, &["consecutive_characters"]), // keyboard across case
            ("Zk9rewqM", &run4, &["consecutive_characters"]), // keyboard backwards
            ("Zk7890Mp", &run4, &["consecutive_characters"]), // number row
            ("Zk!!!!Mp9", &run4, &["consecutive_characters"]), // identical specials
            ("Zk9aAaAp", &run4, &["consecutive_characters"]), // identical across case
            ("Zk9asdMp", &run4, &[]),
            ("Zk9sdfgM", &run4, &["consecutive_characters"]),
            ("Zk9poiuM", &run4, &["consecutive_characters"]),
            ("Zk9ertYp", &run4, &["consecutive_characters"]), // e-r-t-y across case
            // Policy runs, n = 5: at most 4.
            ("Zx9abcdQ", &run5, &[]),
            ("Zx9abcdeQ", &run5, &["consecutive_characters"]),
            ("Zx91111Qm", &run5, &[]),
            ("Zx911111Q", &run5, &["consecutive_characters"]),
            ("Zk9qwerM", &run5, &[]),
            ("Zk9qwertM", &run5, &["consecutive_characters"]),
            // Policy n = 8: keyboard and identical up to 7, sequences still 5.
            ("Zk9qwertyuM", &run8, &[]),
            ("Zk9qwertyuiM", &run8, &["consecutive_characters"]),
            ("Zk9abcdefM", &run8, &["consecutive_characters"]),
            ("Zk91111111M", &run8, &[]),
            ("Zk911111111M", &run8, &["consecutive_characters"]),
            // Special characters.
            ("Zx9kq2Lm", &special, &["special_character"]),
            ("Zx9kq2L!", &special, &[]),
            ("Zx9kq2L m", &special, &[]), // a space is a special character
            ("Zx9kq2Lé", &special, &["special_character"]), // é is a letter
            ("Zx9kq2L😀", &special, &[]),
            // Full policy.
            ("Zx9!kq2Lm", &full, &["min_length"]),
            ("Zx9!kq2Lmw", &full, &[]),
            ("Zx9!kq2Lmwert", &full, &["consecutive_characters"]),
        ];
        let mismatches: Vec<String> = table
            .iter()
            .filter(|(password, policy, expected)| failed(password, policy) != *expected)
            .map(|(password, policy, expected)| {
                format!(
                    "{password:?} {policy:?}: got {:?}, expected {expected:?}",
                    failed(password, policy)
                )
            })
            .collect();
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
        // The weak-password rows depend on the embedded dictionary.
        assert_eq!(failed("Password1", &weak), ["weak_password"]);
        assert_eq!(
            failed(
                "PASSWORD1",
                &Policy {
                    weak_enhance_detection: true,
                    ..basic
                }
            )
            .len(),
            2
        );
        assert_eq!(failed("Zx9!kq2Lmw", &weak), Vec::<&str>::new());
        assert!(table.len() >= 60, "{}", table.len());
    }

    #[test]
    fn long_and_odd_inputs_do_not_break_the_scan() {
        let long = "aB3".repeat(350_000);
        let report = validate_password(&long, &Policy::BASIC);
        assert_eq!(failed(&long, &Policy::BASIC), ["max_length"]);
        assert_eq!(report.checks.len(), 8);
        let nul = "Ab1\u{0}\u{0}\u{0}\u{0}x";
        assert_eq!(failed(nul, &Policy::BASIC), ["printable"]);
    }

    #[test]
    fn printable_refuses_what_cannot_be_seen_or_would_not_arrive_as_checked() {
        for bad in [
            "Good-Pass-123x!\r\n",
            "Good-Pass-123x!\n",
            "Good-Pass\r123x!",
            " Good-Pass-123x!",
            "Good-Pass-123x! ",
            "Good-Pass-123x!\u{3000}",
            "\u{A0}Good-Pass-123x!",
            "Good\tPass-123x!",
            "Good\u{0}Pass-123x!",
            "Good\u{7F}Pass-123x!",
            "Good\u{85}Pass-123x!",
            "Good\u{200B}Pass-123x!",
            "Good\u{200D}Pass-123x!",
            "Good\u{202E}Pass-123x!",
            "Good\u{FEFF}Pass-123x!",
            "Good\u{AD}Pass-123x!",
            "Good\u{E0041}Pass-123x!",
        ] {
            assert_eq!(failed(bad, &Policy::BASIC), ["printable"], "{bad:?}");
            assert!(printable_failure(bad).is_some(), "{bad:?}");
        }
        for good in [
            "Good Pass 123x!",
            "Пароль-Good-12",
            "Good-Pass-😀-12",
            "Zx9kq2Lm!",
        ] {
            assert!(is_printable(good), "{good:?}");
            assert!(printable_failure(good).is_none());
        }
        let failure = printable_failure("\n").unwrap();
        assert_eq!(failure.violations.len(), 1);
        assert_eq!(failure.violations[0].rule, RuleId::Printable);
    }

    /// Non-ASCII letters and cases, as Rust's tables see them; tests/wasm_api.rs
    /// checks the same table (tests/common/) against the platform's regular expressions.
    #[test]
    fn letters_and_cases_beyond_ascii() {
        let cases: &[(&str, &[&str])] = include!("../../tests/common/letter_cases.rs");
        for &(password, violated) in cases {
            assert_eq!(failed(password, &Policy::BASIC), violated, "{password}");
        }
    }

    /// The hand-written Cf ranges against a general-category table, for every code point.
    #[test]
    fn format_characters_are_exactly_unicode_cf() {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                is_format_character(c),
                c.general_category() == GeneralCategory::Format,
                "U+{:04X}",
                c as u32
            );
        }
    }
}
