//! Layered ("Sugiyama") layout of directed graphs, drawn top to bottom.
//!
//! This is the layout the AWS Step Functions console gets from dagre: a
//! "Start" circle on top, one box per state, a Choice fanning out to its
//! branches, an "End" circle at the bottom. The crate only computes geometry;
//! it knows nothing about ASL or SVG. It is pure Rust with no dependencies,
//! deterministic (the same input always gives the same output) and compiles
//! to `wasm32-unknown-unknown`.
//!
//! # Pipeline
//!
//! [`layout`] runs these steps in order, one module each:
//!
//! 1. **Cycle removal** (`acyclic`): a depth-first search from the nodes in
//!    input order (node 0, normally "Start", first) finds the back edges of
//!    loops such as a retry `A -> B -> A`. They are reversed *for layering
//!    only*; the returned polyline still runs from `from` to `to`. Self-loops
//!    are set aside and drawn as a small loop on the right of their box.
//! 2. **Ranking** (`rank`): longest path from the sources, sinks (such as
//!    "End") moved to the last layer, then nodes pulled down towards their
//!    successors when that does not lengthen the edges (so a short Choice
//!    branch lands next to the end of the long one, as in the console).
//!    **Labels**: when some edge has a label, every layer is doubled and a
//!    labelled edge gets a layer of its own just below its source (dagre
//!    puts labels on odd layers too); layers left empty are dropped.
//! 3. **Normalisation** (`layered`): an edge spanning several layers gets a
//!    zero-width dummy node on every layer it crosses, so that it is routed
//!    around the boxes of those layers rather than through them. The dummy
//!    on a label's layer is as big as the label, so placement keeps
//!    everything else clear of it and the edge runs through its middle.
//! 4. **Crossing reduction** (`order`): starting from input order,
//!    barycenter sweeps down and up plus adjacent swaps ("transpose"),
//!    keeping the ordering with the fewest crossings.
//! 5. **Coordinates** (`position`): Brandes–Köpf horizontal placement (four
//!    alignments balanced, so chains are vertical, a node is centred over
//!    its children and a join under its parents), boxes in a layer at least
//!    `node_sep` apart; each layer is as tall as its tallest box and layers
//!    are `rank_sep` apart.
//! 6. **Edge routing** (`route`): a polyline from the source's bottom border
//!    through the dummies to the target's top border; it only leaves a box's
//!    column inside the free gap between layers, so it never crosses another
//!    box. Parallel edges get separate ports and bow apart.
//!
//! The `path` module turns a polyline into a smooth SVG path
//! ([`smooth_path`], like d3's `curveBasis`) and gives the arrowhead
//! ([`edge_end`], [`arrow_head`]).
//!
//! # Example
//!
//! ```
//! use layout::{layout, Graph, Options};
//!
//! let mut g = Graph::new();
//! let start = g.add_node(50.0, 50.0);
//! let task = g.add_node(120.0, 36.0);
//! let end = g.add_node(50.0, 50.0);
//! g.add_edge(start, task);
//! g.add_edge(task, end);
//!
//! let l = layout(&g, &Options::default());
//! assert_eq!(l.ranks, vec![0, 1, 2]);
//! // A chain is drawn as a straight vertical line.
//! assert_eq!(l.nodes[start].center().x, l.nodes[end].center().x);
//! let d = layout::smooth_path(&l.edges[0]);
//! assert!(d.starts_with('M'));
//! ```

mod acyclic;
mod layered;
mod order;
mod path;
mod position;
mod rank;
mod route;
mod sort;

pub use path::{arrow_head, edge_end, polyline_midpoint, smooth_path};

/// The graph to lay out. A node's id is its index in `nodes`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<NodeSize>,
    pub edges: Vec<Edge>,
    /// The size of each edge's label, by edge index (`None`, or a missing
    /// entry, for an edge without one). The layout reserves room for each
    /// label as dagre does, and says where it goes in [`Layout::labels`].
    pub edge_labels: Vec<Option<NodeSize>>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a node of the given size and returns its id.
    pub fn add_node(&mut self, width: f64, height: f64) -> usize {
        self.nodes.push(NodeSize { width, height });
        self.nodes.len() - 1
    }

    /// Adds an edge and returns its index (the index of its polyline in
    /// [`Layout::edges`]).
    pub fn add_edge(&mut self, from: usize, to: usize) -> usize {
        self.edges.push(Edge { from, to });
        self.edge_labels.resize(self.edges.len(), None);
        self.edges.len() - 1
    }

    /// Adds an edge with a label of the given size (e.g. a Choice rule's
    /// text) and returns its index. The label gets a box of its own that no
    /// node, other label or other edge overlaps; the edge runs through its
    /// middle.
    pub fn add_labelled_edge(&mut self, from: usize, to: usize, width: f64, height: f64) -> usize {
        let i = self.add_edge(from, to);
        self.edge_labels[i] = Some(NodeSize { width, height });
        i
    }

    /// The label size of edge `i`, sanitised like node sizes.
    fn label(&self, i: usize) -> Option<(f64, f64)> {
        self.edge_labels
            .get(i)
            .copied()
            .flatten()
            .map(|s| (non_negative(s.width), non_negative(s.height)))
    }
}

/// The size of a node's box. Negative or non-finite sizes are treated as 0.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NodeSize {
    pub width: f64,
    pub height: f64,
}

/// A directed edge between two node ids. `from == to` is a self-loop.
/// Edges naming a node that does not exist are ignored (their polyline is
/// empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
}

/// Spacing, in the same unit as the node sizes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Vertical gap between the bottom of one layer and the top of the next.
    pub rank_sep: f64,
    /// Minimum horizontal gap between two boxes of the same layer (edges
    /// passing through a layer keep half of it from boxes and each other).
    pub node_sep: f64,
    /// Empty border around the whole drawing.
    pub margin: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rank_sep: 50.0,
            node_sep: 40.0,
            margin: 20.0,
        }
    }
}

impl Options {
    /// Negative or non-finite values become 0 so that no NaN reaches the
    /// output.
    fn sanitized(&self) -> Options {
        Options {
            rank_sep: non_negative(self.rank_sep),
            node_sep: non_negative(self.node_sep),
            margin: non_negative(self.margin),
        }
    }
}

fn non_negative(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

/// A point in drawing coordinates (y grows downwards, as in SVG).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// An axis-aligned box given by its top-left corner and size.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// The centre of the box.
    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }

    /// x of the right side.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// y of the bottom side.
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
}

/// The result of [`layout`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// One box per node, in the order of [`Graph::nodes`].
    pub nodes: Vec<Rect>,
    /// One polyline per edge, in the order of [`Graph::edges`], running from
    /// the border of the `from` box to the border of the `to` box (at least
    /// two points; empty only for an edge naming a missing node). Feed it to
    /// [`smooth_path`] for an SVG path.
    pub edges: Vec<Vec<Point>>,
    /// Width of the drawing, margins included.
    pub width: f64,
    /// Height of the drawing, margins included.
    pub height: f64,
    /// The layer (0 = top) of each node.
    pub ranks: Vec<usize>,
    /// One entry per edge: where its label goes (`None` for an edge without
    /// a label, or naming a missing node), as sized in [`Graph::edge_labels`].
    pub labels: Vec<Option<Rect>>,
}

/// Lays out `graph` top to bottom. See the [crate documentation](crate) for
/// the steps.
pub fn layout(graph: &Graph, options: &Options) -> Layout {
    let opts = options.sanitized();
    let n = graph.nodes.len();
    let sizes: Vec<(f64, f64)> = graph
        .nodes
        .iter()
        .map(|s| (non_negative(s.width), non_negative(s.height)))
        .collect();

    // Split the edges: self-loops are drawn apart, edges naming missing
    // nodes are dropped, the rest take part in the layering.
    let mut self_loops: Vec<(usize, usize)> = Vec::new(); // (edge index, node)
    let mut proper: Vec<(usize, usize, usize)> = Vec::new(); // (edge index, from, to)
    for (i, e) in graph.edges.iter().enumerate() {
        if e.from >= n || e.to >= n {
            continue;
        }
        if e.from == e.to {
            self_loops.push((i, e.from));
        } else {
            proper.push((i, e.from, e.to));
        }
    }

    // 1. Cycle removal.
    let pairs: Vec<(usize, usize)> = proper.iter().map(|&(_, f, t)| (f, t)).collect();
    let back = acyclic::back_edges(n, &pairs);
    let dag: Vec<layered::DagEdge> = proper
        .iter()
        .zip(&back)
        .map(|(&(edge, from, to), &reversed)| {
            let (top, bottom) = if reversed { (to, from) } else { (from, to) };
            layered::DagEdge {
                edge,
                top,
                bottom,
                reversed,
                label_rank: None,
            }
        })
        .collect();

    // 2. Ranking, then layers for the labels.
    let dag_pairs: Vec<(usize, usize)> = dag.iter().map(|e| (e.top, e.bottom)).collect();
    let mut ranks = rank::assign(n, &dag_pairs);
    let mut dag = dag;
    label_layers(&mut ranks, &mut dag, graph);

    // 3. Dummy nodes for long edges.
    let mut lg = layered::build(&ranks, &dag);

    // 4. Crossing reduction.
    order::reduce_crossings(&mut lg);

    // 5. Coordinates. Self-loops need room on the right of their box.
    let loops = route::LoopStyle::new();
    let mut loop_count = vec![0usize; n];
    for &(_, v) in &self_loops {
        loop_count[v] += 1;
    }
    // Labels of self-loops sit right of the loops, side by side.
    let mut loop_labels = vec![0.0; n];
    let mut heights = vec![0.0; lg.len()];
    for &(e, v) in &self_loops {
        if let Some((w, h)) = graph.label(e) {
            loop_labels[v] += LABEL_GAP + w;
            heights[v] = f64::max(heights[v], h);
        }
    }
    let mut left_ext = vec![0.0; lg.len()];
    let mut right_ext = vec![0.0; lg.len()];
    for v in 0..n {
        left_ext[v] = sizes[v].0 / 2.0;
        right_ext[v] = sizes[v].0 / 2.0 + loops.reserve(loop_count[v]) + loop_labels[v];
        heights[v] = f64::max(heights[v], sizes[v].1);
    }
    let mut labels: Vec<Option<Rect>> = vec![None; graph.edges.len()];
    for c in &lg.chains {
        if let (Some(d), Some((w, h))) = (c.label, graph.label(c.edge)) {
            left_ext[d] = w / 2.0;
            right_ext[d] = w / 2.0;
            heights[d] = h;
        }
    }
    let geo = position::assign(&lg, &left_ext, &right_ext, &heights, &opts);

    // 6. Edge routing.
    let mut edges = route::route(&lg, &geo, &sizes, graph.edges.len(), &opts);
    route::self_loops(&mut edges, &self_loops, &lg, &geo, &sizes, &loops);

    // Where the labels go: on their dummy, or right of their self-loop.
    for c in &lg.chains {
        if let (Some(d), Some((w, h))) = (c.label, graph.label(c.edge)) {
            let cy = geo.center_y(lg.rank[d]);
            labels[c.edge] = Some(Rect {
                x: geo.x[d] - w / 2.0,
                y: cy - h / 2.0,
                width: w,
                height: h,
            });
        }
    }
    let mut next_label_x: Vec<f64> = (0..n)
        .map(|v| geo.x[v] + sizes[v].0 / 2.0 + loops.reserve(loop_count[v]) + LABEL_GAP)
        .collect();
    for &(e, v) in &self_loops {
        if let Some((w, h)) = graph.label(e) {
            let cy = geo.center_y(lg.rank[v]);
            labels[e] = Some(Rect {
                x: next_label_x[v],
                y: cy - h / 2.0,
                width: w,
                height: h,
            });
            next_label_x[v] += w + LABEL_GAP;
        }
    }

    // Translate so that everything starts at (margin, margin).
    let mut min_x = f64::INFINITY;
    let mut max_x = f64::NEG_INFINITY;
    let mut min_y = f64::INFINITY;
    let mut max_y = f64::NEG_INFINITY;
    for v in 0..n {
        let cy = geo.center_y(lg.rank[v]);
        min_x = min_x.min(geo.x[v] - left_ext[v]);
        max_x = max_x.max(geo.x[v] + right_ext[v]);
        min_y = min_y.min(cy - sizes[v].1 / 2.0);
        max_y = max_y.max(cy + sizes[v].1 / 2.0);
    }
    for p in edges.iter().flatten() {
        min_x = min_x.min(p.x);
        max_x = max_x.max(p.x);
        min_y = min_y.min(p.y);
        max_y = max_y.max(p.y);
    }
    for r in labels.iter().flatten() {
        min_x = min_x.min(r.x);
        max_x = max_x.max(r.right());
        min_y = min_y.min(r.y);
        max_y = max_y.max(r.bottom());
    }
    if n == 0 {
        (min_x, max_x, min_y, max_y) = (0.0, 0.0, 0.0, 0.0);
    }
    let dx = opts.margin - min_x;
    let dy = opts.margin - min_y;
    for p in edges.iter_mut().flatten() {
        p.x += dx;
        p.y += dy;
    }
    for r in labels.iter_mut().flatten() {
        r.x += dx;
        r.y += dy;
    }
    let nodes = (0..n)
        .map(|v| {
            let (w, h) = sizes[v];
            Rect {
                x: geo.x[v] - w / 2.0 + dx,
                y: geo.center_y(lg.rank[v]) - h / 2.0 + dy,
                width: w,
                height: h,
            }
        })
        .collect();

    Layout {
        nodes,
        edges,
        width: max_x - min_x + 2.0 * opts.margin,
        height: max_y - min_y + 2.0 * opts.margin,
        ranks: lg.rank[..n].to_vec(),
        labels,
    }
}

/// Room between a self-loop and its label, and between two such labels.
const LABEL_GAP: f64 = 4.0;

/// Makes room for edge labels: when an edge has one, all ranks are doubled
/// and each labelled edge gets its label's layer right after its source
/// (below it, or above it for a back edge drawn upwards); then the layers
/// nobody uses are dropped. Without labels, nothing changes.
fn label_layers(ranks: &mut [usize], dag: &mut [layered::DagEdge], graph: &Graph) {
    if !dag.iter().any(|e| graph.label(e.edge).is_some()) {
        return;
    }
    for r in ranks.iter_mut() {
        *r *= 2;
    }
    for e in dag.iter_mut() {
        if graph.label(e.edge).is_some() {
            e.label_rank = Some(if e.reversed {
                ranks[e.bottom] - 1
            } else {
                ranks[e.top] + 1
            });
        }
    }
    let mut used: Vec<usize> = ranks
        .iter()
        .copied()
        .chain(dag.iter().filter_map(|e| e.label_rank))
        .collect();
    sort::sort_by(&mut used, Ord::cmp);
    used.dedup();
    let compact = |r: usize| used.binary_search(&r).unwrap_or(0);
    for r in ranks.iter_mut() {
        *r = compact(*r);
    }
    for e in dag.iter_mut() {
        e.label_rank = e.label_rank.map(compact);
    }
}
