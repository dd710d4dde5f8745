//! $formatNumber (XPath fn:format-number), $formatBase, $formatInteger and $parseInteger
//! (XPath fn:format-integer pictures), with the integer pictures shared by the date/time code.

use crate::env::Env;
use crate::eval::Evaluator;
use crate::functions::round_half_even;
use crate::value::*;
use crate::Error;

type R<T> = Result<T, Error>;

// ---------------- integer pictures ----------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Case {
    Upper,
    Lower,
    Title,
}

#[derive(Clone, Debug)]
pub struct IntegerFormat {
    pub primary: Primary,
    pub case: Case,
    pub ordinal: bool,
    pub zero_code: u32,
    pub mandatory_digits: usize,
    pub optional_digits: usize,
    pub regular: bool,
    /// Regular grouping: (every n digits, character); otherwise explicit (position, character).
    pub group_every: Option<(usize, char)>,
    pub separators: Vec<(usize, char)>,
    pub token: String,
}

const ZERO_CODES: &[u32] = &[
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

fn digit_family(c: char) -> Option<u32> {
    let cp = c as u32;
    ZERO_CODES.iter().copied().find(|z| cp >= *z && cp <= z + 9)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn regular_repeat(seps: &[(usize, char)]) -> usize {
    if seps.is_empty() {
        return 0;
    }
    let c = seps[0].1;
    if seps.iter().any(|s| s.1 != c) {
        return 0;
    }
    let positions: Vec<usize> = seps.iter().map(|s| s.0).collect();
    let factor = positions.iter().copied().fold(0, gcd);
    if factor == 0 {
        return 0;
    }
    for i in 1..=positions.len() {
        if !positions.contains(&(i * factor)) {
            return 0;
        }
    }
    factor
}

pub fn analyse_integer_picture(picture: &str) -> R<IntegerFormat> {
    let mut f = IntegerFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero_code: 0x30,
        mandatory_digits: 0,
        optional_digits: 0,
        regular: false,
        group_every: None,
        separators: vec![],
        token: String::new(),
    };
    let presentation = match picture.rfind(';') {
        None => picture,
        Some(i) => {
            if picture[i + 1..].starts_with('o') {
                f.ordinal = true;
            }
            &picture[..i]
        }
    };
    match presentation {
        "A" => {
            f.case = Case::Upper;
            f.primary = Primary::Letters;
        }
        "a" => f.primary = Primary::Letters,
        "I" => {
            f.case = Case::Upper;
            f.primary = Primary::Roman;
        }
        "i" => f.primary = Primary::Roman,
        "W" => {
            f.case = Case::Upper;
            f.primary = Primary::Words;
        }
        "Ww" => {
            f.case = Case::Title;
            f.primary = Primary::Words;
        }
        "w" => f.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut mandatory = 0;
            let mut optional = 0;
            let mut seps = vec![];
            let mut pos = 0;
            for c in presentation.chars().rev() {
                if let Some(z) = digit_family(c) {
                    mandatory += 1;
                    pos += 1;
                    match zero {
                        None => zero = Some(z),
                        Some(z0) if z0 != z => return Err(Error::new("D3131")),
                        _ => {}
                    }
                } else if c == '#' {
                    pos += 1;
                    optional += 1;
                } else {
                    seps.push((pos, c));
                }
            }
            if mandatory > 0 {
                f.primary = Primary::Decimal;
                f.zero_code = zero.unwrap();
                f.mandatory_digits = mandatory;
                f.optional_digits = optional;
                let r = regular_repeat(&seps);
                if r > 0 {
                    f.regular = true;
                    f.group_every = Some((r, seps[0].1));
                } else {
                    f.regular = false;
                }
                f.separators = seps;
            } else {
                f.primary = Primary::Sequence;
                f.token = presentation.to_string();
            }
        }
    }
    Ok(f)
}

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

fn words(num: f64, prev: bool, ord: bool) -> String {
    let mut w = String::new();
    if num <= 19.0 {
        if prev {
            w.push_str(" and ");
        }
        w.push_str(if ord {
            ORDINALS[num as usize]
        } else {
            FEW[num as usize]
        });
    } else if num < 100.0 {
        let tens = (num / 10.0).floor() as usize;
        let rem = num % 10.0;
        if prev {
            w.push_str(" and ");
        }
        w.push_str(DECADES[tens - 2]);
        if rem > 0.0 {
            w.push('-');
            w.push_str(&words(rem, false, ord));
        } else if ord {
            w.pop();
            w.push_str("ieth");
        }
    } else if num < 1000.0 {
        let hundreds = (num / 100.0).floor() as usize;
        let rem = num % 100.0;
        if prev {
            w.push_str(", ");
        }
        w.push_str(FEW[hundreds]);
        w.push_str(" Hundred");
        if rem > 0.0 {
            w.push_str(&words(rem, true, ord));
        } else if ord {
            w.push_str("th");
        }
    } else {
        let mut mag = (num.log10() / 3.0).floor() as usize;
        if mag > MAGNITUDES.len() {
            mag = MAGNITUDES.len();
        }
        let factor = 10f64.powi(mag as i32 * 3);
        let mant = (num / factor).floor();
        let rem = num - mant * factor;
        if prev {
            w.push_str(", ");
        }
        w.push_str(&words(mant, false, false));
        w.push(' ');
        w.push_str(MAGNITUDES[mag - 1]);
        if rem > 0.0 {
            w.push_str(&words(rem, true, ord));
        } else if ord {
            w.push_str("th");
        }
    }
    w
}

const ROMAN: [(u32, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

fn romanize(mut n: f64) -> String {
    let mut s = String::new();
    'outer: while n >= 1.0 {
        for (v, r) in ROMAN {
            if n >= v as f64 {
                s.push_str(r);
                n -= v as f64;
                continue 'outer;
            }
        }
        break;
    }
    s
}

pub fn format_integer(value: f64, f: &IntegerFormat) -> R<String> {
    if !value.is_finite() {
        return Err(Error::new("D3001"));
    }
    if f.primary == Primary::Roman && value.abs() > 1e7 {
        return Err(Error::new("D1001").with_value(&Value::Num(value)));
    }
    let negative = value < 0.0;
    let value = value.abs();
    let mut out = match f.primary {
        Primary::Letters => {
            let base = if f.case == Case::Upper { b'A' } else { b'a' };
            let mut v = value;
            let mut chars = vec![];
            while v > 0.0 {
                chars.push((base + ((v - 1.0) % 26.0) as u8) as char);
                v = ((v - 1.0) / 26.0).floor();
            }
            chars.iter().rev().collect()
        }
        Primary::Roman => {
            let r = romanize(value);
            if f.case == Case::Upper {
                r.to_ascii_uppercase()
            } else {
                r
            }
        }
        Primary::Words => {
            let w = words(value, false, f.ordinal);
            match f.case {
                Case::Upper => w.to_ascii_uppercase(),
                Case::Lower => w.to_ascii_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut s = js_number(value);
            let len = s.chars().count();
            if f.mandatory_digits > len {
                s = "0".repeat(f.mandatory_digits - len) + &s;
            }
            if f.zero_code != 0x30 {
                s = s
                    .chars()
                    .map(|c| {
                        if c.is_ascii_digit() {
                            char::from_u32(c as u32 - 0x30 + f.zero_code).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect();
            }
            let mut chars: Vec<char> = s.chars().collect();
            if let Some((every, c)) = f.group_every {
                let n = (chars.len() - 1) / every;
                for i in (1..=n).rev() {
                    let pos = chars.len() - i * every;
                    chars.insert(pos, c);
                }
            } else {
                for (p, c) in f.separators.iter().rev() {
                    if *p <= chars.len() {
                        let pos = chars.len() - p;
                        chars.insert(pos, *c);
                    }
                }
            }
            let mut s: String = chars.into_iter().collect();
            if f.ordinal {
                let b: Vec<char> = s.chars().collect();
                let last = b.last().copied();
                let mut suffix = match last {
                    Some('1') => "st",
                    Some('2') => "nd",
                    Some('3') => "rd",
                    _ => "th",
                };
                if b.len() > 1 && b[b.len() - 2] == '1' {
                    suffix = "th";
                }
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence => return Err(Error::new("D3130").with_value(&Value::str(&f.token))),
    };
    if negative {
        out.insert(0, '-');
    }
    Ok(out)
}

pub fn word_values(word: &str) -> Option<f64> {
    let w = word;
    for (i, x) in FEW.iter().enumerate() {
        if x.to_ascii_lowercase() == w {
            return Some(i as f64);
        }
    }
    for (i, x) in ORDINALS.iter().enumerate() {
        if x.to_ascii_lowercase() == w {
            return Some(i as f64);
        }
    }
    for (i, x) in DECADES.iter().enumerate() {
        let l = x.to_ascii_lowercase();
        let v = if i == 8 {
            100.0
        } else {
            10.0 * (i as f64 + 2.0)
        };
        if l == w || format!("{}ieth", &l[..l.len() - 1]) == w {
            return Some(v);
        }
    }
    if w == "hundredth" {
        return Some(100.0);
    }
    for (i, x) in MAGNITUDES.iter().enumerate() {
        let l = x.to_ascii_lowercase();
        if l == w || format!("{}th", l) == w {
            return Some(10f64.powi(3 * (i as i32 + 1)));
        }
    }
    None
}

pub fn words_to_number(text: &str) -> f64 {
    // split on ", ", " and ", whitespace and '-'
    let t = text.replace(", ", " ").replace(" and ", " ");
    let mut segs: Vec<f64> = vec![0.0];
    for part in t.split(|c: char| c.is_whitespace() || c == '-') {
        let v = word_values(part).unwrap_or(f64::NAN);
        if v < 100.0 || v.is_nan() {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + v);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * v);
        }
    }
    segs.iter().sum()
}

pub fn roman_to_decimal(roman: &str) -> f64 {
    let mut decimal = 0.0;
    let mut max = 1.0;
    for c in roman.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'M' => 1000.0,
            'D' => 500.0,
            'C' => 100.0,
            'L' => 50.0,
            'X' => 10.0,
            'V' => 5.0,
            'I' => 1.0,
            _ => f64::NAN,
        };
        if v < max {
            decimal -= v;
        } else {
            max = v;
            decimal += v;
        }
    }
    decimal
}

pub fn letters_to_decimal(letters: &str, a: char) -> f64 {
    let mut d = 0.0;
    for (i, c) in letters.chars().rev().enumerate() {
        d += (c as u32 as f64 - a as u32 as f64 + 1.0) * 26f64.powi(i as i32);
    }
    d
}

/// Parses an integer written as the format says (no validation, as jsonata-js).
pub fn parse_integer_as(value: &str, f: &IntegerFormat) -> R<f64> {
    Ok(match f.primary {
        Primary::Letters => {
            letters_to_decimal(value, if f.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => roman_to_decimal(value),
        Primary::Words => words_to_number(&crate::js::lower_case(value)),
        Primary::Decimal => {
            let mut digits: String = value.to_string();
            if f.ordinal {
                let n = digits.chars().count();
                digits = digits.chars().take(n.saturating_sub(2)).collect();
            }
            if f.regular {
                digits = digits.replace(',', "");
                if let Some((_, c)) = f.group_every {
                    digits = digits.replace(c, "");
                }
            } else {
                for (_, c) in &f.separators {
                    digits = digits.replace(*c, "");
                }
            }
            if f.zero_code != 0x30 {
                // `String.fromCharCode(c.charCodeAt(0) - zeroCode + 0x30)`: a character below
                // the zero wraps around (ToUint16), as in JavaScript, to a character that is
                // not a digit.
                let bmp = |n: u32| n <= 0xFFFF;
                digits = digits
                    .chars()
                    .map(|c| {
                        let shifted = (c as u32 + 0x30).wrapping_sub(f.zero_code);
                        let shifted = if bmp(c as u32) && bmp(f.zero_code) {
                            Some(shifted & 0xFFFF)
                        } else {
                            (c as u32 + 0x30).checked_sub(f.zero_code)
                        };
                        shifted.and_then(char::from_u32).unwrap_or('\u{FFFD}')
                    })
                    .collect();
            }
            parse_int_prefix(&digits)
        }
        Primary::Sequence => return Err(Error::new("D3130").with_value(&Value::str(&f.token))),
    })
}

/// JavaScript parseInt(s, 10).
pub fn parse_int_prefix(s: &str) -> f64 {
    let t = s.trim_start();
    let (neg, t) = if let Some(r) = t.strip_prefix('-') {
        (true, r)
    } else {
        (false, t.strip_prefix('+').unwrap_or(t))
    };
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    let n: f64 = digits.parse().unwrap_or(f64::NAN);
    if neg {
        -n
    } else {
        n
    }
}

pub fn f_format_integer(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let n = match a.first() {
        Some(Value::Num(n)) => n.floor(),
        _ => return Ok(Value::Undefined),
    };
    let pic = match a.get(1) {
        Some(Value::Str(s)) => s.clone(),
        _ => return Ok(Value::Undefined),
    };
    let f = analyse_integer_picture(&pic)?;
    Ok(Value::string(format_integer(n, &f)?))
}

pub fn f_parse_integer(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let s = match a.first() {
        Some(Value::Str(s)) => s.clone(),
        _ => return Ok(Value::Undefined),
    };
    let pic = match a.get(1) {
        Some(Value::Str(s)) => s.clone(),
        _ => return Ok(Value::Undefined),
    };
    let f = analyse_integer_picture(&pic)?;
    let n = parse_integer_as(&s, &f)?;
    if n.is_nan() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(n))
}

pub fn f_format_base(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let n = match a.first() {
        Some(Value::Num(n)) => *n,
        _ => return Ok(Value::Undefined),
    };
    let n = round_half_even(n, 0);
    let radix = match a.get(1) {
        Some(Value::Num(r)) => *r,
        _ => 10.0,
    };
    if !(2.0..=36.0).contains(&radix) {
        return Err(Error::new("D3100").with_value(&Value::Num(radix)));
    }
    let radix = radix as u32;
    let neg = n < 0.0;
    let mut m = n.abs();
    let mut digits = vec![];
    if m == 0.0 {
        digits.push('0');
    }
    while m >= 1.0 {
        let d = (m % radix as f64) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap());
        m = (m / radix as f64).floor();
    }
    if neg {
        digits.push('-');
    }
    digits.reverse();
    Ok(Value::string(digits.into_iter().collect()))
}

// ---------------- $formatNumber ----------------

struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: char,
    permille: char,
    zero: char,
    digit: char,
    pattern: char,
}

#[derive(Clone, Debug, Default)]
struct Parts {
    prefix: String,
    suffix: String,
    active: String,
    mantissa: String,
    exponent: Option<String>,
    integer: String,
    fractional: String,
    /// What follows the decimal separator in the whole active part (exponent included).
    fractional_active: String,
    sub: String,
}

#[derive(Clone, Debug, Default)]
struct Pic {
    parts: Parts,
    int_groups: Vec<usize>,
    regular: usize,
    frac_groups: Vec<usize>,
    min_int: usize,
    scaling: usize,
    min_frac: usize,
    max_frac: usize,
    min_exp: usize,
}

fn index_of(s: &[char], c: char) -> Option<usize> {
    s.iter().position(|x| *x == c)
}

pub fn f_format_number(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let value = match a.first() {
        Some(Value::Num(n)) => *n,
        _ => return Ok(Value::Undefined),
    };
    let picture: String = match a.get(1) {
        Some(Value::Str(s)) => s.to_string(),
        _ => return Ok(Value::Undefined),
    };
    let mut p = Props {
        decimal: '.',
        grouping: ',',
        exponent: 'e',
        minus: "-".into(),
        percent: '%',
        permille: '\u{2030}',
        zero: '0',
        digit: '#',
        pattern: ';',
    };
    if let Some(Value::Object(o)) = a.get(2) {
        let ch = |k: &str, d: char| {
            o.get(k)
                .and_then(|v| v.as_str_opt())
                .and_then(|s| s.chars().next())
                .unwrap_or(d)
        };
        p.decimal = ch("decimal-separator", p.decimal);
        p.grouping = ch("grouping-separator", p.grouping);
        p.exponent = ch("exponent-separator", p.exponent);
        p.percent = ch("percent", p.percent);
        p.permille = ch("per-mille", p.permille);
        p.zero = ch("zero-digit", p.zero);
        p.digit = ch("digit", p.digit);
        p.pattern = ch("pattern-separator", p.pattern);
        if let Some(Value::Str(m)) = o.get("minus-sign") {
            p.minus = m.to_string();
        }
    }
    let zero_cp = p.zero as u32;
    let family: Vec<char> = (0..10)
        .map(|i| char::from_u32(zero_cp + i).unwrap_or('0'))
        .collect();
    let is_digit = |c: char| family.contains(&c);
    let active = |c: char| {
        is_digit(c)
            || c == p.decimal
            || c == p.exponent
            || c == p.grouping
            || c == p.digit
            || c == p.pattern
    };

    let subs: Vec<String> = picture.split(p.pattern).map(str::to_string).collect();
    if subs.len() > 2 {
        return Err(Error::new("D3080"));
    }
    let split_parts = |sub: &str| -> Parts {
        let chars: Vec<char> = sub.chars().collect();
        let first = chars.iter().position(|c| active(*c) && *c != p.exponent);
        let last = chars.iter().rposition(|c| active(*c) && *c != p.exponent);
        let (prefix, suffix, act) = match (first, last) {
            (Some(f), Some(l)) => (
                chars[..f].iter().collect::<String>(),
                chars[l + 1..].iter().collect::<String>(),
                chars[f..=l].iter().collect::<String>(),
            ),
            _ => (sub.to_string(), String::new(), String::new()),
        };
        let act_chars: Vec<char> = act.chars().collect();
        let (mantissa, exponent) = match index_of(&act_chars, p.exponent) {
            Some(i) => (
                act_chars[..i].iter().collect::<String>(),
                Some(act_chars[i + 1..].iter().collect::<String>()),
            ),
            None => (act.clone(), None),
        };
        let m: Vec<char> = mantissa.chars().collect();
        let (integer, fractional) = match index_of(&m, p.decimal) {
            None => (mantissa.clone(), suffix.clone()),
            Some(i) => (m[..i].iter().collect(), m[i + 1..].iter().collect()),
        };
        let fractional_active = match index_of(&act_chars, p.decimal) {
            None => suffix.clone(),
            Some(i) => act_chars[i + 1..].iter().collect(),
        };
        Parts {
            prefix,
            suffix,
            active: act,
            mantissa,
            exponent,
            integer,
            fractional,
            fractional_active,
            sub: sub.to_string(),
        }
    };
    let parts: Vec<Parts> = subs.iter().map(|s| split_parts(s)).collect();
    for pt in &parts {
        if pt.active.is_empty() {
            // no digit, separator or sign of a number at all (jsonata 2.1; 2.0.6 fails with a
            // JavaScript TypeError here)
            return Err(Error::new("D3086"));
        }
        let sub: Vec<char> = pt.sub.chars().collect();
        let cnt = |c: char| sub.iter().filter(|x| **x == c).count();
        if cnt(p.decimal) > 1 {
            return Err(Error::new("D3081"));
        }
        if cnt(p.percent) > 1 {
            return Err(Error::new("D3082"));
        }
        if cnt(p.permille) > 1 {
            return Err(Error::new("D3083"));
        }
        if cnt(p.percent) > 0 && cnt(p.permille) > 0 {
            return Err(Error::new("D3084"));
        }
        if !pt.mantissa.chars().any(|c| is_digit(c) || c == p.digit) {
            return Err(Error::new("D3085"));
        }
        let types: String = pt
            .active
            .chars()
            .map(|c| if active(c) { 'a' } else { 'p' })
            .collect();
        let t = types.trim_start_matches('a').trim_end_matches('a');
        if types.contains('p') && types.starts_with('a') && types.ends_with('a') && t.contains('p')
        {
            return Err(Error::new("D3086"));
        }
        if let Some(dp) = index_of(&sub, p.decimal) {
            if (dp > 0 && sub[dp - 1] == p.grouping) || sub.get(dp + 1) == Some(&p.grouping) {
                return Err(Error::new("D3087"));
            }
        } else if pt.integer.ends_with(p.grouping) {
            return Err(Error::new("D3088"));
        }
        if pt.sub.contains(&format!("{}{}", p.grouping, p.grouping)) {
            return Err(Error::new("D3089"));
        }
        let ic: Vec<char> = pt.integer.chars().collect();
        if let Some(op) = index_of(&ic, p.digit) {
            if ic[..op].iter().any(|c| is_digit(*c)) {
                return Err(Error::new("D3090"));
            }
        }
        let fc: Vec<char> = pt.fractional.chars().collect();
        if let Some(op) = fc.iter().rposition(|c| *c == p.digit) {
            if fc[op..].iter().any(|c| is_digit(*c)) {
                return Err(Error::new("D3091"));
            }
        }
        if let Some(e) = &pt.exponent {
            if !e.is_empty() && (cnt(p.percent) > 0 || cnt(p.permille) > 0) {
                return Err(Error::new("D3092"));
            }
            if e.is_empty() || e.chars().any(|c| !is_digit(c)) {
                return Err(Error::new("D3093"));
            }
        }
    }
    let analyse = |pt: &Parts| -> Pic {
        let group_positions = |part: &str, to_left: bool| -> Vec<usize> {
            let chars: Vec<char> = part.chars().collect();
            let ichars: Vec<char> = pt.integer.chars().collect();
            let mut out = vec![];
            let mut gp = index_of(&chars, p.grouping);
            while let Some(g) = gp {
                let slice: &[char] = if to_left {
                    &chars[..g.min(chars.len())]
                } else {
                    &chars[g.min(chars.len())..]
                };
                out.push(
                    slice
                        .iter()
                        .filter(|c| is_digit(**c) || **c == p.digit)
                        .count(),
                );
                gp = ichars
                    .iter()
                    .skip(g + 1)
                    .position(|c| *c == p.grouping)
                    .map(|i| i + g + 1);
            }
            out
        };
        let int_groups = group_positions(&pt.integer, false);
        let regular = {
            if int_groups.is_empty() {
                0
            } else {
                let factor = int_groups.iter().copied().fold(0, gcd);
                let mut ok = factor > 0;
                for i in 1..=int_groups.len() {
                    if !int_groups.contains(&(i * factor)) {
                        ok = false;
                    }
                }
                if ok {
                    factor
                } else {
                    0
                }
            }
        };
        let frac_groups = group_positions(&pt.fractional, true);
        let mut min_int = pt.integer.chars().filter(|c| is_digit(*c)).count();
        let scaling = min_int;
        let mut min_frac = pt.fractional.chars().filter(|c| is_digit(*c)).count();
        let mut max_frac = pt
            .fractional
            .chars()
            .filter(|c| is_digit(*c) || *c == p.digit)
            .count();
        let exp_present = pt.exponent.is_some();
        if min_int == 0 && max_frac == 0 {
            if exp_present {
                min_frac = 1;
                max_frac = 1;
            } else {
                min_int = 1;
            }
        }
        if exp_present && min_int == 0 && pt.integer.contains(p.digit) {
            min_int = 1;
        }
        if min_int == 0 && min_frac == 0 {
            min_frac = 1;
        }
        let min_exp = pt
            .exponent
            .as_ref()
            .map(|e| e.chars().filter(|c| is_digit(*c)).count())
            .unwrap_or(0);
        Pic {
            parts: pt.clone(),
            int_groups,
            regular,
            frac_groups,
            min_int,
            scaling,
            min_frac,
            max_frac,
            min_exp,
        }
    };
    let mut pics: Vec<Pic> = parts.iter().map(analyse).collect();
    if pics.len() == 1 {
        let mut neg = pics[0].clone();
        neg.parts.prefix = format!("{}{}", p.minus, neg.parts.prefix);
        pics.push(neg);
    }
    let pic = if value >= 0.0 { &pics[0] } else { &pics[1] };
    let adjusted = if pic.parts.sub.contains(p.percent) {
        value * 100.0
    } else if pic.parts.sub.contains(p.permille) {
        value * 1000.0
    } else {
        value
    };
    let (mantissa, exponent) = if pic.min_exp == 0 {
        (adjusted, None)
    } else {
        let max_m = 10f64.powi(pic.scaling as i32);
        let min_m = 10f64.powi(pic.scaling as i32 - 1);
        let mut m = adjusted;
        let mut e = 0i32;
        if m != 0.0 {
            while m.abs() < min_m {
                m *= 10.0;
                e -= 1;
            }
            while m.abs() > max_m {
                m /= 10.0;
                e += 1;
            }
        }
        (m, Some(e))
    };
    let rounded = round_half_even(mantissa, pic.max_frac as i32);
    let make = |v: f64, dp: usize| -> String {
        let s = format!("{:.*}", dp, v.abs());
        if p.zero != '0' {
            s.chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        family[(c as u32 - 0x30) as usize]
                    } else {
                        c
                    }
                })
                .collect()
        } else {
            s
        }
    };
    let mut sv: Vec<char> = make(rounded, pic.max_frac).chars().collect();
    match index_of(&sv, '.') {
        None => sv.push(p.decimal),
        Some(i) => sv[i] = p.decimal,
    }
    while sv.first() == Some(&p.zero) {
        sv.remove(0);
    }
    while sv.last() == Some(&p.zero) {
        sv.pop();
    }
    let dp = index_of(&sv, p.decimal).unwrap_or(sv.len());
    let pad_left = pic.min_int as isize - dp as isize;
    let pad_right = pic.min_frac as isize - (sv.len() as isize - dp as isize - 1);
    if pad_left > 0 {
        for _ in 0..pad_left {
            sv.insert(0, p.zero);
        }
    }
    if pad_right > 0 {
        for _ in 0..pad_right {
            sv.push(p.zero);
        }
    }
    let mut dp = index_of(&sv, p.decimal).unwrap_or(sv.len());
    if pic.regular > 0 {
        let groups = dp.saturating_sub(1).checked_div(pic.regular).unwrap_or(0);
        for g in 1..=groups {
            let at = dp - g * pic.regular;
            sv.insert(at, p.grouping);
        }
    } else {
        for pos in &pic.int_groups {
            if *pos <= dp {
                sv.insert(dp - pos, p.grouping);
                dp += 1;
            }
        }
    }
    let dp = index_of(&sv, p.decimal).unwrap_or(sv.len());
    for pos in &pic.frac_groups {
        let at = pos + dp + 1;
        if at <= sv.len() {
            sv.insert(at, p.grouping);
        }
    }
    let dp = index_of(&sv, p.decimal);
    if pic.parts.fractional_active.is_empty() || dp == Some(sv.len() - 1) {
        sv.pop();
    }
    let mut out: String = sv.into_iter().collect();
    if let Some(e) = exponent {
        let mut se = make(e as f64, 0);
        let l = se.chars().count();
        if pic.min_exp > l {
            se = p.zero.to_string().repeat(pic.min_exp - l) + &se;
        }
        out.push(p.exponent);
        if e < 0 {
            out.push_str(&p.minus);
        }
        out.push_str(&se);
    }
    Ok(Value::string(format!(
        "{}{}{}",
        pic.parts.prefix, out, pic.parts.suffix
    )))
}

trait StrOpt {
    fn as_str_opt(&self) -> Option<&str>;
}

impl StrOpt for Value {
    fn as_str_opt(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}
