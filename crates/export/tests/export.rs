//! What `export` writes, read back with a YAML parser (yaml-rust2, which keeps the text of
//! CloudFormation's tagged values and drops the tags): the functions, the parameters, the
//! role's permissions, the commands, and the definition, which must come back exactly.
//!
//! The tricky definitions are also written under `target/export/` at the repository's root,
//! where `cargo xtask test` lints them with cfn-lint and reads them back with cfn-lint's own
//! YAML loader (xtask/check_export.py).

use export::definition::{lambda_resource, scan};
use export::{export, Export, Options};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use yaml_rust2::{Yaml, YamlLoader};

const TUTORIAL: &str = callcenter::TUTORIAL_DEFINITION;
const SIMULATED: [&str; 5] = callcenter::FUNCTION_NAMES;
/// The example values the tests give to the pseudo parameters.
const PARTITION: &str = "aws";
const REGION: &str = "eu-west-3";
const ACCOUNT: &str = "210987654321";

fn arn(function: &str) -> String {
    format!("arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{function}")
}

fn exported(definition: &str, single_stack: bool) -> Export {
    let options = Options {
        single_stack,
        ..Options::default()
    };
    export(definition, &options).unwrap_or_else(|d| panic!("{d:?}"))
}

fn yaml(text: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn template(export: &Export, name: &str) -> Yaml {
    yaml(
        &export
            .file(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .contents,
    )
}

fn keys(map: &Yaml) -> Vec<String> {
    match map.as_hash() {
        Some(hash) => hash
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect(),
        None => Vec::new(),
    }
}

/// The Lambda functions a template defines, by their FunctionName.
fn functions(template: &Yaml) -> Vec<String> {
    template["Resources"]
        .as_hash()
        .unwrap()
        .values()
        .filter(|r| r["Type"].as_str() == Some("AWS::Lambda::Function"))
        .map(|r| {
            r["Properties"]["FunctionName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The state machine role's lambda:InvokeFunction resources, as written (tags dropped).
fn invoke_resources(template: &Yaml) -> Vec<String> {
    let role = &template["Resources"]["StatesExecutionRole"]["Properties"];
    let mut out = Vec::new();
    for policy in role["Policies"].as_vec().into_iter().flatten() {
        for statement in policy["PolicyDocument"]["Statement"].as_vec().unwrap() {
            assert_eq!(statement["Action"].as_str(), Some("lambda:InvokeFunction"));
            for resource in statement["Resource"].as_vec().unwrap() {
                out.push(resource.as_str().unwrap().to_string());
            }
        }
    }
    out
}

/// Fn::Sub: `${!x}` is `${x}`, `${x}` is `variables[x]` (and must be there).
fn sub(text: &str, variables: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let close = after
            .find('}')
            .unwrap_or_else(|| panic!("unclosed ${{ in {text}"));
        let name = &after[..close];
        match name.strip_prefix('!') {
            Some(literal) => {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            }
            None => out.push_str(
                variables
                    .get(name)
                    .unwrap_or_else(|| panic!("unknown !Sub variable {name}")),
            ),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The definition the state machine gets: its DefinitionString with the !Sub resolved, as CloudFormation would
/// in account ACCOUNT and region REGION, each parameter given its function's ARN.
fn deployed_definition(export: &Export) -> String {
    let template = template(export, export::STATE_MACHINE_TEMPLATE);
    let text = template["Resources"]["CallCenterStateMachine"]["Properties"]["DefinitionString"]
        .as_str()
        .expect("DefinitionString is a string")
        .to_string();
    let mut variables = BTreeMap::new();
    variables.insert("AWS::Partition".to_string(), PARTITION.to_string());
    variables.insert("AWS::Region".to_string(), REGION.to_string());
    variables.insert("AWS::AccountId".to_string(), ACCOUNT.to_string());
    for function in SIMULATED {
        variables.insert(format!("{function}.Arn"), arn(function));
    }
    let parameters = &template["Parameters"];
    for name in keys(parameters) {
        let description = parameters[name.as_str()]["Description"].as_str().unwrap();
        let function = description
            .strip_prefix("ARN of the Lambda function ")
            .unwrap();
        variables.insert(name, arn(function));
    }
    let text_has_sub = export
        .file(export::STATE_MACHINE_TEMPLATE)
        .unwrap()
        .contents
        .contains("DefinitionString: !Sub");
    if text_has_sub {
        sub(&text, &variables)
    } else {
        text
    }
}

/// The definition with every Lambda function's ARN made as the export makes them.
fn expected_definition(definition: &str) -> Value {
    let mut value: Value = serde_json::from_str(definition).unwrap();
    for u in scan(&value).uses {
        let qualifier = u.qualifier.map(|q| format!(":{q}")).unwrap_or_default();
        *value.pointer_mut(&u.pointer).unwrap() = Value::String(arn(&u.function) + &qualifier);
    }
    value
}

/// Reads the definition back and checks it is exactly the one exported (same keys in the
/// same order, same values) and that the engine loads it.
fn assert_reads_back(definition: &str, export: &Export) {
    let deployed = deployed_definition(export);
    let read: Value =
        serde_json::from_str(&deployed).unwrap_or_else(|e| panic!("not JSON ({e}):\n{deployed}"));
    let expected = expected_definition(definition);
    assert_eq!(
        serde_json::to_string(&read).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
    asl::load(&deployed).unwrap_or_else(|d| panic!("{d:?}"));
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes both modes' files under target/export/NAME/ for `cargo xtask test`'s export stage.
fn write_for_xtask(name: &str, definition: &str) {
    for (mode, single_stack) in [("two-stack", false), ("single-stack", true)] {
        let dir = repo_root().join("target/export").join(name).join(mode);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for file in exported(definition, single_stack).files {
            std::fs::write(dir.join(&file.name), &file.contents).unwrap();
        }
    }
}

#[test]
fn the_tutorial_exports_its_five_functions_in_two_stacks() {
    let export = exported(TUTORIAL, false);
    let names: Vec<&str> = export.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "call-center-functions.yml",
            "call-center.yml",
            "definition.asl.json",
            "commands.sh",
            "README.txt"
        ]
    );
    let functions_stack = template(&export, export::FUNCTIONS_TEMPLATE);
    assert_eq!(functions(&functions_stack), SIMULATED);
    for function in SIMULATED {
        let properties = &functions_stack["Resources"][function]["Properties"];
        assert_eq!(properties["Runtime"].as_str(), Some("nodejs24.x"));
        assert_eq!(properties["Handler"].as_str(), Some("index.handler"));
        assert_eq!(
            properties["Code"]["ZipFile"].as_str(),
            export::handlers::code(function).as_deref()
        );
        assert_eq!(
            functions_stack["Outputs"][format!("{function}Arn").as_str()]["Value"].as_str(),
            Some(format!("{function}.Arn").as_str())
        );
    }
    // Logs: the managed policy, by a partition-independent ARN.
    let role = &functions_stack["Resources"]["LambdaExecutionRole"]["Properties"];
    assert_eq!(
        role["ManagedPolicyArns"][0].as_str(),
        Some("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    );

    let state_machine = template(&export, export::STATE_MACHINE_TEMPLATE);
    assert!(functions(&state_machine).is_empty());
    assert_eq!(keys(&state_machine["Parameters"]), Vec::<String>::new());
    let expected: Vec<String> = SIMULATED
        .iter()
        .map(|f| {
            format!(
                "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{f}"
            )
        })
        .collect();
    assert_eq!(invoke_resources(&state_machine), expected);
    let properties = &state_machine["Resources"]["CallCenterStateMachine"]["Properties"];
    assert_eq!(properties["StateMachineName"].as_str(), Some("CallCenter"));
    assert!(
        !export.files[1].contents.contains("123456789012"),
        "no account id left"
    );
    assert_reads_back(TUTORIAL, &export);
    assert!(export.warnings.is_empty(), "{:?}", export.warnings);
}

#[test]
fn the_tutorial_in_one_stack() {
    let export = exported(TUTORIAL, true);
    let names: Vec<&str> = export.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "call-center.yml",
            "definition.asl.json",
            "commands.sh",
            "README.txt"
        ]
    );
    let stack = template(&export, export::STATE_MACHINE_TEMPLATE);
    assert_eq!(functions(&stack), SIMULATED);
    let text = &export.files[0].contents;
    for function in SIMULATED {
        assert!(text.contains(&format!("\"Resource\": \"${{{function}.Arn}}\"")));
        assert!(text.contains(&format!("- !GetAtt {function}.Arn\n")));
    }
    assert_reads_back(TUTORIAL, &export);
}

fn only_open_case() -> String {
    r#"{"StartAt": "Open Case", "States": {"Open Case": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-2:123456789012:function:OpenCase", "End": true}}}"#
        .to_string()
}

#[test]
fn only_the_functions_the_definition_calls() {
    for single_stack in [false, true] {
        let export = exported(&only_open_case(), single_stack);
        let functions_file = if single_stack {
            export::STATE_MACHINE_TEMPLATE
        } else {
            export::FUNCTIONS_TEMPLATE
        };
        assert_eq!(functions(&template(&export, functions_file)), ["OpenCase"]);
        let state_machine = template(&export, export::STATE_MACHINE_TEMPLATE);
        let resources = invoke_resources(&state_machine);
        assert_eq!(resources.len(), 1, "{resources:?}");
        assert!(resources[0].ends_with("OpenCase") || resources[0] == "OpenCase.Arn");
        for other in &SIMULATED[1..] {
            for file in &export.files[..export.files.len() - 3] {
                assert!(!file.contents.contains(other), "{other} in {}", file.name);
            }
        }
        assert_reads_back(&only_open_case(), &export);
    }
}

#[test]
fn functions_that_are_not_simulated_become_parameters() {
    let example = examples::find("retry-catch").unwrap();
    let export = exported(example.definition, false);
    assert_eq!(
        functions(&template(&export, export::FUNCTIONS_TEMPLATE)),
        ["OpenCase", "AssignCase"]
    );
    let state_machine = template(&export, export::STATE_MACHINE_TEMPLATE);
    assert_eq!(
        keys(&state_machine["Parameters"]),
        ["NotifyCustomerFunctionArn"]
    );
    let parameter = &state_machine["Parameters"]["NotifyCustomerFunctionArn"];
    assert_eq!(parameter["Type"].as_str(), Some("String"));
    let text = &export
        .file(export::STATE_MACHINE_TEMPLATE)
        .unwrap()
        .contents;
    assert!(text.contains("\"Resource\": \"${NotifyCustomerFunctionArn}\""));
    assert!(text.contains("- !Ref NotifyCustomerFunctionArn\n"));
    assert_eq!(invoke_resources(&state_machine).len(), 3);
    assert!(export.commands.contains(
        "\"ParameterKey=NotifyCustomerFunctionArn,ParameterValue=arn:${PARTITION}:lambda:${REGION}:${ACCOUNT_ID}:function:\"NotifyCustomer"
    ));
    assert_eq!(export.warnings.len(), 1);
    assert!(export.warnings[0].starts_with("NotifyCustomer is not one of the tutorial's functions"));
    assert!(export
        .file("README.txt")
        .unwrap()
        .contents
        .contains("NotifyCustomerFunctionArn"));
    assert_reads_back(example.definition, &export);
}

#[test]
fn parameter_names_are_letters_and_digits_and_unique() {
    let definition = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:notify-customer", "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:notify_customer", "Next": "C"},
        "C": {"Type": "Task", "Resource": "2fa", "End": true}}}"#;
    let export = exported(definition, false);
    let state_machine = template(&export, export::STATE_MACHINE_TEMPLATE);
    assert_eq!(
        keys(&state_machine["Parameters"]),
        [
            "NotifyCustomerFunctionArn",
            "NotifyCustomerFunctionArn2",
            "Lambda2faFunctionArn"
        ]
    );
    assert!(
        export.file(export::FUNCTIONS_TEMPLATE).is_none(),
        "no simulated function"
    );
    assert_reads_back(definition, &export);
}

#[test]
fn tasks_in_parallel_branches_and_map_processors_are_found() {
    let parallel = examples::find("parallel").unwrap().definition;
    assert_eq!(
        functions(&template(
            &exported(parallel, false),
            export::FUNCTIONS_TEMPLATE
        )),
        ["OpenCase", "AssignCase"]
    );
    let map = examples::find("map").unwrap().definition;
    assert_eq!(
        functions(&template(&exported(map, false), export::FUNCTIONS_TEMPLATE)),
        ["OpenCase", "WorkOnCase", "EscalateCase", "CloseCase"]
    );
    // The scan agrees with the engine's model: every Task whose resource is a Lambda function.
    for example in examples::ALL {
        let machine = asl::load(example.definition).unwrap();
        let mut from_model = Vec::new();
        tasks(&machine, &mut from_model);
        let value: Value = serde_json::from_str(example.definition).unwrap();
        let from_scan: Vec<String> = scan(&value).uses.into_iter().map(|u| u.written).collect();
        let lambdas: Vec<String> = from_model
            .into_iter()
            .filter(|r| lambda_resource(r).is_some())
            .collect();
        assert_eq!(from_scan, lambdas, "{}", example.name);
        assert_reads_back(example.definition, &exported(example.definition, false));
        assert_reads_back(example.definition, &exported(example.definition, true));
    }
}

fn tasks(machine: &asl::StateMachine, out: &mut Vec<String>) {
    for state in machine.states.values() {
        match &state.kind {
            asl::StateKind::Task(t) => out.push(t.resource.clone()),
            asl::StateKind::Parallel(p) => p.branches.iter().for_each(|b| tasks(b, out)),
            asl::StateKind::Map(m) => tasks(&m.processor, out),
            _ => {}
        }
    }
}

#[test]
fn lambda_invoke_and_qualified_arns() {
    let definition = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "CloseCase:$LATEST", "Payload.$": "$"}, "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-2:123456789012:function:OpenCase:prod", "Next": "C"},
        "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName.$": "$.fn"}, "Next": "D"},
        "D": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
              "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "hi"}, "End": true}}}"#;
    let export = exported(definition, false);
    assert_eq!(
        functions(&template(&export, export::FUNCTIONS_TEMPLATE)),
        ["OpenCase", "CloseCase"]
    );
    let text = &export
        .file(export::STATE_MACHINE_TEMPLATE)
        .unwrap()
        .contents;
    assert!(text.contains(
        "\"FunctionName\": \"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:CloseCase:$LATEST\""
    ));
    assert!(text.contains("function:OpenCase:prod\""));
    assert!(
        text.contains("\"Resource\": \"arn:aws:states:::sns:publish\""),
        "left as it is"
    );
    let resources = invoke_resources(&template(&export, export::STATE_MACHINE_TEMPLATE));
    assert_eq!(resources.len(), 4, "{resources:?}");
    assert!(resources[1].ends_with("function:OpenCase:*"));
    assert!(resources[3].ends_with("function:CloseCase:*"));
    let warnings = export.warnings.join("\n");
    assert!(warnings.contains("\"B\" calls OpenCase:prod"), "{warnings}");
    assert!(!warnings.contains("$LATEST"), "{warnings}");
    assert!(
        warnings.contains("\"C\" chooses its Lambda function at run time"),
        "{warnings}"
    );
    assert!(
        warnings.contains("\"D\" uses arn:aws:states:::sns:publish"),
        "{warnings}"
    );
    assert!(export
        .file("README.txt")
        .unwrap()
        .contents
        .contains("sns:publish"));
    assert_reads_back(definition, &export);
}

#[test]
fn a_machine_without_lambda_functions() {
    let example = examples::find("choice-logic").unwrap();
    for single_stack in [false, true] {
        let export = exported(example.definition, single_stack);
        assert!(export.file(export::FUNCTIONS_TEMPLATE).is_none());
        let text = &export
            .file(export::STATE_MACHINE_TEMPLATE)
            .unwrap()
            .contents;
        assert!(!text.contains("Policies:"), "no permission at all:\n{text}");
        assert!(
            text.contains("DefinitionString: |-\n"),
            "no !Sub needed:\n{text}"
        );
        assert!(!export.commands.contains("lambda"), "{}", export.commands);
        assert_reads_back(example.definition, &export);
    }
}

#[test]
fn invalid_definitions_give_the_engines_diagnostics() {
    let invalid = r#"{"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": true}}}"#;
    let diagnostics = export(invalid, &Options::default()).unwrap_err();
    assert_eq!(diagnostics, asl::load(invalid).unwrap_err());
    assert!(export("{", &Options::default()).is_err());
}

#[test]
fn commands_follow_the_tutorial() {
    let options = Options {
        functions_stack: "my-functions".into(),
        state_machine_stack: "my-machine".into(),
        state_machine_name: "Support_Line-2".into(),
        input: Some("{\n  \"inputCaseID\": \"it's 001\",\n  \"n\": 1.50\n}".into()),
        single_stack: false,
        mocks: None,
    };
    assert!(options.problems().is_empty());
    let two = export(TUTORIAL, &options).unwrap();
    let c = &two.commands;
    let order = [
        "aws cloudformation create-stack --stack-name my-functions --template-body file://call-center-functions.yml --capabilities CAPABILITY_IAM",
        "aws cloudformation wait stack-create-complete --stack-name my-functions",
        "aws lambda list-functions",
        "aws cloudformation create-stack --stack-name my-machine --template-body file://call-center.yml --capabilities CAPABILITY_IAM",
        "aws cloudformation wait stack-create-complete --stack-name my-machine",
        "aws stepfunctions list-state-machines",
        "aws stepfunctions start-execution --state-machine-arn \"$STATE_MACHINE_ARN\"",
        r#"--input '{"inputCaseID":"it'\''s 001","n":1.50}'"#,
        "aws stepfunctions describe-execution --execution-arn \"$EXECUTION_ARN\"",
        "aws cloudformation delete-stack --stack-name my-machine",
        "aws cloudformation wait stack-delete-complete --stack-name my-machine",
        "aws cloudformation delete-stack --stack-name my-functions",
        "aws cloudformation wait stack-delete-complete --stack-name my-functions",
    ];
    let mut at = 0;
    for command in order {
        let found = c[at..]
            .find(command)
            .unwrap_or_else(|| panic!("{command:?} missing after byte {at} of\n{c}"));
        at += found + command.len();
    }
    assert!(!c.contains("perl"));
    assert_eq!(two.file("commands.sh").unwrap().contents, *c);
    let state_machine = template(&two, export::STATE_MACHINE_TEMPLATE);
    assert_eq!(
        state_machine["Resources"]["CallCenterStateMachine"]["Properties"]["StateMachineName"]
            .as_str(),
        Some("Support_Line-2")
    );

    let single = export(
        TUTORIAL,
        &Options {
            single_stack: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(single.commands.matches("create-stack").count(), 1);
    assert_eq!(single.commands.matches("delete-stack").count(), 1);
    assert!(single.commands.contains("--input '{}'"));
    assert!(single.commands.contains("# Step 4 - Clean up"));
}

#[test]
fn names_aws_would_refuse() {
    let bad = Options {
        state_machine_name: "Call Center".into(),
        functions_stack: "1stack".into(),
        state_machine_stack: "call_center".into(),
        ..Options::default()
    };
    assert_eq!(bad.problems().len(), 3, "{:?}", bad.problems());
    let same = Options {
        functions_stack: "x".into(),
        state_machine_stack: "x".into(),
        ..Options::default()
    };
    assert_eq!(same.problems().len(), 1);
    assert!(Options {
        single_stack: true,
        ..same
    }
    .problems()
    .is_empty());
    // Whatever the names, the files are well formed: they are quoted, never pasted in.
    let export = export(
        TUTORIAL,
        &Options {
            state_machine_name: "a: \"b\" # c".into(),
            state_machine_stack: "it's; rm -rf /".into(),
            ..Options::default()
        },
    )
    .unwrap();
    let state_machine = template(&export, export::STATE_MACHINE_TEMPLATE);
    assert_eq!(
        state_machine["Resources"]["CallCenterStateMachine"]["Properties"]["StateMachineName"]
            .as_str(),
        Some("a: \"b\" # c")
    );
    assert!(export
        .commands
        .contains("--stack-name 'it'\\''s; rm -rf /'"));
}

/// Strings YAML, JSON, !Sub or the shell might read as something else.
const TRICKY_STRINGS: &[&str] = &[
    "Open \"Case\": #1 — it's ok",
    "${AWS::Region}",
    "${foo} and ${!literal} and ${${x}} and cost ${ 5",
    "$ {} ${} }{${ $${x}",
    "!Sub arn:${AWS::Partition}",
    "!GetAtt X.Arn",
    "!Ref y",
    "back\\slash \\\\ \\n",
    "line 1\nline 2\r\nline 3\rtab\there\0nul\u{1f}",
    "Ünïcödé ✓ 日本語 العربية 😀👩‍💻 e\u{301}",
    "NEL\u{85} LS\u{2028} PS\u{2029} BOM\u{feff} DEL\u{7f} C1\u{9b} \u{fffe}\u{ffff}",
    "- item",
    "? key",
    ": value",
    "| pipe",
    "> fold",
    "&anchor *alias",
    "%TAG ! x",
    "@at `tick`",
    "--- doc",
    "... end",
    "'single'",
    "[a, b]",
    "{a: b}",
    "  spaced  ",
    "#comment",
    "key: value # comment",
    "true",
    "null",
    "~",
    "yes",
    "1e3",
    "0x1F",
    "",
    " ",
    "\n",
    "a\n\n",
];

#[test]
fn yaml_quoting_reads_back_exactly() {
    for s in TRICKY_STRINGS {
        let doc = yaml(&format!("key: {}\n", export::yaml::quoted(s)));
        assert_eq!(doc["key"].as_str(), Some(*s), "quoted {s:?}");
        let doc = yaml(&format!(
            "key: !Sub {}",
            export::yaml::block_or_quoted(s, 2)
        ));
        assert_eq!(doc["key"].as_str(), Some(*s), "block or quoted {s:?}");
        let doc = yaml(&format!("key: {}\n", export::yaml::scalar(s)));
        assert_eq!(doc["key"].as_str(), Some(*s), "scalar {s:?}");
        if let Some(block) = export::yaml::block(s, 6) {
            let doc = yaml(&format!("a:\n  b:\n    key: {block}"));
            assert_eq!(doc["a"]["b"]["key"].as_str(), Some(*s), "block {s:?}");
        }
    }
}

/// A definition with [`TRICKY_STRINGS`] everywhere a string can be (state names, keys,
/// values, Choice operands, Fail's Cause), raw characters YAML would misread, escapes, numbers
/// JSON parsers may round, and a layout of tabs, CRLF line ends and trailing spaces; with
/// Lambda functions in Parallel branches and Map processors, simulated or not, qualified,
/// bare, through lambda:invoke.
fn tricky_definition() -> String {
    let text = r##"
   {
	"Comment": "Tricky: \"quotes\", 'single', colons: here, # hash, !Sub ${AWS::Region} ${foo} ${!literal} ${${x}} cost ${ 5 $ {} ${} }{${ \\ back\\slash \n newline \t tab \u0000 nul <RAW> Ünïcödé ✓ 日本語 العربية 😀👩‍💻 e\u0301 \u0041\/",
  "StartAt": "Open \"Case\": #1 — it's ${AWS::Region}",   
  "TimeoutSeconds": 3600,
  "States": {
    "Open \"Case\": #1 — it's ${AWS::Region}": {
      "Type": "Task",
      "Comment": "- item\n? key\n: value\n| pipe\n> fold\n&anchor *alias\n%TAG\n@at\n`tick`\n--- doc\n... end\n[a, b]\n{a: b}\n  spaced  \nkey: value # comment",
      "Resource": "arn:aws:lambda:us-east-2:123456789012:function:OpenCase",
      "ResultPath": "$.case",
      "Next": "!Sub ${foo} & ${!bar}"
    },
    "!Sub ${foo} & ${!bar}": {
      "Type": "Pass",
      "Result": {
        "true": true, "null": null, "yes": "yes", "on": "on", "~": "~", "1e3": "1e3", "0x1F": "0x1F",
        "numbers": [1.50, 1e3, -0.0, 12345678901234567890123, 0.1, 1.5e300, -7, 1E-7],
        "${AWS::AccountId}": "${AWS::AccountId}",
        "cost ${": "cost ${", "}{${": "}{${", "${}": "${}", "$${x}": "$${x}",
        "#": "# not a comment", "key: value": "a: b", "quote\"s": "it's",
        "raw <RAW>": "<RAW>",
        "emoji 😀": "👩‍💻 e\u0301 日本語 العربية",
        "escapes": "\\ \/ \b \f \n \r \t \u0000 \u001f \ud83d\ude00 \u2028 \u0085"
      },
      "ResultPath": "$.tricky",
      "Next": "Ünïcödé ✓ 日本語 😀"
    },
    "Ünïcödé ✓ 日本語 😀": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "Assign: \"${x}\"", "States": {"Assign: \"${x}\"": {"Type": "Task", "Resource": "AssignCase", "End": true}}},
        {"StartAt": "Notify #1", "States": {"Notify #1": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-2:123456789012:function:NotifyCustomer:live", "End": true}}},
        {"StartAt": "Invoke ${!x}", "States": {"Invoke ${!x}": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "arn:aws:lambda:us-east-2:123456789012:function:EscalateCase:$LATEST", "Payload.$": "$"},
          "OutputPath": "$.Payload", "End": true}}}
      ],
      "ResultPath": "$.parallel",
      "Next": "Map <NEL> back\\slash"
    },
    "Map <NEL> back\\slash": {
      "Type": "Map",
      "ItemsPath": "$.queue",
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Work on \"it\"",
        "States": {
          "Work on \"it\"": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-2:123456789012:function:WorkOnCase", "Next": "Nested ${AWS::Partition}"},
          "Nested ${AWS::Partition}": {"Type": "Map", "ItemsPath": "$.items",
            "Iterator": {"StartAt": "Close #x", "States": {"Close #x": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-2:123456789012:function:CloseCase:7", "End": true}}},
            "End": true}
        }
      },
      "ResultPath": "$.mapped",
      "Next": "Is it \"resolved\"?"
    },
    "Is it \"resolved\"?": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.tricky.yes", "StringEquals": "a: b ${foo} # x <RAW>", "Next": "Fail: ${AWS::Region}"},
        {"Variable": "$.tricky.yes", "StringMatches": "*${!x}*", "Next": "Done 🎉"}
      ],
      "Default": "Done 🎉"
    },
    "Fail: ${AWS::Region}": {"Type": "Fail", "Error": "Tier2.${Escalate}", "Cause": "Engage Tier 2 Support: \"${!now}\" # 😀"},
    "Done 🎉": {"Type": "Succeed"}
  }
}
"##;
    text.replace(
        "<RAW>",
        "\u{85}\u{2028}\u{2029}\u{feff}\u{7f}\u{9b}\u{fffe}",
    )
    .replace("<NEL>", "\u{85}")
    .replace('\n', "\r\n")
}

/// [`tricky_definition`] without a Lambda function: its `${` still need escaping.
fn tricky_definition_without_lambda() -> String {
    let text = r##"{"Comment": "No Lambda: ${AWS::Region} ${!x} cost ${ \u0085 <RAW>",
  "StartAt": "${foo}: \"#\"",
  "States": {"${foo}: \"#\"": {"Type": "Pass", "Result": {"${}": "}{${ <RAW>"}, "End": true}}}"##;
    text.replace("<RAW>", "\u{85}\u{2028}\u{feff}")
}

#[test]
fn tricky_definitions_read_back_exactly() {
    let tricky = tricky_definition();
    asl::load(&tricky).unwrap_or_else(|d| panic!("the tricky definition is valid: {d:?}"));
    for single_stack in [false, true] {
        let export = exported(&tricky, single_stack);
        let state_machine = template(&export, export::STATE_MACHINE_TEMPLATE);
        assert_eq!(
            keys(&state_machine["Parameters"]),
            ["NotifyCustomerFunctionArn"]
        );
        let functions_file = if single_stack {
            export::STATE_MACHINE_TEMPLATE
        } else {
            export::FUNCTIONS_TEMPLATE
        };
        assert_eq!(
            functions(&template(&export, functions_file)),
            [
                "OpenCase",
                "AssignCase",
                "WorkOnCase",
                "EscalateCase",
                "CloseCase"
            ]
        );
        let text = &export
            .file(export::STATE_MACHINE_TEMPLATE)
            .unwrap()
            .contents;
        assert!(
            text.contains("DefinitionString: !Sub |-\n"),
            "a block scalar"
        );
        assert!(
            !text.contains(['\u{85}', '\u{2028}', '\u{2029}', '\u{feff}', '\r', '\t']),
            "nothing a YAML 1.1 parser reads differently"
        );
        assert!(text.contains("日本語 😀"), "non-ASCII text stays readable");
        assert_reads_back(&tricky, &export);
        assert_eq!(export.file("definition.asl.json").unwrap().contents, tricky);
    }
    let without = tricky_definition_without_lambda();
    for single_stack in [false, true] {
        let export = exported(&without, single_stack);
        let text = &export
            .file(export::STATE_MACHINE_TEMPLATE)
            .unwrap()
            .contents;
        assert!(text.contains("DefinitionString: !Sub |-\n"), "{text}");
        assert_reads_back(&without, &export);
    }
    write_for_xtask("tricky", &tricky);
    write_for_xtask("tricky-no-lambda", &without);
}

#[test]
fn the_mocks_the_playground_ran_with_are_written_beside_the_templates() {
    let mocks = r#"{"StateMachines": {"Retry Catch": {"TestCases": {"Throttled": {"A": "M"}}}}, "MockedResponses": {"M": {"0": {"Return": {}}}}}"#;
    let options = Options {
        mocks: Some((mocks.into(), "Retry Catch#Throttled".into())),
        ..Default::default()
    };
    let exported = export(callcenter::TUTORIAL_DEFINITION, &options).unwrap();
    let file = |name: &str| {
        exported
            .files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.contents.clone())
    };
    assert_eq!(file("MockConfigFile.json").unwrap().trim_end(), mocks);
    let readme = file("README.txt").unwrap();
    assert!(readme.contains("Mocks (MockConfigFile.json)"), "{readme}");
    // Names are quoted for the shell.
    assert!(
        readme.contains("--state-machine 'Retry Catch' --test-case Throttled"),
        "{readme}"
    );
    // Without mocks, no such file.
    let plain = export(callcenter::TUTORIAL_DEFINITION, &Options::default()).unwrap();
    assert!(plain.files.iter().all(|f| f.name != "MockConfigFile.json"));
}

/// Function names no Lambda function has, each one trying to break out of the shell word,
/// the comment or the line it lands in (`touch pwned` is what would run if one did).
const HOSTILE_FUNCTIONS: &[&str] = &[
    "$(touch pwned)",
    "`touch pwned`",
    "x'; touch pwned; '",
    "a\ntouch pwned\n#",
    "red\u{1b}[31m\u{1b}]0;title\u{7}\r; touch pwned",
    "rtl\u{202e}hcuot\u{2066}",
    // 275 characters: more than a logical ID may have.
    "NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong-NoLambdaNameIsThisLong",
];

/// A definition calling `functions` (as Resource ARNs) and one of the tutorial's. Not written
/// for `cargo xtask test`'s cfn-lint: its schema rightly refuses such ARNs in a definition.
fn hostile_definition(functions: &[&str]) -> String {
    let mut states = serde_json::Map::new();
    let mut names: Vec<String> = (0..functions.len()).map(|i| format!("S{i}")).collect();
    names.push("Open".into());
    for (i, name) in names.iter().enumerate() {
        let resource = match functions.get(i) {
            Some(f) => format!("arn:aws:lambda:us-east-1:123456789012:function:{f}"),
            None => "OpenCase".into(),
        };
        let mut state = serde_json::json!({"Type": "Task", "Resource": resource});
        match names.get(i + 1) {
            Some(next) => state["Next"] = next.clone().into(),
            None => state["End"] = true.into(),
        }
        states.insert(name.clone(), state);
    }
    serde_json::to_string_pretty(&serde_json::json!({"StartAt": "S0", "States": states})).unwrap()
}

/// Runs `script` with `sh` in a fresh directory, with an `aws` command of its own on the PATH
/// that records its arguments and answers SUCCEEDED: each call's arguments, and whether any
/// `touch pwned` ran.
#[cfg(unix)]
fn run_with_fake_aws(test: &str, script: &str) -> (Vec<Vec<String>>, bool) {
    use std::os::unix::fs::PermissionsExt;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("export-shell")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let aws = dir.join("bin/aws");
    // Each argument ends with a NUL, each call with a line "--END--".
    std::fs::write(
        &aws,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done >> \"$AWS_LOG\"\n\
         printf -- '--END--\\0' >> \"$AWS_LOG\"\necho SUCCEEDED\n",
    )
    .unwrap();
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("commands.sh"), script).unwrap();
    let log = dir.join("aws.log");
    let status = std::process::Command::new("sh")
        .arg("commands.sh")
        .current_dir(&dir)
        .env(
            "PATH",
            format!(
                "{}:{}",
                dir.join("bin").display(),
                std::env::var("PATH").unwrap()
            ),
        )
        .env("AWS_LOG", &log)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "sh commands.sh: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = std::fs::read(&log).unwrap_or_default();
    let text = String::from_utf8(text).unwrap();
    let mut calls = vec![Vec::new()];
    for arg in text.split_terminator('\0') {
        if arg == "--END--" {
            calls.push(Vec::new());
        } else {
            calls.last_mut().unwrap().push(arg.to_string());
        }
    }
    calls.pop();
    (calls, dir.join("pwned").exists())
}

#[test]
#[cfg(unix)]
fn shell_words_give_back_exactly_what_they_quote() {
    let mut strings: Vec<&str> = TRICKY_STRINGS.to_vec();
    strings.extend(HOSTILE_FUNCTIONS);
    // The shell cannot carry a NUL in an argument.
    strings.retain(|s| !s.contains('\0'));
    let mut script = String::new();
    for s in &strings {
        let word = export::shell_word(s);
        assert!(
            !word.chars().any(|c| export::is_hidden(c) && c != '\n'),
            "{word:?} shows a hidden character"
        );
        script.push_str(&format!("aws {word}\n"));
    }
    let (calls, pwned) = run_with_fake_aws("words", &script);
    assert!(!pwned);
    let got: Vec<&str> = calls.iter().map(|c| c[0].as_str()).collect();
    assert_eq!(got, strings);
}

#[test]
#[cfg(unix)]
fn hostile_names_stay_in_their_quotes_and_comments() {
    let definition = hostile_definition(HOSTILE_FUNCTIONS);
    let options = Options {
        state_machine_name: "Evil\ntouch pwned\n\u{1b}[31m\u{202e}".into(),
        state_machine_stack: "it's\n$(touch pwned)".into(),
        functions_stack: "`touch pwned`".into(),
        input: Some(
            "{\"html\": \"<img src=x onerror=alert(1)>\", \"q\": \"'$(touch pwned)'\"}".into(),
        ),
        ..Options::default()
    };
    let exported = export(&definition, &options).unwrap();
    let commands = &exported.commands;
    let readme = &exported.file("README.txt").unwrap().contents;
    for (name, text) in [("commands.sh", commands), ("README.txt", readme)] {
        assert!(
            !text.chars().any(|c| export::is_hidden(c) && c != '\n'),
            "{name} shows a hidden character:\n{text}"
        );
    }
    // The name in comments and in README.txt: its line feeds and escapes written out.
    assert!(commands.starts_with(
        "# Evil\\u{a}touch pwned\\u{a}\\u{1b}[31m\\u{202e} on AWS, exported by sfn-playground"
    ));
    assert!(readme.starts_with("Evil\\u{a}touch pwned\\u{a}\\u{1b}[31m\\u{202e}, exported"));

    let (calls, pwned) = run_with_fake_aws("hostile", commands);
    assert!(!pwned, "a name ran as a command:\n{commands}");
    let call = |words: &[&str]| {
        calls
            .iter()
            .find(|c| c.len() >= words.len() && c[..words.len()] == *words)
            .unwrap_or_else(|| panic!("no aws {words:?} in {calls:#?}"))
    };
    let create = call(&[
        "cloudformation",
        "create-stack",
        "--stack-name",
        "it's\n$(touch pwned)",
    ]);
    let state_machine = template(&exported, export::STATE_MACHINE_TEMPLATE);
    let parameters = keys(&state_machine["Parameters"]);
    assert_eq!(parameters.len(), HOSTILE_FUNCTIONS.len());
    for (function, parameter) in HOSTILE_FUNCTIONS.iter().zip(&parameters) {
        // A logical ID: letters and digits, 255 at most.
        assert!(
            parameter.len() <= 255 && parameter.chars().all(|c| c.is_ascii_alphanumeric()),
            "{parameter}"
        );
        let value = format!(
            "ParameterKey={parameter},ParameterValue=arn:SUCCEEDED:lambda:SUCCEEDED:SUCCEEDED:function:{function}"
        );
        assert!(create.contains(&value), "{value:?} not in {create:#?}");
        // README.txt says which parameter each function is.
        let told = format!(
            "  {} is the parameter {parameter}\n",
            export::printable(function)
        );
        assert!(readme.contains(&told), "{told:?} not in\n{readme}");
    }
    assert_eq!(parameters[0], "TouchPwnedFunctionArn");
    assert_eq!(parameters[1], "TouchPwnedFunctionArn2");
    call(&[
        "cloudformation",
        "create-stack",
        "--stack-name",
        "`touch pwned`",
    ]);
    let start = call(&["stepfunctions", "start-execution"]);
    assert!(
        start.contains(
            &r#"{"html":"<img src=x onerror=alert(1)>","q":"'$(touch pwned)'"}"#.to_string()
        ),
        "{start:?}"
    );
    call(&[
        "cloudformation",
        "delete-stack",
        "--stack-name",
        "`touch pwned`",
    ]);
    assert!(readme.contains("\nNames\n\nIn commands.sh every name and value is one shell word"));
}

#[test]
fn a_control_character_in_text_that_is_not_json_is_written_with_printf() {
    assert_eq!(
        export::shell_word("a\u{1b}b"),
        r#"'a'"$(printf '\033')"'b'"#
    );
    assert_eq!(
        export::shell_word("\u{202e}"),
        r#"''"$(printf '\342\200\256')"''"#
    );
    assert_eq!(
        export::printable("a\r\u{1b}[1m\u{2066}"),
        r"a\u{d}\u{1b}[1m\u{2066}"
    );
}
