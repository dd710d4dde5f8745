//! The CloudFormation templates, written as YAML text. Every string that comes from the user
//! (the state machine's name, function names, the definition) goes through [`crate::yaml`].

use crate::yaml::{block, block_or_quoted, quoted, scalar};
use crate::{handlers, Options, Plan};
use std::fmt::Write;

const HEADER: &str =
    "# Exported by sfn-playground from the definition in its editor. Deploy it with the\n\
                      # commands in commands.sh (see README.txt).\n";

/// `call-center-functions.yml`: the tutorial's functions the definition calls, and their role.
pub fn functions_stack(plan: &Plan) -> String {
    let mut out = String::new();
    out.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\n");
    let _ = writeln!(
        out,
        "Description: {}",
        quoted(&format!(
            "The call-center tutorial's Lambda functions ({}) on Node.js 24, and their role",
            plan.simulated.join(", ")
        ))
    );
    out.push_str(HEADER);
    out.push_str("Resources:\n");
    lambda_resources(&mut out, plan);
    out.push_str("\nOutputs:\n");
    for function in &plan.simulated {
        let _ = write!(
            out,
            "  {function}Arn:\n\
             \x20   Description: The ARN of the Lambda function {function}\n\
             \x20   Value: !GetAtt {function}.Arn\n\
             \x20   Export:\n\
             \x20     Name: !Sub ${{AWS::StackName}}-{function}Arn\n"
        );
    }
    out
}

/// An IAM role (under `Resources:`) that the AWS service `service` may assume; its
/// permissions follow.
fn role(out: &mut String, name: &str, service: &str) {
    let _ = write!(
        out,
        "  {name}:\n\
         \x20   Type: AWS::IAM::Role\n\
         \x20   Properties:\n\
         \x20     AssumeRolePolicyDocument:\n\
         \x20       Version: \"2012-10-17\"\n\
         \x20       Statement:\n\
         \x20         - Effect: Allow\n\
         \x20           Principal:\n\
         \x20             Service: {service}\n\
         \x20           Action: sts:AssumeRole\n"
    );
}

/// The role and the functions (under `Resources:`).
fn lambda_resources(out: &mut String, plan: &Plan) {
    role(out, "LambdaExecutionRole", "lambda.amazonaws.com");
    out.push_str(
        "      ManagedPolicyArns:\n\
         \x20       # CloudWatch Logs: the functions may create their log group and streams and write to them.\n\
         \x20       - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n",
    );
    for function in &plan.simulated {
        let code = handlers::code(function).unwrap_or_default();
        let _ = write!(
            out,
            "\n  {function}:\n\
             \x20   Type: AWS::Lambda::Function\n\
             \x20   Properties:\n\
             \x20     FunctionName: {function}\n\
             \x20     Description: {}\n\
             \x20     Handler: index.handler\n\
             \x20     Role: !GetAtt LambdaExecutionRole.Arn\n\
             \x20     Runtime: nodejs24.x\n\
             \x20     Timeout: 25\n\
             \x20     Code:\n\
             \x20       ZipFile: {}",
            quoted(handlers::description(function)),
            block(&code, 10).unwrap_or_else(|| format!("{}\n", quoted(&code)))
        );
    }
}

/// `call-center.yml`: the state machine and its role; with `plan.single_stack`, the functions
/// and their role too.
pub fn state_machine_stack(plan: &Plan, options: &Options, body: &str, substitute: bool) -> String {
    let mut out = String::new();
    out.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\n");
    let description = if plan.single_stack && !plan.simulated.is_empty() {
        format!(
            "The state machine {} and the call-center tutorial's Lambda functions it calls ({}), with their roles",
            options.state_machine_name,
            plan.simulated.join(", ")
        )
    } else {
        format!(
            "The state machine {} and its role",
            options.state_machine_name
        )
    };
    let _ = writeln!(out, "Description: {}", quoted(&description));
    out.push_str(HEADER);
    if !plan.parameters.is_empty() {
        out.push_str("Parameters:\n");
        for p in &plan.parameters {
            let _ = write!(
                out,
                "  {}:\n\
                 \x20   Type: String\n\
                 \x20   Description: {}\n\
                 \x20   AllowedPattern: \"^arn:[^:]+:lambda:[^:]+:[0-9]{{12}}:function:[^:]+$\"\n\
                 \x20   ConstraintDescription: the ARN of a Lambda function, without version or alias\n",
                p.name,
                quoted(&format!("ARN of the Lambda function {}", p.function))
            );
        }
    }
    out.push_str("Resources:\n");
    if plan.single_stack && !plan.simulated.is_empty() {
        lambda_resources(&mut out, plan);
        out.push('\n');
    }
    role(&mut out, "StatesExecutionRole", "states.amazonaws.com");
    let functions = plan.functions();
    if !functions.is_empty() {
        out.push_str(
            "      Policies:\n\
             \x20       - PolicyName: InvokeItsLambdaFunctions\n\
             \x20         PolicyDocument:\n\
             \x20           Version: \"2012-10-17\"\n\
             \x20           Statement:\n\
             \x20             # Only the functions the definition calls.\n\
             \x20             - Effect: Allow\n\
             \x20               Action: lambda:InvokeFunction\n\
             \x20               Resource:\n",
        );
        for function in functions {
            for resource in plan.policy_resources(function) {
                let _ = writeln!(out, "                  - {resource}");
            }
        }
    }
    let _ = write!(
        out,
        "\n  CallCenterStateMachine:\n\
         \x20   Type: AWS::StepFunctions::StateMachine\n\
         \x20   Properties:\n\
         \x20     StateMachineName: {}\n\
         \x20     RoleArn: !GetAtt StatesExecutionRole.Arn\n\
         \x20     DefinitionString: {}{}",
        scalar(&options.state_machine_name),
        if substitute { "!Sub " } else { "" },
        block_or_quoted(body, 8)
    );
    out.push_str(
        "\nOutputs:\n\
         \x20 StateMachineArn:\n\
         \x20   Description: The ARN of the state machine\n\
         \x20   Value: !Ref CallCenterStateMachine\n",
    );
    out
}
