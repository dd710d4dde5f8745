//! JSONPath as AWS Step Functions evaluates it (Jayway JsonPath 2.0.0, Jackson provider).
//! Expected values are Jayway's: from its README's Goessner examples, from reading the
//! 2.0.0 source where 2.0.0 differs, and from behaviour recorded on AWS.

use asl::jsonpath::{JsonPath, PathError};
use serde_json::{json, Value};

fn path(text: &str) -> JsonPath {
    JsonPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn eval(text: &str, doc: &Value) -> Value {
    path(text)
        .evaluate(doc)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn error(text: &str, doc: &Value) -> PathError {
    match path(text).evaluate(doc) {
        Ok(v) => panic!("{text} gave {v}"),
        Err(e) => e,
    }
}

fn cause(text: &str, doc: &Value) -> String {
    error(text, doc).cause()
}

fn rejected(text: &str) -> bool {
    JsonPath::parse(text).is_err()
}

fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10
    })
}

fn books(indices: &[usize]) -> Value {
    let all = store()["store"]["book"].clone();
    Value::Array(indices.iter().map(|&i| all[i].clone()).collect())
}

// ---- The Goessner / Jayway README examples ----

#[test]
fn readme_authors() {
    let doc = store();
    let authors = json!([
        "Nigel Rees",
        "Evelyn Waugh",
        "Herman Melville",
        "J. R. R. Tolkien"
    ]);
    assert_eq!(eval("$.store.book[*].author", &doc), authors);
    assert_eq!(eval("$..author", &doc), authors);
}

#[test]
fn readme_store_members_and_prices() {
    let doc = store();
    assert_eq!(
        eval("$.store.*", &doc),
        json!([doc["store"]["book"], doc["store"]["bicycle"]])
    );
    assert_eq!(
        eval("$.store..price", &doc),
        json!([8.95, 12.99, 8.99, 22.99, 19.95])
    );
}

#[test]
fn readme_book_indices_and_slices() {
    let doc = store();
    assert_eq!(eval("$..book[2]", &doc), books(&[2]));
    assert_eq!(eval("$..book[0,1]", &doc), books(&[0, 1]));
    assert_eq!(eval("$..book[:2]", &doc), books(&[0, 1]));
    assert_eq!(eval("$..book[1:2]", &doc), books(&[1]));
    assert_eq!(eval("$..book[-2:]", &doc), books(&[2, 3]));
    assert_eq!(eval("$..book[2:]", &doc), books(&[2, 3]));
    assert_eq!(eval("$..book[(@.length-1)]", &doc), books(&[3]));
    assert_eq!(
        eval("$.store.book[(@.length-1)].title", &doc),
        json!("The Lord of the Rings")
    );
}

#[test]
fn readme_filters() {
    let doc = store();
    assert_eq!(eval("$..book[?(@.isbn)]", &doc), books(&[2, 3]));
    assert_eq!(eval("$.store.book[?(@.price < 10)]", &doc), books(&[0, 2]));
    assert_eq!(
        eval("$..book[?(@.price <= $['expensive'])]", &doc),
        books(&[0, 2])
    );
    assert_eq!(eval("$..book[?(@.author =~ /.*REES/i)]", &doc), books(&[0]));
    assert_eq!(
        eval("$.store.book[?(@.price < 10)].title", &doc),
        json!(["Sayings of the Century", "Moby Dick"])
    );
}

#[test]
fn readme_everything() {
    let doc = json!({"a": {"b": [1, {"c": 2}]}, "d": 3});
    // Pre-order: each object's or array's members right after it.
    assert_eq!(
        eval("$..*", &doc),
        json!([{"b": [1, {"c": 2}]}, 3, [1, {"c": 2}], 1, {"c": 2}, 2])
    );
}

// ---- Names ----

#[test]
fn names_in_dots_and_brackets() {
    let doc = json!({"a b": {"ü": 1}, "x": {"y.z": 2}, "k": [{"v": 3}]});
    assert_eq!(eval("$['a b']['ü']", &doc), json!(1));
    assert_eq!(eval("$['a b'].ü", &doc), json!(1));
    assert_eq!(eval("$.x['y.z']", &doc), json!(2));
    assert_eq!(eval("$.['x'].['y.z']", &doc), json!(2));
    assert_eq!(eval("$.k[0].v", &doc), json!(3));
    assert_eq!(eval("$", &doc), doc);
}

#[test]
fn several_names_make_an_object_of_those_present() {
    let doc = json!({"a": 1, "b": null, "c": 3});
    assert_eq!(eval("$['a','b','zz']", &doc), json!({"a": 1, "b": null}));
    assert_eq!(eval("$['c', 'a']", &doc), json!({"c": 3, "a": 1}));
    assert!(path("$['a','b']").is_definite());
    let e = error("$['a','b'].c", &json!({"a": {}}));
    assert_eq!(
        e.message(),
        "Multi properties can only be used as path leafs: $['a', 'b']"
    );
}

#[test]
fn only_single_quotes_name_properties() {
    assert!(rejected("$[\"a\"]"));
    assert!(rejected("$[a]"));
    // Jayway 2.0.0 has no escapes in names: the first quote closes it.
    assert!(path("$['it\\'s']").is_definite());
}

#[test]
fn spaces_are_errors_outside_brackets() {
    assert!(rejected("$.a b"));
    assert!(rejected("$. a"));
    assert!(!rejected("$['a b']"));
    // Trailing spaces are trimmed, as Jayway trims.
    assert_eq!(eval("$.a  ", &json!({"a": 1})), json!(1));
}

// ---- Indices ----

#[test]
fn indices_out_of_range_read_null() {
    let doc = json!({"a": [1, 2, 3]});
    assert_eq!(eval("$.a[1]", &doc), json!(2));
    assert_eq!(eval("$.a[20]", &doc), Value::Null);
    // Negative indices do not count from the end in Jayway 2.0.0: Jackson reads null.
    assert_eq!(eval("$.a[-1]", &doc), Value::Null);
    assert_eq!(eval("$.a[0,5,1]", &doc), json!([1, null, 2]));
}

#[test]
fn aws_fails_on_a_property_after_a_negative_index() {
    // Recorded on AWS: "The JSONPath '$.array[-1].name' specified for the field 'hoge.$'
    // could not be found in the input", while $.array[(@.length-1)] works.
    let doc = json!({"array": [{"name": "hoge"}]});
    let e = error("$.array[-1].name", &doc);
    assert!(matches!(e, PathError::NotFound { .. }), "{e:?}");
    assert_eq!(
        e.message(),
        "Property ['name'] not found in path $['array'][-1]"
    );
    assert_eq!(eval("$.array[(@.length-1)].name", &doc), json!("hoge"));
    assert_eq!(
        eval("$.array[(@.size() - 1)]", &doc),
        json!({"name": "hoge"})
    );
}

#[test]
fn slices_clamp_and_ignore_a_step() {
    let doc = json!([0, 1, 2, 3, 4]);
    assert_eq!(eval("$[1:3]", &doc), json!([1, 2]));
    assert_eq!(eval("$[3:100]", &doc), json!([3, 4]));
    assert_eq!(eval("$[:-2]", &doc), json!([0, 1, 2]));
    assert_eq!(eval("$[-2:]", &doc), json!([3, 4]));
    assert_eq!(eval("$[-10:]", &doc), json!([0, 1, 2, 3, 4]));
    assert_eq!(eval("$[:100]", &doc), json!([0, 1, 2, 3, 4]));
    assert_eq!(eval("$[3:1]", &doc), json!([]));
    // A third number is read and ignored: Jayway has no step.
    assert_eq!(eval("$[0:4:2]", &doc), json!([0, 1, 2, 3]));
    // [a:b] does not count a negative a from the end: those indices read null.
    assert_eq!(eval("$[-2:2]", &doc), json!([null, null, 0, 1]));
    assert_eq!(eval("$[1:-1]", &doc), json!([]));
    assert_eq!(eval("$[2:]", &json!([])), json!([]));
}

// ---- Wildcards and deep scan ----

#[test]
fn wildcards_take_values_in_key_order() {
    let doc = json!({"z": 1, "a": {"q": 2}, "m": [3]});
    assert_eq!(eval("$.*", &doc), json!([1, {"q": 2}, [3]]));
    assert_eq!(eval("$[*]", &doc), json!([1, {"q": 2}, [3]]));
    assert_eq!(eval("$.m[*]", &doc), json!([3]));
    assert_eq!(eval("$.z.*", &doc), json!([]));
    // Elements lacking the property are skipped under an array wildcard...
    assert_eq!(
        eval("$[*].a", &json!([{"a": 1}, {"b": 2}, 3, {"a": 4}])),
        json!([1, 4])
    );
}

#[test]
fn an_object_wildcard_does_not_forgive_a_non_object() {
    // ...but not under an object wildcard: Jayway 2.0.0 lets the error out.
    let e = error("$.*.name", &json!({"a": {"name": 1}, "b": 2}));
    assert_eq!(e.message(), "Property ['name'] not found in path $['b']");
}

#[test]
fn deep_scan_is_pre_order() {
    let doc =
        json!({"id": 1, "kids": [{"id": 2, "kids": [{"id": 3}]}, {"id": 4}], "last": {"id": 5}});
    assert_eq!(eval("$..id", &doc), json!([1, 2, 3, 4, 5]));
    assert_eq!(eval("$..kids[0].id", &doc), json!([2, 3]));
    assert_eq!(
        eval("$..[0]", &doc),
        json!([{"id": 2, "kids": [{"id": 3}]}, {"id": 3}])
    );
    assert_eq!(eval("$..nothing", &doc), json!([]));
}

#[test]
fn deep_scan_with_a_filter() {
    let doc = store();
    assert_eq!(eval("$..[?(@.price < 10)]", &doc), books(&[0, 2]));
    assert_eq!(
        eval("$..[?(@.color)]", &doc),
        json!([{"color": "red", "price": 19.95}])
    );
}

// ---- Filters ----

fn users() -> Value {
    json!({"users": [
        {"name": "ann", "age": 31, "admin": true, "tags": ["a"], "nick": null},
        {"name": "bob", "age": 17, "admin": false},
        {"name": "cy", "age": "40", "nick": "null"},
        {"name": "dee"}
    ]})
}

fn names(filter: &str) -> Value {
    eval(&format!("$.users[?({filter})].name"), &users())
}

#[test]
fn conformance_filter_on_a_number() {
    // base/5acd1a41ef, recorded on AWS.
    let input = json!({"users": [{"status": 0, "year": 1997}, {"status": 1, "year": 1998}]});
    assert_eq!(
        eval("$.users[?(@.status == 0)]", &input),
        json!([{"status": 0, "year": 1997}])
    );
}

#[test]
fn filter_comparisons() {
    // cy's age is the string "40": the literal 18 is text too, and "40" > "18".
    assert_eq!(names("@.age > 18"), json!(["ann", "cy"]));
    assert_eq!(names("@.age >= 17"), json!(["ann", "bob", "cy"]));
    assert_eq!(names("@.age < 31"), json!(["bob"]));
    assert_eq!(names("@.age <= 31"), json!(["ann", "bob"]));
    assert_eq!(names("@.name == 'bob'"), json!(["bob"]));
    assert_eq!(names("@.name != 'bob'"), json!(["ann", "cy", "dee"]));
    assert_eq!(names("@.admin == true"), json!(["ann"]));
    assert_eq!(names("@.admin == false"), json!(["bob"]));
    assert_eq!(names("@.name > 'b'"), json!(["bob", "cy", "dee"]));
}

#[test]
fn filter_literals_are_text() {
    // A quoted number equals a number, and a string holding a number compares as one.
    assert_eq!(names("@.age == '31'"), json!(["ann"]));
    // The literal 40 is the text "40", so it equals cy's string "40".
    assert_eq!(names("@.age == 40"), json!(["cy"]));
    assert_eq!(names("@.age == '40'"), json!(["cy"]));
    // null matches JSON null and the string "null" alike; a missing property never.
    assert_eq!(names("@.nick == null"), json!(["ann", "cy"]));
    // Double quotes are part of the text.
    assert_eq!(names("@.name == \"bob\""), json!([]));
}

#[test]
fn filter_missing_properties_are_false_even_for_not_equal() {
    assert_eq!(names("@.age != 17"), json!(["ann", "cy"]));
    assert_eq!(names("@.missing != 'x'"), json!([]));
}

#[test]
fn filter_number_against_text_is_an_error() {
    // Jayway parses the text as a BigDecimal and lets the NumberFormatException out.
    let e = error("$.users[?(@.age == 'old')]", &users());
    assert!(matches!(e, PathError::Failed { .. }), "{e:?}");
    // Other mismatched types are simply false.
    assert_eq!(names("@.tags == 'a'"), json!([]));
}

#[test]
fn filter_existence() {
    assert_eq!(names("@.age"), json!(["ann", "bob", "cy"]));
    // Exists means present and not null.
    assert_eq!(names("@.nick"), json!(["cy"]));
    assert_eq!(names("!@.nick"), json!(["ann", "bob", "dee"]));
    assert_eq!(names("@.tags[0]"), json!(["ann"]));
}

#[test]
fn filter_logic() {
    assert_eq!(names("@.age > 18 && @.admin == true"), json!(["ann"]));
    assert_eq!(
        names("@.name == 'dee' || @.age < 18"),
        json!(["bob", "dee"])
    );
    // && binds tighter than ||.
    assert_eq!(
        names("@.name == 'dee' || @.age > 18 && @.admin == true"),
        json!(["ann", "dee"])
    );
    // Inner parentheses do not group in Jayway 2.0.0: this is a || (b && c).
    assert_eq!(
        names("(@.name == 'cy' || @.name == 'bob') && @.admin == false"),
        json!(["bob", "cy"])
    );
}

#[test]
fn filter_paths_on_the_right() {
    let doc = json!({"limit": 18, "users": [{"n": "a", "age": 17, "min": 20}, {"n": "b", "age": 30, "min": 20}]});
    assert_eq!(eval("$.users[?(@.age > $.limit)].n", &doc), json!(["b"]));
    assert_eq!(eval("$.users[?(@.age < @.min)].n", &doc), json!(["a"]));
    assert_eq!(eval("$.users[?($.limit < @.age)].n", &doc), json!(["b"]));
}

#[test]
fn filter_regex() {
    assert_eq!(names("@.name =~ /b.*/"), json!(["bob"]));
    assert_eq!(names("@.name =~ /B.B/i"), json!(["bob"]));
    assert_eq!(
        names("@.name =~ /o/"),
        json!([]),
        "matches() is a whole match"
    );
    assert_eq!(
        names("@.age =~ /1\\d/"),
        json!(["bob"]),
        "numbers match as text"
    );
}

#[test]
fn filter_on_an_object_tests_the_object() {
    let doc = json!({"a": {"x": 1}, "b": {"x": 2}});
    assert_eq!(eval("$.a[?(@.x == 1)]", &doc), json!([{"x": 1}]));
    assert_eq!(eval("$.b[?(@.x == 1)]", &doc), json!([]));
    // On an array of scalars, @ is each element.
    assert_eq!(
        eval("$.l[?(@ == 'b')]", &json!({"l": ["a", "b"]})),
        json!(["b"])
    );
}

#[test]
fn filters_aws_does_not_know() {
    for text in [
        "$.a[?(@.x in ['a'])]",
        "$.a[?(@.x size 2)]",
        "$.a[?(@.x empty true)]",
        "$.a[?(true)]",
        "$.a[?]",
        "$.a[?(@.x == 1]",
        "$.a[?(@.b[*] == 1)]",
        "$.a[?(@.x == !@.y)]",
    ] {
        assert!(rejected(text), "{text}");
    }
}

// ---- Definiteness ----

#[test]
fn definite_paths() {
    for text in [
        "$",
        "$.a",
        "$['a'][0].b",
        "$.a[-1]",
        "$.a[(@.length-1)]",
        "$['a','b']",
        "$$.Execution.Id",
    ] {
        assert!(path(text).is_definite(), "{text}");
    }
    for text in [
        "$.*",
        "$[*]",
        "$..a",
        "$.a[0,1]",
        "$.a[1:]",
        "$.a[:1]",
        "$.a[?(@.b)]",
    ] {
        assert!(!path(text).is_definite(), "{text}");
    }
}

#[test]
fn reference_paths() {
    for text in ["$", "$.a.b", "$['a b'][0]", "$$.Execution.Input"] {
        assert!(path(text).is_reference_path(), "{text}");
    }
    for text in [
        "$.a[-1]",
        "$['a','b']",
        "$.a[(@.length-1)]",
        "$..a",
        "$.a[*]",
    ] {
        assert!(!path(text).is_reference_path(), "{text}");
    }
}

#[test]
fn indefinite_paths_give_arrays_even_when_empty() {
    let doc = json!({"a": [{"b": 1}]});
    assert_eq!(eval("$.a[*].b", &doc), json!([1]));
    assert_eq!(eval("$.a[*].c", &doc), json!([]));
    assert_eq!(eval("$..c", &doc), json!([]));
    assert_eq!(eval("$.zz[*]", &json!({"zz": 5})), json!([]));
}

#[test]
fn context_paths() {
    let context = json!({"Execution": {"Id": "arn:x", "Input": {"k": [1, 2]}}});
    let p = path("$$.Execution.Input.k[1]");
    assert!(p.is_context());
    assert!(!path("$.Execution").is_context());
    assert_eq!(p.evaluate(&context), Ok(json!(2)));
    assert_eq!(p.normalized(), "$['Execution']['Input']['k'][1]");
    assert_eq!(
        cause("$$.Execution.Nope", &context),
        "Invalid path '$$.Execution.Nope' : No results for path: $['Execution']['Nope']"
    );
}

// ---- Errors, in Jayway's (and AWS's) words ----

#[test]
fn conformance_no_such_output_path() {
    // scenarios/52a806c909, recorded on AWS: OutputPath "$.NoSuchOutputPath" on {"int-literal": 0}.
    assert_eq!(
        cause("$.NoSuchOutputPath", &json!({"int-literal": 0})),
        "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"
    );
}

#[test]
fn error_messages() {
    let doc = json!({"a": {"b": "text", "n": null, "l": [1, null]}});
    let msg = |text: &str| error(text, &doc).message().to_string();
    assert_eq!(msg("$.a.x"), "No results for path: $['a']['x']");
    assert_eq!(msg("$.x.y"), "Missing property in path $['x']");
    assert_eq!(
        msg("$.a.b.c"),
        "Property ['c'] not found in path $['a']['b']"
    );
    assert_eq!(
        msg("$.a.n.c"),
        "Property ['c'] not found in path $['a']['n']"
    );
    assert_eq!(msg("$.a.n[0]"), "The path $['a']['n'] is null");
    assert_eq!(msg("$.a.l[5][0]"), "The path $['a']['l'][5] is null");
    assert_eq!(
        msg("$.a.b[0]"),
        "Filter: [0] can only be applied to arrays. Current context is: text"
    );
    assert_eq!(
        msg("$.a.l[1][0].x"),
        "Filter: [0]['x'] can only be applied to arrays. Current context is: null"
    );
    assert_eq!(
        msg("$.a[0]"),
        r#"Filter: [0] can only be applied to arrays. Current context is: {"b":"text","n":null,"l":[1,null]}"#
    );
    assert_eq!(
        msg("$.a.b[?(@.x)]"),
        "Filter: [?] can not be applied to primitives. Current context is: text"
    );
    assert!(matches!(error("$.a.x", &doc), PathError::NotFound { .. }));
    assert!(matches!(error("$.a.b[0]", &doc), PathError::Failed { .. }));
    assert_eq!(
        cause("$.a.b.c", &doc),
        "Invalid path '$.a.b.c' : Property ['c'] not found in path $['a']['b']"
    );
}

#[test]
fn a_missing_branch_of_an_indefinite_path_is_not_an_error() {
    assert_eq!(eval("$.x.y[*]", &json!({})), json!([]));
    assert_eq!(eval("$.x[*].y", &json!({})), json!([]));
}

#[test]
fn parse_errors_have_positions() {
    let e = JsonPath::parse("$.a b").unwrap_err();
    assert_eq!(e.position, 3);
    let e = JsonPath::parse("a.b").unwrap_err();
    assert_eq!(e.position, 0);
    assert!(path("$$").is_context());
    for text in [
        "",
        "$.",
        "$..",
        "$.a.",
        "$[",
        "$['a'",
        "$[0",
        "$[?(@.a == 1)",
        "@.a",
        "$[]",
        "$[:]",
    ] {
        assert!(rejected(text), "{text:?}");
    }
}

// ---- Every path in definitions AWS accepted parses ----

fn conformance_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance");
    dir.is_dir().then_some(dir)
}

fn collect_paths(value: &Value, out: &mut Vec<String>) {
    const PATH_FIELDS: [&str; 5] = [
        "InputPath",
        "OutputPath",
        "ItemsPath",
        "ResultPath",
        "Variable",
    ];
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if let Value::String(s) = v {
                    let is_path_field = key.ends_with(".$") || PATH_FIELDS.contains(&key.as_str());
                    if is_path_field && s.starts_with('$') {
                        out.push(s.clone());
                    }
                }
                collect_paths(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_paths(v, out)),
        _ => {}
    }
}

#[test]
fn every_path_aws_accepted_parses() {
    let Some(dir) = conformance_dir() else {
        eprintln!("shared/conformance not found: skipped");
        return;
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir.join("localstack")).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e == "jsonl") {
            for line in std::fs::read_to_string(&file).unwrap().lines() {
                let case: Value = serde_json::from_str(line).unwrap();
                collect_paths(&case["definition"], &mut paths);
            }
        }
    }
    assert!(paths.len() > 100, "{}", paths.len());
    // `$name…` is a variable reference (Assign), which the engine resolves, not Jayway.
    let is_variable = |t: &str| t[1..].starts_with(|c: char| c.is_alphabetic() || c == '_');
    for text in paths.iter().filter(|t| !is_variable(t)) {
        assert!(
            JsonPath::parse(text).is_ok(),
            "{text}: {:?}",
            JsonPath::parse(text)
        );
    }
}

// ---- Hostile input ----

#[test]
fn hostile_paths_fail_cleanly() {
    let deep = format!("${}", "[0]".repeat(10_000));
    assert!(rejected(&deep));
    let long_name = format!("$.{}", "x".repeat(100_000));
    let doc = json!({});
    assert!(path(&long_name).evaluate(&doc).is_err());
    for text in [
        "$[",
        "$]",
        "$[[[[[[",
        "$]]]]",
        "$[?(",
        "$[?(((((((",
        "$[?(@.a == ']')]",
        "$['",
        "$[''']",
        "$[(@.length",
        "$[(@.foo-1)]",
        "$[99999999999]",
        "$[1:2:3:4:5]",
        "$[?(@.a =~ /(/)]",
        "$..[?(@..a)]",
        "$.a[?(@.b[?(@.c[?(@.d)])])]",
    ] {
        let _ = JsonPath::parse(text).map(|p| p.evaluate(&doc));
    }
    let nested_filters = format!("$.a{}", "[?(@.b".repeat(500) + &")]".repeat(500));
    let _ = JsonPath::parse(&nested_filters).map(|p| p.evaluate(&doc));
}

#[test]
fn huge_slices_are_bounded() {
    let e = error("$[-2147483648:5]", &json!([1]));
    assert!(matches!(e, PathError::Failed { .. }), "{e:?}");
}

/// Builds `[[[…]]]` `depth` deep without recursion, and takes it apart the same way (a
/// recursive drop of such a value would itself overflow the stack).
fn deep_array(depth: usize) -> Value {
    let mut v = json!("bottom");
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

fn drop_deep(mut v: Value) {
    while let Value::Array(mut items) = v {
        v = items.pop().unwrap_or(Value::Null);
    }
}

#[test]
fn deep_documents_do_not_overflow_the_stack() {
    // On a small stack the scan must stop with an error, not crash.
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(|| {
            let doc = deep_array(100_000);
            let e = error("$..x", &doc);
            assert!(e.message().contains("nested"), "{e:?}");
            assert!(error("$..*", &doc).message().contains("nested"));
            let msg = error("$[0][0][0].x", &doc).message().len();
            assert!(msg < 1_000, "the message abbreviates deep values: {msg}");
            drop_deep(doc);

            let shallow = deep_array(300);
            assert_eq!(eval("$..bottom", &shallow), json!([]));
            assert_eq!(eval("$..[?(@.x)]", &shallow), json!([]));
            let path = format!("${}", "[0]".repeat(250));
            let found = eval(&path, &shallow);
            assert_eq!(found, deep_array(50));
            drop_deep(found);
            drop_deep(shallow);
        })
        .unwrap()
        .join()
        .unwrap();
}

/// A browser's main-thread stack is about 1 MiB; release builds (as shipped) need under a
/// quarter of this here, unoptimized test builds about 1.5 MiB.
const STACK: usize = if cfg!(debug_assertions) {
    2 << 20
} else {
    512 << 10
};

#[test]
fn random_paths_never_panic() {
    // A fixed pseudo-random walk over the characters and pieces paths are made of
    // (JSONPATH_FUZZ=<count> runs more).
    const ALPHABET: &[u8] = b"$$@@..[[]]]''\"**??(())::,,--!!==<<>>&&||~~//ii01239ab xy\\";
    const PIECES: &[&str] = &[
        ".a",
        ".b",
        ".c",
        "['a']",
        "['a','b']",
        "[0]",
        "[1]",
        "[-1]",
        "[*]",
        ".*",
        "..",
        "[1:]",
        "[:2]",
        "[0,1]",
        "[(@.length-1)]",
        "[?(@.b)]",
        "[?(@.b == 'x')]",
        "[?(@ > 1 || @.c)]",
        "[?(@.b =~ /x/i)]",
        "[?(@.a[0] == $.x)]",
        "[?(!@.c)]",
    ];
    let doc = json!({"a": [1, {"b": "x", "c": [null, 2.5]}], "b": {"a": true}, "x": null});
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut parsed = 0;
    for _ in 0..std::env::var("JSONPATH_FUZZ")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30_000)
    {
        let len = 1 + (next() % 12) as usize;
        let mut text = String::from("$");
        for _ in 0..len {
            if next() % 2 == 0 {
                text.push(ALPHABET[(next() % ALPHABET.len() as u64) as usize] as char);
            } else {
                text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
        }
        if let Ok(p) = JsonPath::parse(&text) {
            parsed += 1;
            let _ = p.evaluate(&doc);
        }
    }
    assert!(parsed > 100, "{parsed}");
}

#[test]
fn more_readme_quirks() {
    let doc = store();
    // [-2] is Jackson's get(-2): null, not the second to last book.
    assert_eq!(eval("$..book[-2]", &doc), json!([null]));
    // No functions in Jayway 2.0.0: length() is a property name.
    assert_eq!(
        error("$.store.book.length()", &doc).message(),
        "Property ['length()'] not found in path $['store']['book']"
    );
    // && and || split the filter even inside quotes.
    assert!(rejected("$[?(@.a == 'x&&y')]"));
}
