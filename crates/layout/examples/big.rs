//! How long [`layout::layout`] takes on big state machines, natively:
//! `cargo run --release -p layout --example big [STATES]` (default 2,000).
//!
//! Two shapes: a chain (Start → S0 → … → End) and a wide Choice (Start → C, C → B1 … Bn each
//! with a label, each Bi → End), as the page draws them. Prints one line per shape: the
//! fastest of five runs, in ms.

use layout::{layout, Graph, Options};
use std::time::Instant;

fn chain(n: usize) -> Graph {
    let mut g = Graph::new();
    let start = g.add_node(50.0, 50.0);
    let mut last = start;
    for _ in 0..n {
        let s = g.add_node(120.0, 40.0);
        g.add_edge(last, s);
        last = s;
    }
    let end = g.add_node(50.0, 50.0);
    g.add_edge(last, end);
    g
}

fn wide_choice(n: usize) -> Graph {
    let mut g = Graph::new();
    let start = g.add_node(50.0, 50.0);
    let c = g.add_node(120.0, 40.0);
    g.add_edge(start, c);
    let end = g.add_node(50.0, 50.0);
    for _ in 1..n {
        let b = g.add_node(120.0, 40.0);
        g.add_labelled_edge(c, b, 90.0, 20.0);
        g.add_edge(b, end);
    }
    g
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000);
    for (name, graph) in [("chain", chain(n)), ("wide Choice", wide_choice(n))] {
        let best = (0..5)
            .map(|_| {
                let t = Instant::now();
                let l = layout(&graph, &Options::default());
                std::hint::black_box(l);
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::MAX, f64::min);
        println!("layout, {n}-state {name}: {best:.1} ms");
    }
}
