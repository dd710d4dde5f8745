//! Writes SVG drawings of a few sample graphs, to eyeball the layout:
//!
//! ```sh
//! cargo run -p layout --example svg -- /tmp/layout-svg
//! ```
//!
//! Boxes are rectangles (circles for nodes whose width equals their height),
//! edges are `smooth_path` curves with `arrow_head` triangles.

use std::fmt::Write;

use layout::{arrow_head, layout, smooth_path, Graph, Options};

fn svg(g: &Graph, labels: &[&str]) -> String {
    let l = layout(g, &Options::default());
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="11">"#,
        w = l.width,
        h = l.height
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    for (v, r) in l.nodes.iter().enumerate() {
        let c = r.center();
        if r.width == r.height {
            let _ = writeln!(
                s,
                r##"<circle cx="{}" cy="{}" r="{}" fill="#f2f3f3" stroke="#545b64"/>"##,
                c.x,
                c.y,
                r.width / 2.0
            );
        } else {
            let _ = writeln!(
                s,
                r##"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#f2f3f3" stroke="#545b64"/>"##,
                r.x, r.y, r.width, r.height
            );
        }
        let label = labels.get(v).copied().unwrap_or("");
        let label = if label.is_empty() {
            v.to_string()
        } else {
            label.to_string()
        };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" dominant-baseline="middle">{}</text>"#,
            c.x, c.y, label
        );
    }
    for pts in &l.edges {
        let _ = writeln!(
            s,
            r##"<path d="{}" fill="none" stroke="#545b64"/>"##,
            smooth_path(pts)
        );
        if let Some([a, b, c]) = arrow_head(pts, 7.0, 6.0) {
            let _ = writeln!(
                s,
                r##"<polygon points="{},{} {},{} {},{}" fill="#545b64"/>"##,
                a.x, a.y, b.x, b.y, c.x, c.y
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

fn graph(nodes: &[(f64, f64)], edges: &[(usize, usize)]) -> Graph {
    let mut g = Graph::new();
    for &(w, h) in nodes {
        g.add_node(w, h);
    }
    for &(f, t) in edges {
        g.add_edge(f, t);
    }
    g
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::create_dir_all(&dir).expect("output directory");
    let b = (120.0, 36.0);
    let c = (50.0, 50.0);
    let samples: Vec<(&str, Graph, Vec<&str>)> = vec![
        (
            "tutorial",
            graph(
                &[c, b, b, b, b, b, b, b, c],
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
            ),
            vec![
                "Start",
                "Open Case",
                "Assign Case",
                "Work on Case",
                "Is Case Resolved",
                "Close Case",
                "Escalate Case",
                "Fail",
                "End",
            ],
        ),
        (
            "retry",
            graph(
                &[c, b, b, b, b, c],
                &[
                    (0, 1),
                    (1, 2),
                    (2, 1),
                    (2, 3),
                    (3, 1),
                    (3, 4),
                    (4, 4),
                    (2, 4),
                    (2, 4),
                    (4, 5),
                ],
            ),
            vec!["Start", "Call", "Check", "Wait", "Done", "End"],
        ),
        (
            "polling",
            graph(
                &[c, b, b, b, b, b, b, c],
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
            ),
            vec![
                "Start",
                "Submit Job",
                "Wait X Seconds",
                "Get Job Status",
                "Job Complete?",
                "Job Failed",
                "Get Final Job Status",
                "End",
            ],
        ),
        (
            "catch",
            graph(
                &[c, b, b, b, b, b, c],
                &[
                    (0, 1),
                    (1, 2),
                    (2, 3),
                    (3, 6),
                    (1, 4),
                    (2, 4),
                    (3, 4),
                    (4, 5),
                    (5, 6),
                ],
            ),
            vec![
                "Start",
                "Validate",
                "Charge",
                "Ship",
                "Handle Error",
                "Notify",
                "End",
            ],
        ),
        (
            "wide",
            {
                let mut nodes = vec![c, b];
                let mut edges = vec![(0, 1)];
                for k in 2..10 {
                    nodes.push(b);
                    edges.push((1, k));
                    edges.push((k, 10));
                }
                nodes.push(b);
                nodes.push(c);
                edges.push((10, 11));
                graph(&nodes, &edges)
            },
            vec!["Start", "Choice"],
        ),
    ];
    for (name, g, labels) in samples {
        let path = format!("{dir}/{name}.svg");
        std::fs::write(&path, svg(&g, &labels)).expect("write svg");
        println!("{path}");
    }
}
