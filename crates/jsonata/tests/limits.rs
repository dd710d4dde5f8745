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
        .spawn(move || {
            // as a host should: a stack budget of three quarters of the thread's stack
            let limits = jsonata::Limits {
                max_stack_bytes: stack_size() / 4 * 3,
                ..jsonata::Limits::default()
            };
            Expression::compile(&expr)
                .and_then(|e| e.evaluate(None, &Bindings::new().limits(limits)))
        })
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
    assert_eq!(
        e.to_string(),
        "U1001: Expression evaluation timeout: Check for infinite loop"
    );
}

#[test]
fn deep_recursion_is_a_stack_overflow_error() {
    let e = run("($f := function($n){ 1 + $f($n + 1) }; $f(0))").unwrap_err();
    assert_eq!(e.code, "U1001");
    assert_eq!(
        e.to_string(),
        "U1001: Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
    );
    assert_eq!(
        code(run("($f := function($n){ [$f($n + 1)] }; $f(0))")),
        "U1001"
    );
    assert_eq!(
        code(run("($f := function($n){ {'a': $f($n + 1)} }; $f(0))")),
        "U1001"
    );
    assert_eq!(
        code(run(
            "($f := function($n){ $map([1], function($x){ $f($n) }) }; $f(0))"
        )),
        "U1001"
    );
}

#[test]
fn recursion_within_the_limit_works() {
    let r = run("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100))").unwrap();
    assert_eq!(r, Some(serde_json::json!(100)));
    // tail calls do not grow the stack
    let r =
        run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(100000, 0))")
            .unwrap();
    assert_eq!(r, Some(serde_json::json!(100000)));
}

#[test]
fn huge_ranges_are_refused() {
    let e = run("[1..100000000]").unwrap_err();
    assert_eq!(e.code, "D2014");
    assert!(e.message.contains("must not exceed 1e7"), "{}", e.message);
    assert_eq!(
        run("[1..10000000] ~> $count()").unwrap(),
        Some(serde_json::json!(10000000))
    );
}

#[test]
fn ranges_are_bounded_together_too() {
    // One range of 1e7 is allowed (the language's own suite has one) …
    assert_eq!(
        run("[1..10000000] ~> $count()").unwrap(),
        Some(serde_json::json!(10_000_000))
    );
    // … but not a range per item of another: each allowed, ten million items in all at most.
    // Before this bound: 11 s and 4 GB natively, out of memory in a browser.
    let started = std::time::Instant::now();
    let refused = run("$count([1..10000000].([1..10000000]))").unwrap_err();
    assert_eq!(refused.code, "D2014");
    assert!(
        refused
            .to_string()
            .contains("must not exceed 10000000 items in all"),
        "{refused}"
    );
    assert!(
        started.elapsed().as_secs() < 5,
        "ended early: {:?}",
        started.elapsed()
    );
    assert_eq!(
        run("$count([1..6000000]) + $count([1..4000000])").unwrap(),
        Some(serde_json::json!(10_000_000))
    );
    assert_eq!(
        code(run("$count([1..6000000]) + $count([1..4000001])")),
        "D2014"
    );
}

#[test]
fn endless_loops_over_data_end() {
    // no recursion, just a lot of work (a billion items from a range of a thousand): the
    // step budget stops it
    assert_eq!(
        code(run("($a := [1..1000]; $count($a.($a).($a)))")),
        "U1001"
    );
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
    let r =
        run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, [[$acc]]) }; $f(200000, 1))");
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

#[test]
fn functions_refuse_what_would_exhaust_memory_or_loop_forever() {
    assert!(run("$pad('x', 1e12)").is_err());
    assert!(run("$formatInteger(1e300, 'I')").is_err());
    assert!(run("$formatInteger(1/0, 'w')").is_err());
    assert!(run("$fromMillis(1e20)").is_err());
    assert!(run("$fromMillis(1e20, '[Y,99-99]')").is_err());
    assert_eq!(
        run("$toMillis('99999999999999999999', '[Y]')").unwrap(),
        None
    );
    // a string doubling itself grows past any budget: an error, not an allocation failure
    assert!(run("$reduce([1..100], function($acc, $x){ $acc & $acc }, 'xx')").is_err());
}

#[test]
fn deep_values_from_tail_recursion_are_safe_everywhere() {
    let deep = "($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, [[$acc]]) }; $f(200000, 1))";
    for wrap in [
        "$boolean({})",
        "{}.x",
        "$keys({})",
        "$spread({})",
        "$count({})",
        "$exists({})",
        "$type({})",
    ] {
        let text = format!("($d := {}; {})", deep, wrap.replace("{}", "$d"));
        let r = run(&text);
        assert!(r.is_ok() || r.is_err(), "{}", text);
    }
    // a long chain of partial applications, each holding the one before
    let r = run("($f := function($g, $n){ $n = 0 ? $g(1) : $f(function($x){ $g($x) }, $n - 1) }; $f(function($x){ $x }, 100000))");
    assert!(r.is_ok() || r.is_err());
}

#[test]
fn the_stack_budget_holds_whatever_the_depth_limit() {
    // with no depth limit to speak of, the measured stack use still stops runaway recursion,
    // through operators, natives that call back, and paths alike
    for e in [
        "($f := function($n){ 1 + $f($n + 1) }; $f(0))",
        "($f := function($n){ $map([1], function($x){ $f($n) }) }; $f(0))",
        "($f := function($n){ $sort([1, 2], function($a, $b){ $f($n) }) }; $f(0))",
        "($f := function($n){ {'a': [$f($n + 1)]}.a }; $f(0))",
        "($f := function($n){ [1].($f($n + 1)) }; $f(0))",
    ] {
        let e = e.to_string();
        let r = std::thread::Builder::new()
            .stack_size(stack_size())
            .spawn(move || {
                let limits = jsonata::Limits {
                    max_depth: usize::MAX,
                    ..jsonata::Limits::default()
                };
                Expression::compile(&e)
                    .and_then(|x| x.evaluate(None, &Bindings::new().limits(limits)))
            })
            .unwrap()
            .join()
            .expect("evaluation must not crash");
        assert_eq!(code(r), "U1001");
    }
}
