//! The lexical facts of the language, each written once: which words are
//! keywords, how tightly each operator binds, and the scanning of lines,
//! strings and comments that the error recovery, `tally fmt` and the
//! language server do beside pest. `grammar/tally.pest` holds the same
//! words; a test below reads the grammar and checks that the two agree.

use super::ast::BinaryOp;

/// Words that are never a bare name (the grammar's `keyword` rule, spec §2).
/// After a dot they are keys as any word is (`x.title`).
pub const RESERVED: &[&str] = &[
    "rule", "let", "fn", "import", "for", "in", "when", "assert", "within", "message", "at", "and", "or", "not",
    "true", "false", "null", "title", "severity", "cite", "tags",
];

/// Words that mean something in one place only and stay ordinary names
/// elsewhere (spec §15): item keywords of v2, `required` after an input's
/// name, `if` in a comprehension, `rounding` after `within`, the operator
/// `matches`.
pub const CONTEXTUAL: &[&str] = &["schema", "param", "input", "required", "if", "rounding", "matches"];

/// Words that start a top-level item.
pub const ITEM_STARTS: &[&str] = &["rule", "let", "fn", "import", "schema", "param", "input"];

/// The values `severity` takes.
pub const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// Whether `word` is reserved: it cannot be a name.
pub fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word)
}

/// Whether `c` may continue a name or keyword (UAX #31, as the grammar's
/// `XID_CONTINUE`, plus `_`).
pub fn is_word_char(c: char) -> bool {
    c == '_' || unicode_ident::is_xid_continue(c)
}

// ------------------------------------------------------------- precedence

/// How tightly an operator binds, loosest first (spec §4). `within` sits
/// between `not` and the comparisons, so `a == b within t` groups as
/// `(a == b) within t`. The parser's Pratt table and the formatter's
/// parentheses both come from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Or = 1,
    And,
    Not,
    Within,
    Compare,
    Coalesce,
    Add,
    Mul,
    Neg,
    Postfix,
}

impl Level {
    /// Every level, loosest first.
    pub const ALL: [Level; 10] = [
        Level::Or,
        Level::And,
        Level::Not,
        Level::Within,
        Level::Compare,
        Level::Coalesce,
        Level::Add,
        Level::Mul,
        Level::Neg,
        Level::Postfix,
    ];
}

/// The level of a binary operator (the comparisons `==`…`>=` are
/// [`Level::Compare`], as `in` and `matches` are).
pub fn binary_level(op: BinaryOp) -> Level {
    match op {
        BinaryOp::Or => Level::Or,
        BinaryOp::And => Level::And,
        BinaryOp::In | BinaryOp::Matches => Level::Compare,
        BinaryOp::Coalesce => Level::Coalesce,
        BinaryOp::Add | BinaryOp::Sub => Level::Add,
        BinaryOp::Mul | BinaryOp::Div => Level::Mul,
    }
}

// --------------------------------------------------------------- scanning

/// The length of the line break at byte `i` (`\r\n` is 2, `\n` or a lone
/// `\r` is 1), or 0 if none starts there. Every line break of a rule file
/// is one of the three.
pub fn line_break_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => 2,
        Some(b'\r' | b'\n') => 1,
        _ => 0,
    }
}

/// The end of the line holding `pos`: the position of its line break, or
/// the end of the text.
pub fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find(['\n', '\r']).map_or(text.len(), |n| pos + n)
}

/// The start of the line after the one holding `pos`, if there is one.
pub fn next_line(text: &str, pos: usize) -> Option<usize> {
    let end = line_end(text, pos);
    (end < text.len()).then(|| end + line_break_len(text.as_bytes(), end))
}

/// The start of the line holding `pos`.
pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind(['\n', '\r']).map_or(0, |n| n + 1)
}

/// The lines of `text`, without their line breaks (`\n`, `\r\n` or a
/// lone `\r`): line `n` (1-based) of every report is item `n - 1`. Like
/// `str::lines`, a final line break starts no empty line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut at = Some(0);
    std::iter::from_fn(move || {
        let start = at?;
        if start >= text.len() {
            at = None;
            return None;
        }
        let end = line_end(text, start);
        at = next_line(text, start);
        Some(&text[start..end])
    })
}

/// How many line breaks `text` holds (`\r\n` counts once).
pub fn count_line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// The end (after the closing quote) of the plain string whose `"` is at
/// `start`; a string cannot span lines, so an unclosed one ends where its
/// line does.
pub fn string_end(text: &str, start: usize) -> usize {
    scan_string(text, start).0
}

/// Where the plain string whose `"` is at `start` ends, and whether it is
/// closed on its line.
pub fn scan_string(text: &str, start: usize) -> (usize, bool) {
    scan_quoted(text, start, false)
}

/// The end (after the closing quote) of the `message` string whose `"` is
/// at `start`: its `{…}` interpolations hold expressions, whose own strings
/// may hold `"`, `#` and `}`.
pub fn message_end(text: &str, start: usize) -> usize {
    scan_message(text, start).0
}

/// Where the `message` string whose `"` is at `start` ends, and whether it
/// is closed on its line.
pub fn scan_message(text: &str, start: usize) -> (usize, bool) {
    scan_quoted(text, start, true)
}

/// A string from its `"` at `start`: with `interpolated`, `{…}` holds an
/// expression whose own strings are skipped whole.
fn scan_quoted(text: &str, start: usize, interpolated: bool) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1).is_some_and(|b| !matches!(b, b'\n' | b'\r')) => i += 2,
            b'"' => return (i + 1, true),
            b'\n' | b'\r' => return (i, false),
            b'{' if !interpolated => i += 1,
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'{' => {
                // The interpolation: up to its `}`, strings skipped whole.
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => match scan_string(text, i) {
                            (end, true) => i = end,
                            (end, false) => return (end, false),
                        },
                        b'}' => break,
                        b'\n' | b'\r' => return (i, false),
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

/// What a stretch of rule text is, for [`Piece`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PieceKind {
    /// Anything outside strings and comments.
    Code,
    /// A plain string, quotes included (an unclosed one ends at its line end).
    String,
    /// A `message` string with its interpolations.
    Message,
    /// A `#` comment, up to its line break.
    Comment,
}

/// One stretch of rule text: `text[start..end]` is of `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub kind: PieceKind,
    pub start: usize,
    pub end: usize,
    /// False for a string not closed on its line.
    pub closed: bool,
}

/// The text cut into code, strings and comments, in order and covering it
/// all. The one scanner of strings and comments beside pest: the error
/// recovery, `tally fmt`'s comments and the language server use it.
pub fn pieces(text: &str) -> Vec<Piece> {
    let bytes = text.as_bytes();
    let mut out: Vec<Piece> = Vec::new();
    let mut code_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (kind, (end, closed)) = match bytes[i] {
            b'"' if follows_message(text, i, &out, code_start) => (PieceKind::Message, scan_message(text, i)),
            b'"' => (PieceKind::String, scan_string(text, i)),
            b'#' => (PieceKind::Comment, (line_end(text, i), true)),
            _ => {
                i += 1;
                continue;
            }
        };
        if code_start < i {
            out.push(Piece {
                kind: PieceKind::Code,
                start: code_start,
                end: i,
                closed: true,
            });
        }
        out.push(Piece {
            kind,
            start: i,
            end,
            closed,
        });
        i = end.max(i + 1);
        code_start = i;
    }
    if code_start < bytes.len() {
        out.push(Piece {
            kind: PieceKind::Code,
            start: code_start,
            end: bytes.len(),
            closed: true,
        });
    }
    out
}

/// Whether the string starting at `quote` is a `message` string: the last
/// word of code before it (comments skipped) is the keyword `message`.
fn follows_message(text: &str, quote: usize, before: &[Piece], code_start: usize) -> bool {
    let code = std::iter::once(&text[code_start..quote]).chain(before.iter().rev().map_while(|p| {
        (p.kind != PieceKind::String && p.kind != PieceKind::Message).then(|| match p.kind {
            PieceKind::Comment => "",
            _ => &text[p.start..p.end],
        })
    }));
    for part in code {
        let trimmed = part.trim_end_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
        if trimmed.is_empty() {
            continue;
        }
        return trimmed
            .strip_suffix("message")
            .is_some_and(|head| !head.ends_with(is_word_char));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The alternatives of the grammar rule `name = @{ ( "a" | "b" ) … }`.
    fn grammar_words(grammar: &str, name: &str) -> Vec<String> {
        let start = grammar.find(&format!("\n{name} ")).expect("the rule is in the grammar");
        let body = &grammar[start..];
        let body = &body[..body.find('}').expect("the rule ends")];
        body.split('"').skip(1).step_by(2).map(str::to_owned).collect()
    }

    /// Every keyword rule of the grammar: `kw_x = @{ "x" ~ !XID_CONTINUE }`
    /// and the word operators written the same way.
    fn grammar_keyword_rules(grammar: &str) -> Vec<String> {
        grammar
            .lines()
            .filter(|l| l.contains("@{ \"") && l.trim_end().ends_with("\" ~ !XID_CONTINUE }"))
            .filter_map(|l| l.split('"').nth(1))
            .map(str::to_owned)
            .collect()
    }

    const GRAMMAR: &str = include_str!("../../grammar/tally.pest");

    #[test]
    fn the_grammar_reserves_exactly_these_words() {
        let mut reserved = grammar_words(GRAMMAR, "keyword");
        reserved.sort();
        let mut ours: Vec<&str> = RESERVED.to_vec();
        ours.sort_unstable();
        assert_eq!(reserved, ours);
    }

    #[test]
    fn every_word_the_grammar_knows_is_reserved_or_contextual() {
        let words = grammar_keyword_rules(GRAMMAR);
        assert!(words.len() >= 25, "{words:?}");
        for word in &words {
            assert!(
                RESERVED.contains(&word.as_str()) || CONTEXTUAL.contains(&word.as_str()),
                "`{word}` is in the grammar but in neither list"
            );
        }
        for word in RESERVED.iter().chain(CONTEXTUAL) {
            assert!(words.iter().any(|w| w == word), "`{word}` is not in the grammar");
        }
    }

    #[test]
    fn reserved_words_are_not_names_and_contextual_ones_are() {
        for word in RESERVED {
            let text = format!("let {word} = 1\n");
            assert!(super::super::parse(0, &text).is_err(), "`{word}` parsed as a name");
        }
        for word in CONTEXTUAL {
            let text = format!("rule r {{\n  let {word} = 1\n  assert {word} == 1\n}}\n");
            assert!(super::super::parse(0, &text).is_ok(), "`{word}` is not a name");
        }
    }

    #[test]
    fn item_starts_are_the_grammar_items() {
        let item = GRAMMAR.lines().find(|l| l.starts_with("item ")).expect("item rule");
        let count = item.matches('|').count() + 1;
        assert_eq!(count, ITEM_STARTS.len(), "{item}");
        for word in ITEM_STARTS {
            let text = format!("{word} ");
            assert!(GRAMMAR.contains(&format!("\"{}\"", text.trim())), "{word}");
        }
    }

    #[test]
    fn levels_are_ordered_loosest_first() {
        for pair in Level::ALL.windows(2) {
            assert!(pair[0] < pair[1]);
            assert_eq!(pair[0] as u8 + 1, pair[1] as u8);
        }
    }

    #[test]
    fn three_kinds_of_line_break() {
        let text = "a\r\nb\rc\nd";
        assert_eq!(count_line_breaks(text), 3);
        assert_eq!(line_end(text, 0), 1);
        assert_eq!(next_line(text, 0), Some(3));
        assert_eq!(next_line(text, 3), Some(5));
        assert_eq!(next_line(text, 5), Some(7));
        assert_eq!(next_line(text, 7), None);
        assert_eq!(line_start(text, 6), 5);
    }

    #[test]
    fn lines_as_reports_count_them() {
        fn all(t: &str) -> Vec<&str> {
            lines(t).collect()
        }
        assert_eq!(all("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(all("a\rb\r"), ["a", "b"]);
        assert_eq!(all("a\n\nb"), ["a", "", "b"]);
        assert_eq!(all(""), Vec::<&str>::new());
        for t in ["x\ny\n", "x\r\n\r\ny", "\n", "x"] {
            assert_eq!(all(t), t.lines().collect::<Vec<_>>(), "{t:?}");
        }
    }

    fn kinds(text: &str) -> Vec<(PieceKind, &str)> {
        pieces(text)
            .into_iter()
            .map(|p| (p.kind, &text[p.start..p.end]))
            .collect()
    }

    #[test]
    fn strings_comments_and_messages() {
        use PieceKind::*;
        let text = "let a = \"# no\" # yes\rassert x message \"v {s ?? \"#\"} w\" # c";
        assert_eq!(
            kinds(text),
            [
                (Code, "let a = "),
                (String, "\"# no\""),
                (Code, " "),
                (Comment, "# yes"),
                (Code, "\rassert x message "),
                (Message, "\"v {s ?? \"#\"} w\""),
                (Code, " "),
                (Comment, "# c"),
            ]
        );
        // A message keyword behind a comment still makes a message string.
        assert_eq!(kinds("message # c\n\"{\"}\"}\"")[2], (Code, "\n"));
        assert_eq!(kinds("message # c\n\"{\"}\"}\"")[3].0, Message);
        // An unclosed string ends at its line break, whichever it is.
        assert_eq!(kinds("\"abc\rdef")[0], (String, "\"abc"));
        assert_eq!(kinds("\"a\\\rb")[0], (String, "\"a\\"));
        let closed = |t: &str| pieces(t).iter().map(|p| p.closed).collect::<Vec<_>>();
        assert_eq!(closed("\"a\" \"b"), [true, true, false]);
        assert_eq!(closed("message \"{f(\"x)}\""), [true, false]);
    }
}
