//! Checks on the shape of the graph, once the definition has parsed: every transition names a
//! state, every state can be reached, and the execution can end.

use crate::diagnostic::{pointer, Diagnostic, DiagnosticCode};
use crate::model::{StateMachine, Successor};
use std::collections::HashSet;

/// Every graph problem of a parsed machine, in definition order.
pub fn check(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let missing = |what: &str, target: &str, at: String| {
        Diagnostic::new(
            DiagnosticCode::MissingTransitionTarget,
            format!("Missing '{what}' target: {target}"),
            at,
        )
    };
    if !machine.states.contains_key(&machine.start_at) {
        out.push(missing("StartAt", &machine.start_at, "/StartAt".into()));
    }
    for (name, state) in &machine.states {
        let at = pointer("/States", name);
        for (target, via) in state.successors() {
            if machine.states.contains_key(target) {
                continue;
            }
            out.push(match via {
                Successor::Next => missing("Next", target, pointer(&at, "Next")),
                Successor::Default => missing("Default", target, pointer(&at, "Default")),
                Successor::Choice(i) => missing("Next", target, format!("{at}/Choices/{i}/Next")),
            });
        }
    }
    if !out.is_empty() {
        return out;
    }

    let reachable = reachable_from(machine, &machine.start_at);
    for name in machine.states.keys() {
        if !reachable.contains(name.as_str()) {
            out.push(Diagnostic::new(
                DiagnosticCode::MissingTransitionTarget,
                format!("State '{name}' is not reachable"),
                pointer("/States", name),
            ));
        }
    }
    let can_end = machine
        .states
        .iter()
        .any(|(name, s)| reachable.contains(name.as_str()) && s.is_terminal());
    if !can_end {
        out.push(Diagnostic::new(
            DiagnosticCode::NoTerminalState,
            "No terminal state: no state has \"End\": true and there is no Succeed or Fail state",
            "/States",
        ));
    }
    out
}

fn reachable_from<'m>(machine: &'m StateMachine, start: &'m str) -> HashSet<&'m str> {
    let mut seen = HashSet::new();
    let mut stack = vec![start];
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(state) = machine.states.get(name) {
            stack.extend(state.successors().into_iter().map(|(t, _)| t));
        }
    }
    seen
}
