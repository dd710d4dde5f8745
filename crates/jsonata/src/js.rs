//! What JavaScript's engine does for JSONata that Rust's standard library would otherwise bring
//! tables for: printing a number (`Number.prototype.toString`) and mapping a string's case
//! (`toUpperCase`/`toLowerCase`).
//!
//! Why not a crate: `ryu-js` prints numbers exactly as JavaScript does, but adds its 10 KB
//! tables of powers of five to the page's .wasm, and the Rust standard library's float
//! formatting (already in the .wasm for `format!`) gives the same shortest round-trip digits;
//! only the layout around the digits is JavaScript's, written here. Case mapping in the browser
//! is done by the browser (Rust's `str::to_uppercase` carries 12 KB of Unicode tables); natively
//! by Rust, whose full Unicode mappings (`ß` → `SS`, final sigma) are JavaScript's too.

/// JavaScript's `Number::toString(x)` (what `String(x)` and `"" + x` give): the shortest digits
/// that read back as `x`, written plainly when the decimal exponent is in −7 < e < 21 and in
/// exponent notation (`1e+21`, `1.5e-7`) otherwise (ECMA-262, Number::toString).
pub fn number_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    // `{:e}` is Rust's shortest round-trip form: "1.2345e-4", "5e0".
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let mut digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exponent = exponent.parse::<i32>().unwrap_or(0);
    prefer_even_on_a_tie(x.abs(), &mut digits, exponent);
    // JavaScript's n: the value is 0.d1d2… × 10^n.
    let n = exponent + 1;
    let k = digits.len() as i32;
    let mut out = String::with_capacity(digits.len() + 8);
    if x < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

/// When `x` lies exactly halfway between two shortest candidates, JavaScript takes the even one
/// (`1658206780088562.25` prints as `…562.2`); Rust's shortest form rounds the half up. A tie
/// needs at least 16 digits (below that, a k-digit neighbour is farther than a double's
/// spacing), so only those are checked, against the exact expansion of `x` (a double has at
/// most 767 significant decimal digits).
fn prefer_even_on_a_tie(x: f64, digits: &mut String, exponent: i32) {
    let k = digits.len();
    let odd = digits.as_bytes()[k - 1] % 2 == 1;
    if k < 16 || !odd {
        return;
    }
    let exact = format!("{:.767e}", x);
    let (mantissa, exact_exponent) = exact.split_once('e').unwrap_or((&exact, "0"));
    if exact_exponent.parse::<i32>().ok() != Some(exponent) {
        return;
    }
    let exact: Vec<u8> = mantissa.bytes().filter(|b| *b != b'.').collect();
    let halfway = exact[k] == b'5' && exact[k + 1..].iter().all(|b| *b == b'0');
    if halfway && exact[k - 1].is_multiple_of(2) {
        // The even candidate is the exact value cut after k digits.
        *digits = String::from_utf8_lossy(&exact[..k]).into_owned();
    }
}

/// `text.toUpperCase()`.
pub fn upper_case(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_upper_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_uppercase()
    }
}

/// `text.toLowerCase()`.
pub fn lower_case(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::number_to_string;

    /// ryu-js is a port of JavaScript's own algorithm: our digits and layout must agree with
    /// it on every double, not only on the hand-picked ones below.
    fn ryu_js(x: f64) -> String {
        ryu_js::Buffer::new().format(x).to_owned()
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (x, js) in [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            // Halfway between two 17-digit candidates: the even one, not the one above.
            (1658206780088562.25, "1658206780088562.2"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "5e-324"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(number_to_string(x), js, "{x:e}");
        }
    }

    #[test]
    fn every_kind_of_double_agrees_with_ryu_js() {
        // A xorshift over raw bit patterns (every exponent, subnormals included), plus
        // integers and short decimals, which are what documents hold.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..200_000 {
            let bits = next();
            let x = match i % 3 {
                0 => f64::from_bits(bits),
                1 => (bits % 1_000_000_000) as f64 / 1000.0,
                _ => (bits as i64 >> (bits % 60)) as f64,
            };
            if x.is_finite() {
                assert_eq!(number_to_string(x), ryu_js(x), "{x:e}");
            }
        }
    }
}
