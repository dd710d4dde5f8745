//! The few pieces of Java behaviour that show through Jayway's results and messages:
//! `Double.toString` and Jackson's `JsonNode.toString` (shared in `crate::java`), `BigDecimal` comparison,
//! `String.trim` and `String.compareTo` (UTF-16 code units).

use std::cmp::Ordering;

pub use crate::java::{double_to_string, jackson_json_bounded as jackson_json, number_to_string};

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
