//! The Java behaviour AWS's intrinsic functions show through.
//!
//! AWS runs intrinsics in Java on plain Java objects (Jackson's untyped model: `LinkedHashMap`,
//! `ArrayList`, `String`, `Integer`/`Long`/`BigInteger`, `Double`, `Boolean`, `null`). That
//! shows in the results:
//!
//! - `States.Format` prints an object as `{Arg1=1, Arg2=[]}` — `AbstractMap.toString` — and a
//!   number as `Double.toString` does ([`to_java_string`]);
//! - `States.ArrayUnique` returns a `HashSet`'s iteration order, not first-seen order
//!   ([`hash_set_order`]);
//! - a seeded `States.MathRandom` is `java.util.Random` ([`JavaRandom`]);
//! - `States.JsonToString` is Jackson's compact writer ([`to_jackson_json`], shared in `crate::java`).
//!
//! Numbers map to Java types the way Jackson reads JSON text: an integer that fits an `int` is
//! an `Integer`, then `Long`, then `BigInteger`; anything with a fraction or exponent is a
//! `Double`. serde_json keeps the same split (`i64`/`u64` vs `f64`).

use serde_json::{Number, Value};
use std::fmt::Write;

pub use crate::java::{double_to_string, jackson_json as to_jackson_json};

/// A JSON number as the Java object Jackson would have made of it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum JavaNumber {
    Integer(i32),
    Long(i64),
    /// A `BigInteger` above `Long.MAX_VALUE` (serde_json keeps up to `u64::MAX` exactly).
    BigInteger(u64),
    Double(f64),
}

fn java_number(n: &Number) -> JavaNumber {
    if let Some(i) = n.as_i64() {
        match i32::try_from(i) {
            Ok(small) => JavaNumber::Integer(small),
            Err(_) => JavaNumber::Long(i),
        }
    } else if let Some(u) = n.as_u64() {
        JavaNumber::BigInteger(u)
    } else {
        JavaNumber::Double(n.as_f64().unwrap_or(0.0))
    }
}

/// `Object.equals` on the Java model: `1` and `1.0` differ (`Integer` vs `Double`), so do `0.0`
/// and `-0.0` (`Double.equals` compares bits); maps compare regardless of key order.
pub fn java_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => match (java_number(x), java_number(y)) {
            (JavaNumber::Double(p), JavaNumber::Double(q)) => p.to_bits() == q.to_bits(),
            (p, q) => p == q,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| java_equals(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| java_equals(v, w)))
        }
        _ => false,
    }
}

/// `String.hashCode`: over UTF-16 code units.
fn string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// `Objects.hashCode` on the Java model.
pub fn java_hash(value: &Value) -> i32 {
    match value {
        Value::Null => 0,
        Value::Bool(true) => 1231,
        Value::Bool(false) => 1237,
        Value::String(s) => string_hash(s),
        Value::Number(n) => match java_number(n) {
            JavaNumber::Integer(i) => i,
            JavaNumber::Long(l) => (l ^ ((l as u64) >> 32) as i64) as i32,
            JavaNumber::BigInteger(u) => {
                // BigInteger.hashCode: 31-fold over the big-endian 32-bit magnitude words.
                let words = [(u >> 32) as u32, u as u32];
                words.iter().fold(0i32, |h, &w| {
                    (31i64.wrapping_mul(i64::from(h)).wrapping_add(i64::from(w))) as i32
                })
            }
            JavaNumber::Double(d) => {
                let bits = d.to_bits();
                (bits ^ (bits >> 32)) as i32
            }
        },
        // List.hashCode.
        Value::Array(items) => items.iter().fold(1i32, |h, item| {
            h.wrapping_mul(31).wrapping_add(java_hash(item))
        }),
        // Map.hashCode: the sum of key.hashCode() ^ value.hashCode().
        Value::Object(map) => map.iter().fold(0i32, |h, (k, v)| {
            h.wrapping_add(string_hash(k) ^ java_hash(v))
        }),
    }
}

/// The order in which `new HashSet<>(list)` iterates the distinct elements of `items`: the
/// indices of the kept elements (the first of each group of equal ones).
///
/// A faithful model of `java.util.HashMap` placement: the table starts at
/// `tableSizeFor(max(n / .75f + 1, 16))` buckets, a key's bucket is its spread hash
/// (`h ^ (h >>> 16)`) masked by the table size, a bucket keeps insertion order, a bucket that
/// grows past 8 entries while the table is under 64 buckets doubles the table, and so does
/// passing 3/4 load. Not modelled: the red-black tree a bucket becomes past 8 entries in a
/// table of 64 or more, whose iteration order depends on identity hash codes (not
/// reproducible); those entries keep insertion order here.
pub fn hash_set_order(items: &[Value]) -> Vec<usize> {
    const TREEIFY_THRESHOLD: usize = 8;
    const MIN_TREEIFY_CAPACITY: usize = 64;
    const MAX_CAPACITY: usize = 1 << 30;

    fn table_size_for(c: usize) -> usize {
        c.max(1).next_power_of_two().min(MAX_CAPACITY)
    }
    fn resize(table: &mut Vec<Vec<(u32, usize)>>) {
        let old_cap = table.len();
        if old_cap >= MAX_CAPACITY {
            return;
        }
        let mut bigger: Vec<Vec<(u32, usize)>> = vec![Vec::new(); old_cap * 2];
        for (j, bucket) in table.iter().enumerate() {
            for &(hash, index) in bucket {
                let target = if hash as usize & old_cap == 0 {
                    j
                } else {
                    j + old_cap
                };
                bigger[target].push((hash, index));
            }
        }
        *table = bigger;
    }

    let initial = (((items.len() as f32) / 0.75f32) as usize + 1).max(16);
    let mut table: Vec<Vec<(u32, usize)>> = vec![Vec::new(); table_size_for(initial)];
    let mut size = 0usize;
    for (index, item) in items.iter().enumerate() {
        let h = java_hash(item) as u32;
        let hash = h ^ (h >> 16);
        let bucket = hash as usize & (table.len() - 1);
        let entries = &table[bucket];
        if entries
            .iter()
            .any(|&(other_hash, other)| other_hash == hash && java_equals(&items[other], item))
        {
            continue;
        }
        let before = entries.len();
        table[bucket].push((hash, index));
        if before >= TREEIFY_THRESHOLD && table.len() < MIN_TREEIFY_CAPACITY {
            resize(&mut table);
        }
        size += 1;
        if size > table.len() / 4 * 3 {
            resize(&mut table);
        }
    }
    table
        .into_iter()
        .flat_map(|bucket| bucket.into_iter().map(|(_, index)| index))
        .collect()
}

fn write_number(n: &Number, out: &mut String) {
    match java_number(n) {
        JavaNumber::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        JavaNumber::Long(l) => {
            let _ = write!(out, "{l}");
        }
        JavaNumber::BigInteger(u) => {
            let _ = write!(out, "{u}");
        }
        JavaNumber::Double(d) => out.push_str(&double_to_string(d)),
    }
}

/// `String.valueOf(object)` on the Java model: a string as is, `null`, `true`, `1`, `1.1`,
/// `[1, a, null]` (`AbstractCollection.toString`), `{Arg1=1, Arg2=[]}` (`AbstractMap.toString`).
pub fn to_java_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        _ => {
            let mut out = String::new();
            write_java(value, &mut out);
            out
        }
    }
}

fn write_java(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_java(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                write_java(v, out);
            }
            out.push('}');
        }
    }
}

/// `Math.round(double)`: the closest `long`, halves toward positive infinity (`-0.5` → `0`,
/// `-1.5` → `-1`, `2.5` → `3`), saturating at the `long` range, `NaN` → `0`.
pub fn round(x: f64) -> i64 {
    if x.is_nan() {
        return 0;
    }
    let floor = x.floor();
    // x - floor(x) is exact for every double, so the tie test is too.
    let rounded = if x - floor >= 0.5 { floor + 1.0 } else { floor };
    rounded as i64 // `as` saturates like Java's (long) cast
}

/// `(long) x`: toward zero, saturating, `NaN` → `0`.
pub fn truncate(x: f64) -> i64 {
    x as i64
}

/// `java.util.Random`: the 48-bit linear congruential generator, bit for bit.
pub struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    pub fn new(seed: i64) -> Self {
        JavaRandom {
            seed: (seed as u64 ^ Self::MULTIPLIER) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB) & Self::MASK;
        (self.seed >> (48 - bits)) as i32
    }

    /// `nextInt()`.
    #[cfg(test)]
    pub fn next_int(&mut self) -> i32 {
        self.next(32)
    }

    /// `nextInt(bound)`, `bound > 0`.
    pub fn next_int_bounded(&mut self, bound: i32) -> i32 {
        debug_assert!(bound > 0);
        let mut r = self.next(31);
        let m = bound - 1;
        if bound & m == 0 {
            return ((i64::from(bound) * i64::from(r)) >> 31) as i32;
        }
        let mut u = r;
        loop {
            r = u % bound;
            if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                return r;
            }
            u = self.next(31);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn doubles_print_like_java() {
        let cases = [
            (1.0, "1.0"),
            (1.1, "1.1"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1e7, "1.0E7"),
            (9999999.0, "9999999.0"),
            (1.2345e-5, "1.2345E-5"),
            (-2.5, "-2.5"),
            (1e20, "1.0E20"),
            (123456789.125, "1.23456789125E8"),
            (-0.0, "-0.0"),
        ];
        for (d, text) in cases {
            assert_eq!(double_to_string(d), text, "{d}");
        }
    }

    #[test]
    fn java_random_matches_known_sequences() {
        // Well-known values of new Random(seed).nextInt().
        assert_eq!(JavaRandom::new(42).next_int(), -1170105035);
        assert_eq!(JavaRandom::new(0).next_int(), -1155484576);
    }

    // Expected values in the tests below were printed by OpenJDK 17 (`java.util.Random`,
    // `new ArrayList<>(new HashSet<>(list))`, `hashCode`).

    #[test]
    fn java_random_bounded_matches_openjdk() {
        let seeds = [0, 1, 42, -10, 123456789, i64::MIN, 3];
        let bounds = [1, 2, 7, 10, 100, 999, 1000, 1 << 20, i32::MAX, 16, 3];
        let expected = "0,1,5,0,60,672,360,766475,1569741360,11,0,0,1,4,5,85,105,985,766381,\
            1569548985,11,0,0,1,1,0,30,125,130,762905,1562431130,11,2,0,0,0,3,83,144,283,282852,\
            579281283,4,0,0,1,1,5,65,403,965,696294,1426010965,10,1,0,1,5,0,60,672,360,766475,\
            1569741360,11,0,0,1,5,4,34,239,734,766569,1569933734,11,2";
        let mut got = Vec::new();
        for seed in seeds {
            for bound in bounds {
                got.push(JavaRandom::new(seed).next_int_bounded(bound).to_string());
            }
        }
        assert_eq!(got.join(","), expected);
    }

    fn unique(items: Value) -> Value {
        let items = items.as_array().unwrap();
        Value::Array(
            hash_set_order(items)
                .into_iter()
                .map(|i| items[i].clone())
                .collect(),
        )
    }

    #[test]
    fn hash_set_order_matches_openjdk() {
        assert_eq!(
            unique(json!([true, false, true, false])),
            json!([false, true])
        );
        assert_eq!(
            unique(json!([[1, 2], [1, 2], [2, 1]])),
            json!([[2, 1], [1, 2]])
        );
        assert_eq!(unique(json!([null, null, 1, null])), json!([null, 1]));
        // Nine keys in one bucket of a 16-bucket table: the table doubles instead of treeifying.
        assert_eq!(
            unique(json!([0, 16, 32, 48, 64, 80, 96, 112, 128])),
            json!([0, 32, 64, 96, 128, 16, 48, 80, 112])
        );
        assert_eq!(
            unique(json!([
                0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 5, 3
            ])),
            json!([
                0, 64, 128, 192, 256, 3, 5, 16, 80, 144, 208, 32, 96, 160, 224, 48, 112, 176, 240
            ])
        );
        let strings: Vec<Value> = (0..30).map(|i| json!(format!("s{}", i * 7 % 13))).collect();
        assert_eq!(
            unique(Value::Array(strings)),
            json!([
                "s11", "s10", "s12", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"
            ])
        );
        let mixed = json!([null, null, true, true, false, false, 1, 1, 1.1, 0, "HelloWorld",
            "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2},
            {"a": 1, "b": 1}, 10000000000i64, -1, -5.5, 0.0, -0.0]);
        assert_eq!(
            unique(mixed),
            json!([null, 0, {"a": 1, "b": 2}, -1, 0.0, -0.0, 1, [], {"a": 1, "b": 1},
                10000000000i64, true, false, -5.5, [null], 1.1, "HelloWorld"])
        );
    }

    #[test]
    fn java_strings_match_openjdk() {
        assert_eq!(to_java_string(&json!({"a": 1, "b": 2})), "{a=1, b=2}");
        assert_eq!(
            to_java_string(&json!([1, "a", null, {"a": 1, "b": 1}, 1.5])),
            "[1, a, null, {a=1, b=1}, 1.5]"
        );
        assert_eq!(double_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(double_to_string(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(double_to_string(12345678.9), "1.23456789E7");
        assert_eq!(
            double_to_string(1.7976931348623157e308),
            "1.7976931348623157E308"
        );
        assert_eq!(double_to_string(5e-324), "4.9E-324");
        // Where JDK 17's FloatingDecimal is not shortest (2.82879384806159008E17,
        // 9.999999999999999E22), this follows JDK 19+, which is.
        assert_eq!(double_to_string(1e23), "1.0E23");
    }

    #[test]
    fn hashes_follow_java() {
        assert_eq!(java_hash(&json!(10000000000i64)), 1410065410);
        assert_eq!(java_hash(&json!(1.1)), -1503133693);
        assert_eq!(java_hash(&json!(18446744073709551615u64)), -32);
        assert_eq!(java_hash(&json!(9223372036854775808u64)), -2147483648);
        assert_eq!(java_hash(&json!({"a": 1, "b": 2})), 192);
        assert_eq!(java_hash(&json!("hello")), 99162322);
        assert_eq!(java_hash(&json!([1, 2])), 994);
        assert_eq!(java_hash(&json!(true)), 1231);
    }

    #[test]
    fn rounds_like_math_round() {
        let cases = [
            (0.5, 1),
            (-0.5, 0),
            (1.5, 2),
            (-1.5, -1),
            (2.5, 3),
            (-2.5, -2),
            (0.49999999999999994, 0),
            (1.49, 1),
        ];
        for (x, r) in cases {
            assert_eq!(round(x), r, "{x}");
        }
    }
}
