//! JSON text as the editors see it: tokens to highlight, the bracket matching the one at the
//! caret, pretty-printing that keeps every token as written, and conversions between the
//! browser's UTF-16 caret offsets and Rust's byte offsets.
//!
//! Pure functions, tested natively. The tokenizer is tolerant: any text, JSON or not, becomes
//! tokens that cover it exactly, in one pass; it never fails and never panics.

use std::fmt;

/// What a token is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string followed (after whitespace) by `:`.
    Key,
    /// Any other string, quotes included; an unterminated one ends at the end of its line.
    String,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// `{ } [ ] , :`, one character each.
    Punct,
    /// Spaces, tabs, carriage returns.
    Space,
    /// One `\n`: lines are split between tokens, never inside one.
    Newline,
    /// Anything JSON has no place for (a stray word, a comment's slashes, …).
    Invalid,
    /// A YAML comment (`# …`), from the YAML tokenizer (`super::yaml_syntax`).
    Comment,
    /// Inside a `"{% … %}"` string: its `"{%` and `%}"`.
    ExprDelim,
    /// Inside a `"{% … %}"` string: a `$variable` or `$function` (`$states`, `$sum` …).
    ExprVariable,
    /// Inside a `"{% … %}"` string: a JSONata string literal (`'…'`, or `\"…\"`).
    ExprString,
    /// Inside a `"{% … %}"` string: a number, `true`, `false` or `null`.
    ExprLiteral,
    /// Inside a `"{% … %}"` string: a name (a field of a path), `and`, `or` …
    ExprName,
    /// Inside a `"{% … %}"` string: operators, brackets, spaces and the rest.
    ExprOther,
}

impl Kind {
    /// The CSS class the highlighter gives this kind (`None`: plain text).
    pub fn class(self) -> Option<&'static str> {
        match self {
            Kind::Key => Some("tok-key"),
            Kind::String => Some("tok-string"),
            Kind::Number => Some("tok-number"),
            Kind::Literal => Some("tok-literal"),
            Kind::Punct => Some("tok-punct"),
            Kind::Invalid => Some("tok-invalid"),
            Kind::Comment => Some("tok-comment"),
            Kind::ExprDelim => Some("tok-expr-delim"),
            Kind::ExprVariable => Some("tok-expr-var"),
            Kind::ExprString => Some("tok-expr-string"),
            Kind::ExprLiteral => Some("tok-expr-literal"),
            Kind::ExprName => Some("tok-expr-name"),
            Kind::ExprOther => Some("tok-expr"),
            Kind::Space | Kind::Newline => None,
        }
    }
}

/// A token: `text[start..end]`, both on character boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Splits `text` into tokens that cover every byte exactly once, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_range(text, 0..text.len())
}

/// The tokens of `text[range]`, as [`tokenize`] finds them in the whole text, for a range that
/// starts and ends at line boundaries: no token spans a line (a string's look-ahead for its
/// key's `:` reads on past the range, as it does in the whole text).
pub fn tokenize_range(text: &str, range: std::ops::Range<usize>) -> Vec<Token> {
    let b = text.as_bytes();
    let end = range.end.min(b.len());
    let mut tokens = Vec::with_capacity((end - range.start.min(end)) / 3);
    let mut i = range.start;
    while i < end {
        let start = i;
        let kind = match b[i] {
            b'\n' => {
                i += 1;
                Kind::Newline
            }
            b' ' | b'\t' | b'\r' => {
                while matches!(b.get(i), Some(b' ' | b'\t' | b'\r')) {
                    i += 1;
                }
                Kind::Space
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                Kind::Punct
            }
            b'"' => {
                i = string_end(text, i);
                let mut j = i;
                while matches!(b.get(j), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                    j += 1;
                }
                if b.get(j) == Some(&b':') {
                    Kind::Key
                } else if is_expression(&text[start..i]) {
                    jsonata_tokens(text, start, i, &mut tokens);
                    continue;
                } else {
                    Kind::String
                }
            }
            b'-' | b'0'..=b'9' => {
                while matches!(
                    b.get(i),
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                ) {
                    i += 1;
                }
                Kind::Number
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while b
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                match &text[start..i] {
                    "true" | "false" | "null" => Kind::Literal,
                    _ => Kind::Invalid,
                }
            }
            _ => {
                // One character, whole (it may take several bytes).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Invalid
            }
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
        });
    }
    tokens
}

/// A whole JSON string token (quotes included) that holds one JSONata expression.
fn is_expression(token: &str) -> bool {
    token.len() >= 6 && token.starts_with("\"{%") && token.ends_with("%}\"")
}

/// The tokens of the JSON string `text[start..end]`, a `"{% … %}"`: its delimiters and the
/// JSONata between them, coarsely (variables, string literals, numbers, names, the rest).
fn jsonata_tokens(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    let mut push = |kind, s, e| {
        if e > s {
            tokens.push(Token {
                kind,
                start: s,
                end: e,
            })
        }
    };
    push(Kind::ExprDelim, start, start + 3);
    let (inner_start, inner_end) = (start + 3, end - 3);
    let b = text.as_bytes();
    let mut i = inner_start;
    while i < inner_end {
        let s = i;
        let c = b[i];
        let kind = if c == b'$' {
            i += 1;
            while i < inner_end && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            Kind::ExprVariable
        } else if c == b'\'' || (c == b'\\' && b.get(i + 1) == Some(&b'"')) {
            // 'text' or \"text\" (a double-quoted JSONata string, escaped in JSON).
            let escaped = c == b'\\';
            i += if escaped { 2 } else { 1 };
            while i < inner_end {
                if escaped && b[i] == b'\\' && b.get(i + 1) == Some(&b'"') {
                    i += 2;
                    break;
                }
                if !escaped && b[i] == b'\'' {
                    i += 1;
                    break;
                }
                // An escape takes the next character with it (JSON's `\\`, `\'` …).
                i += if b[i] == b'\\' && i + 1 < inner_end {
                    2
                } else {
                    1
                };
            }
            Kind::ExprString
        } else if c.is_ascii_digit() {
            while i < inner_end && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            Kind::ExprLiteral
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < inner_end && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            match &text[s..i] {
                "true" | "false" | "null" => Kind::ExprLiteral,
                _ => Kind::ExprName,
            }
        } else {
            // One character, whole; a `\\` escape with the character it escapes.
            let len = |k: usize| text[k..].chars().next().map_or(1, char::len_utf8);
            i += len(i);
            if c == b'\\' && i < inner_end {
                i += len(i);
            }
            Kind::ExprOther
        };
        push(kind, s, i.min(inner_end));
        i = i.min(inner_end);
    }
    push(Kind::ExprDelim, inner_end, end);
}

/// Where the string opening at `start` ends: after its closing quote, or at the end of its line
/// (JSON strings cannot hold a raw line break) or of the text.
fn string_end(text: &str, start: usize) -> usize {
    let mut chars = text[start + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return start + 1 + k + 1,
            '\n' => return start + 1 + k,
            '\\' => match chars.next() {
                Some((k, '\n')) => return start + 1 + k,
                Some(_) => {}
                None => break,
            },
            _ => {}
        }
    }
    text.len()
}

/// The tokens of one line: every line of the text, each with its tokens' kinds and their
/// offsets within the line (`Newline` tokens dropped).
pub fn lines_of(text: &str, tokens: &[Token]) -> Vec<Vec<Token>> {
    let mut lines = vec![Vec::new()];
    let mut line_start = 0;
    for t in tokens {
        if t.kind == Kind::Newline {
            lines.push(Vec::new());
            line_start = t.end;
        } else if let Some(line) = lines.last_mut() {
            line.push(Token {
                kind: t.kind,
                start: t.start - line_start,
                end: t.end - line_start,
            });
        }
    }
    debug_assert_eq!(lines.len(), text.split('\n').count());
    lines
}

/// The byte range of line `i` (without its newline), for lines starting at `starts`.
pub fn line_range(text: &str, starts: &[usize], i: usize) -> std::ops::Range<usize> {
    let end = starts.get(i + 1).map_or(text.len(), |&s| s - 1);
    starts[i]..end
}

/// The 0-based line holding byte `at`, for lines starting at `starts`.
pub fn line_at(starts: &[usize], at: usize) -> usize {
    starts.partition_point(|&s| s <= at).saturating_sub(1)
}

/// The tokens of lines `first..end` of `text` (lines starting at `starts`), each line's with
/// offsets within it and no `Newline`: exactly [`lines_of`] of [`tokenize`] for those lines,
/// at the cost of those lines alone (JSON tokens never span lines). A line longer than
/// `long_line` is one uncoloured token, not tokenized at all.
pub fn tokenize_lines(
    text: &str,
    starts: &[usize],
    first: usize,
    end: usize,
    long_line: usize,
) -> Vec<Vec<Token>> {
    (first..end.min(starts.len()))
        .map(|i| {
            let range = line_range(text, starts, i);
            if range.len() > long_line {
                return vec![Token {
                    kind: Kind::Space,
                    start: 0,
                    end: range.len(),
                }];
            }
            let at = range.start;
            tokenize_range(text, range)
                .into_iter()
                .map(|t| Token {
                    kind: t.kind,
                    start: t.start - at,
                    end: t.end - at,
                })
                .collect()
        })
        .collect()
}

/// The brackets of `text[range]` (a range of whole lines) outside strings, as the `Punct`
/// tokens [`tokenize_range`] finds there, without tokenizing: what the bracket matching reads
/// lines with (a pasted text leaves the caret at its last bracket, whose partner is its first).
pub fn bracket_tokens(text: &str, range: std::ops::Range<usize>) -> Vec<Token> {
    let b = text.as_bytes();
    let end = range.end.min(b.len());
    let mut out = Vec::new();
    let mut i = range.start;
    while i < end {
        match b[i] {
            // Strings hold no brackets (and end at their line's end); every other token is
            // bracket-free too, but for the brackets themselves.
            b'"' => i = string_end(text, i),
            b'{' | b'}' | b'[' | b']' => {
                out.push(Token {
                    kind: Kind::Punct,
                    start: i,
                    end: i + 1,
                });
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// [`matching_bracket`] without the whole text's tokens: `line_tokens(i)` gives line `i`'s
/// tokens (offsets in the text), and only the caret's line and those up to the partner are
/// tokenized (all of them only when the caret is at a bracket whose partner is far).
pub fn matching_bracket_by_line(
    text: &str,
    starts: &[usize],
    caret: usize,
    line_tokens: impl Fn(usize) -> Vec<Token>,
) -> Option<(usize, usize)> {
    if starts.is_empty() || caret > text.len() {
        return None;
    }
    let line = line_at(starts, caret);
    let here = line_tokens(line);
    let after = here.partition_point(|t| t.start < caret);
    let (index, c) = [after.checked_sub(1), Some(after)]
        .into_iter()
        .flatten()
        .find_map(|k| {
            let t = here.get(k)?;
            (t.end == caret || t.start == caret).then_some(())?;
            bracket(text, t).map(|c| (k, c))
        })?;
    let (open, close) = match c {
        b'{' | b'}' => (b'{', b'}'),
        _ => (b'[', b']'),
    };
    let forward = c == open;
    let mut depth = 0usize;
    // The partner's offset, usize::MAX for a bracket of the wrong kind, None to go on.
    let mut partner = |t: &Token| -> Option<usize> {
        let c = bracket(text, t)?;
        if matches!(c, b'{' | b'[') == forward {
            depth += 1;
            return None;
        }
        if depth > 0 {
            depth -= 1;
            return None;
        }
        let wanted = if forward { close } else { open };
        Some(if c == wanted { t.start } else { usize::MAX })
    };
    let at = here[index].start;
    let found = if forward {
        here[index + 1..].iter().find_map(&mut partner).or_else(|| {
            (line + 1..starts.len()).find_map(|i| line_tokens(i).iter().find_map(&mut partner))
        })
    } else {
        here[..index]
            .iter()
            .rev()
            .find_map(&mut partner)
            .or_else(|| {
                (0..line)
                    .rev()
                    .find_map(|i| line_tokens(i).iter().rev().find_map(&mut partner))
            })
    }?;
    (found != usize::MAX).then(|| (at.min(found), at.max(found)))
}

fn bracket(text: &str, t: &Token) -> Option<u8> {
    match (t.kind, text.as_bytes().get(t.start)) {
        (Kind::Punct, Some(&c @ (b'{' | b'}' | b'[' | b']'))) => Some(c),
        _ => None,
    }
}

/// The bracket next to the caret (the one just before it first, else the one just after it)
/// and the bracket matching it, as byte offsets in order; brackets inside strings do not count.
/// `None` when the caret is next to no bracket or its partner is missing or of the wrong kind.
pub fn matching_bracket(text: &str, tokens: &[Token], caret: usize) -> Option<(usize, usize)> {
    // The token that ends at the caret, and the one that starts there.
    let after = tokens.partition_point(|t| t.start < caret);
    let candidates = [after.checked_sub(1), Some(after)];
    let (index, c) = candidates.into_iter().flatten().find_map(|k| {
        let t = tokens.get(k)?;
        let touches = t.end == caret || t.start == caret;
        touches.then_some(())?;
        bracket(text, t).map(|c| (k, c))
    })?;
    let (open, close) = match c {
        b'{' | b'}' => (b'{', b'}'),
        _ => (b'[', b']'),
    };
    let mut depth = 0usize;
    let partner = |t: &Token, depth: &mut usize, forward: bool| -> Option<Option<usize>> {
        let c = bracket(text, t)?;
        let opens = matches!(c, b'{' | b'[');
        if opens == forward {
            *depth += 1;
            return Some(None);
        }
        if *depth > 0 {
            *depth -= 1;
            return Some(None);
        }
        let wanted = if forward { close } else { open };
        Some(Some(if c == wanted { t.start } else { usize::MAX }))
    };
    let here = tokens[index].start;
    let found = if c == open {
        tokens[index + 1..]
            .iter()
            .find_map(|t| partner(t, &mut depth, true).flatten())
    } else {
        tokens[..index]
            .iter()
            .rev()
            .find_map(|t| partner(t, &mut depth, false).flatten())
    }?;
    if found == usize::MAX {
        return None;
    }
    Some((here.min(found), here.max(found)))
}

/// Why text is not JSON, and where (1-based line and column, as `serde_json` counts them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub reason: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.reason, self.line, self.column
        )
    }
}

/// Whether `text` is JSON; why not, if it is not.
pub fn check_json(text: &str) -> Result<(), JsonError> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let (line, column) = (e.line(), e.column());
            let message = e.to_string();
            let reason = message
                .strip_suffix(&format!(" at line {line} column {column}"))
                .unwrap_or(&message)
                .to_string();
            Err(JsonError {
                reason,
                line: line.max(1),
                column: column.max(1),
            })
        }
    }
}

/// Pretty-prints JSON with two spaces, as `serde_json::to_string_pretty` lays it out, but
/// keeping every key, string and number exactly as written (and the keys in their order): only
/// whitespace changes. Text that is not JSON is returned as the error, untouched.
pub fn format_json(text: &str) -> Result<String, JsonError> {
    check_json(text)?;
    let tokens = tokenize(text);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut indent = 0usize;
    let newline = |out: &mut String, indent: usize| {
        out.push('\n');
        for _ in 0..indent {
            out.push_str("  ");
        }
    };
    let mut significant = tokens
        .iter()
        .filter(|t| !matches!(t.kind, Kind::Space | Kind::Newline))
        .peekable();
    while let Some(t) = significant.next() {
        let s = &text[t.start..t.end];
        match s {
            "{" | "[" => {
                let close = if s == "{" { "}" } else { "]" };
                if significant.peek().map(|n| &text[n.start..n.end]) == Some(close) {
                    significant.next();
                    out.push_str(s);
                    out.push_str(close);
                } else {
                    out.push_str(s);
                    indent += 1;
                    newline(&mut out, indent);
                }
            }
            "}" | "]" => {
                indent = indent.saturating_sub(1);
                newline(&mut out, indent);
                out.push_str(s);
            }
            "," => {
                out.push(',');
                newline(&mut out, indent);
            }
            ":" => out.push_str(": "),
            _ => out.push_str(s),
        }
    }
    Ok(out)
}

/// The byte offset of a UTF-16 offset (the browser's `selectionStart`); past the end is the end.
pub fn byte_of_utf16(text: &str, utf16: usize) -> usize {
    // ASCII text (definitions mostly are) has one byte per unit: no walk to the caret.
    if text.is_ascii() {
        return utf16.min(text.len());
    }
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 offset of a byte offset (for `setSelectionRange`).
pub fn utf16_of_byte(text: &str, byte: usize) -> usize {
    text.char_indices()
        .take_while(|(i, _)| *i < byte)
        .map(|(_, c)| c.len_utf16())
        .sum()
}

/// The byte offset of a 1-based line and column (in characters); a column past the line's end
/// is its end, a line past the text's end is the text's end.
pub fn byte_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(k) => start += k + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |k| start + k)];
    start
        + line_text
            .char_indices()
            .nth(column.max(1) - 1)
            .map_or(line_text.len(), |(i, _)| i)
}

/// The 0-based line a byte offset is on.
pub fn line_of_byte(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn jsonata_inside_expression_strings() {
        let text = r#"{"A": "{% $states.input.n + 1 = 'x' and $f(\"y\") %}", "B": "{% x"}"#;
        let tokens = tokenize(text);
        let covered: String = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(covered, text);
        let of = |kind| -> Vec<&str> {
            tokens
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| &text[t.start..t.end])
                .collect()
        };
        assert_eq!(of(Kind::ExprDelim), ["\"{%", "%}\""]);
        assert_eq!(of(Kind::ExprVariable), ["$states", "$f"]);
        assert_eq!(of(Kind::ExprString), ["'x'", "\\\"y\\\""]);
        assert_eq!(of(Kind::ExprLiteral), ["1"]);
        assert_eq!(of(Kind::ExprName), ["input", "n", "and"]);
        // Not an expression: a plain string.
        assert_eq!(of(Kind::String), ["\"{% x\""]);
        // Brackets inside an expression do not match those outside.
        assert!(tokens
            .iter()
            .filter(|t| t.kind == Kind::Punct)
            .all(|t| !text[t.start..].starts_with('(')));
        // Any text, cut anywhere, still tokenizes without a panic.
        for k in 0..=text.len() {
            if text.is_char_boundary(k) {
                tokenize(&text[..k]);
            }
        }
        tokenize("\"{%\\%}\" \"{%é'%}\" \"{%\\\"%}\"");
    }

    use super::*;

    const SAMPLES: &[&str] = &[
        "",
        "{}",
        "{\"a\": [1, -2.5e+3, true, false, null], \"b\": {\"c\": \"d\"}}",
        "{\n  \"key\" :\n\t\"value\",\r\n  \"x\": \"esc \\\" quote \\\\\"\n}\n",
        "{\"unterminated: 1,\n\"next\": 2}",
        "// comment\n{nope: 'single', \"é😀\": \"ünï\", \"tail\\",
        "\"\\",
        "\"a\\\n\"",
        "@#$%^&*()\u{0}\u{7f}\u{fffd}",
        "[[[[[]]]]]]]]",
    ];

    #[test]
    fn tokens_cover_every_byte_exactly_once() {
        for text in SAMPLES {
            let tokens = tokenize(text);
            let mut at = 0;
            for t in &tokens {
                assert_eq!(t.start, at, "{text:?}: gap or overlap at {at}");
                assert!(t.end > t.start, "{text:?}: empty token at {at}");
                assert!(text.is_char_boundary(t.end), "{text:?}");
                at = t.end;
            }
            assert_eq!(at, text.len(), "{text:?}");
            let joined: String = tokens.iter().map(|t| &text[t.start..t.end]).collect();
            assert_eq!(&joined, text);
        }
    }

    #[test]
    fn tokens_never_span_lines() {
        for text in SAMPLES {
            for t in tokenize(text) {
                let s = &text[t.start..t.end];
                assert!(
                    !s.contains('\n') || s == "\n",
                    "{text:?}: {t:?} spans a line"
                );
            }
        }
    }

    #[test]
    fn kinds() {
        let text = "{\"k\" : \"v\", \"n\": -1.5, \"t\": true, \"z\": null, \"w\": nope}";
        let kinds: Vec<(Kind, &str)> = tokenize(text)
            .into_iter()
            .filter(|t| t.kind != Kind::Space)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Punct, "{"),
                (Kind::Key, "\"k\""),
                (Kind::Punct, ":"),
                (Kind::String, "\"v\""),
                (Kind::Punct, ","),
                (Kind::Key, "\"n\""),
                (Kind::Punct, ":"),
                (Kind::Number, "-1.5"),
                (Kind::Punct, ","),
                (Kind::Key, "\"t\""),
                (Kind::Punct, ":"),
                (Kind::Literal, "true"),
                (Kind::Punct, ","),
                (Kind::Key, "\"z\""),
                (Kind::Punct, ":"),
                (Kind::Literal, "null"),
                (Kind::Punct, ","),
                (Kind::Key, "\"w\""),
                (Kind::Punct, ":"),
                (Kind::Invalid, "nope"),
                (Kind::Punct, "}"),
            ]
        );
        // A key's colon may be on the next line.
        assert_eq!(tokenize("\"k\"\n  : 1")[0].kind, Kind::Key);
        // An unterminated string stops at the end of its line.
        let t = tokenize("\"open\n1");
        assert_eq!((t[0].kind, t[0].end), (Kind::String, 5));
        assert_eq!(t[2].kind, Kind::Number);
    }

    #[test]
    fn lines_split_between_tokens() {
        let text = "{\n  \"a\": 1\n}\n";
        let lines = lines_of(text, &tokenize(text));
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[1][1],
            Token {
                kind: Kind::Key,
                start: 2,
                end: 5
            }
        );
        assert!(lines[3].is_empty());
    }

    fn pair(text: &str, caret: usize) -> Option<(usize, usize)> {
        matching_bracket(text, &tokenize(text), caret)
    }

    #[test]
    fn brackets_match_across_nesting_and_ignore_strings() {
        let text = "{\"a\": [1, {\"b\": \"]}\"}], \"c\": {}}";
        let last = text.len() - 1;
        // Caret before the first "{" and after the last "}".
        assert_eq!(pair(text, 0), Some((0, last)));
        assert_eq!(pair(text, text.len()), Some((0, last)));
        let open = text.find('[').unwrap();
        let close = text.rfind(']').unwrap();
        assert_eq!(pair(text, open), Some((open, close)));
        assert_eq!(pair(text, open + 1), Some((open, close)));
        assert_eq!(pair(text, close + 1), Some((open, close)));
        let empty = text.find("{}").unwrap();
        assert_eq!(pair(text, empty + 1), Some((empty, empty + 1)));
        // Inside a string, next to its "]": no bracket there.
        let quoted = text.find("\"]").unwrap() + 1;
        assert_eq!(pair(text, quoted + 1), None);
        // Next to no bracket.
        assert_eq!(pair(text, 3), None);
    }

    #[test]
    fn unmatched_and_mismatched_brackets_have_no_partner() {
        assert_eq!(pair("[1, 2", 0), None);
        assert_eq!(pair("1, 2]", 5), None);
        assert_eq!(pair("[1}", 0), None);
        assert_eq!(pair("{[}", 0), None);
        assert_eq!(pair("", 0), None);
        assert_eq!(pair("[]", 99), None);
    }

    fn starts_of(text: &str) -> Vec<usize> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    }

    /// The editor's way (the window's lines alone) finds what the whole text's tokens hold.
    fn assert_lines_alone_agree(text: &str) {
        let starts = starts_of(text);
        let whole = lines_of(text, &tokenize(text));
        for first in 0..starts.len() {
            for end in [first + 1, starts.len()] {
                assert_eq!(
                    tokenize_lines(text, &starts, first, end, usize::MAX),
                    whole[first..end],
                    "{text:?} lines {first}..{end}"
                );
            }
        }
        let alone = |i| tokenize_range(text, line_range(text, &starts, i));
        let brackets = |i| bracket_tokens(text, line_range(text, &starts, i));
        for caret in 0..=text.len() + 1 {
            let want = pair(text, caret);
            assert_eq!(
                matching_bracket_by_line(text, &starts, caret, alone),
                want,
                "{text:?} caret {caret}"
            );
            assert_eq!(
                matching_bracket_by_line(text, &starts, caret, brackets),
                want,
                "{text:?} caret {caret}, brackets alone"
            );
        }
    }

    #[test]
    fn lines_tokenized_alone_are_the_whole_texts() {
        for text in SAMPLES {
            assert_lines_alone_agree(text);
        }
        assert_lines_alone_agree("{\n  \"k\"\n  : [\n  {\"a\": \"]\"},\n  \"{% $x[0] %}\"\n]\n}");
        // A line over the limit is one uncoloured token, not tokenized.
        let long = format!("[\"{}\"]\n1", "x".repeat(50));
        let starts = starts_of(&long);
        let lines = tokenize_lines(&long, &starts, 0, 2, 10);
        assert_eq!(
            lines[0],
            [Token {
                kind: Kind::Space,
                start: 0,
                end: 54
            }]
        );
        assert_eq!(lines[1][0].kind, Kind::Number);
    }

    #[test]
    fn line_of_a_byte() {
        let starts = starts_of("ab\n\ncd");
        assert_eq!(
            [0, 2, 3, 4, 6, 99].map(|at| line_at(&starts, at)),
            [0, 0, 1, 2, 2, 2]
        );
    }

    #[test]
    fn format_keeps_tokens_and_order_and_lays_out_like_serde_json() {
        let text = r#"{"b":1,"a":[1,2,{"x":{},"y":[]}],"c":{"d":null}}"#;
        let pretty = format_json(text).unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(pretty, serde_json::to_string_pretty(&value).unwrap());
        // Numbers and escapes exactly as written (serde_json would rewrite them).
        let exact =
            "{\"n\": 1.0e2, \"big\": 123456789012345678901234567890, \"s\": \"\\u00e9\\/\"}";
        assert_eq!(
            format_json(exact).unwrap(),
            "{\n  \"n\": 1.0e2,\n  \"big\": 123456789012345678901234567890,\n  \"s\": \"\\u00e9\\/\"\n}"
        );
        assert_eq!(format_json("  [ ]  ").unwrap(), "[]");
        assert_eq!(format_json("\"x\"").unwrap(), "\"x\"");
        // Idempotent.
        assert_eq!(format_json(&pretty).unwrap(), pretty);
    }

    #[test]
    fn format_refuses_invalid_json_and_says_where() {
        let e = format_json("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(e.reason, "trailing comma");
        assert_eq!(e.to_string(), "trailing comma at line 3, column 1");
        assert!(format_json("").is_err());
    }

    #[test]
    fn utf16_and_byte_offsets() {
        let text = "aé😀\nb";
        assert_eq!(byte_of_utf16(text, 0), 0);
        assert_eq!(byte_of_utf16(text, 2), 3);
        assert_eq!(byte_of_utf16(text, 4), 7);
        assert_eq!(byte_of_utf16(text, 99), text.len());
        assert_eq!(utf16_of_byte(text, 7), 4);
        assert_eq!(utf16_of_byte(text, 8), 5);
        assert_eq!(byte_of_line_col(text, 1, 3), 3);
        assert_eq!(byte_of_line_col(text, 2, 1), 8);
        assert_eq!(byte_of_line_col(text, 2, 9), 9);
        assert_eq!(byte_of_line_col(text, 9, 1), 9);
        assert_eq!(line_of_byte(text, 8), 1);
        assert_eq!(line_of_byte(text, 0), 0);
    }

    #[test]
    fn mangled_text_never_panics_and_format_keeps_the_value() {
        let base = "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Pass\", \"Result\": [1, -2.5e3, \"\\u00e9]\"], \"End\": true}}\n}";
        let pieces = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "é", "😀", "\n", " ", "1", "x",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut below = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..2000 {
            let mut text = base.to_string();
            for _ in 0..1 + below(3) {
                let chars: Vec<(usize, char)> = text.char_indices().collect();
                let (at, c) = chars[below(chars.len())];
                let piece = pieces[below(pieces.len())];
                if below(2) == 0 {
                    text.replace_range(at..at + c.len_utf8(), piece);
                } else {
                    text.insert_str(at, piece);
                }
            }
            let tokens = tokenize(&text);
            let covered: usize = tokens.iter().map(|t| t.end - t.start).sum();
            assert_eq!(covered, text.len());
            assert_eq!(lines_of(&text, &tokens).len(), text.split('\n').count());
            for caret in 0..=text.len() + 1 {
                if let Some((a, b)) = matching_bracket(&text, &tokens, caret) {
                    assert!(a < b && b < text.len(), "{text:?} {caret}");
                }
            }
            assert_lines_alone_agree(&text);
            match format_json(&text) {
                Ok(pretty) => {
                    let before: serde_json::Value = serde_json::from_str(&text).unwrap();
                    let after: serde_json::Value = serde_json::from_str(&pretty).unwrap();
                    assert_eq!(before, after, "{text:?}");
                }
                Err(e) => assert!(e.line >= 1 && e.column >= 1),
            }
        }
    }
}
