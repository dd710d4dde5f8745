//! `sfn export`, run as a user runs it: the files it writes, what it prints, its exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TUTORIAL: &str = callcenter::TUTORIAL_DEFINITION;

/// A fresh directory for one test's files.
fn dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sfn-export")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn sfn_with_stdin(args: &[&str], stdin: &str) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfn"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let ran = Ran {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(!ran.stderr.contains("panicked"), "{}", ran.stderr);
    ran
}

fn sfn(args: &[&str]) -> Ran {
    sfn_with_stdin(args, "")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn exports_the_tutorial_in_two_stacks() {
    let dir = dir("two-stacks");
    let definition = dir.join("tutorial.json");
    std::fs::write(&definition, TUTORIAL).unwrap();
    let out = dir.join("out");
    let ran = sfn(&[
        "export",
        "--definition",
        definition.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--input-json",
        r#"{"inputCaseID": "001"}"#,
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stderr, "");
    let expected = export::export(
        TUTORIAL,
        &export::Options {
            input: Some(r#"{"inputCaseID": "001"}"#.into()),
            ..Default::default()
        },
    )
    .unwrap();
    let wrote: Vec<String> = expected
        .files
        .iter()
        .map(|f| format!("wrote {}", out.join(&f.name).display()))
        .collect();
    assert_eq!(ran.stdout.lines().collect::<Vec<_>>(), wrote);
    for file in &expected.files {
        assert_eq!(read(&out.join(&file.name)), file.contents, "{}", file.name);
    }
    assert!(read(&out.join("call-center-functions.yml")).contains("Runtime: nodejs24.x"));
    assert!(read(&out.join("commands.sh")).contains(r#"--input '{"inputCaseID":"001"}'"#));
}

#[test]
fn exports_an_example_in_one_stack_and_says_what_to_do_first() {
    let dir = dir("single-stack");
    let ran = sfn(&[
        "export",
        "--example",
        "retry-catch",
        "--single-stack",
        "--out",
        dir.to_str().unwrap(),
        "--name",
        "RetryCatch",
        "--stack",
        "retry-catch",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let names: Vec<&str> = ran
        .stdout
        .lines()
        .map(|l| l.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "call-center.yml",
            "definition.asl.json",
            "commands.sh",
            // The example's mocks, with which its runs throttle twice.
            "MockConfigFile.json",
            "README.txt"
        ]
    );
    assert!(
        ran.stderr.starts_with(
            "sfn: before deploying: NotifyCustomer is not one of the tutorial's functions"
        ),
        "{}",
        ran.stderr
    );
    let template = read(&dir.join("call-center.yml"));
    assert!(template.contains("StateMachineName: RetryCatch\n"));
    assert!(template.contains("  NotifyCustomerFunctionArn:\n    Type: String\n"));
    let commands = read(&dir.join("commands.sh"));
    assert!(commands.contains("--stack-name retry-catch "));
    assert!(
        commands.contains(r#"--input '{"inputCaseID":"002"}'"#),
        "the example's input"
    );
}

#[test]
fn reads_the_definition_from_stdin() {
    let dir = dir("stdin");
    let ran = sfn_with_stdin(
        &[
            "export",
            "--definition",
            "-",
            "--out",
            dir.to_str().unwrap(),
        ],
        TUTORIAL,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        read(&dir.join("definition.asl.json")).trim_end(),
        TUTORIAL.trim_end()
    );
    assert!(read(&dir.join("commands.sh")).contains("--input '{}'"));
}

#[test]
fn an_invalid_definition_is_exit_1_with_its_diagnostics() {
    let dir = dir("invalid");
    let definition = dir.join("bad.json");
    std::fs::write(
        &definition,
        r#"{"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": true}}}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let path = definition.to_str().unwrap();
    let ran = sfn(&[
        "export",
        "--definition",
        path,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(ran.code, 1);
    assert_eq!(ran.stdout, "");
    // As `sfn validate` and `sfn run` print them.
    assert_eq!(ran.stderr, sfn(&["validate", path]).stdout);
    assert!(!out.exists(), "nothing written");
}

#[test]
fn usage_errors_are_exit_2() {
    let dir = dir("usage");
    let out = dir.to_str().unwrap();
    let bad_input = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        out,
        "--input-json",
        "{bad",
    ]);
    assert_eq!(bad_input.code, 2);
    assert!(
        bad_input
            .stderr
            .starts_with("--input-json:1:2: invalid JSON"),
        "{}",
        bad_input.stderr
    );
    let bad_name = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        out,
        "--name",
        "Call Center",
    ]);
    assert_eq!(bad_name.code, 2);
    assert!(
        bad_name
            .stderr
            .starts_with("sfn: state machine name \"Call Center\""),
        "{}",
        bad_name.stderr
    );
    let same_stacks = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        out,
        "--stack",
        "x",
        "--functions-stack",
        "x",
    ]);
    assert_eq!(same_stacks.code, 2);
    assert_eq!(
        sfn(&["export", "--example", "tutorial"]).code,
        2,
        "--out is required"
    );
    assert_eq!(sfn(&["export", "--example", "nope", "--out", out]).code, 2);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
}

/// The files `sfn export --example tutorial` writes.
const TUTORIAL_FILES: [&str; 5] = [
    "call-center-functions.yml",
    "call-center.yml",
    "definition.asl.json",
    "commands.sh",
    "README.txt",
];

#[test]
fn files_already_there_are_replaced_only_with_force() {
    let dir = dir("force");
    let out = dir.to_str().unwrap();
    assert_eq!(
        sfn(&["export", "--example", "tutorial", "--out", out]).code,
        0
    );
    std::fs::write(dir.join("README.txt"), "my notes").unwrap();
    let again = sfn(&["export", "--example", "tutorial", "--out", out]);
    assert_eq!(again.code, 2);
    assert_eq!(again.stdout, "");
    assert_eq!(
        again.stderr,
        format!(
            "sfn: {out} already has {}: give --force to replace them, or choose another --out\n",
            TUTORIAL_FILES.join(", ")
        )
    );
    assert_eq!(read(&dir.join("README.txt")), "my notes", "not replaced");
    let forced = sfn(&["export", "--example", "tutorial", "--out", out, "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(forced.stdout.lines().count(), TUTORIAL_FILES.len());
    assert!(read(&dir.join("README.txt")).starts_with("CallCenter, exported by sfn-playground"));
    // One file there: the others are not written either.
    let one = dir.join("one");
    std::fs::create_dir(&one).unwrap();
    std::fs::write(one.join("commands.sh"), "echo mine").unwrap();
    let ran = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .contains("already has commands.sh: give --force to replace it"),
        "{}",
        ran.stderr
    );
    assert_eq!(
        std::fs::read_dir(&one).unwrap().count(),
        1,
        "nothing else written"
    );
}

#[test]
#[cfg(unix)]
fn a_symbolic_link_in_the_directory_is_never_written_through() {
    let dir = dir("symlink");
    let outside = dir.join("outside.txt");
    std::fs::write(&outside, "not yours").unwrap();
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("commands.sh")).unwrap();
    for force in [false, true] {
        let mut args = vec![
            "export",
            "--example",
            "tutorial",
            "--out",
            out.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        let ran = sfn(&args);
        assert_eq!(ran.code, 2, "force: {force}");
        assert_eq!(
            ran.stderr,
            format!(
                "sfn: {}/commands.sh is a symbolic link (to {}): sfn export writes only files of \
                 its own in the directory, never through a link; remove it or choose another --out\n",
                out.display(),
                outside.display()
            )
        );
        assert_eq!(read(&outside), "not yours");
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            1,
            "nothing written"
        );
    }
    // A link to a directory, in place of a file: the same.
    std::fs::remove_file(out.join("commands.sh")).unwrap();
    std::os::unix::fs::symlink(&dir, out.join("README.txt")).unwrap();
    let ran = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("README.txt is a symbolic link"),
        "{}",
        ran.stderr
    );
}

#[test]
fn an_empty_out_is_an_error() {
    let ran = sfn(&["export", "--example", "tutorial", "--out", ""]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr,
        "sfn: --out is empty: give the directory to write the files to (. for this one)\n"
    );
    assert_eq!(ran.stdout, "");
}

#[test]
fn names_printed_are_quoted_and_escape_sequences_never_reach_the_terminal() {
    let dir = dir("escapes");
    let out = dir.join("red\u{1b}[31m dir");
    let ran = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let base = dir.display();
    let wrote: Vec<String> = TUTORIAL_FILES
        .iter()
        .map(|f| format!("wrote {base}/red$'\\033''[31m dir/{f}'"))
        .collect();
    assert_eq!(ran.stdout.lines().collect::<Vec<_>>(), wrote);
    for f in TUTORIAL_FILES {
        assert!(out.join(f).is_file(), "{f} in the directory named as given");
    }
    let again = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.code, 2);
    assert!(!again.stderr.contains('\u{1b}'), "{:?}", again.stderr);
    assert!(again
        .stderr
        .starts_with(&format!("sfn: {base}/red$'\\033''[31m dir' already has")));
    // A name with a space only: in single quotes, as a shell reads it back.
    let spaced = dir.join("my export");
    let ran = sfn(&[
        "export",
        "--example",
        "tutorial",
        "--out",
        spaced.to_str().unwrap(),
    ]);
    assert!(ran.stdout.starts_with(&format!(
        "wrote '{base}/my export/call-center-functions.yml'\n"
    )));
    // Warnings naming the definition's functions: no escape either.
    let definition = dir.join("evil.json");
    std::fs::write(
        &definition,
        r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "End": true,
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:x\u001b]0;pwned\u0007"}}}"#,
    )
    .unwrap();
    let ran = sfn(&[
        "export",
        "--definition",
        definition.to_str().unwrap(),
        "--out",
        dir.join("evil").to_str().unwrap(),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr
            .starts_with("sfn: before deploying: x\\u{1b}]0;pwned\\u{7} is not one of"),
        "{:?}",
        ran.stderr
    );
}
