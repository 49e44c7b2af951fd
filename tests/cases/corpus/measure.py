#!/usr/bin/env python3
"""Recall and precision of a rule library over the corpus (tests/cases/corpus).

    python3 tests/cases/corpus/measure.py [TALLY] [--rules PATH]

A planted defect is one single-defect variant (a file whose `# expect:` lines name
rules); it is caught when some finding of an expected rule has a data value on the
annotated line. Precision counts every finding of every corpus file: a finding is
correct when an annotation expects it.
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

defects = caught = findings = correct = 0
missed = []
for path in sorted(glob.glob(os.path.join(root, "*", "*.yaml"))):
    expect = {}
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        m = re.search(r"# expect:\s*(.+)$", line)
        if m:
            expect[no] = {r.strip() for r in m.group(1).split(",")}
    planted = expect
    out = subprocess.run([tally, "check", "--format", "json", *args, path], capture_output=True, text=True).stdout
    hits = []
    for l in out.splitlines():
        d = json.loads(l)
        if d.get("type") != "finding":
            continue
        lines = {x["line"] for x in d["data"]}
        findings += 1
        ok = any(d["rule"] in expect.get(n, ()) for n in lines)
        correct += ok
        hits.append((d["rule"], lines))
    if planted:
        defects += 1
        if any(r in ids and n in lines for n, ids in planted.items() for r, lines in hits):
            caught += 1
        else:
            missed.append(os.path.relpath(path, root))

print(f"planted defects: {defects}, caught: {caught} (recall {caught / defects:.0%})")
if findings:
    print(f"findings: {findings}, expected: {correct} (precision {correct / findings:.0%})")
for m in missed:
    print("missed:", m)
