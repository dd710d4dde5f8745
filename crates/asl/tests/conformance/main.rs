//! The conformance suite: the engine against what real AWS Step Functions recorded.
//!
//! - **executions** (`localstack/*.jsonl`): each case's definition run with its input and no
//!   tasks; status, output or error and cause, and the history's event types compared.
//! - **validation** (`localstack-api/validation.jsonl`): valid or not, and the diagnostics.
//!
//! The data is read at run time (see [`cases::locate`]); without it the test fails, unless
//! `SFN_CONFORMANCE_OPTIONAL=1`. Pass counts per area may not fall below
//! `tests/conformance/baseline.json`; `SFN_CONFORMANCE_BLESS=1` rewrites it with the current
//! counts. `tests/conformance/skips.json` lists cases we cannot pass offline, each with its
//! reason. Every failing case and its first difference: `target/conformance-report.txt`.
//!
//! ```text
//! cargo test -p asl --test conformance
//! SFN_CONFORMANCE_BLESS=1 cargo test -p asl --test conformance
//! ```

mod cases;
mod compare;
mod executions;
mod gate;
mod history;
mod report;
mod teststate;
mod validation;

use compare::Mismatch;
use report::{say, Report, Verdict};
use std::collections::BTreeSet;
use std::time::Instant;

#[test]
fn conformance() {
    let dir = match cases::locate() {
        Ok(dir) => dir,
        Err(why) if flag("SFN_CONFORMANCE_OPTIONAL") => {
            say(&format!(
                "conformance: NOT RUN ({why}; SFN_CONFORMANCE_OPTIONAL=1)\n"
            ));
            return;
        }
        Err(why) => panic!(
            "{why}.\nPoint SFN_CONFORMANCE_DIR at the conformance data, \
             or set SFN_CONFORMANCE_OPTIONAL=1 to run without it."
        ),
    };
    let started = Instant::now();
    let skips = gate::load_skips();
    let mut seen = BTreeSet::new();
    let judge = |id: &str, result: Result<(), Mismatch>| match (skips.get(id), result) {
        (Some(reason), result) => Verdict::Skipped {
            reason: reason.clone(),
            passes: result.is_ok(),
        },
        (None, Ok(())) => Verdict::Pass,
        (None, Err(m)) => Verdict::Fail(m),
    };

    let mut runs = Report::new("executions");
    for case in cases::execution_cases(&dir) {
        seen.insert(case.id.clone());
        let verdict = if case.uses_jsonata {
            Verdict::Jsonata
        } else {
            judge(&case.id, executions::check(&case))
        };
        runs.record(&case.area, &case.id, verdict);
    }
    let mut verdicts = Report::new("validation");
    for case in cases::validation_cases(&dir) {
        seen.insert(case.id.clone());
        // A JSONata definition the engine cannot read yet waits for the JSONata issue; one
        // whose verdict already matches AWS's counts as passing.
        let result = validation::check(&case);
        let verdict = match result {
            Err(_) if case.definition_text.contains("JSONata") => Verdict::Jsonata,
            result => judge(&case.id, result),
        };
        verdicts.record(case.area(), &case.id, verdict);
    }
    let mut single = Report::new("teststate");
    for case in teststate::cases(&dir) {
        seen.insert(case.id.clone());
        let verdict = match (case.uses_jsonata, case.unreproducible) {
            (true, _) => Verdict::Jsonata,
            (false, Some(reason)) => Verdict::Skipped {
                reason: reason.to_string(),
                passes: teststate::check(&case).is_ok(),
            },
            (false, None) => judge(&case.id, teststate::check(&case)),
        };
        single.record(case.area, &case.id, verdict);
    }
    let elapsed = started.elapsed();

    let stale: Vec<&String> = skips.keys().filter(|id| !seen.contains(*id)).collect();
    let mut current: gate::Counts = runs
        .passes()
        .chain(verdicts.passes())
        .chain(single.passes())
        .map(|(area, n)| (area.to_string(), n))
        .collect();
    current.insert("total".into(), current.values().sum());
    let baseline = gate::load_baseline();
    let (drops, rises) = gate::compare(&baseline, &current);
    let bless = flag("SFN_CONFORMANCE_BLESS");

    let mut summary = format!(
        "\nconformance data: {}  ({} ms)\n\n{}\n{}\n{}\n",
        dir.display(),
        elapsed.as_millis(),
        runs.table(),
        verdicts.table(),
        single.table()
    );
    summary += &gate_notes(&drops, &rises, bless);
    for id in runs
        .needless_skips()
        .into_iter()
        .chain(verdicts.needless_skips())
        .chain(single.needless_skips())
    {
        summary += &format!("skipped but passes (remove it from skips.json): {id}\n");
    }
    for id in &stale {
        summary += &format!("skips.json names a case that does not exist: {id}\n");
    }
    let path = report::report_path();
    let written = std::fs::write(
        &path,
        format!(
            "{summary}\n{}\n{}\n{}",
            runs.details(),
            verdicts.details(),
            single.details()
        ),
    );
    summary += &match written {
        Ok(()) => format!("full report: {}\n", path.display()),
        Err(e) => format!("could not write {}: {e}\n", path.display()),
    };
    say(&summary);

    if bless {
        gate::save_baseline(&current);
        return;
    }
    assert!(
        stale.is_empty(),
        "skips.json names cases that do not exist: {stale:?}"
    );
    assert!(
        drops.is_empty(),
        "conformance fell below the baseline: {}. See {}",
        drops.join("; "),
        path.display()
    );
}

fn gate_notes(drops: &[String], rises: &[String], bless: bool) -> String {
    let mut notes = String::new();
    if bless {
        notes += &format!("baseline rewritten: {}\n", gate::baseline_path().display());
        return notes;
    }
    for drop in drops {
        notes += &format!("BELOW BASELINE {drop}\n");
    }
    if !rises.is_empty() {
        notes += &format!(
            "above the baseline ({}): raise it with SFN_CONFORMANCE_BLESS=1 cargo test -p asl --test conformance\n",
            rises.join(", ")
        );
    }
    notes
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// The payload sizes the engine checks against AWS's limit equal the length of the compact
/// JSON text, for every definition and input AWS recorded.
#[test]
fn payload_sizes_are_the_compact_text_lengths() {
    let dir = cases::locate().expect("conformance data");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("localstack")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let case: serde_json::Value = serde_json::from_str(line).unwrap();
                for value in [&case["definition"], &case["input"], &case["expected"]] {
                    let text = serde_json::to_string(value).unwrap();
                    assert_eq!(asl::dataflow::payload_size(value), text.len(), "{text}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}
