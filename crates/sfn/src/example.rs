//! `sfn example NAME`: prints a ready-made definition, e.g. `sfn example tutorial > tutorial.json`.

use crate::files;
use crate::Failure;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which example
    #[arg(value_enum)]
    name: Example,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Example {
    /// The call-center tutorial's state machine (its Lambda functions are built into `sfn run`)
    Tutorial,
}

pub fn main(args: &Args) -> Result<ExitCode, Failure> {
    let text = match args.name {
        Example::Tutorial => callcenter::TUTORIAL_DEFINITION,
    };
    files::print(text.trim_end())?;
    Ok(ExitCode::SUCCESS)
}
