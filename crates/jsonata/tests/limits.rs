//! Evaluation never crashes: runaway recursion, huge ranges, endless loops and deeply nested
//! expressions or values end with JSONata errors. Each check runs on a thread with a small
//! stack, as in the browser (wasm32's default stack is 1 MiB); debug builds use several times
//! more stack per level than release builds, so they get more.

use jsonata::{Bindings, Expression};

fn stack_size() -> usize {
    if cfg!(debug_assertions) {
        32 << 20
    } else {
        1 << 20
    }
}

fn run(expr: &str) -> Result<Option<serde_json::Value>, jsonata::Error> {
    let expr = expr.to_string();
    std::thread::Builder::new()
        .stack_size(stack_size())
        .spawn(move || Expression::compile(&expr).and_then(|e| e.evaluate(None, &Bindings::new())))
        .unwrap()
        .join()
        .expect("evaluation must not crash")
}

fn code(r: Result<Option<serde_json::Value>, jsonata::Error>) -> String {
    match r {
        Err(e) => e.code,
        Ok(v) => panic!("expected an error, got {:?}", v),
    }
}

#[test]
fn endless_tail_recursion_ends_with_an_error() {
    let e = run("($f := function(){ $f() }; $f())").unwrap_err();
    assert_eq!(e.code, "U1001");
    assert_eq!(e.to_string(), "U1001: Expression evaluation timeout: Check for infinite loop");
}

#[test]
fn deep_recursion_is_a_stack_overflow_error() {
    let e = run("($f := function($n){ 1 + $f($n + 1) }; $f(0))").unwrap_err();
    assert_eq!(e.code, "U1001");
    assert_eq!(
        e.to_string(),
        "U1001: Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
    );
    assert_eq!(code(run("($f := function($n){ [$f($n + 1)] }; $f(0))")), "U1001");
    assert_eq!(code(run("($f := function($n){ {'a': $f($n + 1)} }; $f(0))")), "U1001");
    assert_eq!(code(run("($f := function($n){ $map([1], function($x){ $f($n) }) }; $f(0))")), "U1001");
}

#[test]
fn recursion_within_the_limit_works() {
    let r = run("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100))").unwrap();
    assert_eq!(r, Some(serde_json::json!(100)));
    // tail calls do not grow the stack
    let r = run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(100000, 0))").unwrap();
    assert_eq!(r, Some(serde_json::json!(100000)));
}

#[test]
fn huge_ranges_are_refused() {
    let e = run("[1..100000000]").unwrap_err();
    assert_eq!(e.code, "D2014");
    assert!(e.message.contains("must not exceed 1e7"), "{}", e.message);
    assert_eq!(run("[1..10000000] ~> $count()").unwrap(), Some(serde_json::json!(10000000)));
}

#[test]
fn endless_loops_over_data_end() {
    // no recursion, just a lot of work: the step budget stops it
    assert_eq!(code(run("$count([1..10000000].([1..10000000]))")), "U1001");
}

#[test]
fn deeply_nested_expressions_are_syntax_errors() {
    for open in ["(", "[", "-", "{'a':"] {
        let text = open.repeat(100_000);
        let r = run(&text);
        assert!(r.is_err(), "{}", open);
    }
    let text = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(run(&text).is_err());
    let text = format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000));
    assert!(run(&text).is_err());
}

#[test]
fn deeply_nested_values_are_refused_not_overflowed() {
    // a tail-recursive function can build a value nested far deeper than the recursion limit
    let r = run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, [[$acc]]) }; $f(200000, 1))");
    assert_eq!(code(r), "U1001");
    let r = run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, {'a': $acc}) }; $string($f(200000, 1)))");
    assert_eq!(code(r), "U1001");
    let r = run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, [[$acc]]) }; $f(200000, 1) = $f(200000, 1))");
    assert_eq!(code(r), "U1001");
}

#[test]
fn reasonably_nested_expressions_work() {
    let text = format!("{}1{}", "(".repeat(50), ")".repeat(50));
    assert_eq!(run(&text).unwrap(), Some(serde_json::json!(1)));
    let text = format!("{}1{}", "[".repeat(30), "]".repeat(30));
    assert!(run(&text).is_ok());
    let text = format!("{}1{}", "{'a':".repeat(30), "}".repeat(30));
    assert!(run(&text).is_ok());
}
