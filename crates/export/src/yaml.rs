//! Just enough YAML to write CloudFormation templates: scalars written so that every YAML
//! parser reads back exactly the text they stand for.
//!
//! CloudFormation's parser and PyYAML (cfn-lint's) read YAML 1.1, where NEL (U+0085) and the
//! Unicode line and paragraph separators (U+2028, U+2029) are line breaks; YAML 1.2 parsers
//! read them as text. Whatever may differ between the two, or is not printable in YAML, is
//! never written raw: [`quoted`] escapes it, and [`block`] refuses text that has it.

use serde_json::{Map, Value};
use std::fmt::Write;

/// Whether `c` can stand raw in any scalar and reads the same in YAML 1.1 and 1.2: YAML's
/// printable characters (c-printable) less the tab, the line breaks (LF, CR, NEL, LS, PS)
/// and the byte order mark.
pub fn is_plain_char(c: char) -> bool {
    matches!(c,
        ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// `s` as a double-quoted scalar: `"`, `\` and the characters [`is_plain_char`] refuses are
/// escaped (`\n`, `\t`, `\u0085`, …); everything else, non-ASCII text included, stays as it is.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_plain_char(c) => out.push(c),
            // Every character is_plain_char refuses is in the Basic Multilingual Plane.
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// `s` as it is when it is a plain scalar that reads back as this same string in YAML 1.1
/// and 1.2 (an identifier-like word that is no boolean, null or number), [`quoted`] otherwise.
pub fn scalar(s: &str) -> String {
    let identifier = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    // YAML 1.1's booleans and null (y, n, yes, no, on, off, true, false, null), any case.
    let special = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    );
    if identifier && !special {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// `s` as a literal block scalar (`|` when it ends with one line break, `|-` when it ends with
/// none), its lines indented by `indent` spaces, or `None` when a block scalar could not say
/// it exactly: empty text, a first line that starts with a space or is empty, a line that ends
/// with a space, text ending with more than one line break, or a character that
/// [`is_plain_char`] refuses (tabs and carriage returns included).
///
/// The result starts with the indicator (`|-`) and its lines end with `\n`; it goes right
/// after `key: ` (or `key: !Tag `).
pub fn block(s: &str, indent: usize) -> Option<String> {
    let (body, indicator) = match s.strip_suffix('\n') {
        Some(body) => (body, "|"),
        None => (s, "|-"),
    };
    let safe = !body.is_empty()
        && !body.starts_with([' ', '\n'])
        && !body.ends_with('\n')
        && body.lines().all(|line| !line.ends_with(' '))
        && body.chars().all(|c| c == '\n' || is_plain_char(c));
    if !safe {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = format!("{indicator}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    Some(out)
}

/// [`block`] when it can, a [`quoted`] scalar (and a line break) otherwise.
pub fn block_or_quoted(s: &str, indent: usize) -> String {
    block(s, indent).unwrap_or_else(|| format!("{}\n", quoted(s)))
}

/// A JSON value (a definition) as a YAML document, as Workflow Studio shows one: block
/// mappings and sequences, text plain where it reads back as the same text ([`readable`]),
/// multi-line text as a [`block`]. Every YAML parser reads it back as the same JSON.
pub fn document(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0, true),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0, true),
        other => node(&mut out, other, 0),
    }
    out.push('\n');
    out.trim_start().to_string()
}

/// The entries of a mapping, each on its own line at `indent`; the first goes where the
/// cursor is when `inline_first` (after `- `).
fn mapping(out: &mut String, map: &Map<String, Value>, indent: usize, inline_first: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if !(inline_first && i == 0) {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&readable(key));
        out.push(':');
        node(out, value, indent + 2);
    }
}

fn sequence(out: &mut String, items: &[Value], indent: usize, inline_first: bool) {
    for (i, item) in items.iter().enumerate() {
        if !(inline_first && i == 0) {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                out.push(' ');
                mapping(out, map, indent + 2, true);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push(' ');
                sequence(out, inner, indent + 2, true);
            }
            other => node(out, other, indent + 2),
        }
    }
}

/// A value after `key:` or `-`: a nested collection on the next lines, a scalar after a space.
fn node(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => mapping(out, map, indent, false),
        // A sequence in a mapping may stand at the mapping's own indentation.
        Value::Array(items) if !items.is_empty() => {
            sequence(out, items, indent.saturating_sub(2), false)
        }
        Value::Object(_) => out.push_str(" {}"),
        Value::Array(_) => out.push_str(" []"),
        Value::String(s) => {
            out.push(' ');
            match s.contains('\n').then(|| block(s, indent)).flatten() {
                Some(text) => out.push_str(text.trim_end_matches('\n')),
                None => out.push_str(&readable(s)),
            }
        }
        other => {
            out.push(' ');
            out.push_str(&other.to_string());
        }
    }
}

/// `s` plain when it reads back as this same text (words and spaces, starting with a letter,
/// no `: ` or ` #`, no boolean or null), [`quoted`] otherwise.
pub fn readable(s: &str) -> String {
    let words = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && s.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | '_' | '-' | '.' | '/' | '$' | '(' | ')' | ':' | '+' | '=' | '@'
                )
        });
    if words && scalar(s) == quoted(s) && !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        // Quoted by `scalar` only for its spaces or punctuation: fine as plain text here.
        s.to_string()
    } else {
        scalar(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quoted("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(quoted("x\ny\tz"), r#""x\ny\tz""#);
        assert_eq!(quoted("\u{85}\u{2028}\u{7f}"), r#""\u0085\u2028\u007F""#);
        assert_eq!(quoted("é 😀"), "\"é 😀\"");
        assert_eq!(scalar("CallCenter"), "CallCenter");
        assert_eq!(scalar("call-center"), "call-center");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("1e3"), "\"1e3\"");
        assert_eq!(scalar("a b"), "\"a b\"");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn blocks() {
        assert_eq!(block("a\n  b", 2).unwrap(), "|-\n  a\n    b\n");
        assert_eq!(block("a\n\nb\n", 4).unwrap(), "|\n    a\n\n    b\n");
        assert_eq!(block(" a", 2), None);
        assert_eq!(block("a \nb", 2), None);
        assert_eq!(block("a\n\n", 2), None);
        assert_eq!(block("a\tb", 2), None);
        assert_eq!(block("a\r\nb", 2), None);
        assert_eq!(block("", 2), None);
        assert_eq!(block_or_quoted(" a", 2), "\" a\"\n");
    }

    #[test]
    fn documents() {
        let value = serde_json::json!({
            "Comment": "A: b",
            "StartAt": "Open Case",
            "States": {
                "Open Case": {"Type": "Pass", "Result": {"n": 1.5, "t": true, "z": null, "e": {}, "l": []},
                    "Next": "Is it"},
                "Is it": {"Type": "Choice", "Choices": [{"Variable": "$.Status", "NumericEquals": 1, "Next": "Open Case"}],
                    "Default": "yes"},
                "Lines": {"Type": "Pass", "Comment": "one\ntwo", "Result": [[1, 2], ["x"]], "End": true}
            }
        });
        assert_eq!(
            document(&value),
            "Comment: \"A: b\"\nStartAt: Open Case\nStates:\n  Open Case:\n    Type: Pass\n    Result:\n      \"n\": 1.5\n      t: true\n      z: null\n      e: {}\n      l: []\n    Next: Is it\n  Is it:\n    Type: Choice\n    Choices:\n    - Variable: \"$.Status\"\n      NumericEquals: 1\n      Next: Open Case\n    Default: \"yes\"\n  Lines:\n    Type: Pass\n    Comment: |-\n      one\n      two\n    Result:\n    - - 1\n      - 2\n    - - x\n    End: true\n"
        );
        assert_eq!(readable("1e3"), "\"1e3\"");
        assert_eq!(readable("True"), "\"True\"");
        assert_eq!(readable("a #b"), "\"a #b\"");
    }
}
