//! sfn-playground: the AWS Step Functions call-center tutorial, run in the browser.
//!
//! The app only renders and dispatches: [`state`] holds what the person typed and the run,
//! [`view`] derives what is shown from the run's history, [`graph`] lays out the drawing, and
//! [`components`] are the page's parts. The engine is the `asl` crate; the tutorial's Lambda
//! functions are the `callcenter` crate.

pub mod components;
pub mod graph;
pub mod state;
pub mod view;

use components::{
    controls::Controls, definition_editor::DefinitionEditor, event_history::EventHistory,
    execution_input::ExecutionInput, execution_result::ExecutionResult, state_graph::StateGraph,
    step_details::StepDetails,
};
use state::Playground;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(Playground::default);
    html! {
        <>
            <header class="app-header">
                <h1>{ "Step Functions playground" }</h1>
                <p class="tagline">{ "The call-center tutorial, run in your browser: no AWS account needed." }</p>
            </header>
            <main class="app-main">
                <div class="column run-column">
                    <ExecutionInput state={state.clone()} />
                    <Controls state={state.clone()} />
                    <ExecutionResult state={state.clone()} />
                    <StateGraph state={state.clone()} />
                </div>
                <div class="column details-column">
                    <StepDetails state={state.clone()} />
                    <DefinitionEditor state={state.clone()} />
                </div>
                <div class="wide">
                    <EventHistory state={state.clone()} />
                </div>
            </main>
        </>
    }
}
