#!/usr/bin/env python3
"""Reads back what `sfn export` wrote, as CloudFormation would, and checks it.

    check_export.py EXPORTS_DIR RESOLVED_DIR

Every directory under EXPORTS_DIR that has a definition.asl.json is one export. Its templates
are loaded with cfn-lint's own decoder (`cfnlint.decode`, which reads !Sub, !GetAtt and !Ref
as CloudFormation does), and:

1. the state machine's DefinitionString, with its !Sub resolved (`${!x}` gives back `${x}`;
   the variables are given example values: partition aws, region us-east-1, account
   123456789012, each function ARN built from its name), parsed as JSON, is exactly the
   exported definition.asl.json with its Lambda functions' ARNs made the same way (same
   values, same keys in the same order);
2. the functions exported are exactly the tutorial's functions the definition calls, on
   nodejs24.x with an async handler; the functions it calls that the tutorial does not have
   are exactly the template's parameters;
3. the state machine's role allows lambda:InvokeFunction on exactly those functions (and
   `NAME:*` for those called with a version or alias).

The resolved definitions are also written to RESOLVED_DIR as small templates (one per
export, with `Definition` as an object), for cfn-lint to validate them against its
Step Functions schema: CloudFormation does not look inside a !Sub, so cfn-lint cannot there.

The rewriting of the expected definition is written here from the rules (what
`asl::task::lambda_function_name` accepts), not taken from the Rust code it checks.
"""

import json
import pathlib
import re
import sys

from cfnlint.decode import decode

PARTITION, REGION, ACCOUNT = "aws", "us-east-1", "123456789012"
SIMULATED = ["OpenCase", "AssignCase", "WorkOnCase", "EscalateCase", "CloseCase"]
PARAMETER_DESCRIPTION = "ARN of the Lambda function "
SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
LAMBDA_ARN = re.compile(r"arn:[^:]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::(.*))?", re.S)
BARE_NAME = re.compile(r"[A-Za-z0-9_-]+")
NON_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
LAMBDA_INVOKE = re.compile(r"arn:[^:]*:states:::lambda:invoke(\.waitForTaskToken)?")


class Failure(Exception):
    pass


def arn(function):
    return f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{function}"


def sub(text, variables):
    """Fn::Sub: `${!x}` is the literal `${x}`; `${x}` is x's value."""

    def one(match):
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name not in variables:
            raise Failure(f"!Sub variable ${{{name}}} is neither a parameter nor a resource attribute")
        return variables[name]

    return SUB_VARIABLE.sub(one, text)


def resolve(node, variables):
    """A template value: a string, or !Sub, !GetAtt or !Ref of what `variables` knows."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict) and len(node) == 1:
        ((function, argument),) = node.items()
        if function == "Fn::Sub":
            if isinstance(argument, list):
                text, extra = argument
                more = {k: resolve(v, variables) for k, v in extra.items()}
                return sub(text, {**variables, **more})
            return sub(argument, variables)
        if function == "Fn::GetAtt":
            target = ".".join(argument) if isinstance(argument, list) else argument
            if target in variables:
                return variables[target]
        if function == "Ref" and argument in variables:
            return variables[argument]
    raise Failure(f"cannot resolve {node!r}")


def lambda_reference(text, function_name_field):
    """(function, qualifier or None) when `text` names a Lambda function."""
    match = LAMBDA_ARN.fullmatch(text)
    if match:
        return match.group(1), match.group(2)
    if not function_name_field:
        return (text, None) if BARE_NAME.fullmatch(text) else None
    parts = text.split(":")
    if len(parts) in (1, 2):
        name, qualifier = parts[0], (parts[1] if len(parts) == 2 else None)
    elif len(parts) in (3, 4) and parts[1] == "function":
        name, qualifier = parts[2], (parts[3] if len(parts) == 4 else None)
    else:
        return None
    valid = BARE_NAME.fullmatch(name) and (qualifier is None or re.fullmatch(r"[A-Za-z0-9_$-]+", qualifier))
    return (name, qualifier) if valid else None


def lambda_uses(machine):
    """Yield (holder, key, function, qualifier) for every Lambda function a machine calls."""
    for state in machine.get("States", {}).values():
        kind = state.get("Type")
        if kind == "Task":
            resource = state.get("Resource")
            found = lambda_reference(resource, False)
            if found:
                yield state, "Resource", *found
            elif LAMBDA_INVOKE.fullmatch(resource):
                for key in ("Parameters", "Arguments"):
                    fields = state.get(key)
                    name = fields.get("FunctionName") if isinstance(fields, dict) else None
                    if isinstance(name, str) and not name.startswith("{%"):
                        found = lambda_reference(name, True)
                        if found:
                            yield fields, "FunctionName", *found
                            break
        elif kind == "Parallel":
            for branch in state.get("Branches", []):
                yield from lambda_uses(branch)
        elif kind == "Map":
            for key in ("ItemProcessor", "Iterator"):
                if key in state:
                    yield from lambda_uses(state[key])


def resources_of(templates, kind):
    return {
        name: resource
        for template in templates
        for name, resource in template.get("Resources", {}).items()
        if resource.get("Type") == kind
    }


def check(directory, resolved_dir):
    original = (directory / "definition.asl.json").read_text(encoding="utf-8")
    templates = []
    for path in sorted(directory.glob("*.yml")):
        template, matches = decode(str(path))
        if matches or template is None:
            raise Failure(f"{path.name} does not load: {[str(m) for m in matches]}")
        templates.append(template)

    # What the definition calls, from the definition itself.
    expected = json.loads(original)
    uses = list(lambda_uses(expected))
    called = list(dict.fromkeys(function for _, _, function, _ in uses))
    qualified = {function for _, _, function, qualifier in uses if qualifier is not None}
    for holder, key, function, qualifier in uses:
        holder[key] = arn(function) + (f":{qualifier}" if qualifier is not None else "")

    # 2. the functions and the parameters.
    functions = resources_of(templates, "AWS::Lambda::Function")
    exported = {r["Properties"]["FunctionName"]: (name, r) for name, r in functions.items()}
    want = [f for f in SIMULATED if f in called]
    if sorted(exported) != sorted(want):
        raise Failure(f"exports the functions {sorted(exported)}, but the definition calls {want}")
    for function, (_, resource) in exported.items():
        properties = resource["Properties"]
        code = properties["Code"]["ZipFile"]
        if properties["Runtime"] != "nodejs24.x" or properties["Handler"] != "index.handler":
            raise Failure(f"{function}: runtime {properties['Runtime']}, handler {properties['Handler']}")
        if "exports.handler = async (event) =>" not in code or "callback(" in code:
            raise Failure(f"{function}: not an async CommonJS handler")
    parameters = {}
    for template in templates:
        for name, parameter in template.get("Parameters", {}).items():
            description = parameter.get("Description", "")
            if not description.startswith(PARAMETER_DESCRIPTION):
                raise Failure(f"parameter {name} names no function")
            parameters[name] = description[len(PARAMETER_DESCRIPTION):]
    want = [f for f in called if f not in SIMULATED]
    if sorted(parameters.values()) != sorted(want):
        raise Failure(f"parameters for {sorted(parameters.values())}, but the definition calls {want}")

    variables = {"AWS::Partition": PARTITION, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT}
    for function, (logical, _) in exported.items():
        variables[f"{logical}.Arn"] = arn(function)
    for name, function in parameters.items():
        variables[name] = arn(function)

    # 1. the definition, read back.
    machines = resources_of(templates, "AWS::StepFunctions::StateMachine")
    if len(machines) != 1:
        raise Failure(f"{len(machines)} state machines")
    ((machine_id, machine),) = machines.items()
    text = resolve(machine["Properties"]["DefinitionString"], variables)
    actual = json.loads(text)
    if json.dumps(actual, ensure_ascii=False) != json.dumps(expected, ensure_ascii=False):
        raise Failure(
            "the definition read back differs from the one exported:\n"
            f"  read back: {json.dumps(actual, ensure_ascii=False)}\n"
            f"  expected:  {json.dumps(expected, ensure_ascii=False)}"
        )

    # 3. the role's permissions.
    role_id = machine["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    role = resources_of(templates, "AWS::IAM::Role")[role_id]
    allowed = []
    for policy in role["Properties"].get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            if statement["Action"] in ("lambda:InvokeFunction", ["lambda:InvokeFunction"]):
                allowed += [resolve(r, variables) for r in statement["Resource"]]
    want = [arn(f) for f in called] + [arn(f) + ":*" for f in called if f in qualified]
    if sorted(allowed) != sorted(want):
        raise Failure(f"the role may invoke {sorted(allowed)}, not {sorted(want)}")

    resolved_dir.mkdir(parents=True, exist_ok=True)
    name = "-".join(directory.parts[-2:])
    resolved = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            machine_id: {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"RoleArn": f"arn:aws:iam::{ACCOUNT}:role/example", "Definition": actual},
            }
        },
    }
    # cfn-lint's JSON reader refuses raw non-printable characters and surrogate-pair escapes:
    # astral characters stay raw, the others that need it are \u escapes.
    text = NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(resolved, indent=1, ensure_ascii=False))
    (resolved_dir / f"{name}.json").write_text(text, encoding="utf-8")
    return len(templates), len(uses)


def main():
    root, resolved_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    exports = sorted(p.parent for p in root.rglob("definition.asl.json"))
    if not exports:
        print(f"no exports under {root}")
        return 1
    failed = 0
    for directory in exports:
        label = directory.relative_to(root)
        try:
            templates, uses = check(directory, resolved_dir)
            print(f"ok    {label}: {templates} template(s), {uses} Lambda call(s) read back exactly")
        except (Failure, KeyError, TypeError, ValueError) as e:
            failed += 1
            print(f"FAIL  {label}: {type(e).__name__}: {e}")
    print(f"{len(exports) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
