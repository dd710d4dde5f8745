//! The engine's hot paths: `cargo bench -p asl` (criterion; `cargo bench -p asl -- map` for one).
//!
//! Whole executions go through the public API only (`load`, `Execution`), so they keep
//! measuring the same thing whatever the engine's insides become; the JSONPath and intrinsic
//! benches call `asl::jsonpath` and `asl::intrinsics` directly.

use asl::intrinsics::{Intrinsic, IntrinsicEnv};
use asl::jsonpath::JsonPath;
use asl::{Execution, ExecutionConfig, NoTasks, StateMachine, Status};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Map, Value};
use std::sync::Arc;

fn machine(definition: &Value) -> Arc<StateMachine> {
    Arc::new(asl::load(&definition.to_string()).expect("the bench's definition is valid"))
}

fn run(machine: &Arc<StateMachine>, input: &Value) -> Execution {
    let mut run = Execution::new(machine.clone(), input.clone(), ExecutionConfig::default());
    run.run_to_end(&mut NoTasks);
    assert_eq!(run.status(), Status::Succeeded);
    run
}

/// 50 Pass states in a row, each with Parameters that call intrinsics and copy paths.
fn pass_chain(c: &mut Criterion) {
    let mut states = Map::new();
    for i in 0..50 {
        let mut state = json!({
            "Type": "Pass",
            "Parameters": {
                "n.$": "States.MathAdd($.n, 1)",
                "name.$": "$.name",
                "label.$": "States.Format('{} at step {}', $.name, $.n)",
                "json.$": "$.json",
                "parsed.$": "States.StringToJson($.json)"
            }
        });
        if i < 49 {
            state["Next"] = json!(format!("S{}", i + 1));
        } else {
            state["End"] = json!(true);
        }
        states.insert(format!("S{i}"), state);
    }
    let m = machine(&json!({"StartAt": "S0", "States": states}));
    let input = json!({"n": 0, "name": "bench", "json": "{\"a\":1,\"b\":[1,2,3]}"});
    let mut group = c.benchmark_group("execution");
    group.throughput(Throughput::Elements(50));
    group.bench_function("pass chain 50 states, Parameters + intrinsics", |b| {
        b.iter(|| run(&m, black_box(&input)))
    });
    group.finish();
}

/// An INLINE Map of 1,000 items whose ItemSelector reads `$$.Map.Item`, with a Pass processor.
fn inline_map(c: &mut Criterion) {
    let m = machine(&json!({
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "Parameters": {"i.$": "$.index"}, "End": true}}
                },
                "End": true
            }
        }
    }));
    let items: Vec<u32> = (0..1000).collect();
    let input = json!({ "items": items });
    let mut group = c.benchmark_group("execution");
    group.sample_size(20);
    group.throughput(Throughput::Elements(1000));
    group.bench_function("INLINE Map 1,000 items", |b| {
        b.iter(|| run(&m, black_box(&input)))
    });
    group.finish();
}

/// Loading (parse + validate) the call-center-sized definition above, 50 states.
fn load(c: &mut Criterion) {
    let mut states = Map::new();
    for i in 0..50 {
        let next = if i < 49 {
            json!({"Next": format!("S{}", i + 1)})
        } else {
            json!({"End": true})
        };
        let mut state = json!({"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}});
        state
            .as_object_mut()
            .unwrap()
            .extend(next.as_object().unwrap().clone());
        states.insert(format!("S{i}"), state);
    }
    let text = json!({"StartAt": "S0", "States": states}).to_string();
    c.bench_function("load 50-state definition", |b| {
        b.iter(|| asl::load(black_box(&text)).expect("valid"))
    });
}

fn jsonpath(c: &mut Criterion) {
    let doc = json!({
        "store": {
            "book": (0..20).map(|i| json!({"title": format!("t{i}"), "price": i, "tags": ["a", "b"]})).collect::<Vec<_>>(),
            "bicycle": {"color": "red", "price": 19.95}
        }
    });
    let definite = JsonPath::parse("$.store.book[7].title").unwrap();
    let wildcard = JsonPath::parse("$.store.book[*].price").unwrap();
    let filter = JsonPath::parse("$.store.book[?(@.price > 10)].title").unwrap();
    let mut group = c.benchmark_group("jsonpath");
    group.bench_function("parse $.store.book[7].title", |b| {
        b.iter(|| JsonPath::parse(black_box("$.store.book[7].title")).unwrap())
    });
    group.bench_function("evaluate definite $.store.book[7].title", |b| {
        b.iter(|| definite.evaluate(black_box(&doc)).unwrap())
    });
    group.bench_function("evaluate wildcard $.store.book[*].price", |b| {
        b.iter(|| wildcard.evaluate(black_box(&doc)).unwrap())
    });
    group.bench_function("evaluate filter [?(@.price > 10)]", |b| {
        b.iter(|| filter.evaluate(black_box(&doc)).unwrap())
    });
    group.finish();
}

/// Resolves intrinsic arguments as the engine does for `$.…` paths.
struct Env<'a>(&'a Value);

impl IntrinsicEnv for Env<'_> {
    fn resolve(&mut self, path: &str) -> Result<Value, String> {
        let path = JsonPath::parse(path).map_err(|e| format!("{e:?}"))?;
        path.evaluate(self.0).map_err(|e| e.to_string())
    }
    fn random(&mut self) -> f64 {
        0.5
    }
}

fn intrinsics(c: &mut Criterion) {
    let doc = json!({"n": 41, "name": "bench", "json": "{\"a\":1,\"b\":[1,2,3]}", "list": [1, 2, 3, 4, 5, 6]});
    let calls = [
        "States.Format('{} is {}', $.name, $.n)",
        "States.MathAdd($.n, 1)",
        "States.StringToJson($.json)",
        "States.ArrayPartition($.list, 2)",
    ];
    let mut group = c.benchmark_group("intrinsic");
    for call in calls {
        let parsed = Intrinsic::parse(call).unwrap();
        group.bench_function(format!("evaluate {call}"), |b| {
            b.iter(|| parsed.evaluate(&mut Env(black_box(&doc))).unwrap())
        });
    }
    group.bench_function("parse States.Format('{} is {}', $.name, $.n)", |b| {
        b.iter(|| Intrinsic::parse(black_box(calls[0])).unwrap())
    });
    group.finish();
}

criterion_group!(benches, pass_chain, inline_map, load, jsonpath, intrinsics);
criterion_main!(benches);
