//! The importer on the tutorial's own template (`../shared/seed/call-center.yml`) and on one
//! inline template for each way CloudFormation and SAM give a definition.

use import::{read, Origin};
use serde_json::{json, Value};

fn seed(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the seed is at ../shared/seed)", path.display()))
}

fn definition(text: &str) -> Value {
    serde_json::from_str(&read(text, None).unwrap().definition).unwrap()
}

fn error(text: &str) -> import::ImportError {
    read(text, None).unwrap_err()
}

#[test]
fn the_tutorials_call_center_yml() {
    let text = seed("call-center.yml");
    let imported = read(&text, None).unwrap();
    let Origin::Template { yaml, extracted } = &imported.origin else {
        panic!("not read as a template: {:?}", imported.origin);
    };
    assert!(yaml);
    assert_eq!(extracted.machine, "CallCenterStateMachine");
    assert_eq!(extracted.resource_type, "AWS::StepFunctions::StateMachine");
    assert_eq!(extracted.property, "DefinitionString (Fn::Sub)");
    assert_eq!(extracted.machines, ["CallCenterStateMachine"]);
    assert!(extracted.filled.is_empty(), "{:?}", extracted.filled);
    assert!(!extracted.express);
    // The block scalar's text, as the tutorial wrote it.
    assert!(imported
        .definition
        .starts_with("{\n  \"Comment\": \"AWS Step Functions"));
    let value: Value = serde_json::from_str(&imported.definition).unwrap();
    assert_eq!(value["StartAt"], "Open Case");
    assert_eq!(
        value["States"]["Open Case"]["Resource"],
        "arn:aws:lambda:us-east-2:AWS_ACCOUNT_ID:function:OpenCase"
    );
    assert_eq!(value["States"].as_object().unwrap().len(), 7);
}

const FUNCTIONS: &str = r#"
  OpenCaseFunction:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
  CloseCaseFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: close-case
"#;

#[test]
fn fn_sub_string_fills_placeholders_with_example_values() {
    let text = format!(
        r#"Resources:{FUNCTIONS}
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {{"StartAt": "Open", "States": {{
          "Open": {{"Type": "Task", "Resource": "${{OpenCaseFunction.Arn}}", "Next": "Close"}},
          "Close": {{"Type": "Task", "Resource": "${{CloseCaseFunction.Arn}}", "Comment": "${{AWS::Region}} ${{!Literal}}", "End": true}}}}}}
"#
    );
    let imported = read(&text, None).unwrap();
    let value: Value = serde_json::from_str(&imported.definition).unwrap();
    assert_eq!(
        value["States"]["Open"]["Resource"],
        "arn:aws:lambda:us-east-1:123456789012:function:OpenCaseFunction"
    );
    assert_eq!(
        value["States"]["Close"]["Resource"],
        "arn:aws:lambda:us-east-1:123456789012:function:close-case"
    );
    assert_eq!(value["States"]["Close"]["Comment"], "us-east-1 ${Literal}");
    let extracted = imported.extracted().unwrap();
    assert_eq!(extracted.property, "DefinitionString (Fn::Sub)");
    assert_eq!(
        extracted.filled,
        [
            (
                "${OpenCaseFunction.Arn}".to_string(),
                "arn:aws:lambda:us-east-1:123456789012:function:OpenCaseFunction".to_string()
            ),
            (
                "${CloseCaseFunction.Arn}".to_string(),
                "arn:aws:lambda:us-east-1:123456789012:function:close-case".to_string()
            ),
            ("${AWS::Region}".to_string(), "us-east-1".to_string()),
        ]
    );
}

#[test]
fn fn_sub_list_form_takes_its_variables() {
    let text = format!(
        r#"Resources:{FUNCTIONS}
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString:
        Fn::Sub:
          - '{{"StartAt": "A", "States": {{"A": {{"Type": "Task", "Resource": "${{Fn}}", "End": true}}}}}}'
          - Fn: !GetAtt [OpenCaseFunction, Arn]
"#
    );
    let value = definition(&text);
    assert_eq!(
        value["States"]["A"]["Resource"],
        "arn:aws:lambda:us-east-1:123456789012:function:OpenCaseFunction"
    );
    let imported = read(&text, None).unwrap();
    let filled = &imported.extracted().unwrap().filled;
    assert!(filled.iter().any(|(w, _)| w == "${Fn}"), "{filled:?}");
    assert!(filled
        .iter()
        .any(|(w, _)| w == "!GetAtt OpenCaseFunction.Arn"));
}

#[test]
fn fn_join_in_a_json_template() {
    let text = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Machine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "DefinitionString": {"Fn::Join": ["\n", [
                        "{\"StartAt\": \"Send\", \"States\": {\"Send\": {",
                        "\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sqs:sendMessage\",",
                        {"Fn::Join": ["", ["\"Parameters\": {\"QueueUrl\": \"", {"Ref": "Queue"}, "\"},"]]},
                        "\"End\": true}}}"
                    ]]}
                }
            }
        }
    })
    .to_string();
    let imported = read(&text, None).unwrap();
    assert!(matches!(
        imported.origin,
        Origin::Template { yaml: false, .. }
    ));
    let value: Value = serde_json::from_str(&imported.definition).unwrap();
    assert_eq!(
        value["States"]["Send"]["Parameters"]["QueueUrl"],
        "https://sqs.us-east-1.amazonaws.com/123456789012/Queue"
    );
    assert_eq!(
        imported.extracted().unwrap().property,
        "DefinitionString (Fn::Join)"
    );
}

#[test]
fn definition_object_with_intrinsics_and_substitutions() {
    let text = format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:{FUNCTIONS}
  Table:
    Type: AWS::DynamoDB::Table
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineType: EXPRESS
      DefinitionSubstitutions:
        TableName: !Ref Table
        Wait: 5
      Definition:
        StartAt: Put
        States:
          Put:
            Type: Task
            Resource: arn:aws:states:::dynamodb:putItem
            Parameters:
              TableName: ${{TableName}}
              Item:
                stage: {{S: !Sub "${{Stage}}-${{AWS::AccountId}}"}}
            Next: Open
          Open:
            Type: Task
            Resource: !GetAtt OpenCaseFunction.Arn
            TimeoutSeconds: 3
            End: true
"#
    );
    let imported = read(&text, None).unwrap();
    let value: Value = serde_json::from_str(&imported.definition).unwrap();
    let put = &value["States"]["Put"]["Parameters"];
    assert_eq!(put["TableName"], "Table");
    assert_eq!(put["Item"]["stage"]["S"], "prod-123456789012");
    assert_eq!(value["States"]["Open"]["TimeoutSeconds"], 3);
    assert_eq!(value["States"]["Open"]["End"], true);
    let extracted = imported.extracted().unwrap();
    assert!(extracted.express);
    assert_eq!(
        extracted.property,
        "Definition with DefinitionSubstitutions"
    );
    assert!(extracted.filled.contains(&(
        "${TableName}".into(),
        "Table (DefinitionSubstitutions)".into()
    )));
    assert!(extracted
        .filled
        .contains(&("${Stage}".into(), "prod".into())));
}

#[test]
fn definition_string_with_definition_substitutions() {
    let text = r#"
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${Seconds}, "End": true}}}'
      DefinitionSubstitutions:
        Seconds: 10
"#;
    assert_eq!(definition(text)["States"]["W"]["Seconds"], 10);
}

#[test]
fn sam_state_machine_with_definition() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: my-flow
      Type: EXPRESS
      Definition:
        StartAt: Done
        States:
          Done: {Type: Succeed}
"#;
    let imported = read(text, None).unwrap();
    let extracted = imported.extracted().unwrap();
    assert_eq!(extracted.resource_type, "AWS::Serverless::StateMachine");
    assert!(extracted.express);
    assert_eq!(
        serde_json::from_str::<Value>(&imported.definition).unwrap(),
        json!({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    );
    // A bare mapping of resources (pasted from inside a template) is read too.
    let bare = text
        .lines()
        .skip_while(|l| !l.starts_with("  Flow"))
        .map(|l| &l[2..])
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        read(&bare, None).unwrap().extracted().unwrap().machine,
        "Flow"
    );
}

#[test]
fn definition_uri_is_named_and_located() {
    let text = "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n";
    let e = error(text);
    assert_eq!(e.line_col, Some((5, 22)), "{e:?}");
    assert!(
        e.message.contains("statemachine/flow.asl.json"),
        "{}",
        e.message
    );
    assert!(e.message.contains("cannot read"), "{}", e.message);
    let s3 = "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionS3Location:\n        Bucket: b\n        Key: k.json\n";
    let e = error(s3);
    assert!(e.message.contains("s3://b/k.json"), "{}", e.message);
    assert_eq!(e.line_col, Some((6, 9)));
}

#[test]
fn several_machines_can_be_picked() {
    let text = r#"
Resources:
  First:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
  Role:
    Type: AWS::IAM::Role
  Second:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: second-machine
      Definition: {StartAt: B, States: {B: {Type: Succeed}}}
"#;
    let first = read(text, None).unwrap();
    let extracted = first.extracted().unwrap();
    assert_eq!(extracted.machines, ["First", "Second"]);
    assert_eq!(extracted.machine, "First");
    let second = read(text, Some("Second")).unwrap();
    assert!(second.definition.contains("\"B\""));
    // By the name the machine gives itself, too.
    assert_eq!(
        read(text, Some("second-machine"))
            .unwrap()
            .extracted()
            .unwrap()
            .machine,
        "Second"
    );
    let e = read(text, Some("Third")).unwrap_err();
    assert!(e.message.contains("First, Second"), "{}", e.message);
    assert_eq!(e.line_col, Some((3, 3)));
}

#[test]
fn plain_yaml_definition() {
    let text = "# Workflow Studio's YAML\nComment: A YAML definition\nStartAt: Hello\nStates:\n  Hello:\n    Type: Pass\n    Result: {n: 1, ok: true, s: '1'}\n    End: true\n";
    let imported = read(text, None).unwrap();
    assert_eq!(imported.origin, Origin::Yaml);
    assert_eq!(
        serde_json::from_str::<Value>(&imported.definition).unwrap(),
        json!({"Comment": "A YAML definition", "StartAt": "Hello", "States": {"Hello": {
            "Type": "Pass", "Result": {"n": 1, "ok": true, "s": "1"}, "End": true}}})
    );
    // Problems found in the JSON are located in the YAML.
    assert_eq!(
        import::line_col(text, "/States/Hello/Result/s"),
        Some((7, 33))
    );
    assert_eq!(import::line_col(text, "/States/Hello/Next"), Some((6, 5)));
}

#[test]
fn json_is_given_back_as_it_is() {
    let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {}\n}";
    let imported = read(text, None).unwrap();
    assert_eq!(imported.origin, Origin::Json);
    assert_eq!(imported.definition, text);
    // Broken JSON too: the engine's parser says what is wrong, where.
    assert_eq!(
        read("{\"StartAt\": ", None).unwrap().definition,
        "{\"StartAt\": "
    );
    // So is what is no mapping at all.
    assert_eq!(read("hello", None).unwrap().origin, Origin::Json);
}

#[test]
fn errors_are_located_and_clear() {
    let e = error("StartAt: A\nStates:\n  A: {Type: Pass\n");
    assert!(e.message.starts_with("invalid YAML: "), "{}", e.message);
    assert!(e.line_col.is_some());

    let e = error("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n");
    assert!(e.message.contains("no state machine"), "{}", e.message);
    assert_eq!(e.line_col, Some((2, 3)));

    let e = error("Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub '{\"Resource\": \"${Missing.Arn}\"}'\n");
    assert!(e.message.contains("Missing"), "{}", e.message);
    assert_eq!(e.line_col, Some((5, 25)));

    let e = error("Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Base64 x\n");
    assert!(e.message.contains("Fn::Base64"), "{}", e.message);

    let e =
        error("Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties: {}\n");
    assert!(e.message.contains("no Definition"), "{}", e.message);
    assert_eq!(e.line_col, Some((3, 5)));
}

#[test]
fn yaml_bombs_and_deep_nesting_are_refused_not_crashing() {
    let mut bomb = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for (i, name) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let e = error(&bomb);
    assert!(e.message.contains("too many nodes"), "{}", e.message);
    let e = error(&format!("a: {}", "[".repeat(10_000)));
    assert!(e.line_col.is_some());
    let deep: String = (0..1000)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    let e = error(&format!("a:\n{deep}"));
    assert!(e.message.contains("nested too deeply"), "{}", e.message);
}

#[test]
fn every_example_shown_as_yaml_reads_back_as_itself() {
    for example in examples::ALL {
        let value: Value = serde_json::from_str(example.definition).unwrap();
        let yaml = export::yaml::document(&value);
        let imported =
            read(&yaml, None).unwrap_or_else(|e| panic!("{}: {e}\n{yaml}", example.name));
        assert_eq!(imported.origin, Origin::Yaml, "{}", example.name);
        assert_eq!(
            serde_json::from_str::<Value>(&imported.definition).unwrap(),
            value,
            "{}:\n{yaml}",
            example.name
        );
    }
}

#[test]
fn every_prefix_of_a_template_is_read_or_refused_without_panicking() {
    let template = seed("call-center.yml");
    let inline = format!(
        "Resources:{FUNCTIONS}\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionSubstitutions: {{X: !Ref OpenCaseFunction}}\n      DefinitionString: !Join ['', ['{{\"StartAt\": \"${{X}}\", ', !Sub '\"States\": {{\"${{X}}\": {{\"Type\": \"Pass\", \"End\": true}}}}}}']]\n"
    );
    // `${X}` inside Fn::Sub is left for DefinitionSubstitutions, which fills it after.
    assert_eq!(
        definition(&inline)["States"]["OpenCaseFunction"]["Type"],
        "Pass"
    );
    assert_eq!(definition(&inline)["StartAt"], "OpenCaseFunction");
    for text in [template.as_str(), inline.as_str()] {
        for (end, _) in text.char_indices() {
            let _ = read(&text[..end], None);
        }
    }
}

#[test]
fn deep_json_templates_are_bounded() {
    let deep = |n: usize| {
        format!(
            "{{\"Resources\": {{\"M\": {{\"Type\": \"AWS::StepFunctions::StateMachine\", \"Properties\": {{\"Definition\": {{\"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"Result\": {}1{}, \"End\": true}}}}}}}}}}}}}}",
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    assert!(read(&deep(100), None).is_ok());
    // Past serde_json's limit the text is no JSON template: it is given back, and the
    // engine's parser says what is wrong.
    assert_eq!(read(&deep(5_000), None).unwrap().origin, Origin::Json);
}
