//! Inputs the fuzzer (`cargo xtask fuzz`, fuzz/) found that once panicked or misbehaved, each
//! kept small: they must now give a result or an error, never a panic.

use jsonata::{Bindings, Expression};
use serde_json::json;

fn eval(expr: &str) -> jsonata::Result<Option<serde_json::Value>> {
    Expression::compile(expr)?.evaluate(None, &Bindings::new())
}

/// fuzz target `jsonata_eval`: `$parseInteger` with a picture whose zero digit is not `0`
/// (fullwidth `０` here) subtracted the zero from characters below it.
#[test]
fn parse_integer_with_characters_below_the_pictures_zero() {
    // As JavaScript's String.fromCharCode wraps: no digit, so no number.
    for expr in [
        "$parseInteger('5', '#０')",
        "$parseInteger('１5', '##０')",
        "$parseInteger('\t', '#０')",
    ] {
        let _ = eval(expr);
    }
    assert_eq!(
        eval("$parseInteger('１２', '#０')").unwrap(),
        Some(json!(12))
    );
    assert_eq!(
        eval("$parseInteger('１２5', '##０')").unwrap(),
        Some(json!(12))
    );
}
