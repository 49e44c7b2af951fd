#!/usr/bin/env python3
"""Every single-cell edit of the example, checked by a `tally` binary.

Writes one document per (plain `key: value` entry of examples/huailai-2024.yaml,
replacement value) into OUT/docs, runs `TALLY check OUT/docs --format json`,
and prints the findings by kind, the documents with an error outcome, and the
(key, rule) pairs where one edited cell ends in more than one error outcome on
average: a cell that spreads. Run outside CI, to compare two libraries:

    python3 fuzz/edit-sweep.py target/release/tally /tmp/edits
"""
import collections
import json
import os
import re
import subprocess
import sys

REPLACEMENTS = ["0", "-1", "0.1", "1537.92", "80.00", "null", "''", "未安排", "≥90%", "≤12月", "25%",
                "12月底前", "1e3", "99999999999999999999999999999", "≥1", "100元/人·年", "综合事务"]
# The value of a `key: value` entry in a block or flow map (the test
# `the_example_has_entries_to_edit_and_delete` in tests/selection.rs uses the same).
ENTRY = re.compile(r'''([^\s,{}\[\]#:'"-][^,{}\[\]\n#:]*?):[ \t]+([^\s,{}\[\]#"'>|&*!%@`][^,{}\[\]\n#]*)''')
ERRORS = ("type", "arithmetic", "limit")


def main(tally, out):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    text = open(os.path.join(root, "examples/huailai-2024.yaml"), encoding="utf-8").read()
    docs = os.path.join(out, "docs")
    os.makedirs(docs, exist_ok=True)
    edits = {}
    for m in ENTRY.finditer(text):
        start, end = m.start(2), m.start(2) + len(m.group(2).rstrip())
        for value in REPLACEMENTS:
            name = f"d{len(edits):05}.yaml"
            with open(os.path.join(docs, name), "w", encoding="utf-8") as f:
                f.write(text[:start] + value + text[end:])
            edits[name] = m.group(1)
    run = subprocess.run([tally, "check", docs, "--format", "json"], capture_output=True, text=True)
    kinds = collections.Counter()
    errors = collections.defaultdict(collections.Counter)
    for line in run.stdout.splitlines():
        finding = json.loads(line)
        if finding.get("type") != "finding":
            continue
        kinds[finding["kind"]] += 1
        if finding["kind"] in ERRORS:
            errors[os.path.basename(finding["file"])][finding["rule"]] += 1
    print(f"{len(edits)} documents; findings by kind: {dict(kinds)}")
    print(f"documents with an error outcome: {len(errors)}; most in one: "
          f"{max((sum(c.values()) for c in errors.values()), default=0)}")
    spread = collections.defaultdict(lambda: [0, 0])
    for name, by_rule in errors.items():
        for rule, n in by_rule.items():
            spread[(edits[name], rule)][0] += 1
            spread[(edits[name], rule)][1] += n
    for (key, rule), (documents, total) in sorted(spread.items(), key=lambda kv: -kv[1][1]):
        if total > 1.5 * documents:
            print(f"  {key} → {rule}: {total} error outcomes over {documents} documents")


if __name__ == "__main__":
    main(*sys.argv[1:3])
