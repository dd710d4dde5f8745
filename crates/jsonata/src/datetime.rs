//! $now, $millis, $fromMillis, $toMillis.

use crate::env::Env;
use crate::eval::Evaluator;
use crate::value::*;
use crate::Error;

type R<T> = Result<T, Error>;

pub fn f_millis(ev: &mut Evaluator, _: &[Value], _: &Value, _: &Env) -> R<Value> {
    Ok(Value::Num(ev.now_millis()))
}

pub fn f_now(ev: &mut Evaluator, a: &[Value], i: &Value, e: &Env) -> R<Value> {
    let mut args = vec![Value::Num(ev.now_millis())];
    args.extend(a.iter().cloned());
    f_from_millis(ev, &args, i, e)
}

/// Days since 1970-01-01 to (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = (z - era * 146097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe as i64 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u64;
    let mp = if m > 2 { m - 3 } else { m + 9 } as u64;
    let doy = (153 * mp + 2) / 5 + d as u64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe as i64 - 719468
}

pub fn iso(millis: f64) -> String {
    let ms = millis.floor() as i64;
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        y,
        m,
        d,
        rem / 3_600_000,
        (rem / 60_000) % 60,
        (rem / 1000) % 60,
        rem % 1000
    )
}

pub fn f_from_millis(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let n = match a.first() {
        Some(Value::Num(n)) => *n,
        _ => return Ok(Value::Undefined),
    };
    if n.is_nan() || n.abs() > 8.64e15 {
        // outside JavaScript's Date range
        return Err(Error::new("D3110").with_value(&Value::Num(n)));
    }
    if matches!(a.get(1), Some(Value::Str(_))) || matches!(a.get(2), Some(Value::Str(_))) {
        return crate::datetime_pic::format(n, a.get(1), a.get(2));
    }
    Ok(Value::string(iso(n)))
}

/// Parses an ISO 8601 timestamp as JavaScript's Date.parse does for the common forms.
pub fn parse_iso(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let t = s.get(from..from + len)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let y = num(0, 4)?;
    let mut i = 4;
    let (mut mo, mut d) = (1, 1);
    if b.get(i) == Some(&b'-') {
        mo = num(i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'-') {
            d = num(i + 1, 2)?;
            i += 3;
        }
    }
    let (mut h, mut mi, mut sec, mut ms) = (0, 0, 0, 0.0);
    let mut offset = 0i64;
    if i < b.len() && b[i] == b'T' {
        h = num(i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b':') {
            mi = num(i + 1, 2)?;
            i += 3;
            if b.get(i) == Some(&b':') {
                sec = num(i + 1, 2)?;
                i += 3;
                if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
                    let start = i + 1;
                    let mut j = start;
                    while j < b.len() && b[j].is_ascii_digit() {
                        j += 1;
                    }
                    let frac: f64 = format!("0.{}", &s[start..j]).parse().ok()?;
                    ms = (frac * 1000.0).floor();
                    i = j;
                }
            }
        }
        if i < b.len() {
            if b[i] == b'Z' {
                i += 1;
            } else if b[i] == b'+' || b[i] == b'-' {
                let sign = if b[i] == b'+' { 1 } else { -1 };
                let oh = num(i + 1, 2)?;
                let mut j = i + 3;
                let mut om = 0;
                if b.get(j) == Some(&b':') {
                    om = num(j + 1, 2)?;
                    j += 3;
                } else if let Some(m) = num(j, 2) {
                    om = m;
                    j += 2;
                }
                offset = sign * (oh * 60 + om);
                i = j;
            }
        }
    }
    if i != b.len() {
        return None;
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 24 || mi > 59 || sec > 59 {
        return None;
    }
    let days = days_from_civil(y, mo as u32, d as u32);
    Some(
        (days * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 - offset * 60_000) as f64
            + ms,
    )
}

pub fn f_to_millis(ev: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let s = match a.first() {
        Some(Value::Str(s)) => s.clone(),
        _ => return Ok(Value::Undefined),
    };
    if let Some(Value::Str(p)) = a.get(1) {
        return crate::datetime_pic::parse(&s, p, ev.now_millis());
    }
    match parse_iso(&s) {
        Some(n) => Ok(Value::Num(n)),
        None => Err(Error::new("D3110").with_value(&Value::Str(s))),
    }
}
