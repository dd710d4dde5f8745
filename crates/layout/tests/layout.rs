//! End-to-end tests of `layout::layout` on the graphs a state machine
//! produces, plus pseudo-random graphs. Every layout is checked with
//! `common::check` (no overlaps, no edge through a box, edges from border
//! to border, …) and for determinism.

mod common;

use common::{check, edge_crossings, graph, laid_out, tutorial, Lcg};
use layout::{layout, polyline_midpoint, Graph, Options, Point};

const BOX: (f64, f64) = (120.0, 36.0);
const CIRCLE: (f64, f64) = (50.0, 50.0);

fn cx(l: &layout::Layout, v: usize) -> f64 {
    l.nodes[v].center().x
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn tutorial_ranks_match_the_console() {
    let g = tutorial();
    let l = laid_out("tutorial", &g, &Options::default());
    assert_eq!(l.ranks, vec![0, 1, 2, 3, 4, 6, 5, 6, 7]);
    // Close Case next to Fail, directly above End.
    assert!(close(l.nodes[5].center().y, l.nodes[7].center().y));
    assert!(l.nodes[5].bottom() < l.nodes[8].y);
}

#[test]
fn tutorial_geometry() {
    let g = tutorial();
    let o = Options::default();
    let l = laid_out("tutorial", &g, &o);
    // Start … Choice form one vertical line.
    for v in 1..=4 {
        assert!(close(cx(&l, v), cx(&l, 0)), "node {v} not under Start");
    }
    // The Choice's branches straddle it symmetrically, rule order left to right.
    assert!(cx(&l, 5) < cx(&l, 4) && cx(&l, 4) < cx(&l, 6));
    assert!(close(cx(&l, 4) - cx(&l, 5), cx(&l, 6) - cx(&l, 4)));
    // Escalate above Fail; End centred under Close Case and Fail.
    assert!(close(cx(&l, 6), cx(&l, 7)));
    assert!(close(cx(&l, 8), (cx(&l, 5) + cx(&l, 7)) / 2.0));
    // Chain edges are straight vertical segments, bottom centre to top centre.
    for (i, e) in g.edges.iter().enumerate().take(4) {
        let pts = &l.edges[i];
        assert_eq!(pts.len(), 2, "edge {i} is straight");
        assert_eq!(pts[0], Point::new(cx(&l, e.from), l.nodes[e.from].bottom()));
        assert_eq!(pts[1], Point::new(cx(&l, e.to), l.nodes[e.to].y));
    }
    // Choice -> Close Case drops down the left column past Escalate's layer.
    let to_close = &l.edges[4];
    assert!(to_close
        .iter()
        .any(|p| close(p.x, cx(&l, 5)) && p.y < l.nodes[6].bottom()));
    assert_eq!(edge_crossings(&l), 0);
    // The drawing is tight: margins plus the two columns.
    assert!(close(l.nodes[5].x, o.margin));
    assert!(close(l.width, 2.0 * o.margin + 2.0 * BOX.0 + o.node_sep));
    assert!(close(l.nodes[0].y, o.margin));
    assert!(close(l.height, l.nodes[8].bottom() + o.margin));
}

#[test]
fn tutorial_svg_paths() {
    let l = layout(&tutorial(), &Options::default());
    for pts in &l.edges {
        let d = layout::smooth_path(pts);
        assert!(d.starts_with('M') && !d.contains("NaN"), "{d}");
        let (tip, angle) = layout::edge_end(pts).unwrap();
        assert_eq!(tip, *pts.last().unwrap());
        // Every tutorial edge arrives from above.
        assert!(angle > 0.0 && angle < std::f64::consts::PI, "{angle}");
    }
}

#[test]
fn chain_is_vertical() {
    let g = graph(
        &[CIRCLE, BOX, (200.0, 80.0), BOX, CIRCLE],
        &[(0, 1), (1, 2), (2, 3), (3, 4)],
    );
    let l = laid_out("chain", &g, &Options::default());
    assert_eq!(l.ranks, vec![0, 1, 2, 3, 4]);
    for v in 1..5 {
        assert!(close(cx(&l, v), cx(&l, 0)));
    }
    assert!(l
        .edges
        .iter()
        .all(|e| e.len() == 2 && close(e[0].x, e[1].x)));
}

#[test]
fn cycles() {
    // Start -> A -> B -> C -> End with a retry B -> A, a loop C -> A, an
    // edge back into Start, and a 2-cycle D <-> E hanging off B.
    let g = graph(
        &[CIRCLE, BOX, BOX, BOX, CIRCLE, BOX, BOX],
        &[
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (2, 1),
            (3, 1),
            (3, 0),
            (2, 5),
            (5, 6),
            (6, 5),
            (6, 4),
        ],
    );
    let l = laid_out("cycles", &g, &Options::default());
    assert_eq!(l.ranks[0], 0);
    assert_eq!(
        l.ranks[4],
        *l.ranks.iter().max().unwrap(),
        "End at the bottom"
    );
    assert!(l.ranks[1] < l.ranks[2] && l.ranks[2] < l.ranks[3]);
    // Back edges go up: they start at the top of their source.
    for i in [4, 5, 6, 9] {
        let e = g.edges[i];
        assert!(l.ranks[e.from] > l.ranks[e.to], "edge {i} is a back edge");
    }
}

#[test]
fn retry_loop_edges_are_separate() {
    // A -> B and B -> A between adjacent layers: both drawn, apart.
    let g = graph(
        &[CIRCLE, BOX, BOX, CIRCLE],
        &[(0, 1), (1, 2), (2, 1), (2, 3)],
    );
    let l = laid_out("retry", &g, &Options::default());
    let fwd = polyline_midpoint(&l.edges[1]).unwrap();
    let back = polyline_midpoint(&l.edges[2]).unwrap();
    assert!((fwd.x - back.x).abs() >= 10.0, "{fwd:?} {back:?}");
    // The rest of the chain stays straight.
    assert!(close(cx(&l, 0), cx(&l, 1)) && close(cx(&l, 1), cx(&l, 2)));
}

#[test]
fn polling_loop_keeps_the_main_chain_straight() {
    // Start -> Submit -> Wait -> Get Status -> Done? ; Done? -> Wait (loop),
    // Done? -> Failed -> End, Done? -> Final -> End.
    let g = graph(
        &[CIRCLE, BOX, BOX, BOX, BOX, BOX, BOX, CIRCLE],
        &[
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 5),
            (4, 6),
            (4, 2),
            (5, 7),
            (6, 7),
        ],
    );
    let l = laid_out("polling", &g, &Options::default());
    assert_eq!(l.ranks, vec![0, 1, 2, 3, 4, 5, 5, 6]);
    for v in 1..=4 {
        assert!(close(cx(&l, v), cx(&l, 0)), "node {v} not under Start");
    }
    // Chain edges, including the ones next to the loop, are vertical.
    for i in 0..4 {
        assert_eq!(l.edges[i].len(), 2);
        assert!(close(l.edges[i][0].x, l.edges[i][1].x), "edge {i} slants");
    }
    // The loop goes up beside Get Status, from Done?'s top to Wait's bottom.
    let lp = &l.edges[6];
    assert!(close(lp[0].y, l.nodes[4].y));
    assert!(close(lp.last().unwrap().y, l.nodes[2].bottom()));
    assert!(lp.iter().any(|p| p.x >= l.nodes[3].right() + 10.0));
    assert!(close(cx(&l, 7), cx(&l, 4)));
}

#[test]
fn wide_fan_out_and_join() {
    // Start -> Choice -> 8 branches -> Join -> End.
    let mut nodes = vec![CIRCLE, BOX];
    let mut edges = vec![(0, 1)];
    for c in 2..10 {
        nodes.push(BOX);
        edges.push((1, c));
    }
    nodes.push(BOX); // 10: join
    nodes.push(CIRCLE); // 11: End
    for c in 2..10 {
        edges.push((c, 10));
    }
    edges.push((10, 11));
    let g = graph(&nodes, &edges);
    let o = Options::default();
    let l = laid_out("wide", &g, &o);
    for c in 2..10 {
        assert_eq!(l.ranks[c], 2);
    }
    // Branches left to right in edge order, evenly spaced at node_sep.
    for c in 2..9 {
        assert!(close(cx(&l, c + 1) - cx(&l, c), BOX.0 + o.node_sep));
    }
    // Fork and join centred over the branches, in line with Start and End.
    let mid = (cx(&l, 2) + cx(&l, 9)) / 2.0;
    for v in [0, 1, 10, 11] {
        assert!(close(cx(&l, v), mid), "node {v} at {} not {mid}", cx(&l, v));
    }
    assert_eq!(edge_crossings(&l), 0);
    // The eight edges leave the Choice from distinct ports.
    let mut ports: Vec<f64> = (1..9).map(|i| l.edges[i][0].x).collect();
    ports.dedup_by(|a, b| close(*a, *b));
    assert_eq!(ports.len(), 8);
}

#[test]
fn disconnected_nodes() {
    // Two components and three isolated nodes of assorted sizes.
    let g = graph(
        &[
            CIRCLE,
            BOX,
            CIRCLE,
            (80.0, 80.0),
            BOX,
            (10.0, 10.0),
            (0.0, 0.0),
            BOX,
        ],
        &[(0, 1), (1, 2), (4, 7)],
    );
    let l = laid_out("disconnected", &g, &Options::default());
    for v in [3, 4, 5, 6] {
        assert_eq!(l.ranks[v], 0, "node {v} stays on the top layer");
    }
    // Isolated nodes alone: a single layer.
    let g = graph(&[BOX, BOX, BOX], &[]);
    let l = laid_out("isolated", &g, &Options::default());
    assert_eq!(l.ranks, vec![0, 0, 0]);
}

#[test]
fn self_loops() {
    // A self-loop on B; two on C, which has a neighbour on its right.
    let g = graph(
        &[CIRCLE, BOX, BOX, BOX, CIRCLE],
        &[
            (0, 1),
            (1, 1),
            (1, 2),
            (1, 3),
            (2, 2),
            (2, 2),
            (2, 4),
            (3, 4),
            (4, 4),
        ],
    );
    let o = Options::default();
    let l = laid_out("self-loops", &g, &o);
    let (a, b) = (&l.edges[4], &l.edges[5]);
    assert_ne!(a, b, "two loops on one node are drawn apart");
    // The loops of C fit between C and its right neighbour D.
    let reach = a.iter().chain(b).map(|p| p.x).fold(f64::MIN, f64::max);
    assert!(l.nodes[2].x < l.nodes[3].x);
    assert!(
        reach + o.node_sep <= l.nodes[3].x + 1e-6,
        "{reach} vs {:?}",
        l.nodes[3]
    );
    // A graph made only of a self-loop.
    let g = graph(&[BOX], &[(0, 0)]);
    let l = laid_out("lone self-loop", &g, &o);
    assert!(l.width > BOX.0 + 2.0 * o.margin);
}

#[test]
fn parallel_edges() {
    // Choice with two rules to X (adjacent layer) and two rules to Y, which
    // is three layers down; plus a third, default, rule to X.
    let g = graph(
        &[CIRCLE, BOX, BOX, BOX, BOX, BOX, CIRCLE],
        &[
            (0, 1),
            (1, 2),
            (1, 2),
            (1, 3),
            (3, 4),
            (4, 5),
            (1, 5),
            (1, 5),
            (1, 2),
            (2, 6),
            (5, 6),
        ],
    );
    let l = laid_out("parallel", &g, &Options::default());
    for group in [[1, 2, 8].as_slice(), &[6, 7]] {
        for (i, &a) in group.iter().enumerate() {
            for &b in &group[i + 1..] {
                let (pa, pb) = (&l.edges[a], &l.edges[b]);
                assert_ne!(pa, pb);
                let (ma, mb) = (
                    polyline_midpoint(pa).unwrap(),
                    polyline_midpoint(pb).unwrap(),
                );
                assert!(
                    (ma.x - mb.x).hypot(ma.y - mb.y) >= 10.0,
                    "edges {a} and {b} too close: {ma:?} {mb:?}"
                );
                assert!(
                    (pa[0].x - pb[0].x).abs() >= 1.0
                        && (pa.last().unwrap().x - pb.last().unwrap().x).abs() >= 1.0,
                    "edges {a} and {b} share a port"
                );
            }
        }
    }
}

#[test]
fn invalid_edges_and_sizes_are_tolerated() {
    let g = graph(
        &[(f64::NAN, 10.0), (-5.0, f64::INFINITY), BOX],
        &[(0, 1), (1, 7), (9, 9), (1, 2)],
    );
    let l = laid_out("invalid", &g, &Options::default());
    assert!(l.edges[1].is_empty() && l.edges[2].is_empty());
    assert_eq!(l.ranks, vec![0, 1, 2]);
    let weird = Options {
        rank_sep: f64::NAN,
        node_sep: -3.0,
        margin: f64::INFINITY,
    };
    let l = laid_out("weird options", &tutorial(), &weird);
    assert_eq!(l.nodes[0].y, 0.0);
}

#[test]
fn empty_graph() {
    let o = Options::default();
    let l = laid_out("empty", &Graph::new(), &o);
    assert!(l.nodes.is_empty() && l.edges.is_empty());
    assert_eq!((l.width, l.height), (2.0 * o.margin, 2.0 * o.margin));
}

#[test]
fn options_scale_the_drawing() {
    let g = tutorial();
    let tight = Options {
        rank_sep: 10.0,
        node_sep: 5.0,
        margin: 0.0,
    };
    let loose = Options {
        rank_sep: 100.0,
        node_sep: 80.0,
        margin: 30.0,
    };
    let a = laid_out("tight", &g, &tight);
    let b = laid_out("loose", &g, &loose);
    assert!(a.width < b.width && a.height < b.height);
    assert_eq!(a.ranks, b.ranks);
    assert!(close(b.nodes[1].y - b.nodes[0].bottom(), loose.rank_sep));
}

/// A random graph: `n` nodes of assorted sizes, mostly forward edges plus
/// back edges, self-loops and duplicates.
fn random_graph(rng: &mut Lcg, n: usize) -> Graph {
    let mut g = Graph::new();
    for _ in 0..n {
        let (w, h) = match rng.below(4) {
            0 => CIRCLE,
            1 => BOX,
            2 => (rng.below(200) as f64, rng.below(90) as f64),
            _ => (
                10.0 + rng.below(40) as f64 * 3.5,
                20.0 + rng.below(5) as f64 * 7.25,
            ),
        };
        g.add_node(w, h);
    }
    let m = rng.below(2 * n + 1);
    for _ in 0..m {
        let a = rng.below(n);
        let b = rng.below(n);
        // Favour edges pointing forward, like a state machine read top-down.
        let (from, to) = if rng.below(4) == 0 {
            (a.max(b), a.min(b))
        } else {
            (a.min(b), a.max(b))
        };
        let e = g.add_edge(from, to);
        if rng.below(3) == 0 {
            // A labelled edge (a Choice rule, a Catch), of assorted sizes.
            g.edge_labels[e] = Some(layout::NodeSize {
                width: rng.below(160) as f64,
                height: rng.below(30) as f64,
            });
        }
        if rng.below(10) == 0 {
            g.add_edge(from, to); // parallel edge
        }
    }
    g
}

#[test]
fn random_graphs_keep_the_invariants() {
    let mut rng = Lcg(0x5eed);
    for case in 0..300 {
        let n = 1 + rng.below(if case < 200 { 12 } else { 30 });
        let g = random_graph(&mut rng, n);
        let o = match case % 5 {
            0 => Options {
                rank_sep: 0.0,
                node_sep: 0.0,
                margin: 0.0,
            },
            1 => Options {
                rank_sep: 20.0,
                node_sep: 10.0,
                margin: 5.0,
            },
            _ => Options::default(),
        };
        laid_out(&format!("random case {case} {g:?}"), &g, &o);
    }
}

#[test]
fn random_graphs_have_few_crossings_when_planar() {
    // Trees drawn top-down never need a crossing.
    let mut rng = Lcg(42);
    for case in 0..50 {
        let n = 2 + rng.below(25);
        let mut g = Graph::new();
        g.add_node(CIRCLE.0, CIRCLE.1);
        for v in 1..n {
            g.add_node(BOX.0, BOX.1);
            g.add_edge(rng.below(v), v);
        }
        let l = laid_out(&format!("tree {case}"), &g, &Options::default());
        assert_eq!(edge_crossings(&l), 0, "tree {case}: {g:?}");
    }
}

#[test]
fn large_chain_with_branches() {
    // 300 states: a chain where every 10th state is a Choice whose extra
    // branch rejoins 3 states later, every 25th has a retry back 5 states,
    // and every 40th a Catch straight to a shared Fail state near the end.
    let n = 300;
    let mut g = Graph::new();
    g.add_node(CIRCLE.0, CIRCLE.1);
    for _ in 1..n - 1 {
        g.add_node(BOX.0, BOX.1);
    }
    g.add_node(CIRCLE.0, CIRCLE.1);
    let fail = n - 2;
    for v in 0..n - 1 {
        g.add_edge(v, v + 1);
    }
    for v in (10..n - 5).step_by(10) {
        let side = g.add_node(BOX.0, BOX.1);
        g.add_edge(v, side);
        g.add_edge(side, v + 3);
    }
    for v in (25..n - 1).step_by(25) {
        g.add_edge(v, v - 5);
    }
    for v in (40..n - 2).step_by(40) {
        g.add_edge(v, fail);
    }
    let l = laid_out("large", &g, &Options::default());
    assert_eq!(l.ranks[0], 0);
    assert_eq!(l.ranks[n - 1], *l.ranks.iter().max().unwrap());
}

#[test]
fn layout_is_deterministic_across_clones() {
    let g = tutorial();
    let o = Options::default();
    let a = layout(&g, &o);
    let b = layout(&g.clone(), &o);
    assert_eq!(a, b);
    check("tutorial", &g, &o, &a);
}

/// Many more, larger random graphs: `cargo test -p layout --release -- --ignored`.
#[test]
#[ignore]
fn stress_random_graphs() {
    let mut rng = Lcg(0xfeed);
    for case in 0..20_000 {
        let n = 1 + rng.below(60);
        let g = random_graph(&mut rng, n);
        let o = if case % 7 == 0 {
            Options {
                rank_sep: 0.0,
                node_sep: 0.0,
                margin: 0.0,
            }
        } else {
            Options::default()
        };
        laid_out(&format!("stress case {case} {g:?}"), &g, &o);
    }
}

/// The tutorial with its Choice edges labelled, as the playground draws it:
/// `$.Status == 1` to Close Case and `Default` to Escalate Case.
fn labelled_tutorial() -> Graph {
    let mut g = tutorial();
    g.edge_labels[4] = Some(layout::NodeSize {
        width: 96.0,
        height: 18.0,
    });
    g.edge_labels[5] = Some(layout::NodeSize {
        width: 56.0,
        height: 18.0,
    });
    g
}

#[test]
fn labels_get_a_layer_below_their_source() {
    let g = labelled_tutorial();
    let o = Options::default();
    let l = laid_out("labelled tutorial", &g, &o);
    let plain = layout(&tutorial(), &o);
    // The order of the layers is the same; only the labels' layer is new.
    assert_eq!(l.ranks, vec![0, 1, 2, 3, 4, 7, 6, 7, 8]);
    let choice = l.nodes[4];
    for e in [4, 5] {
        let r = l.labels[e].expect("a Choice edge keeps its label");
        assert!(
            close(r.y - choice.bottom(), o.rank_sep / 2.0),
            "half a rank_sep below the Choice"
        );
    }
    let (rule, default) = (l.labels[4].unwrap(), l.labels[5].unwrap());
    assert!(close(rule.y, default.y), "one layer for both labels");
    assert!(
        rule.right() + o.node_sep / 2.0 <= default.x + 1e-6,
        "side by side, rule first"
    );
    // The drawing grows by the label's height only: the gap around the
    // label's layer is two halves of rank_sep.
    assert!(close(l.height, plain.height + 18.0));
    assert!(l.labels.iter().take(4).all(Option::is_none));
    assert_eq!(edge_crossings(&l), 0);
}

#[test]
fn unlabelled_graphs_are_unchanged_by_label_support() {
    // An explicit `None` label is the same as none at all.
    let mut g = tutorial();
    let plain = layout(&g, &Options::default());
    g.edge_labels.iter_mut().for_each(|l| *l = None);
    assert_eq!(layout(&g, &Options::default()), plain);
    g.edge_labels.clear();
    assert_eq!(layout(&g, &Options::default()), plain);
    assert!(plain.labels.iter().all(Option::is_none));
}

#[test]
fn a_wide_fan_out_keeps_its_labels_apart() {
    // A Choice with four labelled rules, as in the choice-logic example.
    let mut g = Graph::new();
    let choice = g.add_node(BOX.0, BOX.1);
    for w in [200.0, 150.0, 190.0, 60.0] {
        let t = g.add_node(BOX.0, BOX.1);
        g.add_labelled_edge(choice, t, w, 18.0);
    }
    let l = laid_out("fan-out", &g, &Options::default());
    let mut xs: Vec<_> = l.labels.iter().map(|r| r.unwrap()).collect();
    xs.sort_by(|a, b| a.x.total_cmp(&b.x));
    for w in xs.windows(2) {
        assert!(
            w[0].right() + 20.0 <= w[1].x + 1e-6,
            "labels {w:?} keep node_sep / 2 apart"
        );
    }
}

#[test]
fn labels_of_back_edges_and_self_loops() {
    // 0 -> 1 -> 2 with a labelled retry 2 -> 0 and a labelled self-loop on 1.
    let mut g = graph(&[BOX, BOX, BOX], &[(0, 1), (1, 2)]);
    let back = g.add_labelled_edge(2, 0, 80.0, 18.0);
    let own = g.add_labelled_edge(1, 1, 70.0, 18.0);
    let l = laid_out("back and self", &g, &Options::default());
    let b = l.labels[back].unwrap();
    // Next to its source (2, at the bottom): above 2, below 1.
    assert!(b.bottom() <= l.nodes[2].y && b.y >= l.nodes[1].bottom());
    let s = l.labels[own].unwrap();
    assert!(s.x >= l.nodes[1].right());
}
