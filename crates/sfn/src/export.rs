//! `sfn export --definition D.json --out DIR [--single-stack]`: the definition as CloudFormation
//! templates that deploy today (the tutorial's two, or one), with `commands.sh` (the AWS CLI
//! commands, in the tutorial's order), `README.txt` and the definition itself. Prints the
//! files it wrote, and on stderr what must be done by hand before deploying.

use crate::definition::Definition;
use crate::files::{self, Out, Source};
use crate::Failure;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The definition (Amazon States Language, JSON or YAML), or a CloudFormation or SAM
    /// template; - for standard input
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "example",
        conflicts_with = "example"
    )]
    definition: Option<String>,

    /// Export one of the playground's examples (`sfn example --list`), with its input
    #[arg(long, value_name = "NAME")]
    example: Option<String>,

    /// The directory to write the files to (created if missing)
    #[arg(long, value_name = "DIR")]
    out: String,

    /// Replace the files of the same names already in DIR (never a symbolic link)
    #[arg(long)]
    force: bool,

    /// One template with the functions and the state machine, instead of the tutorial's two
    #[arg(long)]
    single_stack: bool,

    /// The execution's input for `start-execution` in commands.sh: a JSON file, or - [default:
    /// the example's input, or {}]
    #[arg(long, value_name = "FILE", conflicts_with = "input_json")]
    input: Option<String>,

    /// The execution's input as JSON text, e.g. '{"inputCaseID":"001"}'
    #[arg(long, value_name = "JSON")]
    input_json: Option<String>,

    /// The state machine's name
    #[arg(long, value_name = "NAME", default_value = "CallCenter")]
    name: String,

    /// The template's state machine to export (logical ID or name), when --definition is a
    /// template with several
    #[arg(long, value_name = "NAME")]
    state_machine: Option<String>,

    /// The name of the stack of the Lambda functions
    #[arg(long, value_name = "STACK", default_value = "call-center-functions")]
    functions_stack: String,

    /// The name of the stack of the state machine (of everything, with --single-stack)
    #[arg(long, value_name = "STACK", default_value = "call-center")]
    stack: String,
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    if args.out.is_empty() {
        // Not the current directory: an empty value is more likely a variable left unset.
        return Err(Failure::usage(
            "sfn: --out is empty: give the directory to write the files to (. for this one)",
        ));
    }
    crate::files::one_from_stdin(&[
        ("--definition", args.definition.as_ref()),
        ("--input", args.input.as_ref()),
    ])?;
    let example = args
        .example
        .as_deref()
        .map(crate::example::find)
        .transpose()?;
    let (name, text) = crate::example::definition_text(args.definition.as_ref(), example)?;
    let definition = Definition::read(&name, text, args.state_machine.as_deref())?;
    for note in definition.notes() {
        eprintln!("{note}");
    }
    let input = match (&args.input, &args.input_json, example) {
        (Some(path), _, _) => {
            let source = Source::new(path);
            let text = source.read()?;
            files::parse_json(&text, &source.name(), 1).map_err(Failure::usage)?;
            Some(text)
        }
        (None, Some(text), _) => {
            files::parse_json(text, "--input-json", 1).map_err(Failure::usage)?;
            Some(text.clone())
        }
        (None, None, Some(example)) => Some(example.input.to_string()),
        (None, None, None) => None,
    };
    let options = export::Options {
        state_machine_name: args.name.clone(),
        functions_stack: args.functions_stack.clone(),
        state_machine_stack: args.stack.clone(),
        single_stack: args.single_stack,
        input,
        // An example's mocks (those its runs need) go beside its templates.
        mocks: example.and_then(|e| e.mocks.as_ref()).map(|m| {
            (
                m.config.to_string(),
                format!("{}#{}", m.state_machine, m.test_case),
            )
        }),
    };
    let problems = options.problems();
    if !problems.is_empty() {
        return Err(Failure {
            code: 2,
            lines: problems.iter().map(|p| format!("sfn: {p}")).collect(),
        });
    }
    let exported = export::export(definition.json(), &options).map_err(|diagnostics| Failure {
        code: 1,
        lines: diagnostics.iter().map(|d| definition.located(d)).collect(),
    })?;

    let dir = Path::new(&args.out);
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::usage(format!(
            "sfn: {}: cannot create the directory: {}",
            files::shown(dir),
            files::io_message(&e)
        ))
    })?;
    check_targets(dir, &exported.files, args.force)?;
    let mut out = Out::new();
    for file in &exported.files {
        let path = dir.join(&file.name);
        write_new(&path, &file.contents, args.force)?;
        out.line(&format!("wrote {}", files::shown(&path)))?;
    }
    out.finish()?;
    for warning in &exported.warnings {
        eprintln!("sfn: before deploying: {warning}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Before anything is written: every file's place in `dir` must be free, or (with `force`) a
/// regular file to replace. A symbolic link is refused even with `force`: writing through it
/// would write wherever it points, outside `dir`.
fn check_targets(dir: &Path, files: &[export::File], force: bool) -> Result<(), Failure> {
    let mut existing = Vec::new();
    let mut lines = Vec::new();
    for file in files {
        let path = dir.join(&file.name);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => lines.push(format!(
                "sfn: {}: cannot check it: {}",
                files::shown(&path),
                files::io_message(&e)
            )),
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)
                    .map(|t| format!(" (to {})", files::shown(&t)))
                    .unwrap_or_default();
                lines.push(format!(
                    "sfn: {} is a symbolic link{target}: sfn export writes only files of its own \
                     in the directory, never through a link; remove it or choose another --out",
                    files::shown(&path)
                ));
            }
            Ok(meta) if !meta.is_file() => lines.push(format!(
                "sfn: {} exists and is not a file: remove it or choose another --out",
                files::shown(&path)
            )),
            Ok(_) => existing.push(file.name.as_str()),
        }
    }
    if !force && !existing.is_empty() {
        lines.push(format!(
            "sfn: {} already has {}: give --force to replace {}, or choose another --out",
            files::shown(dir),
            existing.join(", "),
            if existing.len() == 1 { "it" } else { "them" },
        ));
    }
    if lines.is_empty() {
        Ok(())
    } else {
        Err(Failure { code: 2, lines })
    }
}

/// Writes a new file at `path`; with `force`, a regular file there is removed first. The
/// file is created only if nothing is there (`create_new`, which follows no link), so a link
/// put in its place since [`check_targets`] makes this fail instead of writing through it.
fn write_new(path: &Path, contents: &str, force: bool) -> Result<(), Failure> {
    let cannot = |e: std::io::Error| {
        Failure::usage(format!(
            "sfn: {}: cannot write: {}",
            files::shown(path),
            files::io_message(&e)
        ))
    };
    if force {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => std::fs::remove_file(path).map_err(cannot)?,
            _ => {}
        }
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(cannot)?;
    file.write_all(contents.as_bytes()).map_err(cannot)
}
