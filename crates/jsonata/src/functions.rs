//! The function library ($string, $sum, $map, …), as jsonata-js's functions.js defines them.

use std::rc::Rc;

use crate::env::{Env, Frame};
use crate::eval::{function_arity, is_numeric, js_str_cmp, merge_sort, Evaluator};
use crate::regex::Match;
use crate::signature::Signature;
use crate::value::*;
use crate::Error;

type R<T> = Result<T, Error>;

macro_rules! arg {
    ($args:expr, $i:expr) => {
        $args.get($i).cloned().unwrap_or_default()
    };
}

type NamedSignature = (Rc<str>, Rc<Signature>);

pub fn install(env: &Env, no_eval: bool) {
    let table: &[(&str, &str, NativeFn)] = &[
        ("sum", "<a<n>:n>", f_sum),
        ("count", "<a:n>", f_count),
        ("max", "<a<n>:n>", f_max),
        ("min", "<a<n>:n>", f_min),
        ("average", "<a<n>:n>", f_average),
        ("string", "<x-b?:s>", f_string),
        ("substring", "<s-nn?:s>", f_substring),
        ("substringBefore", "<s-s:s>", f_substring_before),
        ("substringAfter", "<s-s:s>", f_substring_after),
        ("lowercase", "<s-:s>", f_lowercase),
        ("uppercase", "<s-:s>", f_uppercase),
        ("length", "<s-:n>", f_length),
        ("trim", "<s-:s>", f_trim),
        ("pad", "<s-ns?:s>", f_pad),
        ("match", "<s-f<s:o>n?:a<o>>", f_match),
        ("contains", "<s-(sf):b>", f_contains),
        ("replace", "<s-(sf)(sf)n?:s>", f_replace),
        ("split", "<s-(sf)n?:a<s>>", f_split),
        ("join", "<a<s>s?:s>", f_join),
        ("formatNumber", "<n-so?:s>", crate::numfmt::f_format_number),
        ("formatBase", "<n-n?:s>", crate::numfmt::f_format_base),
        ("formatInteger", "<n-s:s>", crate::numfmt::f_format_integer),
        ("parseInteger", "<s-s:n>", crate::numfmt::f_parse_integer),
        ("number", "<(nsb)-:n>", f_number),
        ("floor", "<n-:n>", f_floor),
        ("ceil", "<n-:n>", f_ceil),
        ("round", "<n-n?:n>", f_round),
        ("abs", "<n-:n>", f_abs),
        ("sqrt", "<n-:n>", f_sqrt),
        ("power", "<n-n:n>", f_power),
        ("random", "<:n>", f_random),
        ("boolean", "<x-:b>", f_boolean),
        ("not", "<x-:b>", f_not),
        ("map", "<af>", f_map),
        ("zip", "<a+>", f_zip),
        ("filter", "<af>", f_filter),
        ("single", "<af?>", f_single),
        ("reduce", "<afj?:j>", f_reduce),
        ("sift", "<o-f?:o>", f_sift),
        ("keys", "<x-:a<s>>", f_keys),
        ("lookup", "<x-s:x>", f_lookup),
        ("append", "<xx:a>", f_append),
        ("exists", "<x:b>", f_exists),
        ("spread", "<x-:a<o>>", f_spread),
        ("merge", "<a<o>:o>", f_merge),
        ("reverse", "<a:a>", f_reverse),
        ("each", "<o-f:a>", f_each),
        ("error", "<s?:x>", f_error),
        ("assert", "<bs?:x>", f_assert),
        ("type", "<x:s>", f_type),
        ("sort", "<af?:a>", f_sort),
        ("shuffle", "<a:a>", f_shuffle),
        ("distinct", "<x:x>", f_distinct),
        ("base64encode", "<s-:s>", f_base64encode),
        ("base64decode", "<s-:s>", f_base64decode),
        ("encodeUrlComponent", "<s-:s>", f_encode_url_component),
        ("encodeUrl", "<s-:s>", f_encode_url),
        ("decodeUrlComponent", "<s-:s>", f_decode_url_component),
        ("decodeUrl", "<s-:s>", f_decode_url),
        ("eval", "<sx?:x>", f_eval),
        ("toMillis", "<s-s?:n>", crate::datetime::f_to_millis),
        ("fromMillis", "<n-s?s?:s>", crate::datetime::f_from_millis),
        ("clone", "<(oa)-:o>", f_clone),
        ("now", "<s?s?:s>", crate::datetime::f_now),
        ("millis", "<:n>", crate::datetime::f_millis),
    ];
    thread_local! {
        static SIGS: std::cell::RefCell<Option<Vec<NamedSignature>>> = const { std::cell::RefCell::new(None) };
    }
    let sigs = SIGS.with(|s| {
        let mut s = s.borrow_mut();
        if s.is_none() {
            *s = Some(
                table
                    .iter()
                    .map(|(n, sig, _)| (Rc::from(*n), Rc::new(Signature::parse(sig).unwrap())))
                    .collect(),
            );
        }
        s.clone().unwrap()
    });
    for ((name, sig), (_, _, imp)) in sigs.into_iter().zip(table.iter()) {
        if no_eval && &*name == "eval" {
            continue;
        }
        env.bind_rc(
            name.clone(),
            Value::Func(Rc::new(Func::Native {
                name,
                sig: Some(sig),
                imp: *imp,
            })),
        );
    }
}

// ---------------- helpers ----------------

/// The longest string a function may build (in characters): beyond it, an error, not an
/// allocation that takes the page down.
pub const MAX_STRING: usize = 100_000_000;

pub fn too_long() -> Error {
    Error::new("D1001").with_message("The string to build is too long")
}

pub fn boolean(v: &Value) -> R<Option<bool>> {
    if matches!(v, Value::Array(_)) {
        check_nesting(v)?;
    }
    boolean_inner(v)
}

fn boolean_inner(v: &Value) -> R<Option<bool>> {
    Ok(Some(match v {
        Value::Undefined => return Ok(None),
        Value::Array(a) => {
            if a.items.len() == 1 {
                return boolean_inner(&a.items[0]);
            } else if a.items.len() > 1 {
                let mut any = false;
                for i in a.items.iter() {
                    if boolean_inner(i)? == Some(true) {
                        any = true;
                    }
                }
                any
            } else {
                false
            }
        }
        Value::Str(s) => !s.is_empty(),
        Value::Num(n) => is_numeric(v)? && *n != 0.0,
        Value::Object(m) => !m.is_empty(),
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::Func(_) => false,
    }))
}

fn js_truthy(v: &Value) -> bool {
    match v {
        Value::Undefined | Value::Null => false,
        Value::Bool(b) => *b,
        Value::Num(n) => *n != 0.0 && !n.is_nan(),
        Value::Str(s) => !s.is_empty(),
        _ => true,
    }
}

pub fn string(v: &Value, pretty: bool) -> R<String> {
    Ok(match v {
        Value::Str(s) => s.to_string(),
        Value::Func(_) => String::new(),
        Value::Num(n) if !n.is_finite() => return Err(Error::new("D3001").with_value(v)),
        v => {
            check_numbers(v)?;
            let v = match v {
                Value::Array(a) if a.outer_wrapper && !a.items.is_empty() => a.items[0].clone(),
                v => v.clone(),
            };
            let mut out = String::new();
            stringify(&v, pretty, 0, &mut out);
            out
        }
    })
}

fn check_numbers(v: &Value) -> R<()> {
    check_nesting(v)?;
    check_numbers_inner(v)
}

fn check_numbers_inner(v: &Value) -> R<()> {
    match v {
        Value::Num(_) => {
            is_numeric(v)?;
        }
        Value::Array(a) => {
            for i in a.items.iter() {
                check_numbers_inner(i)?;
            }
        }
        Value::Object(m) => {
            for (_, i) in m.iter() {
                check_numbers_inner(i)?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub fn append(a: Value, b: Value) -> Value {
    if a.is_undefined() {
        return b;
    }
    if b.is_undefined() {
        return a;
    }
    let mut items = match a {
        Value::Array(x) => x.items.clone(),
        v => vec![v],
    };
    match b {
        Value::Array(y) => items.extend(y.items.iter().cloned()),
        v => items.push(v),
    }
    Value::array(items)
}

fn num(v: &Value) -> f64 {
    v.as_num().unwrap_or(f64::NAN)
}

fn s(v: &Value) -> Rc<str> {
    match v {
        Value::Str(s) => s.clone(),
        _ => Rc::from(""),
    }
}

fn hof_args(f: &Value, a: Value, b: Value, c: &Value) -> Vec<Value> {
    let n = function_arity(f);
    let mut v = vec![a];
    if n >= 2 {
        v.push(b);
    }
    if n >= 3 {
        v.push(c.clone());
    }
    v
}

/// JavaScript `Array.prototype.slice` bounds on a length.
fn js_slice_bounds(len: usize, start: f64, end: Option<f64>) -> (usize, usize) {
    let l = len as f64;
    let norm = |x: f64| -> usize {
        let x = if x.is_nan() { 0.0 } else { x.trunc() };
        let x = if x < 0.0 { (l + x).max(0.0) } else { x.min(l) };
        x as usize
    };
    let s = norm(start);
    let e = match end {
        Some(e) => norm(e),
        None => len,
    };
    (s, e.max(s))
}

// ---------------- aggregation ----------------

fn f_sum(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(v.to_items().iter().map(num).sum()))
}

fn f_count(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Ok(Value::Num(arg!(a, 0).to_items().len() as f64))
}

fn f_max(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let items = arg!(a, 0).to_items();
    if items.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(
        items.iter().map(num).fold(f64::NEG_INFINITY, f64::max),
    ))
}

fn f_min(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let items = arg!(a, 0).to_items();
    if items.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(
        items.iter().map(num).fold(f64::INFINITY, f64::min),
    ))
}

fn f_average(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let items = arg!(a, 0).to_items();
    if items.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(
        items.iter().map(num).sum::<f64>() / items.len() as f64,
    ))
}

// ---------------- strings ----------------

fn f_string(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let pretty = matches!(a.get(1), Some(Value::Bool(true)));
    Ok(Value::string(string(&v, pretty)?))
}

fn f_substring(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let chars: Vec<char> = s(&v).chars().collect();
    let len = chars.len() as f64;
    let mut start = num(&arg!(a, 1));
    if len + start < 0.0 {
        start = 0.0;
    }
    let (st, en) = match a.get(2) {
        Some(Value::Num(l)) => {
            if *l <= 0.0 {
                return Ok(Value::str(""));
            }
            let end = if start >= 0.0 {
                start + l
            } else {
                len + start + l
            };
            js_slice_bounds(chars.len(), start, Some(end))
        }
        _ => js_slice_bounds(chars.len(), start, None),
    };
    Ok(Value::string(chars[st..en].iter().collect()))
}

fn f_substring_before(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let st = s(&v);
    let chars = s(&arg!(a, 1));
    Ok(match st.find(&*chars) {
        Some(p) => Value::str(&st[..p]),
        None => v,
    })
}

fn f_substring_after(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let st = s(&v);
    let chars = s(&arg!(a, 1));
    Ok(match st.find(&*chars) {
        Some(p) => Value::str(&st[p + chars.len()..]),
        None => v,
    })
}

fn f_lowercase(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::string(crate::js::lower_case(&s(&v))))
}

fn f_uppercase(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::string(crate::js::upper_case(&s(&v))))
}

fn f_length(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(s(&v).chars().count() as f64))
}

fn f_trim(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let mut out = String::new();
    let mut in_ws = false;
    for c in s(&v).chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_ws {
                out.push(' ');
            }
            in_ws = true;
        } else {
            out.push(c);
            in_ws = false;
        }
    }
    let out = out.strip_prefix(' ').unwrap_or(&out);
    let out = out.strip_suffix(' ').unwrap_or(out);
    Ok(Value::str(out))
}

fn f_pad(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let st = s(&v);
    let width = num(&arg!(a, 1));
    let ch: String = match a.get(2) {
        Some(Value::Str(c)) if !c.is_empty() => c.to_string(),
        _ => " ".into(),
    };
    let pad_len = width.abs() - st.chars().count() as f64;
    if pad_len > MAX_STRING as f64 {
        return Err(too_long());
    }
    if pad_len > 0.0 {
        let pad_len = pad_len as usize;
        let padding: String = ch.chars().cycle().take(pad_len).collect();
        if width > 0.0 {
            Ok(Value::string(format!("{}{}", st, padding)))
        } else {
            Ok(Value::string(format!("{}{}", padding, st)))
        }
    } else {
        Ok(v)
    }
}

fn utf16_index(s: &str, byte: usize) -> usize {
    s[..byte].encode_utf16().count()
}

/// All the matches jsonata-js's regex matcher yields (with its zero-length match error).
fn regex_matches(re: &RegexDef, st: &str, limit: Option<usize>) -> R<Vec<Match>> {
    let mut out: Vec<Match> = vec![];
    let mut searcher = re.re.searcher(st);
    let mut from = 0;
    loop {
        if let Some(l) = limit {
            if out.len() >= l {
                break;
            }
        }
        if !out.is_empty() && from >= st.len() {
            break;
        }
        let m = match searcher.find_from(from) {
            Some(m) => m,
            None => break,
        };
        if !out.is_empty() && m.is_empty() {
            return Err(Error::new("D1004").with_value(&Value::str(&re.source)));
        }
        from = m.range.end;
        out.push(m);
        if out.last().unwrap().is_empty() && out.len() == 1 {
            // the next attempt starts at the same place: jsonata-js raises D1004 then, unless at the end
            if from >= st.len() {
                break;
            }
            if limit == Some(1) {
                break;
            }
            return Err(Error::new("D1004").with_value(&Value::str(&re.source)));
        }
    }
    Ok(out)
}

fn groups_of(m: &Match) -> Vec<Value> {
    m.groups
        .iter()
        .map(|c| match c {
            Some(g) => Value::str(g),
            None => Value::str(""),
        })
        .collect()
}

pub fn regex_match_object(_ev: &mut Evaluator, re: &RegexDef, st: &str, from: usize) -> R<Value> {
    match re.re.searcher(st).find_from(from) {
        None => Ok(Value::Undefined),
        Some(m) => {
            let mut o = Map::default();
            o.insert(Rc::from("match"), Value::str(&st[m.range.clone()]));
            o.insert(
                Rc::from("start"),
                Value::Num(utf16_index(st, m.range.start) as f64),
            );
            o.insert(
                Rc::from("end"),
                Value::Num(utf16_index(st, m.range.end) as f64),
            );
            o.insert(Rc::from("groups"), Value::array(groups_of(&m)));
            Ok(Value::object(o))
        }
    }
}

fn get_regex(v: &Value) -> Option<Rc<RegexDef>> {
    match v {
        Value::Func(f) => match &**f {
            Func::Regex(r) => Some(r.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `$match` with a custom matcher function: it returns {match, start, end, groups, next}.
fn custom_matches(
    ev: &mut Evaluator,
    f: &Value,
    st: &Rc<str>,
    limit: Option<usize>,
    input: &Value,
    env: &Env,
) -> R<Value> {
    let mut out = vec![];
    let mut m = ev.apply(f, vec![Value::Str(st.clone())], input, env)?;
    while !m.is_undefined() {
        if let Some(l) = limit {
            if out.len() >= l {
                break;
            }
        }
        let ok = matches!(&m, Value::Object(o) if matches!(o.get("match"), Some(Value::Str(_)))
            && matches!(o.get("start"), Some(Value::Num(_))) && matches!(o.get("end"), Some(Value::Num(_)))
            && matches!(o.get("groups"), Some(Value::Array(_))) && matches!(o.get("next"), Some(Value::Func(_))));
        if !ok {
            return Err(Error::new("T1010"));
        }
        let mut o = Map::default();
        o.insert(Rc::from("match"), m.get("match"));
        o.insert(Rc::from("index"), m.get("start"));
        o.insert(Rc::from("groups"), m.get("groups"));
        out.push(Value::object(o));
        let next = m.get("next");
        m = ev.apply(&next, vec![], input, env)?;
    }
    Ok(Value::seq(out))
}

fn f_match(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let st = s(&v);
    let limit = a.get(2).and_then(|l| l.as_num());
    if let Some(l) = limit {
        if l < 0.0 {
            return Err(Error::new("D3040").with_value(&Value::Num(l)));
        }
    }
    let lim = limit.map(|l| l.ceil() as usize);
    if lim == Some(0) {
        return Ok(Value::seq(vec![]));
    }
    let re = match get_regex(&arg!(a, 1)) {
        Some(r) => r,
        None => return custom_matches(ev, &arg!(a, 1), &st, lim, input, env),
    };
    let ms = regex_matches(&re, &st, lim)?;
    let mut out = vec![];
    for m in ms {
        let mut o = Map::default();
        o.insert(Rc::from("match"), Value::str(&st[m.range.clone()]));
        o.insert(
            Rc::from("index"),
            Value::Num(utf16_index(&st, m.range.start) as f64),
        );
        o.insert(Rc::from("groups"), Value::array(groups_of(&m)));
        out.push(Value::object(o));
    }
    Ok(Value::seq(out))
}

fn f_contains(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let st = s(&v);
    let tok = arg!(a, 1);
    if tok.is_undefined() {
        // jsonata 2.1's answer (2.0.6 fails with a JavaScript TypeError here)
        return Ok(Value::Undefined);
    }
    Ok(Value::Bool(match &tok {
        Value::Str(t) => st.contains(&**t),
        _ => match get_regex(&tok) {
            Some(re) => re.re.find(&st).is_some(),
            None => false,
        },
    }))
}

fn substitute(replacement: &str, matched: &str, groups: &[Value]) -> String {
    let r: Vec<char> = replacement.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    while pos < r.len() {
        let Some(idx) = r[pos..].iter().position(|c| *c == '$').map(|i| i + pos) else {
            break;
        };
        out.extend(&r[pos..idx]);
        pos = idx + 1;
        let d = r.get(pos).copied();
        if d == Some('$') {
            out.push('$');
            pos += 1;
        } else if d == Some('0') {
            out.push_str(matched);
            pos += 1;
        } else {
            let max_digits = if groups.is_empty() {
                1
            } else {
                ((groups.len() as f64).log10().floor() as usize) + 1
            };
            let parse = |n: usize| -> Option<usize> {
                let t: String = r[pos..(pos + n).min(r.len())]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                t.parse().ok()
            };
            let mut index = parse(max_digits);
            if max_digits > 1 && index.map(|i| i > groups.len()).unwrap_or(false) {
                index = parse(max_digits - 1);
            }
            match index {
                Some(i) => {
                    if !groups.is_empty() && i >= 1 {
                        if let Some(Value::Str(g)) = groups.get(i - 1) {
                            out.push_str(g);
                        }
                    }
                    pos += i.to_string().len();
                }
                None => out.push('$'),
            }
        }
    }
    if pos < r.len() {
        out.extend(&r[pos..]);
    }
    out
}

fn f_replace(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let st = s(&v);
    let pattern = arg!(a, 1);
    let replacement = arg!(a, 2);
    if let Value::Str(p) = &pattern {
        if p.is_empty() {
            return Err(Error::new("D3010").with_value(&pattern));
        }
    }
    let limit = a.get(3).and_then(|l| l.as_num());
    if let Some(l) = limit {
        if l < 0.0 {
            return Err(Error::new("D3011").with_value(&Value::Num(l)));
        }
    }
    if limit == Some(0.0) {
        return Ok(v);
    }
    let lim = limit.map(|l| l.ceil() as usize);
    let mut result = String::new();
    if let Value::Str(p) = &pattern {
        let rep = match &replacement {
            Value::Str(r) => r.to_string(),
            other => string(other, false)?,
        };
        let mut pos = 0;
        let mut count = 0;
        while let Some(i) = st[pos..].find(&**p) {
            if let Some(l) = lim {
                if count >= l {
                    break;
                }
            }
            result.push_str(&st[pos..pos + i]);
            result.push_str(&rep);
            pos = pos + i + p.len();
            count += 1;
        }
        result.push_str(&st[pos..]);
        return Ok(Value::string(result));
    }
    let re = match get_regex(&pattern) {
        Some(r) => r,
        None => return Err(Error::new("T1010")),
    };
    let ms = regex_matches(&re, &st, lim)?;
    if ms.is_empty() {
        return Ok(v);
    }
    let mut pos = 0;
    for m in ms {
        result.push_str(&st[pos..m.range.start]);
        let matched = &st[m.range.clone()];
        let groups = groups_of(&m);
        match &replacement {
            Value::Str(r) => result.push_str(&substitute(r, matched, &groups)),
            f => {
                let mut o = Map::default();
                o.insert(Rc::from("match"), Value::str(matched));
                o.insert(
                    Rc::from("start"),
                    Value::Num(utf16_index(&st, m.range.start) as f64),
                );
                o.insert(
                    Rc::from("end"),
                    Value::Num(utf16_index(&st, m.range.end) as f64),
                );
                o.insert(Rc::from("groups"), Value::array(groups));
                let r = ev.apply(f, vec![Value::object(o)], input, env)?;
                match r {
                    Value::Str(s) => result.push_str(&s),
                    other => return Err(Error::new("D3012").with_value(&other)),
                }
            }
        }
        pos = m.range.end;
    }
    result.push_str(&st[pos..]);
    Ok(Value::string(result))
}

fn f_split(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let st = s(&v);
    let sep = arg!(a, 1);
    let limit = a.get(2).and_then(|l| l.as_num());
    if let Some(l) = limit {
        if l < 0.0 {
            return Err(Error::new("D3020").with_value(&Value::Num(l)));
        }
    }
    let lim = limit.map(|l| l.floor() as usize);
    if lim == Some(0) {
        return Ok(Value::array(vec![]));
    }
    let mut out: Vec<Value> = vec![];
    match &sep {
        Value::Str(p) => {
            if p.is_empty() {
                out = st.chars().map(|c| Value::string(c.to_string())).collect();
            } else {
                out = st.split(&**p).map(Value::str).collect();
            }
            if let Some(l) = lim {
                out.truncate(l);
            }
        }
        _ => {
            let re = match get_regex(&sep) {
                Some(r) => r,
                None => return Err(Error::new("T1010")),
            };
            let ms = regex_matches(&re, &st, lim)?;
            if ms.is_empty() {
                out.push(v.clone());
            } else {
                let mut start = 0;
                let n = ms.len();
                for m in ms {
                    out.push(Value::str(&st[start..m.range.start]));
                    start = m.range.end;
                }
                if lim.map(|l| n < l).unwrap_or(true) {
                    out.push(Value::str(&st[start..]));
                }
            }
        }
    }
    Ok(Value::array(out))
}

fn f_join(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let sep = match a.get(1) {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    let parts: Vec<String> = v.to_items().iter().map(|i| s(i).to_string()).collect();
    Ok(Value::string(parts.join(&sep)))
}

// ---------------- numbers ----------------

fn f_number(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    Ok(match &v {
        Value::Undefined => Value::Undefined,
        Value::Num(_) => v.clone(),
        Value::Bool(b) => Value::Num(if *b { 1.0 } else { 0.0 }),
        Value::Str(st) => {
            if let Some(n) = parse_js_decimal(st) {
                Value::Num(n)
            } else if let Some(n) = parse_radix_literal(st) {
                Value::Num(n)
            } else {
                return Err(Error::new("D3030").with_value(&v));
            }
        }
        _ => return Err(Error::new("D3030").with_value(&v)),
    })
}

fn parse_js_decimal(st: &str) -> Option<f64> {
    // ^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$
    let b = st.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == ds {
        return None;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == fs {
            return None;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let n: f64 = st.parse().ok()?;
    if n.is_finite() {
        Some(n)
    } else {
        None
    }
}

fn parse_radix_literal(st: &str) -> Option<f64> {
    let (radix, rest) = if let Some(r) = st.strip_prefix("0x").or_else(|| st.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = st.strip_prefix("0o").or_else(|| st.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = st.strip_prefix("0b").or_else(|| st.strip_prefix("0B")) {
        (2, r)
    } else {
        return None;
    };
    if rest.is_empty() {
        return None;
    }
    let mut n = 0f64;
    for c in rest.chars() {
        n = n * radix as f64 + c.to_digit(radix)? as f64;
    }
    Some(n)
}

fn num1(a: &[Value], f: impl Fn(f64) -> f64) -> R<Value> {
    match a.first() {
        Some(Value::Num(n)) => Ok(Value::Num(f(*n))),
        _ => Ok(Value::Undefined),
    }
}

fn f_floor(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    num1(a, f64::floor)
}
fn f_ceil(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    num1(a, f64::ceil)
}
fn f_abs(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    num1(a, f64::abs)
}
fn f_sqrt(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    if let Some(Value::Num(n)) = a.first() {
        if *n < 0.0 {
            return Err(Error::new("D3060").with_value(&Value::Num(*n)));
        }
    }
    num1(a, f64::sqrt)
}
fn f_power(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let (b, e) = match (a.first(), a.get(1)) {
        (Some(Value::Num(b)), Some(Value::Num(e))) => (*b, *e),
        _ => return Ok(Value::Undefined),
    };
    let r = js_pow(b, e);
    if !r.is_finite() {
        let mut er = Error::new("D3061").with_value(&Value::Num(b));
        er.extra_mut().value2 = Some(crate::errors::render(&Value::Num(e)));
        return Err(er);
    }
    Ok(Value::Num(r))
}

fn js_pow(b: f64, e: f64) -> f64 {
    if e.fract() == 0.0 && e.abs() < 2147483648.0 {
        b.powi(e as i32)
    } else {
        b.powf(e)
    }
}

/// JavaScript `Math.round`.
fn js_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

pub fn round_half_even(arg: f64, precision: i32) -> f64 {
    let mut a = arg;
    if precision != 0 {
        a = shift(a, precision);
    }
    let mut result = js_round(a);
    let diff = result - a;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if precision != 0 {
        result = shift(result, -precision);
    }
    if result == 0.0 {
        result = 0.0;
    }
    result
}

/// `+(mantissa + 'e' + (exp + by))` on the number's JS string form.
fn shift(x: f64, by: i32) -> f64 {
    let st = js_number(x);
    let (m, e) = match st.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (st.clone(), 0),
    };
    format!("{}e{}", m, e + by).parse().unwrap_or(f64::NAN)
}

fn f_round(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let x = match a.first() {
        Some(Value::Num(n)) => *n,
        _ => return Ok(Value::Undefined),
    };
    let p = a.get(1).and_then(|p| p.as_num()).unwrap_or(0.0) as i32;
    Ok(Value::Num(round_half_even(x, p)))
}

fn f_random(ev: &mut Evaluator, _: &[Value], _: &Value, _: &Env) -> R<Value> {
    Ok(Value::Num(ev.random()))
}

// ---------------- booleans ----------------

fn f_boolean(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Ok(match boolean(&arg!(a, 0))? {
        Some(b) => Value::Bool(b),
        None => Value::Undefined,
    })
}

fn f_not(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Ok(match boolean(&arg!(a, 0))? {
        Some(b) => Value::Bool(!b),
        None => Value::Undefined,
    })
}

// ---------------- higher order ----------------

fn f_map(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg!(a, 1);
    let items = arr.to_items();
    let mut out = vec![];
    for (i, item) in items.iter().enumerate() {
        let r = ev.apply(
            &f,
            hof_args(&f, item.clone(), Value::Num(i as f64), &arr),
            input,
            env,
        )?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(Value::seq(out))
}

fn f_filter(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg!(a, 1);
    let mut out = vec![];
    for (i, item) in arr.to_items().into_iter().enumerate() {
        let r = ev.apply(
            &f,
            hof_args(&f, item.clone(), Value::Num(i as f64), &arr),
            input,
            env,
        )?;
        if boolean(&r)? == Some(true) {
            out.push(item);
        }
    }
    Ok(Value::seq(out))
}

fn f_single(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg!(a, 1);
    let mut found: Option<Value> = None;
    for (i, item) in arr.to_items().into_iter().enumerate() {
        let ok = if f.is_undefined() {
            true
        } else {
            let r = ev.apply(
                &f,
                hof_args(&f, item.clone(), Value::Num(i as f64), &arr),
                input,
                env,
            )?;
            boolean(&r)? == Some(true)
        };
        if ok {
            if found.is_some() {
                return Err(Error::new("D3138"));
            }
            found = Some(item);
        }
    }
    found.ok_or_else(|| Error::new("D3139"))
}

fn f_reduce(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let f = arg!(a, 1);
    let arity = function_arity(&f);
    if arity < 2 {
        return Err(Error::new("D3050").with_value(&f));
    }
    let items = arr.to_items();
    let init = arg!(a, 2);
    let (mut result, mut index) = if init.is_undefined() && !items.is_empty() {
        (items[0].clone(), 1)
    } else {
        (init, 0)
    };
    while index < items.len() {
        let mut args = vec![result, items[index].clone()];
        if arity >= 3 {
            args.push(Value::Num(index as f64));
        }
        if arity >= 4 {
            args.push(arr.clone());
        }
        result = ev.apply(&f, args, input, env)?;
        index += 1;
    }
    Ok(result)
}

fn f_sift(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let obj = arg!(a, 0);
    let f = arg!(a, 1);
    let m = match &obj {
        Value::Object(m) => m.clone(),
        _ => return Ok(Value::Undefined),
    };
    let mut out = Map::default();
    for (k, v) in m.iter() {
        let r = ev.apply(
            &f,
            hof_args(&f, v.clone(), Value::Str(k.clone()), &obj),
            input,
            env,
        )?;
        if boolean(&r)? == Some(true) {
            out.insert(k.clone(), v.clone());
        }
    }
    if out.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::object(out))
}

fn f_each(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let obj = arg!(a, 0);
    let f = arg!(a, 1);
    let mut out = vec![];
    if let Value::Object(m) = &obj {
        for (k, v) in m.iter() {
            let r = ev.apply(
                &f,
                hof_args(&f, v.clone(), Value::Str(k.clone()), &obj),
                input,
                env,
            )?;
            if !r.is_undefined() {
                out.push(r);
            }
        }
    }
    Ok(Value::seq(out))
}

fn f_zip(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let len = a
        .iter()
        .map(|v| {
            if let Value::Array(x) = v {
                x.items.len()
            } else {
                0
            }
        })
        .min()
        .unwrap_or(0);
    let mut out = vec![];
    for i in 0..len {
        out.push(Value::array(
            a.iter()
                .map(|v| v.as_array().map(|x| x.items[i].clone()).unwrap_or_default())
                .collect(),
        ));
    }
    Ok(Value::array(out))
}

fn f_sort(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let items = arr.to_items();
    if items.len() <= 1 {
        return Ok(arr);
    }
    let f = arg!(a, 1);
    let mut err: Option<Error> = None;
    let sorted = if f.is_undefined() {
        let all_num = items.iter().all(|v| matches!(v, Value::Num(_)));
        let all_str = items.iter().all(|v| matches!(v, Value::Str(_)));
        if !all_num && !all_str {
            return Err(Error::new("D3070"));
        }
        merge_sort(items, &mut |x: &Value, y: &Value| match (x, y) {
            (Value::Num(p), Value::Num(q)) => p > q,
            (Value::Str(p), Value::Str(q)) => js_str_cmp(p, q).is_gt(),
            _ => false,
        })
    } else {
        merge_sort(items, &mut |x: &Value, y: &Value| {
            if err.is_some() {
                return false;
            }
            match ev.apply(&f, vec![x.clone(), y.clone()], input, env) {
                Ok(r) => js_truthy(&r),
                Err(e) => {
                    err = Some(e);
                    false
                }
            }
        })
    };
    if let Some(e) = err {
        return Err(e);
    }
    Ok(Value::array(sorted))
}

fn f_shuffle(ev: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let mut items = arr.to_items();
    if items.len() <= 1 {
        return Ok(arr);
    }
    for i in (1..items.len()).rev() {
        let j = (ev.random() * (i + 1) as f64).floor() as usize;
        items.swap(i, j.min(i));
    }
    Ok(Value::array(items))
}

fn f_distinct(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    let x = match &arr {
        Value::Array(x) if x.items.len() > 1 => x.clone(),
        _ => return Ok(arr),
    };
    let mut out: Vec<Value> = vec![];
    check_nesting(&arr)?;
    for v in x.items.iter() {
        if !out.iter().any(|o| deep_equal(o, v)) {
            out.push(v.clone());
        }
    }
    Ok(if x.seq {
        Value::seq(out)
    } else {
        Value::array(out)
    })
}

// ---------------- objects ----------------

fn keys_of(v: &Value, out: &mut Vec<Rc<str>>) {
    match v {
        Value::Array(a) => {
            for i in a.items.iter() {
                keys_of(i, out);
            }
        }
        Value::Object(m) => {
            for k in m.keys() {
                if !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
        _ => {}
    }
}

fn f_keys(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    check_nesting(&arg!(a, 0))?;
    let mut out = vec![];
    keys_of(&arg!(a, 0), &mut out);
    Ok(Value::seq(out.into_iter().map(Value::Str).collect()))
}

fn f_lookup(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let k = s(&arg!(a, 1));
    Ok(crate::eval::lookup(&arg!(a, 0), &k))
}

fn f_append(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Ok(append(arg!(a, 0), arg!(a, 1)))
}

fn f_exists(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Ok(Value::Bool(!arg!(a, 0).is_undefined()))
}

fn spread(v: &Value) -> Value {
    match v {
        Value::Array(a) => {
            let mut r = Value::seq(vec![]);
            for i in a.items.iter() {
                r = append(r, spread(i));
            }
            r
        }
        Value::Object(m) => {
            let mut out = vec![];
            for (k, v) in m.iter() {
                let mut o = Map::default();
                o.insert(k.clone(), v.clone());
                out.push(Value::object(o));
            }
            Value::seq(out)
        }
        v => v.clone(),
    }
}

fn f_spread(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    check_nesting(&arg!(a, 0))?;
    Ok(spread(&arg!(a, 0)))
}

fn f_merge(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    let mut out = Map::default();
    for o in arr.to_items() {
        if let Value::Object(m) = o {
            for (k, v) in m.iter() {
                obj_insert(&mut out, k.clone(), v.clone());
            }
        }
    }
    Ok(Value::object(out))
}

fn f_reverse(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let arr = arg!(a, 0);
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    if arr.len() <= 1 {
        return Ok(arr);
    }
    let mut items = arr.to_items();
    items.reverse();
    Ok(Value::array(items))
}

fn f_error(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let m = match a.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => "$error() function evaluated".into(),
    };
    Err(Error::new("D3137").with_message(&m))
}

fn f_assert(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    if !matches!(a.first(), Some(Value::Bool(true))) {
        let m = match a.get(1) {
            Some(Value::Str(s)) => s.to_string(),
            _ => "$assert() statement failed".into(),
        };
        return Err(Error::new("D3141").with_message(&m));
    }
    Ok(Value::Undefined)
}

fn f_type(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::str(v.type_name()))
}

fn f_clone(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    check_numbers(&v)?;
    Ok(deep_clone(&v))
}

fn f_eval(ev: &mut Evaluator, a: &[Value], input: &Value, env: &Env) -> R<Value> {
    let expr = arg!(a, 0);
    let text = match &expr {
        Value::Str(s) => s.clone(),
        _ => return Ok(Value::Undefined),
    };
    let mut inp = input.clone();
    if let Some(focus) = a.get(1) {
        if !focus.is_undefined() {
            inp = match focus {
                Value::Array(x) if !x.seq => Value::Array(Rc::new(Array {
                    items: vec![focus.clone()],
                    seq: true,
                    outer_wrapper: true,
                    ..Default::default()
                })),
                f => f.clone(),
            };
        }
    }
    let (ast, _) = crate::parser::parse(&text).map_err(|e| {
        let e = e.finish();
        Error::new("D3120").with_value(&Value::string(e.message))
    })?;
    let _ = Frame::child(env);
    ev.eval(&ast, &inp, env).map_err(|e| {
        let e = e.finish();
        Error::new("D3121").with_value(&Value::string(e.message))
    })
}

// ---------------- encoding ----------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn f_base64encode(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let bytes: Vec<u8> = s(&v).chars().map(|c| (c as u32 & 0xff) as u8).collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    Ok(Value::string(out))
}

fn f_base64decode(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = String::new();
    for c in s(&v).chars() {
        let d = match B64.iter().position(|b| *b as char == c) {
            Some(d) => d as u32,
            None => continue,
        };
        bits = (bits << 6) | d;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push(char::from_u32((bits >> nbits) & 0xff).unwrap());
        }
    }
    Ok(Value::string(out))
}

fn encode_uri(st: &str, keep: &str) -> String {
    let mut out = String::new();
    for c in st.chars() {
        if c.is_ascii_alphanumeric() || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{:02X}", b));
            }
        }
    }
    out
}

fn decode_uri(st: &str, reserved: &str) -> Option<String> {
    let b = st.as_bytes();
    let mut out: Vec<u8> = vec![];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = st.get(i + 1..i + 3)?;
            let byte = u8::from_str_radix(h, 16).ok()?;
            if byte < 0x80 && reserved.contains(byte as char) {
                out.extend_from_slice(&b[i..i + 3]);
            } else {
                out.push(byte);
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn url_fn(a: &[Value], name: &str, f: impl Fn(&str) -> Option<String>) -> R<Value> {
    let v = arg!(a, 0);
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    match f(&s(&v)) {
        Some(r) => Ok(Value::string(r)),
        None => {
            let mut e = Error::new("D3140").with_value(&v);
            e.token = Some(name.into());
            Err(e)
        }
    }
}

fn f_encode_url_component(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    url_fn(a, "encodeUrlComponent", |s| {
        Some(encode_uri(s, "-_.!~*'()"))
    })
}
fn f_encode_url(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    url_fn(a, "encodeUrl", |s| {
        Some(encode_uri(s, "-_.!~*'();/?:@&=+$,#"))
    })
}
fn f_decode_url_component(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    url_fn(a, "decodeUrlComponent", |s| decode_uri(s, ""))
}
fn f_decode_url(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    url_fn(a, "decodeUrl", |s| decode_uri(s, ";/?:@&=+$,#"))
}
