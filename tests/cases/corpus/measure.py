#!/usr/bin/env python3
"""Recall and precision of a rule library over the corpus (tests/cases/corpus).

    python3 tests/cases/corpus/measure.py [TALLY] [--rules PATH]

A planted defect is one single-defect variant (a file whose header says 单缺陷变体); its planted
lines are its `# expect:` lines that are not already annotated in the clean document of its folder
(the clean documents written by hand carry annotated info findings, which every variant inherits).
It is caught when some finding of an expected rule has a data value on a planted line.
Precision counts every finding of every corpus file: a finding is correct when an annotation
expects it. Clean documents and near-misses must draw no error or warning at all; any that do are
listed.
"""
import glob
import json
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
tally = args.pop(0) if args and not args[0].startswith("--") else "target/debug/tally"


def annotations(path):
    out = {}
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        m = re.search(r"^(.*?)\s*# expect:\s*(.+)$", line)
        if m:
            out[no] = (m.group(1), {r.strip() for r in m.group(2).split(",")})
    return out


defects = caught = findings = correct = 0
missed, noisy = [], []
for path in sorted(glob.glob(os.path.join(root, "*", "*.yaml"))):
    expect = annotations(path)
    clean = os.path.join(os.path.dirname(path), "clean.yaml")
    inherited = {text for text, _ in annotations(clean).values()} if os.path.exists(clean) else set()
    first = open(path, encoding="utf-8").readline()
    planted = {n: ids for n, (text, ids) in expect.items() if text not in inherited} if "单缺陷变体" in first else {}
    out = subprocess.run([tally, "check", "--format", "json", *args, path], capture_output=True, text=True).stdout
    hits = []
    for l in out.splitlines():
        d = json.loads(l)
        if d.get("type") != "finding":
            continue
        lines = {x["line"] for x in d["data"]}
        findings += 1
        ok = any(d["rule"] in expect.get(n, (None, ()))[1] for n in lines)
        correct += ok
        hits.append((d["rule"], lines))
        if not planted and d.get("severity") in ("error", "warning"):
            noisy.append(f"{os.path.relpath(path, root)}: {d['severity']} {d['rule']}")
    if planted:
        defects += 1
        if any(r in ids and n in lines for n, ids in planted.items() for r, lines in hits):
            caught += 1
        else:
            missed.append(os.path.relpath(path, root))

print(f"planted defects: {defects}, caught: {caught} (recall {caught / defects:.0%})")
if findings:
    print(f"findings: {findings}, expected: {correct} (precision {correct / findings:.0%})")
print(f"error or warning findings on clean documents and near-misses: {len(noisy)}")
for m in missed:
    print("missed:", m)
for n in noisy:
    print("noisy:", n)
