//! Parser tests. Most are one line: an expression and its tree as an
//! S-expression (`sx`), or a broken input and its message (`err`). A few
//! compare trees built by hand, and a few check spans.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::source::Span;
use crate::syntax::ast::*;

// ------------------------------------------------------------- helpers

fn file(src: &str) -> File {
    match parse(0, src) {
        Ok(f) => f,
        Err(errors) => panic!("{src:?} did not parse: {errors:#?}"),
    }
}

/// The expression `src`, parsed as the value of a file-level `let`.
fn expr(src: &str) -> Expr {
    match file(&format!("let x = {src}")).items.pop() {
        Some(Item::Let(l)) => l.value,
        other => panic!("expected a let, got {other:?}"),
    }
}

/// All errors of `src`.
fn errors(src: &str) -> Vec<SyntaxError> {
    match parse(0, src) {
        Ok(f) => panic!("{src:?} parsed: {f:#?}"),
        Err(errors) => errors,
    }
}

/// The first error message of `src`.
fn err(src: &str) -> String {
    errors(src).remove(0).message
}

/// The first error of `src` as the expression of a file-level `let`.
fn eerr(src: &str) -> SyntaxError {
    errors(&format!("let x = {src}")).remove(0)
}

/// The text an error's span covers.
fn spanned<'a>(src: &'a str, e: &SyntaxError) -> &'a str {
    &src[e.span().range()]
}

/// `src` as an S-expression, to write precedence tests in one line.
fn sx(src: &str) -> String {
    show(&expr(src))
}

fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => n.to_string(),
        ExprKind::String(s) => format!("{s:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".into(),
        ExprKind::List(items) => format!("[{}]", join(items)),
        ExprKind::Root => "$".into(),
        ExprKind::Name(n) => n.to_string(),
        ExprKind::Field { base, key, optional } => {
            format!("({} {} {})", if *optional { "?." } else { "." }, show(base), key.name)
        }
        ExprKind::Index { base, index } => format!("(idx {} {})", show(base), show(index)),
        ExprKind::Wildcard(base) => format!("([*] {})", show(base)),
        ExprKind::Call { callee, args } => format!("(call {} {})", callee.name, join(args)),
        ExprKind::Comprehension(c) => format!(
            "(for {} {}{} {}{})",
            show(&c.body),
            c.key.as_ref().map_or(String::new(), |k| format!("{},", k.name)),
            c.var.name,
            show(&c.iter),
            c.cond.as_ref().map_or(String::new(), |c| format!(" if {}", show(c)))
        ),
        ExprKind::Unary { op, operand } => {
            let op = match op {
                UnaryOp::Not => "not",
                UnaryOp::Neg => "neg",
            };
            format!("({op} {})", show(operand))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), show(lhs), show(rhs))
        }
        ExprKind::Compare { op, lhs, rhs, within } => {
            let within = match within {
                None => String::new(),
                Some(Within::Rounding(_)) => " within rounding".into(),
                Some(Within::Tolerance(t)) => format!(" within {}", show(t)),
            };
            format!("({} {} {}{within})", op.symbol(), show(lhs), show(rhs))
        }
    }
}

fn join(items: &[Expr]) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(" ")
}

// Hand-built trees (spans are ignored by `PartialEq`).
fn sp() -> Span {
    Span::default()
}
fn id(name: &str) -> Ident {
    Ident {
        name: name.into(),
        span: sp(),
    }
}
fn e(kind: ExprKind) -> Expr {
    Expr { kind, span: sp() }
}
fn name(n: &str) -> Expr {
    e(ExprKind::Name(n.into()))
}
fn num(n: &str) -> Expr {
    e(ExprKind::Number(Decimal::from_str(n).unwrap()))
}
fn fld(base: Expr, key: &str) -> Expr {
    e(ExprKind::Field {
        base: Box::new(base),
        key: id(key),
        optional: false,
    })
}
fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    e(ExprKind::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    })
}
fn cmp(op: CompareOp, lhs: Expr, rhs: Expr, within: Option<Within>) -> Expr {
    e(ExprKind::Compare {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
        within,
    })
}
fn stmt(kind: StmtKind) -> Stmt {
    Stmt { kind, span: sp() }
}

/// Runs `f` on a thread with the default 2 MiB test stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

// ----------------------------------------------------------- precedence

#[test]
fn arithmetic_precedence() {
    assert_eq!(sx("a + b * c"), "(+ a (* b c))");
    assert_eq!(sx("a * b + c"), "(+ (* a b) c)");
    assert_eq!(sx("a - b - c"), "(- (- a b) c)");
    assert_eq!(sx("a / b / c"), "(/ (/ a b) c)");
    assert_eq!(sx("(a + b) * c"), "(* (+ a b) c)");
}

#[test]
fn logic_precedence() {
    assert_eq!(sx("a or b and c"), "(or a (and b c))");
    assert_eq!(sx("a and b or c"), "(or (and a b) c)");
    assert_eq!(sx("not a == b"), "(not (== a b))");
    assert_eq!(sx("not a and b"), "(and (not a) b)");
    assert_eq!(sx("a and not b"), "(and a (not b))");
    assert_eq!(sx("not not a"), "(not (not a))");
}

#[test]
fn comparison_operators() {
    assert_eq!(sx("a == b"), "(== a b)");
    assert_eq!(sx("a != b"), "(!= a b)");
    assert_eq!(sx("a < b"), "(< a b)");
    assert_eq!(sx("a <= b"), "(<= a b)");
    assert_eq!(sx("a > b"), "(> a b)");
    assert_eq!(sx("a >= b"), "(>= a b)");
    assert_eq!(sx("a + 1 >= b * 2"), "(>= (+ a 1) (* b 2))");
    assert_eq!(sx("a in [1, 2]"), "(in a [1 2])");
    assert_eq!(sx(r#"s matches "^\d{6}$""#), r#"(matches s "^\\d{6}$")"#);
    assert_eq!(sx("a == b and c < d"), "(and (== a b) (< c d))");
    assert_eq!(sx("(a == b) == c"), "(== (== a b) c)");
}

#[test]
fn coalesce_precedence() {
    assert_eq!(sx("a ?? b + c"), "(?? a (+ b c))");
    assert_eq!(sx("a ?? b == c"), "(== (?? a b) c)");
    assert_eq!(sx("a ?? b ?? c"), "(?? (?? a b) c)");
    assert_eq!(sx("a?.b ?? 0"), "(?? (?. a b) 0)");
}

#[test]
fn unary_minus() {
    assert_eq!(sx("-a.b"), "(neg (. a b))");
    assert_eq!(sx("-a * b"), "(* (neg a) b)");
    assert_eq!(sx("a - -b"), "(- a (neg b))");
    assert_eq!(sx("- - a"), "(neg (neg a))");
    assert_eq!(sx("-(1)"), "(neg 1)");
}

#[test]
fn negative_literals_fold() {
    assert_eq!(expr("-0.1"), num("-0.1"));
    assert_eq!(sx("-0.1"), "-0.1");
    assert_eq!(sx("a - 1"), "(- a 1)");
    assert_eq!(sx("a[-1]"), "(idx a -1)");
    assert_eq!(sx("-0"), "0");
}

#[test]
fn within() {
    assert_eq!(sx("a == b within 0.005"), "(== a b within 0.005)");
    assert_eq!(sx("a != b within t"), "(!= a b within t)");
    assert_eq!(sx("a == b within rounding"), "(== a b within rounding)");
    assert_eq!(sx("a + b == c within t + 1"), "(== (+ a b) c within (+ t 1))");
    assert_eq!(sx("a == b within t and c"), "(and (== a b within t) c)");
    assert_eq!(sx("not a == b within rounding"), "(not (== a b within rounding))");
    // `rounding` is an ordinary name elsewhere.
    assert_eq!(sx("rounding + 1"), "(+ rounding 1)");
    assert_eq!(sx("a == b within (rounding)"), "(== a b within rounding)");
    assert!(matches!(
        expr("a == b within (rounding)").kind,
        ExprKind::Compare {
            within: Some(Within::Tolerance(_)),
            ..
        }
    ));
    assert_eq!(sx("a == b within roundingx"), "(== a b within roundingx)");
}

#[test]
fn within_tree_by_hand() {
    let tree = cmp(
        CompareOp::Eq,
        bin(BinaryOp::Mul, fld(name("item"), "数量"), fld(name("item"), "单价")),
        fld(name("item"), "采购金额"),
        Some(Within::Tolerance(Box::new(num("0.005")))),
    );
    assert_eq!(expr("item.数量 * item.单价 == item.采购金额 within 0.005"), tree);
    let rounding = cmp(CompareOp::Eq, name("a"), name("b"), Some(Within::Rounding(sp())));
    assert_eq!(expr("a == b within rounding"), rounding);
}

// -------------------------------------------------------------- postfix

#[test]
fn paths() {
    assert_eq!(sx("a.b.c"), "(. (. a b) c)");
    assert_eq!(sx("a?.b.c"), "(. (?. a b) c)");
    assert_eq!(sx(r#"a["3月底"]"#), r#"(idx a "3月底")"#);
    assert_eq!(sx("a[i + 1]"), "(idx a (+ i 1))");
    assert_eq!(sx("a[*].b"), "(. ([*] a) b)");
    assert_eq!(sx("a[ * ]"), "([*] a)");
    assert_eq!(sx("$.收入"), "(. $ 收入)");
    assert_eq!(sx("$[\"a b\"]"), "(idx $ \"a b\")");
    assert_eq!(sx("f(x).y[0]"), "(idx (. (call f x) y) 0)");
}

#[test]
fn keywords_are_keys_after_a_dot() {
    assert_eq!(sx("x.title"), "(. x title)");
    assert_eq!(sx("x.in"), "(. x in)");
    assert_eq!(sx("x?.not.rule"), "(. (?. x not) rule)");
}

#[test]
fn keyword_prefixes_are_names() {
    assert_eq!(sx("index + notes"), "(+ index notes)");
    assert_eq!(sx("title_x * within_t"), "(* title_x within_t)");
    assert_eq!(sx("error"), "error");
}

#[test]
fn unicode_identifiers() {
    assert_eq!(sx("支出.基本支出.合计"), "(. (. 支出 基本支出) 合计)");
    assert_eq!(sx("采购金额 + item_1 + _x"), "(+ (+ 采购金额 item_1) _x)");
}

// ------------------------------------------------------------ primaries

#[test]
fn literals() {
    assert_eq!(sx("1537.92"), "1537.92");
    assert_eq!(sx("0"), "0");
    assert_eq!(sx("25%"), "0.25");
    assert_eq!(sx("12.5%"), "0.125");
    assert_eq!(expr("25%"), num("0.25"));
    assert_eq!(sx("true"), "true");
    assert_eq!(sx("false"), "false");
    assert_eq!(sx("null"), "null");
    assert_eq!(sx("$"), "$");
    assert_eq!(sx(r#""a\"b\u{4E2D}""#), r#""a\"b中""#);
    assert_eq!(sx(r#""^\d{4}""#), r#""^\\d{4}""#);
}

#[test]
fn lists() {
    assert_eq!(sx("[]"), "[]");
    assert_eq!(sx("[1]"), "[1]");
    assert_eq!(sx("[1, 2,]"), "[1 2]");
    assert_eq!(sx("[[1], [2, 3]]"), "[[1] [2 3]]");
    assert_eq!(sx("[\n  1, # one\n  2\n]"), "[1 2]");
}

#[test]
fn comprehensions() {
    assert_eq!(sx("[x.a for x in xs]"), "(for (. x a) x xs)");
    assert_eq!(sx("[x for x in xs if x > 1]"), "(for x x xs if (> x 1))");
    assert_eq!(sx("[x for x in xs if x in ys]"), "(for x x xs if (in x ys))");
    assert_eq!(sx("[k for k, v in m]"), "(for k k,v m)");
    assert_eq!(sx("[x in ys for x in xs]"), "(for (in x ys) x xs)");
    assert_eq!(sx("[[y for y in x] for x in xs]"), "(for (for y y x) x xs)");
}

#[test]
fn comprehension_tree_by_hand() {
    let c = Comprehension {
        body: fld(name("v"), "金额"),
        key: Some(id("k")),
        var: id("v"),
        iter: name("m"),
        cond: Some(cmp(CompareOp::Gt, name("k"), num("0"), None)),
    };
    assert_eq!(
        expr("[v.金额 for k, v in m if k > 0]"),
        e(ExprKind::Comprehension(Box::new(c)))
    );
}

#[test]
fn calls() {
    assert_eq!(sx("f()"), "(call f )");
    assert_eq!(sx("round(a, 2)"), "(call round a 2)");
    assert_eq!(sx("round(a, 2,)"), "(call round a 2)");
    assert_eq!(sx("sum(明细[*].金额)"), "(call sum (. ([*] 明细) 金额))");
    assert_eq!(sx("matches(s, \"x\")"), "(call matches s \"x\")");
    assert_eq!(
        sx("sum(x.金额 for x in 明细 if x.数量 > 5)"),
        "(call sum (for (. x 金额) x 明细 if (> (. x 数量) 5)))"
    );
    assert_eq!(sx("count(k for k, v in m)"), "(call count (for k k,v m))");
}

#[test]
fn generator_argument_by_hand() {
    let c = Comprehension {
        body: name("x"),
        key: None,
        var: id("x"),
        iter: name("xs"),
        cond: None,
    };
    let tree = e(ExprKind::Call {
        callee: id("sum"),
        args: vec![e(ExprKind::Comprehension(Box::new(c)))],
    });
    assert_eq!(expr("sum(x for x in xs)"), tree);
}

// ---------------------------------------------------------------- items

#[test]
fn items() {
    let f = file("import \"common.tally\"\nlet 容差 = 0.005\nfn 近似(a, b) = abs(a - b) <= 容差\nfn k() = 1\n");
    assert_eq!(f.items.len(), 4);
    assert_eq!(
        f.items[0],
        Item::Import(Import {
            path: "common.tally".into(),
            span: sp()
        })
    );
    assert_eq!(
        f.items[1],
        Item::Let(LetItem {
            name: id("容差"),
            value: num("0.005")
        })
    );
    let Item::Fn(近似) = &f.items[2] else { panic!() };
    assert_eq!(近似.params, vec![id("a"), id("b")]);
    assert_eq!(show(&近似.body), "(<= (call abs (- a b)) 容差)");
    let Item::Fn(k) = &f.items[3] else { panic!() };
    assert!(k.params.is_empty());
}

#[test]
fn schema_is_an_item_keyword_only_where_an_item_starts() {
    let src = "schema \"schema.json\"\nlet schema = x.schema\n";
    let f = file(src);
    let Item::Schema(s) = &f.items[0] else {
        panic!("a schema item")
    };
    assert_eq!(s.path, "schema.json");
    assert_eq!(&src[s.span.range()], "schema \"schema.json\"");
    let Item::Let(item) = &f.items[1] else { panic!("a let") };
    assert_eq!(item.name, id("schema"));
    assert_eq!(show(&item.value), "(. x schema)");
}

#[test]
fn rule_with_metadata_and_statements() {
    let f = file(
        r#"
rule R1 {
  title "标题"
  severity warning
  cite "规程"
  tags [预算, totals,]
  let t = 1
  for k, v in m { when v > t { assert v < 10 message "{k}: {v}" at v } }
  for x in xs { assert x }
}"#,
    );
    let Item::Rule(r) = &f.items[0] else { panic!() };
    assert_eq!(r.id, id("R1"));
    let kinds: Vec<MetaKind> = r.meta.iter().map(|m| m.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            MetaKind::Title("标题".into()),
            MetaKind::Severity(id("warning")),
            MetaKind::Cite("规程".into()),
            MetaKind::Tags(vec![id("预算"), id("totals")]),
        ]
    );
    let assert = stmt(StmtKind::Assert(Assert {
        cond: cmp(CompareOp::Lt, name("v"), num("10"), None),
        message: Some(Message {
            parts: vec![
                MessagePart::Expr(name("k")),
                MessagePart::Text(": ".into()),
                MessagePart::Expr(name("v")),
            ],
            span: sp(),
        }),
        at: Some(name("v")),
    }));
    let body = vec![
        stmt(StmtKind::Let {
            name: id("t"),
            value: num("1"),
        }),
        stmt(StmtKind::For {
            key: Some(id("k")),
            value: id("v"),
            iter: name("m"),
            body: vec![stmt(StmtKind::When {
                cond: cmp(CompareOp::Gt, name("v"), name("t"), None),
                body: vec![assert],
            })],
        }),
        stmt(StmtKind::For {
            key: None,
            value: id("x"),
            iter: name("xs"),
            body: vec![stmt(StmtKind::Assert(Assert {
                cond: name("x"),
                message: None,
                at: None,
            }))],
        }),
    ];
    assert_eq!(r.body, body);
}

#[test]
fn statements_end_where_their_grammar_ends() {
    let f = file("rule r { let a = 1 let b = a assert a == b at a assert b }");
    let Item::Rule(r) = &f.items[0] else { panic!() };
    assert_eq!(r.body.len(), 4);
    let f = file("rule r { assert a\n  in b\n}");
    let Item::Rule(r) = &f.items[0] else { panic!() };
    assert_eq!(r.body.len(), 1);
}

#[test]
fn for_header_in_and_in_operator() {
    let f = file("rule r { for x in xs { assert x in [1, 2] } }");
    let Item::Rule(r) = &f.items[0] else { panic!() };
    let StmtKind::For { iter, body, .. } = &r.body[0].kind else {
        panic!()
    };
    assert_eq!(show(iter), "xs");
    let StmtKind::Assert(a) = &body[0].kind else { panic!() };
    assert_eq!(show(&a.cond), "(in x [1 2])");
}

fn message(src: &str) -> Message {
    let f = file(&format!("rule r {{ assert a message {src} }}"));
    let Item::Rule(mut r) = f.items.into_iter().next().unwrap() else {
        panic!()
    };
    let StmtKind::Assert(a) = r.body.remove(0).kind else {
        panic!()
    };
    a.message.unwrap()
}

fn parts(src: &str) -> Vec<String> {
    message(src)
        .parts
        .iter()
        .map(|p| match p {
            MessagePart::Text(t) => format!("{t:?}"),
            MessagePart::Expr(e) => show(e),
        })
        .collect()
}

#[test]
fn message_interpolation() {
    assert_eq!(parts(r#""plain""#), [r#""plain""#]);
    assert_eq!(parts(r#""""#), Vec::<String>::new());
    assert_eq!(parts(r#""{a}""#), ["a"]);
    assert_eq!(
        parts(r#""{{literal}} {x.a + 1} ≠ {y}\n""#),
        [r#""{literal} ""#, "(+ (. x a) 1)", r#"" ≠ ""#, "y", r#""\n""#]
    );
    assert_eq!(parts(r#""a{{b}}c""#), [r#""a{b}c""#]);
    assert_eq!(parts(r#""{ f("}", [1]) }""#), [r#"(call f "}" [1])"#]);
    assert_eq!(parts(r#""{m["3月底"] ?? "无"}""#), [r#"(?? (idx m "3月底") "无")"#]);
    assert_eq!(parts(r#""\d{{2}}""#), [r#""\\d{2}""#]);
}

#[test]
fn message_spans() {
    let src = r#"rule r { assert a message "值 {x.a} 错" }"#;
    let Item::Rule(r) = &file(src).items[0] else { panic!() };
    let StmtKind::Assert(a) = &r.body[0].kind else { panic!() };
    let m = a.message.as_ref().unwrap();
    assert_eq!(&src[m.span.range()], r#""值 {x.a} 错""#);
    let MessagePart::Expr(x) = &m.parts[1] else { panic!() };
    assert_eq!(&src[x.span.range()], "x.a");
}

#[test]
fn expression_spans() {
    let src = "let x = 1 + (a.b * 2) ?? c[0]";
    let Item::Let(l) = &file(src).items[0] else { panic!() };
    assert_eq!(&src[l.value.span.range()], "1 + (a.b * 2) ?? c[0]");
    let ExprKind::Binary { lhs, rhs, .. } = &l.value.kind else {
        panic!()
    };
    assert_eq!(&src[lhs.span.range()], "1 + (a.b * 2)");
    assert_eq!(&src[rhs.span.range()], "c[0]");
    let ExprKind::Binary { rhs: paren, .. } = &lhs.kind else {
        panic!()
    };
    assert_eq!(&src[paren.span.range()], "(a.b * 2)");
    let src = "let y = -0.5 == f(x) within rounding";
    let Item::Let(l) = &file(src).items[0] else { panic!() };
    assert_eq!(&src[l.value.span.range()], "-0.5 == f(x) within rounding");
    let ExprKind::Compare {
        lhs,
        rhs,
        within: Some(Within::Rounding(r)),
        ..
    } = &l.value.kind
    else {
        panic!()
    };
    assert_eq!(&src[lhs.span.range()], "-0.5");
    assert_eq!(&src[rhs.span.range()], "f(x)");
    assert_eq!(&src[r.range()], "within rounding");
}

#[test]
fn item_spans() {
    let src = "# c\nrule 规则 {\n  title \"t\"\n  assert a\n}\nimport \"x\"";
    let f = file(src);
    let Item::Rule(r) = &f.items[0] else { panic!() };
    assert_eq!(&src[r.span.range()], "rule 规则 {\n  title \"t\"\n  assert a\n}");
    assert_eq!(&src[r.id.span.range()], "规则");
    assert_eq!(&src[r.meta[0].span.range()], "title \"t\"");
    assert_eq!(&src[r.body[0].span.range()], "assert a");
    let Item::Import(i) = &f.items[1] else { panic!() };
    assert_eq!(&src[i.span.range()], "import \"x\"");
}

#[test]
fn spec_seed_example() {
    let src = r#"
# rules/cn-budget/totals.tally
rule 支出构成 {
  title    "基本支出与项目支出之和等于支出合计"
  severity error
  cite     "地方预决算公开操作规程"
  assert 支出.基本支出.合计 + 支出.项目支出.合计 == 支出.合计
}

rule 采购明细 {
  title "每项采购：数量 × 单价 = 采购金额"
  for item in 政府采购.表.明细 {
    assert item.数量 * item.单价 == item.采购金额 within 0.005
      message "{item.品名}: {item.数量} × {item.单价} ≠ {item.采购金额}"
  }
}

rule 采购合计 {
  assert sum(政府采购.表.明细[*].采购金额) == 政府采购.合计
}
"#;
    let f = file(src);
    assert_eq!(f.items.len(), 3);
    let Item::Rule(r) = &f.items[1] else { panic!() };
    let StmtKind::For { body, .. } = &r.body[0].kind else {
        panic!()
    };
    let StmtKind::Assert(a) = &body[0].kind else { panic!() };
    assert_eq!(
        show(&a.cond),
        "(== (* (. item 数量) (. item 单价)) (. item 采购金额) within 0.005)"
    );
    assert_eq!(a.message.as_ref().unwrap().parts.len(), 7);
    let Item::Rule(r) = &f.items[2] else { panic!() };
    let StmtKind::Assert(a) = &r.body[0].kind else { panic!() };
    assert_eq!(
        show(&a.cond),
        "(== (call sum (. ([*] (. (. 政府采购 表) 明细)) 采购金额)) (. 政府采购 合计))"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(file("").items, vec![]);
    assert_eq!(file("# nothing\n  \n# here").items, vec![]);
}

// ------------------------------------------------------------------ depth

#[test]
fn deep_parentheses_are_an_error_not_an_overflow() {
    on_small_stack(|| {
        let src = format!("let x = {}1{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = errors(&src);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].message, "expression nests more than 128 levels");
    });
}

#[test]
fn deep_lists_calls_and_prefixes_are_errors() {
    on_small_stack(|| {
        for src in [
            format!("let x = {}1{}", "[".repeat(10_000), "]".repeat(10_000)),
            format!("let x = {}1{}", "f(".repeat(10_000), ")".repeat(10_000)),
            format!("let x = {}a", "not ".repeat(10_000)),
            format!("let x = {}a", "- ".repeat(10_000)),
            format!("let x = {}a", "-".repeat(10_000)),
            format!("let x = {}a", "not (".repeat(10_000)),
            format!("rule r {{ {} }}", "when a { ".repeat(10_000)),
            format!("rule r {{ assert a message \"{{{}1\" }}", "(".repeat(10_000)),
        ] {
            assert_eq!(err(&src), "expression nests more than 128 levels", "{}", &src[..40]);
        }
    });
}

#[test]
fn nesting_up_to_the_limit_parses_on_a_small_stack() {
    on_small_stack(|| {
        let src = format!("let x = {}1{}", "(".repeat(127), ")".repeat(127));
        assert_eq!(expr_of(&src), "1");
        let src = format!("let x = {}a", "not ".repeat(120));
        assert!(parse(0, &src).is_ok());
        let src = format!("let x = {}1{}", "[".repeat(127), "]".repeat(127));
        assert!(parse(0, &src).is_ok());
        let src = format!("let x = {}1{}", "f(".repeat(127), ")".repeat(127));
        assert!(parse(0, &src).is_ok());
    });
}

fn expr_of(src: &str) -> String {
    match file(src).items.pop() {
        Some(Item::Let(l)) => show(&l.value),
        other => panic!("{other:?}"),
    }
}

#[test]
fn long_flat_chains_are_an_error_not_an_overflow() {
    on_small_stack(|| {
        let src = format!("let x = 1{}", " + 1".repeat(10_000));
        let e = errors(&src);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].message, "expression nests more than 256 levels");
        let src = format!("let x = a{}", " and a".repeat(10_000));
        assert_eq!(err(&src), "expression nests more than 256 levels");
        let src = format!("let x = a{}", ".b".repeat(10_000));
        assert_eq!(err(&src), "expression nests more than 256 levels");
    });
}

#[test]
fn chains_within_the_limit_parse() {
    on_small_stack(|| {
        let src = format!("let x = 1{}", " + 1".repeat(200));
        assert!(parse(0, &src).is_ok());
        let src = format!("let x = [{}]", "1, ".repeat(10_000));
        assert!(parse(0, &src).is_ok());
        let src = "rule r { assert a }\n".repeat(2_000);
        assert_eq!(file(&src).items.len(), 2_000);
    });
}

#[test]
fn a_deep_item_is_reported_and_the_others_still_checked() {
    let src = format!(
        "rule a {{ assert x = 1 }}\nlet deep = {}1{}\nlet y = 1e3\n",
        "(".repeat(500),
        ")".repeat(500)
    );
    let messages: Vec<String> = errors(&src).into_iter().map(|e| e.message).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].starts_with("expected an operator"));
    assert_eq!(messages[1], "expression nests more than 128 levels");
    assert_eq!(messages[2], "number `1e3` has an exponent");
}

// ---------------------------------------------------------------- errors

#[test]
fn equals_instead_of_double_equals() {
    let src = "rule r { assert a = b }";
    let e = errors(src).remove(0);
    assert_eq!(
        e.message,
        "expected an operator, `(`, `message`, `at`, `}`, `assert`, `let`, `for` or `when`, found `=`"
    );
    assert_eq!(e.span(), Span::new(0, 18, 19));
    assert_eq!(
        e.help.as_deref(),
        Some("to compare two values write `==`; `=` only binds a name in `let`")
    );
}

#[test]
fn exponents_and_separators() {
    let e = eerr("1e3 + 1");
    assert_eq!(e.message, "number `1e3` has an exponent");
    assert_eq!(e.help.as_deref(), Some("write the number out in full: `1000`"));
    assert_eq!(e.span(), Span::new(0, 8, 11));
    assert_eq!(eerr("2.5E-2").message, "number `2.5E-2` has an exponent");
    assert_eq!(eerr("1_000").message, "number `1_000` contains `_`");
    assert_eq!(
        eerr("12345678901234567890123456789").message,
        "number `12345678901234567890123456789` has more than 28 significant digits"
    );
}

#[test]
fn keys_that_are_not_names() {
    let e = eerr("支出计划.3月底");
    assert_eq!(e.message, "`3月底` cannot follow `.`");
    assert_eq!(
        e.help.as_deref(),
        Some("a key that is not a name is read with a string index: `支出计划[\"3月底\"]`")
    );
    assert_eq!(eerr("3月底").message, "`3月底` is neither a number nor a name");
}

#[test]
fn c_style_operators() {
    let help = |s: &str| eerr(s).help.unwrap();
    assert_eq!(help("a && b"), "write `and` instead of `&&`");
    assert_eq!(help("a || b"), "write `or` instead of `||`");
    assert_eq!(help("!a"), "write `not` instead of `!`");
    assert_eq!(help("+1"), "numbers are written without a leading `+`");
    assert_eq!(help("'a'"), "strings are written in double quotes: `\"…\"`");
    assert_eq!(
        help("a.f(1)"),
        "only a function name can be called: write `f(x)`, not `x.f()`"
    );
    assert_eq!(
        help("{a: 1}"),
        "maps cannot be written in rules; read them from the data"
    );
}

#[test]
fn chained_comparisons() {
    let src = "let x = a == b == c";
    let e = errors(src).remove(0);
    assert_eq!(e.message, "comparisons cannot be chained");
    assert_eq!(spanned(src, &e), "==");
    assert_eq!(e.span(), Span::new(0, 15, 17));
    assert_eq!(
        e.help.as_deref(),
        Some("combine comparisons with `and`: `a == b and b == c`")
    );
    assert_eq!(eerr("a < b <= c").message, "comparisons cannot be chained");
    assert_eq!(eerr("a in b == c").message, "comparisons cannot be chained");
    assert_eq!(eerr("a matches b in c").message, "comparisons cannot be chained");
    assert_eq!(eerr("a == b within c == d").message, "comparisons cannot be chained");
}

#[test]
fn misplaced_within() {
    let e = eerr("a < b within 1");
    assert_eq!(e.message, "`within` can only follow `==` or `!=`");
    assert_eq!(e.label, "`within` after `<`");
    assert_eq!(
        eerr("a within rounding").message,
        "`within` can only follow `==` or `!=`"
    );
    assert_eq!(
        eerr("a == b within 1 within 2").message,
        "a comparison takes only one `within`"
    );
}

#[test]
fn missing_closing_brace() {
    let src = "rule r {\n  assert a\n";
    let e = errors(src).remove(0);
    assert!(e.message.ends_with("found end of file"), "{}", e.message);
    assert_eq!(e.span(), Span::new(0, src.len(), src.len()));
    assert_eq!(e.help.as_deref(), Some("the `{` on line 1 is never closed; add a `}`"));
    let src = "rule r {\n  assert a\n\nrule s { assert b }\n";
    let e = errors(src);
    assert_eq!(e.len(), 1);
    assert_eq!(spanned(src, &e[0]), "rule");
    assert_eq!(
        e[0].help.as_deref(),
        Some("the item above is not closed; add a `}` before this line")
    );
    assert_eq!(
        eerr("(1 + 2").help.as_deref(),
        Some("the `(` on line 1 is never closed; add a `)`")
    );
}

#[test]
fn metadata_errors() {
    let src = "rule r {\n  assert a\n  title \"x\"\n}";
    let e = errors(src).remove(0);
    assert_eq!(e.message, "metadata must come first: `title` after a statement");
    assert_eq!(spanned(src, &e), "title \"x\"");
    assert_eq!(
        err("rule r { title \"x\" title \"y\" }"),
        "duplicate `title` in rule `r`"
    );
    assert_eq!(
        err("rule r { for x in y { severity info } }"),
        "`severity` is only allowed at the top of a rule"
    );
}

#[test]
fn message_errors() {
    let src = "rule r { assert a message \"x } y\" }";
    let e = errors(src).remove(0);
    assert_eq!(e.message, "unmatched `}` in a message");
    assert_eq!(e.span(), Span::new(0, 29, 30));
    assert_eq!(spanned(src, &e), "}");
    let src = "rule r { assert a message \"x {y\" }";
    let e = errors(src).remove(0);
    assert_eq!(e.message, "unclosed `{` in a message");
    assert_eq!(spanned(src, &e), "{");
    assert_eq!(
        err("rule r { assert a message \"{a +}\" }"),
        "expected an expression, found `}`"
    );
}

#[test]
fn string_errors() {
    let src = "let x = \"abc\nlet y = 2";
    let e = errors(src).remove(0);
    assert_eq!(e.message, "unterminated string");
    assert_eq!(spanned(src, &e), "\"abc");
    let src = "rule r { assert a message \"open\n}";
    assert_eq!(err(src), "unterminated string");
    assert_eq!(eerr(r#""\u{D800}""#).message, r"invalid unicode escape `\u{D800}`");
}

#[test]
fn keywords_are_not_names() {
    let e = errors("let in = 3").remove(0);
    assert_eq!(e.message, "expected a name, found `in`");
    assert!(e.help.unwrap().contains("`in` is a keyword"));
    assert_eq!(eerr("let").message, "expected an expression, found `let`");
    assert_eq!(
        err("rule r { if a { assert b } }"),
        "expected `}`, `assert`, `let`, `for` or `when`, found `if`"
    );
    assert_eq!(err("rule 1x { }"), "expected a name, found `1x`");
}

#[test]
fn top_level_garbage() {
    assert_eq!(
        err("garbage"),
        "expected `let`, `rule`, `fn` or `import`, found `garbage`"
    );
    assert_eq!(
        err("let x = a b"),
        "expected an operator, `(`, `let`, `rule`, `fn`, `import`, `param`, `input` or end of file, found `b`"
    );
}

#[test]
fn several_errors_per_file() {
    let src = "rule a { assert x }\nrule 1x { }\nrule s { assert b = c }\nlet y = 1e5\nrule ok { assert z }\n";
    let e = errors(src);
    let got: Vec<(&str, &str)> = e.iter().map(|e| (e.message.as_str(), spanned(src, e))).collect();
    assert_eq!(
        got,
        [
            ("expected a name, found `1x`", "1x"),
            (
                "expected an operator, `(`, `message`, `at`, `}`, `assert`, `let`, `for` or `when`, found `=`",
                "="
            ),
            ("number `1e5` has an exponent", "1e5"),
        ]
    );
}

#[test]
fn builder_errors_before_a_syntax_error_are_kept() {
    let src = "let a = 1e3\nrule r { assert = }\n";
    let e = errors(src);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].message, "number `1e3` has an exponent");
    assert_eq!(e[1].message, "expected an expression, found `=`");
}

#[test]
fn unindented_statements_still_parse_as_one_file() {
    // The item-start heuristic is only used after an error.
    let f = file("rule r {\nlet a = 1\nassert a\n}\n");
    assert_eq!(f.items.len(), 1);
}
