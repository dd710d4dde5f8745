//! A small regular-expression engine for Jayway's `=~ /pattern/` and `/pattern/i`: the
//! common subset of `java.util.regex` (literals and escapes, `.`, classes, `\d \w \s`,
//! anchors, `\b`, groups, alternation, greedy and lazy quantifiers, lookahead), matched
//! against the whole text as Java's `Matcher.matches()` does.
//!
//! Matching is a backtracking search over a compiled program that never revisits a
//! (instruction, position) pair, so it takes time and memory proportional to program size ×
//! text length, whatever the pattern. Java features outside the subset (back-references,
//! lookbehind, possessive and atomic groups, inline flags, `\p{…}`, class intersections) are
//! rejected when the path is parsed.

/// Largest program (instructions) a pattern may compile to: counted repetitions expand.
const MAX_PROGRAM: usize = 10_000;
/// Nesting of groups in a pattern.
const MAX_NESTING: usize = 64;
/// Largest instructions × text length one match may explore.
const MAX_WORK: usize = 50_000_000;

#[derive(Debug, Clone)]
pub(crate) struct Regex {
    source: String,
    program: Vec<Inst>,
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Any,
    Class(Box<Class>),
    /// Try the first, then the second.
    Split(usize, usize),
    Jmp(usize),
    Start,
    End,
    WordBoundary(bool),
    Look {
        program: Vec<Inst>,
        negate: bool,
    },
    Match,
}

#[derive(Debug, Clone)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Debug, Clone, Copy)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    WordBoundary(bool),
    Look(Box<Node>, bool),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
}

impl Regex {
    pub(crate) fn new(source: &str, ignore_case: bool) -> Result<Regex, String> {
        let mut parser = Parser {
            chars: source.chars().collect(),
            pos: 0,
            ignore_case,
            depth: 0,
        };
        let node = parser.alternation()?;
        if parser.pos < parser.chars.len() {
            return Err(format!(
                "Unmatched closing ')' near index {} {source}",
                parser.pos
            ));
        }
        let mut program = Vec::new();
        emit(&node, &mut program)?;
        program.push(Inst::Match);
        Ok(Regex {
            source: source.to_string(),
            program,
        })
    }

    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// `Pattern.matcher(text).matches()`; `Err` when the search would be too large.
    pub(crate) fn matches(&self, text: &str) -> Result<bool, String> {
        let chars: Vec<char> = text.chars().collect();
        if self.program.len().saturating_mul(chars.len() + 1) > MAX_WORK {
            return Err("the text is too long for this regular expression".into());
        }
        Ok(run(&self.program, &chars, 0, true).is_some())
    }
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl ClassItem {
    fn matches(self, c: char) -> bool {
        match self {
            ClassItem::Range(a, b) => a <= c && c <= b,
            ClassItem::Digit(yes) => c.is_ascii_digit() == yes,
            ClassItem::Word(yes) => is_word(c) == yes,
            ClassItem::Space(yes) => {
                matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r') == yes
            }
        }
    }
}

impl Class {
    fn matches(&self, c: char) -> bool {
        self.items.iter().any(|item| item.matches(c)) != self.negated
    }
}

/// Runs `program` from `start`; with `full`, `Match` only counts at the end of the text.
/// Returns where a match ended.
fn run(program: &[Inst], text: &[char], start: usize, full: bool) -> Option<usize> {
    let width = text.len() + 1;
    let mut visited = vec![0u64; (program.len() * width).div_ceil(64)];
    let mut stack = vec![(0usize, start)];
    while let Some((mut pc, mut pos)) = stack.pop() {
        loop {
            let key = pc * width + pos;
            if visited[key / 64] & (1 << (key % 64)) != 0 {
                break;
            }
            visited[key / 64] |= 1 << (key % 64);
            match &program[pc] {
                Inst::Char(c) => {
                    if text.get(pos) == Some(c) {
                        pc += 1;
                        pos += 1;
                    } else {
                        break;
                    }
                }
                Inst::Any => match text.get(pos) {
                    Some(&c) if !is_line_terminator(c) => {
                        pc += 1;
                        pos += 1;
                    }
                    _ => break,
                },
                Inst::Class(class) => match text.get(pos) {
                    Some(&c) if class.matches(c) => {
                        pc += 1;
                        pos += 1;
                    }
                    _ => break,
                },
                Inst::Split(a, b) => {
                    stack.push((*b, pos));
                    pc = *a;
                }
                Inst::Jmp(a) => pc = *a,
                Inst::Start => {
                    if pos == 0 {
                        pc += 1;
                    } else {
                        break;
                    }
                }
                Inst::End => {
                    let at_end = pos == text.len()
                        || (pos + 1 == text.len() && is_line_terminator(text[pos]))
                        || (pos + 2 == text.len() && text[pos] == '\r' && text[pos + 1] == '\n');
                    if at_end {
                        pc += 1;
                    } else {
                        break;
                    }
                }
                Inst::WordBoundary(expected) => {
                    let before = pos > 0 && is_word(text[pos - 1]);
                    let after = pos < text.len() && is_word(text[pos]);
                    if (before != after) == *expected {
                        pc += 1;
                    } else {
                        break;
                    }
                }
                Inst::Look { program, negate } => {
                    if run(program, text, pos, false).is_some() != *negate {
                        pc += 1;
                    } else {
                        break;
                    }
                }
                Inst::Match => {
                    if !full || pos == text.len() {
                        return Some(pos);
                    }
                    break;
                }
            }
        }
    }
    None
}

fn emit(node: &Node, out: &mut Vec<Inst>) -> Result<(), String> {
    if out.len() > MAX_PROGRAM {
        return Err("the regular expression is too large".into());
    }
    match node {
        Node::Empty => {}
        Node::Char(c) => out.push(Inst::Char(*c)),
        Node::Any => out.push(Inst::Any),
        Node::Class(c) => out.push(Inst::Class(Box::new(c.clone()))),
        Node::Start => out.push(Inst::Start),
        Node::End => out.push(Inst::End),
        Node::WordBoundary(b) => out.push(Inst::WordBoundary(*b)),
        Node::Look(inner, negate) => {
            let mut program = Vec::new();
            emit(inner, &mut program)?;
            program.push(Inst::Match);
            out.push(Inst::Look {
                program,
                negate: *negate,
            });
        }
        Node::Concat(items) => {
            for item in items {
                emit(item, out)?;
            }
        }
        Node::Alt(items) => {
            // split L1, next; L1: a; jmp end; next: split L2, next2; ...
            let mut jumps = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i + 1 < items.len() {
                    let split = out.len();
                    out.push(Inst::Split(split + 1, 0));
                    emit(item, out)?;
                    jumps.push(out.len());
                    out.push(Inst::Jmp(0));
                    let next = out.len();
                    out[split] = Inst::Split(split + 1, next);
                } else {
                    emit(item, out)?;
                }
            }
            let end = out.len();
            for j in jumps {
                out[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat {
            node,
            min,
            max,
            greedy,
        } => {
            for _ in 0..*min {
                emit(node, out)?;
            }
            match max {
                None => {
                    // L: split body, end; body; jmp L
                    let split = out.len();
                    out.push(Inst::Split(0, 0));
                    emit(node, out)?;
                    out.push(Inst::Jmp(split));
                    let end = out.len();
                    out[split] = if *greedy {
                        Inst::Split(split + 1, end)
                    } else {
                        Inst::Split(end, split + 1)
                    };
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(out.len());
                        out.push(Inst::Split(0, 0));
                        emit(node, out)?;
                        if out.len() > MAX_PROGRAM {
                            return Err("the regular expression is too large".into());
                        }
                    }
                    let end = out.len();
                    for s in splits {
                        out[s] = if *greedy {
                            Inst::Split(s + 1, end)
                        } else {
                            Inst::Split(end, s + 1)
                        };
                    }
                }
            }
        }
    }
    if out.len() > MAX_PROGRAM {
        return Err("the regular expression is too large".into());
    }
    Ok(())
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    ignore_case: bool,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn error<T>(&self, what: &str) -> Result<T, String> {
        let source: String = self.chars.iter().collect();
        Err(format!("{what} near index {} {source}", self.pos))
    }

    fn alternation(&mut self) -> Result<Node, String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.error("Regular expression nested too deeply");
        }
        let mut items = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            items.push(self.concat()?);
        }
        self.depth -= 1;
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(items)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantifier(atom)?;
            items.push(atom);
        }
        Ok(Node::Concat(items))
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => {
                let save = self.pos;
                match self.counted()? {
                    Some(bounds) => bounds,
                    None => {
                        self.pos = save;
                        return Ok(atom);
                    }
                }
            }
            _ => return Ok(atom),
        };
        let mut greedy = true;
        match self.peek() {
            Some('?') => {
                greedy = false;
                self.pos += 1;
            }
            Some('+') => return self.error("Possessive quantifiers are not supported"),
            _ => {}
        }
        if let Some(max) = max {
            if max < min {
                return self.error("Illegal repetition range");
            }
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    /// `{n}`, `{n,}`, `{n,m}`; leaves `pos` after the `}`.
    fn counted(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        self.pos += 1;
        let number = |p: &mut Parser| -> Option<u32> {
            let start = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            let text: String = p.chars[start..p.pos].iter().collect();
            text.parse().ok()
        };
        let Some(min) = number(self) else {
            return self.error("Illegal repetition");
        };
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            if self.peek() == Some('}') {
                None
            } else {
                match number(self) {
                    Some(m) => Some(m),
                    None => return self.error("Illegal repetition"),
                }
            }
        } else {
            Some(min)
        };
        if self.peek() != Some('}') {
            return self.error("Unclosed counted closure");
        }
        self.pos += 1;
        if min > 1000 || max.is_some_and(|m| m > 1000) {
            return self.error("Repetition count too large");
        }
        Ok(Some((min, max)))
    }

    fn literal(&self, c: char) -> Node {
        if self.ignore_case && c.is_ascii_alphabetic() {
            Node::Class(Class {
                negated: false,
                items: vec![
                    ClassItem::Range(c.to_ascii_lowercase(), c.to_ascii_lowercase()),
                    ClassItem::Range(c.to_ascii_uppercase(), c.to_ascii_uppercase()),
                ],
            })
        } else {
            Node::Char(c)
        }
    }

    fn atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Ok(Node::Empty);
        };
        self.pos += 1;
        match c {
            '.' => Ok(Node::Any),
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '(' => self.group(),
            '[' => self.class().map(Node::Class),
            '\\' => self.escape(false).map(|e| match e {
                Escape::Char(c) => self.literal(c),
                Escape::Item(item) => Node::Class(Class {
                    negated: false,
                    items: vec![item],
                }),
                Escape::Node(n) => n,
            }),
            '*' | '+' | '?' => {
                self.pos -= 1;
                self.error("Dangling meta character '*'")
            }
            '{' => {
                self.pos -= 1;
                self.error("Illegal repetition")
            }
            c => Ok(self.literal(c)),
        }
    }

    fn group(&mut self) -> Result<Node, String> {
        let mut look = None;
        if self.peek() == Some('?') {
            self.pos += 1;
            match self.peek() {
                Some(':') => self.pos += 1,
                Some('=') => {
                    self.pos += 1;
                    look = Some(false);
                }
                Some('!') => {
                    self.pos += 1;
                    look = Some(true);
                }
                Some('<')
                    if self
                        .chars
                        .get(self.pos + 1)
                        .is_some_and(|c| c.is_ascii_alphabetic()) =>
                {
                    // Named group: a group like any other (captures do not matter here).
                    while self.peek().is_some_and(|c| c != '>') {
                        self.pos += 1;
                    }
                    if self.peek() != Some('>') {
                        return self.error("named capturing group is missing trailing '>'");
                    }
                    self.pos += 1;
                }
                _ => {
                    return self.error(
                        "Unsupported group construct (lookbehind, atomic group or inline flags)",
                    )
                }
            }
        }
        let inner = self.alternation()?;
        if self.peek() != Some(')') {
            return self.error("Unclosed group");
        }
        self.pos += 1;
        Ok(match look {
            Some(negate) => Node::Look(Box::new(inner), negate),
            None => inner,
        })
    }

    fn class(&mut self) -> Result<Class, String> {
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return self.error("Unclosed character class");
            };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' || (c == '&' && self.chars.get(self.pos + 1) == Some(&'&')) {
                return self.error("Nested classes and intersections are not supported");
            }
            self.pos += 1;
            let low = if c == '\\' {
                match self.escape(true)? {
                    Escape::Char(c) => c,
                    Escape::Item(item) => {
                        items.push(item);
                        continue;
                    }
                    Escape::Node(_) => return self.error("Illegal escape in a class"),
                }
            } else {
                c
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']');
            if is_range {
                self.pos += 1;
                let Some(hc) = self.peek() else {
                    return self.error("Unclosed character class");
                };
                self.pos += 1;
                let high = if hc == '\\' {
                    match self.escape(true)? {
                        Escape::Char(c) => c,
                        _ => return self.error("Illegal character range"),
                    }
                } else {
                    hc
                };
                if high < low {
                    return self.error("Illegal character range");
                }
                self.push_range(&mut items, low, high);
            } else {
                self.push_range(&mut items, low, low);
            }
        }
        Ok(Class { negated, items })
    }

    fn push_range(&self, items: &mut Vec<ClassItem>, low: char, high: char) {
        items.push(ClassItem::Range(low, high));
        if self.ignore_case {
            // ASCII case folding, as Java's CASE_INSENSITIVE without UNICODE_CASE.
            let (lo, hi) = (low.max('a'), high.min('z'));
            if lo <= hi {
                items.push(ClassItem::Range(
                    lo.to_ascii_uppercase(),
                    hi.to_ascii_uppercase(),
                ));
            }
            let (lo, hi) = (low.max('A'), high.min('Z'));
            if lo <= hi {
                items.push(ClassItem::Range(
                    lo.to_ascii_lowercase(),
                    hi.to_ascii_lowercase(),
                ));
            }
        }
    }

    /// After a backslash.
    fn escape(&mut self, in_class: bool) -> Result<Escape, String> {
        let Some(c) = self.peek() else {
            return self.error("Unexpected internal error");
        };
        self.pos += 1;
        Ok(match c {
            'd' => Escape::Item(ClassItem::Digit(true)),
            'D' => Escape::Item(ClassItem::Digit(false)),
            'w' => Escape::Item(ClassItem::Word(true)),
            'W' => Escape::Item(ClassItem::Word(false)),
            's' => Escape::Item(ClassItem::Space(true)),
            'S' => Escape::Item(ClassItem::Space(false)),
            't' => Escape::Char('\t'),
            'n' => Escape::Char('\n'),
            'r' => Escape::Char('\r'),
            'f' => Escape::Char('\u{c}'),
            'a' => Escape::Char('\u{7}'),
            'e' => Escape::Char('\u{1b}'),
            '0' => {
                let mut value = 0u32;
                let mut n = 0;
                while n < 3 && self.peek().is_some_and(|c| ('0'..='7').contains(&c)) {
                    value = value * 8 + self.peek().and_then(|c| c.to_digit(8)).unwrap_or(0);
                    self.pos += 1;
                    n += 1;
                }
                if n == 0 {
                    return self.error("Illegal octal escape sequence");
                }
                Escape::Char(char::from_u32(value).unwrap_or('\0'))
            }
            'x' => {
                let digits: String = self.chars.iter().skip(self.pos).take(2).collect();
                match u32::from_str_radix(&digits, 16) {
                    Ok(v) if digits.len() == 2 => {
                        self.pos += 2;
                        Escape::Char(char::from_u32(v).unwrap_or('\0'))
                    }
                    _ => return self.error("Illegal hexadecimal escape sequence"),
                }
            }
            'u' => {
                let digits: String = self.chars.iter().skip(self.pos).take(4).collect();
                match u32::from_str_radix(&digits, 16) {
                    Ok(v) if digits.len() == 4 => {
                        self.pos += 4;
                        Escape::Char(char::from_u32(v).unwrap_or('\u{fffd}'))
                    }
                    _ => return self.error("Illegal Unicode escape sequence"),
                }
            }
            'b' if !in_class => Escape::Node(Node::WordBoundary(true)),
            'B' if !in_class => Escape::Node(Node::WordBoundary(false)),
            'A' if !in_class => Escape::Node(Node::Start),
            'z' if !in_class => Escape::Node(Node::End),
            'Q' if !in_class => {
                let mut items = Vec::new();
                while self.pos < self.chars.len() {
                    if self.chars[self.pos] == '\\' && self.chars.get(self.pos + 1) == Some(&'E') {
                        self.pos += 2;
                        return Ok(Escape::Node(Node::Concat(items)));
                    }
                    items.push(self.literal(self.chars[self.pos]));
                    self.pos += 1;
                }
                Escape::Node(Node::Concat(items))
            }
            c if c.is_ascii_alphanumeric() => {
                return self.error(&format!("Unsupported escape sequence \\{c}"))
            }
            c => Escape::Char(c),
        })
    }
}

enum Escape {
    Char(char),
    Item(ClassItem),
    Node(Node),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, text: &str) -> bool {
        Regex::new(pattern, false).unwrap().matches(text).unwrap()
    }

    #[test]
    fn matches_whole_text() {
        assert!(m("abc", "abc"));
        assert!(!m("abc", "abcd"));
        assert!(m(".*REES", "NIGEL REES"));
        assert!(!m("REES", "NIGEL REES"));
        assert!(m("a|b", "b"));
        assert!(m("(ab)+c", "ababc"));
        assert!(m("a{2,3}", "aaa"));
        assert!(!m("a{2,3}", "aaaa"));
        assert!(m("[a-c]+\\d*", "abc123"));
        assert!(m("[^x]*", "abc"));
        assert!(!m("[^x]*", "axc"));
        assert!(m("\\w+@\\w+\\.com", "me@host.com"));
        assert!(m("(?=a)ab", "ab"));
        assert!(m("(?!b)ab", "ab"));
        assert!(m("a.*?b", "axxb"));
        assert!(m("^a$", "a"));
        assert!(m("\\Qa.b\\E", "a.b"));
        assert!(!m("\\Qa.b\\E", "axb"));
    }

    #[test]
    fn ignores_ascii_case() {
        let re = Regex::new(".*rees", true).unwrap();
        assert!(re.matches("Nigel REES").unwrap());
        let re = Regex::new("[a-c]+", true).unwrap();
        assert!(re.matches("AbC").unwrap());
    }

    #[test]
    fn rejects_what_it_does_not_do() {
        for bad in [
            "(?<=a)b", "a++", "\\1", "(?i)a", "\\p{L}", "[a&&b]", "(a", "a)", "*a",
        ] {
            assert!(Regex::new(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn catastrophic_patterns_stay_linear() {
        let text = "a".repeat(5000) + "b";
        assert!(!m("(a*)*c", &text));
        assert!(!m("(a|aa)+c", &text));
    }
}
