//! Counting outcomes per area, the summary table and the full report file.

use crate::compare::Mismatch;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// How one case ended.
#[derive(Debug)]
pub enum Verdict {
    Pass,
    Fail(Mismatch),
    /// Listed in skips.json; run anyway, so that a skip that is no longer needed shows.
    Skipped {
        reason: String,
        passes: bool,
    },
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub skip: usize,
    /// Of the cases, those that use JSONata, and how many of them pass.
    pub jsonata: usize,
    pub jsonata_pass: usize,
}

impl Counts {
    fn cases(&self) -> usize {
        self.pass + self.fail + self.skip
    }

    fn add(&mut self, other: &Counts) {
        self.pass += other.pass;
        self.fail += other.fail;
        self.skip += other.skip;
        self.jsonata += other.jsonata;
        self.jsonata_pass += other.jsonata_pass;
    }
}

/// The outcomes of one suite (executions or validation).
pub struct Report {
    pub title: &'static str,
    areas: BTreeMap<String, Counts>,
    outcomes: Vec<(String, String, Verdict)>,
}

impl Report {
    pub fn new(title: &'static str) -> Self {
        Report {
            title,
            areas: BTreeMap::new(),
            outcomes: Vec::new(),
        }
    }

    /// One case's verdict; `jsonata`: the case uses JSONata.
    pub fn record(&mut self, area: &str, id: &str, verdict: Verdict, jsonata: bool) {
        let counts = self.areas.entry(area.to_string()).or_default();
        match verdict {
            Verdict::Pass => counts.pass += 1,
            Verdict::Fail(_) => counts.fail += 1,
            Verdict::Skipped { .. } => counts.skip += 1,
        }
        if jsonata {
            counts.jsonata += 1;
            counts.jsonata_pass += usize::from(matches!(verdict, Verdict::Pass));
        }
        self.outcomes
            .push((area.to_string(), id.to_string(), verdict));
    }

    /// Passing cases per area.
    pub fn passes(&self) -> impl Iterator<Item = (&str, usize)> {
        self.areas.iter().map(|(area, c)| (area.as_str(), c.pass))
    }

    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        self.areas.values().for_each(|c| total.add(c));
        total
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<22} {:>5} {:>5} {:>5} {:>5} {:>22}",
            self.title, "cases", "pass", "fail", "skip", "JSONata pass/cases"
        );
        let mut row = |name: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "{:<22} {:>5} {:>5} {:>5} {:>5} {:>22}",
                name,
                c.cases(),
                c.pass,
                c.fail,
                c.skip,
                format!("{}/{}", c.jsonata_pass, c.jsonata)
            );
        };
        for (area, counts) in &self.areas {
            row(area, counts);
        }
        row("total", &self.total());
        out
    }

    fn failures(&self) -> impl Iterator<Item = (&str, &str, &Mismatch)> {
        self.outcomes.iter().filter_map(|(area, id, v)| match v {
            Verdict::Fail(m) => Some((area.as_str(), id.as_str(), m)),
            _ => None,
        })
    }

    /// Failures grouped by kind, most frequent first.
    pub fn kinds(&self) -> Vec<(usize, String)> {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, m) in self.failures() {
            *kinds.entry(&m.kind).or_default() += 1;
        }
        let mut kinds: Vec<(usize, String)> = kinds
            .into_iter()
            .map(|(kind, n)| (n, kind.to_string()))
            .collect();
        kinds.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        kinds
    }

    /// For rejected definitions: each diagnostic kind, with how many cases it appears in and
    /// in how many it is the only one (the cases that fixing it alone would let run).
    pub fn needs(&self) -> Vec<(usize, usize, String)> {
        let mut needs: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (_, _, m) in self.failures() {
            for need in &m.needs {
                let entry = needs.entry(need).or_default();
                entry.0 += 1;
                entry.1 += usize::from(m.needs.len() == 1);
            }
        }
        let mut needs: Vec<(usize, usize, String)> = needs
            .into_iter()
            .map(|(need, (all, alone))| (all, alone, need.to_string()))
            .collect();
        needs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        needs
    }

    /// Skipped cases that pass: their skip can go.
    pub fn needless_skips(&self) -> Vec<&str> {
        self.outcomes
            .iter()
            .filter(|(_, _, v)| matches!(v, Verdict::Skipped { passes: true, .. }))
            .map(|(_, id, _)| id.as_str())
            .collect()
    }

    /// The sections of the report file for this suite.
    pub fn details(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## {}: failure kinds\n", self.title);
        for (n, kind) in self.kinds() {
            let _ = writeln!(out, "{n:>5}  {kind}");
        }
        let needs = self.needs();
        if !needs.is_empty() {
            let _ = writeln!(
                out,
                "\n## {}: what rejected definitions need (cases with it / with it alone)\n",
                self.title
            );
            for (all, alone, need) in needs {
                let _ = writeln!(out, "{all:>5} {alone:>5}  {need}");
            }
        }
        let _ = writeln!(out, "\n## {}: failing cases\n", self.title);
        for (_, id, m) in self.failures() {
            let _ = writeln!(out, "{id} — {}", m.reason);
        }
        let skipped: Vec<String> = self
            .outcomes
            .iter()
            .filter_map(|(_, id, v)| match v {
                Verdict::Skipped { reason, passes } => Some(format!(
                    "{id} — {reason}{}",
                    if *passes {
                        "  [PASSES NOW: remove the skip]"
                    } else {
                        ""
                    }
                )),
                _ => None,
            })
            .collect();
        if !skipped.is_empty() {
            let _ = writeln!(out, "\n## {}: skipped cases\n", self.title);
            for line in skipped {
                let _ = writeln!(out, "{line}");
            }
        }
        out
    }
}

/// `<target dir>/conformance-report.txt`: the test binary lives in `<target>/<profile>/deps/`.
pub fn report_path() -> PathBuf {
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target")));
    target.join("conformance-report.txt")
}

/// Writes to the terminal even when the test harness captures output (`print!` and
/// `eprint!` are captured; the stderr handle itself is not).
pub fn say(text: &str) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}
