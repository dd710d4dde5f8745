//! Text codecs behind the string intrinsics, each as lenient or as strict as AWS is.

use serde_json::{Map, Number, Value};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard Base64 (RFC 4648 alphabet, `=` padding, no line breaks).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 decoding as lenient as AWS's (Apache commons-codec `Base64.decodeBase64`): bytes
/// outside the alphabet are skipped (spaces, line breaks, `!`), the URL-safe `-` and `_` count
/// as `+` and `/`, the first `=` ends the data, and a trailing partial group yields the whole
/// bytes it holds (`abc` → 2 bytes; a lone sixth of a byte is dropped). Never fails.
pub fn base64_decode_lenient(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut work: u32 = 0;
    let mut count = 0;
    for &byte in text.as_bytes() {
        if byte == b'=' {
            break;
        }
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        work = (work << 6) | u32::from(sextet);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(work >> 16) as u8, (work >> 8) as u8, work as u8]);
            work = 0;
            count = 0;
        }
    }
    match count {
        2 => out.push((work >> 4) as u8),
        3 => out.extend_from_slice(&[(work >> 10) as u8, (work >> 2) as u8]),
        _ => {}
    }
    out
}

/// `java.util.StringTokenizer(text, delimiters)`: every character of `delimiters` separates
/// tokens, and empty tokens are never returned (`",a,,b,"` → `["a", "b"]`, `""` → `[]`).
pub fn tokenize<'t>(text: &'t str, delimiters: &str) -> Vec<&'t str> {
    text.split(|c: char| delimiters.contains(c))
        .filter(|token| !token.is_empty())
        .collect()
}

/// Jackson's nesting limit (`StreamReadConstraints.DEFAULT_MAX_DEPTH`).
const MAX_DEPTH: usize = 1000;

/// Reads JSON text as Jackson's `ObjectMapper.readTree` does with default settings:
///
/// - empty or blank text is `null` (a missing node);
/// - only the first root value is read: `{"a":1} tail` is `{"a":1}`; a root-level number,
///   `true`, `false` or `null` must still be followed by whitespace or the end (`1x` fails);
/// - integers stay integers (`-0` is `0`), anything with a fraction or exponent is a double;
/// - duplicate keys: the last value wins, in the first key's place;
/// - strict otherwise: no comments, single quotes, `NaN`, leading zeros or control characters
///   in strings.
pub fn parse_json_like_jackson(text: &str) -> Result<Value, String> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    reader.skip_ws();
    if reader.pos == reader.bytes.len() {
        return Ok(Value::Null);
    }
    let root_is_scalar = !matches!(reader.peek(), Some(b'{' | b'[' | b'"'));
    let value = reader.value(0)?;
    if root_is_scalar {
        match reader.peek() {
            None | Some(b' ' | b'\t' | b'\n' | b'\r') => {}
            Some(_) => return Err(reader.error("expected space separating root-level values")),
        }
    }
    Ok(value)
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at offset {}", self.pos)
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected '{}'", byte as char)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't' | b'f' | b'n') => self.keyword(),
            _ => Err(self.error("unexpected character")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.pos += 1;
        let mut map = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a field name"));
            }
            let key = self.string()?;
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let value = self.value(depth)?;
            map.insert(key, value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn keyword(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80)
        {
            self.pos += 1;
        }
        match &self.text[start..self.pos] {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            "null" => Ok(Value::Null),
            _ => {
                self.pos = start;
                Err(self.error("unrecognized token"))
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = self.digits();
        if int_digits == 0 {
            return Err(self.error("expected a digit"));
        }
        if int_digits > 1 && self.bytes[int_start] == b'0' {
            return Err(self.error("leading zeros are not allowed"));
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("expected a digit after '.'"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integral = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        let text = &self.text[start..self.pos];
        number_value(text, integral).ok_or_else(|| self.error("number out of range"))
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = self
                        .peek()
                        .ok_or_else(|| self.error("unterminated string"))?;
                    self.pos += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            if (0xD800..0xDC00).contains(&unit)
                                && self.bytes[self.pos..].starts_with(b"\\u")
                            {
                                let saved = self.pos;
                                self.pos += 2;
                                let low = self.hex4()?;
                                if (0xDC00..0xE000).contains(&low) {
                                    let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                    out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                    continue;
                                }
                                self.pos = saved;
                            }
                            // A lone surrogate is a valid Java string but not a Rust one.
                            out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.error("unrecognized character escape")),
                    }
                }
                0..=0x1F => return Err(self.error("illegal unquoted character")),
                _ => {
                    let rest = &self.text[self.pos..];
                    let end = rest.find(['"', '\\']).unwrap_or(rest.len());
                    let chunk = &rest[..end];
                    if let Some(bad) = chunk.bytes().position(|b| b < 0x20) {
                        self.pos += bad;
                        return Err(self.error("illegal unquoted character"));
                    }
                    out.push_str(chunk);
                    self.pos += end;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("bad unicode escape"))?;
        let unit = u32::from_str_radix(digits, 16).map_err(|_| self.error("bad unicode escape"))?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("bad unicode escape"));
        }
        self.pos += 4;
        Ok(unit)
    }
}

/// A JSON number text as Jackson types it: integers as `int`/`long` (then as big as serde_json
/// can hold), doubles otherwise; `None` when the value cannot be held (an infinite double).
pub fn number_value(text: &str, integral: bool) -> Option<Value> {
    if integral {
        if let Ok(i) = text.parse::<i64>() {
            return Some(Value::Number(Number::from(i)));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Some(Value::Number(Number::from(u)));
        }
    }
    let d: f64 = text.parse().ok()?;
    Number::from_f64(d).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_base64_leniently() {
        assert_eq!(
            base64_decode_lenient("RGF0YSB0byBlbmNvZGU="),
            b"Data to encode"
        );
        assert_eq!(base64_decode_lenient(" YWJj\nZA== "), b"abcd");
        assert_eq!(base64_decode_lenient("abc"), [0x69, 0xb7]);
        assert_eq!(base64_decode_lenient("ab==cd"), [0x69]);
        assert_eq!(base64_decode_lenient("a"), b"");
        assert_eq!(base64_decode_lenient("-_-_"), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn encodes_base64() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foo"), "Zm9v");
        assert_eq!(base64_encode(b"Data to encode"), "RGF0YSB0byBlbmNvZGU=");
    }

    #[test]
    fn reads_json_like_jackson() {
        let ok = |t: &str| parse_json_like_jackson(t).unwrap();
        assert_eq!(ok(""), Value::Null);
        assert_eq!(ok(" \n"), Value::Null);
        assert_eq!(ok("-0"), json!(0));
        assert!(ok("-0").is_i64());
        assert!(ok("1.0").is_f64());
        assert_eq!(ok("1 2"), json!(1));
        assert_eq!(ok("{\"a\":1} tail"), json!({"a": 1}));
        assert_eq!(ok("\"a\"b"), json!("a"));
        assert_eq!(ok("{\"a\":1,\"a\":2}"), json!({"a": 2}));
        assert_eq!(ok("\"\\ud83d\\ude00\""), json!("😀"));
        for bad in [
            "1x", "truex", "01", "[1,]", "{'a':1}", "\"a\tb\"", "NaN", "1e999", "-",
        ] {
            assert!(parse_json_like_jackson(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(1001) + &"]".repeat(1001);
        assert!(parse_json_like_jackson(&deep).is_err());
        let ok_deep = "[".repeat(1000) + &"]".repeat(1000);
        assert!(parse_json_like_jackson(&ok_deep).is_ok());
    }

    #[test]
    fn tokenizes_like_string_tokenizer() {
        assert_eq!(tokenize(", , ,", ","), [" ", " "]);
        assert_eq!(tokenize(",,,,", ","), Vec::<&str>::new());
        assert_eq!(
            tokenize("split on T and \nnew line", "T\n"),
            ["split on ", " and ", "new line"]
        );
        assert_eq!(tokenize("abc", ""), ["abc"]);
        assert_eq!(tokenize("", ","), Vec::<&str>::new());
    }
}
