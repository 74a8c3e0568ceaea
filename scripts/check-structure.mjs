#!/usr/bin/env node
// The shape of the code, checked in `npm run lint`: no import circle between the files of any
// Rust crate, and no hand-written file longer than one sitting. No dependencies, so it costs CI
// nothing but a Node start.
//
//   node scripts/check-structure.mjs [root]      exits 1 and names each problem and its fix
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";

export const SOURCE_LIMIT = 400;
export const TEST_LIMIT = 600;
const CHECKED = /\.(rs|ts|tsx|js|mjs|cjs|sh|py)$/;
// Generated or vendored: nobody reads these in a sitting.
const NOT_HAND_WRITTEN = [/^ui\/src\/bindings\.ts$/, /(^|\/)node_modules\//, /(^|\/)target\//, /(^|\/)dist\//];
const IS_TEST = /(^|\/)tests?\/|(^|\/)tests\.rs$|\.(test|spec|bench)\.[cm]?[jt]sx?$/;

/** Rust source with comments, strings and char literals blanked (newlines kept, so offsets
 * still give line numbers). */
export function blank(src) {
  let out = "";
  let i = 0;
  const keepLines = (text) => text.replace(/[^\n]/g, " ");
  while (i < src.length) {
    const rest = src.slice(i, i + 3);
    let end = i + 1;
    if (rest.startsWith("//")) {
      end = src.indexOf("\n", i);
      if (end < 0) end = src.length;
    } else if (rest.startsWith("/*")) {
      let depth = 0;
      for (end = i; end < src.length; end++) {
        if (src.startsWith("/*", end)) (depth++, end++);
        else if (src.startsWith("*/", end) && --depth === 0) { end += 2; break; }
      }
    } else if (/^(b?r#*")/.test(src.slice(i, i + 260)) && !/\w/.test(src[i - 1] ?? "")) {
      const hashes = src.slice(i).match(/^b?r(#*)"/)[1];
      const close = src.indexOf(`"${hashes}`, i + hashes.length + 2 + (src[i] === "b" ? 1 : 0));
      end = close < 0 ? src.length : close + 1 + hashes.length;
    } else if (src[i] === '"') {
      for (end = i + 1; end < src.length && src[end] !== '"'; end++) if (src[end] === "\\") end++;
      end++;
    } else if (src[i] === "'") {
      const char = src.slice(i).match(/^'(\\(u\{[0-9a-fA-F]+\}|x..|.)|[^\\'])'/su);
      if (char) end = i + char[0].length;
    }
    // Anything longer than one character is a comment or a literal.
    out += end > i + 1 ? keepLines(src.slice(i, end)) : src[i];
    i = end;
  }
  return out;
}

/** Expands a `use` tree (`crate::{a, b::{c, d}}`) into its paths, each a list of segments. */
export function expandUse(tree) {
  const text = tree.replace(/\s+as\s+\w+/g, "").replace(/\s+/g, "");
  const paths = [];
  const walk = (prefix, part) => {
    const brace = part.indexOf("{");
    if (brace < 0) {
      const head = part.split("::").filter(Boolean);
      if (head.length || prefix.length) paths.push([...prefix, ...head.filter((s) => s !== "*")]);
      return;
    }
    const base = part.slice(0, brace).split("::").filter(Boolean);
    const inner = part.slice(brace + 1, part.lastIndexOf("}"));
    let depth = 0;
    let start = 0;
    for (let k = 0; k <= inner.length; k++) {
      const ch = inner[k];
      if (ch === "{") depth++;
      if (ch === "}") depth--;
      if ((ch === "," && depth === 0) || k === inner.length) {
        const item = inner.slice(start, k);
        if (item) walk([...prefix, ...base], item === "self" ? "" : item);
        start = k + 1;
      }
    }
  };
  walk([], text.replace(/^::/, ""));
  return paths;
}

const lineOf = (text, offset) => text.slice(0, offset).split("\n").length;

/** Where a module declared in `file` lives: `#[path]` wins, then `x.rs`, then `x/mod.rs`. */
function childFile(file, name, pathAttr) {
  if (pathAttr) return join(dirname(file), pathAttr);
  const own = /^(lib|main|mod)\.rs$/.test(basename(file)) || isRootFile(file)
    ? dirname(file) : join(dirname(file), basename(file, ".rs"));
  const flat = join(own, `${name}.rs`);
  return existsSync(flat) ? flat : join(own, name, "mod.rs");
}
const rootFiles = new Set();
const isRootFile = (file) => rootFiles.has(file);

/** The module tree of one crate: module path ("crate::a::b") to the file that defines it, with
 * inline modules kept in their file. */
export function moduleTree(rootFile) {
  rootFiles.add(rootFile);
  const modules = new Map(); // path -> { file, children: Set, inline: [{start, end}] }
  const files = new Map(); // file -> { text, raw, scopes: [{start, end, path}] }
  const visit = (file, path) => {
    if (files.has(file) || !existsSync(file)) return;
    const raw = readFileSync(file, "utf8");
    const text = blank(raw);
    const scopes = [{ start: 0, end: text.length, path }];
    files.set(file, { text, raw, scopes });
    modules.set(path, { file, children: new Set() });
    const decl = /\bmod\s+(\w+)\s*([;{])/g;
    const stack = [];
    for (const m of text.matchAll(decl)) {
      const at = m.index;
      const owner = scopes.filter((s) => s.start <= at && at < s.end).at(-1);
      const childPath = `${owner.path}::${m[1]}`;
      modules.get(owner.path)?.children.add(m[1]);
      if (m[2] === "{") {
        let depth = 0;
        let end = at + m[0].length - 1;
        for (; end < text.length; end++) {
          if (text[end] === "{") depth++;
          if (text[end] === "}" && --depth === 0) break;
        }
        scopes.push({ start: at + m[0].length, end, path: childPath });
        modules.set(childPath, { file, children: new Set() });
      } else {
        // Blanking emptied the attribute's string, so `#[path]` is read from the raw text.
        const declared = raw.slice(Math.max(0, at - 300), at + m[0].length);
        const pathAttr = declared.match(/#\[path\s*=\s*"([^"]*)"\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*;$/)?.[1];
        stack.push([childFile(file, m[1], pathAttr), childPath]);
      }
    }
    for (const [child, childPath] of stack) visit(child, childPath);
  };
  visit(rootFile, "crate");
  return { modules, files };
}

/** Every file-to-file import of one crate, each with the line that makes it. */
export function importEdges({ modules, files }) {
  const edges = [];
  const resolve = (segments, from) => {
    let path = from;
    let k = 0;
    if (segments[0] === "crate") (path = "crate", k = 1);
    else if (segments[0] === "self") k = 1;
    else if (segments[0] === "super") {
      for (; segments[k] === "super"; k++) path = path.split("::").slice(0, -1).join("::");
    } else if (!modules.get(from)?.children.has(segments[0])) return null;
    for (; k < segments.length && modules.get(path)?.children.has(segments[k]); k++) {
      path = `${path}::${segments[k]}`;
    }
    return modules.get(path)?.file ?? null;
  };
  for (const [file, { text, scopes }] of files) {
    const scopeAt = (at) => scopes.filter((s) => s.start <= at && at < s.end).at(-1).path;
    const add = (segments, at, shown) => {
      const target = resolve(segments, scopeAt(at));
      if (target && target !== file) edges.push({ from: file, to: target, line: lineOf(text, at), shown });
    };
    const uses = [];
    for (const m of text.matchAll(/\buse\s+([^;]+);/g)) {
      uses.push([m.index, m.index + m[0].length]);
      for (const segments of expandUse(m[1])) add(segments, m.index, m[0].replace(/\s+/g, " "));
    }
    // Inline paths: `crate::`, `super::`, `self::`, or a child module's name (resolve drops the
    // rest: another crate, a type's associated item).
    for (const m of text.matchAll(/(?<![$\w:]|\bin\s)\b([a-z_][a-z0-9_]*)((?:\s*::\s*\w+)+)/g)) {
      if (uses.some(([a, b]) => a <= m.index && m.index < b)) continue;
      add(m[0].replace(/\s+/g, "").split("::"), m.index, m[0].replace(/\s+/g, ""));
    }
  }
  return edges;
}

/** Import circles: each a list of edges that leads back to where it began (Tarjan's SCCs, then
 * one shortest loop through each). */
export function findCircles(edges) {
  const out = new Map();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  let index = 0;
  const order = new Map();
  const low = new Map();
  const stack = [];
  const components = [];
  const strong = (v) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    for (const { to } of out.get(v) ?? []) {
      if (!order.has(to)) (strong(to), low.set(v, Math.min(low.get(v), low.get(to))));
      else if (stack.includes(to)) low.set(v, Math.min(low.get(v), order.get(to)));
    }
    if (low.get(v) === order.get(v)) {
      const component = [];
      let w;
      do component.push((w = stack.pop())); while (w !== v);
      if (component.length > 1) components.push(new Set(component));
    }
  };
  for (const v of new Set(edges.map((e) => e.from))) if (!order.has(v)) strong(v);
  return components.map((members) => {
    const start = [...members].sort()[0];
    const previous = new Map([[start, null]]);
    const queue = [start];
    while (queue.length) {
      const v = queue.shift();
      for (const e of out.get(v) ?? []) {
        if (!members.has(e.to)) continue;
        if (e.to === start) {
          const loop = [e];
          for (let at = v; at !== start; at = previous.get(at).from) loop.unshift(previous.get(at));
          return loop;
        }
        if (!previous.has(e.to)) (previous.set(e.to, e), queue.push(e.to));
      }
    }
    return [];
  });
}

/** Every crate root under `root`: libraries, binaries, tests, benches, examples, build scripts. */
export function crateRoots(root) {
  const packages = [root, ...["crates", "bench"].flatMap((group) => {
    const dir = join(root, group);
    return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
  }), join(root, "src-tauri")].filter((dir) => existsSync(join(dir, "Cargo.toml")));
  const roots = [];
  for (const pkg of packages) {
    for (const file of ["src/lib.rs", "src/main.rs", "build.rs"]) {
      if (existsSync(join(pkg, file))) roots.push(join(pkg, file));
    }
    for (const group of ["src/bin", "tests", "benches", "examples"]) {
      const dir = join(pkg, group);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) {
        const entry = join(dir, name);
        if (name.endsWith(".rs")) roots.push(entry);
        else if (statSync(entry).isDirectory() && existsSync(join(entry, "main.rs"))) roots.push(join(entry, "main.rs"));
      }
    }
  }
  return roots;
}

function trackedFiles(root) {
  try {
    const listed = execFileSync("git", ["-C", root, "ls-files", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" });
    return listed.split("\n").filter((f) => f && existsSync(join(root, f)));
  } catch {
    const found = [];
    const walk = (dir) => {
      for (const name of readdirSync(join(root, dir))) {
        const rel = dir ? `${dir}/${name}` : name;
        if (name.startsWith(".") || NOT_HAND_WRITTEN.some((re) => re.test(`${rel}/`))) continue;
        if (statSync(join(root, rel)).isDirectory()) walk(rel);
        else found.push(rel);
      }
    };
    walk("");
    return found;
  }
}

/** Files longer than a sitting: hand-written source over SOURCE_LIMIT lines, tests over TEST_LIMIT. */
export function longFiles(root) {
  return trackedFiles(root)
    .filter((f) => CHECKED.test(f) && !NOT_HAND_WRITTEN.some((re) => re.test(f)))
    .map((file) => {
      const lines = readFileSync(join(root, file), "utf8").split("\n").length - 1;
      const limit = IS_TEST.test(file) ? TEST_LIMIT : SOURCE_LIMIT;
      return { file, lines, limit };
    })
    .filter(({ lines, limit }) => lines > limit);
}

export function check(root) {
  const problems = [];
  const seen = new Set();
  for (const rootFile of crateRoots(root)) {
    for (const loop of findCircles(importEdges(moduleTree(rootFile)))) {
      const key = loop.map((e) => e.from).sort().join();
      if (seen.has(key)) continue;
      seen.add(key);
      const steps = loop.map((e) => `  ${relative(root, e.from)}:${e.line} names ${relative(root, e.to)} (${e.shown})`);
      const size = new Set(loop.map((e) => e.from)).size;
      problems.push(`Import circle (${size} files; one loop shown):\n${steps.join("\n")}\n  Fix: break one of these imports: move` +
        " what is shared into a lower file (or pass it in), so imports run one way: events and types at the bottom," +
        " owners of state above, wiring on top.");
    }
  }
  for (const { file, lines, limit } of longFiles(root)) {
    problems.push(`${file} has ${lines} lines, over the ${limit} a ${limit === TEST_LIMIT ? "test " : ""}file may have.` +
      "\n  Fix: split it by concern into files whose names say what lives there.");
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? join(dirname(new URL(import.meta.url).pathname), "..");
  const problems = check(root);
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exit(1);
  console.log("No import circle; every file within its length.");
}
