//! `sfn example NAME`: prints one of the playground's examples, e.g.
//! `sfn example tutorial > tutorial.json`; `--input` prints its input instead, `--list` names
//! them all. `sfn run --example NAME` runs one directly.

use crate::files;
use crate::Failure;
use examples::Example;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which example (see --list)
    #[arg(required_unless_present = "list")]
    name: Option<String>,

    /// Print the example's input instead of its definition
    #[arg(long)]
    input: bool,

    /// List the examples
    #[arg(long, conflicts_with = "name")]
    list: bool,
}

/// The example with this name, or a usage error naming them all.
pub fn find(name: &str) -> Result<&'static Example, Failure> {
    examples::find(name).ok_or_else(|| {
        let names: Vec<&str> = examples::ALL.iter().map(|e| e.name).collect();
        Failure::usage(format!(
            "sfn: no example named '{name}' (there are: {})",
            names.join(", ")
        ))
    })
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    if args.list {
        let width = examples::ALL
            .iter()
            .map(|e| e.name.len())
            .max()
            .unwrap_or(0);
        for example in examples::ALL {
            files::print(&format!("{:width$}  {}", example.name, example.title))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let example = find(args.name.as_deref().unwrap_or_default())?;
    let text = if args.input {
        example.input
    } else {
        example.definition
    };
    files::print(text.trim_end())?;
    Ok(ExitCode::SUCCESS)
}

/// The definition a command works on: `--definition FILE` (or `-`), else `--example NAME`'s.
/// Returns how messages name it, and its text.
pub fn definition_text(
    definition: Option<&String>,
    example: Option<&Example>,
) -> Result<(String, String), Failure> {
    match (definition, example) {
        (Some(path), _) => {
            let source = crate::files::Source::new(path);
            Ok((source.name().to_string(), source.read()?))
        }
        (None, Some(example)) => Ok((
            format!("example {}", example.name),
            example.definition.to_string(),
        )),
        (None, None) => Err(Failure::usage(
            "sfn: give --definition FILE or --example NAME",
        )),
    }
}
