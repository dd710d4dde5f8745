//! CloudFormation's intrinsic functions, evaluated offline with example values.
//!
//! A template's definition names things that exist only once it is deployed: a function's
//! ARN (`${OpenCaseFunction.Arn}`), the region, the account. The playground fills each with an
//! example of the right shape, in the region `us-east-1` and the account `123456789012`, built
//! from the resource's type and name (`arn:aws:lambda:us-east-1:123456789012:function:OpenCase`),
//! and records every value it filled in, so the person sees what was assumed.

use serde_json::{Map, Value};

pub const REGION: &str = "us-east-1";
pub const ACCOUNT: &str = "123456789012";
const STACK: &str = "example-stack";

/// What went wrong, at a JSON pointer into the template.
#[derive(Debug)]
pub struct Problem {
    pub message: String,
    pub pointer: String,
}

/// The template's parts that intrinsics read, and what was filled in so far.
pub struct Context<'a> {
    pub resources: &'a Map<String, Value>,
    pub parameters: Option<&'a Map<String, Value>>,
    pub mappings: Option<&'a Map<String, Value>>,
    /// Names that `DefinitionSubstitutions` fills later: `Fn::Sub` leaves them as they are.
    pub later: Vec<String>,
    /// Each value filled in, once: (what the template says, the example used).
    pub filled: Vec<(String, String)>,
}

impl Context<'_> {
    /// `value` with every intrinsic function in it evaluated.
    pub fn eval(&mut self, value: &Value, at: &str) -> Result<Value, Problem> {
        match value {
            Value::Object(map) if map.len() == 1 => {
                let (name, args) = map.iter().next().expect("one entry");
                if name == "Ref" || name.starts_with("Fn::") {
                    let at = format!("{at}/{}", escape(name));
                    return self.function(name, args, &at);
                }
                self.object(map, at)
            }
            Value::Object(map) => self.object(map, at),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| self.eval(v, &format!("{at}/{i}")))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            other => Ok(other.clone()),
        }
    }

    fn object(&mut self, map: &Map<String, Value>, at: &str) -> Result<Value, Problem> {
        let mut out = Map::new();
        for (key, value) in map {
            out.insert(
                key.clone(),
                self.eval(value, &format!("{at}/{}", escape(key)))?,
            );
        }
        Ok(Value::Object(out))
    }

    /// Evaluates to text (a string, or a number or boolean written as JSON writes it).
    pub fn text(&mut self, value: &Value, at: &str) -> Result<String, Problem> {
        match self.eval(value, at)? {
            Value::String(s) => Ok(s),
            v @ (Value::Number(_) | Value::Bool(_)) => Ok(v.to_string()),
            _ => Err(problem(at, "expected text here, found a list or an object")),
        }
    }

    fn function(&mut self, name: &str, args: &Value, at: &str) -> Result<Value, Problem> {
        match name {
            "Ref" => {
                let Value::String(target) = args else {
                    return Err(problem(at, "Ref takes a name"));
                };
                let value = self.reference(target, at)?;
                self.fill(format!("!Ref {target}"), &value);
                Ok(value.into())
            }
            "Fn::GetAtt" => {
                let (resource, attribute) = match args {
                    Value::Array(parts) => match parts.as_slice() {
                        [Value::String(r), Value::String(a)] => (r.clone(), a.clone()),
                        _ => return Err(problem(at, "Fn::GetAtt takes [Resource, Attribute]")),
                    },
                    Value::String(s) => match s.split_once('.') {
                        Some((r, a)) => (r.to_string(), a.to_string()),
                        None => return Err(problem(at, "Fn::GetAtt takes Resource.Attribute")),
                    },
                    _ => return Err(problem(at, "Fn::GetAtt takes [Resource, Attribute]")),
                };
                let value = self.attribute(&resource, &attribute, at)?;
                self.fill(format!("!GetAtt {resource}.{attribute}"), &value);
                Ok(value.into())
            }
            "Fn::Sub" => {
                let (template, vars) = match args {
                    Value::String(s) => (s.as_str(), None),
                    Value::Array(parts) => match parts.as_slice() {
                        [Value::String(s), Value::Object(vars)] => (s.as_str(), Some(vars)),
                        _ => {
                            return Err(problem(
                                at,
                                "Fn::Sub takes a string, or [string, {variables}]",
                            ))
                        }
                    },
                    _ => {
                        return Err(problem(
                            at,
                            "Fn::Sub takes a string, or [string, {variables}]",
                        ))
                    }
                };
                self.sub(template, vars, at).map(Value::String)
            }
            "Fn::Join" => {
                let Some((delimiter, Value::Array(parts))) = pair(args) else {
                    return Err(problem(at, "Fn::Join takes [delimiter, [values]]"));
                };
                let delimiter = self.text(delimiter, &format!("{at}/0"))?;
                let parts = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| self.text(p, &format!("{at}/1/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(parts.join(&delimiter).into())
            }
            "Fn::Select" => {
                let Some((index, list)) = pair(args) else {
                    return Err(problem(at, "Fn::Select takes [index, [values]]"));
                };
                let index = self.text(index, &format!("{at}/0"))?;
                let list = self.eval(list, &format!("{at}/1"))?;
                index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| list.as_array()?.get(i).cloned())
                    .ok_or_else(|| problem(at, "Fn::Select's index is not in its list"))
            }
            "Fn::Split" => {
                let Some((delimiter, source)) = pair(args) else {
                    return Err(problem(at, "Fn::Split takes [delimiter, text]"));
                };
                let delimiter = self.text(delimiter, &format!("{at}/0"))?;
                let source = self.text(source, &format!("{at}/1"))?;
                if delimiter.is_empty() {
                    return Err(problem(at, "Fn::Split's delimiter is empty"));
                }
                Ok(source.split(delimiter.as_str()).map(Value::from).collect())
            }
            "Fn::FindInMap" => {
                let keys = match args.as_array() {
                    Some(keys) if keys.len() == 3 => keys,
                    _ => return Err(problem(at, "Fn::FindInMap takes [map, key, key]")),
                };
                let keys = keys
                    .iter()
                    .enumerate()
                    .map(|(i, k)| self.text(k, &format!("{at}/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let found = self
                    .mappings
                    .and_then(|m| m.get(&keys[0])?.get(&keys[1])?.get(&keys[2]));
                found
                    .cloned()
                    .ok_or_else(|| problem(at, format!("Mappings has no {}", keys.join("."))))
            }
            "Fn::ImportValue" => {
                let export = self.text(args, at)?;
                let value = format!("example-{export}");
                self.fill(format!("!ImportValue {export}"), &value);
                Ok(value.into())
            }
            "Fn::If" => match args.as_array().map(Vec::as_slice) {
                Some([Value::String(condition), then, _]) => {
                    let value = self.eval(then, &format!("{at}/1"))?;
                    self.fill(
                        format!("!If {condition}"),
                        &format!("its first value, as if {condition} were true"),
                    );
                    Ok(value)
                }
                _ => Err(problem(at, "Fn::If takes [condition, value, value]")),
            },
            "Fn::GetAZs" => Ok(["a", "b", "c"]
                .iter()
                .map(|z| Value::from(format!("{REGION}{z}")))
                .collect()),
            _ => Err(problem(
                at,
                format!("{name} cannot be read in the playground: write its value instead"),
            )),
        }
    }

    /// `Fn::Sub`: `${Name}` from the variables, a resource, a parameter or a pseudo parameter;
    /// `${Resource.Attribute}` as `Fn::GetAtt`; `${!Text}` is the text `${Text}`.
    fn sub(
        &mut self,
        template: &str,
        vars: Option<&Map<String, Value>>,
        at: &str,
    ) -> Result<String, Problem> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = after[..end].trim();
            rest = &after[end + 1..];
            let placeholder = format!("${{{name}}}");
            if let Some(value) = vars.and_then(|v| v.get(name)) {
                let vars_at = format!("{at}/1/{}", escape(name));
                let value = self.text(value, &vars_at)?;
                self.fill(placeholder, &value);
                out.push_str(&value);
            } else if self.later.iter().any(|n| n == name) {
                out.push_str(&placeholder);
            } else {
                let value = match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        self.attribute(resource, attribute, at)?
                    }
                    _ => self.reference(name, at)?,
                };
                self.fill(placeholder, &value);
                out.push_str(&value);
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// `Ref`: a pseudo parameter, a parameter (its Default) or a resource.
    fn reference(&self, name: &str, at: &str) -> Result<String, Problem> {
        if let Some(pseudo) = name.strip_prefix("AWS::") {
            return Ok(match pseudo {
                "Region" => REGION.into(),
                "AccountId" => ACCOUNT.into(),
                "Partition" => "aws".into(),
                "URLSuffix" => "amazonaws.com".into(),
                "StackName" => STACK.into(),
                "StackId" => format!(
                    "arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/00000000-0000-0000-0000-000000000000"
                ),
                _ => return Err(problem(at, format!("AWS::{pseudo} has no example value"))),
            });
        }
        if let Some(parameter) = self.parameters.and_then(|p| p.get(name)) {
            return Ok(match parameter.get("Default") {
                Some(Value::String(s)) => s.clone(),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
                _ => format!("example-{name}"),
            });
        }
        let (kind, resource_name) = self.resource(name, at)?;
        Ok(match kind {
            "AWS::SNS::Topic" => arn("sns", &resource_name),
            "AWS::SQS::Queue" => queue_url(&resource_name),
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
                arn("states", &format!("stateMachine:{resource_name}"))
            }
            "AWS::StepFunctions::Activity" => arn("states", &format!("activity:{resource_name}")),
            _ => resource_name,
        })
    }

    /// `Fn::GetAtt`: an example of the attribute, from the resource's type.
    fn attribute(&self, resource: &str, attribute: &str, at: &str) -> Result<String, Problem> {
        let (kind, name) = self.resource(resource, at)?;
        Ok(match (kind, attribute) {
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", "Arn") => {
                arn("lambda", &format!("function:{name}"))
            }
            ("AWS::SQS::Queue", "QueueUrl") => queue_url(&name),
            ("AWS::SQS::Queue" | "AWS::SNS::Topic", "QueueName" | "TopicName") => name,
            ("AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable", "Arn") => {
                arn("dynamodb", &format!("table/{name}"))
            }
            ("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine", "Arn") => {
                arn("states", &format!("stateMachine:{name}"))
            }
            ("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine", "Name") => name,
            ("AWS::IAM::Role", "Arn") => format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
            ("AWS::S3::Bucket", "Arn") => format!("arn:aws:s3:::{}", name.to_ascii_lowercase()),
            ("AWS::Events::EventBus", "Arn") => arn("events", &format!("event-bus/{name}")),
            (_, "Arn" | "TopicArn") => {
                let service = kind
                    .split("::")
                    .nth(1)
                    .unwrap_or("service")
                    .to_ascii_lowercase();
                arn(&service, &name)
            }
            (_, attribute) => format!("example-{name}-{attribute}"),
        })
    }

    /// A resource's type and its name: the name its properties give it, else its logical ID.
    fn resource(&self, logical_id: &str, at: &str) -> Result<(&str, String), Problem> {
        let Some(resource) = self.resources.get(logical_id) else {
            return Err(problem(
                at,
                format!("the template has no resource or parameter named {logical_id}"),
            ));
        };
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or("");
        let properties = resource.get("Properties");
        let named = [
            "FunctionName",
            "TableName",
            "TopicName",
            "QueueName",
            "StateMachineName",
            "Name",
            "RoleName",
            "BucketName",
        ]
        .iter()
        .find_map(|key| properties?.get(key)?.as_str());
        Ok((kind, named.unwrap_or(logical_id).to_string()))
    }

    fn fill(&mut self, what: String, value: &str) {
        if !self.filled.iter().any(|(w, _)| *w == what) {
            self.filled.push((what, value.to_string()));
        }
    }
}

/// The two values of a two-value list.
fn pair(args: &Value) -> Option<(&Value, &Value)> {
    match args.as_array()?.as_slice() {
        [a, b] => Some((a, b)),
        _ => None,
    }
}

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}")
}

fn queue_url(name: &str) -> String {
    format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}")
}

pub fn problem(at: &str, message: impl Into<String>) -> Problem {
    Problem {
        message: message.into(),
        pointer: at.to_string(),
    }
}

/// A JSON pointer's reference token for `key`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
