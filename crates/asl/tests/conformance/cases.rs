//! Finding the conformance data and reading its cases.
//!
//! The data is never copied into the repository: it is read at run time from
//! `$SFN_CONFORMANCE_DIR`, else `<repo root>/../shared/conformance` (formats: that
//! directory's README.md).

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The conformance directory, or why it could not be found (every place tried).
pub fn locate() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("SFN_CONFORMANCE_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_dir() {
            Ok(dir)
        } else {
            Err(format!(
                "SFN_CONFORMANCE_DIR={} is not a directory",
                dir.display()
            ))
        };
    }
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidates = [repo_root.join("../shared/conformance")];
    candidates
        .iter()
        .find(|dir| dir.is_dir())
        .map(|dir| dir.canonicalize().unwrap_or_else(|_| dir.clone()))
        .ok_or_else(|| {
            let tried: Vec<String> = candidates.iter().map(|d| d.display().to_string()).collect();
            format!(
                "no conformance data: SFN_CONFORMANCE_DIR is not set and none of {} exists",
                tried.join(", ")
            )
        })
}

/// One recorded execution (`localstack/<area>.jsonl`).
#[derive(Debug, Deserialize)]
pub struct ExecutionCase {
    pub id: String,
    pub definition: Value,
    pub input: Value,
    pub expected: ExpectedRun,
    /// `None` when AWS's history was not recorded: the history is then not compared.
    pub history_types: Option<Vec<String>>,
    pub uses_jsonata: bool,
    /// The file the case came from, without `.jsonl`.
    #[serde(skip)]
    pub area: String,
}

#[derive(Debug, Deserialize)]
pub struct ExpectedRun {
    pub status: String,
    /// `Some(Value::Null)` is an output of `null`; `None` is no output recorded.
    #[serde(default, deserialize_with = "present")]
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The cause, when AWS's cause was a JSON document: compared parsed.
    #[serde(default, deserialize_with = "present")]
    pub cause_json: Option<Value>,
}

/// One verdict of AWS on a definition (`localstack-api/validation.jsonl`).
#[derive(Debug, Deserialize)]
pub struct ValidationCase {
    pub id: String,
    /// `CreateStateMachine`, `ValidateStateMachineDefinition` or `TestState`.
    pub api: String,
    pub state_machine_type: Option<String>,
    pub definition_text: String,
    pub expected: ExpectedVerdict,
    #[serde(default)]
    pub test_state: Option<TestStateRequest>,
}

#[derive(Debug, Deserialize)]
pub struct TestStateRequest {
    /// Set when the whole machine was sent; `None` when the definition is a single state.
    pub state_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ExpectedVerdict {
    pub valid: bool,
    /// The whole `InvalidDefinition` message (CreateStateMachine, TestState).
    pub message: Option<String>,
    /// That message split up; `None` when it is not a diagnostic (a TestState-only rejection).
    pub parsed: Option<ParsedMessage>,
    /// ValidateStateMachineDefinition's answer.
    pub diagnostics: Option<Vec<AwsDiagnostic>>,
}

#[derive(Debug, Deserialize)]
pub struct ParsedMessage {
    pub code: String,
    pub detail: String,
    pub location: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AwsDiagnostic {
    pub code: String,
    pub message: String,
    /// Left out by AWS for some problems (text that is not an object).
    pub location: Option<String>,
}

impl ValidationCase {
    /// The area it is counted in: TestState- and Express-specific verdicts apart.
    pub fn area(&self) -> &'static str {
        if self.api == "TestState" {
            "validation/teststate"
        } else if self.state_machine_type.as_deref() == Some("EXPRESS") {
            "validation/express"
        } else {
            "validation"
        }
    }

    /// What AWS expects, as a list of diagnostics (empty when valid; `None` when AWS's message
    /// is not a diagnostic at all).
    pub fn expected_diagnostics(&self) -> Option<Vec<AwsDiagnostic>> {
        if let Some(diagnostics) = &self.expected.diagnostics {
            return Some(diagnostics.clone());
        }
        if self.expected.valid {
            return Some(Vec::new());
        }
        self.expected.parsed.as_ref().map(|p| {
            vec![AwsDiagnostic {
                code: p.code.clone(),
                message: p.detail.clone(),
                location: Some(p.location.clone()),
            }]
        })
    }

    /// The text to validate. TestState given a single state validates it as the state
    /// `StateName` of a machine (AWS's locations say so: `/States/StateName/Branches`).
    pub fn machine_text(&self) -> String {
        let single_state = self
            .test_state
            .as_ref()
            .is_some_and(|t| t.state_name.is_none());
        match serde_json::from_str::<Value>(&self.definition_text) {
            Ok(state) if single_state && state.get("Type").is_some() => serde_json::json!({
                "StartAt": "StateName",
                "States": {"StateName": state}
            })
            .to_string(),
            _ => self.definition_text.clone(),
        }
    }
}

/// Every execution case, area by area (files in name order, lines in file order).
pub fn execution_cases(dir: &Path) -> Vec<ExecutionCase> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("localstack"))
        .unwrap_or_else(|e| panic!("cannot list {}/localstack: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|file| {
            let area = file.file_stem().unwrap().to_string_lossy().into_owned();
            read_lines::<ExecutionCase>(file)
                .into_iter()
                .map(move |mut case| {
                    case.area = area.clone();
                    case
                })
        })
        .collect()
}

pub fn validation_cases(dir: &Path) -> Vec<ValidationCase> {
    read_lines(&dir.join("localstack-api/validation.jsonl"))
}

/// One JSON object a line; a line that does not parse is a broken data set, not a skip.
fn read_lines<T: for<'de> Deserialize<'de>>(file: &Path) -> Vec<T> {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), n + 1))
        })
        .collect()
}

/// Keeps a JSON `null` as `Some(Value::Null)` (serde would make it `None`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}
