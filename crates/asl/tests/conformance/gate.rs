//! The committed expectations: the accepted pass counts (`baseline.json`) and the cases we do
//! not expect to pass (`skips.json`).

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Pass counts per area (execution areas are the file names; validation's are `validation`,
/// `validation/express`, `validation/teststate`), and `total`: their sum over both suites.
pub type Counts = BTreeMap<String, usize>;

pub fn baseline_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/baseline.json"
    ))
}

fn skips_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/skips.json"
    ))
}

pub fn load_baseline() -> Counts {
    let path = baseline_path();
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not a map of counts: {e}", path.display())),
        Err(_) => Counts::new(),
    }
}

pub fn save_baseline(counts: &Counts) {
    let text = serde_json::to_string_pretty(counts).unwrap() + "\n";
    std::fs::write(baseline_path(), text).expect("write baseline.json");
}

/// The areas whose pass count fell below the baseline, and those that rose above it.
pub fn compare(baseline: &Counts, current: &Counts) -> (Vec<String>, Vec<String>) {
    let areas: BTreeSet<&String> = baseline.keys().chain(current.keys()).collect();
    let mut drops = Vec::new();
    let mut rises = Vec::new();
    for area in areas {
        let was = baseline.get(area).copied().unwrap_or(0);
        let now = current.get(area).copied().unwrap_or(0);
        if now < was {
            drops.push(format!("{area}: {now} pass, baseline {was}"));
        } else if now > was {
            rises.push(format!("{area}: {was} → {now}"));
        }
    }
    (drops, rises)
}

/// One case we cannot pass, with the AWS behaviour that cannot be reproduced offline.
#[derive(Debug, Deserialize)]
pub struct Skip {
    pub id: String,
    pub reason: String,
}

/// skips.json, as id → reason. Every entry needs a reason, and an id at most once.
pub fn load_skips() -> BTreeMap<String, String> {
    let path = skips_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let list: Vec<Skip> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a list of {{id, reason}}: {e}", path.display()));
    let mut skips = BTreeMap::new();
    for skip in list {
        assert!(
            !skip.reason.trim().is_empty(),
            "skips.json: {} has no reason (name the AWS behaviour we cannot reproduce offline)",
            skip.id
        );
        let id = skip.id.clone();
        assert!(
            skips.insert(skip.id, skip.reason).is_none(),
            "skips.json: {id} is listed twice"
        );
    }
    skips
}
