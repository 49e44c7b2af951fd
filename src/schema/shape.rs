//! Walking a JSON Schema by hand: which keys it allows at a place, and what
//! the elements of a list (or the values of a map) look like. Used to check
//! the paths of rules at load, and to draw "did you mean" hints.
//!
//! The walk is conservative: whatever it does not understand (a `$ref` to
//! another document, an `if`/`then`, several `anyOf` branches that disagree)
//! counts as "anything goes here", so it never refuses a path the schema
//! might allow.

use serde_json::Value;

/// References followed in a row before giving up (a `$ref` loop).
const MAX_REFS: usize = 32;

/// Subschemas one question may visit: a schema whose branches refer back to
/// itself gets a conservative answer rather than a walk that never ends.
const MAX_VISITS: usize = 256;

/// What the schema says about a key read at a place.
#[derive(Clone, Debug)]
pub enum Lookup<'s> {
    /// The key is allowed and described by this subschema.
    Known(&'s Value),
    /// The key may be there but nothing below it is checked.
    Any,
    /// The schema allows no such key; these are the keys it does allow.
    NotAllowed(Vec<&'s str>),
}

/// `node` with its `$ref`s followed (only references inside the same document,
/// `#/$defs/…` and the like); `None` for a reference that leads elsewhere.
pub fn resolve<'s>(root: &'s Value, mut node: &'s Value) -> Option<&'s Value> {
    for _ in 0..MAX_REFS {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Some(node);
        };
        let pointer = reference.strip_prefix('#')?;
        node = root.pointer(&decode_pointer(pointer))?;
    }
    None
}

/// Percent-escapes in a `$ref` fragment (`#/$defs/%E6%94%AF`) decoded; JSON
/// pointer escapes (`~0`, `~1`) are left for `Value::pointer`.
fn decode_pointer(fragment: &str) -> String {
    if !fragment.contains('%') {
        return fragment.to_owned();
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Takes one visit from `budget`; false when none is left.
fn spend(budget: &mut usize) -> bool {
    *budget = budget.saturating_sub(1);
    *budget > 0
}

/// The branches of `anyOf`/`oneOf`/`allOf` at `node`, if it has any.
fn branches(node: &Value) -> Vec<&Value> {
    ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter_map(|k| node.get(*k).and_then(Value::as_array))
        .flatten()
        .collect()
}

/// Whether `node` says it is never an object (`"type": "number"`, say).
fn never_object(node: &Value) -> bool {
    match node.get("type") {
        Some(Value::String(t)) => t != "object",
        Some(Value::Array(ts)) => !ts.iter().any(|t| t == "object"),
        _ => false,
    }
}

/// What the schema at `node` says about key `key` of the map there.
pub fn key<'s>(root: &'s Value, node: &'s Value, key: &str) -> Lookup<'s> {
    key_at(root, node, key, &mut { MAX_VISITS })
}

fn key_at<'s>(root: &'s Value, node: &'s Value, key: &str, budget: &mut usize) -> Lookup<'s> {
    let Some(node) = resolve(root, node).filter(|_| spend(budget)) else {
        return Lookup::Any;
    };
    match node {
        Value::Bool(true) => return Lookup::Any,
        Value::Bool(false) => return Lookup::NotAllowed(Vec::new()),
        Value::Object(_) => {}
        _ => return Lookup::Any,
    }
    let alternatives = branches(node);
    if !alternatives.is_empty() {
        // The key is allowed when some branch allows it; its schema is known
        // only when exactly one branch describes it.
        let mut known = Vec::new();
        let mut allowed = Vec::new();
        for branch in alternatives {
            match key_at(root, branch, key, budget) {
                Lookup::Any => return Lookup::Any,
                Lookup::Known(s) => known.push(s),
                Lookup::NotAllowed(keys) => allowed.extend(keys),
            }
        }
        // The node's own `properties` also count, when it has any.
        let describes_keys = ["properties", "patternProperties", "additionalProperties"]
            .iter()
            .any(|k| node.get(*k).is_some());
        let own = if describes_keys {
            own_key(root, node, key)
        } else {
            Lookup::NotAllowed(Vec::new())
        };
        return match (own, known.len()) {
            (Lookup::Any, _) => Lookup::Any,
            (Lookup::Known(s), 0) => Lookup::Known(s),
            (Lookup::Known(_), _) => Lookup::Any,
            (Lookup::NotAllowed(_), 1) => Lookup::Known(known[0]),
            (Lookup::NotAllowed(_), n) if n > 1 => Lookup::Any,
            (Lookup::NotAllowed(mine), _) => {
                allowed.extend(mine);
                allowed.sort_unstable();
                allowed.dedup();
                Lookup::NotAllowed(allowed)
            }
        };
    }
    own_key(root, node, key)
}

/// The key as the node's own `properties`, `patternProperties` and
/// `additionalProperties` describe it.
fn own_key<'s>(_root: &'s Value, node: &'s Value, key: &str) -> Lookup<'s> {
    let properties = node.get("properties").and_then(Value::as_object);
    if let Some(schema) = properties.and_then(|p| p.get(key)) {
        return Lookup::Known(schema);
    }
    if let Some(patterns) = node.get("patternProperties").and_then(Value::as_object) {
        if !patterns.is_empty() {
            // Any key a pattern may match is allowed; nothing below is checked.
            return Lookup::Any;
        }
    }
    let allowed = || {
        properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default()
    };
    match node.get("additionalProperties") {
        Some(Value::Bool(false)) => Lookup::NotAllowed(allowed()),
        Some(schema @ Value::Object(_)) => Lookup::Known(schema),
        _ if never_object(node) => Lookup::NotAllowed(Vec::new()),
        _ => Lookup::Any,
    }
}

/// The keys the schema names at `node` (for hints), in its order.
pub fn named_keys<'s>(root: &'s Value, node: &'s Value) -> Vec<&'s str> {
    named_keys_at(root, node, &mut { MAX_VISITS })
}

fn named_keys_at<'s>(root: &'s Value, node: &'s Value, budget: &mut usize) -> Vec<&'s str> {
    let Some(node) = resolve(root, node).filter(|_| spend(budget)) else {
        return Vec::new();
    };
    let mut keys: Vec<&str> = node
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for branch in branches(node) {
        for key in named_keys_at(root, branch, budget) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// What each element of the list at `node` (or each value of the map there)
/// looks like, when the schema says so uniformly.
pub fn elements<'s>(root: &'s Value, node: &'s Value) -> Option<&'s Value> {
    elements_at(root, node, &mut { MAX_VISITS })
}

fn elements_at<'s>(root: &'s Value, node: &'s Value, budget: &mut usize) -> Option<&'s Value> {
    let node = resolve(root, node).filter(|_| spend(budget))?;
    if let Some(items) = node.get("items") {
        return Some(items);
    }
    if let Some(values @ Value::Object(_)) = node.get("additionalProperties") {
        let no_named = node
            .get("properties")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty());
        if no_named {
            return Some(values);
        }
    }
    // One branch that describes elements, the others not at all (`null`, say).
    let found: Vec<&Value> = branches(node)
        .into_iter()
        .filter_map(|b| elements_at(root, b, budget))
        .collect();
    match found.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Element `index` of the list at `node`: its `prefixItems` entry, else its
/// `items`.
pub fn element<'s>(root: &'s Value, node: &'s Value, index: Option<i64>) -> Option<&'s Value> {
    let resolved = resolve(root, node)?;
    if let (Some(i), Some(prefix)) = (index, resolved.get("prefixItems").and_then(Value::as_array)) {
        if let Ok(i) = usize::try_from(i) {
            if let Some(schema) = prefix.get(i) {
                return Some(schema);
            }
        }
    }
    elements(root, node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "$defs": { "金额": { "type": "number" }, "表": { "type": "object", "properties": { "合计": { "$ref": "#/$defs/金额" } }, "additionalProperties": false } },
            "type": "object",
            "properties": {
                "支出": { "$ref": "#/$defs/表" },
                "明细": { "type": "array", "items": { "$ref": "#/$defs/表" } },
                "附注": { "type": "object" },
                "可空": { "anyOf": [{ "type": "null" }, { "$ref": "#/$defs/表" }] }
            },
            "additionalProperties": false
        })
    }

    #[test]
    fn keys_follow_refs_and_refuse_unknown_ones() {
        let root = schema();
        let Lookup::Known(spending) = key(&root, &root, "支出") else {
            panic!("支出 is known")
        };
        assert!(matches!(key(&root, spending, "合计"), Lookup::Known(_)));
        match key(&root, spending, "合记") {
            Lookup::NotAllowed(keys) => assert_eq!(keys, vec!["合计"]),
            other => panic!("expected NotAllowed, got {other:?}"),
        }
        let Lookup::Known(note) = key(&root, &root, "附注") else {
            panic!("附注 is known")
        };
        assert!(matches!(key(&root, note, "任何"), Lookup::Any));
        let Lookup::Known(amount) = key(&root, spending, "合计") else {
            panic!()
        };
        assert!(matches!(key(&root, amount, "x"), Lookup::NotAllowed(k) if k.is_empty()));
    }

    #[test]
    fn a_schema_that_refers_to_itself_ends() {
        let root = json!({ "anyOf": [{ "$ref": "#" }, { "type": "null" }], "properties": { "a": {} } });
        assert_eq!(named_keys(&root, &root), vec!["a"]);
        assert!(elements(&root, &root).is_none());
        assert!(matches!(key(&root, &root, "a"), Lookup::Any));
        // Two branches back to the root: a walk that would double each level.
        let root = json!({ "anyOf": [{ "$ref": "#" }, { "$ref": "#" }], "additionalProperties": false });
        assert!(matches!(key(&root, &root, "a"), Lookup::Any));
        assert!(named_keys(&root, &root).is_empty());
        assert!(elements(&root, &root).is_none());
    }

    #[test]
    fn elements_and_branches() {
        let root = schema();
        let Lookup::Known(list) = key(&root, &root, "明细") else {
            panic!()
        };
        let item = elements(&root, list).expect("items");
        assert!(matches!(key(&root, item, "合计"), Lookup::Known(_)));
        let Lookup::Known(nullable) = key(&root, &root, "可空") else {
            panic!()
        };
        assert!(matches!(key(&root, nullable, "合计"), Lookup::Known(_)));
        assert!(matches!(key(&root, nullable, "合记"), Lookup::NotAllowed(k) if k == vec!["合计"]));
    }
}
