//! A document written back as compact JSON, numbers as their literal text
//! (never through f64): how the benchmarks feed the same data to the JSON
//! reader and to other engines.

use super::{Document, NodeId, NodeValue};

impl Document {
    /// The whole document as compact JSON.
    pub fn to_compact_json(&self) -> String {
        let mut out = String::new();
        write(self, self.root(), &mut out);
        out
    }
}

fn write(doc: &Document, id: NodeId, out: &mut String) {
    match doc.value(id) {
        NodeValue::Null => out.push_str("null"),
        NodeValue::Bool(b) => out.push_str(&b.to_string()),
        NodeValue::Number(d) => out.push_str(&d.to_string()),
        NodeValue::InvalidNumber(_) => out.push_str(doc.raw(id)),
        NodeValue::String(s) => out.push_str(&serde_json::to_string(&**s).expect("a string")),
        NodeValue::List(items) => {
            out.push('[');
            for (i, &item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(doc, item, out);
            }
            out.push(']');
        }
        NodeValue::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(&**key).expect("a key"));
                out.push(':');
                write(doc, *value, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::data::{load, Limits};
    use crate::source::SourceFile;

    /// The JSON reads back as the same document: numbers keep their written
    /// precision (`0.60`, `156.00`), strings their escapes.
    #[test]
    fn the_example_reads_back_the_same() {
        let yaml = include_str!("../../examples/huailai-2024.yaml");
        let doc = load(SourceFile::new("x.yaml", yaml.to_owned()), Limits::default()).expect("loads");
        let json = doc.to_compact_json();
        assert!(json.contains("\"单价\":0.60,"), "{}", &json[..200]);
        let again = load(SourceFile::new("x.json", json.clone()), Limits::default()).expect("reads back");
        assert_eq!(again.to_compact_json(), json);
    }
}
