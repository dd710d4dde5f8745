//! Step details of the selected state, as the console shows them (status, resource, input,
//! output, exception) and more: every data-flow stage with the field that produced it, the
//! task's attempts with their delays, and the state's variables.

use crate::components::expression_box::ExpressionBox;
use crate::components::iteration_picker::IterationPicker;
use crate::components::test_state_tab::TestStateTab;
use crate::state::Playground;
use crate::view::{pretty, NodeStatus, StateScope, StepDetails as Details};
use asl::dataflow::Stage;
use asl::model::{State, StateKind};
use asl::Stages;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    InputOutput,
    DataFlow,
    Exception,
    Retries,
    Variables,
    Test,
}

const TABS: [(Tab, &str, &str); 6] = [
    (Tab::InputOutput, "io", "Input & output"),
    (Tab::DataFlow, "flow", "Data flow"),
    (Tab::Exception, "exception", "Exception"),
    (Tab::Retries, "retries", "Retries"),
    (Tab::Variables, "variables", "Variables"),
    (Tab::Test, "test", "Test state"),
];

#[function_component(StepDetails)]
pub fn step_details(Props { state }: &Props) -> Html {
    let tab = use_state(|| Tab::InputOutput);
    let Some(name) = state.selected.clone() else {
        return html! {
            <section id="step-details" class="panel step-details" aria-labelledby="details-heading">
                <h2 id="details-heading">{ "Step details" }</h2>
                <p class="muted">{ "Select a state in the graph to see its input and output." }</p>
            </section>
        };
    };
    let events = state.events();
    let derived = state.derived();
    let details = derived
        .as_ref()
        .and_then(|d| d.details(&name, &state.picks).cloned())
        .unwrap_or_default();
    let tries = events
        .as_ref()
        .zip(derived.as_ref())
        .map(|(e, d)| d.attempts(e, &name, &state.picks))
        .unwrap_or_default();
    let scope = derived
        .as_ref()
        .and_then(|d| d.scopes.states.get(&name).cloned());
    // The visit's context object as the engine builds it: entered when the events say (a
    // state not yet entered: as if now, at the last event), after the retries they show.
    let entered_at = scope
        .as_ref()
        .map(|s| s.entered_at)
        .or_else(|| events.as_ref().and_then(|e| e.last()).map(|e| e.timestamp));
    let retry_count = tries.len().saturating_sub(1) as u64;
    let context = match (&state.run, entered_at) {
        (Some(run), Some(at)) => run.borrow().engine.context_object(&name, at, retry_count),
        _ => serde_json::json!({ "State": { "Name": name, "RetryCount": 0 } }),
    };
    drop(derived);
    drop(events);
    let definition = state.machine.find(&name);
    // A Map, or a state in one: which of its iterations is shown can be picked.
    let map = match definition.map(|s| &s.kind) {
        Some(StateKind::Map(_)) => Some(name.clone()),
        _ => state
            .machine
            .enclosing(&name)
            .filter(|(container, _)| {
                matches!(
                    state.machine.find(container).map(|s| &s.kind),
                    Some(StateKind::Map(_))
                )
            })
            .map(|(container, _)| container.to_string()),
    };
    let status = details.status.unwrap_or(NodeStatus::NotRun);
    // Before a state runs, its resource still comes from the definition.
    let resource = details
        .resource
        .clone()
        .or_else(|| match definition.map(|s| &s.kind) {
            Some(StateKind::Task(task)) => Some(task.resource.clone()),
            _ => None,
        });
    // The stages are known once the visit is over (they are recorded with its last event).
    let finished = matches!(
        status,
        NodeStatus::Succeeded | NodeStatus::Failed | NodeStatus::Caught
    );
    let stages = details.entered_event.filter(|_| finished).and_then(|id| {
        state
            .run
            .as_ref()
            .and_then(|r| r.borrow().engine.stages(id).cloned())
    });

    // `$states.result`: the state's result once its visit is over.
    let expression_result = stages.as_ref().and_then(|s| s.get(Stage::Result).cloned());

    let tabs = TABS.iter().map(|&(t, key, label)| {
        let onclick = {
            let tab = tab.clone();
            Callback::from(move |_: MouseEvent| tab.set(t))
        };
        let selected = *tab == t;
        html! {
            <button type="button" role="tab" id={format!("tab-{key}")} aria-selected={selected.to_string()}
                aria-controls={format!("panel-{key}")} tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("selected"))} {onclick}>{ label }</button>
        }
    });
    let onkeydown = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = TABS.iter().position(|(t, ..)| *t == *tab).unwrap_or(0);
            let j = match e.key().as_str() {
                "ArrowRight" => (i + 1) % TABS.len(),
                "ArrowLeft" => (i + TABS.len() - 1) % TABS.len(),
                _ => return,
            };
            e.prevent_default();
            tab.set(TABS[j].0);
            let id = format!("tab-{}", TABS[j].1);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
            {
                let _ = el.dyn_into::<web_sys::HtmlElement>().map(|el| el.focus());
            }
        })
    };
    let key = TABS
        .iter()
        .find(|(t, ..)| *t == *tab)
        .map_or("io", |(_, k, _)| *k);
    let panel = match *tab {
        Tab::InputOutput => input_output(&details),
        Tab::DataFlow => data_flow(definition, stages.as_ref()),
        Tab::Exception => exception(&details),
        Tab::Retries => retries(definition, &tries),
        Tab::Variables => variables(definition, scope.as_ref()),
        Tab::Test => {
            let mockable = matches!(
                definition.map(|s| &s.kind),
                Some(StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_))
            );
            let prefill = crate::state_test::prefill(
                details.input.as_deref(),
                &state.input,
                expression_result.as_deref(),
                mockable,
                &scope
                    .as_ref()
                    .map(|s| s.entered.clone())
                    .unwrap_or_default(),
            );
            // Keyed by the state: another state starts from its own prefill.
            html! { <TestStateTab key={name.clone()} state={state.clone()} name={AttrValue::from(name.clone())} {prefill} {mockable} /> }
        }
    };
    html! {
        <section id="step-details" class="panel step-details" aria-labelledby="details-heading">
            <h2 id="details-heading">{ format!("Step details ({name})") }</h2>
            if let Some(map) = &map {
                <IterationPicker state={state.clone()} map={AttrValue::from(map.clone())} />
            }
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
            <div class="tabs" role="tablist" aria-label="Step details" {onkeydown}>{ for tabs }</div>
            <div class="tab-panel" role="tabpanel" id={format!("panel-{key}")} aria-labelledby={format!("tab-{key}")}>
                { panel }
            </div>
            <ExpressionBox input={details.input.clone()} result={expression_result}
                context={std::sync::Arc::new(context)}
                variables={scope.as_ref().map(|s| s.entered.clone()).unwrap_or_default()}
                now={scope.as_ref().map_or(0, |s| s.entered_at)} />
        </section>
    }
}

fn json_or_dash(v: &Option<asl::Payload>) -> String {
    v.as_ref().map(|v| pretty(v)).unwrap_or_else(|| "–".into())
}

fn input_output(details: &Details) -> Html {
    html! {
        <>
            <h3>{ "Input" }</h3>
            <pre id="step-input">{ json_or_dash(&details.input) }</pre>
            <h3>{ "Output" }</h3>
            <pre id="step-output">{ json_or_dash(&details.output) }</pre>
        </>
    }
}

/// As the console shows it: only the parts the failure has (a Fail state may have no Error).
fn exception_text(details: &Details) -> String {
    let mut parts = serde_json::Map::new();
    if let Some(error) = &details.error {
        parts.insert("error".into(), error.clone().into());
    }
    if let Some(cause) = &details.cause {
        parts.insert("cause".into(), cause.clone().into());
    }
    if parts.is_empty() {
        "–".into()
    } else {
        pretty(&serde_json::Value::Object(parts))
    }
}

fn exception(details: &Details) -> Html {
    html! {
        <>
            <pre id="step-exception">{ exception_text(details) }</pre>
            if details.error.is_none() && details.cause.is_none() {
                <p class="muted">{ "No error in this state's latest visit." }</p>
            }
        </>
    }
}

/// How a state gets its result, for the `result` stage's label.
fn result_source(state: Option<&State>) -> String {
    match state.map(|s| &s.kind) {
        Some(StateKind::Task(t)) => format!("Resource {}", t.resource),
        Some(StateKind::Pass(p)) => p
            .result
            .as_ref()
            .map_or("the effective input".into(), |r| format!("Result {r}")),
        Some(StateKind::Parallel(_)) => "the branches' outputs".into(),
        Some(StateKind::Map(_)) => "the iterations' outputs".into(),
        _ => "–".into(),
    }
}

/// Every stage the visit reached, with the field of the definition that produced it (the
/// engine's data-flow seam names the fields, so the page and the engine cannot disagree).
fn data_flow(state: Option<&State>, stages: Option<&Stages>) -> Html {
    let Some(stages) = stages else {
        return html! { <p class="muted">{ "The stages appear once the state has run." }</p> };
    };
    let io = state.map(State::io);
    let result = result_source(state);
    html! {
        <ol class="stages" id="data-flow">
            { for Stage::ALL.into_iter().filter_map(|stage| stages.get(stage).map(|v| (stage, v))).map(|(stage, value)| {
                let field = io.map_or_else(|| stage.as_str().to_string(), |io| io.explain(stage, &result));
                html! {
                    <li data-stage={stage.as_str()}>
                        <div class="stage-head"><strong>{ stage.as_str() }</strong><span class="muted">{ format!(" ← {field}") }</span></div>
                        <pre>{ pretty(value) }</pre>
                    </li>
                }
            }) }
        </ol>
    }
}

fn retries(state: Option<&State>, tries: &[crate::view::Attempt]) -> Html {
    let retriers = match state.map(|s| &s.kind) {
        Some(StateKind::Task(t)) => t.errors.retry.len(),
        Some(StateKind::Parallel(p)) => p.errors.retry.len(),
        Some(StateKind::Map(m)) => m.errors.retry.len(),
        _ => 0,
    };
    if tries.is_empty() {
        let note = if retriers == 0 {
            "This state has no Retry."
        } else {
            "No attempt yet."
        };
        return html! { <p class="muted">{ note }</p> };
    }
    html! {
        <table class="attempts" id="attempts">
            <thead><tr><th scope="col">{ "Attempt" }</th><th scope="col">{ "Started (ms)" }</th><th scope="col">{ "Waited before (ms)" }</th><th scope="col">{ "Outcome" }</th></tr></thead>
            <tbody>
                { for tries.iter().enumerate().map(|(i, a)| {
                    let waited = if i == 0 { "–".to_string() } else { (a.scheduled_at - tries[i - 1].scheduled_at).to_string() };
                    let outcome = match (&a.error, &a.cause) {
                        (Some(e), Some(c)) => format!("{e}: {c}"),
                        (Some(e), None) => e.clone(),
                        _ => "succeeded".into(),
                    };
                    html! {
                        <tr>
                            <td>{ i + 1 }</td>
                            <td class="numeric">{ a.scheduled_at - tries[0].scheduled_at }</td>
                            <td class="numeric">{ waited }</td>
                            <td>{ outcome }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// The workflow variables in scope at the selected state's latest visit (those it sees, and
/// once it has exited, those it assigned), and its Assign field.
fn variables(state: Option<&State>, scope: Option<&StateScope>) -> Html {
    let assign = state.and_then(|s| s.assign.as_ref()).map(|assign| {
        html! {
            <>
                <h3>{ "Assign" }</h3>
                <pre id="step-assign">{ pretty(assign.as_value()) }</pre>
            </>
        }
    });
    let Some(scope) = scope else {
        return html! {
            <>
                <p class="muted">{ "The variables appear once the state has run." }</p>
                { for assign }
            </>
        };
    };
    let assigned = scope.assigned.as_deref();
    let mut rows: Vec<(String, serde_json::Value, bool)> = scope
        .entered
        .iter()
        .map(|(k, v)| (k.clone(), v.clone(), false))
        .collect();
    for (k, v) in assigned.into_iter().flatten() {
        match rows.iter_mut().find(|(n, ..)| n == k) {
            Some(row) => *row = (k.clone(), v.clone(), true),
            None => rows.push((k.clone(), v.clone(), true)),
        }
    }
    let note = if scope.exited {
        "In scope after this state (its assignments included):"
    } else {
        "In scope as this state runs (it assigns as it exits):"
    };
    html! {
        <>
            if scope.nested {
                <p class="muted" id="variables-nested">{ "Inside a Parallel branch or Map iteration: shown are the top level's variables as the outermost Parallel or Map began, and what this state assigned (assignments made earlier in the branch or iteration are not shown)." }</p>
            }
            if rows.is_empty() {
                <p class="muted" id="variables-empty">{ "No variables in scope." }</p>
            } else {
                <p class="muted">{ note }</p>
                <table class="variables" id="variables">
                    <thead><tr><th scope="col">{ "Variable" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Set here" }</th></tr></thead>
                    <tbody>
                        { for rows.iter().map(|(name, value, here)| html! {
                            <tr data-variable={name.clone()} class={classes!(here.then_some("assigned-here"))}>
                                <th scope="row"><code>{ format!("${name}") }</code></th>
                                <td><pre>{ pretty(value) }</pre></td>
                                <td>{ if *here { "assigned by this state" } else { "" } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            { for assign }
        </>
    }
}
