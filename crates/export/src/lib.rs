//! A definition, edited or not, as the tutorial's CloudFormation templates, made to deploy
//! today, and the AWS CLI commands to deploy, run and delete it.
//!
//! [`export`] gives, for two stacks (as the tutorial):
//!
//! * `call-center-functions.yml`: the tutorial's Lambda functions that the definition calls,
//!   and only those, on `nodejs24.x` (the tutorial's `nodejs8.10` can no longer be created),
//!   with the tutorial's code made async (Node.js 24 has no callback handlers) and doing
//!   exactly what the playground simulates; their role may write CloudWatch Logs
//!   (AWSLambdaBasicExecutionRole); each function's ARN is an output.
//! * `call-center.yml`: the state machine, its definition a `!Sub` whose Lambda ARNs are built
//!   from `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}` (no more perl step),
//!   and its role, allowed `lambda:InvokeFunction` on those functions only. Functions the
//!   playground does not simulate are template parameters (`<Name>FunctionArn`).
//!
//! or one `call-center.yml` with both (`single_stack`); and, in each case, `commands.sh` (the
//! AWS CLI commands, in the tutorial's order), `README.txt` (what is where, and what to do
//! before deploying) and `definition.asl.json` (the definition as given).
//!
//! Pure: no I/O, so the web page can offer the same files for download.

mod commands;
pub use commands::{is_hidden, printable, shell_word};
pub mod definition;
pub mod handlers;
mod templates;
pub mod yaml;

use asl::{Diagnostic, DiagnosticCode};
use callcenter::FUNCTION_NAMES;
use definition::{LambdaUse, Scan};

/// The names the export uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The state machine's name (`StateMachineName`).
    pub state_machine_name: String,
    /// The stack of the Lambda functions (two stacks only).
    pub functions_stack: String,
    /// The stack of the state machine (of everything, with `single_stack`).
    pub state_machine_stack: String,
    /// One template with the functions and the state machine, instead of two.
    pub single_stack: bool,
    /// The execution input for `start-execution` (JSON text); `{}` when `None`.
    pub input: Option<String>,
    /// The mocks the playground ran with: a MockConfigFile's text and the test case used
    /// (`StateMachine#TestCase`). Written beside the templates, for Step Functions Local.
    pub mocks: Option<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            state_machine_name: "CallCenter".into(),
            functions_stack: "call-center-functions".into(),
            state_machine_stack: "call-center".into(),
            single_stack: false,
            input: None,
            mocks: None,
        }
    }
}

impl Options {
    /// What AWS would refuse in these names, one sentence each; empty when all is well.
    /// [`export`] quotes whatever it is given, so it never writes a broken file, but AWS
    /// rejects a stack or state machine with such a name.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let name = &self.state_machine_name;
        let forbidden =
            |c: char| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c);
        if name.is_empty() || name.chars().count() > 80 || name.chars().any(forbidden) {
            problems.push(format!(
                "state machine name {name:?}: 1 to 80 characters, without white space, brackets, \
                 wildcards or any of \"#%\\^|~`$&,;:/"
            ));
        }
        let mut stacks = vec![("stack", &self.state_machine_stack)];
        if !self.single_stack {
            stacks.push(("functions stack", &self.functions_stack));
        }
        for (what, stack) in stacks {
            let valid = stack.len() <= 128
                && stack.starts_with(|c: char| c.is_ascii_alphabetic())
                && stack.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                problems.push(format!(
                    "{what} name {stack:?}: a letter, then letters, digits and hyphens (128 at most)"
                ));
            }
        }
        if !self.single_stack && self.functions_stack == self.state_machine_stack {
            problems.push(format!(
                "the two stacks need different names (both are {:?})",
                self.state_machine_stack
            ));
        }
        problems
    }
}

/// One file of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub contents: String,
}

/// The exported files and the AWS CLI commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub files: Vec<File>,
    /// The AWS CLI commands, step by step in the tutorial's order (also `commands.sh`).
    pub commands: String,
    /// What must be done by hand before deploying, one sentence each (also in `README.txt`).
    pub warnings: Vec<String>,
}

impl Export {
    /// The file with this name.
    pub fn file(&self, name: &str) -> Option<&File> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// The functions stack's template.
pub const FUNCTIONS_TEMPLATE: &str = "call-center-functions.yml";
/// The state machine's template (everything's, in one stack).
pub const STATE_MACHINE_TEMPLATE: &str = "call-center.yml";
/// The definition, as given.
pub const DEFINITION_FILE: &str = "definition.asl.json";
/// The AWS CLI commands.
pub const COMMANDS_FILE: &str = "commands.sh";
/// What is where, and what to do first.
pub const README_FILE: &str = "README.txt";
/// The mocks the playground ran with (Step Functions Local's format).
pub const MOCKS_FILE: &str = "MockConfigFile.json";
/// The longest logical ID made from a name, before `FunctionArn` and a number.
const LOGICAL_ID_BASE: usize = 200;
/// The largest template `create-stack --template-body` takes, in bytes.
pub const TEMPLATE_BODY_LIMIT: usize = 51_200;

/// A Lambda function the definition calls that the playground does not simulate: the
/// template takes its ARN as a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The parameter's logical name: `<Name>FunctionArn`.
    pub name: String,
    /// The function's name, as the definition has it.
    pub function: String,
}

/// What the definition calls, and how the templates name it.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The tutorial's functions that the definition calls, in the tutorial's order.
    pub simulated: Vec<&'static str>,
    pub parameters: Vec<Parameter>,
    /// Functions called with a version or alias (their policy also allows `NAME:*`).
    pub qualified: Vec<String>,
    pub single_stack: bool,
}

impl Plan {
    fn new(scan: &Scan, single_stack: bool) -> Plan {
        let simulated = FUNCTION_NAMES
            .into_iter()
            .filter(|name| scan.uses.iter().any(|u| u.function == *name))
            .collect();
        let mut parameters: Vec<Parameter> = Vec::new();
        let mut qualified: Vec<String> = Vec::new();
        for u in &scan.uses {
            if u.qualifier.is_some() && !qualified.contains(&u.function) {
                qualified.push(u.function.clone());
            }
            if FUNCTION_NAMES.contains(&u.function.as_str())
                || parameters.iter().any(|p| p.function == u.function)
            {
                continue;
            }
            let base = format!("{}FunctionArn", logical_id(&u.function));
            let mut name = base.clone();
            let mut n = 2;
            while parameters.iter().any(|p| p.name == name) {
                name = format!("{base}{n}");
                n += 1;
            }
            parameters.push(Parameter {
                name,
                function: u.function.clone(),
            });
        }
        Plan {
            simulated,
            parameters,
            qualified,
            single_stack,
        }
    }

    fn parameter(&self, function: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.function == function)
    }

    /// The function's ARN in `!Sub` syntax, without qualifier.
    pub fn sub_arn(&self, function: &str) -> String {
        match self.parameter(function) {
            Some(p) => format!("${{{}}}", p.name),
            None if self.single_stack => format!("${{{function}.Arn}}"),
            None => format!(
                "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{function}"
            ),
        }
    }

    /// The policy's resources for the function: YAML values (`!Sub …`, `!GetAtt …`, `!Ref …`).
    pub fn policy_resources(&self, function: &str) -> Vec<String> {
        let exact = match self.parameter(function) {
            Some(p) => format!("!Ref {}", p.name),
            None if self.single_stack => format!("!GetAtt {function}.Arn"),
            None => format!("!Sub {}", self.sub_arn(function)),
        };
        let mut out = vec![exact];
        if self.qualified.iter().any(|f| f == function) {
            out.push(format!("!Sub {}:*", self.sub_arn(function)));
        }
        out
    }

    /// Every function the definition calls: the simulated ones, then the parameters.
    pub fn functions(&self) -> Vec<&str> {
        self.simulated
            .iter()
            .copied()
            .chain(self.parameters.iter().map(|p| p.function.as_str()))
            .collect()
    }
}

/// `notify-customer_v2` → `NotifyCustomerV2`: letters and digits only, each word capitalized,
/// at most [`LOGICAL_ID_BASE`] characters (CloudFormation takes 255, and a suffix follows).
fn logical_id(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out.truncate(LOGICAL_ID_BASE);
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Lambda");
    }
    out
}

/// Exports `definition_text`: its diagnostics when it is invalid (as `asl::load` gives them),
/// the files and commands otherwise.
pub fn export(definition_text: &str, options: &Options) -> Result<Export, Vec<Diagnostic>> {
    asl::load(definition_text)?;
    let value: serde_json::Value = serde_json::from_str(definition_text).map_err(|e| {
        vec![Diagnostic::new(
            DiagnosticCode::InvalidJsonDescription,
            e.to_string(),
            "/",
        )]
    })?;
    let scan = definition::scan(&value);
    let plan = Plan::new(&scan, options.single_stack);
    let substitute = !scan.uses.is_empty() || definition_text.contains("${");
    let arn = |u: &LambdaUse| plan.sub_arn(&u.function);
    let body = definition::sub_text(definition_text, &scan.uses, substitute, arn)
        .or_else(|| {
            // The text is JSON that serde_json read, so this is not expected; serde_json's own
            // rendering of it is sure to be located.
            let canonical = serde_json::to_string_pretty(&value).ok()?;
            definition::sub_text(&canonical, &scan.uses, substitute, arn)
        })
        .ok_or_else(|| {
            vec![Diagnostic::new(
                DiagnosticCode::Unsupported,
                "The definition's Lambda functions could not be located in its text",
                "/",
            )]
        })?;

    let mut files = Vec::new();
    let with_functions_stack = !options.single_stack && !plan.simulated.is_empty();
    if with_functions_stack {
        files.push(File {
            name: FUNCTIONS_TEMPLATE.into(),
            contents: templates::functions_stack(&plan),
        });
    }
    files.push(File {
        name: STATE_MACHINE_TEMPLATE.into(),
        contents: templates::state_machine_stack(&plan, options, &body, substitute),
    });

    let mut warnings = warnings(&scan, &plan);
    for file in &files {
        if file.contents.len() > TEMPLATE_BODY_LIMIT {
            warnings.push(format!(
                "{} is {} bytes, more than the {TEMPLATE_BODY_LIMIT} that create-stack --template-body \
                 takes: upload it to an S3 bucket and give create-stack --template-url instead.",
                file.name,
                file.contents.len()
            ));
        }
    }
    let commands = commands::commands(&plan, options, with_functions_stack);
    let readme = commands::readme(&plan, options, with_functions_stack, &warnings);
    files.push(File {
        name: DEFINITION_FILE.into(),
        contents: ensure_newline(definition_text),
    });
    files.push(File {
        name: COMMANDS_FILE.into(),
        contents: commands.clone(),
    });
    if let Some((mocks, _)) = &options.mocks {
        files.push(File {
            name: MOCKS_FILE.into(),
            contents: ensure_newline(mocks),
        });
    }
    files.push(File {
        name: README_FILE.into(),
        contents: readme,
    });
    Ok(Export {
        files,
        commands,
        warnings,
    })
}

fn ensure_newline(text: &str) -> String {
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// What the templates cannot do by themselves.
fn warnings(scan: &Scan, plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for p in &plan.parameters {
        out.push(format!(
            "{} is not one of the tutorial's functions: deploy it yourself, then give its ARN as the \
             parameter {} (commands.sh builds it from your account and region).",
            printable(&p.function),
            p.name
        ));
    }
    let mut told = Vec::new();
    for u in &scan.uses {
        let Some(qualifier) = &u.qualifier else {
            continue;
        };
        let simulated = FUNCTION_NAMES.contains(&u.function.as_str());
        if simulated && qualifier != "$LATEST" && !told.contains(&(&u.function, qualifier)) {
            told.push((&u.function, qualifier));
            out.push(format!(
                "{:?} calls {}:{qualifier}, but the exported function has no version or alias yet: \
                 publish one (aws lambda publish-version, create-alias) before running it.",
                u.state,
                u.function,
                qualifier = printable(qualifier)
            ));
        }
    }
    for (state, resource) in &scan.other_resources {
        out.push(format!(
            "{state:?} uses {}: add the permissions it needs to the state machine's role \
             (StatesExecutionRole), which only allows lambda:InvokeFunction.",
            printable(resource)
        ));
    }
    for state in &scan.dynamic_functions {
        out.push(format!(
            "{state:?} chooses its Lambda function at run time: allow lambda:InvokeFunction on \
             those functions in the state machine's role (StatesExecutionRole)."
        ));
    }
    for state in &scan.distributed_maps {
        out.push(format!(
            "{state:?} is a Distributed Map: its role also needs states:StartExecution (and \
             more for an ItemReader or ResultWriter); add them to StatesExecutionRole."
        ));
    }
    out
}
