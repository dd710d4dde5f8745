//! The state graph in SVG, coloured by each state's status, with its legend.

use crate::graph::{draw, Node};
use crate::state::{Action, Playground};
use crate::view::{trace, NodeStatus};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(StateGraph)]
pub fn state_graph(Props { state }: &Props) -> Html {
    let machine = state.machine.clone();
    // The layout depends only on the machine: recompute it when the definition changes.
    let drawing = use_memo(machine.clone(), |machine| draw(machine));
    let statuses = state
        .run
        .as_ref()
        .map(|r| trace(r.borrow().execution.history()))
        .unwrap_or_default();
    let layout = &drawing.layout;
    let status_of = |name: &str| {
        statuses
            .get(name)
            .and_then(|d| d.status)
            .unwrap_or(NodeStatus::NotRun)
    };

    let edges = drawing.edges.iter().zip(&layout.edges).map(|(&(from, to), points)| {
        let taken = match (&drawing.nodes[from], &drawing.nodes[to]) {
            (Node::Start, Node::State(b)) => status_of(b) != NodeStatus::NotRun,
            (Node::State(a), Node::State(b)) => status_of(a) != NodeStatus::NotRun && status_of(b) != NodeStatus::NotRun,
            (Node::State(a), Node::End) => state.run.as_ref().is_some_and(|r| r.borrow().execution.is_finished()) && status_of(a) != NodeStatus::NotRun,
            _ => false,
        };
        html! {
            <path class={classes!("edge", taken.then_some("taken"))} d={layout::smooth_path(points)} marker-end="url(#arrow)" />
        }
    });

    let nodes = drawing.nodes.iter().zip(&layout.nodes).map(|(node, rect)| {
        let c = rect.center();
        match node {
            Node::Start | Node::End => {
                let label = if *node == Node::Start { "Start" } else { "End" };
                html! {
                    <g class="terminal-node">
                        <circle cx={c.x.to_string()} cy={c.y.to_string()} r={(rect.width / 2.0).to_string()} />
                        <text x={c.x.to_string()} y={c.y.to_string()} dominant-baseline="central" text-anchor="middle">{ label }</text>
                    </g>
                }
            }
            Node::State(name) => {
                let status = status_of(name);
                let selected = state.selected.as_deref() == Some(name);
                let onclick = {
                    let (state, name) = (state.clone(), name.clone());
                    Callback::from(move |_: MouseEvent| state.dispatch(Action::Select(name.clone())))
                };
                let onkeydown = {
                    let (state, name) = (state.clone(), name.clone());
                    Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            state.dispatch(Action::Select(name.clone()));
                        }
                    })
                };
                html! {
                    <g class={classes!("state-node", status.key(), selected.then_some("selected"))}
                        data-state={name.clone()} data-status={status.key()}
                        tabindex="0" role="button" aria-label={format!("{name}: {}", status.label())}
                        {onclick} {onkeydown}>
                        <rect x={rect.x.to_string()} y={rect.y.to_string()} width={rect.width.to_string()}
                            height={rect.height.to_string()} rx="4" />
                        <text x={c.x.to_string()} y={c.y.to_string()} dominant-baseline="central" text-anchor="middle">{ name }</text>
                    </g>
                }
            }
        }
    });

    html! {
        <section class="panel graph" aria-labelledby="graph-heading">
            <h2 id="graph-heading">{ "Graph view" }</h2>
            <ul class="legend" aria-label="Legend">
                { for NodeStatus::LEGEND.iter().map(|s| html! {
                    <li><span class={classes!("swatch", s.key())} aria-hidden="true"></span>{ s.label() }</li>
                }) }
            </ul>
            <div class="graph-scroll">
                <svg id="state-graph" role="group" aria-label="State machine graph"
                    width={layout.width.to_string()} height={layout.height.to_string()}
                    viewBox={format!("0 0 {} {}", layout.width, layout.height)}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" />
                        </marker>
                    </defs>
                    <g class="edges">{ for edges }</g>
                    <g class="nodes">{ for nodes }</g>
                </svg>
            </div>
        </section>
    }
}
