// Tests of check-structure.mjs on small crates written to a temporary folder: it must fail on a
// circle or a long file, name where, and stay quiet on code that imports one way.
//
//   node --test scripts/
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

import { SOURCE_LIMIT, TEST_LIMIT, blank, check, expandUse } from "./check-structure.mjs";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "check-structure.mjs");
const roots = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A workspace with one crate at crates/demo holding `files` (path under the crate: text). */
function workspace(files) {
  const root = mkdtempSync(join(tmpdir(), "structure-"));
  roots.push(root);
  const all = { "crates/demo/Cargo.toml": '[package]\nname = "demo"\n', ...Object.fromEntries(
    Object.entries(files).map(([path, text]) => [`crates/demo/${path}`, text]),
  ) };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Runs the script as `npm run lint` does: its exit code and what it printed. */
function run(root) {
  try {
    return { code: 0, out: execFileSync("node", [SCRIPT, root], { encoding: "utf8", stdio: "pipe" }) };
  } catch (e) {
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

test("a circle through a use line and an inline path fails, naming both files and lines", () => {
  const root = workspace({
    "src/lib.rs": "mod events;\nmod service;\n",
    "src/events.rs": "use crate::service::Status;\npub struct Changed(pub Status);\n",
    "src/service.rs": "pub struct Status;\npub fn emit() {\n    crate::events::Changed(Status);\n}\n",
  });
  const { code, out } = run(root);
  assert.equal(code, 1);
  assert.match(out, /Import circle \(2 files/);
  assert.match(out, /crates\/demo\/src\/events\.rs:1 names crates\/demo\/src\/service\.rs/);
  assert.match(out, /crates\/demo\/src\/service\.rs:3 names crates\/demo\/src\/events\.rs/);
  assert.match(out, /Fix: /);
});

test("a folder module that re-exports a child which reaches back into it is a circle", () => {
  const root = workspace({
    "src/lib.rs": "pub mod studio;\n",
    "src/studio/mod.rs": "mod handle;\npub use handle::Studio;\npub struct Config;\n",
    "src/studio/handle.rs": "use super::Config;\npub struct Studio(Config);\n",
  });
  const problems = check(root);
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], /studio\/mod\.rs:2 names .*studio\/handle\.rs/);
  assert.match(problems[0], /studio\/handle\.rs:1 names .*studio\/mod\.rs/);
});

test("imports that run one way pass, whatever comments, strings and tests say", () => {
  const root = workspace({
    "src/lib.rs": "mod events;\nmod service;\nmod window;\npub use service::start;\n",
    "src/events.rs": '// crate::service::start() is who sends these\nconst NOTE: &str = "crate::service";\npub struct Changed;\n',
    "src/service.rs": [
      "use crate::{events::Changed, window::{self, MAIN}};",
      "pub fn start() { let _ = (Changed, MAIN); window::show(); }",
      "#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
    ].join("\n"),
    "src/window.rs": "pub const MAIN: &str = \"main\";\npub fn show() { let _ = crate::events::Changed; }\n",
    "tests/flow.rs": "mod common;\nuse common::helper;\n",
    "tests/common/mod.rs": "pub fn helper() {}\n",
  });
  assert.deepEqual(check(root), []);
  assert.equal(run(root).code, 0);
});

test("a #[path] module is read from where it points", () => {
  const root = workspace({
    "examples/figures.rs": '#[path = "../tests/support/mod.rs"]\nmod support;\nfn main() { support::launch(); }\n',
    "tests/support/mod.rs": "mod shell;\npub fn launch() { shell::run(); }\n",
    "tests/support/shell.rs": "pub fn run() { super::launch(); }\n",
  });
  const problems = check(root);
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], /tests\/support\/shell\.rs:1 names .*tests\/support\/mod\.rs/);
});

test("files over their length fail; tests may be longer than source", () => {
  const lines = (n) => "// a line\n".repeat(n);
  const root = workspace({
    "src/lib.rs": "mod long;\nmod fits;\n",
    "src/long.rs": lines(SOURCE_LIMIT + 1),
    "src/fits.rs": lines(SOURCE_LIMIT),
    "tests/journey.rs": lines(TEST_LIMIT),
    "tests/too_long.rs": lines(TEST_LIMIT + 1),
  });
  const problems = check(root);
  assert.equal(problems.length, 2, problems.join("\n"));
  assert.match(problems[0], new RegExp(`src/long\\.rs has ${SOURCE_LIMIT + 1} lines, over the ${SOURCE_LIMIT}`));
  assert.match(problems[1], new RegExp(`tests/too_long\\.rs has ${TEST_LIMIT + 1} lines, over the ${TEST_LIMIT} a test file`));
});

test("use trees expand to every path they name", () => {
  assert.deepEqual(expandUse("crate::{a, b::{c, d as e}, f::{self, G}}"), [
    ["crate", "a"],
    ["crate", "b", "c"],
    ["crate", "b", "d"],
    ["crate", "f"],
    ["crate", "f", "G"],
  ]);
  assert.deepEqual(expandUse("super::*"), [["super"]]);
});

test("blanking keeps lines and lifetimes but drops comments, strings and chars", () => {
  const src = "fn f<'a>(x: &'a str) -> char { /* crate::a */ let _ = r#\"crate::b\"#; '\"' }\n// crate::c\n";
  const out = blank(src);
  assert.equal(out.length, src.length);
  assert.equal(out.split("\n").length, src.split("\n").length);
  assert.doesNotMatch(out, /crate::/);
  assert.match(out, /fn f<'a>\(x: &'a str\)/);
});
