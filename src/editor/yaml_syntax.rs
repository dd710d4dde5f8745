//! YAML text as the editors see it: the same [`Token`]s as JSON's (keys, strings, numbers,
//! literals, punctuation), plus comments, so a YAML definition or a template is highlighted
//! instead of being marked invalid word by word.
//!
//! Line by line, one pass, tolerant like the JSON tokenizer: any text becomes tokens that cover
//! it exactly; it never fails. It colours, it does not check: the importer says what is wrong.
//! The one thing carried from line to line is whether a line is inside a block scalar (`|`,
//! `>`): its lines are text, one string each, whatever they hold.
//!
//! The editor colours only the lines in view ([`tokenize_lines`]): whether the first of them is
//! inside a block scalar is found by walking up from it over lines' indentation alone (see
//! [`state_at`]), so a keystroke costs the lines in view, not the whole text.

use super::json_syntax::{line_range, Kind, Token};

/// Splits `text` into tokens that cover every byte exactly once, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut block = Block::Out;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        block = step(block, body, start, &mut tokens);
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

/// The tokens of lines `first..end` of `text` (lines starting at `starts`), each line's with
/// offsets within it and no `Newline`: exactly those [`tokenize`] finds for these lines. A line
/// longer than `long_line` is one uncoloured token.
pub fn tokenize_lines(
    text: &str,
    starts: &[usize],
    first: usize,
    end: usize,
    long_line: usize,
) -> Vec<Vec<Token>> {
    let end = end.min(starts.len());
    if first >= end {
        return Vec::new();
    }
    let mut block = state_at(text, starts, first);
    (first..end)
        .map(|i| {
            let range = line_range(text, starts, i);
            let mut tokens = Vec::new();
            block = step(block, &text[range.clone()], 0, &mut tokens);
            if range.len() > long_line {
                tokens = vec![Token {
                    kind: Kind::Space,
                    start: 0,
                    end: range.len(),
                }];
            }
            tokens
        })
        .collect()
}

/// The tokens of one line alone (offsets in the text), as if no block scalar were open: what
/// the bracket matching reads (brackets are flow collections', never a block scalar's).
pub fn line_alone(text: &str, starts: &[usize], i: usize) -> Vec<Token> {
    let range = line_range(text, starts, i);
    let mut tokens = Vec::new();
    line_tokens(&text[range.clone()], range.start, &mut tokens);
    tokens
}

/// Whether a line starts inside a block scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Out,
    /// After a header (`key: |`): the first non-blank line indented more than `parent` starts
    /// the content (and sets its indentation); one indented less or as much ends it, empty.
    Pending {
        parent: usize,
    },
    /// In the content: blank lines and lines indented at least `indent` are text.
    In {
        indent: usize,
    },
}

/// A line's indentation (spaces), or `None` for a blank line (only white space).
fn indent_of(line: &str) -> Option<usize> {
    let k = line.bytes().take_while(|&b| b == b' ').count();
    line.as_bytes()[k..]
        .iter()
        .any(|b| !matches!(b, b' ' | b'\t' | b'\r'))
        .then_some(k)
}

/// Tokenizes one line (`offset`: where it is in the text) in state `block`; the state the next
/// line starts in.
fn step(block: Block, line: &str, offset: usize, tokens: &mut Vec<Token>) -> Block {
    let indent = indent_of(line);
    let content = match block {
        Block::Out => None,
        Block::In { indent: at_least } => (indent.is_none_or(|k| k >= at_least)).then_some(block),
        Block::Pending { parent } => match indent {
            None => Some(block),
            Some(k) if k > parent => Some(Block::In { indent: k }),
            Some(_) => None,
        },
    };
    if let Some(next) = content {
        // Text: its indentation, then the rest as one string.
        let lead = line
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r'))
            .count();
        for (kind, start, end) in [(Kind::Space, 0, lead), (Kind::String, lead, line.len())] {
            if end > start {
                tokens.push(Token {
                    kind,
                    start: offset + start,
                    end: offset + end,
                });
            }
        }
        return next;
    }
    let from = tokens.len();
    line_tokens(line, offset, tokens);
    header(line, offset, &tokens[from..]).unwrap_or(Block::Out)
}

/// The block scalar a line opens, if it ends (before a comment) with a `|` or `>` header.
fn header(line: &str, offset: usize, tokens: &[Token]) -> Option<Block> {
    let text = |t: &Token| &line[t.start - offset..t.end - offset];
    let last = tokens
        .iter()
        .rev()
        .find(|t| !matches!(t.kind, Kind::Space | Kind::Comment))?;
    let h = text(last);
    if last.kind != Kind::Punct || !h.starts_with(['|', '>']) {
        return None;
    }
    // The node's indentation: where its key is (after any `- `), or, for `- |`, the dash's.
    let mut parent = indent_of(line).unwrap_or(0).saturating_sub(1);
    for t in tokens.iter().filter(|t| t.kind != Kind::Space) {
        if t.kind == Kind::Punct && text(t) == "-" {
            parent = t.start - offset;
        } else {
            if !std::ptr::eq(t, last) {
                parent = t.start - offset;
            }
            break;
        }
    }
    // An explicit indentation indicator (`|2`, `>-1`) fixes the content's indentation.
    match h.bytes().find(u8::is_ascii_digit) {
        Some(d) if d > b'0' => Some(Block::In {
            indent: parent + usize::from(d - b'0'),
        }),
        _ => Some(Block::Pending { parent }),
    }
}

/// The state line `line` starts in, found by walking up over lines' indentation alone: a block
/// scalar holding the line was opened by a line less indented than every non-blank line below
/// it (a "candidate"); only candidates are tokenized, top-down, to find the first header whose
/// content reaches the line. The walk stops at a line indented 0 (never inside a block scalar,
/// bar a whole document that is one, which is no definition).
fn state_at(text: &str, starts: &[usize], line: usize) -> Block {
    // (line, its indentation, the indentation of the first non-blank line below it)
    let mut candidates: Vec<(usize, usize, Option<usize>)> = Vec::new();
    let mut least = usize::MAX;
    let mut below = None;
    for i in (0..line.min(starts.len())).rev() {
        let Some(k) = indent_of(&text[line_range(text, starts, i)]) else {
            continue;
        };
        if k < least {
            candidates.push((i, k, below));
            least = k;
            if k == 0 {
                break;
            }
        }
        below = Some(k);
    }
    candidates.reverse();
    for (j, &(i, _, first_below)) in candidates.iter().enumerate() {
        let range = line_range(text, starts, i);
        let mut tokens = Vec::new();
        line_tokens(&text[range.clone()], range.start, &mut tokens);
        let Some(opened) = header(&text[range.clone()], range.start, &tokens) else {
            continue;
        };
        // Only blank lines between the header and `line`: the content is still to come (or,
        // with an indentation indicator, already set).
        let Some(first) = first_below else {
            return opened;
        };
        let indent = match opened {
            Block::In { indent } => indent,
            Block::Pending { parent } if first > parent => first,
            // Its first line is not indented more than its parent: an empty scalar.
            _ => continue,
        };
        // It reaches `line` if no line between is indented less: the least indentation
        // between is the next candidate's.
        if candidates.get(j + 1).is_some_and(|c| c.1 >= indent) {
            return Block::In { indent };
        }
    }
    Block::Out
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

    fn texts(text: &str) -> Vec<(Kind, &str)> {
        kinds(text)
            .into_iter()
            .filter(|(k, _)| *k != Kind::Newline)
            .collect()
    }

    #[test]
    fn block_scalars_are_text_to_their_end() {
        use Kind::*;
        let text = "a: |\n  b: [c\n\n  # not a comment\nd: >-\n    e\n   f\n  g: 1\n";
        assert_eq!(
            texts(text),
            [
                (Key, "a"),
                (Punct, ":"),
                (Punct, "|"),
                (String, "b: [c"),
                (String, "# not a comment"),
                (Key, "d"),
                (Punct, ":"),
                (Punct, ">-"),
                (String, "e"),
                (String, "f"),
                (Key, "g"),
                (Punct, ":"),
                (Number, "1"),
            ]
        );
        // Under a sequence's dash; with an indentation indicator; empty (nothing indented).
        assert_eq!(
            texts("- |\n x: 1\n- k: |2\n     y: 2\n- z: |\n- w: 3"),
            [
                (Punct, "-"),
                (Punct, "|"),
                (String, "x: 1"),
                (Punct, "-"),
                (Key, "k"),
                (Punct, ":"),
                (Punct, "|2"),
                (String, "y: 2"),
                (Punct, "-"),
                (Key, "z"),
                (Punct, ":"),
                (Punct, "|"),
                (Punct, "-"),
                (Key, "w"),
                (Punct, ":"),
                (Number, "3"),
            ]
        );
    }

    fn starts_of(text: &str) -> Vec<usize> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    }

    /// Whatever line the editor's window starts at, its lines get the whole text's tokens: the
    /// walk up finds the block scalar the first of them is in.
    #[test]
    fn lines_in_view_alone_get_the_whole_texts_tokens() {
        let texts = [
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Comment: |\n      one\n\n        two: [\n      three\n    End: true\n",
            "Resources:\n  M:\n    Properties:\n      DefinitionString: !Sub |\n        {\n          \"StartAt\": \"A\",\n\n          \"States\": {}\n        }\n      RoleArn: x\n",
            "a:\n  - |\n    x\n  - b: >2\n       y\n\n    z\n  - c: |\n  - d\n    e: |\n\n",
            "k: |\n\n\n  late\nm: 1\n  n: |\n   o\n    p\n  q\n",
            "x: |\n  a\n y\n  z: |\n   w\n",
            "",
            "|\n  root",
            "  indented: |\n     deep\n   shallower\n",
        ];
        for text in texts {
            let starts = starts_of(text);
            let whole = super::super::json_syntax::lines_of(text, &tokenize(text));
            for first in 0..starts.len() {
                assert_eq!(
                    tokenize_lines(text, &starts, first, starts.len(), usize::MAX),
                    whole[first..],
                    "{text:?} from line {first}"
                );
            }
        }
    }

    /// The same for texts made of random lines: keys, dashes, headers, text, blanks, comments,
    /// at random indentations.
    #[test]
    fn random_lines_in_view_agree_with_the_whole_text() {
        let bodies = [
            "k: |", "- |", "- k: >-", "k: |2", "k: v", "- v", "text", "# c", "", "  ", "[a,", "}",
            "\"q: |\"", "k: | # c",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut below = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..400 {
            let lines: Vec<String> = (0..1 + below(12))
                .map(|_| format!("{}{}", " ".repeat(below(7)), bodies[below(bodies.len())]))
                .collect();
            let text = lines.join("\n");
            let starts = starts_of(&text);
            let whole = super::super::json_syntax::lines_of(&text, &tokenize(&text));
            for first in 0..starts.len() {
                assert_eq!(
                    tokenize_lines(&text, &starts, first, starts.len(), usize::MAX),
                    whole[first..],
                    "{text:?} from line {first}"
                );
            }
        }
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
