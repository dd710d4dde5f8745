//! The drawing of a state machine, as the Step Functions console draws it: a Start circle, one
//! box per state, an End circle, arrows between them (Choice rules labelled with their rule or
//! "Default", Catch clauses dashed and labelled with their error names), and each Parallel or
//! Map state as a dashed container holding its branches or its item processor.
//!
//! Every level is placed by the `layout` crate's layered layout: a branch (or a Map's item
//! processor) is laid out on its own first, and its container then takes part in the level
//! above as one big box, as large as what it holds plus a header and padding. Edges stay
//! within their level, so the layout's guarantees (no overlapping boxes, no edge through a
//! box, labels clear of both) hold at every level, and containers keep levels apart.
//!
//! The result is flat ([`Drawing`]): nodes in document order (a container right before what
//! it holds), each with absolute coordinates and its container, and edges with theirs.

mod label;
mod progress;

pub use label::{rule_text, short, MAX_CHARS};
pub use progress::{
    map_progress, transitions, MapProgress, MapProgresses, Place, Transition, Transitions,
};

use asl::model::Successor;
use asl::{StateKind, StateMachine};
use layout::{Graph, Options, Point, Rect};

pub const BOX_HEIGHT: f64 = 40.0;
pub const CIRCLE: f64 = 56.0;
/// Height of an edge label (11 px monospace text on a rounded white background).
pub const LABEL_HEIGHT: f64 = 18.0;
/// Width of one character of a label: 11 px monospace is 0.6 em wide.
const LABEL_CHAR: f64 = 6.6;
const LABEL_PADDING: f64 = 12.0;
/// A container's header band: its name, its type and (Map) the iterations done.
pub const HEADER: f64 = 32.0;
/// Room between a container's border and what it holds.
pub const PADDING: f64 = 12.0;
/// Room between a Parallel branch's frame and its states.
pub const FRAME_PADDING: f64 = 12.0;
/// Gap between two branches of a Parallel.
const BRANCH_GAP: f64 = 16.0;

/// The spacing of the top level (with a margin) and of a branch (none: the container pads).
const TOP: Options = Options {
    rank_sep: 36.0,
    node_sep: 36.0,
    margin: 16.0,
};
const NESTED: Options = Options {
    rank_sep: 36.0,
    node_sep: 28.0,
    margin: 0.0,
};

/// What a node of the drawing stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Start,
    End,
    /// A state drawn as a box.
    State,
    /// A Parallel state: a container with one frame per branch.
    Parallel,
    /// A Map state: a container holding its item processor.
    Map,
}

/// One node, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnNode {
    pub kind: NodeKind,
    /// The state's name ("Start" and "End" for the circles).
    pub name: String,
    pub rect: Rect,
    /// The container (a node index) this node is drawn in; `None` at the top level.
    pub parent: Option<usize>,
    /// A container's inner areas: one per Parallel branch, or the Map's item processor.
    pub frames: Vec<Rect>,
}

impl DrawnNode {
    /// A state of the machine (a box or a container), not Start or End.
    pub fn is_state(&self) -> bool {
        !matches!(self.kind, NodeKind::Start | NodeKind::End)
    }

    pub fn is_container(&self) -> bool {
        matches!(self.kind, NodeKind::Parallel | NodeKind::Map)
    }
}

/// Which field of the state an edge comes from (and how it is drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// `Next`, or Start and End.
    Next,
    /// One or more Choice rules (and maybe the Default) to the same state.
    Choice,
    /// The Choice's `Default`.
    Default,
    /// One or more Catch clauses to the same state: drawn dashed.
    Catch,
}

/// The text on an edge and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeLabel {
    /// What is shown: at most [`MAX_CHARS`] characters.
    pub text: String,
    /// The whole text, for the tooltip (one line per rule or clause).
    pub title: String,
    pub rect: Rect,
}

/// One arrow, routed.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnEdge {
    /// Node indices.
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// From the border of `from` to the border of `to`; feed it to `layout::smooth_path`.
    pub points: Vec<Point>,
    pub label: Option<EdgeLabel>,
    /// The container both ends are in (`None` at the top level).
    pub parent: Option<usize>,
}

/// A laid-out drawing of a machine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    /// In document order: Start, then each state (a container followed by everything it
    /// holds), then End.
    pub nodes: Vec<DrawnNode>,
    pub edges: Vec<DrawnEdge>,
}

impl Drawing {
    /// The first state node named `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.is_state() && n.name == name)
    }

    /// Whether `node` is `ancestor` or lies (at any depth) inside it.
    pub fn is_within(&self, node: usize, ancestor: usize) -> bool {
        let mut at = Some(node);
        while let Some(v) = at {
            if v == ancestor {
                return true;
            }
            at = self.nodes[v].parent;
        }
        false
    }
}

/// Box width for a state name: wide enough for its text at the page's font size.
fn box_width(name: &str) -> f64 {
    (name.chars().count() as f64 * 7.6 + 36.0).max(96.0)
}

/// Width of a label showing `text`.
pub fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * LABEL_CHAR + LABEL_PADDING
}

/// The narrowest a container can be: its header's name, type and iteration badge.
fn header_width(name: &str, kind: NodeKind) -> f64 {
    let name = name.chars().count() as f64 * 7.8;
    let tag = if kind == NodeKind::Map {
        "Map".len() as f64 * 6.6 + 56.0 // and room for a "12/12" badge
    } else {
        "Parallel".len() as f64 * 6.6
    };
    PADDING + name + 16.0 + tag + PADDING
}

/// Lays out `machine` with Start and End circles.
pub fn draw(machine: &StateMachine) -> Drawing {
    let block = lay_out(machine, true);
    Drawing {
        width: block.width,
        height: block.height,
        nodes: block.nodes,
        edges: block.edges,
    }
}

/// One level laid out, in its own coordinates (top-left at 0, 0), with everything nested in it.
struct Block {
    width: f64,
    height: f64,
    nodes: Vec<DrawnNode>,
    edges: Vec<DrawnEdge>,
}

impl Block {
    /// Appends `inner` translated by (dx, dy), its top level inside container `parent`.
    fn nest(&mut self, inner: Block, dx: f64, dy: f64, parent: usize) {
        let base = self.nodes.len();
        let remap = |p: Option<usize>| Some(p.map_or(parent, |p| p + base));
        let shift = |r: Rect| Rect {
            x: r.x + dx,
            y: r.y + dy,
            ..r
        };
        for node in inner.nodes {
            self.nodes.push(DrawnNode {
                rect: shift(node.rect),
                parent: remap(node.parent),
                frames: node.frames.into_iter().map(shift).collect(),
                ..node
            });
        }
        for edge in inner.edges {
            self.edges.push(DrawnEdge {
                from: edge.from + base,
                to: edge.to + base,
                points: edge
                    .points
                    .iter()
                    .map(|p| Point::new(p.x + dx, p.y + dy))
                    .collect(),
                label: edge.label.map(|l| EdgeLabel {
                    rect: shift(l.rect),
                    ..l
                }),
                parent: remap(edge.parent),
                ..edge
            });
        }
    }
}

/// What a container holds, laid out, and where each part goes inside it.
struct Inside {
    kind: NodeKind,
    width: f64,
    height: f64,
    /// Each branch (or the processor) with its frame, relative to the container.
    parts: Vec<(Block, Rect)>,
}

/// Lays out a container's branches side by side under its header.
fn inside(name: &str, kind: NodeKind, machines: &[&StateMachine]) -> Inside {
    let blocks: Vec<Block> = machines.iter().map(|m| lay_out(m, false)).collect();
    let frame_h = blocks.iter().map(|b| b.height).fold(0.0, f64::max) + 2.0 * FRAME_PADDING;
    let content_w = blocks
        .iter()
        .map(|b| b.width + 2.0 * FRAME_PADDING)
        .sum::<f64>()
        + BRANCH_GAP * blocks.len().saturating_sub(1) as f64;
    let width = (content_w + 2.0 * PADDING).max(header_width(name, kind));
    let height = HEADER + frame_h + PADDING;
    let mut x = (width - content_w) / 2.0;
    let parts = blocks
        .into_iter()
        .map(|b| {
            let frame = Rect {
                x,
                y: HEADER,
                width: b.width + 2.0 * FRAME_PADDING,
                height: frame_h,
            };
            x += frame.width + BRANCH_GAP;
            (b, frame)
        })
        .collect();
    Inside {
        kind,
        width,
        height,
        parts,
    }
}

/// An edge being collected: rules (or clauses) to the same state share one arrow.
struct Pending {
    from: usize,
    to: usize,
    kind: EdgeKind,
    texts: Vec<String>,
}

fn lay_out(machine: &StateMachine, terminals: bool) -> Block {
    // Layout node ids: [Start], the states in definition order, [End].
    let first = usize::from(terminals);
    let index = |name: &str| machine.states.get_index_of(name).map(|i| i + first);
    let end = machine.states.len() + first;

    let mut graph = Graph::new();
    if terminals {
        graph.add_node(CIRCLE, CIRCLE);
    }
    let mut insides: Vec<Option<Inside>> = Vec::with_capacity(machine.states.len());
    for (name, state) in &machine.states {
        let inner = match &state.kind {
            StateKind::Parallel(p) => {
                let branches: Vec<&StateMachine> = p.branches.iter().map(|b| &**b).collect();
                Some(inside(name, NodeKind::Parallel, &branches))
            }
            StateKind::Map(m) => Some(inside(name, NodeKind::Map, &[&*m.processor])),
            _ => None,
        };
        match &inner {
            Some(i) => graph.add_node(i.width, i.height),
            None => graph.add_node(box_width(name), BOX_HEIGHT),
        };
        insides.push(inner);
    }
    if terminals {
        graph.add_node(CIRCLE, CIRCLE);
    }

    let mut pending: Vec<Pending> = Vec::new();
    if let (true, Some(start)) = (terminals, index(&machine.start_at)) {
        pending.push(Pending {
            from: 0,
            to: start,
            kind: EdgeKind::Next,
            texts: Vec::new(),
        });
    }
    for (i, state) in machine.states.values().enumerate() {
        let from = i + first;
        // This state's edges so far, by target and whether they are Catch arrows (a wide
        // Choice has thousands of its own: a search through them for each was quadratic).
        let mut own: std::collections::HashMap<(usize, bool), usize> =
            std::collections::HashMap::new();
        for (target, successor) in state.successors() {
            let Some(to) = index(target) else { continue };
            let (kind, text) = match successor {
                Successor::Next => (EdgeKind::Next, None),
                Successor::Choice(k) => match &state.kind {
                    StateKind::Choice(c) => (
                        EdgeKind::Choice,
                        c.choices.get(k).map(|r| rule_text(&r.condition)),
                    ),
                    _ => (EdgeKind::Choice, None),
                },
                Successor::Default => (EdgeKind::Default, Some("Default".to_string())),
                Successor::Catch(k) => (
                    EdgeKind::Catch,
                    state.catchers().get(k).map(|c| c.error_equals.join(", ")),
                ),
            };
            // One arrow per target for the normal flow, and one for the Catch clauses.
            let catch = kind == EdgeKind::Catch;
            match own.get(&(to, catch)).map(|&k| &mut pending[k]) {
                Some(p) => {
                    if p.kind == EdgeKind::Default || kind == EdgeKind::Choice {
                        p.kind = EdgeKind::Choice;
                    }
                    p.texts.extend(text);
                }
                None => {
                    own.insert((to, catch), pending.len());
                    pending.push(Pending {
                        from,
                        to,
                        kind,
                        texts: text.into_iter().collect(),
                    })
                }
            }
        }
        if terminals && state.is_terminal() {
            pending.push(Pending {
                from,
                to: end,
                kind: EdgeKind::Next,
                texts: Vec::new(),
            });
        }
    }
    let labels: Vec<Option<(String, String)>> = pending
        .iter()
        .map(|p| {
            if p.texts.is_empty() {
                return None;
            }
            let separator = if p.kind == EdgeKind::Catch {
                ", "
            } else {
                "; "
            };
            Some((short(&p.texts.join(separator)), p.texts.join("\n")))
        })
        .collect();
    for (p, label) in pending.iter().zip(&labels) {
        match label {
            Some((text, _)) => {
                graph.add_labelled_edge(p.from, p.to, label_width(text), LABEL_HEIGHT)
            }
            None => graph.add_edge(p.from, p.to),
        };
    }

    let placed = layout::layout(&graph, if terminals { &TOP } else { &NESTED });

    // Document order: Start, each state followed by what it holds, End.
    let mut block = Block {
        width: placed.width,
        height: placed.height,
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    let mut at = vec![0; graph.nodes.len()];
    if terminals {
        block.nodes.push(DrawnNode {
            kind: NodeKind::Start,
            name: "Start".into(),
            rect: placed.nodes[0],
            parent: None,
            frames: Vec::new(),
        });
    }
    for ((i, name), inner) in machine.states.keys().enumerate().zip(insides) {
        let v = i + first;
        let rect = placed.nodes[v];
        at[v] = block.nodes.len();
        let container = block.nodes.len();
        match inner {
            None => block.nodes.push(DrawnNode {
                kind: NodeKind::State,
                name: name.clone(),
                rect,
                parent: None,
                frames: Vec::new(),
            }),
            Some(inner) => {
                block.nodes.push(DrawnNode {
                    kind: inner.kind,
                    name: name.clone(),
                    rect,
                    parent: None,
                    frames: inner
                        .parts
                        .iter()
                        .map(|(_, f)| Rect {
                            x: f.x + rect.x,
                            y: f.y + rect.y,
                            ..*f
                        })
                        .collect(),
                });
                for (part, frame) in inner.parts {
                    // Centred in its frame (the widest branch sets the frames' height only).
                    let dx = rect.x + frame.x + (frame.width - part.width) / 2.0;
                    let dy = rect.y + frame.y + FRAME_PADDING;
                    block.nest(part, dx, dy, container);
                }
            }
        }
    }
    if terminals {
        at[end] = block.nodes.len();
        block.nodes.push(DrawnNode {
            kind: NodeKind::End,
            name: "End".into(),
            rect: placed.nodes[end],
            parent: None,
            frames: Vec::new(),
        });
    }
    for (((p, label), points), rect) in pending
        .into_iter()
        .zip(labels)
        .zip(placed.edges)
        .zip(placed.labels)
    {
        block.edges.push(DrawnEdge {
            from: at[p.from],
            to: at[p.to],
            kind: p.kind,
            points,
            label: label
                .zip(rect)
                .map(|((text, title), rect)| EdgeLabel { text, title, rect }),
            parent: None,
        });
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-6;

    fn example(name: &str) -> Drawing {
        let example = examples::find(name).expect("an example");
        draw(&asl::load(example.definition).expect("a valid example"))
    }

    fn node<'d>(d: &'d Drawing, name: &str) -> &'d DrawnNode {
        &d.nodes[d.find(name).unwrap_or_else(|| panic!("no node {name}"))]
    }

    fn edges_between<'d>(d: &'d Drawing, from: &str, to: &str) -> Vec<&'d DrawnEdge> {
        let (a, b) = (d.find(from), d.find(to));
        d.edges
            .iter()
            .filter(|e| Some(e.from) == a && Some(e.to) == b)
            .collect()
    }

    /// A Parallel whose second branch holds a Map whose processor has a Choice, a Catch and
    /// another Map; and a Catch from the Parallel itself.
    const NESTED: &str = r#"{
      "StartAt": "Fan Out",
      "States": {
        "Fan Out": {
          "Type": "Parallel",
          "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
            {"StartAt": "Each Item", "States": {
              "Each Item": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Check", "States": {
                  "Check": {"Type": "Choice", "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}
                  ], "Default": "Small"},
                  "Big": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Catch": [{"ErrorEquals": ["States.Timeout", "States.TaskFailed"], "Next": "Small"}],
                    "Next": "Parts"},
                  "Parts": {"Type": "Map", "ItemProcessor": {"StartAt": "Part", "States": {
                    "Part": {"Type": "Pass", "End": true}}}, "End": true},
                  "Small": {"Type": "Succeed"}
                }},
                "Next": "Right Done"
              },
              "Right Done": {"Type": "Pass", "End": true}
            }}
          ],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
          "Next": "Done"
        },
        "Recover": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"}
      }
    }"#;

    fn nested() -> Drawing {
        draw(&asl::load(NESTED).unwrap())
    }

    /// Every drawing to check: the examples, and the nested machine above.
    fn all_drawings() -> Vec<(String, Drawing)> {
        let mut all: Vec<(String, Drawing)> = examples::ALL
            .iter()
            .map(|e| (e.name.to_string(), example(e.name)))
            .collect();
        all.push(("nested".into(), nested()));
        all
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.right() - EPS
            && b.x < a.right() - EPS
            && a.y < b.bottom() - EPS
            && b.y < a.bottom() - EPS
    }

    fn contains(outer: &Rect, inner: &Rect) -> bool {
        inner.x >= outer.x - EPS
            && inner.y >= outer.y - EPS
            && inner.right() <= outer.right() + EPS
            && inner.bottom() <= outer.bottom() + EPS
    }

    /// Does the segment a-b pass through the interior of `r`? (Liang–Barsky; touching the
    /// border does not count.)
    fn hits_interior(a: Point, b: Point, r: &Rect) -> bool {
        let (x0, x1) = (r.x + EPS, r.right() - EPS);
        let (y0, y1) = (r.y + EPS, r.bottom() - EPS);
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
            } else if p < 0.0 {
                t0 = t0.max(q / p);
            } else {
                t1 = t1.min(q / p);
            }
        }
        t0 < t1
    }

    /// Whether node `v` is the container an edge is drawn in, or one of its ancestors.
    fn encloses(d: &Drawing, edge: &DrawnEdge, v: usize) -> bool {
        edge.parent.is_some_and(|p| d.is_within(p, v))
    }

    #[test]
    fn the_tutorial_is_drawn_like_the_console() {
        let d = example("tutorial");
        assert_eq!(d.nodes.len(), 9);
        assert_eq!(
            d.edges.len(),
            9,
            "start, 4 chain, 2 choice, escalate→fail, close→end, fail→end"
        );
        assert_eq!(d.nodes[0].kind, NodeKind::Start);
        assert_eq!(d.nodes[8].kind, NodeKind::End);
        let y = |name: &str| node(&d, name).rect.center().y;
        assert_eq!(
            y("Close Case"),
            y("Fail"),
            "Close Case sits beside Fail, above End"
        );
        assert!(y("Escalate Case") < y("Fail"));
        assert!(d
            .nodes
            .iter()
            .all(|n| n.parent.is_none() && n.frames.is_empty()));
        // Start, the chain and the Choice in one vertical line.
        let x = |name: &str| node(&d, name).rect.center().x;
        for name in [
            "Open Case",
            "Assign Case",
            "Work on Case",
            "Is Case Resolved",
        ] {
            assert_eq!(x(name), d.nodes[0].rect.center().x, "{name}");
        }
    }

    #[test]
    fn choice_edges_are_labelled_with_their_rule_or_default() {
        let d = example("tutorial");
        let rule = edges_between(&d, "Is Case Resolved", "Close Case");
        assert_eq!(rule.len(), 1);
        assert_eq!(rule[0].kind, EdgeKind::Choice);
        let label = rule[0].label.as_ref().expect("a rule label");
        assert_eq!(label.text, "$.Status == 1");
        assert!((label.rect.width - label_width("$.Status == 1")).abs() < EPS);
        let other = edges_between(&d, "Is Case Resolved", "Escalate Case");
        assert_eq!(other[0].kind, EdgeKind::Choice);
        assert_eq!(other[0].label.as_ref().unwrap().text, "$.Status == 0");
        // The map example's processor has the same Choice with a Default instead.
        let map = example("map");
        let default = edges_between(&map, "Is Case Resolved", "Escalate Case");
        assert_eq!(default[0].kind, EdgeKind::Default);
        assert_eq!(default[0].label.as_ref().unwrap().text, "Default");
        let labelled = d.edges.iter().filter(|e| e.label.is_some()).count();
        assert_eq!(labelled, 2, "only the Choice's edges have labels");
        // The labels sit between the Choice and its targets.
        let choice = node(&d, "Is Case Resolved").rect;
        for e in [rule[0], other[0]] {
            let r = e.label.as_ref().unwrap().rect;
            assert!(r.y >= choice.bottom() && r.bottom() <= node(&d, "Escalate Case").rect.y);
        }
    }

    #[test]
    fn choice_logic_labels_are_short_with_the_full_rule_as_title() {
        let d = example("choice-logic");
        let label = |to: &str| {
            let e = edges_between(&d, "Route Case", to);
            assert_eq!(e.len(), 1, "one edge to {to}");
            e[0].label
                .clone()
                .unwrap_or_else(|| panic!("a label to {to}"))
        };
        let and = label("Page the On-Call Engineer");
        assert_eq!(and.text.chars().count(), MAX_CHARS);
        assert!(and.text.starts_with("And($.priority <= 2, Or(") && and.text.ends_with('…'));
        assert_eq!(
            and.title,
            r#"And($.priority <= 2, Or($.tier == "gold", $.tier == "platinum"))"#
        );
        assert_eq!(label("Queue for Support").text, r#"Not($.tier == "free")"#);
        assert_eq!(
            label("Queue for Billing").text,
            r#"$.subject matches "*refund*""#
        );
        assert_eq!(label("Answer with the FAQ").text, "Default");
        for e in &d.edges {
            if let Some(l) = &e.label {
                assert!(l.text.chars().count() <= MAX_CHARS, "{}", l.text);
            }
        }
    }

    #[test]
    fn catch_edges_are_dashed_apart_from_next_and_name_their_errors() {
        let d = example("retry-catch");
        let edges = edges_between(&d, "Notify Customer", "Assign Case");
        assert_eq!(
            edges.len(),
            2,
            "Next and Catch to the same state: two arrows"
        );
        let next = edges.iter().find(|e| e.kind == EdgeKind::Next).unwrap();
        assert!(next.label.is_none());
        let catch = edges.iter().find(|e| e.kind == EdgeKind::Catch).unwrap();
        assert_eq!(catch.label.as_ref().unwrap().text, "States.ALL");
        assert_ne!(next.points, catch.points);

        let d = nested();
        let catch = edges_between(&d, "Big", "Small");
        assert_eq!(catch.len(), 1);
        assert_eq!(catch[0].kind, EdgeKind::Catch);
        assert_eq!(
            catch[0].label.as_ref().unwrap().text,
            "States.Timeout, States.Task…"
        );
        assert_eq!(
            catch[0].label.as_ref().unwrap().title,
            "States.Timeout, States.TaskFailed"
        );
        assert_eq!(
            edges_between(&d, "Fan Out", "Recover")[0].kind,
            EdgeKind::Catch
        );
    }

    #[test]
    fn parallel_branches_are_side_by_side_in_their_container() {
        let d = example("parallel");
        let c = d.find("Assign and Acknowledge").unwrap();
        let container = &d.nodes[c];
        assert_eq!(container.kind, NodeKind::Parallel);
        assert_eq!(container.frames.len(), 2, "one frame per branch");
        let (left, right) = (container.frames[0], container.frames[1]);
        assert!(left.right() < right.x, "branches side by side");
        assert_eq!(left.y, right.y);
        assert_eq!(
            left.height, right.height,
            "frames as tall as the tallest branch"
        );
        for (name, frame) in [("Assign Case", left), ("Acknowledge", right)] {
            let n = node(&d, name);
            assert_eq!(n.parent, Some(c), "{name} is drawn in the Parallel");
            assert!(contains(&frame, &n.rect), "{name} in its branch's frame");
        }
        // Document order: the container, then what it holds.
        assert_eq!(d.find("Assign Case"), Some(c + 1));
        // The container is one box of the top level: Open Case → it → End.
        assert_eq!(
            edges_between(&d, "Open Case", "Assign and Acknowledge").len(),
            1
        );
        let end = d
            .nodes
            .iter()
            .position(|n| n.kind == NodeKind::End)
            .unwrap();
        assert!(d.edges.iter().any(|e| e.from == c && e.to == end));
        // No Start or End inside a branch, and no edge: each branch is one state.
        assert!(d.edges.iter().all(|e| e.parent.is_none()));
    }

    #[test]
    fn map_processor_is_nested_with_its_own_edges() {
        let d = example("map");
        let c = d.find("Work the Queue").unwrap();
        assert_eq!(d.nodes[c].kind, NodeKind::Map);
        assert_eq!(d.nodes[c].frames.len(), 1);
        let inner: Vec<&str> = d
            .nodes
            .iter()
            .filter(|n| n.parent == Some(c))
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(
            inner,
            [
                "Open Case",
                "Work on Case",
                "Is Case Resolved",
                "Close Case",
                "Escalate Case"
            ]
        );
        let inner_edges: Vec<&DrawnEdge> = d.edges.iter().filter(|e| e.parent == Some(c)).collect();
        assert_eq!(
            inner_edges.len(),
            4,
            "2 chain, 2 choice; no Start or End inside"
        );
        assert_eq!(
            inner_edges.iter().filter(|e| e.label.is_some()).count(),
            2,
            "the inner Choice's edges are labelled"
        );
        assert_eq!(d.edges.len(), 6, "and Start → Map → End outside");
    }

    #[test]
    fn containers_are_sized_to_their_content() {
        for (what, d) in all_drawings() {
            for (v, n) in d.nodes.iter().enumerate() {
                if n.is_container() {
                    let r = n.rect;
                    assert!(
                        r.width >= header_width(&n.name, n.kind) - EPS,
                        "{what}: {}",
                        n.name
                    );
                    let content: f64 = n.frames.iter().map(|f| f.width).sum::<f64>()
                        + BRANCH_GAP * (n.frames.len() - 1) as f64;
                    assert!(
                        (r.width - (content + 2.0 * PADDING).max(header_width(&n.name, n.kind)))
                            .abs()
                            < EPS,
                        "{what}: {} is as wide as its branches and padding",
                        n.name
                    );
                    for f in &n.frames {
                        assert!(contains(&r, f), "{what}: frames of {} inside it", n.name);
                        assert!(
                            (f.y - (r.y + HEADER)).abs() < EPS,
                            "{what}: below the header"
                        );
                        assert!((r.bottom() - f.bottom() - PADDING).abs() < EPS);
                    }
                    // The tallest branch fills its frame but for the padding.
                    let children: Vec<&DrawnNode> =
                        d.nodes.iter().filter(|c| c.parent == Some(v)).collect();
                    assert!(!children.is_empty(), "{what}: {} holds states", n.name);
                    let lowest = children.iter().map(|c| c.rect.bottom()).fold(0.0, f64::max);
                    assert!(
                        (n.frames[0].bottom() - FRAME_PADDING - lowest).abs() < 1.0
                            || n.frames.len() > 1,
                        "{what}: {} is no taller than its content",
                        n.name
                    );
                }
                if let Some(p) = n.parent {
                    let parent = &d.nodes[p];
                    assert!(parent.is_container());
                    assert!(
                        parent.frames.iter().any(|f| contains(f, &n.rect)),
                        "{what}: {} inside a frame of {}",
                        n.name,
                        parent.name
                    );
                }
            }
            for e in &d.edges {
                assert_eq!(
                    d.nodes[e.from].parent, e.parent,
                    "{what}: edges stay in their level"
                );
                assert_eq!(
                    d.nodes[e.to].parent, e.parent,
                    "{what}: edges stay in their level"
                );
                if let Some(p) = e.parent {
                    let frames = &d.nodes[p].frames;
                    for q in &e.points {
                        assert!(
                            frames.iter().any(|f| contains(
                                f,
                                &Rect {
                                    x: q.x,
                                    y: q.y,
                                    width: 0.0,
                                    height: 0.0
                                }
                            )),
                            "{what}: edge inside its container"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn no_box_overlaps_and_no_edge_or_label_crosses_a_box() {
        for (what, d) in all_drawings() {
            let bounds = Rect {
                x: 0.0,
                y: 0.0,
                width: d.width,
                height: d.height,
            };
            for (a, na) in d.nodes.iter().enumerate() {
                assert!(
                    contains(&bounds, &na.rect),
                    "{what}: {} in the drawing",
                    na.name
                );
                for (b, nb) in d.nodes.iter().enumerate().skip(a + 1) {
                    if d.is_within(a, b) || d.is_within(b, a) {
                        continue;
                    }
                    assert!(
                        !overlap(&na.rect, &nb.rect),
                        "{what}: {} and {} overlap",
                        na.name,
                        nb.name
                    );
                }
            }
            let labels: Vec<(usize, Rect)> = d
                .edges
                .iter()
                .enumerate()
                .filter_map(|(i, e)| e.label.as_ref().map(|l| (i, l.rect)))
                .collect();
            for (i, e) in d.edges.iter().enumerate() {
                let name = format!("{} → {}", d.nodes[e.from].name, d.nodes[e.to].name);
                assert!(e.points.len() >= 2, "{what}: {name} is routed");
                for w in e.points.windows(2) {
                    for (v, n) in d.nodes.iter().enumerate() {
                        if encloses(&d, e, v) {
                            continue;
                        }
                        assert!(
                            !hits_interior(w[0], w[1], &n.rect),
                            "{what}: {name} crosses {}",
                            n.name
                        );
                    }
                    for (j, r) in &labels {
                        assert!(
                            *j == i || !hits_interior(w[0], w[1], r),
                            "{what}: {name} crosses the label of edge {j}"
                        );
                    }
                }
                if let Some(l) = &e.label {
                    for (v, n) in d.nodes.iter().enumerate() {
                        assert!(
                            encloses(&d, e, v) || !overlap(&l.rect, &n.rect),
                            "{what}: the label of {name} overlaps {}",
                            n.name
                        );
                    }
                    for (j, r) in &labels {
                        assert!(
                            *j <= i || !overlap(&l.rect, r),
                            "{what}: the labels of {name} and edge {j} overlap"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn nested_containers_nest() {
        let d = nested();
        let fan = d.find("Fan Out").unwrap();
        let each = d.find("Each Item").unwrap();
        let parts = d.find("Parts").unwrap();
        assert_eq!(d.nodes[fan].kind, NodeKind::Parallel);
        assert_eq!(d.nodes[each].parent, Some(fan));
        assert_eq!(d.nodes[parts].parent, Some(each));
        assert_eq!(d.nodes[d.find("Part").unwrap()].parent, Some(parts));
        assert!(d.is_within(d.find("Part").unwrap(), fan));
        assert!(!d.is_within(fan, each));
        // Document order: every container is followed by everything inside it.
        for (v, n) in d.nodes.iter().enumerate() {
            if let Some(p) = n.parent {
                assert!(p < v && (p + 1..v).all(|u| d.is_within(u, p)), "{}", n.name);
            }
        }
    }

    #[test]
    fn map_iterations_are_counted_from_the_history() {
        use asl::{Execution, ExecutionConfig};
        use std::sync::Arc;
        let example = examples::find("map").unwrap();
        let machine = Arc::new(asl::load(example.definition).unwrap());
        let input = serde_json::from_str(example.input).unwrap();
        let mut run = Execution::new(machine, input, ExecutionConfig::default());
        let mut tasks = callcenter::CallCenter {
            work_on_case: callcenter::WorkOnCase::Resolved,
        };
        assert!(map_progress(run.history()).is_empty());
        // Part way: the Map has started and its first iteration is running.
        while !run
            .history()
            .iter()
            .any(|e| matches!(e.details, asl::EventDetails::MapIterationSucceeded { .. }))
        {
            run.step(&mut tasks);
        }
        let progress = map_progress(run.history())["Work the Queue"];
        assert_eq!((progress.done(), progress.total), (1, 3));
        assert_eq!(progress.badge(), "1/3");
        run.run_to_end(&mut tasks);
        let progress = map_progress(run.history())["Work the Queue"];
        assert_eq!(
            progress,
            MapProgress {
                total: 3,
                succeeded: 3,
                failed: 0
            }
        );
    }

    #[test]
    fn a_redriven_map_counts_the_iterations_it_kept() {
        use asl::{Execution, ExecutionConfig};
        use std::sync::Arc;
        let machine = Arc::new(
            asl::load(
                r#"{"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
                "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task",
                "Resource":"arn:aws:lambda:us-east-1:123456789012:function:Work","End":true}}}}}}"#,
            )
            .unwrap(),
        );
        let mut tasks = asl::mock::MockConfig::parse(
            r#"{"StateMachines":{"M":{"TestCases":{"T":{"Work":"W"}}}},
            "MockedResponses":{"W":{"0":{"Return":0},"1":{"Throw":{"Error":"E","Cause":"C"}},"2-9":{"Return":1}}}}"#,
        )
        .unwrap()
        .test_case("M", "T")
        .unwrap();
        let mut run = Execution::new(
            machine,
            serde_json::json!([1, 2, 3]),
            ExecutionConfig::default(),
        );
        run.run_to_end(&mut tasks);
        let failed = map_progress(run.history())["Each"];
        assert_eq!((failed.succeeded, failed.failed, failed.total), (1, 1, 3));
        run.redrive().unwrap();
        // Entered and started again: item 0 is kept (and counted), items 1 and 2 run.
        while !run
            .history()
            .iter()
            .rev()
            .take_while(|e| e.event_type() != "ExecutionRedriven")
            .any(|e| e.event_type() == "MapStateStarted")
        {
            run.step(&mut tasks);
        }
        assert_eq!(map_progress(run.history())["Each"].badge(), "1/3");
        run.run_to_end(&mut tasks);
        assert_eq!(
            map_progress(run.history())["Each"],
            MapProgress {
                total: 3,
                succeeded: 3,
                failed: 0
            }
        );
    }
}
