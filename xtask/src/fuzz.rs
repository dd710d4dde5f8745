//! `cargo xtask fuzz [TARGET] [--seconds N]`: runs the cargo-fuzz targets in `fuzz/` (one, or
//! all in turn) for N seconds each, then prints a table: executions, time, findings.
//!
//! 1. Installs what it needs, on first run only: the nightly toolchain (libFuzzer and the
//!    sanitizers need it) and cargo-fuzz, pinned.
//! 2. Seeds `fuzz/corpus/<target>/` from ../shared/conformance, the examples and
//!    `fuzz/seeds/` (`fuzz/seed`, a small program of the fuzz workspace, run on stable).
//! 3. Runs each target with AddressSanitizer and debug assertions (an arithmetic overflow is a
//!    finding too). A finding is a new file in `fuzz/artifacts/<target>/` (a crash, a
//!    timeout of more than 30 s, an out-of-memory); libFuzzer stops at the first, prints the
//!    input and its stack, and the next target runs.

use super::{step_installing, step_ok, thousands, Ctx, Result, USAGE};
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

/// The cargo-fuzz this project was fuzzed with (`cargo install --locked`).
const CARGO_FUZZ_VERSION: &str = "0.13.2";
const DEFAULT_SECONDS: u64 = 60;
/// libFuzzer's limits for one input: its size, its time, the process's memory.
const LIBFUZZER_OPTIONS: [&str; 4] = [
    "-max_len=65536",
    "-timeout=30",
    "-rss_limit_mb=3072",
    "-print_final_stats=1",
];

struct Outcome {
    target: String,
    executions: u64,
    seconds: u64,
    findings: Vec<String>,
    slow: Vec<String>,
}

impl Ctx {
    pub(super) fn fuzz(&self, args: &[String]) -> Result {
        let mut seconds = DEFAULT_SECONDS;
        let mut only = None;
        let mut rest = args;
        while !rest.is_empty() {
            match rest {
                [flag, n, tail @ ..] if flag == "--seconds" => {
                    seconds =
                        n.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                            format!("--seconds takes a whole number >= 1, not `{n}`")
                        })?;
                    rest = tail;
                }
                [target, tail @ ..] if only.is_none() && !target.starts_with('-') => {
                    only = Some(target.clone());
                    rest = tail;
                }
                [other, ..] => return Err(format!("unexpected argument `{other}`\n\n{USAGE}")),
                [] => unreachable!(),
            }
        }
        let targets = self.fuzz_targets()?;
        let chosen: Vec<String> = match only {
            Some(t) if targets.contains(&t) => vec![t],
            Some(t) => {
                return Err(format!(
                    "no fuzz target `{t}`; the targets: {}",
                    targets.join(", ")
                ))
            }
            None => targets,
        };
        self.step_nightly()?;
        self.step_cargo_fuzz()?;
        self.run(
            self.cargo()
                .args(["run", "--quiet", "--release", "--manifest-path"])
                .arg(self.root.join("fuzz/Cargo.toml"))
                .args(["-p", "fuzz-seed", "--"])
                .arg(&self.root),
        )?;
        let mut outcomes = Vec::new();
        for target in &chosen {
            println!("\n[fuzz] {target}: {seconds} s");
            outcomes.push(self.fuzz_one(target, seconds)?);
        }
        println!(
            "\n{:<16} {:>14} {:>8}  findings",
            "target", "executions", "seconds"
        );
        for o in &outcomes {
            let mut findings = if o.findings.is_empty() {
                "none".to_string()
            } else {
                o.findings.join(", ")
            };
            if !o.slow.is_empty() {
                findings.push_str(&format!(" (slow, not failures: {})", o.slow.join(", ")));
            }
            println!(
                "{:<16} {:>14} {:>8}  {findings}",
                o.target,
                thousands(o.executions),
                o.seconds
            );
        }
        let found: usize = outcomes.iter().map(|o| o.findings.len()).sum();
        if found > 0 {
            return Err(format!(
                "{found} finding(s), in fuzz/artifacts/<target>/; reproduce one with \
                 `cargo +nightly fuzz run -a TARGET fuzz/artifacts/TARGET/FILE` in {}",
                self.root.display()
            ));
        }
        Ok(())
    }

    /// The targets: `fuzz/fuzz_targets/*.rs`, by name.
    fn fuzz_targets(&self) -> Result<Vec<String>> {
        let dir = self.root.join("fuzz/fuzz_targets");
        let mut targets: Vec<String> = fs::read_dir(&dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().to_string();
                name.strip_suffix(".rs").map(str::to_string)
            })
            .collect();
        targets.sort();
        Ok(targets)
    }

    fn fuzz_one(&self, target: &str, seconds: u64) -> Result<Outcome> {
        let artifacts = self.root.join("fuzz/artifacts").join(target);
        let before = files_in(&artifacts);
        let started = Instant::now();
        // rustup's `cargo` picks nightly; nothing of the stable cargo running the xtask may
        // reach cargo-fuzz or the cargo it runs.
        let mut cmd = self.cmd("cargo");
        for key in ["CARGO", "RUSTC", "RUSTDOC", "RUSTUP_TOOLCHAIN"] {
            cmd.env_remove(key);
        }
        cmd.args(["+nightly", "fuzz", "run", "--debug-assertions", target])
            .arg(self.root.join("fuzz/corpus").join(target))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .args(LIBFUZZER_OPTIONS)
            .stdin(Stdio::null());
        // libFuzzer reports on stderr; a finding makes it exit with an error, which is reported
        // in the table rather than stopping the other targets.
        let output = cmd
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|child| child.wait_with_output())
            .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        // What matters of libFuzzer's log: a panic's message, a sanitizer's report, where
        // the input was written, and the final statistics (not the progress lines or frames).
        let mut after_panic = 0u32;
        for line in log.lines() {
            if line.contains("panicked at") {
                after_panic = 2;
            }
            let keep = after_panic > 0
                || [
                    "==",
                    "SUMMARY",
                    "Done ",
                    "stat::",
                    "Test unit written",
                    "INFO: seed corpus",
                ]
                .iter()
                .any(|p| line.starts_with(p))
                || line.starts_with("cargo fuzz");
            if keep {
                eprintln!("{line}");
            }
            after_panic = after_panic.saturating_sub(1);
        }
        let executions = log
            .lines()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        // libFuzzer also keeps inputs slower than 10 s (`slow-unit-…`) without failing: on a
        // busy machine that is often the machine, so they are counted apart.
        let (slow, findings): (Vec<String>, Vec<String>) = files_in(&artifacts)
            .into_iter()
            .filter(|f| !before.contains(f))
            .partition(|f| f.starts_with("slow-unit-"));
        if !output.status.success() && findings.is_empty() {
            return Err(format!(
                "cargo fuzz run {target} failed ({}) without a finding: see its output above",
                output.status
            ));
        }
        Ok(Outcome {
            target: target.to_string(),
            executions,
            // libFuzzer's own count (`Done N runs in S second(s)`), without the build.
            seconds: log
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Done ")?
                        .split(" in ")
                        .nth(1)?
                        .split(' ')
                        .next()?
                        .parse()
                        .ok()
                })
                .unwrap_or_else(|| started.elapsed().as_secs()),
            findings,
            slow,
        })
    }

    fn step_nightly(&self) -> Result {
        let installed = self
            .stdout_of(self.cmd("rustup").args(["toolchain", "list"]))
            .is_some_and(|list| list.lines().any(|l| l.starts_with("nightly")));
        if installed {
            return step_ok("nightly toolchain", "");
        }
        step_installing("nightly toolchain", "rustup toolchain install nightly");
        self.run(self.cmd("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))
    }

    fn step_cargo_fuzz(&self) -> Result {
        let version = self.stdout_of(self.cmd("cargo-fuzz").arg("--version"));
        if version
            .as_deref()
            .is_some_and(|v| v.split_whitespace().last() == Some(CARGO_FUZZ_VERSION))
        {
            return step_ok("cargo-fuzz", CARGO_FUZZ_VERSION);
        }
        step_installing(
            "cargo-fuzz",
            &format!("cargo install cargo-fuzz --version {CARGO_FUZZ_VERSION} --locked"),
        );
        self.run(self.cargo().args([
            "install",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
            "--locked",
        ]))
    }
}

/// The names of the files in a directory (none if it does not exist).
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().to_string()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
