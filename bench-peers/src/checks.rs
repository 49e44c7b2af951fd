//! The fifteen checks of `benches/fifteen.tally`, written once as a small
//! expression tree that each peer's module renders in its own language (Rego,
//! CEL, JSONLogic), so that the three peer policies say the same thing.

/// An arithmetic expression over the document.
pub enum Expr {
    /// A value by its dotted path from the document root: `收入.合计`.
    Path(&'static str),
    /// A field of the element a per-row check is looking at.
    Field(&'static str),
    Add(Vec<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    /// The sum of `field` over the elements of the list at `list`.
    Sum {
        list: &'static str,
        field: &'static str,
    },
}

/// One rule: `lhs == rhs` once, or for each element of the list at `list`.
pub enum Check {
    Once { lhs: Expr, rhs: Expr },
    Each { list: &'static str, lhs: Expr, rhs: Expr },
}

const PROCUREMENT_ROWS: &str = "政府采购.表.明细";

/// The six rules of `benches/fifteen.tally`, in its order. On the example
/// `Each` runs over ten rows: 4 + 10 + 1 = 15 checks.
pub fn fifteen() -> Vec<Check> {
    use Expr::*;
    vec![
        // 收入合计
        Check::Once {
            lhs: Add(vec![
                Path("收入.一般公共预算"),
                Path("收入.基金预算"),
                Path("收入.财政专户核拨"),
                Path("收入.其他来源"),
            ]),
            rhs: Path("收入.合计"),
        },
        // 支出合计
        Check::Once {
            lhs: Add(vec![Path("支出.基本支出.合计"), Path("支出.项目支出.合计")]),
            rhs: Path("支出.合计"),
        },
        // 基本支出合计
        Check::Once {
            lhs: Add(vec![Path("支出.基本支出.人员经费"), Path("支出.基本支出.日常公用经费")]),
            rhs: Path("支出.基本支出.合计"),
        },
        // 项目支出合计
        Check::Once {
            lhs: Sum {
                list: "支出.项目支出.明细",
                field: "金额",
            },
            rhs: Path("支出.项目支出.合计"),
        },
        // 采购单价
        Check::Each {
            list: PROCUREMENT_ROWS,
            lhs: Mul(Box::new(Field("数量")), Box::new(Field("单价"))),
            rhs: Field("采购金额"),
        },
        // 采购合计
        Check::Once {
            lhs: Sum {
                list: PROCUREMENT_ROWS,
                field: "采购金额",
            },
            rhs: Path("政府采购.表.合计.采购金额"),
        },
    ]
}

/// What a policy evaluates to: per check its verdict, or (to show why a
/// verdict is wrong) the two sides it compared.
#[derive(Clone, Copy)]
pub enum Output {
    Verdicts,
    Sides,
}

/// One check's verdict: `None` when the engine gave no boolean.
pub type Verdict = Option<bool>;

/// The two sides of one check as the engine computed them, as it prints them.
pub type Sides = (String, String);

/// One entry per check from a policy's result `items` (one item per rule, a
/// list for an `Each` rule): `list` opens a list, `read` reads one check.
pub fn per_check<V, T>(
    engine: &str,
    checks: &[Check],
    items: &[V],
    list: impl Fn(&V) -> Option<&[V]>,
    read: impl Fn(&V) -> T,
) -> Vec<T> {
    assert_eq!(items.len(), checks.len(), "{engine}: one result per rule");
    let mut out = Vec::new();
    for (check, item) in checks.iter().zip(items) {
        match check {
            Check::Once { .. } => out.push(read(item)),
            Check::Each { .. } => {
                let rows = list(item).unwrap_or_else(|| panic!("{engine}: a per-row rule gives a list"));
                out.extend(rows.iter().map(&read));
            }
        }
    }
    out
}
