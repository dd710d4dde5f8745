//! Step details of the selected state, as the console shows them: status, resource, input,
//! output and exception.

use crate::state::Playground;
use crate::view::{pretty, trace, NodeStatus};
use asl::StateKind;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(StepDetails)]
pub fn step_details(Props { state }: &Props) -> Html {
    let Some(name) = state.selected.clone() else {
        return html! {
            <section id="step-details" class="panel step-details" aria-labelledby="details-heading">
                <h2 id="details-heading">{ "Step details" }</h2>
                <p class="muted">{ "Select a state in the graph to see its input and output." }</p>
            </section>
        };
    };
    let details = state
        .run
        .as_ref()
        .and_then(|r| trace(r.borrow().execution.history()).remove(&name))
        .unwrap_or_default();
    let status = details.status.unwrap_or(NodeStatus::NotRun);
    // Before a state runs, its resource still comes from the definition.
    let resource =
        details
            .resource
            .clone()
            .or_else(|| match state.machine.state(&name).map(|s| &s.kind) {
                Some(StateKind::Task(task)) => Some(task.resource.clone()),
                _ => None,
            });
    let json_or_dash =
        |v: &Option<asl::Payload>| v.as_ref().map(|v| pretty(v)).unwrap_or_else(|| "–".into());
    // As the console shows it: only the parts the failure has (a Fail state may have no Error).
    let exception = {
        let mut parts = serde_json::Map::new();
        if let Some(error) = &details.error {
            parts.insert("error".into(), error.clone().into());
        }
        if let Some(cause) = &details.cause {
            parts.insert("cause".into(), cause.clone().into());
        }
        if parts.is_empty() {
            String::new()
        } else {
            pretty(&serde_json::Value::Object(parts))
        }
    };
    html! {
        <section id="step-details" class="panel step-details" aria-labelledby="details-heading">
            <h2 id="details-heading">{ format!("Step details ({name})") }</h2>
            <dl>
                <dt>{ "Status" }</dt>
                <dd id="step-status" class={classes!("status-text", status.key())}>
                    <span class={classes!("status-dot", status.key())} aria-hidden="true"></span>{ status.label() }
                </dd>
                if let Some(resource) = resource {
                    <dt>{ "Resource" }</dt>
                    <dd id="step-resource" class="resource">{ resource }</dd>
                }
            </dl>
            <details open=true>
                <summary>{ "Input" }</summary>
                <pre id="step-input">{ json_or_dash(&details.input) }</pre>
            </details>
            <details open=true>
                <summary>{ "Output" }</summary>
                <pre id="step-output">{ json_or_dash(&details.output) }</pre>
            </details>
            <details open={!exception.is_empty()}>
                <summary>{ "Exception" }</summary>
                <pre id="step-exception">{ if exception.is_empty() { "–".to_string() } else { exception } }</pre>
            </details>
        </section>
    }
}
