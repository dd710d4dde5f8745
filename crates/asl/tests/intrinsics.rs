//! Intrinsic functions: every function's results and failures, escaping, nesting, and AWS's
//! recorded runs (`../shared/conformance/localstack/intrinsic_functions.jsonl`) replayed call
//! by call.

use asl::intrinsics::{invalid_field_message, Intrinsic, IntrinsicEnv, IntrinsicError};
use serde_json::{json, Map, Value};

/// Resolves paths by plain lookup: `$` and `$.a.b[0]` in the input, `$$.…` in a context object
/// whose `Execution.Input` is the input, `$name.…` in the variables. Randomness is a fixed
/// sequence, so results are reproducible.
struct Doc {
    input: Value,
    context: Value,
    variables: Map<String, Value>,
    draws: Vec<f64>,
    next: usize,
}

impl Doc {
    fn new(input: Value) -> Doc {
        Doc {
            context: json!({"Execution": {"Id": "arn:aws:states:us-east-1:1:execution:m:e", "Input": input.clone()}}),
            input,
            variables: Map::new(),
            draws: vec![0.25, 0.5, 0.75, 0.125, 0.625],
            next: 0,
        }
    }
}

fn lookup(mut value: &Value, body: &str) -> Option<Value> {
    let mut rest = body;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            value = value.get(&after[..end])?;
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let index: usize = after[..end].trim().parse().ok()?;
            value = value.get(index)?;
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(value.clone())
}

impl IntrinsicEnv for Doc {
    fn resolve(&mut self, path: &str) -> Result<Value, String> {
        let found = if let Some(body) = path.strip_prefix("$$") {
            lookup(&self.context, body)
        } else if let Some(body) = path.strip_prefix("$.").map(|b| format!(".{b}")) {
            lookup(&self.input, &body)
        } else if path == "$" {
            Some(self.input.clone())
        } else {
            let name_end = path[1..].find(['.', '[']).map_or(path.len(), |i| i + 1);
            self.variables
                .get(&path[1..name_end])
                .and_then(|v| lookup(v, &path[name_end..]))
        };
        found.ok_or_else(|| {
            format!(
                "The JsonPath argument for the field '{path}' could not be found in the input '{}'",
                self.input
            )
        })
    }

    fn random(&mut self) -> f64 {
        let draw = self.draws[self.next % self.draws.len()];
        self.next += 1;
        draw
    }
}

fn parse(expr: &str) -> Intrinsic {
    Intrinsic::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn eval(expr: &str, input: Value) -> Result<Value, IntrinsicError> {
    parse(expr).evaluate(&mut Doc::new(input))
}

/// `expr` on `input` gives `expected`.
fn give(expr: &str, input: Value, expected: Value) {
    assert_eq!(
        eval(expr, input).unwrap_or_else(|e| panic!("{expr}: {e}")),
        expected,
        "{expr}"
    );
}

/// `expr` on `input` fails with `States.Runtime`, the cause naming `call` and then `detail`.
fn fails_in(expr: &str, input: Value, call: &str, detail: &str) {
    let error = eval(expr, input).expect_err(expr);
    assert_eq!(error.error, "States.Runtime", "{expr}");
    assert_eq!(
        error.cause,
        format!("There was an error while evaluating the intrinsic function: {call}. {detail}"),
        "{expr}"
    );
}

/// `expr` (already in normalized spelling) fails with AWS's usual "Invalid arguments in …".
fn invalid(expr: &str, input: Value) {
    let name = &expr[..expr.find('(').unwrap()];
    fails_in(expr, input, expr, &format!("Invalid arguments in {name}"));
}

/// `expr` is not a valid intrinsic call (the definition would be rejected).
fn rejected(expr: &str) {
    assert!(Intrinsic::parse(expr).is_err(), "{expr} should not parse");
}

// ---------------------------------------------------------------------------------------------
// Syntax

#[test]
fn parses_every_argument_kind() {
    let call = parse("States.Array('a', -1, 2.5, 1e3, true, false, null, $, $.a[0], $$.Execution.Id, $var.x, States.UUID())");
    assert_eq!(
        call.to_string(),
        "States.Array('a', -1, 2.5, 1e3, true, false, null, $, $.a[0], $$.Execution.Id, $var.x, States.UUID())"
    );
    parse("States.Array()");
    parse("States.UUID( )");
    parse("States.Format( 'x' ,$.a )");
    parse("States.Array($['a b'], $['x,y'][0], $.a[*])");
}

#[test]
fn rejects_malformed_calls() {
    for expr in [
        "States.format('x')",
        "States.Unknown()",
        "States.Array(",
        "States.Array(1,)",
        "States.Array(,1)",
        "States.Array(1 2)",
        "States.UUID)",
        "States.UUID() trailing",
        "States.Array('unterminated)",
        "States.Array(01)",
        "States.Array(1.)",
        "States.Array(--1)",
        "States.Array(True)",
        "States.Array(undefined)",
        "States.Array($.)",
        "States.Array($.a[0)",
        "States.Array($$x)",
        "States.Array(\"double\")",
        "States.Array(Format('x'))",
        "Format('x')",
    ] {
        rejected(expr);
    }
}

#[test]
fn only_four_escapes_exist_in_literals() {
    give(r"States.Format('it\'s')", json!({}), json!("it's"));
    give(r"States.Format('a \{\} b')", json!({}), json!("a {} b"));
    give(
        r"States.Format('back\\slash')",
        json!({}),
        json!(r"back\slash"),
    );
    give(r"States.StringToJson('\{\}')", json!({}), json!({}));
    rejected(r#"States.Format('say \"hi\"')"#);
    rejected(r"States.Format('line\nbreak')");
    rejected(r"States.Format('tab\t')");
    rejected(r"States.Format('\u0041')");
    rejected(r"States.Format('dangling\')");
}

#[test]
fn aws_rejected_definitions_do_not_parse() {
    // The two intrinsic definitions in localstack-api/validation.jsonl, as AWS received them.
    rejected(r#"States.StringToJson('{"text":"An \"escaped double quote\" here"}')"#);
    rejected(r#"States.Format('He said, \"Hello, {}!\"', 'Test \"Name\" Here')"#);
    assert_eq!(
        invalid_field_message("parsed.$"),
        "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call"
    );
}

#[test]
fn at_most_ten_calls_per_field() {
    // AWS's own nine-call example, less its third `{}` (which has no argument).
    let nine = "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.Arn, '/'), 2), '.'), 1))";
    give(
        nine,
        json!({"Arn": "arn:aws:imagebuilder:us-east-1:1:image-recipe/my.recipe/1.0.0"}),
        json!("1.0"),
    );
    let ten = format!(
        "States.Array({})",
        "States.UUID(), ".repeat(8) + "States.UUID()"
    );
    parse(&ten);
    rejected(&format!(
        "States.Array({})",
        "States.UUID(), ".repeat(9) + "States.UUID()"
    ));
    // Hostile nesting is refused at parse time, without deep recursion.
    let deep = "States.Array(".repeat(100_000) + &")".repeat(100_000);
    rejected(&deep);
}

#[test]
fn nested_calls_feed_their_results() {
    give(
        "States.Format('{}', States.ArrayLength($.a))",
        json!({"a": [1, 2, 3]}),
        json!("3"),
    );
    give(
        "States.MathAdd(States.MathAdd($.x, 1), 2)",
        json!({"x": 5}),
        json!(8),
    );
    give(
        "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), $$.Execution.Input.input_field, false)",
        json!({"input_field": {"constant_input_field": "constant_value"}}),
        json!({"constant_in_literal": "false", "constant_input_field": "constant_value"}),
    );
    give(
        "States.Base64Decode(States.Base64Encode($.s))",
        json!({"s": "hello ✓"}),
        json!("hello ✓"),
    );
    // A failure inside names the innermost call.
    invalid("States.ArrayLength($.s)", json!({"s": "x"}));
    fails_in(
        "States.Format('{}', States.ArrayLength($.s))",
        json!({"s": "x"}),
        "States.ArrayLength($.s)",
        "Invalid arguments in States.ArrayLength",
    );
}

#[test]
fn a_missing_path_reports_the_environments_text() {
    fails_in(
        "States.Format('{}', $.nope)",
        json!({"a": 1}),
        "States.Format('{}', $.nope)",
        r#"The JsonPath argument for the field '$.nope' could not be found in the input '{"a":1}'"#,
    );
}

#[test]
fn variables_and_context_resolve_through_the_environment() {
    let mut doc = Doc::new(json!({}));
    doc.variables.insert("varname".into(), json!({"x": "v"}));
    let value = parse("States.Format('{} {}', $varname.x, $$.Execution.Id)").evaluate(&mut doc);
    assert_eq!(
        value.unwrap(),
        json!("v arn:aws:states:us-east-1:1:execution:m:e")
    );
}

// ---------------------------------------------------------------------------------------------
// States.Format

#[test]
fn format_fills_placeholders_the_java_way() {
    give(
        "States.Format('Hello, my name is {}.', $.name)",
        json!({"name": "Arnav"}),
        json!("Hello, my name is Arnav."),
    );
    give(
        "States.Format($.template, $.name)",
        json!({"template": "Hello, my name is {}.", "name": "Arnav"}),
        json!("Hello, my name is Arnav."),
    );
    give(
        "States.Format('no placeholders')",
        json!({}),
        json!("no placeholders"),
    );
    give(
        "States.Format('{}|{}|{}|{}|{}', $.n, $.b, $.i, $.d, $.big)",
        json!({"n": null, "b": false, "i": -1, "d": 3.5, "big": 9007199254740991i64}),
        json!("null|false|-1|3.5|9007199254740991"),
    );
    give(
        "States.Format('{} {}', $.one, $.e)",
        json!({"one": 1.0, "e": 1e20}),
        json!("1.0 1.0E20"),
    );
    give(
        "States.Format('{}', $.o)",
        json!({"o": {"Arg1": 1, "Arg2": [], "s": "t", "n": null}}),
        json!("{Arg1=1, Arg2=[], s=t, n=null}"),
    );
    give(
        "States.Format('{}', $.a)",
        json!({"a": [1, "a", [true]]}),
        json!("[1, a, [true]]"),
    );
    give(
        "States.Format('{}-{}', 'x', 2020)",
        json!({}),
        json!("x-2020"),
    );
    // Values are inserted, not re-read as templates.
    give(
        "States.Format('{}', $.t)",
        json!({"t": "{}{"}),
        json!("{}{"),
    );
    // A StringToJson result is a Jackson tree, printed as JSON.
    give(
        "States.Format('{}', States.StringToJson($.j))",
        json!({"j": "\"x\""}),
        json!("\"x\""),
    );
    give(
        "States.Format('{}', States.StringToJson($.j))",
        json!({"j": "{\"a\": [1]}"}),
        json!("{\"a\":[1]}"),
    );
}

#[test]
fn format_fails_on_mismatched_placeholders() {
    let mismatch = "Invalid arguments in States.Format: number of arguments do not match the occurrences of {}.";
    fails_in(
        "States.Format('{} {}', $.a)",
        json!({"a": 1}),
        "States.Format('{} {}', $.a)",
        mismatch,
    );
    fails_in(
        "States.Format('{}', 1, 2)",
        json!({}),
        "States.Format('{}', 1, 2)",
        mismatch,
    );
    fails_in(
        "States.Format('Hello {', $.a)",
        json!({"a": 1}),
        "States.Format('Hello {', $.a)",
        "Invalid template in States.Format: matching '}' not found for '{'.",
    );
    fails_in(
        "States.Format('Hello {{}}', $.a)",
        json!({"a": 1}),
        "States.Format('Hello {{}}', $.a)",
        "Invalid template in States.Format: matching '}' not found for '{'.",
    );
    fails_in(
        "States.Format('}')",
        json!({}),
        "States.Format('}')",
        "Invalid template in States.Format: matching '{' not found for '}'.",
    );
    // An escaped backslash does not escape the brace after it (the CDK double-escape bug).
    fails_in(
        r"States.Format('a \\{}')",
        json!({}),
        r"States.Format('a \\{}')",
        mismatch,
    );
    invalid("States.Format($.t, 1)", json!({"t": 123}));
    invalid("States.Format()", json!({}));
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn string_to_json_parses_like_jackson() {
    give(
        "States.StringToJson($.s)",
        json!({"s": "{\"Arg1\": 1, \"Arg2\": []}"}),
        json!({"Arg1": 1, "Arg2": []}),
    );
    give("States.StringToJson($.s)", json!({"s": ""}), Value::Null);
    give("States.StringToJson($.s)", json!({"s": " "}), Value::Null);
    give("States.StringToJson($.s)", json!({"s": "-0"}), json!(0));
    give(
        "States.StringToJson($.s)",
        json!({"s": " {\"a\":1} "}),
        json!({"a": 1}),
    );
    give(
        "States.StringToJson($.s)",
        json!({"s": "{\"a\":\"it's\"}"}),
        json!({"a": "it's"}),
    );
    for bad in [
        json!("{bad json}"),
        json!("{\"a\":1"),
        json!("undefined"),
        json!(123),
        json!({"a": 1}),
        json!([1]),
        Value::Null,
    ] {
        invalid("States.StringToJson($.s)", json!({"s": bad}));
    }
    invalid("States.StringToJson()", json!({}));
    invalid("States.StringToJson($.a, $.b)", json!({"a": "1", "b": "2"}));
}

#[test]
fn json_to_string_writes_compact_json() {
    give(
        "States.JsonToString($.v)",
        json!({"v": {"Arg1": 1, "Arg2": []}}),
        json!("{\"Arg1\":1,\"Arg2\":[]}"),
    );
    give(
        "States.JsonToString($.v)",
        json!({"v": {"z": 1, "a": {"m": true, "b": null}}}),
        json!("{\"z\":1,\"a\":{\"m\":true,\"b\":null}}"),
    );
    give(
        "States.JsonToString($.v)",
        json!({"v": "HelloWorld"}),
        json!("\"HelloWorld\""),
    );
    give(
        "States.JsonToString($.v)",
        json!({"v": [1.0, 1e20, -0.5]}),
        json!("[1.0,1.0E20,-0.5]"),
    );
    give(
        "States.JsonToString($.v)",
        json!({"v": "q\"\\/\n\u{1}é"}),
        json!("\"q\\\"\\\\/\\n\\u0001é\""),
    );
    give("States.JsonToString('x')", json!({}), json!("\"x\""));
    give(
        "States.JsonToString(States.StringToJson($.s))",
        json!({"s": "{\"a\":1}"}),
        json!("{\"a\":1}"),
    );
    invalid("States.JsonToString()", json!({}));
}

#[test]
fn json_merge_is_shallow_only() {
    give(
        "States.JsonMerge($.a, $.b, false)",
        json!({"a": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "b": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}),
        json!({"a": {"a3": 1, "a4": 2}, "b": 2, "d": 4, "c": 3}),
    );
    // The first object's keys keep their places; new keys follow.
    let merged = eval(
        "States.JsonMerge($.a, $.b, false)",
        json!({"a": {"x": 1, "y": 2}, "b": {"z": 3, "x": 9}}),
    )
    .unwrap();
    assert_eq!(
        merged.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["x", "y", "z"]
    );
    // AWS merges shallowly whatever the flag is, unless it is true.
    give(
        "States.JsonMerge($.a, $.b, $.deep)",
        json!({"a": {}, "b": {"k": 1}, "deep": "false"}),
        json!({"k": 1}),
    );
    invalid(
        "States.JsonMerge($.a, $.b, true)",
        json!({"a": {}, "b": {}}),
    );
    invalid(
        "States.JsonMerge($.a, $.b, false)",
        json!({"a": null, "b": {}}),
    );
    invalid(
        "States.JsonMerge($.a, $.b, false)",
        json!({"a": {}, "b": []}),
    );
    invalid("States.JsonMerge($.a, $.b)", json!({"a": {}, "b": {}}));
}

// ---------------------------------------------------------------------------------------------
// Arrays

#[test]
fn array_collects_its_arguments() {
    give(
        "States.Array('Foo', 2020, $.someJson, null)",
        json!({"someJson": {"random": "abcdefg"}}),
        json!(["Foo", 2020, {"random": "abcdefg"}, null]),
    );
    give("States.Array()", json!({}), json!([]));
}

#[test]
fn array_partition_chunks_by_truncated_size() {
    give(
        "States.ArrayPartition($.a, 4)",
        json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]}),
        json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]]),
    );
    give("States.ArrayPartition($.a, 2)", json!({"a": []}), json!([]));
    give(
        "States.ArrayPartition($.a, 2.6)",
        json!({"a": [1, 2, 3, 4, 5]}),
        json!([[1, 2], [3, 4], [5]]),
    );
    give(
        "States.ArrayPartition($.a, 2147483647)",
        json!({"a": [1, 2, 3]}),
        json!([[1, 2, 3]]),
    );
    for size in ["0", "-1", "0.6", "-0.4", "'2'", "null"] {
        invalid(
            &format!("States.ArrayPartition($.a, {size})"),
            json!({"a": [1, 2, 3]}),
        );
    }
    invalid("States.ArrayPartition('not-array', 2)", json!({}));
}

#[test]
fn array_contains_uses_java_equality() {
    give(
        "States.ArrayContains($.a, $.v)",
        json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9], "v": 5}),
        json!(true),
    );
    give(
        "States.ArrayContains($.a, $.v)",
        json!({"a": [[1, 2, 3], 2], "v": [1, 2, 3]}),
        json!(true),
    );
    give(
        "States.ArrayContains($.a, $.v)",
        json!({"a": [{"b": 1, "a": 2}], "v": {"a": 2, "b": 1}}),
        json!(true),
    );
    give(
        "States.ArrayContains($.a, $.v)",
        json!({"a": [1], "v": 1.0}),
        json!(false),
    );
    give(
        "States.ArrayContains($.a, null)",
        json!({"a": []}),
        json!(false),
    );
    invalid("States.ArrayContains($.a, 1)", json!({"a": "1"}));
}

#[test]
fn array_range_counts_inclusively_by_truncated_steps() {
    give(
        "States.ArrayRange(1, 9, 2)",
        json!({}),
        json!([1, 3, 5, 7, 9]),
    );
    give(
        "States.ArrayRange(0, 10, 3)",
        json!({}),
        json!([0, 3, 6, 9]),
    );
    give("States.ArrayRange(5, 1, -2)", json!({}), json!([5, 3, 1]));
    give("States.ArrayRange(3, 3, -1)", json!({}), json!([3]));
    give("States.ArrayRange(5, 1, 1)", json!({}), json!([]));
    give("States.ArrayRange(1.6, 1.4, 1)", json!({}), json!([1]));
    give(
        "States.ArrayRange(5.4, -0.6, -2.4)",
        json!({}),
        json!([5, 3, 1]),
    );
    assert_eq!(
        eval("States.ArrayRange(1, 1000, 1)", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1000
    );
    assert_eq!(
        eval("States.ArrayRange(1000, 1, -1)", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1000
    );
    invalid("States.ArrayRange(1, 1001, 1)", json!({}));
    invalid("States.ArrayRange(-2147483648, 2147483647, 1)", json!({}));
    invalid("States.ArrayRange(1, 10, 0)", json!({}));
    invalid("States.ArrayRange(1, 10, 0.49)", json!({}));
    invalid("States.ArrayRange('a', 5, 1)", json!({}));
    invalid("States.ArrayRange(1, 3000000000, 1)", json!({}));
    invalid("States.ArrayRange(1, 5)", json!({}));
}

#[test]
fn array_get_item_reads_a_truncated_index() {
    give(
        "States.ArrayGetItem($.a, $.i)",
        json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9], "i": 5}),
        json!(6),
    );
    give(
        "States.ArrayGetItem($.a, 1.2)",
        json!({"a": [10, 20, 30]}),
        json!(20),
    );
    give(
        "States.ArrayGetItem(States.Array('x', 'y'), 1)",
        json!({}),
        json!("y"),
    );
    // Observed on AWS: any index into an empty array is null.
    give(
        "States.ArrayGetItem($.a, 999)",
        json!({"a": []}),
        Value::Null,
    );
    invalid("States.ArrayGetItem($.a, 3)", json!({"a": [10, 20, 30]}));
    invalid("States.ArrayGetItem($.a, -1)", json!({"a": [10, 20, 30]}));
    invalid("States.ArrayGetItem($.a, '1')", json!({"a": [10, 20, 30]}));
    invalid("States.ArrayGetItem('not-array', 0)", json!({}));
}

#[test]
fn array_length_counts_items() {
    give(
        "States.ArrayLength($.a)",
        json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]}),
        json!(9),
    );
    give("States.ArrayLength($.a)", json!({"a": []}), json!(0));
    invalid("States.ArrayLength($.a)", json!({"a": {"0": 1}}));
}

#[test]
fn array_unique_keeps_hash_set_order() {
    give(
        "States.ArrayUnique($.a)",
        json!({"a": [1, 2, 3, 3, 3, 3, 3, 3, 4]}),
        json!([1, 2, 3, 4]),
    );
    give(
        "States.ArrayUnique($.a)",
        json!({"a": ["a", "b", "a", "c", "b"]}),
        json!(["a", "b", "c"]),
    );
    // Observed on AWS: a HashSet's order, not first-seen order.
    give(
        "States.ArrayUnique($.a)",
        json!({"a": [true, false, true, false]}),
        json!([false, true]),
    );
    give(
        "States.ArrayUnique($.a)",
        json!({"a": [[1, 2], [1, 2], [2, 1]]}),
        json!([[2, 1], [1, 2]]),
    );
    give(
        "States.ArrayUnique($.a)",
        json!({"a": [null, null, 1, null]}),
        json!([null, 1]),
    );
    give(
        "States.ArrayUnique($.a)",
        json!({"a": [{"a": 1, "b": 2}, {"b": 2, "a": 1}]}),
        json!([{"a": 1, "b": 2}]),
    );
    invalid("States.ArrayUnique('not-array')", json!({}));
}

// ---------------------------------------------------------------------------------------------
// Encoding and hashing

#[test]
fn base64_encode_takes_utf8_strings() {
    give(
        "States.Base64Encode($.s)",
        json!({"s": "Data to encode"}),
        json!("RGF0YSB0byBlbmNvZGU="),
    );
    give("States.Base64Encode($.s)", json!({"s": ""}), json!(""));
    give("States.Base64Encode('🚀')", json!({}), json!("8J+agA=="));
    give(
        "States.Base64Encode($.s)",
        json!({"s": "a".repeat(10_000)}),
        json!("YWFh".repeat(3333) + "YQ=="),
    );
    invalid("States.Base64Encode($.s)", json!({"s": "a".repeat(10_001)}));
    invalid("States.Base64Encode($.s)", json!({"s": 123}));
    invalid("States.Base64Encode('a', 'b')", json!({}));
}

#[test]
fn base64_decode_is_lenient() {
    give(
        "States.Base64Decode($.s)",
        json!({"s": "RGF0YSB0byBlbmNvZGU="}),
        json!("Data to encode"),
    );
    give("States.Base64Decode($.s)", json!({"s": ""}), json!(""));
    give(
        "States.Base64Decode('44GT44KT44Gr44Gh44Gv')",
        json!({}),
        json!("こんにちは"),
    );
    give(
        "States.Base64Decode($.s)",
        json!({"s": " YWJjZA== "}),
        json!("abcd"),
    );
    give(
        "States.Base64Decode($.s)",
        json!({"s": "YWJjAGRlZg=="}),
        json!("abc\u{0}def"),
    );
    give("States.Base64Decode('ab==cd')", json!({}), json!("i"));
    // Bytes that are not UTF-8 become U+FFFD, as Java's decoder replaces them.
    give("States.Base64Decode('/w==')", json!({}), json!("\u{FFFD}"));
    invalid("States.Base64Decode($.s)", json!({"s": "A".repeat(10_001)}));
    invalid("States.Base64Decode($.s)", json!({"s": {}}));
    invalid("States.Base64Decode()", json!({}));
}

#[test]
fn hash_supports_five_algorithms() {
    let data = json!({"d": "input data"});
    give(
        "States.Hash($.d, 'MD5')",
        data.clone(),
        json!("812f45842bc6d66ee14572ce20db8e86"),
    );
    give(
        "States.Hash($.d, 'SHA-1')",
        data.clone(),
        json!("aaff4a450a104cd177d28d18d74485e8cae074b7"),
    );
    give(
        "States.Hash($.d, 'SHA-256')",
        data.clone(),
        json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
    );
    give("States.Hash($.d, 'SHA-384')", data.clone(), json!("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"));
    give("States.Hash($.d, 'SHA-512')", data, json!("6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"));
    give("States.Hash('hello', 'SHA-512')", json!({}), json!("9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"));
    give(
        "States.Hash('', 'SHA-256')",
        json!({}),
        json!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    );
    // Observed on AWS: data that is not a string is hashed as Java prints it.
    give(
        "States.Hash(123, 'MD5')",
        json!({}),
        json!("202cb962ac59075b964b07152d234b70"),
    );
    assert!(eval(
        "States.Hash($.s, 'SHA-256')",
        json!({"s": "a".repeat(10_000)})
    )
    .is_ok());
    invalid(
        "States.Hash($.s, 'SHA-256')",
        json!({"s": "a".repeat(10_001)}),
    );
    for algorithm in ["'sha-256'", "'SHA256'", "'MD-5'", "''", "123"] {
        invalid(&format!("States.Hash('data', {algorithm})"), json!({}));
    }
    invalid("States.Hash('hello')", json!({}));
}

// ---------------------------------------------------------------------------------------------
// Math

#[test]
fn math_add_rounds_operands_like_java() {
    give(
        "States.MathAdd($.v, $.s)",
        json!({"v": 111, "s": -1}),
        json!(110),
    );
    for (a, b, sum) in [
        (1.5, 1.51, 4),
        (-1.49, -1.5, -2),
        (0.5, 0.0, 1),
        (-0.5, 0.5, 1),
        (-0.5, 0.0, 0),
        (-2.5, 0.0, -2),
        (2.5, 0.0, 3),
    ] {
        give(
            "States.MathAdd($.a, $.b)",
            json!({"a": a, "b": b}),
            json!(sum),
        );
    }
    give(
        "States.MathAdd(2147483646, 1)",
        json!({}),
        json!(2147483647),
    );
    invalid("States.MathAdd(2147483647, 1)", json!({}));
    invalid("States.MathAdd(3000000000, -1)", json!({}));
    invalid("States.MathAdd('1', 2)", json!({}));
    invalid("States.MathAdd(true, 1)", json!({}));
    invalid("States.MathAdd(null, 1)", json!({}));
    invalid("States.MathAdd(1e999, 1)", json!({}));
    invalid("States.MathAdd(1)", json!({}));
    invalid("States.MathAdd(1, 2, 3)", json!({}));
}

#[test]
fn math_random_is_java_random_when_seeded() {
    // new java.util.Random(seed).nextInt(end - start) + start, printed by OpenJDK 17.
    give(
        "States.MathRandom($.s, $.e, $.seed)",
        json!({"s": 0, "e": 999, "seed": 3}),
        json!(239),
    );
    give("States.MathRandom(1, 100, 42)", json!({}), json!(63));
    give("States.MathRandom(1, 10, -10)", json!({}), json!(1));
    give(
        "States.MathRandom(2147483640, 2147483647, 1)",
        json!({}),
        json!(2147483644),
    );
    // Without a seed, the execution's generator: 0.25 of the way from 1 to 999.
    give("States.MathRandom(1, 999)", json!({}), json!(250));
    give("States.MathRandom(1.6, 5.4)", json!({}), json!(2));
    invalid("States.MathRandom(1, 1)", json!({}));
    invalid("States.MathRandom(10, 5)", json!({}));
    invalid("States.MathRandom(1.4, 1.6)", json!({}));
    invalid("States.MathRandom('a', 10)", json!({}));
    invalid("States.MathRandom(1, 10, 'seed')", json!({}));
    invalid("States.MathRandom(1, 10, null)", json!({}));
    invalid("States.MathRandom(-2000000000, 2000000000)", json!({}));
    invalid("States.MathRandom(1)", json!({}));
    invalid("States.MathRandom(1, 10, 5, 99)", json!({}));
}

// ---------------------------------------------------------------------------------------------
// Strings and identifiers

#[test]
fn string_split_tokenizes_on_each_delimiter_character() {
    give(
        "States.StringSplit($.s, $.d)",
        json!({"s": "1,2,3,4,5", "d": ","}),
        json!(["1", "2", "3", "4", "5"]),
    );
    give(
        "States.StringSplit($.s, $.d)",
        json!({"s": "This.is+a,test=string", "d": ".+,="}),
        json!(["This", "is", "a", "test", "string"]),
    );
    give(
        "States.StringSplit($.s, ',')",
        json!({"s": ",a,,b,"}),
        json!(["a", "b"]),
    );
    give("States.StringSplit($.s, ',')", json!({"s": ""}), json!([]));
    give(
        "States.StringSplit($.s, '')",
        json!({"s": "abc"}),
        json!(["abc"]),
    );
    invalid("States.StringSplit($.s, ',')", json!({"s": 123}));
    invalid(
        "States.StringSplit($.s, $.d)",
        json!({"s": "a,b", "d": [","]}),
    );
    invalid("States.StringSplit($.s)", json!({"s": "a"}));
}

#[test]
fn uuid_is_a_v4_uuid_from_the_execution_generator() {
    let uuid = eval("States.UUID()", json!({})).unwrap();
    let uuid = uuid.as_str().unwrap();
    let groups: Vec<&str> = uuid.split('-').collect();
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(uuid
        .chars()
        .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert!(groups[2].starts_with('4'));
    assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"));
    // The same draws give the same UUID; two calls in one run differ.
    assert_eq!(eval("States.UUID()", json!({})).unwrap(), json!(uuid));
    let pair = eval("States.Array(States.UUID(), States.UUID())", json!({})).unwrap();
    assert_ne!(pair[0], pair[1]);
    // Observed on AWS: arguments are ignored.
    assert!(eval("States.UUID('x', $.missing)", json!({})).is_ok());
}

// ---------------------------------------------------------------------------------------------
// AWS's recorded runs

/// The data, found as the conformance suite finds it: `$SFN_CONFORMANCE_DIR`, else
/// `<repo>/../shared/conformance` (where CI puts it).
fn conformance(file: &str) -> Vec<Value> {
    let candidates = [
        std::env::var("SFN_CONFORMANCE_DIR").ok(),
        Some(format!(
            "{}/../../../shared/conformance",
            env!("CARGO_MANIFEST_DIR")
        )),
    ];
    let path = candidates
        .into_iter()
        .flatten()
        .map(|dir| format!("{dir}/{file}"))
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or_else(|| panic!("{file}: the conformance data is not at ../shared/conformance (set SFN_CONFORMANCE_DIR)"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Applies a Pass state's Parameters: `key.$` fields from an intrinsic call or a path.
fn parameters(template: &Value, doc: &mut Doc) -> Result<Value, IntrinsicError> {
    let mut out = Map::new();
    for (key, value) in template.as_object().unwrap() {
        match (key.strip_suffix(".$"), value.as_str()) {
            (Some(name), Some(expr)) if expr.starts_with("States.") => {
                out.insert(name.to_string(), parse(expr).evaluate(doc)?);
            }
            (Some(name), Some(path)) => {
                out.insert(name.to_string(), doc.resolve(path).unwrap());
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(Value::Object(out))
}

#[test]
fn replays_aws_recorded_intrinsic_runs() {
    let mut checked = Vec::new();
    for case in conformance("localstack/intrinsic_functions.jsonl") {
        if case["uses_jsonata"] == json!(true) {
            continue;
        }
        let states = case["definition"]["States"].as_object().unwrap();
        let [(_, state)] = states.iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        assert_eq!(state["Type"], "Pass");
        let id = case["id"].as_str().unwrap();
        let input = case["input"].clone();
        let mut doc = Doc::new(input.clone());
        let result =
            parameters(&state["Parameters"], &mut doc).unwrap_or_else(|e| panic!("{id}: {e}"));
        // ResultPath `$.x` then OutputPath `$.x.y`: the one case that has them.
        let output = match (state.get("ResultPath"), state.get("OutputPath")) {
            (None, None) => result,
            (Some(Value::String(rp)), Some(Value::String(op))) => {
                let mut whole = input.clone();
                whole[rp.strip_prefix("$.").unwrap()] = result;
                doc.input = whole;
                doc.resolve(op).unwrap()
            }
            other => panic!("{id}: unexpected paths {other:?}"),
        };
        assert_eq!(case["expected"]["status"], "SUCCEEDED", "{id}");
        assert_eq!(
            output, case["expected"]["output"],
            "{id}: {}",
            state["Parameters"]
        );
        checked.push(id.to_string());
    }
    assert_eq!(
        checked.len(),
        93,
        "every JSONPath case is a single Pass state"
    );
}

#[test]
fn replays_aws_fail_state_with_intrinsic_paths() {
    let case = conformance("localstack/base.jsonl")
        .into_iter()
        .find(|c| c["id"] == "base/ce2d2ffde6")
        .unwrap();
    let state = &case["definition"]["States"]["FailState"];
    let mut doc = Doc::new(case["input"].clone());
    let error = parse(state["ErrorPath"].as_str().unwrap())
        .evaluate(&mut doc)
        .unwrap();
    let cause = parse(state["CausePath"].as_str().unwrap())
        .evaluate(&mut doc)
        .unwrap();
    assert_eq!(error, case["expected"]["error"]);
    assert_eq!(cause, case["expected"]["cause"]);
}

#[test]
fn aws_validation_messages_for_intrinsic_fields() {
    let mut seen = 0;
    for case in conformance("localstack-api/validation.jsonl") {
        let Some(parsed) = case["definition"]["States"]
            .as_object()
            .and_then(|states| states.values().next())
            .and_then(|state| state["Parameters"]["parsed.$"].as_str())
        else {
            continue;
        };
        assert!(Intrinsic::parse(parsed).is_err(), "{parsed}");
        assert_eq!(
            case["expected"]["parsed"]["detail"],
            invalid_field_message("parsed.$")
        );
        seen += 1;
    }
    assert_eq!(seen, 2);
}

#[test]
fn hostile_values_do_not_overflow_or_blow_up() {
    let deep = "[".repeat(1000) + &"]".repeat(1000);
    let input = json!({"s": deep});
    let nested = eval("States.StringToJson($.s)", input.clone()).unwrap();
    give(
        "States.JsonToString(States.StringToJson($.s))",
        input.clone(),
        json!(deep),
    );
    give(
        "States.ArrayLength(States.StringToJson($.s))",
        input.clone(),
        json!(1),
    );
    give(
        "States.ArrayContains(States.Array($.x), $.x)",
        json!({"x": nested}),
        json!(true),
    );
    invalid(
        "States.StringToJson($.s)",
        json!({"s": "[".repeat(1001) + &"]".repeat(1001)}),
    );
    let many: Vec<Value> = (0..20_000).map(|i| json!(i % 5000)).collect();
    assert_eq!(
        eval("States.ArrayUnique($.a)", json!({"a": many}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        5000
    );
    invalid("States.ArrayRange(0, 2000000000, 1)", json!({}));
    give(
        "States.StringSplit($.s, $.d)",
        json!({"s": "", "d": ""}),
        json!([]),
    );
    give("States.Format('')", json!({}), json!(""));
}
