#!/bin/bash
# Measures the figures of the README's speed table with the release build:
# wall clock (hyperfine medians of 15 runs), peak memory (the median of three
# /usr/bin/time runs) and instructions (callgrind's inclusive counts of
# evaluation and YAML loading, which do not depend on the machine's load).
# Needs hyperfine and valgrind. Usage, from the repository:
#   cargo build --release --bin tally --example profile_eval && bash benches/speed-table.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tally=$repo/target/release/tally
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
example=$repo/examples/huailai-2024.yaml
mkdir c200 c2000 c40
for i in $(seq 1 2000); do cp "$example" "c2000/h$i.yaml"; done
for i in $(seq 1 200); do cp "$example" "c200/h$i.yaml"; done
for i in $(seq 1 40); do cp "$example" "c40/h$i.yaml"; done
printf 'rule 平凡 {\n  assert 支出.合计 >= 0\n}\n' > trivial.tally
"$repo/target/release/examples/profile_eval" write 10 t10.yaml
"$repo/target/release/examples/profile_eval" write 100 t100.yaml

echo "== wall clock (load $(cut -d' ' -f1 /proc/loadavg))"
hyperfine -N -i -w 3 -r 15 --export-json times.json \
  "$tally check --format json $example" \
  "$tally check --format json --rules trivial.tally c200" \
  "$tally check --format json c200" \
  "$tally check --format json --jobs 1 c200" \
  "$tally check t10.yaml" \
  "$tally check t100.yaml" > /dev/null
python3 - <<'PY'
import json
for r in json.load(open('times.json'))['results']:
    print(f"{r['median'] * 1000:8.1f} ms  {r['command']}")
PY

echo "== peak memory, --jobs 2 (median of 3)"
for dir in c200 c2000; do
  for run in 1 2 3; do
    { /usr/bin/time -f %M "$tally" check --format json --jobs 2 $dir 2>&1 >/dev/null || true; } | tail -1
  done | sort -n | sed -n 2p | awk -v d=$dir '{printf "%8.1f MB  %s\n", $1 / 1024, d}'
done

echo "== instructions (callgrind, --jobs 1)"
for input in c40 t10.yaml t100.yaml; do
  valgrind --tool=callgrind --callgrind-out-file=cg.$input.out "$tally" check --jobs 1 --format json $input \
    > /dev/null 2>&1 || true
  callgrind_annotate --inclusive=yes cg.$input.out 2>/dev/null |
    grep -E 'tally::eval::check_configured |tally::input::load_text ' |
    awk -v i=$input '{gsub(",", "", $1); print $1, $3, i}'
done
