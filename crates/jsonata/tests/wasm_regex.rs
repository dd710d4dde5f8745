//! Regular expressions in $match, $replace, $split and $contains, with non-ASCII and astral
//! characters and capture groups. On wasm32 (headless Chromium, run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p jsonata --target wasm32-unknown-unknown`)
//! these exercise the JavaScript engine's RegExp; natively (`cargo test -p jsonata`) the same
//! cases exercise regress — both backends must give the same answers.

use jsonata::{Bindings, Expression};
use serde_json::{json, Value};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::{wasm_bindgen_test as test, wasm_bindgen_test_configure};
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test_configure!(run_in_browser);

fn eval(expr: &str) -> Option<Value> {
    Expression::compile(expr)
        .unwrap_or_else(|e| panic!("{expr}: {e:?}"))
        .evaluate(None, &Bindings::new())
        .unwrap_or_else(|e| panic!("{expr}: {e:?}"))
}

fn check(expr: &str, want: Value) {
    assert_eq!(eval(expr), Some(want), "{expr}");
}

fn error_code(expr: &str) -> String {
    match Expression::compile(expr) {
        Err(e) => e.code.to_string(),
        Ok(x) => x
            .evaluate(None, &Bindings::new())
            .expect_err(expr)
            .code
            .to_string(),
    }
}

#[test]
fn match_with_groups_and_utf16_indices() {
    check(
        r#"$match("ab🎉cd🎉ef", /🎉(.)/)"#,
        json!([
            {"match": "🎉c", "index": 2, "groups": ["c"]},
            {"match": "🎉e", "index": 6, "groups": ["e"]}
        ]),
    );
    check(
        r#"$match("a1b22c333", /(\d)(\d*)/)"#,
        json!([
            {"match": "1", "index": 1, "groups": ["1", ""]},
            {"match": "22", "index": 3, "groups": ["2", "2"]},
            {"match": "333", "index": 6, "groups": ["3", "33"]}
        ]),
    );
    check(
        r#"$match("ÉCOLE école", /école/i)"#,
        json!([
            {"match": "ÉCOLE", "index": 0, "groups": []},
            {"match": "école", "index": 6, "groups": []}
        ]),
    );
    // a group that takes no part
    check(
        r#"$match("b😀", /(a)?b/)"#,
        json!({"match": "b", "index": 0, "groups": [""]}),
    );
    // limit; lookbehind sees before the position each search starts from
    check(
        r#"$match("xaXbXbX", /(?<=b)X/)"#,
        json!([
            {"match": "X", "index": 4, "groups": []},
            {"match": "X", "index": 6, "groups": []}
        ]),
    );
    check(r#"$match("😀a😀a😀a", /a/, 2).index"#, json!([2, 5]));
    check(r#"$count($match("naïve", /x/))"#, json!(0));
    // multiline
    check(r#"$match("ä1\nö2", /^\W(\d)$/m).groups"#, json!(["1", "2"]));
}

#[test]
fn replace_with_groups_and_functions() {
    check(
        r#"$replace("héllo wörld", /(\w)ö/, "$1o")"#,
        json!("héllo world"),
    );
    check(r#"$replace("x😀y😀z", /😀/, "-")"#, json!("x-y-z"));
    check(r#"$replace("x😀y😀z", /😀/, "-", 1)"#, json!("x-y😀z"));
    check(
        r#"$replace("Ünïcödé 𝒳=1, 𝒴=22", /(\S+)=(\d+)/, "$2:$1")"#,
        json!("Ünïcödé 1:𝒳, 22:𝒴"),
    );
    check(
        r#"$replace("é😀x", /x/, function($m) { $string($m.start) & "-" & $string($m.end) })"#,
        json!("é😀3-4"),
    );
    check(
        r#"$replace("€10 and €200", /€(\d+)/, function($m) { $m.groups[0] & " EUR" })"#,
        json!("10 EUR and 200 EUR"),
    );
}

#[test]
fn split_and_contains() {
    check(r#"$split("a😀b😀c", /😀/)"#, json!(["a", "b", "c"]));
    check(r#"$split("a😀b😀c", /😀/, 2)"#, json!(["a", "b"]));
    check(r#"$split("é, ü ,ß", /\s*,\s*/)"#, json!(["é", "ü", "ß"]));
    check(r#"$split("abc", /x/)"#, json!(["abc"]));
    check(r#"$contains("naïve", /ï/)"#, json!(true));
    check(r#"$contains("a𝒳b", /𝒳b$/)"#, json!(true));
    check(r#"$contains("abc", /d/)"#, json!(false));
    check(r#"$contains("ABC", /b/i)"#, json!(true));
}

#[test]
fn a_regex_as_a_function() {
    check(
        r#"/(\d+)/("ab😀12").[match, start, end, groups]"#,
        json!(["12", 4, 6, "12"]),
    );
    check(r#"$exists(/x/("abc"))"#, json!(false));
}

#[test]
fn errors() {
    // a zero-length match that would loop
    assert_eq!(error_code(r#"$match("abc", /x*/)"#), "D1004");
    // an invalid regular expression
    assert_eq!(error_code(r#"$match("abc", /a**/)"#), "S0303");
}
