// Tokenizes every bundled rule file (rules/**/*.tally) with the extension's
// TextMate grammar and checks that keywords, strings, comments, numbers and
// message interpolations get their scopes. Exits non-zero on any failure.
"use strict";
const fs = require("fs");
const path = require("path");
const assert = require("assert");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const root = path.resolve(__dirname, "..", "..", "..");
const grammarPath = path.join(__dirname, "..", "syntaxes", "tally.tmLanguage.json");

function ruleFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ruleFiles(p);
    return e.name.endsWith(".tally") ? [p] : [];
  });
}

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  return registry.loadGrammar("source.tally");
}

/** Every token of a text: { text, scopes, line }. */
function tokenize(grammar, text) {
  const tokens = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, n) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const t of result.tokens) {
      tokens.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, line: n + 1 });
    }
    stack = result.ruleStack;
  });
  return tokens;
}

const has = (token, prefix) => token.scopes.some((s) => s.startsWith(prefix));

/** Checks one file; returns how many tokens of each kind were checked. */
function checkFile(grammar, file) {
  const text = fs.readFileSync(file, "utf8");
  const tokens = tokenize(grammar, text);
  const where = (t) => `${path.relative(root, file)}:${t.line} ${JSON.stringify(t.text)} ${t.scopes.join(" ")}`;
  const counts = { keyword: 0, string: 0, comment: 0, number: 0, interpolation: 0 };
  for (const t of tokens) {
    const word = t.text.trim();
    const inText = has(t, "string") || has(t, "comment");
    if (!inText && /^(rule|let|fn|assert|when|for|import|message|title|severity|cite|tags)$/.test(word)) {
      assert(has(t, "keyword") || has(t, "storage"), `keyword not scoped: ${where(t)}`);
      counts.keyword++;
    }
    if (!inText && /^\d+(\.\d+)?%?$/.test(word) && !has(t, "entity.name.type.rule")) {
      assert(has(t, "constant.numeric"), `number not scoped: ${where(t)}`);
      counts.number++;
    }
    if (word.startsWith("#") && !has(t, "string")) {
      assert(has(t, "comment.line"), `comment not scoped: ${where(t)}`);
      counts.comment++;
    }
    if (has(t, "string")) counts.string++;
    if (has(t, "meta.interpolation")) counts.interpolation++;
  }
  // Every comment line of the file is a comment token.
  text.split(/\r?\n/).forEach((line, n) => {
    if (/^\s*#/.test(line)) {
      const first = tokens.find((t) => t.line === n + 1 && t.text.trim() !== "");
      assert(first && has(first, "comment.line"), `comment line ${n + 1} of ${file} not a comment`);
    }
  });
  // Every `title "..."` string is a string through its closing quote.
  text.split(/\r?\n/).forEach((line, n) => {
    const m = line.match(/^\s*title\s+"/);
    if (m) {
      const last = tokens.filter((t) => t.line === n + 1 && t.text !== "").pop();
      assert(last && has(last, "string.quoted.double"), `title string on line ${n + 1} of ${file} not closed as a string`);
    }
  });
  return counts;
}

function checkSamples(grammar) {
  const sample = [
    'rule 甲 { # note',
    '  assert x matches "^\\\\d{6}$" and 收入.合计 >= 25% within 0.005',
    '    message "差 {a.b - 1} 万元 {{literal}}"',
    '}',
  ].join("\n");
  const tokens = tokenize(grammar, sample);
  const find = (text) => tokens.find((t) => t.text === text);
  assert(has(find("rule"), "keyword"), "rule keyword");
  assert(has(find("甲"), "entity.name.type.rule"), "rule id");
  assert(has(find("# note"), "comment.line"), "trailing comment");
  assert(has(find("matches"), "keyword.operator.word"), "matches");
  assert(has(find("25%"), "constant.numeric"), "percent number");
  assert(has(find("0.005"), "constant.numeric"), "decimal number");
  const regex = tokens.find((t) => t.text.includes("{6}"));
  assert(regex && has(regex, "string") && !has(regex, "meta.interpolation"), "a regex's braces are not an interpolation");
  const one = tokens.find((t) => t.line === 3 && t.text.trim() === "1");
  assert(one && has(one, "meta.interpolation") && has(one, "constant.numeric"), "interpolated expression");
  assert(has(find("{{"), "constant.character.escape"), "escaped brace");
}

(async () => {
  const grammar = await loadGrammar();
  checkSamples(grammar);
  const files = ruleFiles(path.join(root, "rules"));
  assert(files.length > 0, "no bundled rule files found");
  const total = { keyword: 0, string: 0, comment: 0, number: 0, interpolation: 0 };
  for (const file of files) {
    const counts = checkFile(grammar, file);
    for (const k of Object.keys(total)) total[k] += counts[k];
    assert(counts.keyword > 0 && counts.string > 0, `${file}: no keywords or strings found`);
  }
  for (const [k, n] of Object.entries(total)) assert(n > 0, `no ${k} tokens in the bundled rules`);
  console.log(`grammar ok: ${files.length} rule files, ` + Object.entries(total).map(([k, n]) => `${n} ${k}`).join(", "));
})().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
