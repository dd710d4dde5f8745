//! Reading the command's files (or standard input, for `-`) and parsing JSON with located
//! errors: `input.json:3:5: invalid JSON: expected value`.

use crate::Failure;
use serde_json::Value;
use std::io::{self, Read, Write};
use std::path::Path;

/// Refuses two options that both read standard input (`-`): only one can have it.
pub fn one_from_stdin(options: &[(&str, Option<&String>)]) -> Result<(), Failure> {
    let from_stdin: Vec<&str> = options
        .iter()
        .filter(|(_, value)| value.is_some_and(|v| v == "-"))
        .map(|(option, _)| *option)
        .collect();
    if from_stdin.len() > 1 {
        return Err(Failure::usage(format!(
            "sfn: only one file can be read from standard input, but {} are '-'",
            from_stdin.join(" and ")
        )));
    }
    Ok(())
}

/// A file argument: a path, or `-` for standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: String,
}

impl Source {
    pub fn new(path: &str) -> Self {
        Source { path: path.into() }
    }

    pub fn is_stdin(&self) -> bool {
        self.path == "-"
    }

    /// How messages name it: quoted as [`shown`] quotes it, so that a name holding escape
    /// sequences never reaches the terminal as such.
    pub fn name(&self) -> String {
        if self.is_stdin() {
            "<stdin>".into()
        } else {
            shown(Path::new(&self.path))
        }
    }

    /// The whole text, without a leading byte order mark.
    pub fn read(&self) -> Result<String, Failure> {
        let mut bytes = Vec::new();
        let read = if self.is_stdin() {
            io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
        } else {
            std::fs::File::open(&self.path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
        };
        if let Err(e) = read {
            return Err(Failure::usage(format!(
                "{}: cannot read: {}",
                self.name(),
                io_message(&e)
            )));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            Failure::usage(format!(
                "{}: not UTF-8 text (invalid byte at offset {})",
                self.name(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        })
    }
}

/// `No such file or directory`, without Rust's ` (os error 2)`.
pub fn io_message(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Parses JSON text; an error is located as `<name>:<line>:<col>: invalid JSON: <what>`, with
/// `first_line` added to serde's line (for a line of an NDJSON file).
pub fn parse_json(text: &str, name: &str, first_line: usize) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let what = full.strip_suffix(&suffix).unwrap_or(&full);
        format!(
            "{name}:{}:{}: invalid JSON: {what}",
            e.line() + first_line - 1,
            e.column()
        )
    })
}

/// Standard output, buffered (a batch prints many lines). A closed pipe
/// (`sfn run … | head -1`) ends the command quietly.
pub struct Out {
    writer: io::BufWriter<io::StdoutLock<'static>>,
}

impl Out {
    pub fn new() -> Self {
        Out {
            writer: io::BufWriter::new(io::stdout().lock()),
        }
    }

    pub fn line(&mut self, text: &str) -> Result<(), Failure> {
        writeln!(self.writer, "{text}").map_err(write_failure)
    }

    pub fn finish(mut self) -> Result<(), Failure> {
        self.writer.flush().map_err(write_failure)
    }
}

/// Prints one line to stdout.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = Out::new();
    out.line(text)?;
    out.finish()
}

fn write_failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure {
            code: 0,
            lines: Vec::new(),
        }
    } else {
        Failure::usage(format!(
            "sfn: cannot write to standard output: {}",
            io_message(&e)
        ))
    }
}

/// A path as the terminal shows it: quoted as a shell word when it has more than letters,
/// digits and `_@%+=:,./-`, its control and invisible characters written as `$'\NNN'` (the
/// shell's own escapes), so that no escape sequence in a name reaches the terminal and what
/// is printed can be pasted back into a command.
pub fn shown(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::new();
    // Plain runs go through export's quoting; hidden characters between them as $'\NNN'.
    let mut run = String::new();
    let mut quoted = false;
    for c in text.chars() {
        if export::is_hidden(c) {
            if !run.is_empty() {
                out.push_str(&export::shell_word(&run));
                run.clear();
            }
            out.push_str("$'");
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("\\{b:03o}"));
            }
            out.push('\'');
            quoted = true;
        } else {
            run.push(c);
        }
    }
    if !run.is_empty() || !quoted {
        out.push_str(&export::shell_word(&run));
    }
    out
}
