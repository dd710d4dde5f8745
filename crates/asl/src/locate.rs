//! Where a JSON pointer points in the text it was taken from: [`line_col`] maps a
//! [`Diagnostic`](crate::Diagnostic)'s `location` (`/States/Open Case/Next`) back to a line and
//! column, so an editor can mark the line and move the caret there.
//!
//! The scanner is its own, small and strict about JSON's grammar (what `serde_json` accepts),
//! but it never panics: text that is not JSON gives `None`. It makes one pass over the text with
//! an explicit stack (no recursion, so any depth of nesting is fine) and decodes only the keys
//! on the pointer's path: linear in the text's length.
//!
//! When a key appears twice in an object, the last one wins, as it does when `serde_json`
//! parses the definition.

/// The 1-based line and column (counted in characters) of the value `pointer` (RFC 6901:
/// `~1` is `/`, `~0` is `~`; both `""` and `"/"` are the root, as the engine writes it) points
/// to in `text`.
///
/// When the pointed-to value does not exist (a missing field: "These fields are required"),
/// this is the nearest ancestor that does. `None` when `text` is not JSON or `pointer` is not a
/// pointer (a syntax error's location, `line 3, column 5`, is not).
pub fn line_col(text: &str, pointer: &str) -> Option<(usize, usize)> {
    offset(text, pointer).map(|at| line_col_of_offset(text, at))
}

/// [`line_col`] as a byte offset into `text`: where the value (or its nearest existing
/// ancestor) starts.
pub fn offset(text: &str, pointer: &str) -> Option<usize> {
    let tokens = parse_pointer(pointer)?;
    Scanner::new(text.as_bytes(), &tokens).run()
}

/// Like [`line_col`], at character `within` of the string value `pointer` points to (counted
/// in the string as decoded: `\n` and `\u00e9` are one character each, as a surrogate pair
/// written `\uD83D\uDE00` is): where a problem inside a `{% … %}` expression is. A value that
/// is not a string gives its own start.
pub fn line_col_within(text: &str, pointer: &str, within: usize) -> Option<(usize, usize)> {
    let start = offset(text, pointer)?;
    let b = text.as_bytes();
    if b.get(start) != Some(&b'"') {
        return Some(line_col_of_offset(text, start));
    }
    let mut i = start + 1;
    let mut count = 0;
    while count < within && i < b.len() && b[i] != b'"' {
        i += match b[i] {
            b'\\' if b.get(i + 1) == Some(&b'u') => {
                let high = b
                    .get(i + 2..i + 6)
                    .and_then(|h| std::str::from_utf8(h).ok());
                let high = high.and_then(|h| u32::from_str_radix(h, 16).ok());
                let pair = high.is_some_and(|h| (0xD800..0xDC00).contains(&h))
                    && b.get(i + 6..i + 8) == Some(b"\\u");
                if pair {
                    12
                } else {
                    6
                }
            }
            b'\\' => 2,
            first => utf8_len(first),
        };
        count += 1;
    }
    Some(line_col_of_offset(text, i.min(b.len())))
}

/// The length of the UTF-8 sequence that starts with `first`.
fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The 1-based line and column (in characters) of a byte offset; an offset past the end, or
/// inside a character, counts as the next character boundary.
pub fn line_col_of_offset(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let before = &text[..end];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The reference tokens of a pointer, unescaped; `None` if it is not a pointer.
fn parse_pointer(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() || pointer == "/" {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Object,
    Array,
}

struct Frame {
    kind: Kind,
    /// This container is the value at the pointer's first `depth` tokens.
    on_path: bool,
    /// The index of the current element (arrays).
    index: usize,
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    tokens: &'a [String],
    stack: Vec<Frame>,
    /// `found[d]`: where the value at the pointer's first `d` tokens starts, for each `d` seen
    /// so far (a value is on the path only when its parent is, so these are a prefix).
    found: Vec<usize>,
}

impl<'a> Scanner<'a> {
    fn new(b: &'a [u8], tokens: &'a [String]) -> Self {
        Scanner {
            b,
            i: 0,
            tokens,
            stack: Vec::new(),
            found: Vec::new(),
        }
    }

    fn run(mut self) -> Option<usize> {
        self.ws();
        // The value about to be scanned is on the pointer's path.
        let mut on_path = true;
        loop {
            self.value(on_path)?;
            // After a value: close containers until one expects another member.
            loop {
                self.ws();
                let Some(top) = self.stack.last() else {
                    // The root value ended: only whitespace may follow.
                    return (self.i == self.b.len()).then(|| self.deepest());
                };
                let kind = top.kind;
                match (self.peek()?, kind) {
                    (b',', _) => {
                        self.i += 1;
                        self.ws();
                        on_path = self.member(kind)?;
                        break;
                    }
                    (b'}', Kind::Object) | (b']', Kind::Array) => {
                        self.i += 1;
                        self.stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// The deepest value of the path that was found.
    fn deepest(&self) -> usize {
        self.found.last().copied().unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Records where a value on the path starts; anything deeper found before belonged to an
    /// earlier duplicate key.
    fn record(&mut self, on_path: bool) {
        if on_path {
            self.found.truncate(self.stack.len());
            self.found.push(self.i);
        }
    }

    /// Scans one value at `self.i`. A container is only opened: its first member's key (and
    /// colon) are read and that member's value is scanned next, here too, so `[[[[1]]]]` uses
    /// the explicit stack, not the call stack; the caller's loop scans the members after it.
    fn value(&mut self, mut on_path: bool) -> Option<()> {
        loop {
            self.ws();
            self.record(on_path);
            match self.peek()? {
                b'{' | b'[' => {
                    let kind = if self.b[self.i] == b'{' {
                        Kind::Object
                    } else {
                        Kind::Array
                    };
                    let close = if kind == Kind::Object { b'}' } else { b']' };
                    self.i += 1;
                    self.stack.push(Frame {
                        kind,
                        on_path,
                        index: 0,
                    });
                    self.ws();
                    if self.peek()? == close {
                        self.i += 1;
                        self.stack.pop();
                        return Some(());
                    }
                    on_path = self.first_member(kind)?;
                }
                b'"' => return self.string().map(drop),
                b't' => return self.literal(b"true"),
                b'f' => return self.literal(b"false"),
                b'n' => return self.literal(b"null"),
                b'-' | b'0'..=b'9' => return self.number(),
                _ => return None,
            }
        }
    }

    /// The first member of a container just opened: whether its value is on the path.
    fn first_member(&mut self, kind: Kind) -> Option<bool> {
        match kind {
            Kind::Object => self.key(),
            Kind::Array => Some(self.index_on_path()),
        }
    }

    /// The next member after a comma: whether its value is on the path.
    fn member(&mut self, kind: Kind) -> Option<bool> {
        match kind {
            Kind::Object => self.key(),
            Kind::Array => {
                if let Some(top) = self.stack.last_mut() {
                    top.index += 1;
                }
                Some(self.index_on_path())
            }
        }
    }

    /// Whether the current array element is on the path.
    fn index_on_path(&self) -> bool {
        let depth = self.stack.len();
        let Some(top) = self.stack.last() else {
            return false;
        };
        top.on_path
            && self
                .tokens
                .get(depth - 1)
                .is_some_and(|t| is_index(t, top.index))
    }

    /// Reads `"key" :` and says whether the member's value is on the path.
    fn key(&mut self) -> Option<bool> {
        if self.peek()? != b'"' {
            return None;
        }
        let depth = self.stack.len();
        let wanted = match self.stack.last() {
            Some(top) if top.on_path => self.tokens.get(depth - 1),
            _ => None,
        };
        let start = self.i;
        self.string()?;
        let on_path = wanted.is_some_and(|w| decode(&self.b[start + 1..self.i - 1]) == *w);
        self.ws();
        if self.peek()? != b':' {
            return None;
        }
        self.i += 1;
        Some(on_path)
    }

    /// Skips a string (at its opening quote), checking its escapes.
    fn string(&mut self) -> Option<()> {
        self.i += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            let hex = self.b.get(self.i + 1..self.i + 5)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.i += 5;
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => self.i += 1,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
    }
}

/// Whether a pointer token names array index `index` (`0`, `12`; never `01` or `-`).
fn is_index(token: &str, index: usize) -> bool {
    (token == "0" || !token.starts_with('0'))
        && token.bytes().all(|b| b.is_ascii_digit())
        && token.parse::<usize>().ok() == Some(index)
}

/// The text of a string's contents (between its quotes, already checked), escapes decoded.
/// A lone surrogate becomes U+FFFD.
fn decode(raw: &[u8]) -> String {
    let raw = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let hex4 = |chars: &mut std::str::Chars| -> Option<u32> {
        let s: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&s, 16).ok()
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let Some(high) = hex4(&mut chars) else {
                    out.push('\u{fffd}');
                    continue;
                };
                let code = if (0xD800..0xDC00).contains(&high) {
                    // A surrogate pair is written as two escapes: \uD83D\uDE00.
                    let mut ahead = chars.clone();
                    match (ahead.next(), ahead.next()) {
                        (Some('\\'), Some('u')) => match hex4(&mut ahead) {
                            Some(low) if (0xDC00..0xE000).contains(&low) => {
                                chars = ahead;
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            }
                            _ => 0xFFFD,
                        },
                        _ => 0xFFFD,
                    }
                } else {
                    high
                };
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_inside_a_string_count_decoded_characters() {
        let text = "{\n  \"Output\": \"{% $a \\n\\u00e9\\uD83D\\uDE00 é x %}\"\n}";
        // The string decodes to `{% $a ⏎é😀 é x %}`: character 12 is the `x`.
        let x = text.find(" x").unwrap() + 1;
        assert_eq!(
            line_col_within(text, "/Output", 12),
            Some(line_col_of_offset(text, x))
        );
        assert_eq!(line_col_within(text, "/Output", 0), Some((2, 14)));
        // Past the end: the closing quote.
        let end = text.rfind('"').unwrap();
        assert_eq!(
            line_col_within(text, "/Output", 99),
            Some(line_col_of_offset(text, end))
        );
        // Not a string: the value's start.
        assert_eq!(line_col_within("{\"a\": 1}", "/a", 3), Some((1, 7)));
    }

    #[test]
    fn pointers_unescape_in_rfc_order() {
        assert_eq!(parse_pointer("/"), Some(vec![]));
        assert_eq!(parse_pointer(""), Some(vec![]));
        assert_eq!(
            parse_pointer("/a~1b/c~0d/~01"),
            Some(vec!["a/b".into(), "c~d".into(), "~1".into()])
        );
        assert_eq!(parse_pointer("line 3, column 5"), None);
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        assert_eq!(decode(br#"a\"b\\c\/\n\u00e9"#), "a\"b\\c/\n\u{e9}");
        assert_eq!(decode(br"\uD83D\uDE00"), "\u{1F600}");
        assert_eq!(decode(br"\uD83Dx"), "\u{fffd}x");
    }
}
