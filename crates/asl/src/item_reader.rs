//! A Distributed Map's `ItemReader`: where its items come from when they are not in its input.
//!
//! ```json
//! "ItemReader": {
//!   "Resource": "arn:aws:states:::s3:getObject",
//!   "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 100 },
//!   "Parameters": { "Bucket": "my-bucket", "Key.$": "$.key" }
//! }
//! ```
//!
//! The engine does no I/O: the Map asks its [`crate::TaskHandler`] to invoke the reader's
//! resource (`arn:aws:states:::s3:getObject` or `…:s3:listObjectsV2`) with the evaluated
//! `Parameters`, under the Map state's name. With a mock configuration file
//! ([`crate::mock`]), the test case maps the Map state to a mocked response whose `Return` is
//! the object's content: a string for CSV and JSON Lines, the JSON value itself (or its text)
//! for JSON, and for `listObjectsV2` the `ListObjectsV2` response (`{"Contents": [...]}`) or the
//! array of objects.
//!
//! This module is the pure part: reading the definition's `ItemReader` ([`parse`]) and turning
//! the object's content into items as AWS does ([`items`], [`csv_items`], [`json_lines_items`],
//! [`json_items`], [`listed_objects`]). The rules, from the AWS Step Functions developer guide:
//!
//! - **CSV**: records are separated by newlines, fields by `CSVDelimiter` (COMMA by default,
//!   PIPE, SEMICOLON, SPACE or TAB). Every value is a string. A field in double quotes may hold
//!   delimiters and newlines; a doubled double quote is one double quote; a backslash escapes a
//!   backslash, a double quote or the delimiter, and is dropped before any other character. With
//!   `CSVHeaderLocation` FIRST_ROW the first record names the fields (and is not an item); with
//!   GIVEN, `CSVHeaders` names them and every record is an item. A record with fewer fields than
//!   the header gets empty strings for the missing ones; extra fields are skipped. Blank lines
//!   are skipped.
//! - **JSONL**: one JSON value per non-blank line.
//! - **JSON**: the object is a JSON array; each element is an item.
//! - **listObjectsV2**: one item per object: `{"Etag", "Key", "LastModified", "Size",
//!   "StorageClass"}`, `LastModified` in epoch seconds.
//! - **MaxItems** / **MaxItemsPath**: only the first N items are read (0: all of them); a CSV
//!   header row is not an item.
//!
//! Anything that cannot be read fails the Map with `States.ItemReaderFailed`; the `Err` texts
//! here are its causes.

use crate::diagnostic::{pointer, Diagnostic, DiagnosticCode};
use crate::model::Count;
use crate::path::ReferencePath;
use crate::template::Template;
use serde_json::{Map, Value};

/// The S3 resources an ItemReader may use.
pub const GET_OBJECT: &str = "arn:aws:states:::s3:getObject";
pub const LIST_OBJECTS_V2: &str = "arn:aws:states:::s3:listObjectsV2";

/// AWS's limit on MaxItems.
pub const MAX_ITEMS_LIMIT: u64 = 100_000_000;

/// A Map state's `ItemReader`, as parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemReader {
    /// The `Resource` as written (`arn:aws:states:::s3:getObject` …).
    pub resource: String,
    pub source: Source,
    /// `Parameters` (Bucket, Key or Prefix …), a payload template.
    pub parameters: Option<Template>,
    /// A JSONata Map's `Arguments` (its `{% … %}` strings read `$states`).
    pub arguments: Option<crate::jsonata::JsonataTemplate>,
    pub config: ReaderConfig,
}

/// What the resource reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `s3:getObject`: one object's content, read as `ReaderConfig.InputType` says.
    GetObject,
    /// `s3:listObjectsV2`: the objects under a prefix, one item each.
    ListObjectsV2,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReaderConfig {
    /// `None` only for listObjectsV2 (which has no InputType).
    pub input_type: Option<InputType>,
    pub csv_headers: CsvHeaders,
    pub delimiter: Delimiter,
    /// MaxItems or MaxItemsPath.
    pub max_items: Option<Count>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputType {
    Csv,
    Json,
    Jsonl,
    Manifest,
}

impl InputType {
    pub const ALL: [(InputType, &'static str); 4] = [
        (InputType::Csv, "CSV"),
        (InputType::Json, "JSON"),
        (InputType::Jsonl, "JSONL"),
        (InputType::Manifest, "MANIFEST"),
    ];
}

/// Where a CSV file's field names come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CsvHeaders {
    /// `CSVHeaderLocation: FIRST_ROW` (the default): the first record.
    #[default]
    FirstRow,
    /// `CSVHeaderLocation: GIVEN`: `CSVHeaders`; the file has no header row.
    Given(Vec<String>),
}

/// `CSVDelimiter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    #[default]
    Comma,
    Pipe,
    Semicolon,
    Space,
    Tab,
}

impl Delimiter {
    pub const ALL: [(Delimiter, &'static str); 5] = [
        (Delimiter::Comma, "COMMA"),
        (Delimiter::Pipe, "PIPE"),
        (Delimiter::Semicolon, "SEMICOLON"),
        (Delimiter::Space, "SPACE"),
        (Delimiter::Tab, "TAB"),
    ];

    pub fn char(self) -> char {
        match self {
            Delimiter::Comma => ',',
            Delimiter::Pipe => '|',
            Delimiter::Semicolon => ';',
            Delimiter::Space => ' ',
            Delimiter::Tab => '\t',
        }
    }
}

/// `arn:<partition>:states:::s3:getObject` → GetObject (any partition).
fn source_of(resource: &str) -> Option<Source> {
    let rest = resource.strip_prefix("arn:")?;
    let (partition, service) = rest.split_once(':')?;
    if partition.is_empty() || partition.contains(':') {
        return None;
    }
    match service {
        "states:::s3:getObject" => Some(Source::GetObject),
        "states:::s3:listObjectsV2" => Some(Source::ListObjectsV2),
        _ => None,
    }
}

/// Reads a definition's `ItemReader` at `at` (its JSON pointer). Problems are pushed to
/// `diagnostics`, worded as AWS words them; what AWS accepts but this engine cannot run
/// (MANIFEST, PARQUET, JSONata `Arguments`) is reported as [`DiagnosticCode::Unsupported`].
pub fn parse(value: &Value, at: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<ItemReader> {
    let mut error = |message: String, at: String| {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::SchemaValidationFailed,
            message,
            at,
        ))
    };
    // Pushed after the others (`error` holds `diagnostics` meanwhile): they keep the place
    // inside the expression's string.
    let mut jsonata_problems = Vec::new();
    let Value::Object(fields) = value else {
        error("ItemReader must be a JSON object".into(), at.into());
        return None;
    };
    let mut unsupported = Vec::new();
    let mut ok = true;
    for key in fields.keys() {
        match key.as_str() {
            "Resource" | "Parameters" | "ReaderConfig" | "Arguments" => {}
            _ => {
                error(format!("Field '{key}' is not supported"), pointer(at, key));
                ok = false;
            }
        }
    }
    let resource = match fields.get("Resource") {
        None => {
            error("These fields are required: [Resource]".into(), at.into());
            return None;
        }
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            error(
                "The field 'Resource' must be a string".into(),
                pointer(at, "Resource"),
            );
            return None;
        }
    };
    let Some(source) = source_of(&resource) else {
        error(
            format!("The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."),
            pointer(at, "Resource"),
        );
        return None;
    };
    let parameters = match fields.get("Parameters") {
        None => None,
        Some(value @ Value::Object(_)) => {
            match Template::parse(value, &pointer(at, "Parameters")) {
                Ok(t) => Some(t),
                Err(problems) => {
                    for (message, at) in problems {
                        error(message, at);
                    }
                    ok = false;
                    None
                }
            }
        }
        Some(_) => {
            error(
                "The field 'Parameters' must be a JSON object".into(),
                pointer(at, "Parameters"),
            );
            ok = false;
            None
        }
    };
    let arguments = match fields.get("Arguments") {
        None => None,
        Some(value) => {
            match crate::jsonata::JsonataTemplate::parse(value, &pointer(at, "Arguments")) {
                Ok(t) => Some(t),
                Err(problems) => {
                    jsonata_problems = problems;
                    ok = false;
                    None
                }
            }
        }
    };
    let config_at = pointer(at, "ReaderConfig");
    let config = match fields.get("ReaderConfig") {
        None => ReaderConfig::default(),
        Some(Value::Object(config)) => {
            match reader_config(config, &config_at, source, &mut error, &mut unsupported) {
                Some(c) => c,
                None => {
                    ok = false;
                    ReaderConfig::default()
                }
            }
        }
        Some(_) => {
            error(
                "The field 'ReaderConfig' must be a JSON object".into(),
                config_at.clone(),
            );
            diagnostics.extend(jsonata_problems);
            return None;
        }
    };
    if source == Source::GetObject && config.input_type.is_none() && ok {
        let at = if fields.contains_key("ReaderConfig") {
            config_at
        } else {
            at.to_string()
        };
        error(
            if fields.contains_key("ReaderConfig") {
                "These fields are required: [InputType]".into()
            } else {
                "These fields are required: [ReaderConfig]".into()
            },
            at,
        );
        ok = false;
    }
    diagnostics.extend(jsonata_problems);
    for (message, at) in unsupported {
        diagnostics.push(Diagnostic::new(DiagnosticCode::Unsupported, message, at));
    }
    ok.then_some(ItemReader {
        resource,
        source,
        parameters,
        arguments,
        config,
    })
}

fn reader_config(
    fields: &Map<String, Value>,
    at: &str,
    source: Source,
    error: &mut dyn FnMut(String, String),
    unsupported: &mut Vec<(String, String)>,
) -> Option<ReaderConfig> {
    let mut ok = true;
    let mut config = ReaderConfig::default();
    let known = [
        "InputType",
        "CSVHeaderLocation",
        "CSVHeaders",
        "CSVDelimiter",
        "MaxItems",
        "MaxItemsPath",
    ];
    for key in fields.keys().filter(|k| !known.contains(&k.as_str())) {
        error(format!("Field '{key}' is not supported"), pointer(at, key));
        ok = false;
    }
    match fields.get("InputType") {
        None => {}
        Some(Value::String(s)) if s == "PARQUET" => {
            unsupported.push((
                "InputType PARQUET is valid in AWS but not supported by this engine yet".into(),
                pointer(at, "InputType"),
            ));
            ok = false;
        }
        Some(value) => match InputType::ALL
            .iter()
            .find(|(_, n)| Some(*n) == value.as_str())
        {
            Some((InputType::Manifest, _)) => {
                unsupported.push((
                    "InputType MANIFEST is valid in AWS but not supported by this engine yet"
                        .into(),
                    pointer(at, "InputType"),
                ));
                config.input_type = Some(InputType::Manifest);
            }
            Some((t, _)) => config.input_type = Some(*t),
            None => {
                error(
                    "The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST]".into(),
                    pointer(at, "InputType"),
                );
                ok = false;
            }
        },
    }
    if source == Source::ListObjectsV2 && fields.contains_key("InputType") {
        error(
            "The field 'InputType' is not supported with the resource arn:aws:states:::s3:listObjectsV2".into(),
            pointer(at, "InputType"),
        );
        ok = false;
    }
    let is_csv = config.input_type == Some(InputType::Csv);
    for key in ["CSVHeaderLocation", "CSVHeaders", "CSVDelimiter"] {
        if fields.contains_key(key) && !is_csv && config.input_type.is_some() {
            error(
                format!("The field '{key}' is only supported when the InputType is CSV"),
                pointer(at, key),
            );
            ok = false;
        }
    }
    let given = match fields.get("CSVHeaderLocation") {
        None => false,
        Some(Value::String(s)) if s == "FIRST_ROW" => false,
        Some(Value::String(s)) if s == "GIVEN" => true,
        Some(_) => {
            error(
                "The field 'CSVHeaderLocation' should have one of these values: [FIRST_ROW, GIVEN]"
                    .into(),
                pointer(at, "CSVHeaderLocation"),
            );
            ok = false;
            false
        }
    };
    match (given, fields.get("CSVHeaders")) {
        (true, None) => {
            error("These fields are required: [CSVHeaders]".into(), at.into());
            ok = false;
        }
        (true, Some(Value::Array(names)))
            if !names.is_empty() && names.iter().all(Value::is_string) =>
        {
            let names = names.iter().filter_map(Value::as_str).map(str::to_string);
            config.csv_headers = CsvHeaders::Given(names.collect());
        }
        (true, Some(Value::Array(names))) if names.is_empty() => {
            error("Value cannot be empty".into(), pointer(at, "CSVHeaders"));
            ok = false;
        }
        (true, Some(_)) => {
            error(
                "The field 'CSVHeaders' must be an array of strings".into(),
                pointer(at, "CSVHeaders"),
            );
            ok = false;
        }
        (false, Some(_)) => {
            error(
                "The field 'CSVHeaders' is only supported when the CSVHeaderLocation is GIVEN"
                    .into(),
                pointer(at, "CSVHeaders"),
            );
            ok = false;
        }
        (false, None) => {}
    }
    match fields.get("CSVDelimiter") {
        None => {}
        Some(value) => match Delimiter::ALL
            .iter()
            .find(|(_, n)| Some(*n) == value.as_str())
        {
            Some((d, _)) => config.delimiter = *d,
            None => {
                error(
                    "The field 'CSVDelimiter' should have one of these values: [COMMA, PIPE, SEMICOLON, SPACE, TAB]".into(),
                    pointer(at, "CSVDelimiter"),
                );
                ok = false;
            }
        },
    }
    match (fields.get("MaxItems"), fields.get("MaxItemsPath")) {
        (Some(_), Some(_)) => {
            error(
                "The fields 'MaxItems' and 'MaxItemsPath' are mutually exclusive".into(),
                at.into(),
            );
            ok = false;
        }
        (Some(value), None) => {
            match value.as_u64() {
                Some(n) if n <= MAX_ITEMS_LIMIT => config.max_items = Some(Count::Fixed(n as f64)),
                _ => {
                    error(
                    format!("The field 'MaxItems' must be an integer between 0 and {MAX_ITEMS_LIMIT}"),
                    pointer(at, "MaxItems"),
                );
                    ok = false;
                }
            }
        }
        (None, Some(value)) => match value.as_str().map(ReferencePath::parse) {
            Some(Ok(path)) => config.max_items = Some(Count::Path(path)),
            _ => {
                error(
                    "The value for the field 'MaxItemsPath' must be a valid JSONPath".into(),
                    pointer(at, "MaxItemsPath"),
                );
                ok = false;
            }
        },
        (None, None) => {}
    }
    ok.then_some(config)
}

/// The object's `Parameters` as the cause of a failure names them: `s3://bucket/key`.
pub fn location(parameters: &Value) -> String {
    let bucket = parameters
        .get("Bucket")
        .and_then(Value::as_str)
        .unwrap_or("");
    let key = parameters
        .get("Key")
        .or_else(|| parameters.get("Prefix"))
        .and_then(Value::as_str)
        .unwrap_or("");
    format!("s3://{bucket}/{key}")
}

/// The items a reader reads from the resource's answer (`content`), at most `max_items` of
/// them (`None` or 0: all). `Err` is the cause of `States.ItemReaderFailed`.
pub fn items(
    reader: &ItemReader,
    content: Value,
    max_items: Option<u64>,
) -> Result<Vec<Value>, String> {
    Ok(ItemStream::open(reader, content, max_items)?.collect())
}

/// An object's items, made one at a time: a 100,000-row CSV object stays one string, and each
/// row becomes a JSON object only when its child execution starts. [`ItemStream::open`] reads
/// the whole content once to check it and count the items, so that a malformed object fails
/// before any item runs; iterating cannot fail.
#[derive(Debug, Clone)]
pub struct ItemStream {
    source: Stream,
    /// How many items there are (after MaxItems).
    len: usize,
    /// How many have been made so far.
    made: usize,
}

#[derive(Debug, Clone)]
enum Stream {
    Csv {
        text: String,
        names: Vec<String>,
        delimiter: Delimiter,
        /// Where the first item's record starts, and where the next one does.
        start: usize,
        at: usize,
    },
    Lines {
        text: String,
        at: usize,
    },
    Values(Vec<Value>),
}

impl ItemStream {
    /// Checks the content and counts its items (at most `max_items`; `None` or 0: all).
    pub fn open(
        reader: &ItemReader,
        content: Value,
        max_items: Option<u64>,
    ) -> Result<ItemStream, String> {
        let limit = match max_items {
            None | Some(0) => usize::MAX,
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        };
        let source =
            if reader.source == Source::ListObjectsV2 {
                Stream::Values(listed_objects(&content)?)
            } else {
                match reader.config.input_type {
                    Some(InputType::Csv) => {
                        let text = text_content(content, "CSV")?;
                        let delimiter = reader.config.delimiter;
                        let mut records = CsvRecords::new(&text, delimiter.char());
                        let names = match &reader.config.csv_headers {
                            CsvHeaders::Given(names) => names.clone(),
                            CsvHeaders::FirstRow => match records.next() {
                                Some(names) => names?,
                                None => Vec::new(),
                            },
                        };
                        let start = records.offset();
                        Stream::Csv {
                            text,
                            names,
                            delimiter,
                            start,
                            at: start,
                        }
                    }
                    Some(InputType::Jsonl) => Stream::Lines {
                        text: text_content(content, "JSONL")?,
                        at: 0,
                    },
                    Some(InputType::Json) => Stream::Values(json_items(content)?),
                    Some(InputType::Manifest) | None => return Err(
                        "This engine cannot read S3 inventory manifests (InputType MANIFEST) yet."
                            .into(),
                    ),
                }
            };
        let len = match &source {
            Stream::Csv {
                text,
                delimiter,
                start,
                ..
            } => {
                let mut records = CsvRecords::new(&text[*start..], delimiter.char());
                let mut n = 0;
                while n < limit {
                    match records.next() {
                        Some(record) => record.map_err(|e| {
                            // Count the lines skipped before `start` too.
                            let before = text[..*start].matches('\n').count();
                            renumber(&e, before)
                        })?,
                        None => break,
                    };
                    n += 1;
                }
                n
            }
            Stream::Lines { text, .. } => json_lines_items(text, limit)?.len(),
            Stream::Values(values) => values.len().min(limit),
        };
        Ok(ItemStream {
            source,
            len,
            made: 0,
        })
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Starts over from the first item (a retried Map reads its items again).
    pub fn rewind(&mut self) {
        self.made = 0;
        match &mut self.source {
            Stream::Csv { start, at, .. } => *at = *start,
            Stream::Lines { at, .. } => *at = 0,
            Stream::Values(_) => {}
        }
    }
}

/// `line N` in a CSV error, shifted by the lines before the part that was read.
fn renumber(error: &str, before: usize) -> String {
    let Some((head, tail)) = error.split_once("line ") else {
        return error.to_string();
    };
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<usize>() {
        Ok(n) => format!("{head}line {}{}", n + before, &tail[digits.len()..]),
        Err(_) => error.to_string(),
    }
}

impl Iterator for ItemStream {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        if self.made >= self.len {
            return None;
        }
        let index = self.made;
        self.made += 1;
        match &mut self.source {
            Stream::Csv {
                text,
                names,
                delimiter,
                at,
                ..
            } => {
                let mut records = CsvRecords::new(&text[*at..], delimiter.char());
                // `open` checked every record up to `len`.
                let record = records.next()?.ok()?;
                *at += records.offset();
                let mut fields = record.into_iter();
                let mut item = Map::with_capacity(names.len());
                for name in names.iter() {
                    item.insert(
                        name.clone(),
                        Value::String(fields.next().unwrap_or_default()),
                    );
                }
                Some(Value::Object(item))
            }
            Stream::Lines { text, at } => loop {
                let rest = &text[*at..];
                let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
                let line = rest[..end].trim();
                *at += end;
                if !line.is_empty() {
                    break serde_json::from_str(line).ok();
                }
                if end == 0 {
                    break None;
                }
            },
            Stream::Values(values) => values.get(index).cloned(),
        }
    }
}

/// A text object's content: the mocked `Return` must be a string.
fn text_content(content: Value, input_type: &str) -> Result<String, String> {
    match content {
        Value::String(s) => Ok(s),
        other => Err(format!(
            "The content of a {input_type} object must be text: the mocked Return must be a string, found {}.",
            kind(&other)
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object's items: its array's elements. The content may be the JSON value itself or
/// its text.
pub fn json_items(content: Value) -> Result<Vec<Value>, String> {
    let value = match content {
        Value::String(text) => serde_json::from_str(&text)
            .map_err(|e| format!("The object's content is not valid JSON: {e}."))?,
        other => other,
    };
    match value {
        Value::Array(items) => Ok(items),
        other => Err(format!(
            "Attempting to map over non-iterable node: the JSON object must hold an array, found {}.",
            kind(&other)
        )),
    }
}

/// JSON Lines: one JSON value per non-blank line, at most `limit` of them.
pub fn json_lines_items(text: &str, limit: usize) -> Result<Vec<Value>, String> {
    let mut items = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if items.len() >= limit {
            break;
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let item = serde_json::from_str(line).map_err(|e| {
            format!(
                "Line {} of the JSONL object is not valid JSON: {e}.",
                number + 1
            )
        })?;
        items.push(item);
    }
    Ok(items)
}

/// The objects a `ListObjectsV2` answer lists, as AWS hands them to the Map: `Etag`, `Key`,
/// `LastModified` (epoch seconds), `Size`, `StorageClass`. The answer may be the response
/// (`{"Contents": [...]}`) or the array of objects; `ETag` is accepted for `Etag` and an
/// RFC 3339 `LastModified` is converted.
pub fn listed_objects(content: &Value) -> Result<Vec<Value>, String> {
    let objects = match content {
        Value::Array(objects) => objects,
        Value::Object(response) => match response.get("Contents") {
            Some(Value::Array(objects)) => objects,
            None => return Ok(Vec::new()),
            Some(other) => {
                return Err(format!(
                    "The ListObjectsV2 response's Contents must be an array, found {}.",
                    kind(other)
                ))
            }
        },
        other => {
            return Err(format!(
                "The ListObjectsV2 response must be an object with Contents (or an array of objects), found {}.",
                kind(other)
            ))
        }
    };
    objects
        .iter()
        .map(|object| {
            let Value::Object(object) = object else {
                return Err(format!(
                    "A listed object must be a JSON object, found {}.",
                    kind(object)
                ));
            };
            let Some(key) = object.get("Key").and_then(Value::as_str) else {
                return Err("A listed object has no Key.".to_string());
            };
            let etag = object.get("Etag").or_else(|| object.get("ETag"));
            let last_modified = match object.get("LastModified") {
                Some(Value::String(s)) => crate::clock::parse_timestamp(s)
                    .map(|ms| Value::from(ms.div_euclid(1000)))
                    .unwrap_or_else(|| Value::String(s.clone())),
                Some(other) => other.clone(),
                None => Value::Null,
            };
            let mut item = Map::new();
            item.insert("Etag".into(), etag.cloned().unwrap_or(Value::Null));
            item.insert("Key".into(), Value::String(key.to_string()));
            item.insert("LastModified".into(), last_modified);
            item.insert(
                "Size".into(),
                object.get("Size").cloned().unwrap_or(Value::from(0)),
            );
            item.insert(
                "StorageClass".into(),
                object
                    .get("StorageClass")
                    .cloned()
                    .unwrap_or_else(|| Value::String("STANDARD".into())),
            );
            Ok(Value::Object(item))
        })
        .collect()
}

/// A CSV object's items: one object per record, its field names from the header, every value
/// a string; at most `limit` items (the header row is not one).
pub fn csv_items(
    text: &str,
    headers: &CsvHeaders,
    delimiter: Delimiter,
    limit: usize,
) -> Result<Vec<Value>, String> {
    let mut records = CsvRecords::new(text, delimiter.char());
    let names: Vec<String> = match headers {
        CsvHeaders::Given(names) => names.clone(),
        CsvHeaders::FirstRow => match records.next() {
            Some(Ok(names)) => names,
            Some(Err(e)) => return Err(e),
            None => return Ok(Vec::new()),
        },
    };
    let mut items = Vec::new();
    for record in records {
        if items.len() >= limit {
            break;
        }
        let mut fields = record?.into_iter();
        let mut item = Map::with_capacity(names.len());
        for name in &names {
            item.insert(
                name.clone(),
                Value::String(fields.next().unwrap_or_default()),
            );
        }
        items.push(Value::Object(item));
    }
    Ok(items)
}

/// Splits CSV text into records of fields (blank lines skipped), by AWS's rules (see the
/// module's documentation).
pub fn csv_records(text: &str, delimiter: Delimiter) -> Result<Vec<Vec<String>>, String> {
    CsvRecords::new(text, delimiter.char()).collect()
}

/// The records of a CSV text, one at a time (a 100,000-row file is never split all at once).
struct CsvRecords<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    /// The text's length: the offset once every character is read.
    len: usize,
    delimiter: char,
    /// 1-based, for error messages.
    line: usize,
}

impl<'a> CsvRecords<'a> {
    fn new(text: &'a str, delimiter: char) -> Self {
        let mut chars = text.char_indices().peekable();
        // A byte order mark is not part of the first field.
        chars.next_if(|&(_, c)| c == '\u{feff}');
        CsvRecords {
            chars,
            len: text.len(),
            delimiter,
            line: 1,
        }
    }

    /// The byte offset of the next character: where the next record starts.
    fn offset(&mut self) -> usize {
        self.chars.peek().map_or(self.len, |&(i, _)| i)
    }

    fn next_char(&mut self) -> Option<char> {
        self.chars.next().map(|(_, c)| c)
    }

    fn peek_char(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }
}

impl Iterator for CsvRecords<'_> {
    type Item = Result<Vec<String>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.peek_char()?;
            let start_line = self.line;
            let mut fields = Vec::new();
            let mut field = String::new();
            let mut quoted = false;
            // Whether the record has any content (a blank line has none).
            let mut content = false;
            // Whether nothing of the current field has been read yet.
            let mut field_start = true;
            loop {
                let Some(c) = self.next_char() else {
                    if quoted {
                        return Some(Err(format!(
                            "The CSV object has a quoted field, starting on line {start_line}, that is never closed."
                        )));
                    }
                    break;
                };
                let at_start = std::mem::replace(&mut field_start, false);
                match c {
                    '"' => {
                        content = true;
                        if at_start && self.peek_char() == Some('"') {
                            // `""` alone is an empty field, not a quote.
                            let mut ahead = self.chars.clone();
                            ahead.next();
                            let after = ahead.peek().map(|&(_, c)| c);
                            if after.is_none_or(|a| a == self.delimiter || a == '\n' || a == '\r') {
                                self.next_char();
                                continue;
                            }
                        }
                        if self.peek_char() == Some('"') {
                            self.next_char();
                            field.push('"');
                        } else {
                            quoted = !quoted;
                        }
                    }
                    '\\' => {
                        content = true;
                        match self.next_char() {
                            Some(next) if next == '\\' || next == '"' || next == self.delimiter => {
                                field.push(next)
                            }
                            Some('\n') => {
                                self.line += 1;
                                field.push('\n');
                            }
                            Some(next) => field.push(next),
                            None => {}
                        }
                    }
                    '\r' | '\n' if !quoted => {
                        if c == '\r' && self.peek_char() == Some('\n') {
                            self.next_char();
                        }
                        self.line += 1;
                        break;
                    }
                    c if c == self.delimiter && !quoted => {
                        content = true;
                        field_start = true;
                        fields.push(std::mem::take(&mut field));
                    }
                    c => {
                        if c == '\n' {
                            self.line += 1;
                        }
                        content = true;
                        field.push(c);
                    }
                }
            }
            if !content && field.is_empty() {
                continue;
            }
            fields.push(field);
            return Some(Ok(fields));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn records(text: &str) -> Vec<Vec<String>> {
        csv_records(text, Delimiter::Comma).unwrap()
    }

    fn reader(value: Value) -> Result<ItemReader, Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let reader = parse(&value, "/States/Map/ItemReader", &mut diagnostics);
        match reader {
            Some(r) if diagnostics.is_empty() => Ok(r),
            _ => Err(diagnostics),
        }
    }

    fn messages(value: Value) -> Vec<String> {
        reader(value)
            .unwrap_err()
            .into_iter()
            .map(|d| format!("{} at {}", d.message, d.location))
            .collect()
    }

    #[test]
    fn csv_fields_and_records() {
        assert_eq!(records("a,b\n1,2\n"), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(
            records("a,b\r\n1,2\r\n"),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
        assert_eq!(records("a,b"), vec![vec!["a", "b"]]);
        assert_eq!(records("a,,c,"), vec![vec!["a", "", "c", ""]]);
        assert_eq!(records(""), Vec::<Vec<String>>::new());
    }

    #[test]
    fn blank_lines_are_skipped() {
        assert_eq!(records("a\n\n\nb\n\n"), vec![vec!["a"], vec!["b"]]);
        assert_eq!(records("\r\n\r\na\r\n"), vec![vec!["a"]]);
    }

    #[test]
    fn quoted_fields_hold_delimiters_newlines_and_doubled_quotes() {
        assert_eq!(
            records("\"x, y\",\"line 1\nline 2\",\"say \"\"hi\"\"\"\n"),
            vec![vec!["x, y", "line 1\nline 2", "say \"hi\""]]
        );
        // A quoted field may hold a CRLF too.
        assert_eq!(records("\"a\r\nb\",c"), vec![vec!["a\r\nb", "c"]]);
        assert_eq!(records("\"\",x"), vec![vec!["", "x"]]);
    }

    #[test]
    fn the_aws_guide_example_row() {
        // From "How Step Functions parses input CSV files": doubled quotes outside quotes too.
        let row = "abc,123,\"This string contains commas, a double quotation marks (\"\"), and a newline (\n)\",{\"\"MyKey\"\":\"\"MyValue\"\"},\"[1,2,3]\"";
        assert_eq!(
            records(row),
            vec![vec![
                "abc",
                "123",
                "This string contains commas, a double quotation marks (\"), and a newline (\n)",
                "{\"MyKey\":\"MyValue\"}",
                "[1,2,3]"
            ]]
        );
    }

    #[test]
    fn backslashes_escape_backslashes_quotes_and_the_delimiter() {
        assert_eq!(
            records("path,size\nC:\\\\Program Files\\\\MyApp.exe,6534512\n"),
            vec![
                vec!["path", "size"],
                vec!["C:\\Program Files\\MyApp.exe", "6534512"]
            ]
        );
        assert_eq!(records("a\\,b,c"), vec![vec!["a,b", "c"]]);
        assert_eq!(records("say \\\"hi\\\""), vec![vec!["say \"hi\""]]);
        // Before any other character the backslash is dropped.
        assert_eq!(records("a\\bc"), vec![vec!["abc"]]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error() {
        let err = csv_records("a\n\"b,c\n", Delimiter::Comma).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn other_delimiters() {
        let cases = [
            (Delimiter::Pipe, "a|b,c"),
            (Delimiter::Semicolon, "a;b,c"),
            (Delimiter::Space, "a b,c"),
            (Delimiter::Tab, "a\tb,c"),
        ];
        for (delimiter, text) in cases {
            assert_eq!(
                csv_records(text, delimiter).unwrap(),
                vec![vec!["a", "b,c"]],
                "{delimiter:?}"
            );
        }
        // The comma is only a delimiter for COMMA; a quoted pipe is kept.
        assert_eq!(
            csv_records("\"a|b\"|c", Delimiter::Pipe).unwrap(),
            vec![vec!["a|b", "c"]]
        );
    }

    #[test]
    fn header_from_the_first_row_every_value_a_string() {
        let items = csv_items(
            "id,name,score\n1,Ann,9.5\n2,Bob,7\n",
            &CsvHeaders::FirstRow,
            Delimiter::Comma,
            usize::MAX,
        )
        .unwrap();
        assert_eq!(
            items,
            vec![
                json!({"id": "1", "name": "Ann", "score": "9.5"}),
                json!({"id": "2", "name": "Bob", "score": "7"}),
            ]
        );
        // The fields keep the header's order.
        let keys: Vec<&String> = items[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "name", "score"]);
    }

    #[test]
    fn given_headers_make_every_row_an_item() {
        let headers = CsvHeaders::Given(vec!["a".into(), "b".into()]);
        let items = csv_items("1,2\n3,4\n", &headers, Delimiter::Comma, usize::MAX).unwrap();
        assert_eq!(
            items,
            vec![json!({"a": "1", "b": "2"}), json!({"a": "3", "b": "4"})]
        );
    }

    #[test]
    fn short_rows_get_empty_strings_and_long_rows_lose_extra_fields() {
        let items = csv_items(
            "a,b,c\n1\n1,2,3,4,5\n",
            &CsvHeaders::FirstRow,
            Delimiter::Comma,
            usize::MAX,
        )
        .unwrap();
        assert_eq!(
            items,
            vec![
                json!({"a": "1", "b": "", "c": ""}),
                json!({"a": "1", "b": "2", "c": "3"}),
            ]
        );
    }

    #[test]
    fn a_header_alone_has_no_items_and_max_items_counts_data_rows() {
        let none = csv_items("a,b\n", &CsvHeaders::FirstRow, Delimiter::Comma, usize::MAX);
        assert_eq!(none.unwrap(), Vec::<Value>::new());
        let empty = csv_items("", &CsvHeaders::FirstRow, Delimiter::Comma, usize::MAX);
        assert_eq!(empty.unwrap(), Vec::<Value>::new());
        let two = csv_items("n\n1\n2\n3\n", &CsvHeaders::FirstRow, Delimiter::Comma, 2).unwrap();
        assert_eq!(two, vec![json!({"n": "1"}), json!({"n": "2"})]);
    }

    #[test]
    fn json_lines() {
        let items = json_lines_items("{\"a\":1}\n\n[2]\r\n\"three\"\n", usize::MAX).unwrap();
        assert_eq!(items, vec![json!({"a": 1}), json!([2]), json!("three")]);
        assert_eq!(
            json_lines_items("1\n2\n3", 2).unwrap(),
            vec![json!(1), json!(2)]
        );
        let err = json_lines_items("1\n{oops\n", usize::MAX).unwrap_err();
        assert!(
            err.starts_with("Line 2 of the JSONL object is not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn json_arrays_as_values_or_text() {
        assert_eq!(
            json_items(json!([1, {"a": 2}])).unwrap(),
            vec![json!(1), json!({"a": 2})]
        );
        assert_eq!(
            json_items(json!("[1, 2]")).unwrap(),
            vec![json!(1), json!(2)]
        );
        assert!(json_items(json!({"a": 1}))
            .unwrap_err()
            .contains("non-iterable"));
        assert!(json_items(json!("[1,"))
            .unwrap_err()
            .contains("not valid JSON"));
    }

    #[test]
    fn listed_objects_as_aws_hands_them_over() {
        let response = json!({"Contents": [
            {"Key": "images/1.jpg", "ETag": "\"abc\"", "LastModified": "2022-11-17T15:44:41Z", "Size": 34910, "StorageClass": "STANDARD"},
            {"Key": "images/2.jpg", "Etag": "\"def\"", "LastModified": 1668699881, "Size": 1}
        ]});
        assert_eq!(
            listed_objects(&response).unwrap(),
            vec![
                json!({"Etag": "\"abc\"", "Key": "images/1.jpg", "LastModified": 1668699881, "Size": 34910, "StorageClass": "STANDARD"}),
                json!({"Etag": "\"def\"", "Key": "images/2.jpg", "LastModified": 1668699881, "Size": 1, "StorageClass": "STANDARD"}),
            ]
        );
        assert_eq!(
            listed_objects(&json!({"KeyCount": 0})).unwrap(),
            Vec::<Value>::new()
        );
        assert!(listed_objects(&json!([{"Size": 1}]))
            .unwrap_err()
            .contains("no Key"));
    }

    #[test]
    fn items_dispatches_on_the_input_type_and_applies_max_items() {
        let csv =
            reader(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "CSV"}})).unwrap();
        assert_eq!(
            items(&csv, json!("a\n1\n2\n3"), Some(2)).unwrap(),
            vec![json!({"a": "1"}), json!({"a": "2"})]
        );
        assert_eq!(items(&csv, json!("a\n1\n2\n3"), Some(0)).unwrap().len(), 3);
        let err = items(&csv, json!([1]), None).unwrap_err();
        assert!(err.contains("must be a string"), "{err}");
        let json_reader = reader(
            json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSON", "MaxItems": 1}}),
        )
        .unwrap();
        assert_eq!(
            items(&json_reader, json!([7, 8]), Some(1)).unwrap(),
            vec![json!(7)]
        );
        let list = reader(
            json!({"Resource": LIST_OBJECTS_V2, "Parameters": {"Bucket": "b", "Prefix": "p/"}}),
        )
        .unwrap();
        assert_eq!(
            items(&list, json!([{"Key": "p/a"}, {"Key": "p/b"}]), Some(1))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn parses_a_full_reader() {
        let r = reader(json!({
            "Resource": GET_OBJECT,
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE", "MaxItemsPath": "$.max"},
            "Parameters": {"Bucket": "b", "Key.$": "$.key"}
        }))
        .unwrap();
        assert_eq!(r.source, Source::GetObject);
        assert_eq!(r.config.input_type, Some(InputType::Csv));
        assert_eq!(
            r.config.csv_headers,
            CsvHeaders::Given(vec!["a".into(), "b".into()])
        );
        assert_eq!(r.config.delimiter, Delimiter::Pipe);
        assert!(matches!(r.config.max_items, Some(Count::Path(_))));
        assert!(r.parameters.is_some());
        // Any partition.
        let gov = reader(
            json!({"Resource": "arn:aws-us-gov:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}}),
        );
        assert_eq!(gov.unwrap().source, Source::ListObjectsV2);
    }

    #[test]
    fn reader_problems_worded_and_located() {
        assert_eq!(
            messages(json!({"Resource": "arn:aws:states:::s3:putObject", "ReaderConfig": {"InputType": "CSV"}})),
            ["The resource provided arn:aws:states:::s3:putObject is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/Map/ItemReader/Resource"]
        );
        assert_eq!(
            messages(json!({"ReaderConfig": {"InputType": "CSV"}})),
            ["These fields are required: [Resource] at /States/Map/ItemReader"]
        );
        assert_eq!(
            messages(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "XML"}})),
            ["The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST] at /States/Map/ItemReader/ReaderConfig/InputType"]
        );
        assert_eq!(
            messages(json!({"Resource": GET_OBJECT})),
            ["These fields are required: [ReaderConfig] at /States/Map/ItemReader"]
        );
        assert_eq!(
            messages(
                json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}})
            ),
            ["These fields are required: [CSVHeaders] at /States/Map/ItemReader/ReaderConfig"]
        );
        assert_eq!(
            messages(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "CSV", "CSVDelimiter": "COLON"}})),
            ["The field 'CSVDelimiter' should have one of these values: [COMMA, PIPE, SEMICOLON, SPACE, TAB] at /States/Map/ItemReader/ReaderConfig/CSVDelimiter"]
        );
        assert_eq!(
            messages(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSON", "CSVHeaderLocation": "FIRST_ROW"}})),
            ["The field 'CSVHeaderLocation' is only supported when the InputType is CSV at /States/Map/ItemReader/ReaderConfig/CSVHeaderLocation"]
        );
        assert_eq!(
            messages(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSON", "MaxItems": 1, "MaxItemsPath": "$.n"}})),
            ["The fields 'MaxItems' and 'MaxItemsPath' are mutually exclusive at /States/Map/ItemReader/ReaderConfig"]
        );
        assert_eq!(
            messages(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSON", "MaxItems": -1}})),
            ["The field 'MaxItems' must be an integer between 0 and 100000000 at /States/Map/ItemReader/ReaderConfig/MaxItems"]
        );
        assert_eq!(
            messages(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Key.$": "not a path"}})),
            ["The value for the field 'Key.$' must be a valid JSONPath or a valid intrinsic function call at /States/Map/ItemReader/Parameters"]
        );
        assert_eq!(
            messages(
                json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSON"}, "Bucket": "b"})
            ),
            ["Field 'Bucket' is not supported at /States/Map/ItemReader/Bucket"]
        );
        let unsupported =
            reader(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "MANIFEST"}}))
                .unwrap_err();
        assert_eq!(unsupported.len(), 1);
        assert_eq!(unsupported[0].code, DiagnosticCode::Unsupported);
    }

    #[test]
    fn a_stream_makes_the_items_one_at_a_time_and_starts_over() {
        let csv =
            reader(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "CSV"}})).unwrap();
        let mut stream =
            ItemStream::open(&csv, json!("\u{feff}a,b\n1,2\n\n\"x\ny\",3\n"), None).unwrap();
        assert_eq!(stream.len(), 2);
        assert_eq!(stream.next(), Some(json!({"a": "1", "b": "2"})));
        assert_eq!(stream.next(), Some(json!({"a": "x\ny", "b": "3"})));
        assert_eq!(stream.next(), None);
        stream.rewind();
        assert_eq!(stream.count(), 2);

        let jsonl = reader(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSONL"}}))
            .unwrap();
        let mut stream = ItemStream::open(&jsonl, json!("1\n\n{\"a\":2}\n3"), Some(2)).unwrap();
        assert_eq!(stream.len(), 2);
        assert_eq!(
            stream.by_ref().collect::<Vec<_>>(),
            vec![json!(1), json!({"a": 2})]
        );
        stream.rewind();
        assert_eq!(stream.next(), Some(json!(1)));

        let given = reader(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["n"]}})).unwrap();
        let stream = ItemStream::open(&given, json!("1\n2\n3\n"), Some(2)).unwrap();
        assert_eq!(
            stream.collect::<Vec<_>>(),
            vec![json!({"n": "1"}), json!({"n": "2"})]
        );
    }

    #[test]
    fn a_stream_checks_the_whole_object_when_opened() {
        let csv =
            reader(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "CSV"}})).unwrap();
        let err = ItemStream::open(&csv, json!("a\n1\n2\n\"3\n"), None).unwrap_err();
        assert!(err.contains("line 4"), "{err}");
        // Past MaxItems nothing is read.
        assert_eq!(
            ItemStream::open(&csv, json!("a\n1\n\"2\n"), Some(1))
                .unwrap()
                .len(),
            1
        );
        let jsonl = reader(json!({"Resource": GET_OBJECT, "ReaderConfig": {"InputType": "JSONL"}}))
            .unwrap();
        assert!(ItemStream::open(&jsonl, json!("1\nx\n"), None).is_err());
    }

    #[test]
    fn location_names_the_object() {
        assert_eq!(
            location(&json!({"Bucket": "b", "Key": "k.csv"})),
            "s3://b/k.csv"
        );
        assert_eq!(
            location(&json!({"Bucket": "b", "Prefix": "p/"})),
            "s3://b/p/"
        );
    }

    #[test]
    fn a_large_csv_reads_quickly() {
        let mut text = String::from("id,name\n");
        for i in 0..100_000 {
            text.push_str(&format!("{i},item {i}\n"));
        }
        let items = csv_items(&text, &CsvHeaders::FirstRow, Delimiter::Comma, usize::MAX).unwrap();
        assert_eq!(items.len(), 100_000);
        assert_eq!(items[99_999], json!({"id": "99999", "name": "item 99999"}));
    }
}
