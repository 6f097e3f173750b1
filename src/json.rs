//! Just enough JSON for Zoom's error bodies, without serde_json's size.
//!
//! Numbers are kept as their source text (no float parsing reaches the
//! binary); nesting deeper than `MAX_DEPTH` is refused instead of recursing
//! without bound, so a hostile body cannot exhaust the wasm stack.

#[allow(unused_imports)]
use crate::prelude::*;

pub const MAX_DEPTH: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Number(&'a str),
    String(String),
    Array(Vec<Value<'a>>),
    Object(Vec<(String, Value<'a>)>),
}

impl<'a> Value<'a> {
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            // Later duplicates win, as in JSON.parse.
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A non-negative integer that fits in `u32`, written as a number
    /// (`1001`, `1001.0`) or as a string of digits (`"1001"`).
    pub fn as_u32(&self) -> Option<u32> {
        let text = match self {
            Value::Number(text) => text.strip_suffix(".0").unwrap_or(text),
            Value::String(text) => text.as_str(),
            _ => return None,
        };
        parse_u32(text)
    }
}

pub fn parse_u32(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 10 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: u64 = 0;
    for b in text.bytes() {
        value = value * 10 + (b - b'0') as u64;
    }
    u32::try_from(value).ok()
}

/// Parses one JSON document; `None` if it is not exactly that.
pub fn parse(text: &str) -> Option<Value<'_>> {
    let mut parser = Parser { text, pos: 0 };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos == text.len() {
        Some(value)
    } else {
        None
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &str) -> Option<()> {
        if self
            .text
            .as_bytes()
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(literal.as_bytes()))
        {
            self.pos += literal.len();
            Some(())
        } else {
            None
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Value::String),
            b't' => self.eat("true").map(|_| Value::Bool(true)),
            b'f' => self.eat("false").map(|_| Value::Bool(false)),
            b'n' => self.eat("null").map(|_| Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value<'a>> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.skip_whitespace();
            self.eat(":")?;
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(Value::Object(members));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value<'a>> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(Value::Array(items));
                }
                _ => return None,
            }
        }
    }

    fn number(&mut self) -> Option<Value<'a>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        self.digits();
        let int_len = self.pos - int_start;
        if int_len == 0 || (int_len > 1 && self.text.as_bytes()[int_start] == b'0') {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(Value::Number(self.text.get(start..self.pos)?))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn string(&mut self) -> Option<String> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..)?;
            // Copy the plain run up to the next quote, backslash or control.
            let plain = rest
                .bytes()
                .position(|b| b == b'"' || b == b'\\' || b < 0x20)?;
            out.push_str(rest.get(..plain)?);
            self.pos += plain;
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escape = self.peek()?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                _ => return None, // a raw control character
            }
        }
    }

    /// After `\u`: one code unit, or a surrogate pair written as two escapes.
    /// A lone surrogate becomes U+FFFD, as a lenient decoder would show it.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first)
            && self
                .text
                .as_bytes()
                .get(self.pos..)
                .is_some_and(|rest| rest.starts_with(b"\\u"))
        {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return char::from_u32(code);
            }
            self.pos = save;
        }
        Some(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        let mut value = 0;
        for b in digits.bytes() {
            value = value * 16 + (b as char).to_digit(16)?;
        }
        self.pos += 4;
        Some(value)
    }
}

/// Writes `text` as a JSON string literal (for the `encoding: "json"` body
/// and the output shapes). Runs of plain bytes are copied at once.
pub fn push_string_literal(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(text.len() + 2);
    out.push_str("\"");
    let mut plain_from = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on char boundaries.
        out.push_str(text.get(plain_from..i).unwrap_or(""));
        if escape.is_empty() {
            let code = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 15) as usize],
            ];
            out.push_str(core::str::from_utf8(&code).unwrap_or(""));
        } else {
            out.push_str(escape);
        }
        plain_from = i + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or(""));
    out.push_str("\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_zoom_error_bodies() {
        let body = r#"{"code":300,"message":"Validation Failed.","errors":[{"field":"password","message":"Too short"}]}"#;
        let value = parse(body).unwrap();
        assert_eq!(value.get("code").and_then(Value::as_u32), Some(300));
        assert_eq!(
            value.get("message").and_then(Value::as_str),
            Some("Validation Failed.")
        );
        match value.get("errors") {
            Some(Value::Array(items)) => {
                assert_eq!(
                    items[0].get("field").and_then(Value::as_str),
                    Some("password")
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_every_value_form() {
        let value = parse(
            " [1, -2.5e3, 0, true, false, null, \"a\\\"b\\u00e9\\ud83d\\ude00\\n\", {}, []] ",
        )
        .unwrap();
        match value {
            Value::Array(items) => {
                assert_eq!(items[1], Value::Number("-2.5e3"));
                assert_eq!(items[6], Value::String("a\"bé😀\n".into()));
                assert_eq!(items.len(), 9);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lone_surrogate_escapes_become_replacement_characters() {
        assert_eq!(
            parse(r#""\ud800x""#),
            Some(Value::String("\u{FFFD}x".into()))
        );
        assert_eq!(parse(r#""\udc00""#), Some(Value::String("\u{FFFD}".into())));
        assert_eq!(
            parse(r#""\ud800\u0041""#),
            Some(Value::String("\u{FFFD}A".into()))
        );
    }

    #[test]
    fn refuses_malformed_documents() {
        for bad in [
            "",
            " ",
            "{",
            "}",
            "{\"a\"}",
            "{\"a\":}",
            "[1,]",
            "[1 2]",
            "01",
            "1.",
            "-",
            "1e",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\u{1}\"",
            "tru",
            "nul",
            "{} {}",
            "<html>",
            "{'a':1}",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_recursing_forever() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep), None);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_some());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        assert_eq!(parse(&too_deep), None);
    }

    #[test]
    fn integers_are_read_without_float_parsing() {
        assert_eq!(Value::Number("1001").as_u32(), Some(1001));
        assert_eq!(Value::Number("1001.0").as_u32(), Some(1001));
        assert_eq!(Value::String("124".into()).as_u32(), Some(124));
        for bad in ["-1", "1.5", "4294967296", "99999999999", "1e3", ""] {
            assert_eq!(Value::Number(bad).as_u32(), None, "{bad}");
        }
        assert_eq!(Value::Number("4294967295").as_u32(), Some(u32::MAX));
    }

    #[test]
    fn string_literals_round_trip() {
        for text in [
            "plain",
            "quote\" back\\slash",
            "line\nfeed\ttab\r",
            "\u{1}\u{1f}",
            "é😀",
            "",
        ] {
            let mut out = String::new();
            push_string_literal(&mut out, text);
            assert_eq!(parse(&out), Some(Value::String(text.into())), "{out}");
        }
    }
}
