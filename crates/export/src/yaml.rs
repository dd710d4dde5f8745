//! Just enough YAML to write CloudFormation templates: scalars written so that every YAML
//! parser reads back exactly the text they stand for.
//!
//! CloudFormation's parser and PyYAML (cfn-lint's) read YAML 1.1, where NEL (U+0085) and the
//! Unicode line and paragraph separators (U+2028, U+2029) are line breaks; YAML 1.2 parsers
//! read them as text. Whatever may differ between the two, or is not printable in YAML, is
//! never written raw: [`quoted`] escapes it, and [`block`] refuses text that has it.

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
}
