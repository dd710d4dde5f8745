//! The playground's examples: the call-center tutorial first, then one machine for each part
//! of the language a learner meets next (Retry/Catch, Parallel, Map, Wait, intrinsic
//! functions, Choice with And/Or/Not), then JSONata: the tutorial again with variables, and
//! `$states.context` with a Map. Each comes with an input that shows it off, and, where
//! a task must fail to show something, mocks in Step Functions Local's format.

pub struct Example {
    /// Short, URL- and command-line-friendly: `sfn run --example map`.
    pub name: &'static str,
    pub title: &'static str,
    pub definition: &'static str,
    pub input: &'static str,
    /// A MockConfigFile and the test case to run, when the example needs mocked tasks.
    pub mocks: Option<Mocks>,
}

pub struct Mocks {
    pub config: &'static str,
    pub state_machine: &'static str,
    pub test_case: &'static str,
}

macro_rules! example {
    ($name:literal, $title:literal) => {
        Example {
            name: $name,
            title: $title,
            definition: include_str!(concat!("definitions/", $name, ".asl.json")),
            input: include_str!(concat!("definitions/", $name, ".input.json")),
            mocks: None,
        }
    };
}

pub const ALL: &[Example] = &[
    Example {
        name: "tutorial",
        title: "Call center (the tutorial)",
        definition: callcenter::TUTORIAL_DEFINITION,
        input: callcenter::TUTORIAL_INPUT,
        mocks: None,
    },
    Example {
        mocks: Some(Mocks {
            config: include_str!("definitions/retry-catch.mocks.json"),
            state_machine: "RetryCatch",
            test_case: "Throttled",
        }),
        ..example!("retry-catch", "Retry and Catch: a throttled notification")
    },
    example!("parallel", "Parallel: assign and acknowledge at once"),
    example!("map", "Map: work a queue of cases"),
    example!("wait", "Wait: a day passes at once"),
    example!("intrinsics", "Intrinsic functions: a case summary"),
    example!("choice-logic", "Choice with And, Or and Not: route a case"),
    example!(
        "callcenter-jsonata",
        "JSONata and variables: the call center again"
    ),
    example!("context-map", "JSONata: $states.context and a Map"),
];

/// The example with this name.
pub fn find(name: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.name == name)
}
