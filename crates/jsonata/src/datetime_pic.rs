//! Date/time picture strings (XPath fn:format-dateTime) for $fromMillis and $toMillis.

use crate::datetime::{civil_from_days, days_from_civil};
use crate::numfmt::{
    analyse_integer_picture, format_integer, parse_integer_as, Case, IntegerFormat, Primary,
};
use crate::value::*;
use crate::Error;

type R<T> = Result<T, Error>;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 8] = [
    "",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

#[derive(Clone, Debug)]
pub struct Marker {
    pub component: char,
    pub presentation1: String,
    pub presentation2: Option<char>,
    pub names: Option<Case>,
    pub width: Option<(Option<usize>, Option<usize>)>,
    pub integer: Option<IntegerFormat>,
    /// Years: keep only this many digits (-1: all).
    pub n: i64,
}

#[derive(Clone, Debug)]
pub enum Part {
    Literal(String),
    Marker(Marker),
}

fn default_presentation(c: char) -> Option<&'static str> {
    Some(match c {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

pub fn analyse(picture: &str) -> R<Vec<Part>> {
    let chars: Vec<char> = picture.chars().collect();
    let mut parts = vec![];
    let mut start = 0;
    let mut pos = 0;
    let literal = |parts: &mut Vec<Part>, from: usize, to: usize| {
        if to > from {
            let s: String = chars[from..to].iter().collect();
            parts.push(Part::Literal(s.replace("]]", "]")));
        }
    };
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                literal(&mut parts, start, pos);
                parts.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            literal(&mut parts, start, pos);
            start = pos;
            let end = match chars[pos..].iter().position(|c| *c == ']') {
                Some(e) => pos + e,
                None => return Err(Error::new("D3135")),
            };
            let spec: String = chars[start + 1..end]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            pos = end;
            let sc: Vec<char> = spec.chars().collect();
            let component = sc.first().copied().unwrap_or(' ');
            let (pres, width) = match spec.rfind(',') {
                Some(ci) => {
                    let wm = &spec[ci + 1..];
                    let (lo, hi) = match wm.find('-') {
                        None => (wm, None),
                        Some(d) => (&wm[..d], Some(&wm[d + 1..])),
                    };
                    let pw = |s: &str| -> Option<usize> {
                        if s == "*" {
                            None
                        } else {
                            s.parse().ok()
                        }
                    };
                    (
                        spec[component.len_utf8()..ci].to_string(),
                        Some((pw(lo), hi.and_then(pw))),
                    )
                }
                None => (spec.chars().skip(1).collect::<String>(), None),
            };
            let mut m = Marker {
                component,
                presentation1: String::new(),
                presentation2: None,
                names: None,
                width,
                integer: None,
                n: -1,
            };
            let pc: Vec<char> = pres.chars().collect();
            if pc.len() == 1 {
                m.presentation1 = pres.clone();
            } else if pc.len() > 1 {
                let last = *pc.last().unwrap();
                if "atco".contains(last) {
                    m.presentation2 = Some(last);
                    m.presentation1 = pc[..pc.len() - 1].iter().collect();
                } else {
                    m.presentation1 = pres.clone();
                }
            } else {
                match default_presentation(component) {
                    Some(d) => m.presentation1 = d.to_string(),
                    None => {
                        return Err(
                            Error::new("D3132").with_value(&Value::string(component.to_string()))
                        )
                    }
                }
            }
            let p1: Vec<char> = m.presentation1.chars().collect();
            if p1.first() == Some(&'n') {
                m.names = Some(Case::Lower);
            } else if p1.first() == Some(&'N') {
                m.names = Some(if p1.get(1) == Some(&'n') {
                    Case::Title
                } else {
                    Case::Upper
                });
            } else if "YMDdFWwXxHhmsf".contains(component) {
                let mut ip = m.presentation1.clone();
                if let Some(p2) = m.presentation2 {
                    ip.push(';');
                    ip.push(p2);
                }
                let mut f = analyse_integer_picture(&ip)?;
                if let Some((Some(min), _)) = m.width {
                    if f.mandatory_digits < min {
                        f.mandatory_digits = min;
                    }
                }
                if component == 'Y' {
                    m.n = -1;
                    if let Some((_, Some(max))) = m.width {
                        m.n = max as i64;
                        f.mandatory_digits = max;
                    } else {
                        let w = f.mandatory_digits + f.optional_digits;
                        if w >= 2 {
                            m.n = w as i64;
                        }
                    }
                }
                m.integer = Some(f);
            }
            if component == 'Z' || component == 'z' {
                m.integer = Some(analyse_integer_picture(&m.presentation1)?);
            }
            if !"YMDdFWwXxHhPmsfZzCE".contains(component) {
                return Err(Error::new("D3132").with_value(&Value::string(component.to_string())));
            }
            parts.push(Part::Marker(m));
            pos += 1;
            start = pos;
            continue;
        }
        pos += 1;
    }
    literal(&mut parts, start, pos);
    Ok(parts)
}

struct Fields {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    ms: i64,
    days: i64,
}

fn fields(millis: f64) -> Fields {
    let ms = millis.floor() as i64;
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    Fields {
        year: y,
        month: m,
        day: d,
        hour: rem / 3_600_000,
        minute: (rem / 60_000) % 60,
        second: (rem / 1000) % 60,
        ms: rem % 1000,
        days,
    }
}

/// ISO day of week, Monday = 1 … Sunday = 7.
fn iso_dow(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

fn component_value(f: &Fields, c: char) -> i64 {
    match c {
        'Y' => f.year,
        'M' => f.month as i64,
        'D' => f.day as i64,
        'd' => f.days - days_from_civil(f.year, 1, 1) + 1,
        'F' => iso_dow(f.days),
        'W' | 'X' => {
            let thu = f.days - (iso_dow(f.days) - 1) + 3;
            let (ty, _, _) = civil_from_days(thu);
            if c == 'X' {
                ty
            } else {
                (thu - days_from_civil(ty, 1, 1)) / 7 + 1
            }
        }
        'w' | 'x' => {
            let thu = f.days - (iso_dow(f.days) - 1) + 3;
            let (_, tm, td) = civil_from_days(thu);
            if c == 'x' {
                tm as i64
            } else {
                (td as i64 - 1) / 7 + 1
            }
        }
        'H' => f.hour,
        'h' => {
            let h = f.hour % 12;
            if h == 0 {
                12
            } else {
                h
            }
        }
        'm' => f.minute,
        's' => f.second,
        'f' => f.ms,
        _ => 0,
    }
}

/// `s` is always one of the English names or digits below (ASCII), so ASCII case mapping is
/// JavaScript's here, without Unicode's tables in the .wasm.
/// `toLowerCase()` of both sides equal, where `name` is an ASCII letter of an English name: the
/// only non-ASCII character that lower-cases to an ASCII letter is the Kelvin sign (to `k`).
fn same_letter_ignoring_case(input: char, name: char) -> bool {
    input.eq_ignore_ascii_case(&name) || (input == '\u{212A}' && name.eq_ignore_ascii_case(&'k'))
}

fn apply_case(s: &str, case: Option<Case>) -> String {
    match case {
        Some(Case::Upper) => s.to_ascii_uppercase(),
        Some(Case::Lower) => s.to_ascii_lowercase(),
        _ => s.to_string(),
    }
}

fn format_marker(f: &Fields, m: &Marker, oh: i64, om: i64) -> R<String> {
    let c = m.component;
    if "YMDdFWwXxHhms".contains(c) {
        let mut v = component_value(f, c);
        if c == 'Y' && m.n != -1 {
            if let Some(p) = 10i64.checked_pow(m.n as u32) {
                v %= p;
            }
        }
        if m.names.is_some() {
            let name = match c {
                'M' | 'x' => MONTHS.get((v - 1) as usize).copied().unwrap_or(""),
                'F' => DAYS.get(v as usize).copied().unwrap_or(""),
                _ => return Err(Error::new("D3133").with_value(&Value::string(c.to_string()))),
            };
            let mut s = apply_case(name, m.names);
            if let Some((_, Some(max))) = m.width {
                s = s.chars().take(max).collect();
            }
            return Ok(s);
        }
        return format_integer(v as f64, m.integer.as_ref().unwrap());
    }
    match c {
        'f' => format_integer(component_value(f, 'f') as f64, m.integer.as_ref().unwrap()),
        'Z' | 'z' => {
            let fmt = m.integer.as_ref().unwrap();
            let offset = oh * 100 + om;
            let mut s = if fmt.regular {
                format_integer(offset as f64, fmt)?
            } else {
                match fmt.mandatory_digits {
                    1 | 2 => {
                        let mut s = format_integer(oh as f64, fmt)?;
                        if om != 0 {
                            let two = analyse_integer_picture("00")?;
                            s.push(':');
                            s.push_str(&format_integer(om as f64, &two)?);
                        }
                        s
                    }
                    3 | 4 => format_integer(offset as f64, fmt)?,
                    _ => {
                        return Err(Error::new("D3134")
                            .with_value(&Value::Num(fmt.mandatory_digits as f64)))
                    }
                }
            };
            if offset >= 0 {
                s.insert(0, '+');
            }
            if c == 'z' {
                s.insert_str(0, "GMT");
            }
            if offset == 0 && m.presentation2 == Some('t') {
                s = "Z".into();
            }
            Ok(s)
        }
        'P' => {
            let s = if f.hour >= 12 { "pm" } else { "am" };
            Ok(apply_case(s, m.names))
        }
        _ => Ok("ISO".into()),
    }
}

pub const DEFAULT_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

pub fn format(millis: f64, picture: Option<&Value>, tz: Option<&Value>) -> R<Value> {
    if millis.is_nan() || millis.abs() > 8.64e15 {
        return Err(Error::new("D3110").with_value(&Value::Num(millis)));
    }
    let picture: String = match picture {
        Some(Value::Str(p)) => p.to_string(),
        _ => DEFAULT_PICTURE.to_string(),
    };
    let (oh, om) = match tz {
        Some(Value::Str(t)) => {
            let off = crate::numfmt::parse_int_prefix(t);
            if off.is_nan() {
                (0, 0)
            } else {
                let off = off as i64;
                ((off as f64 / 100.0).floor() as i64, off % 100)
            }
        }
        _ => (0, 0),
    };
    let parts = analyse(&picture)?;
    let f = fields(millis + ((oh * 60 + om) * 60_000) as f64);
    let mut out = String::new();
    for p in &parts {
        match p {
            Part::Literal(s) => out.push_str(s),
            Part::Marker(m) => out.push_str(&format_marker(&f, m, oh, om)?),
        }
    }
    Ok(Value::string(out))
}

// ---------------- parsing ($toMillis with a picture) ----------------

struct Piece {
    component: Option<char>,
    literal: String,
    marker: Option<Marker>,
}

/// Reads one component's text at the start of `s`; returns its value and the length taken.
fn read_component(s: &[char], m: &Marker, next_literal: Option<char>) -> Option<(f64, usize)> {
    let c = m.component;
    if let Some(case) = m.names {
        let names: Vec<&str> = match c {
            'M' | 'x' => MONTHS.to_vec(),
            'F' => DAYS[1..].to_vec(),
            'P' => vec!["am", "pm"],
            _ => return None,
        };
        for (i, n) in names.iter().enumerate() {
            let mut full = apply_case(n, Some(case));
            if let Some((_, Some(max))) = m.width {
                full = full.chars().take(max).collect();
            }
            let fc: Vec<char> = full.chars().collect();
            if s.len() >= fc.len()
                && s[..fc.len()]
                    .iter()
                    .zip(fc.iter())
                    .all(|(a, b)| same_letter_ignoring_case(*a, *b))
            {
                let v = match c {
                    'F' => i as f64 + 1.0,
                    'P' => i as f64,
                    _ => i as f64 + 1.0,
                };
                return Some((v, fc.len()));
            }
        }
        return None;
    }
    if c == 'P' {
        return None;
    }
    let fmt = m.integer.as_ref()?;
    let take =
        |pred: &dyn Fn(char) -> bool| -> usize { s.iter().take_while(|c| pred(**c)).count() };
    let len = match fmt.primary {
        Primary::Decimal => {
            let is_digit = |ch: char| {
                let cp = ch as u32;
                cp >= fmt.zero_code && cp <= fmt.zero_code + 9
            };
            let seps: Vec<char> = fmt.separators.iter().map(|s| s.1).collect();
            let mut n = if fmt.mandatory_digits > 1
                && fmt.separators.is_empty()
                && next_literal.is_none()
            {
                // fixed-width digits run together
                s.iter()
                    .take(fmt.mandatory_digits + fmt.optional_digits)
                    .take_while(|c| is_digit(**c))
                    .count()
            } else if fmt.mandatory_digits > 1
                && fmt.separators.is_empty()
                && next_literal.map(is_digit).unwrap_or(false)
            {
                fmt.mandatory_digits.min(take(&is_digit))
            } else {
                take(&|ch| is_digit(ch) || seps.contains(&ch))
            };
            if fmt.ordinal {
                let rest: String = s[n..].iter().take(2).collect();
                if ["st", "nd", "rd", "th"].contains(&rest.as_str()) {
                    n += 2;
                }
            }
            n
        }
        Primary::Letters => take(&|ch| ch.is_ascii_alphabetic()),
        Primary::Roman => take(&|ch| "MDCLXVImdclxvi".contains(ch)),
        Primary::Words => {
            // words, spaces, commas and hyphens, up to the next literal
            // (the caller cut the text at the next literal)
            let mut n = take(&|ch| ch.is_ascii_alphabetic() || ch == ' ' || ch == ',' || ch == '-');
            // words end before a trailing separator
            while n > 0 && matches!(s[n - 1], ' ' | ',') {
                n -= 1;
            }
            n
        }
        Primary::Sequence => return None,
    };
    if len == 0 {
        return None;
    }
    let text: String = s[..len].iter().collect();
    let v = parse_integer_as(&text, fmt).ok()?;
    if v.is_nan() {
        return None;
    }
    Some((v, len))
}

fn read_offset(s: &[char], m: &Marker) -> Option<(i64, usize)> {
    let mut i = 0;
    if m.component == 'z' {
        let g: String = s.iter().take(3).collect();
        if g != "GMT" {
            return None;
        }
        i = 3;
    }
    if m.presentation2 == Some('t') && s.get(i) == Some(&'Z') {
        return Some((0, i + 1));
    }
    let sign = match s.get(i) {
        Some('+') => 1,
        Some('-') => -1,
        _ => return None,
    };
    i += 1;
    let start = i;
    while i < s.len() && (s[i].is_ascii_digit() || s[i] == ':') {
        i += 1;
    }
    let text: String = s[start..i].iter().collect();
    let (h, mi) = if let Some((h, mi)) = text.split_once(':') {
        (h.parse::<i64>().ok()?, mi.parse::<i64>().ok()?)
    } else if text.len() > 2 {
        let n: i64 = text.parse().ok()?;
        (n / 100, n % 100)
    } else {
        (text.parse::<i64>().ok()?, 0)
    };
    Some((sign * (h * 60 + mi), i))
}

pub fn parse(s: &str, picture: &str, now_millis: f64) -> R<Value> {
    let parts = analyse(picture)?;
    for p in &parts {
        if let Part::Marker(m) = p {
            if m.names.is_some() && !"MxFP".contains(m.component) {
                return Err(Error::new("D3133").with_value(&Value::string(m.component.to_string())));
            }
            if "XWxw".contains(m.component) {
                return Err(Error::new("D3136"));
            }
        }
    }
    let pieces: Vec<Piece> = parts
        .iter()
        .map(|p| match p {
            Part::Literal(l) => Piece {
                component: None,
                literal: l.clone(),
                marker: None,
            },
            Part::Marker(m) => Piece {
                component: Some(m.component),
                literal: String::new(),
                marker: Some(m.clone()),
            },
        })
        .collect();
    // the picture must name enough components to fix a date
    let has = |c: char| pieces.iter().any(|p| p.component == Some(c));
    let sc: Vec<char> = s.chars().collect();
    let mut pos = 0;
    let mut vals: std::collections::HashMap<char, f64> = std::collections::HashMap::new();
    for (i, p) in pieces.iter().enumerate() {
        match &p.marker {
            None => {
                let lc: Vec<char> = p.literal.chars().collect();
                if sc.len() < pos + lc.len() || sc[pos..pos + lc.len()] != lc[..] {
                    return Ok(Value::Undefined);
                }
                pos += lc.len();
            }
            Some(m) if m.component == 'Z' || m.component == 'z' => match read_offset(&sc[pos..], m)
            {
                Some((off, n)) => {
                    vals.insert('Z', off as f64);
                    pos += n;
                }
                None => return Ok(Value::Undefined),
            },
            Some(m) => {
                let next_full: Option<String> = pieces.get(i + 1).and_then(|n| {
                    if n.marker.is_none() {
                        Some(n.literal.clone())
                    } else {
                        None
                    }
                });
                let next_lit = pieces.get(i + 1).and_then(|n| {
                    if n.marker.is_none() {
                        n.literal.chars().next()
                    } else {
                        None
                    }
                });
                let next_is_marker = pieces
                    .get(i + 1)
                    .map(|n| n.marker.is_some())
                    .unwrap_or(false);
                let nl = if next_is_marker { Some('0') } else { next_lit };
                let mut window: &[char] = &sc[pos..];
                if let (Some(Primary::Words), Some(lit)) =
                    (m.integer.as_ref().map(|f| f.primary), &next_full)
                {
                    let lc: Vec<char> = lit.chars().collect();
                    if let Some(at) = (0..window.len()).find(|k| window[*k..].starts_with(&lc)) {
                        window = &window[..at];
                    }
                }
                match read_component(window, m, if next_is_marker { nl } else { next_lit }) {
                    Some((v, n)) => {
                        vals.insert(m.component, v);
                        pos += n;
                    }
                    None => return Ok(Value::Undefined),
                }
            }
        }
    }
    if pos != sc.len() {
        return Ok(Value::Undefined);
    }
    // which components are present decides what can be built
    let date_like = has('Y')
        || has('M')
        || has('D')
        || has('d')
        || has('X')
        || has('W')
        || has('F')
        || has('x')
        || has('w');
    let time_like = has('H') || has('h') || has('m') || has('s') || has('f') || has('P');
    if !date_like && !time_like {
        return Ok(Value::Undefined);
    }
    // gaps: Y..D must be contiguous from the top (e.g. [Y]-[D] lacks the month), and so must H..s
    let ymd = [has('Y'), has('M'), has('D')];
    let hms = [has('H') || has('h'), has('m'), has('s')];
    let gap = |v: &[bool]| {
        let first = v.iter().position(|b| *b);
        let last = v.iter().rposition(|b| *b);
        match (first, last) {
            (Some(f), Some(l)) => v[f..=l].iter().any(|b| !*b),
            _ => false,
        }
    };
    if (!has('d') && !has('X') && gap(&ymd)) || gap(&hms) {
        return Err(Error::new("D3136"));
    }
    if !has('Y')
        && !has('X')
        && (has('M') || has('D'))
        && (has('m') || has('s'))
        && !has('H')
        && !has('h')
    {
        return Err(Error::new("D3136"));
    }
    if vals.values().any(|v| v.is_nan() || v.abs() > 1e7) {
        return Ok(Value::Undefined);
    }
    let now = fields(now_millis);
    let year = vals.get(&'Y').copied().unwrap_or(now.year as f64) as i64;
    let days;
    if has('X') {
        let xy = vals[&'X'] as i64;
        let dow = vals.get(&'F').copied().unwrap_or(1.0) as i64;
        if has('W') {
            // ISO week date
            let jan4 = days_from_civil(xy, 1, 4);
            let week1_monday = jan4 - (iso_dow(jan4) - 1);
            days = week1_monday + (vals[&'W'] as i64 - 1) * 7 + (dow - 1);
        } else {
            let month = vals[&'x'] as u32;
            let first = days_from_civil(xy, month, 1);
            // week 1 of the month holds its first Thursday
            let first_thu = first + (4 - iso_dow(first)).rem_euclid(7);
            let week1_monday = first_thu - 3;
            days = week1_monday + (vals[&'w'] as i64 - 1) * 7 + (dow - 1);
        }
    } else if has('d') {
        days = days_from_civil(year, 1, 1) + vals[&'d'] as i64 - 1;
    } else {
        // the parts the picture leaves out above the first it names come from today
        let (dm, dd) = if has('Y') {
            (1, 1)
        } else if has('M') {
            (now.month, 1)
        } else {
            (now.month, now.day)
        };
        let month = vals.get(&'M').copied().unwrap_or(dm as f64) as u32;
        let day = vals.get(&'D').copied().unwrap_or(dd as f64) as u32;
        days = days_from_civil(year, month.clamp(1, 12), day.max(1));
    }
    let mut hour = vals.get(&'H').copied().unwrap_or(0.0) as i64;
    if has('h') {
        hour = vals[&'h'] as i64 % 12;
        if vals.get(&'P').copied().unwrap_or(0.0) == 1.0 {
            hour += 12;
        }
    }
    let minute = vals.get(&'m').copied().unwrap_or(0.0) as i64;
    let second = vals.get(&'s').copied().unwrap_or(0.0) as i64;
    let ms = vals.get(&'f').copied().unwrap_or(0.0) as i64;
    let offset = vals.get(&'Z').copied().unwrap_or(0.0) as i64;
    let millis = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms
        - offset * 60_000;
    Ok(Value::Num(millis as f64))
}
