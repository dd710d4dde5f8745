//! The virtual clock: history timestamps and waits advance simulated time, so a one-year Wait
//! finishes at once and the same run always has the same timestamps.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// A clock that only moves when the execution says so.
#[derive(Debug, Clone)]
pub struct VirtualClock {
    now: Millis,
}

impl VirtualClock {
    pub fn starting_at(start: Millis) -> Self {
        VirtualClock { now: start }
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn advance(&mut self, millis: Millis) {
        self.now = self.now.saturating_add(millis.max(0));
    }
}

/// How long simulated things take, in milliseconds. Defaults are in the range the AWS console
/// shows for the tutorial's Lambda functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Between two consecutive events of the engine's own (state entered → exited).
    pub transition: Millis,
    /// From LambdaFunctionScheduled to LambdaFunctionStarted.
    pub schedule: Millis,
    /// A task's run time, from Started to Succeeded/Failed.
    pub task: Millis,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            transition: 12,
            schedule: 25,
            task: 180,
        }
    }
}

/// Formats as AWS formats `$$.Execution.StartTime` and history timestamps:
/// `2026-11-25T09:31:42.123Z`.
pub fn format_timestamp(ms: Millis) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ),
        Err(_) => String::from("invalid-time"),
    }
}

/// Parses an RFC 3339 timestamp as the ASL requires (`T` separator, an offset or `Z`, and an
/// upper-case `T`/`Z`) into epoch milliseconds.
pub fn parse_timestamp(text: &str) -> Option<Millis> {
    // RFC 3339 allows lower-case 't'/'z' and a space separator; the ASL timestamp does not.
    if text.contains(['t', 'z', ' ']) {
        return None;
    }
    let t = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let ms = parse_timestamp("2026-11-25T09:31:42.123Z").unwrap();
        assert_eq!(format_timestamp(ms), "2026-11-25T09:31:42.123Z");
        assert_eq!(
            parse_timestamp("2016-03-14T01:59:00+01:00"),
            parse_timestamp("2016-03-14T00:59:00Z")
        );
        for bad in [
            "2016-03-14",
            "2016-03-14T01:59:00",
            "2016-03-14 01:59:00Z",
            "2016-03-14t01:59:00z",
            "nope",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn clock_only_moves_forward() {
        let mut c = VirtualClock::starting_at(1000);
        c.advance(-5);
        assert_eq!(c.now(), 1000);
        c.advance(365 * 24 * 3600 * 1000);
        assert_eq!(c.now(), 1000 + 31_536_000_000);
    }
}
