//! The few pieces of Java behaviour that show through Jayway's results and messages:
//! `Double.toString`, Jackson's `JsonNode.toString`, `BigDecimal` comparison,
//! `String.trim` and `String.compareTo` (UTF-16 code units).

use serde_json::Value;
use std::cmp::Ordering;
use std::fmt::Write;

/// How deep [`jackson_json`] writes before it abbreviates: messages stay bounded, and a value
/// nested thousands deep cannot overflow the stack.
const MAX_REPR_DEPTH: usize = 64;

/// Java's `Double.toString(d)`: `8.95`, `10.0`, `0.001`, `1.0E7`, `1.5E-5`.
pub fn double_to_string(d: f64) -> String {
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    if !d.is_finite() {
        return if d.is_nan() {
            "NaN".into()
        } else if d > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let sign = if d < 0.0 { "-" } else { "" };
    let abs = d.abs();
    // Rust's `{:e}` gives the shortest digits that round-trip, as Java (since 19) does.
    let sci = format!("{abs:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let (first, rest) = digits.split_at(1);
    if (1e-3..1e7).contains(&abs) {
        let mut out = String::from(sign);
        if exponent >= 0 {
            let int_len = exponent as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        }
        out
    } else {
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exponent}")
    }
}

/// Jackson's `JsonNode.toString()`: compact JSON, doubles written the Java way.
pub fn jackson_json(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, 0);
    out
}

fn write_json(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_to_string(n)),
        Value::String(s) => write_quoted(out, s),
        Value::Array(items) => {
            if depth >= MAX_REPR_DEPTH {
                out.push_str("[...]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item, depth + 1);
            }
            out.push(']');
        }
        Value::Object(map) => {
            if depth >= MAX_REPR_DEPTH {
                out.push_str("{...}");
                return;
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_quoted(out, key);
                out.push(':');
                write_json(out, item, depth + 1);
            }
            out.push('}');
        }
    }
}

fn write_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON number as Java prints the boxed value Jackson makes of it: `Integer`/`Long`/
/// `BigInteger` digits, or `Double.toString`.
pub fn number_to_string(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        double_to_string(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Java's `String.trim()`: strips characters up to U+0020 at both ends. Returns the byte
/// offset of the start and the trimmed text.
pub fn trim(s: &str) -> (usize, &str) {
    let start = s.len() - s.trim_start_matches(|c: char| c <= ' ').len();
    (start, s[start..].trim_end_matches(|c: char| c <= ' '))
}

/// Java's `String.compareTo`: by UTF-16 code units.
pub fn compare_strings(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `new BigDecimal(a).compareTo(new BigDecimal(b))`; `Err` carries the text that is not a
/// number (Java's `NumberFormatException`).
pub fn compare_decimals(a: &str, b: &str) -> Result<Ordering, String> {
    let a = Decimal::parse(a).ok_or_else(|| a.to_string())?;
    let b = Decimal::parse(b).ok_or_else(|| b.to_string())?;
    Ok(a.cmp(&b))
}

/// A decimal as sign, significant digits (no leading or trailing zeros) and the power of ten
/// of the first digit.
#[derive(Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    /// The value is 0.d1d2d3… × 10^point.
    point: i64,
}

impl Decimal {
    /// `BigDecimal(String)`'s grammar: `[+-]` digits with an optional `.`, then an optional
    /// exponent `e`/`E` `[+-]` digits.
    fn parse(text: &str) -> Option<Decimal> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut negative = false;
        if let Some(&c) = bytes.first() {
            if c == b'+' || c == b'-' {
                negative = c == b'-';
                i = 1;
            }
        }
        let mut digits = Vec::new();
        let mut int_digits: i64 = 0;
        let mut seen_point = false;
        let mut any_digit = false;
        while i < bytes.len() {
            match bytes[i] {
                c @ b'0'..=b'9' => {
                    any_digit = true;
                    digits.push(c - b'0');
                    if !seen_point {
                        int_digits += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if !any_digit {
            return None;
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() {
            if bytes[i] != b'e' && bytes[i] != b'E' {
                return None;
            }
            let exp_text = &text[i + 1..];
            let exp_digits = exp_text.strip_prefix(['+', '-']).unwrap_or(exp_text);
            if exp_digits.is_empty()
                || exp_digits.len() > 10
                || !exp_digits.bytes().all(|c| c.is_ascii_digit())
            {
                return None;
            }
            exponent = exp_text.parse::<i64>().ok()?;
            if exponent.abs() > i64::from(i32::MAX) {
                return None;
            }
        }
        let leading = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..leading);
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let point = int_digits - leading as i64 + exponent;
        Some(Decimal {
            negative: negative && !digits.is_empty(),
            digits,
            point,
        })
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |d: &Decimal| -> i8 {
            if d.digits.is_empty() {
                0
            } else if d.negative {
                -1
            } else {
                1
            }
        };
        let (sa, sb) = (sign(self), sign(other));
        if sa != sb {
            return sa.cmp(&sb);
        }
        if sa == 0 {
            return Ordering::Equal;
        }
        let abs = self
            .point
            .cmp(&other.point)
            .then_with(|| self.digits.cmp(&other.digits));
        if sa < 0 {
            abs.reverse()
        } else {
            abs
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_as_java_does() {
        assert_eq!(double_to_string(8.95), "8.95");
        assert_eq!(double_to_string(10.0), "10.0");
        assert_eq!(double_to_string(0.001), "0.001");
        assert_eq!(double_to_string(0.0001), "1.0E-4");
        assert_eq!(double_to_string(1e7), "1.0E7");
        assert_eq!(double_to_string(1234567.5), "1234567.5");
        assert_eq!(double_to_string(-1.5e-5), "-1.5E-5");
        assert_eq!(double_to_string(1e20), "1.0E20");
        assert_eq!(double_to_string(123.0), "123.0");
    }

    #[test]
    fn decimals_compare_exactly() {
        use Ordering::*;
        assert_eq!(compare_decimals("10", "8.95"), Ok(Greater));
        assert_eq!(compare_decimals("10", "10.0"), Ok(Equal));
        assert_eq!(compare_decimals("1e3", "1000"), Ok(Equal));
        assert_eq!(compare_decimals("-1", "0"), Ok(Less));
        assert_eq!(compare_decimals("-0.0", "0"), Ok(Equal));
        assert_eq!(compare_decimals("-2", "-10"), Ok(Greater));
        assert_eq!(compare_decimals("0.1", "0.10000000000000001"), Ok(Less));
        assert_eq!(compare_decimals(".5", "0.5"), Ok(Equal));
        assert_eq!(compare_decimals("1.0E-4", "0.0001"), Ok(Equal));
        assert!(compare_decimals("abc", "1").is_err());
        assert!(compare_decimals("1", "").is_err());
        assert!(compare_decimals("1e", "1").is_err());
    }

    #[test]
    fn jackson_strings() {
        let v = serde_json::json!({"a": [1, 2.5, "x\"y", null, true], "b": 1e20});
        assert_eq!(
            jackson_json(&v),
            r#"{"a":[1,2.5,"x\"y",null,true],"b":1.0E20}"#
        );
    }
}
