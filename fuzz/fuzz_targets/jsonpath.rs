//! `path\0data` → the path compiled as a JSONPath (Jayway's, as AWS evaluates Parameters and
//! InputPath) and as a reference path (ResultPath), then evaluated on the data (JSON, or a
//! value generated from the bytes when they are not JSON), on a context object and on a
//! variable.
#![no_main]

use asl::path::ReferencePath;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map};
use sfn_playground_fuzz::{json_or_arbitrary, parts};

fuzz_target!(|data: &[u8]| {
    let parts = parts(data, 2);
    let path = &parts[0];
    let value = json_or_arbitrary(&parts[1]);
    if let Ok(compiled) = asl::jsonpath::JsonPath::parse(path) {
        let _ = compiled.evaluate(&value);
        let context =
            json!({"Execution": {"Input": value.clone(), "Name": "x"}, "State": {"Name": "s"}});
        let mut variables = Map::new();
        variables.insert("var".into(), value.clone());
        let _ = compiled.evaluate_in(&value, &context, &variables);
    }
    if let Ok(reference) = ReferencePath::parse(path) {
        let _ = reference.select(&value);
        let _ = reference.normalized();
        let mut target = value.clone();
        let _ = reference.insert(&mut target, json!({"result": 1}));
    }
});
