//! The JSONata rows of `cargo xtask bench`: one expression, compiled once, evaluated
//! `iterations` times over one input, by our `jsonata` crate (natively and in wasm) and by
//! jsonata-js 2.0.6 (bench/driver.mjs). Ours converts the input into its own values once, in
//! the timed part (as a host evaluating many expressions over one input does, with
//! [`jsonata::Data`]); jsonata-js reads the JavaScript object as it is.
//!
//! A JSONata workload file is one JSON object:
//!
//! ```json
//! {"kind": "jsonata", "id": "jsonata-sort", "label": "…", "expression": "…",
//!  "input": {…}, "iterations": 40}
//! ```

use crate::Report;
use serde_json::{json, Value};

/// The JSONata test suite's dataset5 (the Account/Order/Product document), read at run time
/// from the shared conformance checkout next to the repository; never copied into it.
pub const DATASET5: &str = "../shared/conformance/jsonata/datasets/dataset5.json";

/// One JSONata workload.
#[derive(Debug, Clone)]
pub struct JsonataWorkload {
    pub id: String,
    pub label: String,
    pub expression: String,
    pub input: Value,
    pub iterations: u32,
}

fn workload(
    id: &str,
    what: &str,
    expression: &str,
    input: Value,
    iterations: u32,
) -> JsonataWorkload {
    JsonataWorkload {
        id: format!("jsonata-{id}"),
        label: format!("{what} ×{}", crate::thousands(u64::from(iterations))),
        expression: expression.to_string(),
        input,
        iterations,
    }
}

/// 10,000 generated items: `{"id", "name", "price", "qty", "tags"}`, in a scrambled order.
pub fn items(n: u32) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            // A fixed permutation-ish scramble, so $sort has work to do.
            let k = (i.wrapping_mul(7919) + 13) % n;
            json!({
                "id": k,
                "name": format!("item-{:05}", (k * 31) % n),
                "price": f64::from(k % 997) / 4.0,
                "qty": k % 13,
                "tags": [format!("t{}", k % 5), format!("g{}", k % 3)],
            })
        })
        .collect();
    json!({ "items": items })
}

/// Generated text: `n` lines of words, each like `"alpha bravo-17 charlie, delta …"`.
pub fn text_lines(n: u32) -> Value {
    const WORDS: [&str; 12] = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliett", "kilo", "lima",
    ];
    let lines: Vec<Value> = (0..n)
        .map(|i| {
            let words: Vec<String> = (0..8)
                .map(|j| {
                    let w = WORDS[((i * 5 + j * 7) % 12) as usize];
                    if (i + j) % 4 == 0 {
                        format!("{w}-{}", (i * 13 + j) % 100)
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            Value::from(words.join(" "))
        })
        .collect();
    json!({ "lines": lines })
}

/// The JSONata workloads, in the table's order. `dataset5` is the suite's dataset5 (`None`
/// when it was not found: its rows are left out).
pub fn jsonata_workloads(dataset5: Option<&Value>) -> Vec<JsonataWorkload> {
    let mut all = Vec::new();
    if let Some(d5) = dataset5 {
        all.push(workload(
            "path-predicate",
            "dataset5: Account.Order.Product[Price > 30].SKU",
            "Account.Order.Product[Price > 30].SKU",
            d5.clone(),
            50_000,
        ));
        all.push(workload(
            "path-map",
            "dataset5: Account.Order[0].Product.(Price * Quantity)",
            "Account.Order[0].Product.(Price * Quantity)",
            d5.clone(),
            50_000,
        ));
        all.push(workload(
            "path-sum",
            "dataset5: $sum(Account.Order.Product.(Price*Quantity))",
            "$sum(Account.Order.Product.(Price*Quantity))",
            d5.clone(),
            50_000,
        ));
    }
    let items = items(10_000);
    all.push(workload(
        "sort",
        "10,000 items: $sort(items, λ($a,$b){$a.price > $b.price}).id",
        "$sort(items, function($a, $b) { $a.price > $b.price }).id",
        items.clone(),
        1,
    ));
    all.push(workload(
        "map",
        "10,000 items: $map(items, λ($v,$i){…})",
        "$map(items, function($v, $i) { {\"n\": $v.name, \"total\": $v.price * $v.qty, \"i\": $i} })",
        items.clone(),
        5,
    ));
    all.push(workload(
        "reduce",
        "10,000 items: $reduce(items, λ($acc,$v){$acc + $v.price * $v.qty}, 0)",
        "$reduce(items, function($acc, $v) { $acc + $v.price * $v.qty }, 0)",
        items,
        10,
    ));
    all.push(workload(
        "strings",
        "1,000 lines: $uppercase/$substring/$split/$join/$replace/$contains/$pad",
        "lines.(\n  $w := $split($, \" \");\n  {\n    \"u\": $uppercase($substring($, 0, 12)),\n    \"j\": $join($w[$contains($, \"-\")], \"+\"),\n    \"r\": $replace($, \"a\", \"4\"),\n    \"p\": $pad($string($count($w)), -4, \"0\") & $pad($w[0], 10, \".\")\n  }\n)",
        text_lines(1_000),
        10,
    ));
    all
}

impl JsonataWorkload {
    /// The workload file's JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "kind": "jsonata",
            "id": self.id,
            "label": self.label,
            "expression": self.expression,
            "input": self.input,
            "iterations": self.iterations,
        })
    }

    /// Reads a workload file's JSON.
    pub fn from_json(value: &Value) -> Result<JsonataWorkload, String> {
        let text = |key: &str| {
            value[key]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("JSONata workload file: \"{key}\" must be a string"))
        };
        Ok(JsonataWorkload {
            id: text("id")?,
            label: text("label")?,
            expression: text("expression")?,
            input: value["input"].clone(),
            iterations: value["iterations"]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("JSONata workload file: \"iterations\" must be a count")?,
        })
    }
}

/// Compiles the expression and converts the input once, then evaluates it `iterations` times.
/// The report's status is
/// `OK` (or `ERROR` with the error's code and message); its output is the last result
/// (`None` when undefined).
pub fn run_jsonata(w: &JsonataWorkload) -> Result<Report, String> {
    let expr = match jsonata::Expression::compile(&w.expression) {
        Ok(expr) => expr,
        Err(e) => {
            return Ok(Report {
                status: "ERROR".into(),
                events: 0,
                output: None,
                error: Some(format!("compile: {e}")),
            })
        }
    };
    let bindings = jsonata::Bindings::new();
    let input = jsonata::Data::from_json(&w.input);
    let mut last = None;
    for _ in 0..w.iterations {
        match expr.evaluate_data(Some(&input), &bindings) {
            Ok(value) => last = value,
            Err(e) => {
                return Ok(Report {
                    status: "ERROR".into(),
                    events: 0,
                    output: None,
                    error: Some(e.to_string()),
                })
            }
        }
    }
    Ok(Report {
        status: "OK".into(),
        events: 0,
        output: last,
        error: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_jsonata_workloads_evaluate() {
        let d5 = json!({"Account": {"Order": [{"Product": [{"Price": 34.45, "Quantity": 2, "SKU": "a"}]}]}});
        for mut w in jsonata_workloads(Some(&d5)) {
            w.iterations = 1;
            let w = JsonataWorkload::from_json(&w.to_json()).unwrap();
            let report = run_jsonata(&w).unwrap();
            assert_eq!(report.status, "OK", "{}: {:?}", w.id, report.error);
            assert!(report.output.is_some(), "{}", w.id);
        }
    }
}
