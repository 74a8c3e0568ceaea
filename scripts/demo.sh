#!/usr/bin/env bash
# Sets up and runs Restream Studio. With no service configured it runs in demo mode: the bundled
# sandbox service starts inside the app on 127.0.0.1, so everything works with no account.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
step "Building the UI"
npm --prefix ui run build
step "Starting Restream Studio"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: running under a virtual X server (Xvfb). Use a desktop session to see the window."
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- cargo run -p restream-studio
fi
exec cargo run -p restream-studio
