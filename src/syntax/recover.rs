//! Error recovery around pest: pest stops at the first failure and recurses
//! once per nesting level, so before running it we (1) pre-scan the text for
//! nesting that could exhaust the stack, and (2) know where top-level items
//! start, to resume after an error. Also turns pest's errors into kind ones.

use pest::error::{ErrorVariant, InputLocation};

use super::lexicon::{self, is_word_char, PieceKind};
use super::parse::Rule;
use super::SyntaxError;
use crate::source::{FileId, Span};

/// How deeply brackets and prefix operators may nest. pest and the tree
/// builder recurse per level; 128 levels stay far inside a 2 MiB stack.
pub(super) const MAX_NESTING: usize = 128;

/// Byte offsets of the lines that start a top-level item: an item keyword
/// at column 0. A heuristic used only after an error.
pub(super) fn item_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut line = Some(0);
    while let Some(start) = line {
        let rest = &text[start..];
        let is_item = lexicon::ITEM_STARTS.iter().any(|kw| {
            rest.strip_prefix(kw)
                .is_some_and(|after| !after.starts_with(is_word_char))
        });
        if is_item {
            starts.push(start);
        }
        line = lexicon::next_line(text, start);
    }
    starts
}

/// The first byte offset (≥ `from`) where brackets, interpolation braces and
/// runs of prefix operators (`not`, `-`) nest deeper than [`MAX_NESTING`].
/// Strings and comments are skipped, except that brackets inside a string
/// count on top of the surrounding depth until the string ends (message
/// interpolations nest there).
pub(super) fn too_deep(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    for piece in lexicon::pieces(&text[from..]) {
        let (start, end) = (from + piece.start, from + piece.end);
        match piece.kind {
            PieceKind::Comment => {}
            PieceKind::String | PieceKind::Message => {
                let mut inner = 0usize;
                let mut i = start + 1;
                while i < end {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'{' | b'(' | b'[' => inner += 1,
                        b'}' | b')' | b']' => inner = inner.saturating_sub(1),
                        _ => {}
                    }
                    if depth + prefix_run + inner > MAX_NESTING {
                        return Some(i.min(end - 1));
                    }
                    i += 1;
                }
                prefix_run = 0;
            }
            PieceKind::Code => {
                let mut i = start;
                while i < end {
                    match bytes[i] {
                        b'(' | b'[' | b'{' => depth += 1,
                        b')' | b']' | b'}' => {
                            depth = depth.saturating_sub(1);
                            prefix_run = 0;
                        }
                        b'-' => prefix_run += 1,
                        b' ' | b'\t' | b'\r' | b'\n' => {}
                        b'n' if text[i..].starts_with("not")
                            && !text[i + 3..].starts_with(is_word_char)
                            && (i == 0 || !text[..i].ends_with(is_word_char)) =>
                        {
                            prefix_run += 1;
                            i += 3;
                            continue;
                        }
                        _ => prefix_run = 0,
                    }
                    if depth + prefix_run > MAX_NESTING {
                        return Some(i);
                    }
                    i += 1;
                }
            }
        }
    }
    None
}

/// The error for text found by [`too_deep`] at `at`.
pub(super) fn nesting_error(file: FileId, at: usize) -> SyntaxError {
    SyntaxError::new(
        Span::new(file, at, at + 1),
        format!("expression nests more than {MAX_NESTING} levels"),
        "nested too deeply",
    )
    .with_help("split the expression into smaller parts with `let`")
}

/// What readers call the things pest expected. `None` hides a rule.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "end of file",
        expr | number | bad_number | kw_true | kw_false | kw_null | root | list | paren | name | not_op | neg => {
            "an expression"
        }
        ident => "a name",
        key | bad_key => "a key",
        string | message => "a string",
        or_op | and_op | within | eq | ne | le | ge | lt | gt | in_op | matches_op | coalesce | add | sub | mul
        | div | within_rounding | field | opt_field | wildcard | index => "an operator",
        call_args | lparen => "`(`",
        rparen => "`)`",
        lbracket => "`[`",
        rbracket => "`]`",
        comma => "`,`",
        assign => "`=`",
        kw_message => "`message`",
        kw_at => "`at`",
        kw_in => "`in`",
        kw_if => "`if`",
        lbrace | block => "`{`",
        rbrace => "`}`",
        assert | kw_assert => "`assert`",
        let_stmt | let_item | kw_let => "`let`",
        for_stmt | comp_clause | kw_for => "`for`",
        when | kw_when => "`when`",
        title | kw_title => "`title`",
        severity | kw_severity => "`severity`",
        cite | kw_cite => "`cite`",
        tags | kw_tags => "`tags`",
        rule_item | kw_rule => "`rule`",
        fn_item | kw_fn => "`fn`",
        import | kw_import => "`import`",
        param_item | kw_param => "`param`",
        input_item | kw_input => "`input`",
        kw_required => "`required`",
        _ => return None,
    })
}

/// The order in which expected things are listed.
const ORDER: &[&str] = &[
    "an expression",
    "a name",
    "a key",
    "a string",
    "an operator",
    "`(`",
    "`)`",
    "`[`",
    "`]`",
    "`,`",
    "`=`",
    "`message`",
    "`at`",
    "`in`",
    "`if`",
    "`{`",
    "`}`",
    "`assert`",
    "`let`",
    "`for`",
    "`when`",
    "`title`",
    "`severity`",
    "`cite`",
    "`tags`",
    "`rule`",
    "`fn`",
    "`import`",
    "`param`",
    "`input`",
    "`required`",
    "end of file",
];

/// "a, b or c"
fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The token at `pos`, as it is shown in a message.
fn found_token(text: &str, pos: usize) -> Option<&str> {
    let rest = &text[pos..];
    let first = rest.chars().next()?;
    let len = if is_word_char(first) {
        rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len())
    } else if first == '"' {
        lexicon::line_end(rest, 0).min(40)
    } else {
        ["==", "!=", "<=", ">=", "&&", "||", "??", "?.", "=>", "->"]
            .iter()
            .find(|op| rest.starts_with(*op))
            .map_or(first.len_utf8(), |op| op.len())
    };
    let mut len = len.min(rest.len());
    while !rest.is_char_boundary(len) {
        len -= 1;
    }
    Some(&rest[..len])
}

/// Converts a pest error on `text[offset..]` (parsed as its own input) into a
/// [`SyntaxError`] with absolute byte offsets into `text`.
pub(super) fn pest_error(file: FileId, text: &str, offset: usize, err: &pest::error::Error<Rule>) -> SyntaxError {
    let pos = offset
        + match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    let positives = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.as_slice(),
        ErrorVariant::CustomError { message } => {
            return SyntaxError::new(Span::new(file, pos, pos), message.clone(), "here");
        }
    };
    let mut expected: Vec<&str> = positives.iter().filter_map(|&r| describe(r)).collect();
    if positives.contains(&Rule::file) {
        // Nothing of the file parsed: pest names only the whole file.
        expected.extend(["`rule`", "`let`", "`fn`", "`import`"]);
    }
    expected.sort_by_key(|d| ORDER.iter().position(|o| o == d));
    expected.dedup();
    // Names, strings, `(` and `[` all start an expression.
    if expected.contains(&"an expression") {
        expected.retain(|d| !["a name", "a string", "`(`", "`[`"].contains(d));
    }
    // Statements are the interesting alternatives in a rule body; leave out
    // the metadata keywords there to keep the list short.
    if expected.contains(&"`assert`") {
        expected.retain(|d| !["`title`", "`severity`", "`cite`", "`tags`"].contains(d));
    }
    let found = found_token(text, pos).filter(|t| !t.starts_with(['\n', '\r']));
    if let Some(error) = string_error(file, text, pos, found) {
        return error;
    }
    let span = Span::new(file, pos, pos + found.map_or(0, str::len));
    let (found_text, label) = match found {
        None if pos < text.len() => ("end of line".to_string(), "the line ends here".to_string()),
        None => ("end of file".to_string(), "the file ends here".to_string()),
        Some(t) if t.starts_with('"') => ("a string".to_string(), "unexpected string".to_string()),
        Some(t) => (format!("`{t}`"), format!("unexpected `{t}`")),
    };
    let message = if expected.is_empty() {
        format!("unexpected {found_text}")
    } else {
        format!("expected {}, found {found_text}", join_or(&expected))
    };
    let error = SyntaxError::new(span, message, label);
    match hint(text, pos, found, &expected) {
        Some(help) => error.with_help(help),
        None => error,
    }
}

/// Errors about strings: one not closed on its line, or a message whose
/// `{` interpolation is not closed before the string ends.
fn string_error(file: FileId, text: &str, pos: usize, found: Option<&str>) -> Option<SyntaxError> {
    let line_start = lexicon::line_start(text, pos);
    let line_end = lexicon::line_end(text, pos);
    let at_string_end = found.is_none_or(|t| t.starts_with('"'));
    if let Some(open) = open_string(&text[line_start..pos]).map(|o| line_start + o) {
        let is_message = text[..open].trim_end().ends_with("message");
        if is_message && at_string_end {
            if let Some(brace) = unclosed_interpolation(&text[open..pos]).map(|b| open + b) {
                return Some(
                    SyntaxError::new(
                        Span::new(file, brace, brace + 1),
                        "unclosed `{` in a message",
                        "this `{` starts an expression",
                    )
                    .with_help("end the expression with `}`, or write `{{` for a literal `{`"),
                );
            }
        }
        if found.is_none() {
            return Some(unterminated_error(file, open, line_end));
        }
    }
    match found {
        Some(t) if t.starts_with('"') && unterminated(&text[pos..line_end]) => {
            Some(unterminated_error(file, pos, line_end))
        }
        _ => None,
    }
}

fn unterminated_error(file: FileId, open: usize, line_end: usize) -> SyntaxError {
    SyntaxError::new(
        Span::new(file, open, line_end),
        "unterminated string",
        "this string is not closed on its line",
    )
    .with_help("add the closing `\"`; strings cannot span lines (write `\\n` for a line break)")
}

/// If `line` (the text of one line up to a position) ends inside a string,
/// the offset of that string's opening quote.
fn open_string(line: &str) -> Option<usize> {
    let last = lexicon::pieces(line).pop()?;
    let in_string = matches!(last.kind, PieceKind::String | PieceKind::Message);
    (in_string && !last.closed).then_some(last.start)
}

/// The offset of a `{` in a message string that starts an interpolation not
/// yet closed (`{{` is a literal brace).
fn unclosed_interpolation(string: &str) -> Option<usize> {
    let bytes = string.as_bytes();
    let mut open = None;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' if open.is_none() && bytes.get(i + 1) == Some(&b'{') => i += 1,
            b'}' if open.is_none() && bytes.get(i + 1) == Some(&b'}') => i += 1,
            b'{' if open.is_none() => open = Some(i),
            b'}' => open = None,
            _ => {}
        }
        i += 1;
    }
    open
}

/// A targeted hint for a common mistake at `pos`.
/// Full-width punctuation a Chinese input method types, and the ASCII
/// character the language wants instead.
const FULL_WIDTH: &[(char, &str, char)] = &[
    ('（', "full-width left parenthesis", '('),
    ('）', "full-width right parenthesis", ')'),
    ('，', "full-width comma", ','),
    ('：', "full-width colon", ':'),
    ('“', "curly left quotation mark", '"'),
    ('”', "curly right quotation mark", '"'),
    ('\u{3000}', "ideographic (full-width) space", ' '),
    ('［', "full-width left bracket", '['),
    ('］', "full-width right bracket", ']'),
    ('｛', "full-width left brace", '{'),
    ('｝', "full-width right brace", '}'),
    ('；', "full-width semicolon", ';'),
    ('＝', "full-width equals sign", '='),
];

/// `（ is the full-width left parenthesis (U+FF08); write the ASCII `(``.
fn full_width_hint(c: char) -> Option<String> {
    let &(_, name, ascii) = FULL_WIDTH.iter().find(|(f, ..)| *f == c)?;
    let shown = if c == '\u{3000}' {
        "the character here".to_owned()
    } else {
        format!("`{c}`")
    };
    let instead = match ascii {
        ' ' => "an ASCII space".to_owned(),
        // The language has no colon: `title "…"`, and text belongs in a string.
        ':' => "no colon here (metadata is `title \"…\"`; text with a colon goes inside a string)".to_owned(),
        _ => format!("the ASCII `{ascii}`"),
    };
    Some(format!(
        "{shown} is the {name} (U+{:04X}), which rules do not use; write {instead}",
        c as u32
    ))
}

fn hint(text: &str, pos: usize, found: Option<&str>, expected: &[&str]) -> Option<String> {
    let wants_operator = expected.contains(&"an operator");
    let wants_expr = expected.contains(&"an expression");
    let wants_name = expected.contains(&"a name");
    let Some(found) = found else {
        let closers = ["`}`", "`)`", "`]`"];
        if pos == text.len() && closers.iter().any(|c| expected.contains(c)) {
            let (open, line) = unclosed_bracket(text)?;
            let close = match open {
                '(' => ')',
                '[' => ']',
                _ => '}',
            };
            return Some(format!("the `{open}` on line {line} is never closed; add a `{close}`"));
        }
        return None;
    };
    if let Some(help) = found.chars().next().and_then(full_width_hint) {
        return Some(help);
    }
    let at_line_start = lexicon::line_start(text, pos) == pos;
    let after_word = text[..pos].trim_end().ends_with(is_word_char);
    Some(match found {
        "=" if wants_operator => "to compare two values write `==`; `=` only binds a name in `let`".into(),
        "&&" => "write `and` instead of `&&`".into(),
        "||" => "write `or` instead of `||`".into(),
        "!" => "write `not` instead of `!`".into(),
        "+" if wants_expr => "numbers are written without a leading `+`".into(),
        "'" => "strings are written in double quotes: `\"…\"`".into(),
        "if" | "else" | "elif" if expected.contains(&"`assert`") => {
            "there is no `if` statement; use `when condition { … }`".into()
        }
        "rule" | "let" | "fn" | "import" if at_line_start && expected.contains(&"`}`") => {
            "the item above is not closed; add a `}` before this line".into()
        }
        t if (wants_name || wants_expr) && lexicon::is_reserved(t) => format!(
            "`{t}` is a keyword and cannot be used as a name; \
             read a data key named `{t}` as `$.{t}` or `x.{t}`"
        ),
        t if wants_name && t.starts_with(|c: char| c.is_ascii_digit()) => "a name cannot start with a digit".into(),
        "{" if wants_expr => "maps cannot be written in rules; read them from the data".into(),
        "(" if wants_operator && after_word => "only a function name can be called: write `f(x)`, not `x.f()`".into(),
        t if wants_operator && after_word && t.starts_with(is_word_char) => {
            "two values in a row: is an operator (`and`, `+`, `==`, …) or a `,` missing?".into()
        }
        _ => return None,
    })
}

/// Whether a string starting at the beginning of `line_rest` is unterminated.
fn unterminated(line_rest: &str) -> bool {
    !lexicon::scan_string(line_rest, 0).1
}

/// The last bracket that is never closed (outside strings and comments),
/// with its 1-based line.
fn unclosed_bracket(text: &str) -> Option<(char, usize)> {
    let mut open: Vec<(char, usize)> = Vec::new();
    for piece in lexicon::pieces(text).into_iter().filter(|p| p.kind == PieceKind::Code) {
        for (i, c) in text[piece.start..piece.end].char_indices() {
            match c {
                '{' | '(' | '[' => open.push((c, piece.start + i)),
                '}' | ')' | ']' => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.last()
        .map(|&(c, i)| (c, lexicon::count_line_breaks(&text[..i]) + 1))
}
