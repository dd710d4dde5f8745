//! Comparing our verdict on a definition with AWS's: valid or not, then each diagnostic's code,
//! message and location, in order.

use crate::cases::{AwsDiagnostic, ValidationCase};
use crate::compare::{clip, Mismatch};
use asl::{load, Diagnostic};

pub fn check(case: &ValidationCase) -> Result<(), Mismatch> {
    let ours = load(&case.machine_text()).err().unwrap_or_default();
    let Some(expected) = case.expected_diagnostics() else {
        // AWS's message is not a definition diagnostic (a TestState-only rejection).
        let message = case.expected.message.as_deref().unwrap_or("");
        return Err(Mismatch::new(
            "AWS rejection that is not a diagnostic (needs the TestState API)",
            format!(
                "AWS rejected with '{}'; load() has no such check",
                clip(message, 100)
            ),
        ));
    };
    match (expected.first(), ours.first()) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(Mismatch::new(
            format!("valid in AWS, rejected: {}", ours[0].code.as_str()),
            format!("valid in AWS, rejected: {}", clip(&ours[0].aws_message(), 140)),
        )),
        (Some(want), None) => Err(Mismatch::new(
            format!("accepted, AWS rejects: {}", want.code),
            format!("accepted, AWS rejects: {}", clip(&aws_message(want), 140)),
        )),
        (Some(_), Some(_)) => compare_lists(&expected, &ours),
    }
}

fn compare_lists(expected: &[AwsDiagnostic], ours: &[Diagnostic]) -> Result<(), Mismatch> {
    for (i, (want, got)) in expected.iter().zip(ours).enumerate() {
        let n = i + 1;
        if want.code != got.code.as_str() {
            return Err(Mismatch::new(
                format!("code {}≠{}", want.code, got.code.as_str()),
                format!(
                    "diagnostic {n}: code {}≠{}: ours is '{}'",
                    want.code,
                    got.code.as_str(),
                    clip(&got.aws_message(), 120)
                ),
            ));
        }
        if want.message != got.message {
            return Err(Mismatch::new(
                format!("message differs ({})", want.code),
                format!(
                    "diagnostic {n}: message differs: expected '{}' got '{}'",
                    clip(&want.message, 90),
                    clip(&got.message, 90)
                ),
            ));
        }
        // AWS leaves the location out for some problems: nothing to compare then.
        if let Some(location) = want.location.as_deref().filter(|l| *l != got.location) {
            return Err(Mismatch::new(
                "location differs",
                format!(
                    "diagnostic {n}: location differs: expected '{location}' got '{}'",
                    got.location
                ),
            ));
        }
    }
    if let Some(extra) = ours.get(expected.len()) {
        return Err(Mismatch::new(
            "more diagnostics than AWS",
            format!(
                "{} diagnostics expected, {} found; the first extra: '{}'",
                expected.len(),
                ours.len(),
                clip(&extra.aws_message(), 100)
            ),
        ));
    }
    if let Some(missing) = expected.get(ours.len()) {
        return Err(Mismatch::new(
            "fewer diagnostics than AWS",
            format!(
                "{} diagnostics expected, {} found; the first missing: '{}'",
                expected.len(),
                ours.len(),
                clip(&aws_message(missing), 100)
            ),
        ));
    }
    Ok(())
}

fn aws_message(d: &AwsDiagnostic) -> String {
    match &d.location {
        Some(location) => format!("{}: {} at {location}", d.code, d.message),
        None => format!("{}: {}", d.code, d.message),
    }
}
