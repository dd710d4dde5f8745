//! Shared checks for the integration tests.
#![allow(dead_code)]

use layout::{Graph, Layout, Options, Point, Rect};

pub const EPS: f64 = 1e-6;

/// Builds a graph from sizes and edges.
pub fn graph(nodes: &[(f64, f64)], edges: &[(usize, usize)]) -> Graph {
    let mut g = Graph::new();
    for &(w, h) in nodes {
        g.add_node(w, h);
    }
    for &(f, t) in edges {
        g.add_edge(f, t);
    }
    g
}

/// The step-functions tutorial ("call center"): Start, five tasks and a
/// Choice, Close Case / Escalate Case, Fail, End.
pub fn tutorial() -> Graph {
    let boxed = (120.0, 36.0);
    let circle = (50.0, 50.0);
    graph(
        &[
            circle, boxed, boxed, boxed, boxed, boxed, boxed, boxed, circle,
        ],
        &[
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 5),
            (4, 6),
            (6, 7),
            (5, 8),
            (7, 8),
        ],
    )
}

/// Does the segment a-b pass through the interior of `r` (shrunk by EPS)?
/// Liang–Barsky clipping; touching the border does not count.
pub fn segment_hits_interior(a: Point, b: Point, r: &Rect) -> bool {
    let (x0, x1) = (r.x + EPS, r.x + r.width - EPS);
    let (y0, y1) = (r.y + EPS, r.y + r.height - EPS);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

fn on_border(p: Point, r: &Rect) -> bool {
    let inside_x = p.x >= r.x - EPS && p.x <= r.right() + EPS;
    let inside_y = p.y >= r.y - EPS && p.y <= r.bottom() + EPS;
    let on_x = (p.x - r.x).abs() < EPS || (p.x - r.right()).abs() < EPS;
    let on_y = (p.y - r.y).abs() < EPS || (p.y - r.bottom()).abs() < EPS;
    inside_x && inside_y && (on_x || on_y)
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() - EPS
        && b.x < a.right() - EPS
        && a.y < b.bottom() - EPS
        && b.y < a.bottom() - EPS
}

fn sanitized(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

/// Every invariant the layout promises, for any graph. Panics with `what`
/// in the message on a violation.
pub fn check(what: &str, g: &Graph, o: &Options, l: &Layout) {
    let n = g.nodes.len();
    assert_eq!(l.nodes.len(), n, "{what}: one rect per node");
    assert_eq!(l.ranks.len(), n, "{what}: one rank per node");
    assert_eq!(
        l.edges.len(),
        g.edges.len(),
        "{what}: one polyline per edge"
    );
    assert!(
        l.width.is_finite() && l.height.is_finite(),
        "{what}: finite size"
    );
    let margin = sanitized(o.margin);
    let node_sep = sanitized(o.node_sep);

    for (v, r) in l.nodes.iter().enumerate() {
        assert!(
            r.x.is_finite() && r.y.is_finite(),
            "{what}: node {v} finite: {r:?}"
        );
        assert_eq!(
            r.width,
            sanitized(g.nodes[v].width),
            "{what}: node {v} width"
        );
        assert_eq!(
            r.height,
            sanitized(g.nodes[v].height),
            "{what}: node {v} height"
        );
        assert!(
            r.x >= margin - EPS
                && r.y >= margin - EPS
                && r.right() <= l.width - margin + EPS
                && r.bottom() <= l.height - margin + EPS,
            "{what}: node {v} inside the margins: {r:?} in {}x{}",
            l.width,
            l.height
        );
    }

    // Layers: same centre y within a layer, strictly ordered bands, and
    // boxes of one layer at least node_sep apart.
    for a in 0..n {
        for b in a + 1..n {
            let (ra, rb) = (&l.nodes[a], &l.nodes[b]);
            assert!(
                !overlap(ra, rb),
                "{what}: nodes {a} and {b} overlap: {ra:?} {rb:?}"
            );
            if l.ranks[a] == l.ranks[b] {
                assert!(
                    (ra.center().y - rb.center().y).abs() < EPS,
                    "{what}: nodes {a} and {b} share a layer but not a centre line"
                );
                let gap = if ra.center().x < rb.center().x {
                    rb.x - ra.right()
                } else {
                    ra.x - rb.right()
                };
                assert!(
                    gap >= node_sep - EPS,
                    "{what}: nodes {a} and {b} only {gap} apart"
                );
            } else {
                let (upper, lower) = if l.ranks[a] < l.ranks[b] {
                    (ra, rb)
                } else {
                    (rb, ra)
                };
                assert!(
                    upper.bottom() <= lower.y + EPS,
                    "{what}: layers of {a} and {b} overlap vertically"
                );
            }
        }
    }

    for (i, e) in g.edges.iter().enumerate() {
        let pts = &l.edges[i];
        if e.from >= n || e.to >= n {
            assert!(pts.is_empty(), "{what}: invalid edge {i} has no polyline");
            continue;
        }
        assert!(pts.len() >= 2, "{what}: edge {i} has {} points", pts.len());
        for p in pts {
            assert!(
                p.x.is_finite()
                    && p.y.is_finite()
                    && p.x >= -EPS
                    && p.y >= -EPS
                    && p.x <= l.width + EPS
                    && p.y <= l.height + EPS,
                "{what}: edge {i} point {p:?} outside the drawing"
            );
        }
        let (src, dst) = (&l.nodes[e.from], &l.nodes[e.to]);
        let (first, last) = (pts[0], pts[pts.len() - 1]);
        assert!(
            on_border(first, src),
            "{what}: edge {i} starts off its source border: {first:?} {src:?}"
        );
        assert!(
            on_border(last, dst),
            "{what}: edge {i} ends off its target border: {last:?} {dst:?}"
        );

        if e.from == e.to {
            // Self-loop: on the right of its box.
            assert!(
                (first.x - src.right()).abs() < EPS,
                "{what}: self-loop {i} leaves the right side"
            );
            assert!(
                (last.x - src.right()).abs() < EPS,
                "{what}: self-loop {i} enters the right side"
            );
            for p in pts {
                assert!(
                    p.x >= src.right() - EPS,
                    "{what}: self-loop {i} stays right of its box"
                );
            }
        } else {
            assert_ne!(
                l.ranks[e.from], l.ranks[e.to],
                "{what}: edge {i} within one layer"
            );
            let down = l.ranks[e.from] < l.ranks[e.to];
            if down {
                assert!(
                    (first.y - src.bottom()).abs() < EPS,
                    "{what}: edge {i} leaves the bottom"
                );
                assert!(
                    (last.y - dst.y).abs() < EPS,
                    "{what}: edge {i} enters the top"
                );
            } else {
                assert!(
                    (first.y - src.y).abs() < EPS,
                    "{what}: back edge {i} leaves the top"
                );
                assert!(
                    (last.y - dst.bottom()).abs() < EPS,
                    "{what}: back edge {i} enters the bottom"
                );
            }
            for w in pts.windows(2) {
                let dy = w[1].y - w[0].y;
                assert!(
                    if down { dy >= -EPS } else { dy <= EPS },
                    "{what}: edge {i} is not monotone in y"
                );
            }
        }

        // No segment through any box, its own ends included, nor through
        // another edge's label.
        for w in pts.windows(2) {
            for (j, label) in l.labels.iter().enumerate() {
                if let Some(r) = label.filter(|_| j != i) {
                    assert!(
                        !segment_hits_interior(w[0], w[1], &r),
                        "{what}: edge {i} segment {:?}-{:?} crosses the label of edge {j} {r:?}",
                        w[0],
                        w[1]
                    );
                }
            }
            for (v, r) in l.nodes.iter().enumerate() {
                assert!(
                    !segment_hits_interior(w[0], w[1], r),
                    "{what}: edge {i} ({}->{}) segment {:?}-{:?} crosses node {v} {r:?}",
                    e.from,
                    e.to,
                    w[0],
                    w[1]
                );
            }
        }
    }
}

/// The labels' invariants: one entry per edge, a box of the asked size for
/// each labelled valid edge, inside the margins, overlapping no node and no
/// other label, and on its own edge (the polyline runs through its centre;
/// a self-loop's label sits right of the loop, level with the box).
pub fn check_labels(what: &str, g: &Graph, o: &Options, l: &Layout) {
    let n = g.nodes.len();
    let margin = sanitized(o.margin);
    assert_eq!(
        l.labels.len(),
        g.edges.len(),
        "{what}: one label slot per edge"
    );
    for (i, e) in g.edges.iter().enumerate() {
        let asked = g.edge_labels.get(i).copied().flatten();
        let valid = e.from < n && e.to < n;
        let Some(r) = l.labels[i] else {
            assert!(asked.is_none() || !valid, "{what}: edge {i} lost its label");
            continue;
        };
        let asked = asked.expect("only labelled edges get a label box");
        assert!(valid, "{what}: invalid edge {i} has no label");
        assert_eq!(r.width, sanitized(asked.width), "{what}: label {i} width");
        assert_eq!(
            r.height,
            sanitized(asked.height),
            "{what}: label {i} height"
        );
        assert!(
            r.x >= margin - EPS
                && r.y >= margin - EPS
                && r.right() <= l.width - margin + EPS
                && r.bottom() <= l.height - margin + EPS,
            "{what}: label {i} inside the margins: {r:?} in {}x{}",
            l.width,
            l.height
        );
        for (v, b) in l.nodes.iter().enumerate() {
            assert!(
                !overlap(&r, b),
                "{what}: label {i} overlaps node {v}: {r:?} {b:?}"
            );
        }
        for (j, other) in l.labels.iter().enumerate().skip(i + 1) {
            if let Some(o) = other {
                assert!(
                    !overlap(&r, o),
                    "{what}: labels {i} and {j} overlap: {r:?} {o:?}"
                );
            }
        }
        let c = r.center();
        if e.from == e.to {
            let b = &l.nodes[e.from];
            assert!(
                r.x > b.right(),
                "{what}: self-loop label {i} right of its box"
            );
            assert!(
                (c.y - b.center().y).abs() < EPS,
                "{what}: self-loop label {i} level with its box"
            );
        } else {
            let through = l.edges[i].windows(2).any(|w| {
                let (a, b) = (w[0], w[1]);
                let cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
                let within = c.x >= a.x.min(b.x) - EPS
                    && c.x <= a.x.max(b.x) + EPS
                    && c.y >= a.y.min(b.y) - EPS
                    && c.y <= a.y.max(b.y) + EPS;
                cross.abs() <= EPS * (1.0 + (b.x - a.x).hypot(b.y - a.y)) && within
            });
            assert!(
                through,
                "{what}: edge {i} runs through its label's centre {c:?}: {:?}",
                l.edges[i]
            );
        }
    }
}

/// Runs the layout twice, checks determinism and the invariants, returns it.
pub fn laid_out(what: &str, g: &Graph, o: &Options) -> Layout {
    let l = layout::layout(g, o);
    let again = layout::layout(g, o);
    assert_eq!(l, again, "{what}: two runs differ");
    check(what, g, o, &l);
    check_labels(what, g, o, &l);
    l
}

/// Number of proper crossings between segments of different edges.
pub fn edge_crossings(l: &Layout) -> usize {
    fn cross(a: Point, b: Point, c: Point) -> f64 {
        (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    }
    let mut count = 0;
    for i in 0..l.edges.len() {
        for j in i + 1..l.edges.len() {
            for s in l.edges[i].windows(2) {
                for t in l.edges[j].windows(2) {
                    let d1 = cross(t[0], t[1], s[0]);
                    let d2 = cross(t[0], t[1], s[1]);
                    let d3 = cross(s[0], s[1], t[0]);
                    let d4 = cross(s[0], s[1], t[1]);
                    if d1 * d2 < -EPS && d3 * d4 < -EPS {
                        count += 1;
                    }
                }
            }
        }
    }
    count
}

/// A tiny linear congruential generator (Knuth's MMIX constants).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// Uniform-ish in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
