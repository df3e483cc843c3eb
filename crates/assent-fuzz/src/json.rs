//! Structure-aware inputs as JSON trees: arbitrary values, and mutations of
//! a seed's tree (a policy, a page configuration, a rights body) at one
//! random place, so most inputs still parse and reach the checks behind the
//! parser. TOML seeds go through the same trees ([`to_toml`]).

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};

/// Strings that break careless code: separators of the formats under test,
/// whitespace JavaScript and Rust disagree on (U+0085, U+FEFF), a character
/// JavaScript lowercases to ASCII (U+212A KELVIN SIGN), surrogates' neighbours,
/// escapes, and very long or empty text.
pub const SPICE: &[&str] = &[
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u{0}",
    "\u{1f}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "\u{3000}",
    "\u{212a}",
    "\u{130}",
    "\u{17f}",
    "\u{ffff}",
    "\u{10000}",
    "😀",
    "é",
    "\"",
    "\\",
    "'",
    ".",
    ",",
    "~",
    "+",
    "-",
    "_",
    "=",
    "[",
    "]",
    "{",
    "}",
    "#",
    "0",
    "-0",
    "1e21",
    "9007199254740991",
    "9007199254740992",
    "18446744073709551616",
    "4294967296",
    "2026-02-30",
    "not-stated",
];

/// A string: a dictionary word, a spice, arbitrary text, or a mix.
pub fn string(u: &mut Unstructured<'_>, dictionary: &[&str]) -> Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0 | 1 if !dictionary.is_empty() => (*u.choose(dictionary)?).to_owned(),
        2 => (*u.choose(SPICE)?).to_owned(),
        3 => u.arbitrary::<String>()?,
        4 => {
            let mut s = String::new();
            for _ in 0..u.int_in_range(1..=4)? {
                s.push_str(&string(u, dictionary)?);
            }
            s
        }
        _ => {
            let word = if dictionary.is_empty() {
                "x"
            } else {
                u.choose(dictionary)?
            };
            word.repeat(u.int_in_range(1..=300)?)
        }
    })
}

/// A number: small, at the edges of what JavaScript and u32/u64 hold, or a float.
pub fn number(u: &mut Unstructured<'_>) -> Result<Value> {
    const EDGES: &[i64] = &[
        0,
        1,
        -1,
        2,
        182,
        395,
        396,
        u32::MAX as i64,
        u32::MAX as i64 + 1,
        (1 << 53) - 1,
        1 << 53,
        i64::MAX,
        i64::MIN,
    ];
    Ok(match u.int_in_range(0..=4)? {
        0 => Value::from(*u.choose(EDGES)?),
        1 => Value::from(u.arbitrary::<u64>()?),
        2 => Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        3 => Value::from(u.arbitrary::<i64>()?),
        _ => Value::from(u.int_in_range(0..=1000)?),
    })
}

/// An arbitrary JSON value of at most `depth` levels.
pub fn value(u: &mut Unstructured<'_>, dictionary: &[&str], depth: u32) -> Result<Value> {
    let top = if depth == 0 { 3 } else { 5 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Value::String(string(u, dictionary)?),
        1 => number(u)?,
        2 => Value::Bool(u.arbitrary()?),
        3 => Value::Null,
        4 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array(
                (0..n)
                    .map(|_| value(u, dictionary, depth - 1))
                    .collect::<Result<_>>()?,
            )
        }
        _ => {
            let mut map = Map::new();
            for _ in 0..u.int_in_range(0..=4)? {
                map.insert(string(u, dictionary)?, value(u, dictionary, depth - 1)?);
            }
            Value::Object(map)
        }
    })
}

/// Every place in `tree` (a path of object keys and array indexes), the root first.
fn places(tree: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match tree {
        Value::Object(map) => {
            for (k, v) in map {
                at.push(Step::Key(k.clone()));
                places(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                places(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(tree: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(tree, |node, step| match (step, node) {
        (Step::Key(k), Value::Object(map)) => map.get_mut(k),
        (Step::Index(i), Value::Array(items)) => items.get_mut(*i),
        _ => None,
    })
}

/// Changes `tree` at one to three random places: a value replaced (by an
/// arbitrary one, a copy of another place, or one of another type), a member
/// or element removed or duplicated, a dictionary key added.
pub fn mutate(u: &mut Unstructured<'_>, tree: &mut Value, dictionary: &[&str]) -> Result<()> {
    for _ in 0..u.int_in_range(1..=3)? {
        let mut all = Vec::new();
        places(tree, &mut Vec::new(), &mut all);
        let path = u.choose(&all)?.clone();
        let donor = at_mut(tree, u.choose(&all)?).map(|v| v.clone());
        let Some(node) = at_mut(tree, &path) else {
            continue;
        };
        match u.int_in_range(0..=6)? {
            0 => *node = value(u, dictionary, 2)?,
            1 => *node = donor.unwrap_or(Value::Null),
            2 => match node {
                Value::Object(map) if !map.is_empty() => {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    map.remove(u.choose(&keys)?);
                }
                Value::Array(items) if !items.is_empty() => {
                    items.remove(u.choose_index(items.len())?);
                }
                _ => *node = Value::Null,
            },
            3 => match node {
                Value::Array(items) if !items.is_empty() => {
                    let i = u.choose_index(items.len())?;
                    let copy = items[i].clone();
                    items.insert(i, copy);
                }
                Value::Object(map) => {
                    map.insert(string(u, dictionary)?, value(u, dictionary, 1)?);
                }
                _ => *node = Value::Array(vec![node.clone()]),
            },
            4 => {
                let other = match &*node {
                    Value::String(s) => s.parse::<i64>().map_or(Value::Null, Value::from),
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::Bool(b) => Value::String(b.to_string()),
                    other => Value::String(other.to_string()),
                };
                *node = other;
            }
            5 => {
                if let Value::String(s) = node {
                    let mut text = s.clone();
                    let spice = string(u, dictionary)?;
                    let mut at = u.int_in_range(0..=text.len())?;
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    text.insert_str(at, &spice);
                    *s = text;
                } else {
                    *node = Value::String(string(u, dictionary)?);
                }
            }
            _ => *node = number(u)?,
        }
    }
    Ok(())
}

/// `tree` as a TOML document, when it can be one: nulls become empty
/// strings (TOML has no null); a root that is not a table cannot.
pub fn to_toml(tree: &Value) -> Option<String> {
    fn without_nulls(v: &Value) -> Value {
        match v {
            Value::Null => Value::String(String::new()),
            Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), without_nulls(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let table: toml::Table = serde_json::from_value(without_nulls(tree)).ok()?;
    toml::to_string(&table).ok()
}

/// A TOML document as a JSON tree (its dates as strings).
pub fn from_toml(text: &str) -> Option<Value> {
    let table: toml::Table = toml::from_str(text).ok()?;
    serde_json::to_value(table).ok()
}
