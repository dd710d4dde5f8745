//! YAML text as the editors see it: the same [`Token`]s as JSON's (keys, strings, numbers,
//! literals, punctuation), plus comments, so a YAML definition or a template is highlighted
//! instead of being marked invalid word by word.
//!
//! Line by line, one pass, tolerant like the JSON tokenizer: any text becomes tokens that cover
//! it exactly; it never fails. It colours, it does not check: the importer says what is wrong.

use super::json_syntax::{Kind, Token};

/// Splits `text` into tokens that cover every byte exactly once, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        line_tokens(body, start, &mut tokens);
        if body.len() < line.len() {
            let at = start + body.len();
            tokens.push(Token {
                kind: Kind::Newline,
                start: at,
                end: at + 1,
            });
        }
        start += line.len();
    }
    tokens
}

fn line_tokens(line: &str, offset: usize, tokens: &mut Vec<Token>) {
    let bytes = line.as_bytes();
    let mut push = |kind, start: usize, end: usize| {
        if end > start {
            tokens.push(Token {
                kind,
                start: offset + start,
                end: offset + end,
            });
        }
    };
    // Whether a `: ` may follow: the value of `key:` or a `- ` item starts a new node.
    let mut flow = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t');
        let next_blank = |j: usize| j >= bytes.len() || matches!(bytes[j], b' ' | b'\t');
        let end = match c {
            b' ' | b'\t' | b'\r' => {
                let end = run(bytes, i, |b| matches!(b, b' ' | b'\t' | b'\r'));
                push(Kind::Space, i, end);
                end
            }
            b'#' if after_space => {
                push(Kind::Comment, i, bytes.len());
                bytes.len()
            }
            b'"' | b'\'' => {
                let end = quoted(bytes, i);
                let kind = if is_key(bytes, end) {
                    Kind::Key
                } else {
                    Kind::String
                };
                push(kind, i, end);
                end
            }
            b'[' | b'{' | b']' | b'}' | b',' => {
                match c {
                    b'[' | b'{' => flow += 1,
                    b']' | b'}' => flow = flow.saturating_sub(1),
                    _ => {}
                }
                push(Kind::Punct, i, i + 1);
                i + 1
            }
            b'-' | b':' | b'?' if next_blank(i + 1) => {
                push(Kind::Punct, i, i + 1);
                i + 1
            }
            b'|' | b'>' if after_space => {
                let end = run(bytes, i, |b| !matches!(b, b' ' | b'\t' | b'#'));
                push(Kind::Punct, i, end);
                end
            }
            b'!' | b'&' | b'*' => {
                let end = run(bytes, i, |b| {
                    !matches!(b, b' ' | b'\t' | b',' | b']' | b'}')
                });
                push(Kind::Literal, i, end);
                end
            }
            _ => {
                let end = plain(bytes, i, flow > 0);
                let word = &line[i..end];
                let kind = if is_key(bytes, end) {
                    Kind::Key
                } else if matches!(
                    word,
                    "true"
                        | "True"
                        | "TRUE"
                        | "false"
                        | "False"
                        | "FALSE"
                        | "null"
                        | "Null"
                        | "NULL"
                        | "~"
                ) {
                    Kind::Literal
                } else if word.parse::<f64>().is_ok() && !word.ends_with(['.', 'e', 'E']) {
                    Kind::Number
                } else {
                    Kind::String
                };
                push(kind, i, end);
                end
            }
        };
        // Always forward, and never inside a character.
        i = end.max(i + 1);
        while i < bytes.len() && !line.is_char_boundary(i) {
            i += 1;
        }
    }
}

/// The end of the run of bytes from `i` that `keep` accepts.
fn run(bytes: &[u8], i: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut j = i;
    while j < bytes.len() && keep(bytes[j]) {
        j += 1;
    }
    j
}

/// The end of a quoted scalar starting at `i` (its closing quote included), or the line's end.
fn quoted(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if quote == b'"' => j += 2,
            b'\'' if quote == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 2,
            b if b == quote => return j + 1,
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The end of a plain scalar from `i`: before `: `, ` #`, the line's end, or (in a flow
/// collection) `,`, `]`, `}`.
fn plain(bytes: &[u8], i: usize, flow: bool) -> usize {
    let mut j = i;
    while j < bytes.len() {
        let b = bytes[j];
        let blank_after = j + 1 >= bytes.len() || matches!(bytes[j + 1], b' ' | b'\t');
        if (b == b':' && (blank_after || flow))
            || (b == b'#' && j > i && bytes[j - 1] == b' ')
            || (flow && matches!(b, b',' | b']' | b'}'))
        {
            break;
        }
        j += 1;
    }
    // Trailing spaces are not part of the scalar.
    while j > i + 1 && matches!(bytes[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    j.max(i + 1).min(bytes.len())
}

/// Whether the scalar ending at `end` is a key: `:` follows (after spaces), then a blank.
fn is_key(bytes: &[u8], end: usize) -> bool {
    let j = run(bytes, end, |b| b == b' ');
    bytes.get(j) == Some(&b':')
        && (j + 1 >= bytes.len() || matches!(bytes[j + 1], b' ' | b'\t' | b',' | b'}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind != Kind::Space)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn a_definition_and_a_template() {
        use Kind::*;
        assert_eq!(
            kinds("StartAt: Open Case # first\nStates:\n  - n: 1.5\n    'k': [a, \"b\", true]\n"),
            [
                (Key, "StartAt"),
                (Punct, ":"),
                (String, "Open Case"),
                (Comment, "# first"),
                (Newline, "\n"),
                (Key, "States"),
                (Punct, ":"),
                (Newline, "\n"),
                (Punct, "-"),
                (Key, "n"),
                (Punct, ":"),
                (Number, "1.5"),
                (Newline, "\n"),
                (Key, "'k'"),
                (Punct, ":"),
                (Punct, "["),
                (String, "a"),
                (Punct, ","),
                (String, "\"b\""),
                (Punct, ","),
                (Literal, "true"),
                (Punct, "]"),
                (Newline, "\n"),
            ]
        );
        assert_eq!(
            kinds("RoleArn: !GetAtt [Role, Arn]\nS: !Sub |-\n  arn:aws:${X}"),
            [
                (Key, "RoleArn"),
                (Punct, ":"),
                (Literal, "!GetAtt"),
                (Punct, "["),
                (String, "Role"),
                (Punct, ","),
                (String, "Arn"),
                (Punct, "]"),
                (Newline, "\n"),
                (Key, "S"),
                (Punct, ":"),
                (Literal, "!Sub"),
                (Punct, "|-"),
                (Newline, "\n"),
                (String, "arn:aws:${X}"),
            ]
        );
    }

    #[test]
    fn tokens_cover_any_text_exactly() {
        for text in [
            "",
            "a: 'unterminated\n\"x\\",
            "é: ü # ☃\n- - ]]}}: ::",
            "\t\r\n#\n!\n&a *a |",
            "{a: b, c: [d: e]}",
        ] {
            let tokens = tokenize(text);
            let mut at = 0;
            for t in &tokens {
                assert_eq!(t.start, at, "{text:?}: {tokens:?}");
                assert!(t.end > t.start && text.is_char_boundary(t.end));
                at = t.end;
            }
            assert_eq!(at, text.len(), "{text:?}");
        }
    }
}
