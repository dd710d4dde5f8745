//! What people already have, as a definition the engine can load.
//!
//! ```text
//! text ──read──▶ Imported { definition: JSON text, notes } ──asl::load──▶ StateMachine
//! ```
//!
//! The engine's own pipeline (parse, then validate) is untouched: this crate only turns text
//! into a definition's JSON text, and says what it did. [`read`] takes:
//! - a JSON definition: given back as it is, so the engine's JSON errors stay located in it
//!   (JSON that does not parse is given back too: the engine says what is wrong);
//! - a YAML definition (Workflow Studio reads and writes YAML): converted to JSON, and its
//!   problems located in the YAML with [`line_col`];
//! - a CloudFormation or SAM template, YAML or JSON: the definition of one of its state
//!   machines ([`template`]), with CloudFormation's intrinsic functions filled in with example
//!   values ([`intrinsics`]), each listed.
//!
//! YAML is read by `saphyr-parser`, bounded in depth and in alias expansion ([`yaml`]).

pub mod intrinsics;
pub mod template;
pub mod yaml;

use serde_json::Value;
pub use template::Extracted;

/// Where the definition came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The text is the definition (or JSON that does not parse).
    Json,
    /// The text is a definition in YAML.
    Yaml,
    /// The text is a template, in YAML or not (`yaml`).
    Template { yaml: bool, extracted: Extracted },
}

/// A definition read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The definition's JSON text, for `asl::load`.
    pub definition: String,
    pub origin: Origin,
}

impl Imported {
    /// The template's state machine, when the text was a template.
    pub fn extracted(&self) -> Option<&Extracted> {
        match &self.origin {
            Origin::Template { extracted, .. } => Some(extracted),
            _ => None,
        }
    }

    /// Whether the definition is for an Express state machine (a template says so).
    pub fn express(&self) -> bool {
        self.extracted().is_some_and(|e| e.express)
    }
}

/// Why text could not be read, with its 1-based line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub message: String,
    pub line_col: Option<(usize, usize)>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line_col {
            Some((line, column)) => write!(f, "{line}:{column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Whether the text is meant as JSON: its first character (after white space) opens an object
/// or an array.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .starts_with(['{', '['])
}

/// The definition in `text` (see the crate's documentation). For a template, `pick` chooses
/// the state machine by logical ID or name; without it, the first is taken (and
/// [`Extracted::machines`] lists them all).
pub fn read(text: &str, pick: Option<&str>) -> Result<Imported, ImportError> {
    let as_is = || Imported {
        definition: text.to_string(),
        origin: Origin::Json,
    };
    if looks_like_json(text) {
        return match serde_json::from_str::<Value>(text) {
            Ok(value) if template::is_template(&value) => from_template(text, &value, pick, false),
            _ => Ok(as_is()),
        };
    }
    let located = |e: yaml::Error| ImportError {
        message: format!("invalid YAML: {}", e.message),
        line_col: Some(e.line_col),
    };
    let root = match yaml::parse(text).map_err(located)? {
        Some(
            root @ yaml::Node {
                kind: yaml::Kind::Map(_),
                ..
            },
        ) => root,
        // Not a mapping (a word, a list, nothing): the engine says why it is no definition.
        _ => return Ok(as_is()),
    };
    let value = yaml::to_json(&root).map_err(located)?;
    if template::is_template(&value) {
        return from_template(text, &value, pick, true);
    }
    Ok(Imported {
        definition: serde_json::to_string_pretty(&value).unwrap_or_default(),
        origin: Origin::Yaml,
    })
}

fn from_template(
    text: &str,
    value: &Value,
    pick: Option<&str>,
    yaml: bool,
) -> Result<Imported, ImportError> {
    match template::extract(value, pick) {
        Ok(extracted) => Ok(Imported {
            definition: extracted.definition.clone(),
            origin: Origin::Template { yaml, extracted },
        }),
        Err(problem) => Err(ImportError {
            message: problem.message,
            line_col: line_col(text, &problem.pointer),
        }),
    }
}

/// Where a JSON pointer (`/States/Open Case/Next`) points in YAML (or JSON) text: the 1-based
/// line and column of the value, or of its nearest ancestor that exists. `None` when the text
/// is not YAML.
pub fn line_col(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let root = yaml::parse(text).ok()??;
    Some(yaml::find(&root, pointer).line_col)
}
