#!/usr/bin/env bash
# Sets up and runs Restream Studio. With no service configured it runs in demo mode: the bundled
# sandbox service starts inside the app on 127.0.0.1, so everything works with no account.
#
# The console shows the studio's own log lines (and any panic); everything else the app and its
# neighbours print (D-Bus, the keyring, accessibility, GTK and WebKit) goes to target/logs/app.log.
# A second run with nothing changed builds nothing and starts in seconds.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh --app
step "Building the UI"
build_ui
step "Building the app"
cargo build -p restream-studio --locked
APP="$ROOT/target/debug/restream-studio"
LOG="$ROOT/target/logs/app.log"
mkdir -p "$(dirname "$LOG")"
: >"$LOG"

step "Starting Restream Studio"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display here: the window runs on a virtual screen (Xvfb) and cannot be seen. Run this from a desktop session to see it."
  run=(xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$APP")
else
  run=("$APP")
fi
echo "Press Ctrl+C to stop. Other messages (D-Bus, keyring, accessibility, WebKit): ${LOG#"$ROOT"/}"

# Every line to the log without colours; to the console, the studio's own lines (tracing's
# "<time>Z  LEVEL target: …") and a panic's. Each stage passes lines on as they come.
set +e
"${run[@]}" 2>&1 |
  sed -u 's/\x1b\[[0-9;]*m//g' |
  tee -a "$LOG" |
  grep --line-buffered -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z +(TRACE|DEBUG|INFO|WARN|ERROR) |panicked at'
status="${PIPESTATUS[0]}"
set -e
# 130: stopped with Ctrl+C.
if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then
  tail -n 20 "$LOG" >&2
  fail "Restream Studio exited with status $status (above, the end of ${LOG#"$ROOT"/})"
fi
