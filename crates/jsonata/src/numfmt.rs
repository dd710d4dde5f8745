//! $formatNumber, $formatBase, $formatInteger, $parseInteger.

use crate::env::Env;
use crate::eval::Evaluator;
use crate::value::*;
use crate::Error;

type R<T> = Result<T, Error>;

pub fn f_format_number(_: &mut Evaluator, _a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Err(Error::new("D3137").with_message("$formatNumber is not implemented"))
}

pub fn f_format_base(_: &mut Evaluator, a: &[Value], _: &Value, _: &Env) -> R<Value> {
    let n = match a.first() {
        Some(Value::Num(n)) => *n,
        _ => return Ok(Value::Undefined),
    };
    let n = crate::functions::round_half_even(n, 0);
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

pub fn f_format_integer(_: &mut Evaluator, _a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Err(Error::new("D3137").with_message("$formatInteger is not implemented"))
}

pub fn f_parse_integer(_: &mut Evaluator, _a: &[Value], _: &Value, _: &Env) -> R<Value> {
    Err(Error::new("D3137").with_message("$parseInteger is not implemented"))
}
