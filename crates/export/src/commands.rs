//! The AWS CLI commands (`commands.sh`) and `README.txt`: the tutorial's steps, with the
//! stacks' names and the playground's input filled in, every value quoted for the shell.

use crate::{
    Options, Plan, COMMANDS_FILE, DEFINITION_FILE, FUNCTIONS_TEMPLATE, MOCKS_FILE,
    STATE_MACHINE_TEMPLATE,
};
use std::fmt::Write;

/// A character that must not reach a terminal or an editor raw: control characters (escape
/// sequences, carriage returns that hide what precedes them) and the invisible ones that
/// reorder or hide text (bidirectional overrides and isolates, zero widths: "Trojan Source").
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// `s` as one shell word (POSIX sh): as it is when it needs no quoting, in single quotes
/// otherwise. A line feed stays in the quotes (the shell keeps it); every other hidden
/// character ([`is_hidden`]) is written as `$(printf '\NNN')`, its UTF-8 bytes in octal, so
/// the file shows none raw.
pub fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if plain {
        return s.to_string();
    }
    let mut out = String::from("'");
    for c in s.chars() {
        if c == '\'' {
            out.push_str(r"'\''");
        } else if is_hidden(c) && c != '\n' {
            out.push_str("'\"$(printf '");
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "\\{b:03o}");
            }
            out.push_str("')\"'");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// `s` to show in a comment or in README.txt: each hidden character ([`is_hidden`]), line
/// feeds included, written as `\u{…}` (its code point in hexadecimal), so that a name can
/// neither end a comment nor send a terminal an escape sequence.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// JSON text without the white space between its tokens (strings and numbers exactly as
/// written), or the text as it is when it is not JSON.
pub fn compact_json(text: &str) -> String {
    if serde_json::from_str::<serde_json::Value>(text).is_err() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

fn create_stack(out: &mut String, stack: &str, template: &str, plan: &Plan, with_parameters: bool) {
    let stack = shell_word(stack);
    let _ = write!(
        out,
        "aws cloudformation create-stack --stack-name {stack} --template-body file://{template} --capabilities CAPABILITY_IAM"
    );
    if with_parameters && !plan.parameters.is_empty() {
        out.push_str(" \\\n    --parameters");
        for p in &plan.parameters {
            let _ = write!(
                out,
                " \\\n      \"ParameterKey={},ParameterValue=arn:${{PARTITION}}:lambda:${{REGION}}:${{ACCOUNT_ID}}:function:\"{}",
                p.name,
                shell_word(&p.function)
            );
        }
    }
    let _ = writeln!(
        out,
        "\naws cloudformation wait stack-create-complete --stack-name {stack}"
    );
}

/// The commands, in the tutorial's order: create the stacks (waiting for each), list what
/// they made, start an execution with the playground's input, describe it, delete the
/// stacks in reverse order.
pub fn commands(plan: &Plan, options: &Options, with_functions_stack: bool) -> String {
    // Only in comments: a line feed in it would end the comment.
    let name = printable(&options.state_machine_name);
    let sm_stack = shell_word(&options.state_machine_stack);
    let input = compact_json(options.input.as_deref().unwrap_or("{}"));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {name} on AWS, exported by sfn-playground: the AWS CLI commands, in the tutorial's order.\n\
         # Run them one step at a time in this directory (where the templates are), with the AWS CLI\n\
         # configured (aws configure: credentials and a default region). The last step deletes it all.\n"
    );
    if !plan.parameters.is_empty() {
        out.push_str(
            "# The functions the tutorial does not have are your own: their ARNs are built from your\n\
             # account and region, so deploy them first (or change the ARNs below).\n\
             ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)\n\
             PARTITION=$(aws sts get-caller-identity --query Arn --output text | cut -d: -f2)\n\
             REGION=$(aws configure get region)\n\n",
        );
    }
    let mut step = 1;
    if with_functions_stack {
        let _ = writeln!(
            out,
            "# Step {step} - Create the Lambda functions ({})",
            plan.simulated.join(", ")
        );
        create_stack(
            &mut out,
            &options.functions_stack,
            FUNCTIONS_TEMPLATE,
            plan,
            false,
        );
        out.push_str("aws lambda list-functions --query \"Functions[].FunctionName\"\n\n");
        step += 1;
    }
    if options.single_stack && !plan.simulated.is_empty() {
        let _ = writeln!(
            out,
            "# Step {step} - Create the Lambda functions ({}) and the state machine {name}",
            plan.simulated.join(", ")
        );
    } else {
        let _ = writeln!(out, "# Step {step} - Create the state machine {name}");
    }
    create_stack(
        &mut out,
        &options.state_machine_stack,
        STATE_MACHINE_TEMPLATE,
        plan,
        true,
    );
    if options.single_stack && !plan.simulated.is_empty() {
        out.push_str("aws lambda list-functions --query \"Functions[].FunctionName\"\n");
    }
    out.push_str("aws stepfunctions list-state-machines\n\n");
    step += 1;
    let _ = write!(
        out,
        "# Step {step} - Execute the state machine, with the input from the playground\n\
         STATE_MACHINE_ARN=$(aws cloudformation describe-stacks --stack-name {sm_stack} \\\n\
         \x20   --query \"Stacks[0].Outputs[?OutputKey=='StateMachineArn'].OutputValue\" --output text)\n\
         EXECUTION_ARN=$(aws stepfunctions start-execution --state-machine-arn \"$STATE_MACHINE_ARN\" \\\n\
         \x20   --input {} --query executionArn --output text)\n\n",
        shell_word(&input)
    );
    step += 1;
    let _ = write!(
        out,
        "# Step {step} - Observe the execution: once it has ended, its status, input and output, then\n\
         # every state's input and output in its history (a Wait state waits for real).\n\
         while [ \"$(aws stepfunctions describe-execution --execution-arn \"$EXECUTION_ARN\" --query status --output text)\" = RUNNING ]; do sleep 2; done\n\
         aws stepfunctions describe-execution --execution-arn \"$EXECUTION_ARN\"\n\
         aws stepfunctions get-execution-history --execution-arn \"$EXECUTION_ARN\"\n\n"
    );
    step += 1;
    let _ = write!(
        out,
        "# Step {step} - Clean up the AWS resources\n\
         aws cloudformation delete-stack --stack-name {sm_stack}\n\
         aws cloudformation wait stack-delete-complete --stack-name {sm_stack}\n"
    );
    if with_functions_stack {
        let f_stack = shell_word(&options.functions_stack);
        let _ = write!(
            out,
            "aws cloudformation delete-stack --stack-name {f_stack}\n\
             aws cloudformation wait stack-delete-complete --stack-name {f_stack}\n"
        );
    }
    out
}

/// `README.txt`: the files, the steps and what to do before deploying.
pub fn readme(
    plan: &Plan,
    options: &Options,
    with_functions_stack: bool,
    warnings: &[String],
) -> String {
    let name = printable(&options.state_machine_name);
    let mut out = format!(
        "{name}, exported by sfn-playground\n\
         {}\n\n\
         The state machine as the playground runs it, ready to deploy with AWS CloudFormation.\n\n\
         Files\n\n",
        "=".repeat(name.chars().count() + 28)
    );
    let simulated = plan.simulated.join(", ");
    if with_functions_stack {
        let _ = writeln!(
            out,
            "  {FUNCTIONS_TEMPLATE}  the tutorial's Lambda functions that the definition calls\n\
             \x20     ({simulated}), on Node.js 24, with a role that may write their CloudWatch logs;\n\
             \x20     stack {}",
            printable(&options.functions_stack)
        );
    }
    let contents = if options.single_stack && !plan.simulated.is_empty() {
        format!(
            "the state machine {name} and the tutorial's Lambda functions it calls\n\
             \x20     ({simulated}), on Node.js 24, each with its role"
        )
    } else {
        format!("the state machine {name} and its role")
    };
    let _ = writeln!(
        out,
        "  {STATE_MACHINE_TEMPLATE}  {contents}; stack {}\n\
         \x20 {DEFINITION_FILE}  the definition, as exported\n\
         \x20 {COMMANDS_FILE}  the AWS CLI commands: deploy, run, observe, clean up",
        printable(&options.state_machine_stack)
    );
    out.push_str(
        "\nThe state machine's role may invoke the Lambda functions the definition calls, and\n\
         nothing else. Their ARNs are built from the stack's partition, region and account\n\
         (${AWS::Partition}, ${AWS::Region}, ${AWS::AccountId}): no account ID to fill in.\n",
    );
    if !plan.simulated.is_empty() {
        out.push_str(
            "\nThe functions are the tutorial's code, made async for Node.js 24 (which has no\n\
             callback handlers): they return exactly what the playground's simulated functions\n\
             return, and fail with the same errors.\n",
        );
    }
    if let Some((_, case)) = &options.mocks {
        let (machine, test_case) = case.split_once('#').unwrap_or(("", case.as_str()));
        let case = printable(case);
        let _ = write!(
            out,
            "\nMocks ({MOCKS_FILE})\n\n\
             The playground answered some Task states with mocks (test case {case}). AWS does not\n\
             read this file: deployed, every Task calls its real resource. To run with the same\n\
             answers locally, give it to Step Functions Local (SFN_MOCK_CONFIG) and start the\n\
             execution on the state machine's ARN followed by #{plain_case}, or run\n\
             sfn run --definition {DEFINITION_FILE} --mock-config {MOCKS_FILE} --state-machine {machine} --test-case {test_case}\n",
            plain_case = printable(test_case),
            machine = shell_word(machine),
            test_case = shell_word(test_case),
        );
    }
    names(&mut out, plan);
    if !warnings.is_empty() {
        out.push_str("\nBefore you deploy\n\n");
        for warning in warnings {
            out.push_str(&wrap(warning, 90, "  - ", "    "));
        }
    }
    let _ = write!(
        out,
        "\nCommands ({COMMANDS_FILE})\n\n{}",
        commands(plan, options, with_functions_stack)
    );
    out
}

/// README.txt's "Names": how the names the definition and the options give are written
/// where they could be misread (a shell, a comment, a CloudFormation logical ID).
fn names(out: &mut String, plan: &Plan) {
    out.push_str(
        "\nNames\n\n\
         In commands.sh every name and value is one shell word: in single quotes when it has\n\
         more than letters, digits and _@%+=:,./- ('it'\\''s' is it's); a control or invisible\n\
         character in one (an escape, a carriage return, a bidirectional override) is written\n\
         as $(printf '\\NNN'), its UTF-8 bytes in octal. In comments and in this file such a\n\
         character is written \\u{…}, its code point in hexadecimal.\n",
    );
    if !plan.parameters.is_empty() {
        out.push_str(
            "\nCloudFormation logical IDs have letters and digits only: a function's name, each\n\
             word capitalized and without the other characters (\"Lambda\" before one that\n\
             would start with a digit, a number after one already taken), then FunctionArn:\n",
        );
        for p in &plan.parameters {
            let _ = writeln!(
                out,
                "  {} is the parameter {}",
                printable(&p.function),
                p.name
            );
        }
    }
}

/// `text` in lines of at most `width` characters (longer words stay whole), the first line
/// after `first`, the others after `rest`.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_lines() {
        assert_eq!(wrap("aa bb cc dd", 9, "- ", "  "), "- aa bb\n  cc dd\n");
        assert_eq!(
            wrap("aaaaaaaaaaaa b", 5, "- ", "  "),
            "- aaaaaaaaaaaa\n  b\n"
        );
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("call-center"), "call-center");
        assert_eq!(shell_word("{\"a\":\"it's\"}"), r#"'{"a":"it'\''s"}'"#);
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn compacts_json_keeping_tokens() {
        assert_eq!(
            compact_json("{\n  \"a b\": 1.50,\n  \"c\": [1e3, \"x\\\" y\"]\n}"),
            r#"{"a b":1.50,"c":[1e3,"x\" y"]}"#
        );
        assert_eq!(compact_json("not json"), "not json");
    }
}
