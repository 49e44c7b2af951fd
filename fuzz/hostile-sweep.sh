#!/bin/bash
# Hostile inputs against a built `tally` (default: the release binary), as a
# hostile user would feed them. Every run must end with exit 0, 1 or 2, no
# panic or abort, in under 10 s and 1 GiB of address space. One line per case:
#   OK|FAIL  exit  seconds  max-RSS-KiB  case
# Usage: fuzz/hostile-sweep.sh [path/to/tally]   (exit 1 if any case fails)
set -u
cd "$(dirname "$0")/.."
TALLY=$(realpath "${1:-target/release/tally}")
W=$(mktemp -d /tmp/tally-sweep.XXXXXX)
export REPO=$PWD
trap 'rm -rf "$W"' EXIT
cd "$W"
failures=0

# probe NAME [stdin-file] -- ARGS…
probe() {
  local name=$1; shift
  local input=/dev/null
  if [ "$1" != "--" ]; then input=$1; shift; fi
  shift
  local start end code secs rss
  start=$(date +%s.%N)
  timeout -s KILL 12 prlimit --as=1073741824 -- /usr/bin/time -f "%M" -o "$W/time.txt" \
    "$TALLY" "$@" < "$input" > "$W/out.txt" 2> "$W/err.txt"
  code=$?
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  rss=$(tail -1 "$W/time.txt" 2>/dev/null)
  local verdict=OK
  if [ $code -gt 2 ] || grep -q "panicked\|internal error\|stack overflow\|memory allocation" "$W/err.txt" \
    || [ "$(echo "$secs > 10" | bc)" = 1 ]; then
    verdict=FAIL; failures=$((failures + 1))
  fi
  printf '%-4s %4s %6.2f %8s  %s\n' "$verdict" "$code" "$secs" "${rss:-?}" "$name"
  if [ $verdict = FAIL ]; then head -c 600 "$W/err.txt" | sed 's/^/      /'; echo; fi
}

rule() { printf 'rule R {\n  cite "c"\n  assert %s\n}\n' "$1" > "$2"; }
rule 'a.b == 1' ok.tally
printf 'a:\n  b: 1\n' > ok.yaml
cp ok.yaml ok2.yaml
python3 - <<'EOF'
import os
w = lambda name, text: open(name, 'wb').write(text if isinstance(text, bytes) else text.encode())
n = 100_000
w('deep-flow.yaml', '[' * n + ']' * n)
w('deep-map.yaml', '{a: ' * n + '1' + '}' * n)
w('deep-block.yaml', ''.join(' ' * i + 'a:\n' for i in range(3000)) + ' ' * 3000 + '1\n')
w('deep.json', '[' * n + ']' * n)
w('deep-obj.json', '{"a":' * n + '1' + '}' * n)
lol = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
for i in range(1, 12):
    prev = chr(ord('a') + i - 1); cur = chr(ord('a') + i)
    lol.append(f'{cur}: &{cur} [' + ','.join(['*' + prev] * 10) + ']')
w('alias-bomb.yaml', '\n'.join(lol) + '\n')
w('alias-many.yaml', 'a: &a 1\nb: [' + ','.join(['*a'] * 200_000) + ']\n')
w('long-key.yaml', 'k' * 65_536 + ': 1\na:\n  b: 2\n')
w('long-line.json', '{"a": {"b": 2}, "x": [' + ','.join(['1'] * 40_000) + ']}')
w('long-value.yaml', 'a:\n  b: "' + '长' * 70_000 + '"\n')
w('numbers.yaml', 'a:\n  b: 123456789012345678901234567890\n  c: 1e400\n  d: -1e-400\n  e: ' + '9' * 100_000 + '\n  f: .inf\n  g: 0x7fffffffffffffffffff\n')
w('numbers.json', '{"a": {"b": 123456789012345678901234567890, "c": 1e400, "d": ' + '9' * 100_000 + '}}')
w('nul.yaml', b'a:\n  b: 1\x00\n')
w('nul.json', b'{"a": {"b": 1}}\x00')
w('latin1.yaml', b'a:\n  b: "\xe9t\xe9"\n')
w('utf16le.yaml', '\ufeffa:\n  b: 1\n'.encode('utf-16-le'))
w('utf16be.json', '\ufeff{"a": {"b": 1}}'.encode('utf-16-be'))
w('bom.yaml', '\ufeffa:\n  b: 1\n')
w('tags.yaml', 'a: !!binary AAAA\nb: !custom {x: 1}\nc: !!python/object:os.system "id"\n')
# The language server's input (framed JSON-RPC).
w('lsp-huge-length.txt', 'Content-Length: 99999999999999\r\n\r\n{}')
w('lsp-long-header.txt', 'x' * 50_000_000)
w('lsp-deep.txt', 'Content-Length: 200000\r\n\r\n' + '[' * 100_000 + ']' * 100_000)
w('many-docs.yaml', '---\na: 1\n' * 50_000)
w('merge.yaml', 'base: &b {x: 1}\n' + ''.join(f'k{i}: {{<<: *b}}\n' for i in range(20_000)))
w('dup-keys.yaml', ''.join('a: 1\n' for _ in range(50_000)))
w('wide-map.yaml', ''.join(f'k{i}: {i}\n' for i in range(200_000)))
# Rules.
w('nul.tally', b'rule R {\n  cite "c"\n  assert a.b == 1\x00\n}\n')
w('latin1.tally', b'rule R {\n  cite "\xe9"\n  assert a.b == 1\n}\n')
w('utf16.tally', 'rule R {\n  cite "c"\n  assert a.b == 1\n}\n'.encode('utf-16'))
w('long-line.tally', 'rule R {\n  cite "c"\n  assert ' + ' + '.join(['a.b'] * 20_000) + ' > 0\n}\n')
w('long-name.tally', 'let ' + 'x' * 65_536 + ' = 1\nrule R {\n  cite "c"\n  assert a.b == 1\n}\n')
w('deep-parens.tally', 'rule R {\n  cite "c"\n  assert ' + '(' * n + '1' + ')' * n + ' == 1\n}\n')
w('deep-not.tally', 'rule R {\n  cite "c"\n  assert ' + 'not ' * n + 'true\n}\n')
w('deep-neg.tally', 'rule R {\n  cite "c"\n  assert ' + '-' * n + '1 == 1\n}\n')
w('deep-list.tally', 'rule R {\n  cite "c"\n  assert ' + '[' * n + ']' * n + ' == []\n}\n')
w('deep-message.tally', 'rule R {\n  cite "c"\n  assert false message "' + '{' * 10_000 + '"\n}\n')
w('long-chain.tally', 'rule R {\n  cite "c"\n  assert ' + ' + '.join(['1'] * 200_000) + ' > 0\n}\n')
w('big-literal.tally', 'rule R {\n  cite "c"\n  assert a.b == 123456789012345678901234567890\n}\n')
w('huge-literal.tally', 'rule R {\n  cite "c"\n  assert a.b == ' + '9' * 100_000 + '.5 within 1e400\n}\n')
w('regex-big.tally', 'rule R {\n  cite "c"\n  assert "x" matches "' + 'a?' * 500_000 + 'a' * 500_000 + '"\n}\n')
w('regex-blowup.tally', 'rule R {\n  cite "c"\n  assert "x" matches "((a{100}){100}){100}"\n}\n')
w('regex-many.tally', ''.join(f'rule R{i} {{\n  cite "c"\n  assert "x{i}" matches "(x|y)+{i}"\n}}\n' for i in range(3000)))
w('lets.tally', ''.join(f'let l{i} = l{i-1} + 1\n' if i else 'let l0 = 1\n' for i in range(5000)) + 'rule R {\n  cite "c"\n  assert l4999 > 0\n}\n')
w('fns.tally', 'fn g0(x) = x\n' + ''.join(f'fn g{i}(x) = g{i-1}(x) + g{i-1}(x)\n' for i in range(1, 60)) + 'rule R {\n  cite "c"\n  assert g59(1) > 0\n}\n')
w('list-double.tally', 'let d0 = [1]\n' + ''.join(f'let d{i} = d{i-1} + d{i-1}\n' for i in range(1, 64)) + 'rule R {\n  cite "c"\n  assert len(d63) > 0\n}\n')
w('string-double.tally', 'let s0 = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n' + ''.join(f'let s{i} = s{i-1} + s{i-1}\n' for i in range(1, 45)) + 'rule R {\n  cite "c"\n  assert len(s44) > 0\n}\n')
w('string-fns.tally', 'fn g0(x) = x + x\n' + ''.join(f'fn g{i}(x) = g{i-1}(g{i-1}(x))\n' for i in range(1, 30)) + 'rule R {\n  cite "c"\n  assert len(g29("ab")) > 0\n}\n')
w('big-list.yaml', 'l: [' + ','.join(['1'] * 1000000) + ']\n')
w('big-list-2.yaml', 'l: [' + ','.join(['1'] * 1000000) + ']\n')
w('big-list-49.yaml', 'l: [' + ','.join(['1'] * 4900000) + ']\n')
w('each.tally', 'rule R {\n  cite "c"\n  for x in l {\n    assert x == 2\n  }\n}\n')
w('many-lets.tally', 'rule R {\n  cite "c"\n' + ''.join(f'  let l{i} = [x for x in l]\n' for i in range(200)) + '  assert len(l199) > 0\n}\n')
# The deepest program a load accepts, failing (so evaluated in full and
# rendered): 256 fns, each calling the last from under 254 `+`s.
w('deepest-fns.tally', 'fn f0(x) = x\n' + ''.join(f'fn f{i}(x) = f{i-1}(x)' + ' + 1' * 254 + '\n' for i in range(1, 256)) + 'rule R {\n  cite "c"\n  assert f255(a.b) < 0\n}\n')
# Values nested 30,600 deep (255 fns, each wrapping the last in 120
# brackets) around a data number, which no call may remember: shown,
# compared, made unique, and explained (which evaluates every level again).
w('deepest-nest.tally', 'fn f0(x) = x\n' + ''.join(f'fn f{i}(x) = ' + '[' * 120 + f'f{i-1}(x)' + ']' * 120 + '\n' for i in range(1, 256)) + 'rule R {\n  cite "c"\n  assert f255(a.b) != f255(a.b)\n  assert count(unique([f255(a.b), f255(a.b)])) == 2\n  assert "{f255(a.b)}" == ""\n}\n')
w('deepest-lets.tally', 'let g0 = a.b\n' + ''.join(f'let g{i} = g{i-1}' + ' + 1' * 254 + '\n' for i in range(1, 256)) + 'rule R {\n  cite "c"\n  assert g255 < 0\n}\n')
# Twenty assertions that each run out of steps: the run takes twenty budgets.
w('rows-4000.yaml', '表:\n' + ''.join(f'  - {i}\n' for i in range(4000)))
w('budget-rules.tally', ''.join(f'rule R{i} {{\n  cite "c"\n  assert count([x for x in 表 if count([y for y in 表 if y > x]) >= 0]) > {i}\n}}\n' for i in range(20)))
w('self-let.tally', 'let a = b\nlet b = a\nrule R {\n  cite "c"\n  assert a == 1\n}\n')
w('many-rules.tally', ''.join(f'rule R{i} {{\n  cite "c"\n  assert a.b == {i}\n}}\n' for i in range(20_000)))
w('cr-only.tally', '# c\rrule R {\r  cite "c" # x\r  assert a.b == 1\r}\r')
w('comment-only.tally', '#' * 1_000_000)
w('string-escapes.tally', 'rule R {\n  cite "c"\n  assert "\\u{110000}\\u{D800}\\u{}\\u{FFFFFFFFFF}" == ""\n}\n')
w('bidi.tally', 'rule R\u202e {\n  cite "c\u200b"\n  assert a.b == 1\n}\n')
# Annotations (tally test) and accepted findings.
w('expect-many.yaml', 'a:\n  b: 2 # expect: ' + ', '.join(['R'] * 100_000) + '\n')
w('expect-long.yaml', 'a:\n  b: 2 # expect: ' + 'R' * 1_000_000 + '\n' + '# expect-none\n' * 1000)
w('allow-many.yaml', ''.join(f'# tally-allow: R{i} because\n' for i in range(50_000)) + 'a:\n  b: 2 # tally-allow: R ' + 'x' * 100_000 + '\n')
w('allow-weird.yaml', 'a:\n  b: 2 # tally-allow:\n  c: 3 # tally-allow: , , ,\n# tally-allow: \u202e\x1b[31m\n')
# Params and baselines.
w('params-deep.yaml', '{a: ' * n + '1' + '}' * n)
w('params-bomb.yaml', '\n'.join(lol) + '\n')
w('params-list.yaml', '[1, 2, 3]\n')
w('params-huge.yaml', ''.join(f'p{i}: {i}\n' for i in range(100_000)))
w('baseline-deep.jsonl', '[' * n + ']' * n + '\n')
w('baseline-garbage.jsonl', '\x00\xff garbage\n{"type":"finding"}\n' * 10_000)
w('baseline-long.jsonl', '{"type":"finding","rule":"R","file":"ok.yaml","data":[' + ','.join(['{"path":"a.b"}'] * 100_000) + '],"primary":99999}\n')
w('baseline-many.jsonl', ''.join('{"type":"finding","rule":"R","kind":"violation","file":"ok.yaml","data":[{"path":"a.b","value":"1"}],"primary":0}\n' for _ in range(100_000)))
# Schemas.
os.makedirs('schemas', exist_ok=True)
w('schemas/deep.json', '{"properties": {"a": ' * 20_000 + '{}' + '}}' * 20_000)
w('schemas/cycle.json', '{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}')
w('schemas/remote.json', '{"$ref": "http://10.255.255.1/schema.json", "properties": {"a": {"$ref": "https://example.invalid/x.json"}}}')
w('schemas/file-ref.json', '{"$ref": "file:///dev/zero"}')
w('schemas/pattern.json', '{"properties": {"a": {"properties": {"b": {"type": "string", "pattern": "' + 'a?' * 5000 + 'a' * 5000 + '"}}}}}')
w('schemas/not-json.json', '\x00\x01 not json')
w('schemas/huge-enum.json', '{"enum": [' + ','.join(str(i) for i in range(200_000)) + ']}')
for name in ['deep', 'cycle', 'remote', 'file-ref', 'pattern', 'not-json', 'huge-enum']:
    w(f'schemas/{name}.tally', f'schema "{name}.json"\nrule R {{\n  cite "c"\n  assert a.b == 1\n}}\n')
w('schemas/dev.tally', 'schema "/dev/zero"\nrule R {\n  cite "c"\n  assert a.b == 1\n}\n')
w('schemas/dir.tally', 'schema "."\nrule R {\n  cite "c"\n  assert a.b == 1\n}\n')
# Imports.
w('import-dev.tally', 'import "/dev/zero"\n')
w('import-self.tally', 'import "import-self.tally"\n')
w('import-dir.tally', 'import "."\n')
os.makedirs('chain', exist_ok=True)
for i in range(3000):
    w(f'chain/c{i}.tally', f'import "c{i+1}.tally"\nlet v{i} = {i}\n' if i < 2999 else 'let v2999 = 1\nrule R {\n  cite "c"\n  assert v2999 == 1\n}\n')
# The example with its projects, procurement rows and 项目支出 rows each
# repeated 100, 300, 1,000 and 2,000 times, each copy's names marked (1.1,
# 3.4, 11.5 and 23 MB): the name-matching rules once compared every pair of rows (54 s
# over ×300; 14.2 s over ×1000 before containment was indexed).
lines = open(os.environ['REPO'] + '/examples/huailai-2024.yaml', encoding='utf-8').read().split('\n')
def mark(line, copy):
    if copy == 0:
        return line
    line = line.replace('X0000', 'X%04d' % copy).replace('P000', 'P%03d' % copy).replace('】7号', '】%d号' % (copy + 7))
    if line.startswith('    - 序号: '):
        return '    - 序号: %d' % (copy * 100 + int(line.split(': ')[1]))
    if line.startswith('      名称: ') or line.startswith('      - 名称: '):
        return line + '第%d批' % copy
    return line.replace('", 项目预算', '第%d批", 项目预算' % copy, 1)
for copies in (100, 300, 1000, 2000):
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        block = line == '  项目:' or (line == '    明细:' and lines[i - 2] == '  项目支出:')
        if block:
            indent = '    ' if line == '  项目:' else '      '
            end = next((j for j in range(i + 1, len(lines)) if lines[j] and not lines[j].startswith(indent)), len(lines))
            out.append(line)
            out.extend(mark(l, c) for c in range(copies) for l in lines[i + 1:end])
            i = end
            continue
        out.extend(mark(line, c) for c in range(copies)) if line.lstrip().startswith('- {项目:') else out.append(line)
        i += 1
    w('names-x%d.yaml' % copies, '\n'.join(out))
# A unit that joins its tables by name (no 指标编码; tests/cases/corpus/sifa),
# its 项目支出, procurement, performance and 项目支出表 lists repeated 300 and
# 1,000 times, each copy's names prefixed 第N批 (as benches/tables.rs does):
# 项目支出表逐项 and the procurement rules once compared every pair (39.5 s and
# 1,000 statements out of steps over ×300).
unit = open(os.environ['REPO'] + '/tests/cases/corpus/sifa/clean.yaml', encoding='utf-8').read().split('\n')
def name_copy(line, copy):
    for key in ('- 名称: ', '{名称: ', '{项目: '):
        at = line.find(key)
        if copy and at >= 0:
            return line[:at + len(key)] + '第%d批' % copy + line[at + len(key):]
    return line
for copies in (300, 1000):
    out, i = [], 0
    while i < len(unit):
        line = unit[i]
        out.append(line)
        i += 1
        if line in ('  项目:', '    明细:'):
            indent = len(line) - len(line.lstrip())
            end = next((j for j in range(i, len(unit)) if len(unit[j]) - len(unit[j].lstrip()) <= indent), len(unit))
            out.extend(name_copy(l, c) for c in range(copies) for l in unit[i:end])
            i = end
    w('named-x%d.yaml' % copies, '\n'.join(out))
# The example's project list and procurement rows copied unchanged 100
# times (1.1 MB; every code repeated), and its first project copied 5,000
# times (8.4 MB): rules failing for every row of a table they scan.
out, i = [], 0
while i < len(lines):
    line = lines[i]
    if line == '  项目:':
        end = next((j for j in range(i + 1, len(lines)) if lines[j] and not lines[j].startswith('    ')), len(lines))
        out.append(line)
        out.extend(l for c in range(100) for l in lines[i + 1:end])
        i = end
        continue
    out.extend([line] * 100) if line.lstrip().startswith('- {项目:') else out.append(line)
    i += 1
w('copies-x100.yaml', '\n'.join(out))
i = lines.index('  项目:')
starts = [j for j in range(i + 1, len(lines)) if lines[j].startswith('    - ')]
w('one-project-x5000.yaml', '\n'.join(lines[:i + 1] + lines[starts[0]:starts[1]] * 5000 + lines[next(j for j in range(i + 1, len(lines)) if lines[j] and not lines[j].startswith('    ')):]))
w('same-rows.yaml', 't:\n' + ''.join(f'  - {{c: 1, n: {k}}}\n' for k in range(5000)))
w('unique.tally', 'rule R {\n  cite "c"\n  for p in t {\n    assert count([q for q in t if q.c == p.c]) == 1\n  }\n}\n')
# Many data files.
os.makedirs('many', exist_ok=True)
for i in range(5000):
    w(f'many/d{i}.yaml', f'a:\n  b: {i}\n')
EOF
mkfifo fifo.yaml fifo.tally
mkdir -p loop/sub && ln -s .. loop/sub/up && ln -s ../loop loop/self && ln -s nowhere loop/dangling.tally && cp ok.tally loop/
mkdir -p dir.yaml

echo "ok   exit   secs   rss-KiB  case"
probe "baseline: a good run" -- check --rules ok.tally ok.yaml
for f in deep-flow.yaml deep-map.yaml deep-block.yaml deep.json deep-obj.json alias-bomb.yaml alias-many.yaml \
  long-key.yaml long-line.json long-value.yaml numbers.yaml numbers.json nul.yaml nul.json latin1.yaml \
  utf16le.yaml utf16be.json bom.yaml tags.yaml many-docs.yaml merge.yaml dup-keys.yaml wide-map.yaml; do
  probe "data $f" -- check --rules ok.tally "$f"
  probe "data $f (json)" -- check --format json --rules ok.tally "$f"
done
probe "data names-x100.yaml: both name tables ×100, the bundled library" -- check --format json names-x100.yaml
probe "data names-x300.yaml: both name tables ×300, the bundled library" -- check --format json names-x300.yaml
probe "data names-x1000.yaml: both name tables ×1000 (11.5 MB), the bundled library" -- check --format json names-x1000.yaml
probe "data names-x2000.yaml: both name tables ×2000 (23 MB), the bundled library" -- check --format json names-x2000.yaml
probe "data named-x300.yaml: a unit joining its tables by name, ×300, the bundled library" -- check --format json named-x300.yaml
probe "data named-x1000.yaml: the same ×1000, the bundled library" -- check --format json named-x1000.yaml
probe "data copies-x100.yaml: projects and procurement rows copied unchanged ×100, the library, json" -- check --format json copies-x100.yaml
probe "data copies-x100.yaml, sarif" -- check --format sarif copies-x100.yaml
probe "data one-project-x5000.yaml: one project 5,000 times, the library, json" -- check --format json one-project-x5000.yaml
for f in human json sarif; do
  probe "5,000 rows failing a uniqueness check that scans them, $f" -- check --format "$f" --rules unique.tally same-rows.yaml
done
probe "data long-line.json sarif" -- check --format sarif --rules ok.tally long-line.json
probe "data long-value csv" -- check --format csv --rules ok.tally long-value.yaml
probe "data long-value html" -- check --format html --output out.html --rules ok.tally long-value.yaml
probe "data long-value xlsx" -- check --format xlsx --output out.xlsx --rules ok.tally long-value.yaml
probe "explain deep.json" -- explain R deep.json --rules ok.tally
probe "explain alias-bomb" -- explain R alias-bomb.yaml --rules ok.tally
for f in nul.tally latin1.tally utf16.tally long-line.tally long-name.tally deep-parens.tally deep-not.tally \
  deep-neg.tally deep-list.tally deep-message.tally long-chain.tally big-literal.tally huge-literal.tally \
  regex-big.tally regex-blowup.tally regex-many.tally lets.tally fns.tally list-double.tally self-let.tally \
  many-rules.tally cr-only.tally comment-only.tally string-escapes.tally bidi.tally import-dev.tally \
  import-self.tally import-dir.tally string-double.tally string-fns.tally; do
  probe "rules $f" -- check --rules "$f" ok.yaml
  probe "explain $f" -- explain --rules "$f" R ok.yaml
  probe "lint $f" -- lint "$f"
  probe "fmt --check $f" -- fmt --check "$f"
done
probe "rules many-lets.tally over a million numbers" -- check --rules many-lets.tally big-list.yaml
probe "the bundled library over a flow list of 4.9 million numbers" -- check big-list-49.yaml
probe "a million findings on one line, json" -- check --format json --rules each.tally big-list.yaml
probe "4.9 million findings on one line" -- check --rules each.tally big-list-49.yaml
probe "4.9 million findings on one line, json" -- check --format json --rules each.tally big-list-49.yaml
probe "4.9 million findings on one line, sarif" -- check --format sarif --rules each.tally big-list-49.yaml
probe "two documents of a million numbers, many-lets.tally, --jobs 2" -- check --jobs 2 --rules many-lets.tally big-list.yaml big-list-2.yaml
probe "deepest fn chain, --jobs 2, two files" -- check --jobs 2 --rules deepest-fns.tally ok.yaml ok2.yaml
probe "deepest let chain, explain" -- explain --rules deepest-lets.tally R ok.yaml
probe "values nested 30,600 deep" -- check --rules deepest-nest.tally ok.yaml
probe "values nested 30,600 deep, explain" -- explain --rules deepest-nest.tally R ok.yaml
probe "rules budget-rules.tally, explain" -- explain --rules budget-rules.tally R0 rows-4000.yaml
probe "rules budget-rules.tally: twenty assertions out of steps" -- check --rules budget-rules.tally rows-4000.yaml
probe "rules many-rules catalogue json" -- rules --format json --rules many-rules.tally
probe "import chain of 3000" -- check --rules chain/c0.tally ok.yaml
probe "test expect-many" -- test expect-many.yaml --rules ok.tally
probe "test expect-long" -- test expect-long.yaml --rules ok.tally
probe "check allow-many" -- check --rules ok.tally allow-many.yaml
probe "check allow-weird" -- check --rules ok.tally allow-weird.yaml
probe "test allow-weird" -- test allow-weird.yaml --rules ok.tally
for p in params-deep.yaml params-bomb.yaml params-list.yaml params-huge.yaml nul.yaml latin1.yaml utf16le.yaml \
  fifo.yaml dir.yaml /dev/zero /dev/null missing.yaml; do
  probe "--params $p" -- check --rules ok.tally --params "$p" ok.yaml
done
for b in baseline-deep.jsonl baseline-garbage.jsonl baseline-long.jsonl baseline-many.jsonl nul.json fifo.yaml \
  dir.yaml /dev/zero missing.jsonl; do
  probe "--baseline $b" -- check --rules ok.tally --baseline "$b" ok.yaml
done
probe "--write-baseline to a dir" -- check --rules ok.tally --write-baseline dir.yaml ok.yaml
probe "--write-baseline to /dev/full" -- check --rules ok.tally --write-baseline /dev/full ok.yaml
probe "--output to /dev/full" -- check --rules ok.tally --output /dev/full ok.yaml
for s in deep cycle remote file-ref pattern not-json huge-enum dev dir; do
  probe "schema $s" -- check --rules "schemas/$s.tally" ok.yaml
  probe "tally schema $s" -- schema --rules "schemas/$s.tally"
done
for d in fifo.yaml dir.yaml /dev/zero /dev/urandom /dev/null; do
  probe "data $d" -- check --rules ok.tally "$d" ok.yaml
  probe "--input x=$d" -- check --rules ok.tally --input "x=$d" ok.yaml
  probe "explain data $d" -- explain R "$d" --rules ok.tally
  probe "test $d" -- test "$d" --rules ok.tally
done
for r in fifo.tally /dev/zero /dev/urandom /dev/null dir.yaml loop; do
  probe "--rules $r" -- check --rules "$r" ok.yaml
  probe "lint $r" -- lint "$r"
  probe "fmt $r" -- fmt --check "$r"
  probe "rules --source of $r" -- rules --source "$r"
done
probe "stdin /dev/zero" /dev/zero -- check --rules ok.tally -
probe "stdin /dev/urandom" /dev/urandom -- check --rules ok.tally -
probe "stdin deep.json" deep.json -- check --rules ok.tally -
for f in lsp-huge-length.txt lsp-long-header.txt lsp-deep.txt /dev/zero /dev/urandom; do
  probe "lsp stdin $f" "$f" -- lsp
done
probe "5000 data files" -- check --rules ok.tally many
probe "5000 data files by name" -- check --rules ok.tally $(ls many/*.yaml | head -5000)
probe "5000 data files, json, --jobs 64" -- check --format json --jobs 64 --rules ok.tally many
probe "--jobs 1000000" -- check --jobs 1000000 --rules ok.tally ok.yaml
probe "--jobs 0" -- check --jobs 0 --rules ok.tally ok.yaml
probe "--param huge" -- check --rules ok.tally --param "x=$(printf '9%.0s' $(seq 1 5000))" ok.yaml
probe "--param garbage" -- check --rules ok.tally --param "=$(printf '\x1b[31m')" ok.yaml
probe "--input template" -- check --rules ok.tally --input 'x={path:year-1}{year-1}{dir}/{name}{stem}{year}' ok.yaml
probe "--rule 100k ids" -- check --rules ok.tally $(printf -- '--rule R%.0s ' $(seq 1 20000)) ok.yaml

echo "$failures failing case(s)"
[ $failures = 0 ]
