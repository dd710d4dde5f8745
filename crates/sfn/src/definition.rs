//! The definition a command reads from a file: a JSON or YAML definition, or the state machine
//! of a CloudFormation or SAM template (the `import` crate reads it; `--state-machine` picks one
//! when the template has several). The engine then loads it as it loads any definition.

use crate::validate::located;
use crate::Failure;
use asl::{Diagnostic, MachineType, StateMachine};
use import::{Imported, Origin};

/// A definition read from a file (or an example).
pub struct Definition {
    /// How messages name the file.
    pub name: String,
    /// The file's text.
    pub text: String,
    pub imported: Imported,
}

impl Definition {
    /// Reads `text` (named `name` in messages). For a template, `pick` is the state machine to
    /// take (logical ID or name); a template with several needs one.
    pub fn read(name: &str, text: String, pick: Option<&str>) -> Result<Self, Failure> {
        let imported = import::read(&text, pick).map_err(|e| Failure {
            code: 1,
            lines: vec![match e.line_col {
                Some((line, col)) => format!("{name}:{line}:{col}: {}", e.message),
                None => format!("{name}: {}", e.message),
            }],
        })?;
        if let Some(extracted) = imported.extracted() {
            if pick.is_none() && extracted.machines.len() > 1 {
                return Err(Failure::usage(format!(
                    "{name}: the template has {} state machines ({}): choose one with --state-machine",
                    extracted.machines.len(),
                    extracted.machines.join(", ")
                )));
            }
        }
        Ok(Definition {
            name: name.to_string(),
            text,
            imported,
        })
    }

    /// Whether the file is a template.
    pub fn is_template(&self) -> bool {
        self.imported.extracted().is_some()
    }

    /// What was read from a template, and each example value filled in: lines for stderr.
    pub fn notes(&self) -> Vec<String> {
        let Some(e) = self.imported.extracted() else {
            return Vec::new();
        };
        let mut notes = vec![format!(
            "{}: the state machine {} ({}), from its {}",
            self.name, e.machine, e.resource_type, e.property
        )];
        notes.extend(
            e.filled
                .iter()
                .map(|(what, value)| format!("{}: example value: {what} = {value}", self.name)),
        );
        notes
    }

    /// The definition's JSON text, for the engine (and `sfn export`).
    pub fn json(&self) -> &str {
        &self.imported.definition
    }

    /// Loads the definition (as an Express machine when the template says so); its problems
    /// are located lines, in the file where they can be.
    pub fn load(&self) -> Result<StateMachine, Vec<String>> {
        let machine_type = if self.imported.express() {
            MachineType::Express
        } else {
            MachineType::Standard
        };
        asl::load_as(self.json(), machine_type)
            .map_err(|diagnostics| diagnostics.iter().map(|d| self.located(d)).collect())
    }

    /// One problem on one line, located in the file: a YAML definition's by its pointer, a
    /// template's `Definition` object's inside the template; a `DefinitionString`'s in that
    /// string, named after its state machine.
    pub fn located(&self, d: &Diagnostic) -> String {
        let mut d = d.clone();
        match &self.imported.origin {
            Origin::Json => located(&self.name, &d),
            Origin::Yaml => {
                d.line_col = d
                    .line_col
                    .or_else(|| import::line_col(&self.text, &d.location));
                located(&self.name, &d)
            }
            Origin::Template { extracted, .. } => match &extracted.pointer {
                Some(pointer) if d.location.starts_with('/') => {
                    let inside = if d.location == "/" { "" } else { &d.location };
                    d.line_col = import::line_col(&self.text, &format!("{pointer}{inside}"));
                    located(&self.name, &d)
                }
                _ => located(
                    &format!(
                        "{} ({}'s {})",
                        self.name, extracted.machine, extracted.property
                    ),
                    &d,
                ),
            },
        }
    }
}
