#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers that read what the studio does not control (fuzz/): tests
# what the targets share (fuzz/src/lib.rs), builds every target once, replays each target's
# committed corpus, then fuzzes each for FUZZ_SECONDS (10 by default). Any crash, panic,
# allocation past the targets' 64 MiB limit or run past 512 MiB fails the script, naming the
# target and the input that did it.
#
#   bash scripts/fuzz.sh                    # every target
#   FUZZ_SECONDS=60 bash scripts/fuzz.sh brand deep_link
#
# Built by cargo-fuzz on the stable toolchain with `--sanitizer none` (the sanitizers need nightly),
# optimized and with debug assertions and overflow checks on.
source "$(dirname "$0")/lib.sh"

CARGO_FUZZ_VERSION="0.13.2"
FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
FUZZ_DIR="$ROOT/fuzz"
LOG_DIR="$ROOT/test-artifacts/fuzz"
# libFuzzer's flags for every run: the RSS ceiling the targets must stay under, and a run of one
# input that takes 10 s is a hang, not a slow machine.
LIMITS=(-rss_limit_mb=512 -timeout=10)

[[ "$FUZZ_SECONDS" =~ ^[1-9][0-9]*$ ]] || fail "FUZZ_SECONDS must be a whole number of seconds, not '$FUZZ_SECONDS'"

if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  step "Installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# cargo-fuzz has no --locked: this fails first if fuzz/Cargo.lock would have to change (the
# lint checks it too; this keeps `npm run fuzz` on its own as strict).
cargo metadata --locked --manifest-path "$FUZZ_DIR/Cargo.toml" --format-version 1 >/dev/null ||
  fail "fuzz/Cargo.lock is out of date: run \`cargo update --manifest-path fuzz/Cargo.toml --workspace\` and commit it"

step "Testing what the fuzz targets share"
# In the workspace's target folder, where the studio's crates are mostly built already.
CARGO_TARGET_DIR="$ROOT/target" cargo test --locked --manifest-path "$FUZZ_DIR/Cargo.toml" --lib --quiet

step "Building the fuzz targets"
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo fuzz build --fuzz-dir "$FUZZ_DIR" --sanitizer none --release --debug-assertions --target "$host"
BIN_DIR="$FUZZ_DIR/target/$host/release"

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list --fuzz-dir "$FUZZ_DIR")
fi
[ "${#targets[@]}" -gt 0 ] || fail "no fuzz targets found in fuzz/Cargo.toml"

mkdir -p "$LOG_DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The last `Done N runs in S second(s)` libFuzzer printed in a log.
done_line() { grep -E '^Done [0-9]+ runs in [0-9]+ second' "$1" | tail -n 1; }

# Runs one target's binary with libFuzzer's arguments; fails naming the input on a crash.
run_target() {
  local target="$1" log="$2"
  shift 2
  local artifacts="$FUZZ_DIR/artifacts/$target/"
  mkdir -p "$artifacts"
  if ! "$BIN_DIR/$target" -artifact_prefix="$artifacts" "${LIMITS[@]}" "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    local input
    input="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)"
    fail "fuzz target '$target' failed; input: ${input:-none written} (log: ${log#"$ROOT"/}; rerun it with $BIN_DIR/$target ${input:-<input>})"
  fi
}

summaries=()
for target in "${targets[@]}"; do
  [ -x "$BIN_DIR/$target" ] || fail "no fuzz target '$target' (see fuzz/Cargo.toml)"
  corpus="$FUZZ_DIR/corpus/$target"
  [ -d "$corpus" ] || fail "fuzz target '$target' has no corpus in fuzz/corpus/$target"
  inputs=$(find "$corpus" -type f | wc -l)

  step "$target: replaying its corpus ($inputs inputs)"
  run_target "$target" "$LOG_DIR/$target-replay.log" -runs=0 "$corpus"
  replayed="$(done_line "$LOG_DIR/$target-replay.log")"

  step "$target: fuzzing for $FUZZ_SECONDS s"
  # New inputs go to a fresh directory, so the committed corpus is only read.
  fresh="$WORK/$target"
  mkdir -p "$fresh"
  run_target "$target" "$LOG_DIR/$target-fuzz.log" -max_total_time="$FUZZ_SECONDS" "$fresh" "$corpus"
  fuzzed="$(done_line "$LOG_DIR/$target-fuzz.log")"
  found=$(find "$fresh" -type f | wc -l)
  summaries+=("$target: corpus of $inputs replayed (${replayed:-no Done line}); fuzzed: ${fuzzed:-no Done line}, $found new inputs")
done

echo
for line in "${summaries[@]}"; do echo "fuzz: $line"; done
