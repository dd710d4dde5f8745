//! `fuzz-seed <repository root>`: writes the fuzz targets' starting corpora into
//! `fuzz/corpus/<target>/`, from the conformance data beside the repository
//! (`../shared/conformance`: recorded AWS executions, validation and TestState calls, the
//! JSONata test suite), the examples (`crates/examples/src/definitions`), the tutorial's
//! templates (`../shared/seed`) and the hand-written seeds in `fuzz/seeds/<target>/`.
//!
//! The corpora are not committed (fuzz/.gitignore): they are rebuilt here at each run, and
//! what the fuzzer adds to them stays on the machine. A file is named by a hash of its
//! content, so seeding twice writes nothing new.

use serde_json::Value;
use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Parts of one input are separated by NUL (see fuzz/src/lib.rs).
const SEP: &str = "\0";
/// Inputs larger than this are left out: the fuzzer's own limit is 64 KiB (`-max_len`), and
/// small seeds mutate faster.
const MAX_SEED_BYTES: usize = 60_000;

#[derive(Default)]
struct Seeds(BTreeMap<&'static str, Vec<String>>);

impl Seeds {
    fn add(&mut self, target: &'static str, text: String) {
        if text.len() <= MAX_SEED_BYTES {
            self.0.entry(target).or_default().push(text);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let shared = root.join("../shared");
    let mut seeds = Seeds::default();
    let conformance = shared.join("conformance");
    if !conformance.is_dir() {
        eprintln!(
            "fuzz-seed: {} is missing: only the examples and fuzz/seeds are used",
            conformance.display()
        );
    }

    // Recorded executions: a definition and its input.
    for line in jsonl(&conformance.join("localstack")) {
        let (Some(definition), Some(input)) = (line.get("definition"), line.get("input")) else {
            continue;
        };
        machine(&mut seeds, definition, input);
    }
    for line in jsonl_file(&conformance.join("localstack-api/validation.jsonl")) {
        if let Some(Value::String(text)) = line.get("definition_text") {
            seeds.add("definition", text.clone());
            seeds.add("import", text.clone());
        }
    }
    for line in jsonl_file(&conformance.join("localstack-api/teststate.jsonl")) {
        let input = line.get("input").cloned().unwrap_or(Value::Null);
        let mut strings = Vec::new();
        if let Some(state) = line.get("state") {
            collect_strings(state, &mut strings);
        }
        expressions(&mut seeds, &strings, &input);
    }
    // The examples, as the page offers them.
    let examples = root.join("crates/examples/src/definitions");
    for entry in read_dir(&examples) {
        let name = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = fs::read_to_string(&entry).unwrap_or_default();
        if let Some(stem) = name.strip_suffix(".asl.json") {
            let input = fs::read_to_string(examples.join(format!("{stem}.input.json")))
                .unwrap_or_else(|_| "{}".into());
            let mocks =
                fs::read_to_string(examples.join(format!("{stem}.mocks.json"))).unwrap_or_default();
            if let (Ok(definition), Ok(input_value)) = (
                serde_json::from_str::<Value>(&text),
                serde_json::from_str::<Value>(&input),
            ) {
                machine(&mut seeds, &definition, &input_value);
            }
            seeds.add("execution", format!("{text}{SEP}{input}{SEP}{mocks}"));
        } else if name.ends_with(".mocks.json") {
            seeds.add("mock_config", text);
        }
    }
    // The tutorial's CloudFormation templates.
    for name in ["call-center.yml", "call-center-functions.yml"] {
        if let Ok(text) = fs::read_to_string(shared.join("seed").join(name)) {
            seeds.add("import", text);
        }
    }
    // The JSONata test suite: expressions, and each with its data.
    let suite = conformance.join("jsonata");
    let mut datasets = BTreeMap::new();
    for entry in read_dir(&suite.join("datasets")) {
        let name = entry
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if let Ok(text) = fs::read_to_string(&entry) {
            datasets.insert(name, text);
        }
    }
    for group in read_dir(&suite.join("groups")) {
        for case_file in read_dir(&group) {
            let Ok(value) = read_json(&case_file) else {
                continue;
            };
            let cases = match value {
                Value::Array(cases) => cases,
                case => vec![case],
            };
            for case in cases {
                let Some(Value::String(expr)) = case.get("expr") else {
                    continue;
                };
                let data = match (case.get("data"), case.get("dataset")) {
                    (Some(data), _) => data.to_string(),
                    (None, Some(Value::String(name))) => {
                        datasets.get(name).cloned().unwrap_or_default()
                    }
                    _ => String::new(),
                };
                seeds.add("jsonata_parse", expr.clone());
                seeds.add("jsonata_eval", format!("{expr}{SEP}{data}"));
            }
        }
    }

    // The hand-written seeds, committed in fuzz/seeds/<target>/.
    let hand = root.join("fuzz/seeds");
    let mut written = BTreeMap::new();
    for dir in read_dir(&hand) {
        let target = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        for file in read_dir(&dir) {
            if let Ok(bytes) = fs::read(&file) {
                *written.entry(target.clone()).or_insert(0) +=
                    write_seed(&root, &target, &bytes) as usize;
            }
        }
    }
    for (target, texts) in &seeds.0 {
        for text in texts {
            *written.entry(target.to_string()).or_insert(0) +=
                write_seed(&root, target, text.as_bytes()) as usize;
        }
    }
    for (target, n) in written {
        println!("fuzz-seed: {target}: {n} new seeds");
    }
}

/// Seeds from one machine and its input: the definition for every target that reads one,
/// the run, and the expressions in it.
fn machine(seeds: &mut Seeds, definition: &Value, input: &Value) {
    let text = serde_json::to_string_pretty(definition).unwrap_or_default();
    seeds.add("definition", text.clone());
    seeds.add("export", text.clone());
    seeds.add("import", text.clone());
    seeds.add("execution", format!("{text}{SEP}{input}"));
    seeds.add(
        "share",
        serde_json::json!({"definition": text, "input": input.to_string(), "seed": 3, "step": 4})
            .to_string(),
    );
    let mut strings = Vec::new();
    collect_strings(definition, &mut strings);
    expressions(seeds, &strings, input);
}

/// Paths, intrinsic calls and JSONata expressions among a definition's strings, each with the
/// input the definition ran with.
fn expressions(seeds: &mut Seeds, strings: &[String], input: &Value) {
    for s in strings {
        let t = s.trim();
        if let Some(expr) = t.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")) {
            seeds.add("jsonata_parse", expr.trim().to_string());
            seeds.add("jsonata_eval", format!("{}{SEP}{input}", expr.trim()));
        } else if t.starts_with("States.") {
            seeds.add("intrinsics", format!("{t}{SEP}{input}"));
        } else if t.starts_with('$') {
            seeds.add("jsonpath", format!("{t}{SEP}{input}"));
        }
    }
}

/// Every string in a value, keys of objects included.
fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                collect_strings(v, out);
            }
        }
        _ => {}
    }
}

/// Writes a seed under its content's hash; whether it was new.
fn write_seed(root: &Path, target: &str, bytes: &[u8]) -> bool {
    let dir = root.join("fuzz/corpus").join(target);
    let _ = fs::create_dir_all(&dir);
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    let path = dir.join(format!("seed-{:016x}", hasher.finish()));
    if path.exists() {
        return false;
    }
    fs::write(&path, bytes).is_ok()
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

fn read_json(path: &Path) -> Result<Value, ()> {
    let text = fs::read_to_string(path).map_err(|_| ())?;
    serde_json::from_str(&text).map_err(|_| ())
}

fn jsonl(dir: &Path) -> Vec<Value> {
    read_dir(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .flat_map(|p| jsonl_file(p))
        .collect()
}

fn jsonl_file(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}
