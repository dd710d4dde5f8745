//! Step 1: cycle removal.
//!
//! Layering needs a directed acyclic graph, but state machines loop (a retry
//! `A -> B -> A`, a polling wait). A depth-first search started from the
//! nodes in input order marks every edge that points back to a node still on
//! the DFS stack; reversing exactly those edges leaves a DAG. Starting from
//! node 0 (normally "Start") means the edges that go *down* the natural
//! reading order are kept and only the edge closing each loop is reversed,
//! which is what a reader expects: the loop's last edge is the one drawn
//! going back up.

/// For each edge `(from, to)` (no self-loops), whether it is a back edge and
/// must be reversed for layering. Edges are followed in input order so the
/// result only depends on the input.
pub(crate) fn back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(from, _)) in edges.iter().enumerate() {
        out[from].push(i);
    }

    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let mut state = vec![State::New; n];
    let mut back = vec![false; edges.len()];
    // Iterative DFS: a 300-state chain must not overflow the (small, on
    // wasm) call stack. Each frame is (node, index of its next out-edge).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnStack;
        stack.push((root, 0));
        while let Some(frame) = stack.last_mut() {
            let v = frame.0;
            if frame.1 < out[v].len() {
                let e = out[v][frame.1];
                frame.1 += 1;
                let w = edges[e].1;
                match state[w] {
                    State::New => {
                        state[w] = State::OnStack;
                        stack.push((w, 0));
                    }
                    State::OnStack => back[e] = true,
                    State::Done => {}
                }
            } else {
                state[v] = State::Done;
                stack.pop();
            }
        }
    }
    back
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_acyclic(n: usize, edges: &[(usize, usize)], back: &[bool]) -> bool {
        // Kahn's algorithm on the edges with back edges reversed.
        let mut indeg = vec![0; n];
        let mut out = vec![Vec::new(); n];
        for (&(f, t), &b) in edges.iter().zip(back) {
            let (f, t) = if b { (t, f) } else { (f, t) };
            out[f].push(t);
            indeg[t] += 1;
        }
        let mut queue: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
        let mut seen = 0;
        while let Some(v) = queue.pop() {
            seen += 1;
            for &w in &out[v] {
                indeg[w] -= 1;
                if indeg[w] == 0 {
                    queue.push(w);
                }
            }
        }
        seen == n
    }

    #[test]
    fn chain_has_no_back_edges() {
        let edges = [(0, 1), (1, 2), (2, 3)];
        assert_eq!(back_edges(4, &edges), vec![false; 3]);
    }

    #[test]
    fn retry_loop_reverses_the_closing_edge() {
        // Start -> A -> B -> A, B -> End
        let edges = [(0, 1), (1, 2), (2, 1), (2, 3)];
        assert_eq!(back_edges(4, &edges), vec![false, false, true, false]);
    }

    #[test]
    fn two_cycle_and_long_cycle() {
        let edges = [(0, 1), (1, 0), (1, 2), (2, 3), (3, 1), (3, 0)];
        let back = back_edges(4, &edges);
        assert_eq!(back, vec![false, true, false, false, true, true]);
        assert!(is_acyclic(4, &edges, &back));
    }

    #[test]
    fn edge_into_node_zero_from_unreachable_node_is_kept() {
        // 2 is not reachable from 0: its edge into 0 is a cross edge.
        let edges = [(0, 1), (2, 0)];
        assert_eq!(back_edges(3, &edges), vec![false, false]);
    }
}
