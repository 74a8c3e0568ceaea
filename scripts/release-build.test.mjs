// Tests of release-build.sh's decisions, offline, with --dry-run: what each OS's release build
// is given for each set of secrets the workflow may have. GitHub passes a secret that is not set
// as an empty variable, so every case gives every name, most of them empty.
//
//   node --test scripts/
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "release-build.sh");
const SECRETS = [
  "APPLE_CERTIFICATE",
  "APPLE_CERTIFICATE_PASSWORD",
  "APPLE_SIGNING_IDENTITY",
  "APPLE_ID",
  "APPLE_PASSWORD",
  "APPLE_TEAM_ID",
  "WINDOWS_CERTIFICATE",
  "WINDOWS_CERTIFICATE_PASSWORD",
  "WINDOWS_SIGN_COMMAND",
];
const dir = mkdtempSync(join(tmpdir(), "release-build-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script's dry run on `os` with `secrets` set (the rest empty). */
function dryRun(os, secrets = {}) {
  const summary = join(dir, `${os}-${Object.keys(secrets).join("-") || "none"}.md`);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_OS: os, GITHUB_STEP_SUMMARY: summary };
  for (const name of SECRETS) env[name] = secrets[name] ?? "";
  const run = spawnSync("bash", [SCRIPT, "app,dmg", "target/brand/x/tauri.brand.json", "--dry-run"], {
    env,
    encoding: "utf8",
  });
  let written = "";
  try {
    written = readFileSync(summary, "utf8");
  } catch {}
  return { status: run.status, out: run.stdout, err: run.stderr, summary: written };
}

const APPLE_CERT = {
  APPLE_CERTIFICATE: "cert",
  APPLE_CERTIFICATE_PASSWORD: "pw",
  APPLE_SIGNING_IDENTITY: "Developer ID Application: Acme (TEAM)",
};
const NOTARY = { APPLE_ID: "a@b.c", APPLE_PASSWORD: "app-pw", APPLE_TEAM_ID: "TEAM" };

test("macOS with no secret signs ad hoc, says unsigned, and builds for both Mac chips", () => {
  const run = dryRun("macOS");
  assert.equal(run.status, 0, run.err);
  assert.match(run.out, /--target universal-apple-darwin/);
  // The empty certificate is gone (Tauri would try to import it) and the identity is ad hoc.
  assert.match(run.out, /APPLE_CERTIFICATE=unset/);
  assert.match(run.out, /APPLE_SIGNING_IDENTITY=set/);
  assert.match(run.summary, /\*\*unsigned\*\* \(signed ad hoc, not notarized\)/);
});

test("macOS with a certificate but no notarization credentials signs without notarizing", () => {
  const run = dryRun("macOS", APPLE_CERT);
  assert.equal(run.status, 0, run.err);
  assert.match(run.out, /APPLE_CERTIFICATE=set/);
  assert.match(run.out, /APPLE_ID=unset/);
  assert.match(run.summary, /\*\*not notarized\*\*/);
});

test("macOS with every secret signs and notarizes, and names no secret's value", () => {
  const run = dryRun("macOS", { ...APPLE_CERT, ...NOTARY });
  assert.equal(run.status, 0, run.err);
  assert.match(run.out, /APPLE_ID=set/);
  assert.match(run.summary, /signed with APPLE_CERTIFICATE and notarized/);
  for (const value of [...Object.values(APPLE_CERT), ...Object.values(NOTARY)]) {
    assert.ok(!run.out.includes(value) && !run.summary.includes(value), `${value} was printed`);
  }
});

test("macOS with a certificate but no password or identity stops and says what to set", () => {
  const noPassword = dryRun("macOS", { APPLE_CERTIFICATE: "cert", APPLE_SIGNING_IDENTITY: "x" });
  assert.notEqual(noPassword.status, 0);
  assert.match(noPassword.err, /APPLE_CERTIFICATE_PASSWORD/);
  const noIdentity = dryRun("macOS", { APPLE_CERTIFICATE: "cert", APPLE_CERTIFICATE_PASSWORD: "pw" });
  assert.notEqual(noIdentity.status, 0);
  assert.match(noIdentity.err, /APPLE_SIGNING_IDENTITY/);
});

test("Windows with no signer builds unsigned and says so", () => {
  const run = dryRun("Windows");
  assert.equal(run.status, 0, run.err);
  assert.doesNotMatch(run.out, /sign config/);
  assert.match(run.summary, /Windows: \*\*unsigned\*\*/);
});

test("Windows with a certificate or a cloud signer signs every binary through one command", () => {
  for (const secrets of [{ WINDOWS_CERTIFICATE: "pfx" }, { WINDOWS_SIGN_COMMAND: "signer %1" }]) {
    const run = dryRun("Windows", secrets);
    assert.equal(run.status, 0, run.err);
    const config = JSON.parse(run.out.match(/sign config: (.*)/)[1]);
    const { cmd, args } = config.bundle.windows.signCommand;
    assert.equal(cmd, "pwsh");
    assert.match(args.at(-2), /sign-windows\.ps1$/);
    assert.equal(args.at(-1), "%1");
    assert.match(run.out, /--config target\/release-signing\/windows\.json/);
  }
});
