//! The definition editor's text, read as a definition (through the `import` crate):
//! - a JSON definition is loaded as it is;
//! - a YAML definition stays YAML in the editor (Workflow Studio edits YAML too): its JSON is
//!   loaded, and its problems are located in the YAML;
//! - a CloudFormation or SAM template is converted: the editor then holds the definition of its
//!   state machine, and [`Template`] keeps the text as pasted, for the note that says where the
//!   definition came from, what was filled in, and offers Undo.
//!
//! Why convert rather than keep the template as the text: the editor, its line:column problems,
//! Format, the graph's edits, Share and "Deploy it on AWS" all speak the definition, and a
//! problem of the definition inside a `DefinitionString` has no line of its own in the
//! template. The template is never lost silently: the note says what happened and Undo puts
//! the text back exactly as pasted.

use asl::{Diagnostic, DiagnosticCode, MachineType, StateMachine};
use import::{Extracted, Origin};

/// A template the definition was imported from.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The text as pasted.
    pub text: String,
    /// Whether it was YAML (else JSON).
    pub yaml: bool,
    pub extracted: Extracted,
}

/// The editor's text, read.
pub struct Read {
    /// What the editor holds now: the text, or the template's definition.
    pub definition: String,
    /// The definition's JSON when the text is YAML.
    pub json: Option<String>,
    /// The template the definition was imported from.
    pub template: Option<Template>,
    pub loaded: Result<StateMachine, Vec<Diagnostic>>,
}

/// Reads `text`; for a template, `pick` names its state machine (else the first).
pub fn read(text: String, pick: Option<&str>) -> Read {
    let imported = match import::read(&text, pick) {
        Ok(imported) => imported,
        Err(e) => {
            let (line, column) = e.line_col.unwrap_or((1, 1));
            let mut d = Diagnostic::new(
                DiagnosticCode::InvalidJsonDescription,
                e.message,
                format!("line {line}, column {column}"),
            );
            d.line_col = e.line_col;
            return Read {
                definition: text,
                json: None,
                template: None,
                loaded: Err(vec![d]),
            };
        }
    };
    let machine_type = if imported.express() {
        MachineType::Express
    } else {
        MachineType::Standard
    };
    let loaded = asl::load_as(&imported.definition, machine_type);
    match imported.origin {
        Origin::Json => Read {
            definition: text,
            json: None,
            template: None,
            loaded,
        },
        Origin::Yaml => Read {
            definition: text,
            json: Some(imported.definition),
            template: None,
            loaded,
        },
        Origin::Template { yaml, extracted } => Read {
            definition: imported.definition,
            json: None,
            template: Some(Template {
                text,
                yaml,
                extracted,
            }),
            loaded,
        },
    }
}

/// The one problem shown while a template is kept as pasted (its import undone).
pub fn kept_as_pasted() -> Vec<Diagnostic> {
    let mut d = Diagnostic::new(
        DiagnosticCode::InvalidJsonDescription,
        "This is a CloudFormation template, kept as you pasted it: press Import to open its state machine's definition.",
        "line 1, column 1",
    );
    d.line_col = Some((1, 1));
    vec![d]
}

/// Where a problem is in the editor's text: its own place (a syntax error), else where its
/// JSON pointer leads, in JSON or in YAML.
pub fn locate(text: &str, d: &Diagnostic) -> Option<(usize, usize)> {
    d.line_col.or_else(|| {
        if import::looks_like_json(text) {
            match d.within {
                // A problem inside a `{% %}` string: its place in the string.
                Some(at) => asl::locate::line_col_within(text, &d.location, at),
                None => asl::locate::line_col(text, &d.location),
            }
        } else {
            import::line_col(text, &d.location)
        }
    })
}

/// The editor's definition shown as YAML (Workflow Studio's other format); YAML is written
/// again, tidied (its comments are not kept). `Err` says why not.
pub fn as_yaml(text: &str) -> Result<String, String> {
    let value: serde_json::Value = if import::looks_like_json(text) {
        serde_json::from_str(text).map_err(|e| format!("the text is not valid JSON ({e})"))?
    } else {
        let json = as_json(text)?;
        serde_json::from_str(&json).map_err(|e| e.to_string())?
    };
    Ok(export::yaml::document(&value))
}

/// The editor's definition shown as JSON: YAML converted, JSON formatted. `Err` says why not.
pub fn as_json(text: &str) -> Result<String, String> {
    if import::looks_like_json(text) {
        return crate::editor::json_syntax::format_json(text)
            .map_err(|e| format!("the text is not valid JSON ({e})"));
    }
    match import::read(text, None) {
        Ok(imported) if imported.origin == Origin::Yaml => Ok(imported.definition),
        Ok(_) => Err("the text is neither a JSON nor a YAML definition".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, Playground};
    use std::rc::Rc;
    use yew::Reducible;

    fn call_center_yml() -> String {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/call-center.yml");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (the seed is at ../shared/seed)", path.display()))
    }

    #[test]
    fn a_pasted_template_is_imported_undone_and_imported_again() {
        let template = call_center_yml();
        let state = Rc::new(Playground::default());
        let state = state.reduce(Action::EditDefinition(template.clone()));
        assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
        assert!(state.definition.starts_with("{\n  \"Comment\""));
        let imported = state.template.as_ref().expect("imported");
        assert_eq!(imported.text, template);
        assert_eq!(imported.extracted.machine, "CallCenterStateMachine");
        assert_eq!(state.machine.states.len(), 7);

        let state = state.reduce(Action::UndoImport);
        assert_eq!(state.definition, template);
        assert!(state.template.is_none());
        assert_eq!(state.diagnostics.len(), 1);
        assert_eq!(state.diagnostics[0].line_col, Some((1, 1)));
        // The graph keeps the last definition that loaded.
        assert_eq!(state.machine.states.len(), 7);

        let state = state.reduce(Action::ImportAgain);
        assert!(state.template.is_some() && state.kept.is_none());
        assert!(state.diagnostics.is_empty());
        // Editing the imported definition makes it the person's: the note goes.
        let edited = state.definition.replace("Engage Tier 2", "Call tier 2");
        let state = state.reduce(Action::EditDefinition(edited));
        assert!(state.template.is_none());
    }

    #[test]
    fn a_yaml_definition_stays_yaml_and_exports_as_json() {
        let yaml = as_yaml(examples::ALL[0].definition).unwrap();
        let state = Rc::new(Playground::default()).reduce(Action::EditDefinition(yaml.clone()));
        assert!(state.diagnostics.is_empty(), "{:?}", state.diagnostics);
        assert_eq!(state.definition, yaml);
        let json: serde_json::Value = serde_json::from_str(state.definition_json()).unwrap();
        assert_eq!(
            json,
            serde_json::from_str::<serde_json::Value>(examples::ALL[0].definition).unwrap()
        );
        assert_eq!(
            as_json(&yaml).unwrap(),
            as_json(examples::ALL[0].definition).unwrap()
        );
        // A problem is located in the YAML.
        let broken = yaml.replace("Next: Assign Case", "Next: Nowhere");
        let line = broken.lines().position(|l| l.contains("Nowhere")).unwrap() + 1;
        let state = state.reduce(Action::EditDefinition(broken.clone()));
        let d = &state.diagnostics[0];
        assert_eq!(locate(&broken, d), Some((line, 11)), "{d:?}");
        // A YAML syntax error, located.
        let state = state.reduce(Action::EditDefinition("StartAt: [\nStates: x".into()));
        assert!(state.diagnostics[0].message.starts_with("invalid YAML"));
        assert!(state.diagnostics[0].line_col.is_some());
    }

    #[test]
    fn showing_as_yaml_refuses_what_is_not_a_definition() {
        assert!(as_yaml("{\"StartAt\": ")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(as_json("a: [").unwrap_err().contains("invalid YAML"));
        assert!(as_json("Resources: {M: {Type: AWS::StepFunctions::StateMachine, Properties: {Definition: {}}}}")
            .unwrap_err()
            .contains("neither"));
    }
}
