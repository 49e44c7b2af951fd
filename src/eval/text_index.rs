//! Substring lookups over one list's texts, for filters of the shape
//! `contains(k, s) or contains(s, k)` (see index.rs): which texts contain a
//! probe, and which a probe contains, without comparing the probe with
//! every text. Rules that match project names by containment asked this of
//! every row, one scan of the other table each.
//!
//! Every position returned has been checked by a substring search of the
//! bytes, which is `str::contains`, the builtin's own test (UTF-8 text holds
//! another's bytes only where it holds its characters); the postings only
//! narrow where to look. One searcher per probe: `str::contains` built one
//! for each text it was asked about.

use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::data::NodeId;

/// A list's texts by the characters they hold and by their whole text.
pub(super) struct TextIndex {
    texts: Vec<Rc<str>>,
    /// For each character, the positions of the texts holding it, ascending.
    by_char: FxHashMap<char, Vec<u32>>,
    /// Positions by whole text, ascending.
    by_text: FxHashMap<Rc<str>, Vec<u32>>,
    /// The byte lengths the texts have, ascending, without repeats.
    lengths: Vec<usize>,
    /// The steps a scan spends computing the keys (see `Index::key_steps`).
    key_steps: u64,
    /// The node each text was read from, where the key reads one field of
    /// the element (see containment.rs).
    nodes: Option<Vec<NodeId>>,
}

impl TextIndex {
    pub(super) fn new(texts: Vec<Rc<str>>, key_steps: u64, nodes: Option<Vec<NodeId>>) -> TextIndex {
        let mut by_char: FxHashMap<char, Vec<u32>> = FxHashMap::default();
        let mut by_text: FxHashMap<Rc<str>, Vec<u32>> = FxHashMap::default();
        for (position, text) in texts.iter().enumerate() {
            let position = position as u32;
            for c in text.chars() {
                let postings = by_char.entry(c).or_default();
                // Ascending positions: a repeated character is already there.
                if postings.last() != Some(&position) {
                    postings.push(position);
                }
            }
            by_text.entry(text.clone()).or_default().push(position);
        }
        let mut lengths: Vec<usize> = by_text.keys().map(|t| t.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        TextIndex {
            texts,
            by_char,
            by_text,
            lengths,
            key_steps,
            nodes,
        }
    }

    pub(super) fn nodes(&self) -> Option<&[NodeId]> {
        self.nodes.as_deref()
    }

    pub(super) fn len(&self) -> usize {
        self.texts.len()
    }

    pub(super) fn key_steps(&self) -> u64 {
        self.key_steps
    }

    /// The positions, ascending, of the texts that contain `probe`
    /// (`contains(text, probe)`).
    pub(super) fn containing(&self, probe: &str) -> Vec<u32> {
        // The rarest character of the probe: every text containing the
        // probe holds it.
        let rarest = probe
            .chars()
            .map(|c| self.by_char.get(&c).map_or(&[][..], Vec::as_slice))
            .min_by_key(|postings| postings.len());
        match rarest {
            // The empty string is in every text.
            None => (0..self.texts.len() as u32).collect(),
            Some(postings) => {
                let finder = memchr::memmem::Finder::new(probe);
                postings
                    .iter()
                    .copied()
                    .filter(|&i| finder.find(self.texts[i as usize].as_bytes()).is_some())
                    .collect()
            }
        }
    }

    /// The positions, ascending, of the texts that `probe` contains
    /// (`contains(probe, text)`): each of the probe's substrings of a length
    /// some text has, looked up whole; or, where that would take more
    /// lookups than there are texts, each text tested.
    pub(super) fn contained_in(&self, probe: &str) -> Vec<u32> {
        let starts: Vec<usize> = probe.char_indices().map(|(i, _)| i).chain([probe.len()]).collect();
        let lookups = starts.len().saturating_mul(self.lengths.len());
        if lookups > self.texts.len() {
            return (0..self.texts.len() as u32)
                .filter(|&i| probe.contains(&*self.texts[i as usize]))
                .collect();
        }
        let mut found = Vec::new();
        for &length in self.lengths.iter().take_while(|&&l| l <= probe.len()) {
            for &start in &starts {
                let Some(part) = probe.get(start..start + length) else {
                    continue;
                };
                if let Some(positions) = self.by_text.get(part) {
                    found.extend_from_slice(positions);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Two ascending lists of positions as one, ascending, each position once.
pub(super) fn union(a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn index(texts: &[&str]) -> TextIndex {
        TextIndex::new(texts.iter().map(|t| Rc::from(*t)).collect(), 0, None)
    }

    #[test]
    fn finds_the_names_containing_a_probe_and_those_it_contains() {
        let names = index(&["疫情防控经费", "疫情防控", "法律服务", "", "防控", "综合事务第1批"]);
        assert_eq!(names.containing("防控"), vec![0, 1, 4]);
        assert_eq!(names.containing("疫情防控经费第1批"), Vec::<u32>::new());
        assert_eq!(names.containing(""), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(names.contained_in("疫情防控经费第1批"), vec![0, 1, 3, 4]);
        assert_eq!(names.contained_in(""), vec![3]);
        assert_eq!(union(vec![0, 2, 5], vec![1, 2, 6]), vec![0, 1, 2, 5, 6]);
    }

    /// Texts over a few characters, so that containment is common.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof![Just('a'), Just('b'), Just('疫'), Just('情')], 0..6)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        /// Both lookups give exactly the positions a scan with
        /// `str::contains` keeps, whichever way `contained_in` looks.
        #[test]
        fn lookups_agree_with_a_scan(texts in proptest::collection::vec(text(), 0..40), probe in text()) {
            let names = TextIndex::new(texts.iter().map(|t| Rc::from(t.as_str())).collect(), 0, None);
            let scan = |keep: &dyn Fn(&str) -> bool| -> Vec<u32> {
                (0..texts.len() as u32).filter(|&i| keep(&texts[i as usize])).collect()
            };
            prop_assert_eq!(names.containing(&probe), scan(&|t| t.contains(probe.as_str())));
            prop_assert_eq!(names.contained_in(&probe), scan(&|t| probe.contains(t)));
        }
    }
}
