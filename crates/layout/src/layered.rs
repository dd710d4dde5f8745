//! Step 3: normalisation into a proper layered graph.
//!
//! An edge spanning several layers would be drawn straight through whatever
//! boxes sit on the layers in between. Giving it a zero-width dummy node on
//! each intermediate layer turns every edge into a chain of one-layer edges;
//! the dummies are then ordered and placed like real nodes, so the edge bends
//! around the boxes. Real nodes keep their ids `0..n`; dummies follow.

/// An edge of the acyclic graph: `top` is on a higher layer than `bottom`.
/// `reversed` means the original edge ran `bottom -> top` (a back edge).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DagEdge {
    /// Index in `Graph::edges`.
    pub edge: usize,
    pub top: usize,
    pub bottom: usize,
    pub reversed: bool,
    /// The layer of the edge's label, strictly between `top`'s and
    /// `bottom`'s: the dummy there carries the label's size.
    pub label_rank: Option<usize>,
}

/// One original edge as a top-to-bottom chain of layered nodes.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// Index in `Graph::edges`.
    pub edge: usize,
    /// The original edge points up (its polyline is the chain reversed).
    pub reversed: bool,
    /// Top real node, the dummies, bottom real node.
    pub nodes: Vec<usize>,
    /// The dummy that stands for the edge's label, if it has one.
    pub label: Option<usize>,
}

/// The layered graph shared by ordering, positioning and routing.
#[derive(Debug, Clone)]
pub(crate) struct Layered {
    /// Number of real nodes; ids at or above this are dummies.
    pub n_real: usize,
    /// Layer of every node (real and dummy).
    pub rank: Vec<usize>,
    /// Neighbours on the layer above, one entry per edge (parallel edges
    /// repeat), in edge order.
    pub up: Vec<Vec<usize>>,
    /// Neighbours on the layer below, likewise.
    pub down: Vec<Vec<usize>>,
    /// One chain per non-self-loop edge, in edge order.
    pub chains: Vec<Chain>,
    /// The nodes of each layer, left to right (filled in by `order`).
    pub layers: Vec<Vec<usize>>,
}

impl Layered {
    /// Total number of nodes, dummies included.
    pub fn len(&self) -> usize {
        self.rank.len()
    }

    pub fn is_dummy(&self, v: usize) -> bool {
        v >= self.n_real
    }

    /// Number of layers.
    pub fn num_layers(&self) -> usize {
        self.layers.len()
    }
}

/// Builds the layered graph; `ranks` must put every `top` above its `bottom`.
pub(crate) fn build(ranks: &[usize], edges: &[DagEdge]) -> Layered {
    let n_real = ranks.len();
    let mut rank = ranks.to_vec();
    let mut chains = Vec::with_capacity(edges.len());
    for e in edges {
        let (rt, rb) = (ranks[e.top], ranks[e.bottom]);
        debug_assert!(rt < rb, "edges must point down after ranking");
        let mut nodes = Vec::with_capacity(rb - rt + 1);
        let mut label = None;
        nodes.push(e.top);
        for r in rt + 1..rb {
            if e.label_rank == Some(r) {
                label = Some(rank.len());
            }
            nodes.push(rank.len());
            rank.push(r);
        }
        nodes.push(e.bottom);
        debug_assert!(
            e.label_rank.is_none() || label.is_some(),
            "a label's layer lies strictly inside its edge"
        );
        chains.push(Chain {
            edge: e.edge,
            reversed: e.reversed,
            nodes,
            label,
        });
    }
    let total = rank.len();
    let mut up = vec![Vec::new(); total];
    let mut down = vec![Vec::new(); total];
    for c in &chains {
        for pair in c.nodes.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
    }
    let num_layers = rank.iter().copied().max().map_or(0, |m| m + 1);
    Layered {
        n_real,
        rank,
        up,
        down,
        chains,
        layers: vec![Vec::new(); num_layers],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_edge_gets_one_dummy_per_crossed_layer() {
        let ranks = [0, 1, 2, 3];
        let edges = [
            DagEdge {
                edge: 0,
                top: 0,
                bottom: 1,
                reversed: false,
                label_rank: None,
            },
            DagEdge {
                edge: 1,
                top: 0,
                bottom: 3,
                reversed: true,
                label_rank: Some(2),
            },
        ];
        let lg = build(&ranks, &edges);
        assert_eq!(lg.len(), 6);
        assert_eq!(lg.chains[1].nodes, vec![0, 4, 5, 3]);
        assert_eq!(lg.rank[4], 1);
        assert_eq!(lg.rank[5], 2);
        assert_eq!(lg.down[0], vec![1, 4]);
        assert_eq!(lg.up[3], vec![5]);
        assert!(lg.is_dummy(4) && !lg.is_dummy(3));
        assert_eq!(lg.chains[0].label, None);
        assert_eq!(
            lg.chains[1].label,
            Some(5),
            "the dummy on the label's layer"
        );
    }
}
