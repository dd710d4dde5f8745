//! Reference paths: the JSONPath subset that names one node (`$`, `$.a.b`, `$['a b'][0]`,
//! `$$.Execution.Input`), as used by InputPath, OutputPath, ResultPath and Choice `Variable`.
//!
//! AWS reports path failures in Jayway JsonPath's bracket notation (`$['NoSuchOutputPath']`),
//! so a path keeps both the text the user wrote and its normalized form.

use serde_json::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Field(String),
    Index(usize),
}

/// Which document a path starts from: the state's data (`$`) or the context object (`$$`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    Data,
    Context,
    /// A workflow variable: `$name.a.b`.
    Variable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePath {
    text: String,
    pub root: Root,
    pub segments: Vec<Segment>,
}

impl fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl ReferencePath {
    /// `$`: the whole input.
    pub fn root() -> Self {
        ReferencePath {
            text: "$".into(),
            root: Root::Data,
            segments: Vec::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let (root, rest) = if let Some((name, rest)) = crate::jsonpath::split_variable(text) {
            (Root::Variable(name.to_string()), rest)
        } else if let Some(rest) = text.strip_prefix("$$") {
            (Root::Context, rest)
        } else if let Some(rest) = text.strip_prefix('$') {
            (Root::Data, rest)
        } else {
            return Err(format!("'{text}' does not start with '$'"));
        };
        let mut segments = Vec::new();
        let chars: Vec<char> = rest.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    let start = i + 1;
                    let mut end = start;
                    while end < chars.len() && chars[end] != '.' && chars[end] != '[' {
                        end += 1;
                    }
                    let name: String = chars[start..end].iter().collect();
                    if name.is_empty() || name == "*" || name.contains(['(', ')', '?', '@', ']']) {
                        return Err(format!("'{text}' is not a reference path"));
                    }
                    segments.push(Segment::Field(name));
                    i = end;
                }
                '[' => {
                    let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
                    let Some(close) = close else {
                        return Err(format!("'{text}' has an unclosed '['"));
                    };
                    let inner: String = chars[i + 1..close].iter().collect();
                    let inner = inner.trim();
                    if let Some(quoted) = strip_quotes(inner) {
                        segments.push(Segment::Field(quoted.to_string()));
                    } else if let Ok(index) = inner.parse::<usize>() {
                        segments.push(Segment::Index(index));
                    } else {
                        return Err(format!("'{text}' is not a reference path"));
                    }
                    i = close + 1;
                }
                _ => return Err(format!("'{text}' is not a reference path")),
            }
        }
        Ok(ReferencePath {
            text: text.to_string(),
            root,
            segments,
        })
    }

    /// Jayway's normalized form, used in AWS's error causes: `$['a'][0]`.
    pub fn normalized(&self) -> String {
        let mut out = String::from(if self.root == Root::Context {
            "$$"
        } else {
            "$"
        });
        for segment in &self.segments {
            match segment {
                Segment::Field(name) => {
                    out.push_str("['");
                    out.push_str(name);
                    out.push_str("']");
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// The node this path names, or `None` when it names nothing.
    pub fn select<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.segments
            .iter()
            .try_fold(value, |node, segment| match (segment, node) {
                (Segment::Field(name), Value::Object(map)) => map.get(name),
                (Segment::Index(i), Value::Array(items)) => items.get(*i),
                _ => None,
            })
    }

    /// Writes `result` into `target` at this path, creating missing objects on the way, as
    /// ResultPath does. Fails when a node on the way exists but is not an object (or an array
    /// index is out of range).
    pub fn insert(&self, target: &mut Value, result: Value) -> Result<(), NotInsertable> {
        let Some((last, parents)) = self.segments.split_last() else {
            *target = result;
            return Ok(());
        };
        let mut node = target;
        for segment in parents {
            node = match (segment, node) {
                (Segment::Field(name), Value::Object(map)) => map
                    .entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new())),
                (Segment::Index(i), Value::Array(items)) => {
                    items.get_mut(*i).ok_or(NotInsertable)?
                }
                _ => return Err(NotInsertable),
            };
        }
        match (last, node) {
            (Segment::Field(name), Value::Object(map)) => {
                map.insert(name.clone(), result);
                Ok(())
            }
            (Segment::Index(i), Value::Array(items)) if *i < items.len() => {
                items[*i] = result;
                Ok(())
            }
            _ => Err(NotInsertable),
        }
    }
}

/// A node on the way is not an object (or an index is out of range): nothing can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotInsertable;

fn strip_quotes(s: &str) -> Option<&str> {
    s.strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| s.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(text: &str) -> ReferencePath {
        ReferencePath::parse(text).unwrap()
    }

    #[test]
    fn parses_dots_brackets_and_context() {
        assert_eq!(p("$").segments, vec![]);
        assert_eq!(p("$.a.b").normalized(), "$['a']['b']");
        assert_eq!(p("$['a b'][2].c").normalized(), "$['a b'][2]['c']");
        assert_eq!(p("$$.Execution.Input").root, Root::Context);
        for bad in [
            "a",
            "$.",
            "$..a",
            "$.a[",
            "$.a[*]",
            "$.*",
            "$[?(@.x)]",
            "$ .a",
        ] {
            assert!(ReferencePath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn selects() {
        let v = json!({"a": {"b": [10, 20]}});
        assert_eq!(p("$.a.b[1]").select(&v), Some(&json!(20)));
        assert_eq!(p("$.a.c").select(&v), None);
        assert_eq!(p("$").select(&v), Some(&v));
    }

    #[test]
    fn inserts_creating_objects() {
        let mut v = json!({"x": 1});
        p("$.r.s").insert(&mut v, json!(2)).unwrap();
        assert_eq!(v, json!({"x": 1, "r": {"s": 2}}));
        p("$.x").insert(&mut v, json!("new")).unwrap();
        assert_eq!(v["x"], json!("new"));
        assert!(
            p("$.x.y").insert(&mut v, json!(3)).is_err(),
            "x is a string"
        );
        let mut s = json!("text");
        assert!(p("$.a").insert(&mut s, json!(1)).is_err());
        p("$").insert(&mut s, json!(1)).unwrap();
        assert_eq!(s, json!(1));
    }
}
