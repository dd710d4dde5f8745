//! The execution's event history as a table: id, type, state, elapsed virtual time, and the
//! event's details as GetExecutionHistory gives them.

use crate::state::Playground;
use crate::view::{pretty, state_of_events};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(EventHistory)]
pub fn event_history(Props { state }: &Props) -> Html {
    let run = state.run.as_ref().map(|r| r.borrow());
    let events = run
        .as_ref()
        .map(|r| r.execution.history())
        .unwrap_or_default();
    let owners = state_of_events(events);
    let start = events.first().map(|e| e.timestamp).unwrap_or_default();
    html! {
        <section class="panel event-history" aria-labelledby="history-heading">
            <h2 id="history-heading">{ format!("Events ({})", events.len()) }</h2>
            if events.is_empty() {
                <p class="muted">{ "Start an execution to record its events." }</p>
            }
            <div class="table-scroll">
                <table id="event-history">
                    <thead>
                        <tr>
                            <th scope="col">{ "ID" }</th>
                            <th scope="col">{ "Type" }</th>
                            <th scope="col">{ "Step" }</th>
                            <th scope="col">{ "Elapsed time (ms)" }</th>
                            <th scope="col">{ "Details" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for events.iter().zip(owners).map(|(event, owner)| {
                            let event_type = event.event_type();
                            let class = if event_type.ends_with("Failed") { "failed" } else if event_type.ends_with("Succeeded") { "succeeded" } else { "" };
                            html! {
                                <tr data-event-type={event_type.clone()} class={class}>
                                    <td>{ event.id }</td>
                                    <td class="event-type">{ event_type }</td>
                                    <td>{ owner.unwrap_or_default() }</td>
                                    <td class="numeric">{ event.timestamp - start }</td>
                                    <td>
                                        <details>
                                            <summary>{ "JSON" }</summary>
                                            <pre>{ pretty(&event.to_aws_json()) }</pre>
                                        </details>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
