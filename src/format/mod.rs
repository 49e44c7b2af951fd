//! `tally fmt`: one canonical layout for rule files. Literals are kept exactly
//! as written, comments are never lost, and formatting twice changes nothing.

mod comments;
mod print;

use crate::syntax::{self, SyntaxError};

/// The canonical form of a rule file, or its syntax errors (file 0).
pub fn format(text: &str) -> Result<String, Vec<SyntaxError>> {
    let file = syntax::parse(0, text)?;
    Ok(print::Printer::new(text).file(&file))
}

#[cfg(test)]
mod tests {
    use super::format;

    fn fmt(text: &str) -> String {
        format(text).expect("parses")
    }

    #[test]
    fn lays_out_a_rule() {
        let messy = "rule 甲{title \"t\" severity warning\nassert a.b+c*2==d within 0.005 message \"x {a.b}\" at d}";
        assert_eq!(
            fmt(messy),
            "rule 甲 {\n  title    \"t\"\n  severity warning\n\n  assert a.b + c * 2 == d within 0.005\n    message \"x {a.b}\"\n    at d\n}\n"
        );
    }

    #[test]
    fn keeps_literals_as_written() {
        let text = "let a = [25%, 80.00, \"^\\d{6}$\", -0.1]\n";
        assert_eq!(fmt(text), text);
    }

    #[test]
    fn keeps_comments() {
        let text =
            "# header\n\n# about 甲\nrule 甲 { # trailing\n  # before\n  assert true # why\n  # end\n}\n# tail\n";
        let out = fmt(text);
        for c in [
            "# header",
            "# about 甲",
            "# trailing",
            "# before",
            "# why",
            "# end",
            "# tail",
        ] {
            assert!(out.contains(c), "{c} lost:\n{out}");
        }
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn minimal_parentheses() {
        let text = "let a = (1 + 2) * 3 - (4 - 5) + -(x.y) + (not p) == q\n";
        assert_eq!(fmt(text), "let a = (1 + 2) * 3 - (4 - 5) + -x.y + (not p) == q\n");
        assert_eq!(fmt("let b = ((a.b)).c\n"), "let b = a.b.c\n");
        assert_eq!(fmt("let c = (a + b).c\n"), "let c = (a + b).c\n");
    }

    #[test]
    fn comprehensions_keep_their_form() {
        let text = "let a = sum(x.金额 for x in 明细 if x.数量 > 5) + count([k for k, v in m])\n";
        assert_eq!(fmt(text), text);
    }
}
