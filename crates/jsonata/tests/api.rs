//! The public API: compile once and evaluate many times, host functions, the host's clock,
//! errors, and the JSONata 2.0.6 switch.

use jsonata::{Bindings, CompileOptions, Data, Error, Expression};
use serde_json::json;

#[test]
fn compile_once_evaluate_many_times() {
    let e = Expression::compile("Account.Order.Product[Price > $min].SKU").unwrap();
    let input = json!({"Account": {"Order": [{"Product": [{"SKU": "a", "Price": 5}, {"SKU": "b", "Price": 50}]}]}});
    assert_eq!(
        e.evaluate(Some(&input), &Bindings::new().var("min", json!(10)))
            .unwrap(),
        Some(json!("b"))
    );
    assert_eq!(
        e.evaluate(Some(&input), &Bindings::new().var("min", json!(1)))
            .unwrap(),
        Some(json!(["a", "b"]))
    );
    assert_eq!(
        e.evaluate(Some(&input), &Bindings::new().var("min", json!(100)))
            .unwrap(),
        None
    );
    assert_eq!(e.evaluate(None, &Bindings::new()).unwrap(), None);
}

#[test]
fn data_converted_once_is_shared_by_evaluations_and_never_changed() {
    let input = json!({"Account": {"Order": [{"Product": [{"SKU": "a", "Price": 5}, {"SKU": "b", "Price": 50}]}]}});
    let data = Data::from_json(&input);
    let skus = Expression::compile("Account.Order.Product[Price > $min].SKU").unwrap();
    let min = Data::from_json(&json!(10));
    let bindings = Bindings::new().var_data("min", &min);
    assert_eq!(
        skus.evaluate_data(Some(&data), &bindings).unwrap(),
        skus.evaluate(Some(&input), &Bindings::new().var("min", json!(10)))
            .unwrap()
    );
    // a transform works on a copy: the shared input is the same for the next expression
    let transformed = Expression::compile("$ ~> |Account.Order.Product|{\"SKU\": \"z\"}|").unwrap();
    let out = transformed.evaluate_data(Some(&data), &bindings).unwrap();
    assert_eq!(
        out.unwrap()["Account"]["Order"][0]["Product"][1]["SKU"],
        json!("z")
    );
    assert_eq!(
        skus.evaluate_data(Some(&data), &bindings).unwrap(),
        Some(json!("b"))
    );
    assert_eq!(data.to_json(), Some(input));
    assert_eq!(Data::default().to_json(), None);
}

#[test]
fn output_keeps_key_order_as_javascript_does() {
    let e = Expression::compile(r#"{"b": 1, "a": 2, "10": 3, "2": 4}"#).unwrap();
    let out = e.evaluate(None, &Bindings::new()).unwrap().unwrap();
    assert_eq!(
        serde_json::to_string(&out).unwrap(),
        r#"{"2":4,"10":3,"b":1,"a":2}"#
    );
    let e = Expression::compile("$").unwrap();
    let input: serde_json::Value =
        serde_json::from_str(r#"{"z": 1, "y": {"q": 1, "p": 2}}"#).unwrap();
    let out = e.evaluate(Some(&input), &Bindings::new()).unwrap().unwrap();
    assert_eq!(
        serde_json::to_string(&out).unwrap(),
        r#"{"z":1,"y":{"q":1,"p":2}}"#
    );
}

#[test]
fn host_functions_can_be_registered() {
    let b = Bindings::new()
        .function("partition", Some("<an:a>"), |args| {
            let items = args[0].clone().unwrap_or(json!([]));
            let size = args[1].as_ref().and_then(|n| n.as_u64()).unwrap_or(1) as usize;
            let chunks: Vec<serde_json::Value> = items
                .as_array()
                .unwrap()
                .chunks(size)
                .map(|c| serde_json::Value::Array(c.to_vec()))
                .collect();
            Ok(Some(serde_json::Value::Array(chunks)))
        })
        .function("fail", None, |_| {
            Err(Error::custom("States.QueryEvaluationError", "it failed"))
        });
    let e = Expression::compile("$partition([1,2,3,4,5], 2)").unwrap();
    assert_eq!(
        e.evaluate(None, &b).unwrap(),
        Some(json!([[1, 2], [3, 4], [5]]))
    );
    // the signature is checked
    let e = Expression::compile("$partition('x', 2)").unwrap();
    assert!(
        e.evaluate(None, &b).is_ok(),
        "a string is taken as a one-item array"
    );
    let e = Expression::compile("$partition([1], 'x')").unwrap();
    assert_eq!(e.evaluate(None, &b).unwrap_err().code, "T0410");
    // host functions work as values, in higher-order functions
    let e = Expression::compile("$map([[1,2,3]], function($v){ $partition($v, 1) })").unwrap();
    assert_eq!(e.evaluate(None, &b).unwrap(), Some(json!([[1], [2], [3]])));
    let e = Expression::compile("$fail()").unwrap();
    let err = e.evaluate(None, &b).unwrap_err();
    assert_eq!(err.code, "States.QueryEvaluationError");
    assert_eq!(err.to_string(), "States.QueryEvaluationError: it failed");
}

#[test]
fn the_clock_is_the_hosts() {
    let b = Bindings::new().now_millis(1_521_801_216_617.0);
    let e =
        Expression::compile("[$now(), $millis(), $now('[Y0001]-[M01]-[D01]'), $now() = $now()]")
            .unwrap();
    assert_eq!(
        e.evaluate(None, &b).unwrap(),
        Some(json!([
            "2018-03-23T10:33:36.617Z",
            1_521_801_216_617u64,
            "2018-03-23",
            true
        ]))
    );
}

#[test]
fn random_is_seeded_by_the_host() {
    let e = Expression::compile("[$random(), $random(), $shuffle([1,2,3,4,5,6,7,8])]").unwrap();
    let a = e.evaluate(None, &Bindings::new().random_seed(7)).unwrap();
    let b = e.evaluate(None, &Bindings::new().random_seed(7)).unwrap();
    assert_eq!(a, b);
    let r = a.unwrap();
    assert!((0.0..1.0).contains(&r[0].as_f64().unwrap()));
}

#[test]
fn errors_carry_code_message_position_and_token() {
    let err = Expression::compile("$x + ").unwrap_err();
    assert_eq!(err.code, "S0207");
    let err = Expression::compile("[1,2").unwrap_err();
    assert_eq!(err.code, "S0203");
    let e = Expression::compile("'a' + 1").unwrap();
    let err = e.evaluate(None, &Bindings::new()).unwrap_err();
    assert_eq!(err.code, "T2001");
    assert_eq!(err.token.as_deref(), Some("+"));
    assert!(err.position.is_some());
    assert_eq!(
        err.to_string(),
        "T2001: The left side of the \"+\" operator must evaluate to a number"
    );
    let e = Expression::compile("$error('boom')").unwrap();
    assert_eq!(
        e.evaluate(None, &Bindings::new()).unwrap_err().to_string(),
        "D3137: boom"
    );
}

#[test]
fn jsonata_2_0_6_rejects_the_later_operators() {
    let strict = CompileOptions {
        jsonata_2_0_6: true,
    };
    for text in ["a ?? 1", "a ?: 1"] {
        let e = Expression::compile(text).unwrap();
        assert!(e.uses_jsonata_2_1_operators());
        let err = Expression::compile_with(text, &strict).expect_err("rejected");
        assert_eq!(err.code, "S0211");
    }
    let e = Expression::compile_with("a ? b : c", &strict).unwrap();
    assert!(!e.uses_jsonata_2_1_operators());
}

#[test]
fn eval_can_be_removed() {
    let e = Expression::compile("$eval('1 + 1')").unwrap();
    assert_eq!(e.evaluate(None, &Bindings::new()).unwrap(), Some(json!(2)));
    assert_eq!(
        e.evaluate(None, &Bindings::new().without_eval())
            .unwrap_err()
            .code,
        "T1006"
    );
}

#[test]
fn default_limits_are_safe_on_a_default_thread() {
    // cargo runs each test on a thread Rust spawned (2 MiB of stack): the defaults must stop
    // runaway recursion there without help
    for text in [
        "($f := function($n){ 1 + $f($n + 1) }; $f(0))",
        "($f := function($n){ $map([1], function($x){ $f($n) }) }; $f(0))",
        "($f := function($n){ [1].($f($n + 1)) }; $f(0))",
    ] {
        let err = Expression::compile(text)
            .unwrap()
            .evaluate(None, &Bindings::new())
            .unwrap_err();
        assert_eq!(err.code, "U1001", "{}", text);
    }
}
