//! Runs the jsonata-js test suite (../shared/conformance/jsonata, next to the repository):
//! every case of every group, with pass counts per group. The number of passing cases may never
//! fall below `tests/suite-baseline.txt`; `tests/suite-skip.txt` lists cases not run, each with
//! its reason. `JSONATA_SUITE_VERBOSE=1` prints every failure's detail; `JSONATA_SUITE_FILTER=x`
//! runs only the cases whose name contains x.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jsonata::{Bindings, Expression, Limits};
use serde_json::Value;

fn suite_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // crates/jsonata -> repository -> its parent, where shared/ lives
    manifest.join("../../../shared/conformance/jsonata")
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).map(|w| json_eq(v, w)).unwrap_or(false))
        }
        _ => a == b,
    }
}

enum Outcome {
    Pass,
    Fail(String),
}

fn run_case(case: &Value, datasets: &Path, group: &Path) -> Outcome {
    let expr_text = match (case.get("expr").and_then(Value::as_str), case.get("expr-file").and_then(Value::as_str)) {
        (Some(e), _) => e.to_string(),
        (None, Some(f)) => std::fs::read_to_string(group.join(f)).expect("expr-file"),
        _ => return Outcome::Fail("no expr".into()),
    };
    let expr = expr_text.as_str();
    if let Some(e) = case.get("unreadable") {
        return Outcome::Fail(format!("case file is not valid JSON for Rust: {}", e));
    }
    let input: Option<Value> = if let Some(d) = case.get("data") {
        Some(d.clone())
    } else {
        match case.get("dataset") {
            Some(Value::String(name)) => {
                let text = std::fs::read_to_string(datasets.join(format!("{}.json", name))).expect("dataset");
                Some(serde_json::from_str(&text).expect("dataset json"))
            }
            _ => None,
        }
    };
    let mut bindings = Bindings::new().now_millis(1_700_000_000_000.0).random_seed(42);
    if let Some(Value::Object(b)) = case.get("bindings") {
        for (k, v) in b {
            bindings.set_var(k, v.clone());
        }
    }
    let mut limits = Limits::default();
    if let Some(d) = case.get("depth").and_then(Value::as_u64) {
        limits.max_depth = d as usize;
    }
    bindings = bindings.limits(limits);
    let result = Expression::compile(expr).and_then(|e| e.evaluate(input.as_ref(), &bindings));
    if let Some(code) = case.get("code").and_then(Value::as_str) {
        return match result {
            Err(e) if e.code == code => match case.get("token").and_then(Value::as_str) {
                Some(t) if Some(t) != e.token.as_deref() => Outcome::Fail(format!("expected token {}, got {:?}", t, e.token)),
                _ => Outcome::Pass,
            },
            Err(e) => Outcome::Fail(format!("expected error {}, got error {}", code, e)),
            Ok(v) => Outcome::Fail(format!("expected error {}, got {:?}", code, v.map(|v| v.to_string()))),
        };
    }
    if let Some(Value::Object(expected)) = case.get("error") {
        return match result {
            Err(e) => {
                let mut bad = vec![];
                for (k, v) in expected {
                    let ok = match k.as_str() {
                        "code" => v.as_str() == Some(e.code.as_str()),
                        "token" => v.as_str() == e.token.as_deref(),
                        "message" => v.as_str() == Some(e.message.as_str()),
                        "position" => v.as_u64() == e.position.map(|p| p as u64),
                        _ => true,
                    };
                    if !ok {
                        bad.push(format!("{} {} (got {:?})", k, v, e));
                    }
                }
                if bad.is_empty() {
                    Outcome::Pass
                } else {
                    Outcome::Fail(format!("error differs: {}", bad.join(", ")))
                }
            }
            Ok(v) => Outcome::Fail(format!("expected error {}, got {:?}", serde_json::Value::Object(expected.clone()), v.map(|v| v.to_string()))),
        };
    }
    if case.get("undefinedResult").and_then(Value::as_bool) == Some(true) {
        return match result {
            Ok(None) => Outcome::Pass,
            Ok(Some(v)) => Outcome::Fail(format!("expected undefined, got {}", v)),
            Err(e) => Outcome::Fail(format!("expected undefined, got error {}", e)),
        };
    }
    if let Some(expected) = case.get("result") {
        return match result {
            Ok(Some(v)) if json_eq(&v, expected) => Outcome::Pass,
            Ok(v) => Outcome::Fail(format!("expected {}, got {:?}", expected, v.map(|v| v.to_string()))),
            Err(e) => Outcome::Fail(format!("expected {}, got error {}", expected, e)),
        };
    }
    if let Some(e) = case.get("unreadable") {
        return Outcome::Fail(format!("case file is not valid JSON for Rust: {}", e));
    }
    Outcome::Fail("case has no expectation".into())
}

#[test]
fn jsonata_suite() {
    // debug builds use far more stack per evaluation level than release/wasm builds;
    // tests/limits.rs checks the default limits against a small stack
    let t = std::thread::Builder::new().stack_size(256 << 20).spawn(run_suite).unwrap();
    if let Err(e) = t.join() {
        std::panic::resume_unwind(e);
    }
}

fn run_suite() {
    let dir = suite_dir();
    if !dir.exists() {
        panic!("the JSONata suite is not at {} (it comes with ../shared/conformance)", dir.display());
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let baseline: usize = std::fs::read_to_string(here.join("suite-baseline.txt"))
        .ok()
        .and_then(|s| s.lines().find(|l| !l.starts_with('#') && !l.trim().is_empty()).and_then(|l| l.trim().parse().ok()))
        .unwrap_or(0);
    let skips: BTreeMap<String, String> = std::fs::read_to_string(here.join("suite-skip.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (name.to_string(), reason.trim().to_string())
        })
        .collect();
    for (name, reason) in &skips {
        assert!(!reason.is_empty(), "skip entry {} has no reason", name);
    }
    let filter = std::env::var("JSONATA_SUITE_FILTER").ok();
    let verbose = std::env::var("JSONATA_SUITE_VERBOSE").is_ok();
    let datasets = dir.join("datasets");
    let mut groups: Vec<PathBuf> = std::fs::read_dir(dir.join("groups")).unwrap().map(|e| e.unwrap().path()).collect();
    groups.sort();
    let (mut total, mut passed, mut skipped) = (0usize, 0usize, 0usize);
    let mut failures = vec![];
    let mut lines = vec![];
    for g in &groups {
        let gname = g.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<PathBuf> = std::fs::read_dir(g)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().map(|e| e == "json").unwrap_or(false))
            .collect();
        files.sort();
        let (mut gt, mut gp, mut gs) = (0, 0, 0);
        for f in files {
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            // a few files hold lone UTF-16 surrogates, which no Rust string can: they count as
            // one failing case each unless skipped
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap())
                .unwrap_or_else(|e| serde_json::json!({"expr": "", "unreadable": e.to_string()}));
            let cases: Vec<(String, Value)> = match v {
                Value::Array(a) => a.into_iter().enumerate().map(|(i, c)| (format!("{}/{}#{}", gname, stem, i), c)).collect(),
                c => vec![(format!("{}/{}", gname, stem), c)],
            };
            for (name, case) in cases {
                if let Some(fl) = &filter {
                    if !name.contains(fl.as_str()) {
                        continue;
                    }
                }
                total += 1;
                gt += 1;
                if skips.contains_key(&name) {
                    skipped += 1;
                    gs += 1;
                    continue;
                }
                if std::env::var("JSONATA_SUITE_TRACE").is_ok() {
                    eprintln!("{}", name);
                }
                let outcome = std::panic::catch_unwind(|| run_case(&case, &datasets, g))
                    .unwrap_or_else(|_| Outcome::Fail("PANIC".into()));
                match outcome {
                    Outcome::Pass => {
                        passed += 1;
                        gp += 1;
                    }
                    Outcome::Fail(why) => {
                        let expr = case.get("expr").and_then(Value::as_str).unwrap_or("");
                        failures.push(if verbose { format!("{}: {}\n    expr: {}", name, why, expr) } else { name.clone() });
                    }
                }
            }
        }
        if gt > 0 {
            lines.push(format!("{:40} {:4}/{:4}{}", gname, gp, gt, if gs > 0 { format!("  ({} skipped)", gs) } else { String::new() }));
        }
    }
    println!("JSONata suite, per group (passed/total):");
    for l in &lines {
        println!("  {}", l);
    }
    println!("failures ({}):", failures.len());
    for f in &failures {
        println!("  {}", f);
    }
    println!("JSONata suite: {} passed, {} failed, {} skipped, of {} cases (baseline {})", passed, failures.len(), skipped, total, baseline);
    if filter.is_none() {
        assert!(passed >= baseline, "passing cases fell below the baseline: {} < {}", passed, baseline);
        if passed > baseline {
            println!("more cases pass than the baseline: raise tests/suite-baseline.txt to {}", passed);
        }
    }
}
