//! Date/time picture strings (XPath fn:format-dateTime) for $fromMillis and $toMillis.

use crate::value::*;
use crate::Error;

type R<T> = Result<T, Error>;

pub fn format(_millis: f64, _picture: Option<&Value>, _tz: Option<&Value>) -> R<Value> {
    Err(Error::new("D3137").with_message("date/time pictures are not implemented"))
}

pub fn parse(_s: &str, _picture: &str) -> R<Value> {
    Err(Error::new("D3137").with_message("date/time pictures are not implemented"))
}
