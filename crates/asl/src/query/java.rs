//! How Java writes values, where AWS's Java shows through (Jayway's messages, intrinsic
//! functions' results): `Double.toString`, the boxed numbers Jackson makes, and Jackson's
//! compact JSON. JSONPath and the intrinsic functions share it.

use serde_json::{Number, Value};
use std::fmt::Write;

/// How deep [`jackson_json_bounded`] writes before it abbreviates: messages stay bounded, and a
/// value nested thousands deep cannot overflow the stack.
const MAX_REPR_DEPTH: usize = 64;

/// `Double.toString`: `1.0`, `1.1`, `100.0`, `0.001`, then scientific below 10⁻³ and from 10⁷
/// up (`1.0E7`, `1.0E-4`), with the shortest digits that read back to the same double.
pub fn double_to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.2345e-4", "1e7". Java keeps two
    // digits for the smallest subnormal (`Double.MIN_VALUE` is "4.9E-324").
    let sci = if d.abs() == f64::from_bits(1) {
        "4.9e-324".to_string()
    } else {
        format!("{:e}", d.abs())
    };
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::new();
    if d < 0.0 {
        out.push('-');
    }
    let magnitude = d.abs();
    if (1e-3..1e7).contains(&magnitude) {
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
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        out.push_str(if digits.len() > 1 { &digits[1..] } else { "0" });
        let _ = write!(out, "E{exponent}");
    }
    out
}

/// A JSON number as Java prints the boxed value Jackson makes of it: `Integer`/`Long`/
/// `BigInteger` digits, or `Double.toString`.
pub fn number_to_string(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        double_to_string(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Jackson's compact JSON (`ObjectMapper.writeValueAsString`, `JsonNode.toString`): no spaces,
/// keys in order, `"\"\\\b\f\n\r\t"` escaped short and other control characters as `\u00XX`
/// (upper-case hex), everything else (`/`, non-ASCII) as is; doubles as [`double_to_string`].
pub fn jackson_json(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, 0, usize::MAX);
    out
}

/// [`jackson_json`] for messages: values nested deeper than 64 levels are abbreviated.
pub fn jackson_json_bounded(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, 0, MAX_REPR_DEPTH);
    out
}

fn write_json(out: &mut String, value: &Value, depth: usize, max: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_to_string(n)),
        Value::String(s) => write_quoted(out, s),
        Value::Array(items) => {
            if depth >= max {
                out.push_str("[...]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item, depth + 1, max);
            }
            out.push(']');
        }
        Value::Object(map) => {
            if depth >= max {
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
                write_json(out, item, depth + 1, max);
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
