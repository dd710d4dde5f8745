//! JSONPath as AWS Step Functions evaluates it: Parameters / ResultSelector / ItemSelector
//! `"key.$"` values, InputPath / OutputPath / ItemsPath, and intrinsic-function arguments.
//!
//! AWS evaluates these with Jayway JsonPath (Java). No Rust JSONPath crate reproduces its
//! semantics (they follow Goessner, RFC 9535 or their own reading), so this module is a
//! port, written for this crate, of the parts of Jayway that Step Functions exercises.
//!
//! # Which Jayway
//!
//! **Jayway JsonPath 2.0.0 with the `JacksonJsonNodeJsonProvider` and default options.**
//! Two behaviours recorded on AWS pin the version:
//!
//! - `$.array[(@.length-1)]` works on AWS. Jayway understands that form up to 2.0.0 only
//!   (2.1.0 rewrote the compiler and dropped it).
//! - `$.array[-1].name` fails on AWS ("could not be found in the input") although the
//!   console's data-flow simulator accepts it. Jayway counts negative indices from the end
//!   from 2.3.0 on; in 2.0.0, with Jackson, `[-1]` reads Java `null`.
//!
//! What follows from 2.0.0 (each is tested in `tests/jsonpath.rs`):
//!
//! - Names: `.name`, `['name']`, `['a','b']` (only as the last segment: an object of those
//!   present). Only single quotes: `["name"]` is not a path. Quotes cannot be escaped.
//!   A dot-name ends at `.`, `[` or a space (a space anywhere outside brackets is an error).
//! - Indices: `[0]`, `[0,2]`, slices `[1:3]`, `[:2]`, `[-2:]` (a third number, a step, is
//!   read and ignored), and `[(@.length-1)]` / `[(@.size()-1)]`. An index out of range,
//!   or negative, reads `null` (a leaf gives `null`; a segment after it fails). In
//!   `[a:b]` a negative `a` is not counted from the end either.
//! - `*`, `[*]`, `..name`, `..*`, `..[0]` (pre-order: an object before its members).
//! - Filters `[?(…)]`: criteria `@.x` (exists and is not null), `!@.x`, and comparisons
//!   `==`, `!=`, `<`, `<=`, `>`, `>=`, `=~ /regex/` or `/regex/i`, joined by `&&` and `||`
//!   (`&&` binds tighter; inner parentheses are ignored and `!` only negates a path).
//!   Operands: `@…` and `$…` definite paths, `'single-quoted'` strings, and bare text
//!   (`10`, `true`, `null`). Comparison is Jayway's `safeCompare`: a literal is text, so
//!   `@.n == '5'` and `@.n == 5` both hold for the number 5, `@.s == null` holds for the
//!   string "null", and comparing a number with a non-numeric string is an error
//!   (Java's `NumberFormatException`), while other mismatched types are just false.
//!   A missing `@.x` makes the criterion false (`!=` included). `in`, `nin`, `size`,
//!   `empty` and functions such as `length()` do not exist in 2.0.0.
//! - Definite paths (only names and single indices) give one value; others give an array
//!   of every match. A definite path that finds nothing is an error.
//!
//! Errors carry Jayway's messages; [`PathError::cause`] words them as AWS does for
//! InputPath/OutputPath: `Invalid path '$.x' : No results for path: $['x']`.
//!
//! Not reproduced: Jayway's `[?]` placeholders (filters passed in Java code: rejected), and
//! Java regular-expression features beyond the subset in `regex.rs` (rejected when parsed).
//! Not handled here: variable references (`$name.field`, from `Assign`), which are not
//! Jayway paths; [`JsonPath::parse`] rejects them and the engine resolves them.
//! Unverified: AWS's documentation says `@` "does not match scalar values"; Jayway 2.0.0
//! does match them (`$.list[?(@ == 'b')]`), and so does this module.
//! Limits Jayway does not have, so hostile input fails cleanly: at most 256 segments per
//! path, `..` descends 512 levels, 5,000,000 evaluation steps.

mod compile;
mod eval;
mod java;
mod regex;

use serde_json::Value;
use std::cell::Cell;
use std::fmt;

/// A parsed JSONPath: `$…` on the data, or `$$…` on the context object.
#[derive(Debug, Clone)]
pub struct JsonPath {
    text: String,
    context: bool,
    /// `$name…`: a workflow variable's value is the root.
    variable: Option<String>,
    compiled: compile::Compiled,
    /// For `$$.Execution.Input…`: the rest as a path on the execution input, so reading it
    /// needs no copy of the input inside a context object.
    on_input: Option<Box<JsonPath>>,
}

/// Why a text is not a path Step Functions accepts; `position` is a byte offset in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPathError {
    pub message: String,
    pub position: usize,
}

impl fmt::Display for JsonPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {})", self.message, self.position)
    }
}

impl std::error::Error for JsonPathError {}

/// Why evaluating a path failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathError {
    /// Jayway's `PathNotFoundException`: the path names nothing in this document (a
    /// missing property, a property of something that is not an object, `null` in the way).
    NotFound { path: String, message: String },
    /// Any other failure while evaluating: Jayway's `InvalidPathException` (an index on
    /// something that is not an array, a filter on a primitive), an exception from a filter
    /// comparison, or one of this module's limits.
    Failed { path: String, message: String },
}

impl PathError {
    /// The path as written (`$$…` for the context object).
    pub fn path(&self) -> &str {
        match self {
            PathError::NotFound { path, .. } | PathError::Failed { path, .. } => path,
        }
    }

    /// Jayway's message: `No results for path: $['x']`.
    pub fn message(&self) -> &str {
        match self {
            PathError::NotFound { message, .. } | PathError::Failed { message, .. } => message,
        }
    }

    /// AWS's wording for InputPath/OutputPath/ItemsPath, without the
    /// "An error occurred while executing the state …" prefix:
    /// `Invalid path '$.x' : No results for path: $['x']`.
    pub fn cause(&self) -> String {
        format!("Invalid path '{}' : {}", self.path(), self.message())
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause())
    }
}

impl std::error::Error for PathError {}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl JsonPath {
    /// Parses a path as Jayway compiles it. It must start with `$` (`$$` for the context
    /// object, whose remainder is compiled as `$…`).
    pub fn parse(text: &str) -> Result<JsonPath, JsonPathError> {
        if let Some((name, rest)) = split_variable(text) {
            // `$name.a` reads variable `name` as if it were `$.a`'s document.
            let offset = text.len() - rest.len() - 1;
            let compiled =
                compile::compile(&format!("${rest}"), offset, 0).map_err(|f| JsonPathError {
                    message: f.message,
                    position: f.position.min(text.len()),
                })?;
            return Ok(JsonPath {
                text: text.to_string(),
                context: false,
                variable: Some(name.to_string()),
                compiled,
                on_input: None,
            });
        }
        let (context, offset) = if text.starts_with("$$") {
            (true, 1)
        } else if text.starts_with('$') {
            (false, 0)
        } else {
            return Err(JsonPathError {
                message: "a path must start with '$'".into(),
                position: 0,
            });
        };
        let compiled = compile::compile(&text[offset..], offset, 0).map_err(|f| JsonPathError {
            message: f.message,
            position: f.position.min(text.len()),
        })?;
        let on_input = text
            .strip_prefix("$$.Execution.Input")
            .filter(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            .and_then(|rest| JsonPath::parse(&format!("${rest}")).ok())
            .map(Box::new);
        Ok(JsonPath {
            text: text.to_string(),
            context,
            variable: None,
            compiled,
            on_input,
        })
    }

    /// For a `$$.Execution.Input…` path, the same path on the execution input itself.
    pub fn on_execution_input(&self) -> Option<&JsonPath> {
        self.on_input.as_deref()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Jayway's rule: only names and single indices (no `*`, `..`, filter, index list or
    /// slice). A definite path evaluates to one value, others to an array of matches.
    pub fn is_definite(&self) -> bool {
        self.compiled.is_definite()
    }

    /// Starts with `$$`: evaluate it against the context object.
    pub fn is_context(&self) -> bool {
        self.context
    }

    /// The workflow variable a `$name…` path reads.
    pub fn variable(&self) -> Option<&str> {
        self.variable.as_deref()
    }

    /// Definite and made only of single names and non-negative indices: usable where a
    /// reference path is required (ResultPath).
    pub fn is_reference_path(&self) -> bool {
        self.compiled
            .tokens
            .iter()
            .enumerate()
            .all(|(i, token)| match token {
                compile::Token::Root => i == 0,
                compile::Token::Property(props) => props.len() == 1,
                compile::Token::Array {
                    criteria,
                    op: compile::ArrayOp::SingleIndex,
                } => criteria.first().is_some_and(|&n| n >= 0),
                _ => false,
            })
    }

    /// Jayway's normalized form, used in its messages: `$['a'][0][*]`.
    pub fn normalized(&self) -> String {
        self.compiled.to_string_from(0)
    }

    /// Evaluates against `root` (the data, or the context object when [`Self::is_context`]).
    /// Definite: the value, or an error when nothing matches; indefinite: an array of every
    /// match, possibly empty.
    pub fn evaluate(&self, root: &Value) -> Result<Value, PathError> {
        let steps = Cell::new(0);
        let fail = |f: eval::Fail| match f {
            eval::Fail::NotFound(message) => PathError::NotFound {
                path: self.text.clone(),
                message,
            },
            eval::Fail::Invalid(message) | eval::Fail::Other(message) => PathError::Failed {
                path: self.text.clone(),
                message,
            },
        };
        let results =
            eval::evaluate(&self.compiled, eval::Node::Json(root), root, &steps).map_err(fail)?;
        if self.is_definite() {
            eval::first(&self.compiled, results)
                .map(eval::Out::into_value)
                .map_err(fail)
        } else {
            Ok(Value::Array(
                results.into_iter().map(eval::Out::into_value).collect(),
            ))
        }
    }
}

/// Two paths are the same when they are written the same.
impl PartialEq for JsonPath {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl JsonPath {
    /// `$`: the whole document.
    pub fn whole() -> JsonPath {
        JsonPath::parse("$").expect("'$' is a path")
    }

    /// Evaluates against the data or, for a `$$` path, the context object, or, for a
    /// `$name` path, the variable's value.
    pub fn evaluate_in(
        &self,
        data: &Value,
        context: &Value,
        variables: &serde_json::Map<String, Value>,
    ) -> Result<Value, PathError> {
        match &self.variable {
            Some(name) => match variables.get(name) {
                Some(value) => self.evaluate(value),
                None => Err(PathError::NotFound {
                    path: self.text.clone(),
                    message: format!("The variable '{name}' is not defined"),
                }),
            },
            None => self.evaluate(if self.is_context() { context } else { data }),
        }
    }
}

/// `$name.rest` → (`name`, `.rest`) when `text` reads a workflow variable: `$` followed by a
/// letter or `_` (never `$.`, `$[` or `$$`).
pub fn split_variable(text: &str) -> Option<(&str, &str)> {
    let after = text.strip_prefix('$')?;
    let first = after.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = after
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(after.len());
    Some((&after[..end], &after[end..]))
}
