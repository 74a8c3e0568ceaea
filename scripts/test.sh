#!/usr/bin/env bash
# Sets up and runs every check: formatting, lints, typecheck, unit and integration tests, UI tests,
# the bindings-up-to-date check, and the end-to-end tests of the real app under Xvfb.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
# What runs already is not the tests' to stop; whatever they start, they must.
running_before="$(test_processes)"

LOG_DIR="$ROOT/test-artifacts"
mkdir -p "$LOG_DIR"

step "UI tests (Vitest)"
npm --prefix ui run --silent test -- --reporter=default 2>&1 | tee "$LOG_DIR/vitest.log"
# The app embeds the built UI; it must exist before any Rust build of the app.
step "Building the UI"
build_ui

bash scripts/lint.sh

step "Building the app for the end-to-end tests"
cargo build -p restream-studio --locked

step "cargo test --workspace (unit, integration, bindings export, end to end)"
cargo test --workspace --locked 2>&1 | tee "$LOG_DIR/cargo-test.log"

bash scripts/api-fuzz.sh
bash scripts/fuzz.sh

step "Nothing left running"
check_nothing_left "$running_before"
echo "no app, WebDriver, sandbox or test desktop process left behind"

step "Bindings are up to date"
if ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  fail "not a git checkout: cannot compare ui/src/bindings.ts with the committed file"
fi
git -C "$ROOT" diff --exit-code -- ui/src/bindings.ts ||
  fail "ui/src/bindings.ts differs from a fresh export: commit the regenerated file (npm run bindings)"
if git -C "$ROOT" ls-files --others --exclude-standard -- ui/src/bindings.ts | grep -q .; then
  fail "ui/src/bindings.ts is not committed"
fi

# One closing line over every runner, so a summary reader sees the whole run.
strip() { sed 's/\x1b\[[0-9;]*m//g' "$1"; }
read -r rust_passed rust_failed < <(strip "$LOG_DIR/cargo-test.log" |
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { print p + 0, f + 0 }')
ui_passed=$(strip "$LOG_DIR/vitest.log" | awk '$1 == "Tests" { for (i = 2; i <= NF; i++) if ($(i+1) == "passed") n = $i } END { print n + 0 }')
echo
echo "summary: $((rust_passed + ui_passed)) passed, ${rust_failed} failed"
