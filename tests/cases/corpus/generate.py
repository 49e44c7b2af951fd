#!/usr/bin/env python3
"""Generate the cn-budget test corpus (tests/cases/corpus/<kind>/*.yaml).

Every document is CONSTRUCTED for the test corpus: the units are invented, the
figures are made internally consistent here (amounts kept in 分 as integers and
written in 万元 with two decimals, so every table adds up exactly), and the
defect variants each change ONE figure of a clean document and annotate the
changed line with the findings it must produce (`# expect: RULE`).

Run from the repository root:  python3 tests/cases/corpus/generate.py
The YAML files it writes are committed; `cargo test` runs them through
`tally test tests/cases/corpus` (tests/bundled.rs).
"""

import os
import shutil

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)))
YEAR = 2024

# 功能分类科目名称（政府收支分类科目，类 3 位、款 5 位、项 7 位）。
FUNC = {
    "201": "一般公共服务支出",
    "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行", "2010350": "事业运行",
    "20104": "发展与改革事务", "2010401": "行政运行",
    "20138": "市场监督管理事务", "2013801": "行政运行", "2013804": "市场主体管理", "2013812": "药品事务", "2013816": "食品安全监管",
    "2013899": "其他市场监督管理事务",
    "205": "教育支出",
    "20501": "教育管理事务", "2050101": "行政运行",
    "20502": "普通教育", "2050201": "学前教育", "2050202": "小学教育", "2050203": "初中教育", "2050204": "高中教育",
    "207": "文化旅游体育与传媒支出",
    "20701": "文化和旅游", "2070104": "图书馆", "2070109": "群众文化",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出",
    "21001": "卫生健康管理事务", "2100101": "行政运行", "2100199": "其他卫生健康管理事务支出",
    "21004": "公共卫生", "2100401": "疾病预防控制机构", "2100403": "妇幼保健机构", "2100408": "基本公共卫生服务", "2100409": "重大公共卫生服务",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗",
    "212": "城乡社区支出",
    "21201": "城乡社区管理事务", "2120101": "行政运行", "2120104": "城管执法",
    "21205": "城乡社区环境卫生", "2120501": "城乡社区环境卫生",
    "21208": "国有土地使用权出让收入安排的支出", "2120804": "农村基础设施建设支出",
    "213": "农林水支出",
    "21301": "农业农村", "2130104": "事业运行",
    "21307": "农村综合改革", "2130705": "对村民委员会和村党支部的补助",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
    "223": "国有资本经营预算支出",
    "22301": "解决历史遗留问题及改革成本支出", "2230105": "国有企业退休人员社会化管理补助支出",
    "229": "其他支出",
    "22960": "彩票公益金安排的支出", "2296002": "用于社会福利的彩票公益金支出",
}

# 部门预算支出经济分类（类 3 位、款 5 位）。
ECON = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
    "30112": "其他社会保障缴费", "30113": "住房公积金",
    "302": "商品和服务支出", "30201": "办公费", "30205": "水费", "30206": "电费", "30207": "邮电费",
    "30211": "差旅费", "30216": "培训费", "30217": "公务接待费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30299": "其他商品和服务支出",
}

FUNDS = ["一般", "基金", "国资", "事业"]
INCOME_KEY = {"一般": "一般公共预算拨款", "基金": "政府性基金预算拨款", "国资": "国有资本经营预算拨款", "事业": "事业收入"}
TABLE_OF = {"一般": "一般公共预算支出表", "基金": "政府性基金预算支出表", "国资": "国有资本经营预算支出表"}
PROC_COL = {"一般": "一般公共预算拨款", "基金": "基金预算拨款", "国资": "国有资本经营预算拨款", "事业": "单位资金"}


def w(c):
    """分 -> 万元 text with two decimals (1 万元 = 1,000,000 分)."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 1000000}.{(c % 1000000) // 10000:02d}"


def wan(x):
    """万元 (a string or number as written) -> 分, exactly."""
    s = str(x)
    neg = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    frac = (frac + "00")[:2]
    c = int(whole) * 1000000 + int(frac) * 10000
    return -c if neg else c


def split(total, shares):
    """Split `total` 分 (a multiple of 100 分 = 0.01 万元) by `shares`; the last takes the remainder."""
    parts, used = [], 0
    for s in shares[:-1]:
        p = int(total * s) // 10000 * 10000
        parts.append(p)
        used += p
    parts.append(total - used)
    return parts


class Doc:
    """A YAML text built line by line; tagged lines can be changed by a variant."""

    def __init__(self):
        self.lines, self.tags = [], {}

    def add(self, text, tag=None):
        if tag:
            assert tag not in self.tags, tag
            self.tags[tag] = len(self.lines)
        self.lines.append(text)

    def text(self):
        return "\n".join(self.lines) + "\n"


def flow(d):
    items = []
    for k, v in d.items():
        items.append(f"{k}: {v}")
    return "{" + ", ".join(items) + "}"


# ---------------------------------------------------------------- one unit

class Unit:
    def __init__(self, spec):
        self.s = spec
        self.name = spec["名称"]
        self.admin = spec["性质"] == "行政"
        P, G = wan(spec["人员经费"]), wan(spec["公用经费"])
        self.P, self.G = P, G
        # 人员经费 by 经济分类款.
        pay = "30103" if self.admin else "30107"
        keys = ["30108", "30109", "30110", "30112", "30113", "30101", "30102", pay]
        self.econ_p = dict(zip(keys, split(P, [0.12, 0.05, 0.06, 0.01, 0.09, 0.30, 0.22, 0])))
        # 公用经费 by 款; 接待与公务用车运维 are the 三公 basic parts.
        jd, yw = wan(spec["三公"]["接待_基本"]), wan(spec["三公"]["运维"])
        rest = G - jd - yw
        gk = ["30201", "30205", "30206", "30207", "30211", "30216", "30228", "30229", "30239", "30299"]
        self.econ_g = dict(zip(gk, split(rest, [0.25, 0.04, 0.09, 0.06, 0.14, 0.05, 0.05, 0.04, 0.16, 0])))
        self.econ_g["30217"] = jd
        self.econ_g["30231"] = yw
        # 功能分类：养老、年金、医保、公积金各自的项，其余人员经费与全部公用经费在运行项。
        run = spec["运行科目"]
        med = "2101101" if self.admin else "2101102"
        self.func = {}  # code7 -> {fund: {人员, 公用, 项目}}
        def add(code, fund, kind, amount):
            self.func.setdefault(code, {}).setdefault(fund, {"人员经费": 0, "公用经费": 0, "项目支出": 0})
            self.func[code][fund][kind] += amount
        e = self.econ_p
        add("2080505", "一般", "人员经费", e["30108"])
        add("2080506", "一般", "人员经费", e["30109"])
        add(med, "一般", "人员经费", e["30110"])
        add("2210201", "一般", "人员经费", e["30113"])
        add(run, "一般", "人员经费", P - e["30108"] - e["30109"] - e["30110"] - e["30113"])
        add(run, "一般", "公用经费", G)
        self.projects = spec["项目"]
        for p in self.projects:
            add(p["科目"], p["资金"], "项目支出", wan(p["金额"]))
        self.proj_total = sum(wan(p["金额"]) for p in self.projects)
        self.total = P + G + self.proj_total
        self.fund_total = {f: sum(sum(v.values()) for c in self.func for ff, v in self.func[c].items() if ff == f) for f in FUNDS}

    def rows(self, funds):
        """功能分类 rows (类, 款, 项 in order) over the given funds."""
        leaf = {}
        for code, byf in self.func.items():
            for f, v in byf.items():
                if f in funds:
                    r = leaf.setdefault(code, {"人员经费": 0, "公用经费": 0, "项目支出": 0})
                    for k in r:
                        r[k] += v[k]
        return hierarchy(leaf)


def hierarchy(leaf):
    agg = {}
    for code, v in leaf.items():
        for c in (code[:3], code[:5], code):
            r = agg.setdefault(c, {"人员经费": 0, "公用经费": 0, "项目支出": 0})
            for k in r:
                r[k] += v[k]
    return [(c, agg[c]) for c in sorted(agg)]


def row_text(code, v, name=None):
    basic = v["人员经费"] + v["公用经费"]
    d = {"编码": f'"{code}"', "名称": name or FUNC[code], "合计": w(basic + v["项目支出"]), "基本支出": w(basic),
         "人员经费": w(v["人员经费"]), "公用经费": w(v["公用经费"]), "项目支出": w(v["项目支出"])}
    return flow(d)


def total_row(rows):
    t = {"人员经费": 0, "公用经费": 0, "项目支出": 0}
    for c, v in rows:
        if len(c) == 3:
            for k in t:
                t[k] += v[k]
    return t


def emit_func_table(doc, ind, key, rows, tagp, empty_note):
    doc.add(f"{ind}{key}:", f"{tagp}{key}")
    t = total_row(rows)
    basic = t["人员经费"] + t["公用经费"]
    doc.add(f"{ind}  合计: " + flow({"合计": w(basic + t["项目支出"]), "基本支出": w(basic), "人员经费": w(t["人员经费"]),
                                   "公用经费": w(t["公用经费"]), "项目支出": w(t["项目支出"])}), f"{tagp}{key}.合计")
    if not rows:
        doc.add(f"{ind}  说明: {empty_note}", f"{tagp}{key}.说明")
        return
    doc.add(f"{ind}  科目:")
    for c, v in rows:
        doc.add(f"{ind}    - " + row_text(c, v), f"{tagp}{key}.{c}")


def emit_tables(doc, u, ind, tagp=""):
    """The standard tables of one unit (or of a department, from merged figures)."""
    ft = u.fund_total
    income = {INCOME_KEY[f]: ft[f] for f in FUNDS if ft[f]}
    doc.add(f"{ind}收支总表:")
    doc.add(f"{ind}  收入:", f"{tagp}收支总表.收入")
    for k, v in income.items():
        doc.add(f"{ind}    {k}: {w(v)}", f"{tagp}收支总表.收入.{k}")
    doc.add(f"{ind}    本年收入合计: {w(u.total)}", f"{tagp}收支总表.收入.本年收入合计")
    doc.add(f"{ind}    上年结转: 0.00")
    doc.add(f"{ind}    收入总计: {w(u.total)}", f"{tagp}收支总表.收入.收入总计")
    doc.add(f"{ind}  支出:")
    doc.add(f"{ind}    科目:")
    rows = u.rows(FUNDS)
    for c, v in rows:
        if len(c) == 3:
            doc.add(f"{ind}      - " + flow({"编码": f'"{c}"', "名称": FUNC[c], "金额": w(sum(v.values()))}), f"{tagp}收支总表.支出.{c}")
    doc.add(f"{ind}    本年支出合计: {w(u.total)}", f"{tagp}收支总表.支出.本年支出合计")
    doc.add(f"{ind}    结转下年: 0.00")
    doc.add(f"{ind}    支出总计: {w(u.total)}", f"{tagp}收支总表.支出.支出总计")
    doc.add(f"{ind}收入总表: " + flow({"合计": w(u.total), "上年结转": "0.00", **{k: w(v) for k, v in income.items()}}), f"{tagp}收入总表")
    emit_func_table(doc, ind, "支出总表", rows, tagp, "")
    doc.add(f"{ind}财政拨款收支总表:")
    fin = {f: ft[f] for f in ("一般", "基金", "国资")}
    doc.add(f"{ind}  收入: " + flow({**{INCOME_KEY[f]: w(v) for f, v in fin.items()}, "合计": w(sum(fin.values()))}), f"{tagp}财政拨款收支总表.收入")
    doc.add(f"{ind}  支出: " + flow({"一般公共预算": w(fin["一般"]), "政府性基金预算": w(fin["基金"]), "国有资本经营预算": w(fin["国资"]),
                                   "合计": w(sum(fin.values()))}), f"{tagp}财政拨款收支总表.支出")
    for f in ("一般", "基金", "国资"):
        emit_func_table(doc, ind, TABLE_OF[f], u.rows([f]), tagp,
                        f"本单位{YEAR}年没有{TABLE_OF[f][:-3]}安排的支出，此表为空表。")
    # 一般公共预算基本支出表（经济分类到款）。
    doc.add(f"{ind}一般公共预算基本支出表:")
    doc.add(f"{ind}  合计: " + flow({"合计": w(u.P + u.G), "人员经费": w(u.P), "公用经费": w(u.G)}), f"{tagp}基本支出表.合计")
    doc.add(f"{ind}  科目:")
    for cls, part in (("301", u.econ_p), ("302", u.econ_g)):
        doc.add(f"{ind}    - " + flow({"编码": f'"{cls}"', "名称": ECON[cls], "金额": w(sum(part.values()))}), f"{tagp}基本支出表.{cls}")
        for k in sorted(part):
            doc.add(f"{ind}    - " + flow({"编码": f'"{k}"', "名称": ECON[k], "金额": w(part[k])}), f"{tagp}基本支出表.{k}")
    sg = u.sangong
    doc.add(f"{ind}三公经费支出表:")
    doc.add(f"{ind}  合计: {w(sg['合计'])}", f"{tagp}三公表.合计")
    doc.add(f"{ind}  因公出国境费: {w(sg['出国'])}")
    doc.add(f"{ind}  公务用车购置及运维费: " + flow({"合计": w(sg['车']), "购置费": w(sg['购置']), "运行维护费": w(sg['运维'])}), f"{tagp}三公表.车")
    doc.add(f"{ind}  公务接待费: {w(sg['接待'])}", f"{tagp}三公表.接待")
    doc.add(f"{ind}项目支出表:")
    doc.add(f"{ind}  合计: {w(u.proj_total)}", f"{tagp}项目支出表.合计")
    if u.projects:
        doc.add(f"{ind}  项目:")
        for i, p in enumerate(u.projects):
            doc.add(f"{ind}    - " + flow({"名称": p["名称"], "功能科目": f'"{p["科目"]}"', "资金性质": INCOME_KEY[p["资金"]], "金额": w(wan(p["金额"]))}),
                    f"{tagp}项目支出表.{i}")


def sangong(spec, unit_projects):
    s = spec["三公"]
    buy = wan(s.get("购置", "0"))
    yw = wan(s["运维"])
    jd = wan(s["接待_基本"]) + wan(s.get("接待_项目", "0"))
    out = wan(s.get("出国", "0"))
    return {"出国": out, "购置": buy, "运维": yw, "车": buy + yw, "接待": jd, "合计": out + buy + yw + jd}


# ---------------------------------------------------------------- performance

def indicators(p, unit_name):
    amt = wan(p["金额"])
    special = p.get("指标")
    if special:
        return special
    cost = f"≤{w(amt)}万元"
    return [
        {"一级": "产出指标", "二级": "数量指标", "三级": p.get("数量三级", "完成任务数"), "指标值": p.get("数量", "≥4次")},
        {"一级": "产出指标", "二级": "质量指标", "三级": "验收合格率", "指标值": "100%"},
        {"一级": "产出指标", "二级": "时效指标", "三级": "完成时限", "指标值": "≤12个月"},
        {"一级": "产出指标", "二级": "成本指标", "三级": "项目总成本", "指标值": cost},
        {"一级": "效益指标", "二级": "社会效益指标", "三级": p.get("效益", "服务保障能力"), "指标值": "有效提升"},
        {"一级": "满意度指标", "二级": "服务对象满意度指标", "三级": "服务对象满意度", "指标值": "≥90%"},
    ]


def emit_performance(doc, projects, unit_label, ind=""):
    doc.add(f"{ind}  项目:")
    for i, p in enumerate(projects):
        amt = wan(p["金额"])
        other = wan(p.get("其他资金", p["金额"] if p["资金"] == "事业" else "0"))
        doc.add(f"{ind}    - 文号: {p['文号']}", f"绩效.{i}.文号")
        doc.add(f'{ind}      指标编码: "{p["指标编码"]}"')
        doc.add(f'{ind}      项目编码: "{p["项目编码"]}"')
        doc.add(f"{ind}      名称: {p['名称']}", f"绩效.{i}.名称")
        if unit_label:
            doc.add(f"{ind}      单位: {unit_label}")
        doc.add(f"{ind}      预算数: {w(amt)}", f"绩效.{i}.预算数")
        doc.add(f"{ind}      财政资金: {w(amt - other)}")
        doc.add(f"{ind}      其他资金: {w(other)}")
        doc.add(f"{ind}      支出计划: " + flow(p.get("计划", {"3月底": "25%", "6月底": "50%", "9月底": "75%", "12月底": "100%"})))
        doc.add(f"{ind}      绩效目标: {p.get('目标', '按时保质完成' + p['名称'] + '任务，保障工作正常开展')}")
        doc.add(f"{ind}      指标:")
        for j, x in enumerate(indicators(p, unit_label)):
            note = f"  # expect: {x['_expect']}" if "_expect" in x else ""
            doc.add(f"{ind}        - " + flow({k: v for k, v in x.items() if not k.startswith("_")}) + note, f"绩效.{i}.指标.{j}")


def source_text(p):
    return f"[{p['指标编码']}]{p['文号']}{p['名称']}"


def proc_lines(projects):
    lines = []
    for p in projects:
        for (品名, 目录, 类别, 方式, n, 单价, sme) in p.get("采购", []):
            amt = n * wan(单价)
            lines.append({"项目": "\"" + source_text(p) + "\"", "项目预算": w(wan(p["金额"])), "品名": 品名, "目录序号": 目录, "品目类别": 类别,
                          "采购方式": 方式, "数量": n, "单价": w(wan(单价)), "采购金额": w(amt), PROC_COL[p["资金"]]: w(amt),
                          "预留中小微企业份额": w(amt if sme else 0), "_amt": amt, "_col": PROC_COL[p["资金"]], "_sme": amt if sme else 0})
    return lines


def emit_procurement(doc, lines, table_unit):
    total = sum(l["_amt"] for l in lines)
    doc.add("政府采购:")
    doc.add(f"  合计: {w(total)}", "采购.合计")
    if not lines:
        return total
    cols = {}
    for l in lines:
        cols[l["_col"]] = cols.get(l["_col"], 0) + l["_amt"]
    sme = sum(l["_sme"] for l in lines)
    doc.add("  表:")
    doc.add(f"    单位: {table_unit}")
    doc.add("    合计: " + flow({"采购金额": w(total), **{k: w(v) for k, v in cols.items()}, "预留中小微企业份额": w(sme)}), "采购.表合计")
    doc.add("    明细:")
    for i, l in enumerate(lines):
        doc.add("      - " + flow({k: v for k, v in l.items() if not k.startswith("_")}), f"采购.{i}")
    return total


# ---------------------------------------------------------------- a whole document

def emit_text(doc, spec, u_total, P, G, projects, sg, proc_total, assets, admin_run, unit_label, table_unit):
    doc.add("文档:")
    doc.add(f"  标题: {spec['名称']}{YEAR}年{spec.get('公开类型', '单位预算')}信息公开情况说明")
    doc.add(f"  年度: {YEAR}")
    doc.add("  金额单位: 万元")
    doc.add("单位:")
    doc.add(f"  名称: {spec['名称']}")
    doc.add(f'  编码: "{spec["编码"]}"')
    doc.add(f"  性质: {spec['性质']}")
    doc.add(f"  职责: {spec['职责']}")
    doc.add("收入:")
    doc.add(f"  合计: {w(u_total)}", "收入.合计")
    for k, v in spec["_income"].items():
        doc.add(f"  {k}: {w(v)}")
    doc.add("支出:")
    doc.add(f"  合计: {w(u_total)}", "支出.合计")
    doc.add("  基本支出:")
    doc.add(f"    合计: {w(P + G)}", "支出.基本")
    doc.add(f"    人员经费: {w(P)}")
    doc.add(f"    日常公用经费: {w(G)}", "支出.公用")
    pt = sum(wan(p["金额"]) for p in projects)
    if projects:
        doc.add("  项目支出:")
        doc.add(f"    合计: {w(pt)}", "支出.项目")
        doc.add("    明细:")
        for i, p in enumerate(projects):
            doc.add(f"      - {{名称: {p['名称']}, 金额: {w(wan(p['金额']))}}}", f"支出.明细.{i}")
    y = spec["上年"]
    db, dp = P + G - wan(y["基本"]), pt - wan(y["项目"])
    doc.add("比上年增减:")
    doc.add(f"  本年收支安排: {w(u_total)}")
    doc.add(f"  增减: {w(db + dp)}", "增减")
    doc.add(f"  基本支出增减: {w(db)}")
    doc.add(f"  项目支出增减: {w(dp)}")
    doc.add(f"  说明: {y['说明']}", "增减.说明")
    if admin_run is not None:
        doc.add("机关运行经费:")
        doc.add(f"  合计: {w(admin_run)}", "机关运行经费")
    doc.add("三公经费:")
    doc.add(f"  合计: {w(sg['合计'])}", "三公.合计")
    doc.add(f"  因公出国境费: {w(sg['出国'])}")
    doc.add("  公务用车购置及运维费:")
    doc.add(f"    合计: {w(sg['车'])}")
    doc.add(f"    运行维护费: {w(sg['运维'])}")
    doc.add(f"    购置费: {w(sg['购置'])}", "三公.购置")
    doc.add(f"  公务接待费: {w(sg['接待'])}", "三公.接待")
    d = spec["三公上年增减"]
    dcar = wan(d.get("购置", "0")) + wan(d.get("运维", "0"))
    dsum = wan(d.get("出国", "0")) + dcar + wan(d.get("接待", "0"))
    doc.add("  比上年增减:")
    doc.add(f"    合计: {w(dsum)}")
    doc.add(f"    因公出国境费: {w(wan(d.get('出国', '0')))}")
    doc.add("    公务用车购置及运维费: " + flow({"合计": w(dcar), "运行维护费": w(wan(d.get('运维', '0'))), "购置费": w(wan(d.get('购置', '0')))}))
    doc.add(f"    公务接待费: {w(wan(d.get('接待', '0')))}")
    if dsum or dcar or d.get("接待") or d.get("出国"):
        doc.add(f"  增减原因: {d['原因']}")
    doc.add("绩效:")
    doc.add("  职责分类目标:")
    for goal in spec["职责目标"]:
        doc.add(f"    - 目标: {goal}")
        doc.add("      评价标准: 完成率优95%以上，良85%，中75%，差75%以下。")
    if projects:
        emit_performance(doc, projects, unit_label)
    emit_procurement(doc, spec["_proc"], table_unit)
    a = assets
    doc.add("国有资产:")
    doc.add(f"  上年末固定资产金额: {a['总额']}", "资产.文字")
    doc.add(f"  本年拟购置固定资产: {a['拟购置']}", "资产.拟购置")
    doc.add("  占用情况表:")
    doc.add(f"    截止时间: {YEAR - 1}-12-31")
    doc.add(f"    资产总额: {{数量: {a['n车'] + a['n设备'] + a['n其他']}, 价值: {a['总额']}}}")
    doc.add(f"    房屋: {{数量: {a['面积']}, 价值: {a['房屋']}}}")
    doc.add(f"    其中办公用房: {{数量: {a['办公面积']}, 价值: {a['办公']}}}")
    doc.add(f"    车辆: {{数量: {a['n车']}, 价值: {a['车辆']}}}")
    doc.add(f"    单价20万元以上设备: {{数量: {a['n设备']}, 价值: {a['设备']}}}")
    doc.add(f"    其他固定资产: {{数量: {a['n其他']}, 价值: {a['其他']}}}")
    doc.add("名词解释:")
    for t in ["基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
              "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
              "“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费、公务接待费。"]:
        doc.add(f"  - {t}")


def assets_for(total_value, n车, buy):
    tv = wan(total_value)
    house, car, dev = split(tv, [0.55, 0.08 if n车 else 0, 0.12, 0])[:3]
    other = tv - house - car - dev
    return {"总额": w(tv), "房屋": w(house), "办公": w(house * 6 // 10 // 10000 * 10000), "车辆": w(car), "设备": w(dev),
            "其他": w(other), "面积": 1860, "办公面积": 1120, "n车": n车, "n设备": 2, "n其他": 310,
            "拟购置": w(buy)}


def build(spec, header, sub_specs=None, none=True):
    """A document: one unit, or a department consolidating `sub_specs`."""
    doc = Doc()
    for h in header:
        doc.add(f"# {h}")
    if none:
        doc.add("# expect-none")
    if sub_specs is None:
        u = Unit(spec)
        u.sangong = sangong(spec, u.projects)
        units = [u]
        projects, P, G, total, sg = u.projects, u.P, u.G, u.total, u.sangong
        admin_run = u.G if u.admin else None
        income = {INCOME_KEY[f]: u.fund_total[f] for f in FUNDS if u.fund_total[f]}
    else:
        units = []
        for s in sub_specs:
            x = Unit(s)
            x.sangong = sangong(s, x.projects)
            units.append(x)
        projects = [p for x in units for p in x.projects]
        P, G = sum(x.P for x in units), sum(x.G for x in units)
        total = sum(x.total for x in units)
        sg = {k: sum(x.sangong[k] for x in units) for k in units[0].sangong}
        admin_run = sum(x.G for x in units if x.admin)
        income = {}
        for f in FUNDS:
            v = sum(x.fund_total[f] for x in units)
            if v:
                income[INCOME_KEY[f]] = v
    spec["_income"] = income
    spec["_proc"] = proc_lines(projects)
    proc_total = sum(l["_amt"] for l in spec["_proc"])
    buy = sum(x.sangong["购置"] for x in units)
    label = None if sub_specs else f"{spec['编码']}{spec['名称']}"
    assets = assets_for(spec["资产总额"], spec.get("车辆数", 2), wan(spec.get("拟购置", w(proc_total))))
    emit_text(doc, spec, total, P, G, projects, sg, proc_total, assets, admin_run, label, f"{spec['编码']}{spec['名称']}")
    doc.add("# ---- 标准公开表格（金额单位：万元）")
    if sub_specs is None:
        emit_tables(doc, units[0], "")
    else:
        dept = Merged(units)
        emit_tables(doc, dept, "")
        doc.add("所属单位:")
        for i, x in enumerate(units):
            doc.add(f"  - 名称: {x.name}", f"所属.{i}")
            doc.add(f"    性质: {x.s['性质']}")
            doc.add("    政府采购: " + flow({"合计": w(sum(l['_amt'] for l in proc_lines(x.projects)))}))
            emit_tables(doc, x, "    ", f"所属.{i}.")
    return doc


class Merged:
    """A department: the sum of its units, shaped like a Unit for emit_tables."""

    def __init__(self, units):
        self.units = units
        self.P = sum(x.P for x in units)
        self.G = sum(x.G for x in units)
        self.total = sum(x.total for x in units)
        self.proj_total = sum(x.proj_total for x in units)
        self.projects = [p for x in units for p in x.projects]
        self.fund_total = {f: sum(x.fund_total[f] for x in units) for f in FUNDS}
        self.econ_p, self.econ_g = {}, {}
        for x in units:
            for k, v in x.econ_p.items():
                self.econ_p[k] = self.econ_p.get(k, 0) + v
            for k, v in x.econ_g.items():
                self.econ_g[k] = self.econ_g.get(k, 0) + v
        self.sangong = {k: sum(x.sangong[k] for x in units) for k in units[0].sangong}

    def rows(self, funds):
        leaf = {}
        for x in self.units:
            for c, v in x.rows(funds):
                if len(c) == 7:
                    r = leaf.setdefault(c, {"人员经费": 0, "公用经费": 0, "项目支出": 0})
                    for k in r:
                        r[k] += v[k]
        return hierarchy(leaf)


# ---------------------------------------------------------------- the corpus

def P(名称, 科目, 金额, 资金, 文号, n, 采购=(), **kw):
    """A project; `n` numbers its 指标编码 / 项目编码 within the county."""
    return dict(名称=名称, 科目=科目, 金额=金额, 资金=资金, 文号=文号, 指标编码=f"53012824X{n:012d}",
                项目编码=f"53012824P{n:012d}", 采购=list(采购), **kw)


CONSTRUCTED = "本文件为测试语料构造的虚构单位（云川县），数字按预算公开表格的勾稽关系自洽编制，不是真实公开文件。"

XINGZHENG = dict(
    名称="云川县市场监督管理局", 编码="318001", 性质="行政", 运行科目="2013801",
    职责="负责全县市场综合监督管理，承担食品药品安全监管、市场主体登记、产品质量和价格监督检查等职责。",
    人员经费="612.48", 公用经费="96.30", 资产总额="1268.45", 车辆数=6,
    三公=dict(运维="6.40", 接待_基本="2.10", 购置="18.00"),
    三公上年增减=dict(购置="18.00", 运维="-0.60", 接待="-0.30",
                原因="按公务用车更新计划购置执法执勤用车1辆；公务用车运行维护费和公务接待费按过紧日子要求压减。"),
    上年=dict(基本="689.10", 项目="98.00", 说明="基本支出增加主要是人员工资正常晋级；项目支出增加主要是安排执法执勤用车购置。"),
    职责目标=["完成年度食品安全抽检监测任务", "保障市场主体登记注册服务"],
    项目=[
        P("食品安全抽检经费", "2013816", "48.00", "一般", "冀财行〔2023〕168号", 1001,
          [("食品安全抽检检测服务", "C0808", "服务", "公开招标", 1, "42.00", True)], 数量="≥1200批次"),
        P("执法执勤用车购置", "2013899", "18.00", "一般", "云财预【2024】12号", 1002,
          [("执法执勤车辆（轿车）", "A020305", "货物", "公开招标", 1, "18.00", False)], 数量="1辆"),
        P("智慧市场监管平台运维", "2013804", "35.60", "一般", "云财预【2024】12号", 1003,
          [("平台运维服务", "C1605", "服务", "竞争性磋商", 1, "28.00", True),
           ("服务器", "A02010103", "货物", "询价", 2, "3.80", True)], 数量="≥12次"),
        P("药品安全专项整治", "2013812", "12.00", "一般", "云财预【2024】12号", 1004, 数量="≥300家"),
        P("12315投诉举报热线运行", "2013804", "8.40", "一般", "云财预【2024】12号", 1005, 数量="≥4次"),
    ],
)

SHIYE = dict(
    名称="云川县图书馆", 编码="325012", 性质="事业", 运行科目="2070104",
    职责="负责全县公共图书馆服务，开展文献借阅、数字阅读、全民阅读推广和基层服务点业务指导。",
    人员经费="186.20", 公用经费="24.60", 资产总额="486.72", 车辆数=0,
    三公=dict(运维="0.00", 接待_基本="0.30"),
    三公上年增减=dict(),
    上年=dict(基本="204.50", 项目="38.00", 说明="基本支出增加主要是人员工资正常晋级；项目支出增加主要是增加数字资源租赁。"),
    职责目标=["保障图书馆免费开放", "开展全民阅读推广"],
    项目=[
        P("图书购置经费", "2070104", "30.00", "一般", "云财教〔2024〕5号", 2001,
          [("纸质图书", "A05040101", "货物", "公开招标", 1, "26.00", True)], 数量="≥8000册"),
        P("全民阅读推广活动", "2070109", "12.00", "事业", "云财教〔2024〕5号", 2002,
          [("阅读活动组织服务", "C2301", "服务", "竞争性磋商", 1, "6.00", True)], 数量="≥24场"),
        P("数字图书馆资源租赁", "2070104", "9.50", "一般", "云财教〔2024〕5号", 2003,
          [("数据库资源服务", "C1606", "服务", "单一来源", 1, "9.50", False)], 数量="≥6个"),
    ],
)

BENJI = dict(
    名称="云川县卫生健康局（本级）", 编码="330001", 性质="行政", 运行科目="2100101",
    人员经费="402.30", 公用经费="58.70", 三公=dict(运维="3.20", 接待_基本="1.20"),
    项目=[
        P("家庭医生签约服务补助", "2100408", "96.00", "一般", "冀财社〔2023〕215号", 3001, 数量="≥6万人"),
        P("卫生健康综合监督执法", "2100199", "15.00", "一般", "云财社字〔2024〕8号", 3002,
          [("执法记录仪", "A02091001", "货物", "询价", 20, "0.35", True)], 数量="≥400户次"),
    ],
)
JIKONG = dict(
    名称="云川县疾病预防控制中心", 编码="330002", 性质="事业", 运行科目="2100401",
    人员经费="528.60", 公用经费="64.40", 三公=dict(运维="2.80", 接待_基本="0.50"),
    项目=[
        P("重大传染病防控", "2100409", "45.00", "一般", "冀财社〔2023〕216号", 3003,
          [("核酸检测试剂", "A02340101", "货物", "公开招标", 300, "0.06", True),
           ("冷链运输服务", "C0301", "服务", "询价", 1, "4.50", True)], 数量="≥95%"),
        P("预防接种服务", "2100401", "22.00", "事业", "云财社字〔2024〕8号", 3004, 数量="≥3万人次"),
    ],
)
FUYOU = dict(
    名称="云川县妇幼保健院", 编码="330003", 性质="事业", 运行科目="2100403",
    人员经费="310.80", 公用经费="40.20", 三公=dict(运维="1.60", 接待_基本="0.40"),
    项目=[
        P("出生缺陷防治彩票公益金项目", "2296002", "25.00", "基金", "冀财社〔2023〕230号", 3005,
          [("彩色多普勒超声诊断仪", "A02320301", "货物", "公开招标", 1, "18.60", False)], 数量="≥2000人次"),
        P("孕产妇健康管理", "2100408", "12.50", "一般", "云财社字〔2024〕8号", 3006, 数量="≥1500人"),
    ],
)
BUMEN = dict(
    名称="云川县卫生健康局", 编码="330", 性质="行政", 公开类型="部门预算",
    职责="负责全县卫生健康事业发展规划、公共卫生、医疗服务和妇幼健康管理；部门预算包括局本级、县疾病预防控制中心和县妇幼保健院。",
    资产总额="3624.90", 车辆数=7,
    三公上年增减=dict(运维="-0.40", 原因="公务用车运行维护费按压减要求减少。"),
    上年=dict(基本="1390.00", 项目="205.00", 说明="基本支出增加主要是人员工资调整；项目支出增加主要是家庭医生签约服务补助标准提高。"),
    职责目标=["提高基本公共卫生服务水平", "做好重大传染病防控"],
)

XIANGZHEN = dict(
    名称="云川县青石镇人民政府", 编码="371001", 性质="行政", 运行科目="2010301",
    职责="负责本镇经济社会发展、基层治理、公共服务和村级组织建设等工作。",
    人员经费="845.60", 公用经费="118.40", 资产总额="2315.08", 车辆数=3, 拟购置="0.00",
    三公=dict(运维="4.80", 接待_基本="1.50"),
    三公上年增减=dict(),
    上年=dict(基本="950.20", 项目="120.00", 说明="基本支出增加主要是人员工资正常晋级；项目支出增加主要是村级组织运转经费标准提高。"),
    职责目标=["保障村级组织正常运转", "改善农村人居环境"],
    项目=[
        P("村级组织运转经费", "2130705", "86.40", "一般", "云财农〔2024〕3号", 4001, 指标=[
            {"一级": "产出指标", "二级": "数量指标", "三级": "补助村数", "指标值": "≥12个村"},
            {"一级": "产出指标", "二级": "数量指标", "三级": "督导检查", "指标值": "≥2次/年"},
            {"一级": "产出指标", "二级": "质量指标", "三级": "资金拨付准确率", "指标值": "100%"},
            {"一级": "产出指标", "二级": "时效指标", "三级": "资金拨付时限", "指标值": "≤15个工作日"},
            {"一级": "产出指标", "二级": "时效指标", "三级": "完成时间", "指标值": "2024年12月底前"},
            {"一级": "产出指标", "二级": "成本指标", "三级": "项目总成本", "指标值": "≤86.40万元"},
            {"一级": "产出指标", "二级": "成本指标", "三级": "村干部培训人均成本", "指标值": "960元/人·年"},
            {"一级": "效益指标", "二级": "社会效益指标", "三级": "村级组织服务能力", "指标值": "有效提升"},
            {"一级": "满意度指标", "二级": "服务对象满意度指标", "三级": "村民满意度", "指标值": "≥90%"},
        ]),
        P("农村人居环境整治", "2120501", "42.00", "一般", "云财农〔2024〕3号", 4002, 指标=[
            {"一级": "产出指标", "二级": "数量指标", "三级": "整治村庄", "指标性质": "≥", "指标值": "12", "度量单位": "个村"},
            {"一级": "产出指标", "二级": "质量指标", "三级": "垃圾清运率", "指标性质": "≥", "指标值": "95", "度量单位": "\"%\""},
            {"一级": "产出指标", "二级": "质量指标", "三级": "辖区传染病发病率", "指标值": "≤15/10万"},
            {"一级": "产出指标", "二级": "时效指标", "三级": "完成时限", "指标性质": "≤", "指标值": "12", "度量单位": "个月"},
            {"一级": "产出指标", "二级": "成本指标", "三级": "项目总成本", "指标值": "≤42.00万元"},
            {"一级": "效益指标", "二级": "生态效益指标", "三级": "村容村貌", "指标性质": "定性", "指标值": "明显改善"},
            {"一级": "满意度指标", "二级": "服务对象满意度指标", "三级": "村民满意度", "指标值": "≥90%"},
        ]),
    ],
)

JIJIN = dict(
    名称="云川县住房和城乡建设局", 编码="341001", 性质="行政", 运行科目="2120101",
    职责="负责全县住房和城乡建设管理、村镇建设、城市管理执法和住房保障等工作。",
    人员经费="356.90", 公用经费="52.10", 资产总额="932.16", 车辆数=4,
    三公=dict(运维="2.40", 接待_基本="0.80"),
    三公上年增减=dict(接待="-0.20", 原因="公务接待费按过紧日子要求压减。"),
    上年=dict(基本="401.00", 项目="352.60", 说明="基本支出增加主要是人员工资正常晋级；项目支出增加主要是安排农村基础设施建设。"),
    职责目标=["完成农村基础设施建设任务", "做好国有企业退休人员社会化管理"],
    项目=[
        P("农村道路基础设施建设", "2120804", "320.00", "基金", "云财建【2024】12号", 5001,
          [("村内道路硬化工程", "B0102", "工程", "公开招标", 1, "300.00", True)], 数量="≥18公里"),
        P("国有企业退休人员社会化管理补助", "2230105", "18.60", "国资", "云财建【2024】13号", 5002, 数量="≥120人"),
        P("城市管理执法装备", "2120104", "26.00", "一般", "云财建【2024】12号", 5003,
          [("执法记录仪", "A02091001", "货物", "询价", 20, "0.35", True),
           ("执法终端", "A02010104", "货物", "询价", 10, "0.58", True)], 数量="≥30台"),
    ],
)

SCHOOLS = ["云川县第一中学", "云川县第二中学", "云川县实验中学", "云川县城关小学", "云川县东街小学", "云川县青石镇中心小学",
           "云川县河湾乡中心小学", "云川县第一幼儿园", "云川县第二幼儿园", "云川县职业教育中心", "云川县特殊教育学校", "云川县北关小学"]
KINDS = [("校舍维修改造", "2050202", [("校舍维修工程", "B0709", "工程", "公开招标", 1, "0.6")]),
         ("教学设备购置", "2050203", [("多媒体教学一体机", "A02021101", "货物", "公开招标", 0, "1.20"), ("学生课桌椅", "A05010101", "货物", "询价", 0, "0.08")]),
         ("学生营养改善计划", "2050202", [("食堂食材配送服务", "C2203", "服务", "公开招标", 1, "0.5")]),
         ("学前教育保教经费", "2050201", [("幼儿玩教具", "A05040201", "货物", "询价", 0, "0.15")]),
         ("高中教育教学保障", "2050204", [("实验室耗材", "A02340199", "货物", "询价", 0, "0.05"), ("物业管理服务", "C1204", "服务", "竞争性磋商", 1, "0.3")]),
         ("校园安全保障", "2050203", [("安保服务", "C1205", "服务", "竞争性磋商", 1, "0.4"), ("监控摄像机", "A02091107", "货物", "询价", 0, "0.25")])]


def large_projects():
    out = []
    for i in range(32):
        school, (kind, code, cat) = SCHOOLS[i % len(SCHOOLS)], KINDS[(i + i // len(SCHOOLS)) % len(KINDS)]
        amount = (300000 + (i * 373 % 1700) * 10000 + (i * 7 % 10) * 10000) * 10  # 分: 30–200 万元
        lines = []
        if i % 8 != 7:  # every eighth project buys nothing through 政府采购
            share = amount * 3 // 4 // (4 * 10000) * 10000  # each of 4 lines ≤ ¾ of the budget / 4
            for j in range(4):
                name, cc, kind2, how, n, frac = cat[j % len(cat)]
                if n == 1:  # a service or a work: one lot whose price is a share of the budget
                    lines.append((f"{name}（{school}）", cc, kind2, how, 1, w(share), True))
                else:
                    price = wan(frac)
                    lines.append((f"{name}（{school}）", cc, kind2, how, max(1, share // price), frac, j % 2 == 0))
        out.append(P(f"{school}{kind}", code, w(amount), "一般", f"云财教〔2024〕{10 + i % 5}号", 6001 + i, lines, 数量="≥1项"))
    return out


LARGE = dict(
    名称="云川县教育和体育局", 编码="320001", 性质="行政", 运行科目="2050101",
    职责="负责全县教育和体育事业发展规划，统筹学前教育、义务教育、高中教育和职业教育，管理教育经费和学校基本建设。",
    人员经费="1285.40", 公用经费="186.60", 资产总额="15820.36", 车辆数=5,
    三公=dict(运维="5.60", 接待_基本="1.80"),
    三公上年增减=dict(运维="-0.40", 原因="公务用车运行维护费按压减要求减少。"),
    上年=dict(基本="1402.30", 项目="3400.00", 说明="基本支出增加主要是人员工资正常晋级；项目支出变化主要是学校维修改造和设备购置项目调整。"),
    职责目标=["保障各级各类学校正常运转", "改善办学条件"],
    项目=large_projects(),
)


def write(path, text):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def variant(doc, what, changes, note):
    """A copy of `doc` with single-defect `changes`: (tag, old, new, expect) — old None deletes the line;
    expect is put at the end of the changed line, or on the line of `expect_tag` when the line is deleted."""
    lines = list(doc.lines)
    planted = any(c[3] for c in changes)
    header = [f"# {'单缺陷变体' if planted else '近似情形（必须保持沉默）'}：{what}", "# " + note]
    for tag, old, new, expect, *at in changes:
        if old is None:
            for t in (tag if isinstance(tag, tuple) else (tag,)):
                lines[doc.tags[t]] = None
            j = doc.tags[at[0]]
            lines[j] = lines[j] + f"  # expect: {expect}"
        else:
            i = doc.tags[tag]
            assert old in lines[i], (tag, old, lines[i])
            lines[i] = lines[i].replace(old, new, 1) + (f"  # expect: {expect}" if expect else "")
    body = [l for l in lines if l is not None and l != "# expect-none"]
    if not any("# expect:" in l for l in body):
        body.insert(0, "# expect-none")
    return "\n".join(header + body) + "\n"


def tvariant(text, what, changes, note=None):
    """A copy of a whole document `text` with single-defect `changes`: (anchor, old, new, expect).
    `anchor` picks the one line containing it (it must be unique), `old` is replaced by `new` there and
    `expect` (rule IDs, or None for a near-miss) is written at the end of that line. `new` None deletes
    the line; then `expect` goes on the line of the extra fifth item, another anchor."""
    lines = text.rstrip("\n").split("\n")

    def find(anchor):
        # an anchor is a substring of a line (its first line), or (substring, n): its n-th line (from 0)
        text_, n = anchor if isinstance(anchor, tuple) else (anchor, 0)
        hits = [i for i, l in enumerate(lines) if l is not None and text_ in l]
        assert len(hits) > n, (what, anchor, len(hits))
        return hits[n]

    planted = any(c[3] for c in changes)
    header = [f"# {'单缺陷变体' if planted else '近似情形（必须保持沉默）'}：{what}", "# " + (note or CONSTRUCTED)]
    for anchor, old, new, expect, *at in changes:
        i = find(anchor)
        if new is None:
            lines[i] = None
            j = find(at[0])
            lines[j] = lines[j] + f"  # expect: {expect}"
            continue
        assert old in lines[i], (what, anchor, old)
        lines[i] = lines[i].replace(old, new, 1) + (f"  # expect: {expect}" if expect else "")
    body = [l for l in lines if l is not None and l != "# expect-none" and not l.startswith("# cn-budget 测试语料")]
    body = [l for l in body if not (l.startswith("# ") and ("虚构单位" in l or "generate.py" in l))]
    if not any("# expect:" in l for l in body):
        body.insert(0, "# expect-none")
    return "\n".join(header + body) + "\n"


HAND = os.path.join(OUT, "_hand")
HAND_NOTE = ("本文件由一位作者只依据 rules/cn-budget/schema.json 与 README 手写（写时未看 .tally 规则文件），"
             "虚构单位（清河县），数字按公开表格的勾稽关系自洽编制；源文件在 tests/cases/corpus/_hand/。")


def hand(name, kind):
    with open(os.path.join(HAND, name + ".yaml.in"), encoding="utf-8") as f:
        body = f.read()
    # Its info findings (a cost indicator given per unit, a count without a unit, no 国有资产 section)
    # are annotated in the source; no error or warning is expected of it.
    return "\n".join([f"# cn-budget 测试语料：{kind}。", "# " + HAND_NOTE]) + "\n" + body


def main():
    for d in os.listdir(OUT):
        if os.path.isdir(os.path.join(OUT, d)) and not d.startswith("_"):
            shutil.rmtree(os.path.join(OUT, d))
    hdr = lambda kind: [f"cn-budget 测试语料：{kind}。", CONSTRUCTED, "由 tests/cases/corpus/generate.py 生成；改数据请改脚本后重新生成。"]

    x = build(XINGZHENG, hdr("县级行政单位（有公务用车购置；“药品安全专项整治”“12315投诉举报热线运行”两个项目没有政府采购）"))
    write("xingzheng/clean.yaml", x.text())
    write("xingzheng/wenhao-year.yaml", variant(x, "采购来源引用上一年的文号（〔〕写法、无“字”）",
          [("采购.0", "冀财行〔2023〕168号", "冀财行〔2022〕168号", "采购来源文号")], CONSTRUCTED))
    write("xingzheng/vehicle-no-procurement.yaml", variant(x, "安排了公务用车购置费，采购表中却没有车辆",
          [("采购.1", "品名: 执法执勤车辆（轿车）, 目录序号: A020305", "品名: 执法记录设备, 目录序号: A02091001", "公务用车购置有采购")], CONSTRUCTED))
    write("xingzheng/vehicle-no-asset.yaml", variant(x, "安排了公务用车购置费，本年拟购置固定资产却为 0",
          [("资产.拟购置", "95.60", "0.00", "公务用车购置有资产")], CONSTRUCTED))
    write("xingzheng/procurement-category.yaml", variant(x, "品目类别与目录序号不符",
          [("采购.2", "品目类别: 服务", "品目类别: 货物", "采购品目类别")], CONSTRUCTED))
    write("xingzheng/nearmiss-wenhao-shape.yaml", variant(x, "采购来源把同一文号写成另一种括号、加“字”和“第”",
          [("采购.1", "云财预【2024】12号", "云财预字〔2024〕第12号", None)], "同一文号的不同写法不应报告。" + CONSTRUCTED))
    decrease = dict(XINGZHENG, 上年=dict(基本="690.00", 项目="1860.00",
                    说明="项目支出减少1741.60万元，主要是上年一次性安排的检验检测中心建设项目已完工，本年不再安排；基本支出增加主要是人员工资正常晋级。"))
    write("xingzheng/nearmiss-decrease.yaml", build(decrease, hdr("近似而不违规：项目支出比上年大幅减少，并说明了原因")).text())

    s = build(SHIYE, hdr("事业单位（有事业收入安排的项目；无机关运行经费；政府性基金、国有资本经营预算支出表为空表并说明）"))
    write("shiye/clean.yaml", s.text())
    write("shiye/function-leaf.yaml", variant(s, "支出总表一个项级科目的合计写错",
          [("支出总表.2070109", "合计: 12.00", "合计: 21.00", "功能科目逐级相加, 功能科目基本项目")], CONSTRUCTED))
    write("shiye/economic.yaml", variant(s, "基本支出表一个经济分类款写错",
          [("基本支出表.30201", "金额: ", "金额: 1", "基本支出表")], CONSTRUCTED))
    write("shiye/nearmiss-rounding.yaml", variant(s, "302 类比各款之和多 0.01 万元（分别舍入的尾差）",
          [("基本支出表.302", "金额: 24.60", "金额: 24.61", None)], "尾差在公开精度可以解释的范围内，不应报告。" + CONSTRUCTED))

    b = build(BUMEN, hdr("部门预算（局本级 + 两个事业单位；含政府性基金和事业收入；各所属单位有自己的表）"),
              [dict(BENJI, 三公=BENJI["三公"]), JIKONG, FUYOU])
    write("bumen/clean.yaml", b.text())
    write("bumen/unit-total.yaml", variant(b, "一个所属单位的收支总表收入总计写错",
          [("所属.1.收支总表.收入.收入总计", "收入总计: ", "收入总计: 1",
            "收支总表平衡, 收入总表与收支总表, 部门等于所属单位之和")], CONSTRUCTED))
    write("bumen/empty-no-note.yaml", variant(b, "所属单位的空表没有说明",
          [("所属.0.国有资本经营预算支出表.说明", None, None, "空表已说明", "所属.0.国有资本经营预算支出表.合计")], CONSTRUCTED))

    z = build(XIANGZHEN, hdr("乡镇（没有政府采购；绩效目标表含期限、复合单位和拆分填写的指标）"), none=False)
    write("xiangzhen/clean.yaml", z.text())
    write("xiangzhen/operating.yaml", variant(z, "机关运行经费超过公用经费和商品和服务支出",
          [("机关运行经费", "合计: 118.40", "合计: 181.40", "机关运行经费不超过公用经费, 机关运行经费与商品和服务支出")], CONSTRUCTED))
    write("xiangzhen/guozi-no-note.yaml", variant(z, "国有资本经营预算支出表为空表却没有说明",
          [("国有资本经营预算支出表.说明", None, None, "空表已说明", "国有资本经营预算支出表.合计")], CONSTRUCTED))
    write("xiangzhen/guozi-missing.yaml", variant(z, "公开了标准表格，却没有列出国有资本经营预算支出表（空表）",
          [(("国有资本经营预算支出表", "国有资本经营预算支出表.合计", "国有资本经营预算支出表.说明"), None, None, "空表已公开", "收支总表.收入")], CONSTRUCTED))
    write("xiangzhen/total-text.yaml", variant(z, "文中收入合计与收支总表不一致",
          [("收入.合计", "合计: ", "合计: 1", "收支总表与文字, 收入来源合计, 收支平衡")], CONSTRUCTED))
    write("xiangzhen/split-unit.yaml", variant(z, "拆分填写的指标度量单位笔误",
          [("绩效.1.指标.1", "度量单位: \"%\"", "度量单位: 半分比", "指标值单位")], CONSTRUCTED))

    j = build(JIJIN, hdr("有政府性基金和国有资本经营预算支出的单位（“国有企业退休人员社会化管理补助”没有政府采购）"))
    write("jijin-guozi/clean.yaml", j.text())
    write("jijin-guozi/wenhao-number.yaml", variant(j, "采购来源文号的序号写错（【】写法、无“字”）",
          [("采购.1", "云财建【2024】12号", "云财建【2024】21号", "采购来源文号")], CONSTRUCTED))
    write("jijin-guozi/fund-total.yaml", variant(j, "财政拨款收支总表的政府性基金支出写错",
          [("财政拨款收支总表.支出", "政府性基金预算: 320.00", "政府性基金预算: 302.00", "财政拨款收支平衡, 财政拨款各表一致")], CONSTRUCTED))
    write("jijin-guozi/guozi-table-empty.yaml", variant(j, "有国有资本经营预算拨款收入，国有资本经营预算支出表合计却为 0",
          [("国有资本经营预算支出表.合计", "合计: {合计: 18.60", "合计: {合计: 0.00", "功能科目合计, 功能科目基本项目, 财政拨款各表一致, 基金表与收入")], CONSTRUCTED))
    write("jijin-guozi/procurement-method.yaml", variant(j, "采购方式不是法定方式",
          [("采购.1", "采购方式: 询价", "采购方式: 网上竞价", "采购方式已知")], CONSTRUCTED))
    write("jijin-guozi/income-table.yaml", variant(j, "收入总表的政府性基金预算拨款写错",
          [("收入总表", "政府性基金预算拨款: 320.00", "政府性基金预算拨款: 230.00", "收入总表与收支总表")], CONSTRUCTED))

    big = build(LARGE, hdr("大型单位（32 个项目、一百多行政府采购；每第八个项目没有政府采购）"))
    write("large/clean.yaml", big.text())
    write("large/sangong-table.yaml", variant(big, "“三公”经费支出表的公务接待费与文中不一致",
          [("三公表.接待", "公务接待费: 1.80", "公务接待费: 8.10", "三公表合计, 三公表与文字")], CONSTRUCTED))
    write("large/general-personnel.yaml", variant(big, "一般公共预算支出表合计行的人员经费写错",
          [("一般公共预算支出表.合计", "人员经费: ", "人员经费: 1", "功能科目合计, 基本支出表与支出表")], CONSTRUCTED))
    write("large/class-row.yaml", variant(big, "收支总表支出方一个类级科目写错",
          [("收支总表.支出.208", "金额: ", "金额: 1", "收支总表平衡, 支出总表与收支总表")], CONSTRUCTED))
    write("large/econ-reception.yaml", variant(big, "基本支出表的公务接待费超过“三公”经费中的公务接待费",
          [("基本支出表.30217", "金额: 1.80", "金额: 8.10", "基本支出表, 三公经费与经济分类")], CONSTRUCTED))
    write("large/project-table.yaml", variant(big, "项目支出表一个项目的金额写错",
          [("项目支出表.5", "金额: ", "金额: 1", "项目支出表, 项目支出表逐项, 项目支出表功能科目")], CONSTRUCTED))
    write("large/wenhao-bracket-year.yaml", variant(big, "采购来源文号年份写错（方括号写法）",
          [("采购.40", "云财教〔2024〕", "云财教[2023]", "采购来源文号")], CONSTRUCTED))

    more_variants(x, s, b, z, j, big)
    hand_documents()


def more_variants(x, s, b, z, j, big):
    """More single-defect variants of the generated documents (each changes one figure) and near-misses."""
    def tv(doc, name, what, changes, note=None):
        write(name, tvariant(doc.text(), what, changes, note))

    tv(x, "xingzheng/operating-goods.yaml", "机关运行经费超过公用经费和基本支出表的商品和服务支出",
       [("  合计: 96.30", "96.30", "99.30", "机关运行经费不超过公用经费, 机关运行经费与商品和服务支出")])
    tv(x, "xingzheng/sangong-table-vehicle.yaml", "“三公”经费支出表的公务用车购置费与文中不一致",
       [(("购置费: 18.00", 2), "购置费: 18.00", "购置费: 8.00", "三公表合计, 三公表与文字")])
    tv(x, "xingzheng/function-class.yaml", "一般公共预算支出表一个类级科目合计写错",
       [(('{编码: "201", 名称: 一般公共服务支出, 合计: 634.81', 1), "合计: 634.81", "合计: 643.81", "功能科目逐级相加, 功能科目合计, 功能科目基本项目")])
    tv(x, "xingzheng/text-project-total.yaml", "文中项目支出合计写错",
       [("    合计: 122.00", "122.00", "112.00", "支出构成, 项目支出构成, 绩效项目合计, 支出总表与收支总表, 项目支出表")])

    tv(s, "shiye/sangong-table.yaml", "“三公”经费支出表的公务接待费与文中不一致",
       [(("公务接待费: 0.30", 1), "0.30", "0.03", "三公表合计, 三公表与文字")])
    tv(s, "shiye/fiscal-total.yaml", "财政拨款收支总表的一般公共预算支出写错",
       [("  支出: {一般公共预算: 250.30", "一般公共预算: 250.30", "一般公共预算: 205.30", "财政拨款收支平衡, 财政拨款各表一致")])
    tv(s, "shiye/empty-no-note.yaml", "政府性基金预算支出表为空表却没有说明",
       [("没有政府性基金预算安排的支出", None, None, "空表已说明", ("  合计: {合计: 0.00, 基本支出: 0.00", 0))])
    tv(s, "shiye/class-row.yaml", "收支总表支出方一个类级科目写错",
       [('{编码: "207", 名称: 文化旅游体育与传媒支出, 金额: 202.73}', "202.73", "207.23", "收支总表平衡, 支出总表与收支总表")])
    tv(s, "shiye/other-funds.yaml", "绩效目标表其他资金与预算数不符",
       [("其他资金: 12.00", "12.00", "21.00", "绩效资金来源")])
    tv(s, "shiye/spending-plan.yaml", "资金支出计划累计进度下降",
       [(("支出计划: {3月底: 25%, 6月底: 50%", 0), "9月底: 75%", "9月底: 45%", "支出计划递增")])
    tv(s, "shiye/income-table.yaml", "收入总表的事业收入写错",
       [("收入总表: {合计: 262.30", "事业收入: 12.00", "事业收入: 21.00", "收入总表与收支总表")])

    tv(b, "bumen/sangong-unit.yaml", "一个所属单位的“三公”经费支出表合计写错，部门表不再等于各单位之和",
       [(("      合计: 4.40", 0), "合计: 4.40", "合计: 4.04", "三公表合计, 部门等于所属单位之和")])
    tv(b, "bumen/unit-procurement.yaml", "一个所属单位的政府采购预算写错，部门采购不再等于各单位之和",
       [("    政府采购: {合计: 22.50}", "22.50", "25.20", "部门等于所属单位之和")])
    tv(b, "bumen/dept-econ.yaml", "部门基本支出表一个经济分类款写错",
       [('{编码: "30239", 名称: 其他交通费用, 金额: 24.56}', "24.56", "42.56", "基本支出表")])
    tv(b, "bumen/dept-project-table.yaml", "部门项目支出表一个项目的金额与绩效目标表、文中不一致",
       [(("{名称: 重大传染病防控, 功能科目: \"2100409\", 资金性质: 一般公共预算拨款, 金额: 45.00}", 0), "45.00", "54.00", "项目支出表, 项目支出表逐项, 项目支出表功能科目")])
    tv(b, "bumen/wenhao-year.yaml", "采购来源文号的年份写错（〔〕写法、带“字”）",
       [("云财社字〔2024〕8号卫生健康综合监督执法\", 项目预算", "〔2024〕", "〔2023〕", "采购来源文号")])
    tv(b, "bumen/fund-text.yaml", "文中基金收入与收支总表不一致",
       [("  政府性基金预算拨款: 25.00", "25.00", "52.00", "收入来源合计")])
    tv(b, "bumen/nearmiss-no-procurement.yaml", "没有政府采购的项目（孕产妇健康管理）",
       [("{名称: 孕产妇健康管理, 金额: 12.50}", "孕产妇健康管理", "孕产妇健康管理", None)],
       "项目没有政府采购是常态，不应报告。" + CONSTRUCTED)

    tv(z, "xiangzhen/plan-year-end.yaml", "资金支出计划超过 100%",
       [(("支出计划: {3月底: 25%", 0), "12月底: 100%", "12月底: 110%", "支出计划递增, 支出计划年末")])
    tv(z, "xiangzhen/satisfaction.yaml", "满意度指标值超过 100%",
       [(("三级: 村民满意度, 指标值: ≥90%", 0), "≥90%", "≥190%", "满意度不超过百分之百")])
    tv(z, "xiangzhen/function-item.yaml", "支出总表一个款级科目写错",
       [(('{编码: "21307", 名称: 农村综合改革, 合计: 86.40', 0), "合计: 86.40", "合计: 68.40", "功能科目逐级相加, 功能科目基本项目")])

    tv(j, "jijin-guozi/guozi-item.yaml", "国有资本经营预算支出表的项级科目写错",
       [(('{编码: "2230105", 名称: 国有企业退休人员社会化管理补助支出, 合计: 18.60', 1), "合计: 18.60", "合计: 16.80", "功能科目逐级相加, 功能科目基本项目")])
    tv(j, "jijin-guozi/quantity-price.yaml", "采购明细数量 × 单价 ≠ 采购金额",
       [("品名: 执法终端", "数量: 10", "数量: 12", "采购数量单价")])
    tv(j, "jijin-guozi/asset-total.yaml", "国有资产占用情况表资产总额价值写错",
       [("资产总额: {数量: 316, 价值: 932.16}", "932.16", "923.16", "资产价值合计, 固定资产文字与表")])

    tv(big, "large/procurement-sum.yaml", "政府采购表合计行的采购金额写错",
       [(("合计: {采购金额: ", 0), "采购金额: 1", "采购金额: 2", "采购文字与表, 采购明细合计, 采购资金来源")])
    tv(big, "large/procurement-source.yaml", "一行采购明细的资金来源之和不等于采购金额",
       [(("一般公共预算拨款: ", 30), "一般公共预算拨款: ", "一般公共预算拨款: 1", "采购资金来源, 采购明细合计")])


def hand_documents():
    """The two documents written by hand from the schema alone, and their variants."""
    e = hand("erzhong", "事业单位（高中；财政专户核拨收入；拆分填写的指标；〔〕【】[] 与无代字的文号；基本支出表 302 类与各款有 0.01 万元尾差）")
    write("erzhong/clean.yaml", e)
    docs = {"erzhong": e}

    def tv(name, what, changes, note=HAND_NOTE):
        base = docs[name.split("/")[0]]
        write(name, tvariant(base, what, changes, note))

    tv("erzhong/function-class.yaml", "支出总表一个类级科目合计写错",
       [(('{编码: "205", 名称: 教育支出, 合计: 1588.90', 0), "合计: 1588.90", "合计: 1589.80", "功能科目逐级相加, 功能科目合计, 功能科目基本项目, 支出总表与收支总表")])
    tv("erzhong/economic-item.yaml", "基本支出表一个经济分类款写错",
       [('{编码: "30101", 名称: 基本工资, 金额: 398.52}', "398.52", "389.52", "基本支出表")])
    tv("erzhong/fiscal-total.yaml", "财政拨款收支总表的一般公共预算支出写错",
       [(("    一般公共预算: 1862.45", 0), "1862.45", "1826.45", "财政拨款收支平衡, 财政拨款各表一致")])
    tv("erzhong/sangong-table.yaml", "“三公”经费支出表的公务接待费与文中不一致",
       [(("  公务接待费: 1.20", 1), "1.20", "1.02", "三公表合计, 三公表与文字")])
    tv("erzhong/empty-no-note.yaml", "国有资本经营预算支出表为空表却没有说明",
       [("没有使用国有资本经营预算拨款安排的支出", None, None, "空表已说明", ("  合计: {合计: 0}", 1))])
    tv("erzhong/wenhao-year-hexagon.yaml", "采购来源引用的文号年份写错（〔〕写法）",
       [("冀财教〔2023〕168号学生营养改善计划", "〔2023〕", "〔2022〕", "采购来源文号")])
    tv("erzhong/wenhao-year-square.yaml", "采购来源引用的文号年份写错（[] 写法）",
       [("清财教[2024]3号校舍维修改造", "[2024]", "[2023]", "采购来源文号")])
    tv("erzhong/wenhao-year-lenticular.yaml", "采购来源引用的文号年份写错（【】写法、无“字”）",
       [("品名: 理化实验仪器", "【2024】", "【2023】", "采购来源文号")])
    tv("erzhong/split-unit.yaml", "拆分填写的指标度量单位笔误",
       [("三级: 营养膳食补助标准", "度量单位: 元/生·天", "度量单位: 元/牲·天", "指标值单位")])
    tv("erzhong/split-cost.yaml", "拆分填写的满意度指标超过 100%",
       [("三级: 学生及家长满意度", "指标值: 90", "指标值: 900", "满意度不超过百分之百")])
    tv("erzhong/split-nature.yaml", "拆分填写的指标性质无法识别",
       [("三级: 受益学生人数", '指标性质: "≥"', "指标性质: 大约", "拆分指标")])
    tv("erzhong/project-table.yaml", "项目支出表一个项目的金额写错",
       [("{名称: 教学设备购置, 功能科目", "金额: 86.50", "金额: 68.50", "项目支出表, 项目支出表逐项, 项目支出表功能科目")])
    tv("erzhong/project-function.yaml", "项目支出表一个项目的功能科目写错（另一个项级科目）",
       [("{名称: 教学设备购置, 功能科目", '功能科目: "2050204"', '功能科目: "2050299"', "项目支出表功能科目")])
    tv("erzhong/nearmiss-rounding.yaml", "一般公共预算支出表一个类比其下各款多 0.01 万元（分别舍入的尾差）",
       [(('{编码: "205", 名称: 教育支出, 合计: 1492.90', 0), "合计: 1492.90", "合计: 1492.91", None)],
       "尾差在公开精度可以解释的范围内，不应报告。" + HAND_NOTE)

    f = hand("sifa", "行政单位（有上年结转；公务用车更新；采购数量 × 单价有舍入差；支出总表 204 类与其下款有 0.01 万元尾差；无绩效指标编码，采购来源只写项目名称）")
    write("sifa/clean.yaml", f)
    docs["sifa"] = f
    tv("sifa/vehicle-no-procurement.yaml", "安排了公务用车购置费，采购表中却没有车辆",
       [("品名: 执法执勤用车（越野车）", "品名: 执法执勤用车（越野车）, 品目类别: 货物, 目录序号: A02030501, 计量单位: 辆", "品名: 执法记录设备, 品目类别: 货物, 目录序号: A02091001, 计量单位: 套", "公务用车购置有采购")])
    tv("sifa/vehicle-no-asset.yaml", "安排了公务用车购置费，本年拟购置固定资产却少于它",
       [("本年拟购置固定资产: 30.25", "30.25", "20.25", "公务用车购置有资产")])
    tv("sifa/carryover.yaml", "财政拨款收支总表的上年结转写错",
       [("上年结转: {一般公共预算拨款: 12.00}", "12.00", "21.00", "财政拨款收支平衡, 财政拨款各表一致")])
    tv("sifa/function-class.yaml", "支出总表一个类级科目超出舍入能解释的范围",
       [(('{编码: "204", 名称: 公共安全支出, 合计: 334.77', 0), "334.77", "334.97", "功能科目逐级相加, 功能科目合计, 功能科目基本项目, 支出总表与收支总表")])
    tv("sifa/sangong-vehicle.yaml", "文中公务用车购置费与“三公”经费支出表不一致",
       [(("    购置费: 22.00", 0), "22.00", "20.00", "公务用车构成, 三公表与文字, 三公上年数非负")])
    tv("sifa/quantity-price.yaml", "采购明细数量 × 单价 ≠ 采购金额（超出单价舍入能解释的范围）",
       [("品名: 便携式计算机", "数量: 7", "数量: 9", "采购数量单价")])
    tv("sifa/operating.yaml", "机关运行经费超过公用经费",
       [("  合计: 41.75", "41.75", "47.15", "机关运行经费不超过公用经费, 机关运行经费与商品和服务支出")])
    tv("sifa/yoy-parts.yaml", "比上年增减的分项之和不等于增减合计",
       [("  项目支出增减: 22.00", "22.00", "20.00", "比上年增减构成")])

    # 没有公开绩效目标表（一处缺陷）时，采购仍按来源项目名称对应到项目支出表；
    # 项目支出表的一个项目写少了（另一处缺陷），少于从它安排的采购。
    no_perf = f[:f.index("\n绩效:\n")] + f[f.index("\n收支总表:\n"):]
    write("sifa/no-performance-project-row.yaml", tvariant(no_perf, "没有绩效目标表；项目支出表一个项目写少，少于从它安排的政府采购", [
        (("    合计: 76.00", 0), "76.00", "76.00", "绩效目标已公开"),
        ('{名称: 法律援助经费, 功能科目: "2040610", 金额: 20.00}', "20.00", "12.00", "项目支出表, 项目支出表逐项, 项目支出表功能科目")], HAND_NOTE))

    # 项目支出表的名称与绩效目标表、文中的名称主干不同、只是互相包含（多了“全县”），
    # 仍按互相包含对应到那个唯一的项目，金额照样核对。
    tv("sifa/project-table-containing-name.yaml", "项目支出表一个项目名称多了“全县”（与绩效目标表、文中名称互相包含），金额写错",
       [('{名称: 社区矫正经费, 功能科目: "2040604", 金额: 18.00}', "社区矫正经费, 功能科目: \"2040604\", 金额: 18.00",
         "全县社区矫正经费, 功能科目: \"2040604\", 金额: 18.80", "项目支出表, 项目支出表逐项, 项目支出表功能科目")])
    # 一个项目的名称包含另一个项目的名称：采购来源“法律援助经费”只对应名称主干相同的
    # “法律援助经费”，不再同时对应“法律援助经费补助”（否则两行采购都拿另一个项目的预算数比）。
    tv("sifa/nearmiss-source-stem-and-containing.yaml", "一个项目名为“法律援助经费补助”，包含另一个项目的名称“法律援助经费”",
       [(("人民调解工作经费", 0), "人民调解工作经费", "法律援助经费补助", None)] * 4,
       "采购来源按名称主干找到项目时，不再与名称互相包含的另一个项目比较预算数，不应报告。" + HAND_NOTE)

    w = hand("weijian", "部门预算（局本级〔行政〕、综合监督执法所〔参公〕、中心血站〔事业、事业收入〕；彩票公益金；没有国有资产表）")
    write("weijian/clean.yaml", w)
    docs["weijian"] = w
    tv("weijian/unit-total.yaml", "一个所属单位的支出总表合计写错，部门表不再等于各单位之和",
       [(("      合计: {合计: 232.60, 基本支出: 172.60", 0), "合计: 232.60", "合计: 223.60", "功能科目合计, 功能科目基本项目, 支出总表与收支总表, 部门等于所属单位之和")])
    tv("weijian/operating.yaml", "机关运行经费超过基本支出表的商品和服务支出",
       [("  合计: 55.00\n" if False else ("  合计: 55.00", 0), "55.00", "65.00", "机关运行经费与商品和服务支出")])
    tv("weijian/fund-fiscal.yaml", "财政拨款收支总表的政府性基金预算支出写错",
       [(("    政府性基金预算: 50.00", 0), "50.00", "5.00", "财政拨款收支平衡, 财政拨款各表一致")])
    tv("weijian/sangong-text.yaml", "文中“三公”经费合计写错",
       [(("  合计: 6.20", 0), "6.20", "6.02", "三公经费合计, 三公表与文字")])
    tv("weijian/wenhao-year-paren.yaml", "采购来源文号的年份写错（半角圆括号写法）",
       [("清财行(2024)7号卫生监督执法专项经费", "(2024)", "(2023)", "采购来源文号")])
    tv("weijian/wenhao-number.yaml", "采购来源文号的序号写错（〔〕写法、带“字”）",
       [("清卫字〔2024〕2号无偿献血宣传及血液检测\"", "〔2024〕2号", "〔2024〕12号", "采购来源文号")])
    tv("weijian/empty-no-note.yaml", "所属单位的空表没有说明",
       [(("说明: 本单位没有政府性基金预算拨款安排的支出", 0), None, None, "空表已说明", ("      合计: {合计: 0.00}", 1))])
    tv("weijian/function-item.yaml", "部门支出总表一个项级科目写错",
       [(('{编码: "2100402", 名称: 卫生监督机构, 合计: 134.86', 0), "合计: 134.86", "合计: 143.86", "功能科目逐级相加, 功能科目基本项目, 部门等于所属单位之和")])
    tv("weijian/economic-class.yaml", "部门基本支出表一个经济分类类写错",
       [('{编码: "302", 名称: 商品和服务支出, 金额: 55.00}', "55.00", "50.00", "基本支出表, 机关运行经费与商品和服务支出")])
    tv("weijian/project-table.yaml", "项目支出表一个项目的金额与绩效目标表、文中不一致",
       [("{名称: 彩票公益金医疗救助, 单位: 清河县卫生健康局（本级）", "金额: 50.00", "金额: 5.00", "项目支出表, 项目支出表逐项, 项目支出表功能科目")])
    tv("weijian/split-cost.yaml", "拆分填写的成本指标超过项目预算",
       [("三级: 救助资金总额", "指标值: 50.00", "指标值: 500.00", "成本指标超预算")])
    tv("weijian/project-function.yaml", "项目支出表一个项目的功能科目不在支出总表中",
       [("{名称: 卫生监督执法专项经费, 单位: 清河县卫生健康综合监督执法所", '功能科目: "2100402"', '功能科目: "2100499"', "项目支出表功能科目")])
    tv("weijian/nearmiss-wenhao-shape.yaml", "采购来源把同一文号写成全角括号、加“第”",
       [("清财行(2024)7号卫生监督执法专项经费", "清财行(2024)7号", "清财行（2024）第7号", None)],
       "同一文号的不同写法不应报告。" + HAND_NOTE)


if __name__ == "__main__":
    main()
