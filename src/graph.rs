//! The drawing of a state machine: a Start circle, one box per state, an End circle, and the
//! arrows between them, placed by the `layout` crate's layered layout.

use asl::StateMachine;
use layout::{Graph, Layout, Options};

pub const BOX_HEIGHT: f64 = 40.0;
pub const CIRCLE: f64 = 56.0;

/// What a node of the drawing stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Start,
    State(String),
    End,
}

/// A laid-out drawing of a machine.
pub struct Drawing {
    pub nodes: Vec<Node>,
    /// (from node, to node) for each edge, in the order of `layout.edges`.
    pub edges: Vec<(usize, usize)>,
    pub layout: Layout,
}

/// Box width for a state name: wide enough for its text at the page's font size.
fn box_width(name: &str) -> f64 {
    (name.chars().count() as f64 * 7.6 + 36.0).max(96.0)
}

pub fn draw(machine: &StateMachine) -> Drawing {
    let mut graph = Graph::new();
    let mut nodes = vec![Node::Start];
    graph.add_node(CIRCLE, CIRCLE);
    for name in machine.states.keys() {
        nodes.push(Node::State(name.clone()));
        graph.add_node(box_width(name), BOX_HEIGHT);
    }
    let end = nodes.len();
    nodes.push(Node::End);
    graph.add_node(CIRCLE, CIRCLE);

    let index = |name: &str| machine.states.get_index_of(name).map(|i| i + 1);
    let mut edges = Vec::new();
    if let Some(start) = index(&machine.start_at) {
        edges.push((0, start));
    }
    for (i, state) in machine.states.values().enumerate() {
        let from = i + 1;
        let mut seen = Vec::new();
        for (target, _) in state.successors() {
            // Two rules to the same state draw one arrow.
            if let Some(to) = index(target).filter(|to| !seen.contains(to)) {
                seen.push(to);
                edges.push((from, to));
            }
        }
        if state.is_terminal() {
            edges.push((from, end));
        }
    }
    for &(from, to) in &edges {
        graph.add_edge(from, to);
    }
    let layout = layout::layout(
        &graph,
        &Options {
            rank_sep: 36.0,
            node_sep: 36.0,
            margin: 16.0,
        },
    );
    Drawing {
        nodes,
        edges,
        layout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorial_is_drawn_like_the_console() {
        let machine = asl::load(callcenter::TUTORIAL_DEFINITION).unwrap();
        let drawing = draw(&machine);
        assert_eq!(drawing.nodes.len(), 9);
        assert_eq!(
            drawing.edges.len(),
            9,
            "start, 4 chain, 2 choice, escalate→fail, close→end, fail→end"
        );
        let rank = |name: &str| {
            let i = drawing
                .nodes
                .iter()
                .position(|n| *n == Node::State(name.into()))
                .unwrap();
            drawing.layout.ranks[i]
        };
        assert_eq!(
            rank("Close Case"),
            rank("Fail"),
            "Close Case sits beside Fail, above End"
        );
        assert!(rank("Escalate Case") < rank("Fail"));
    }
}
