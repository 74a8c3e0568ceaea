# Shared helpers for the project's scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Python tools of scripts/requirements-tools.txt in target/tools/python, installed again
# whenever that file changes. Prints the venv's bin folder.
tools_venv() {
  local venv="$ROOT/target/tools/python" stamp want
  stamp="$venv/.requirements.sha256"
  want="$(sha256sum "$ROOT/scripts/requirements-tools.txt" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    python3 -m venv "$venv" >&2 ||
      fail "python3 -m venv failed: install Python's venv (sudo apt-get install python3-venv)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      --requirement "$ROOT/scripts/requirements-tools.txt" >&2
    echo "$want" >"$stamp"
  fi
  echo "$venv/bin"
}

# Builds the UI the app embeds (ui/dist), unless nothing it is built from changed since the last
# build. A rebuild rewrites every file in ui/dist, and that alone makes cargo rebuild the app,
# which embeds them. Vite's output goes to target/logs/ui-build.log; a failure prints its end.
build_ui() {
  local dist="$ROOT/ui/dist/index.html" log="$ROOT/target/logs/ui-build.log" changed
  if [ -f "$dist" ]; then
    changed="$(find "$ROOT/ui/src" "$ROOT/ui/index.html" "$ROOT/ui/package.json" "$ROOT/ui/package-lock.json" \
      "$ROOT/ui/vite.config.ts" "$ROOT/ui/tsconfig.json" "$ROOT/ui/node_modules/.package-lock.json" \
      -newer "$dist" -print -quit 2>/dev/null)"
    if [ -z "$changed" ]; then
      echo "UI: up to date"
      return
    fi
  fi
  mkdir -p "$(dirname "$log")"
  if ! npm --prefix "$ROOT/ui" run --silent build >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "building the UI failed (above, the end of ${log#"$ROOT"/})"
  fi
  echo "UI: built"
}

# What the tests start and must stop: the app and its WebKit processes, WebDriver, the sandbox,
# each test desktop's X server, bus, keyring, accessibility bus and notification daemon, and the
# RTMP ingest (nginx) and publisher (ffmpeg) of the ingest tests.
TEST_PROCESSES='WebKitWebDriver|WebKitWebProcess|WebKitNetworkProcess|tauri-driver|restream-studio|restream-sandbox|Xvfb|dbus-daemon|gnome-keyring-daemon|at-spi|dunst|nginx|ffmpeg|dbus-run-session|obs --disable-shutdown-check'

# Process ids (one per line) whose command line matches TEST_PROCESSES, zombies aside: a killed
# process whose parent went first waits for PID 1 to reap it, and runs nothing meanwhile.
test_processes() {
  local pid
  for pid in $(pgrep -f -- "$TEST_PROCESSES"); do
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = "Z" ] || echo "$pid"
  done | sort
}

# Fails naming every process matching TEST_PROCESSES that was not running before (the ids in
# $1, one per line), after giving them a few seconds to end; stops them first.
check_nothing_left() {
  local before="$1" left pid tries=0
  while :; do
    left="$(comm -13 <(echo "$before") <(test_processes) | grep -v "^$$\$" || true)"
    [ -z "$left" ] && return 0
    [ "$tries" -ge 50 ] && break
    tries=$((tries + 1))
    sleep 0.1
  done
  echo "Processes the tests left running:" >&2
  for pid in $left; do
    echo "  $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" >&2
  done
  # shellcheck disable=SC2086 # one id per word
  kill $left 2>/dev/null || true
  fail "the tests left processes running (listed above, now stopped): a test must stop what it starts"
}
