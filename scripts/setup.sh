#!/usr/bin/env bash
# Installs whatever is missing to build, run and test Restream Studio on Debian or Ubuntu:
# system packages, npm packages and tauri-driver. Safe to run again; it skips what is there.
# `--app` installs only what running the app needs (no tauri-driver, which only the tests use).
# What the package manager prints goes to target/logs/setup.log, not the console.
source "$(dirname "$0")/lib.sh"

FOR_APP_ONLY=0
[ "${1:-}" = "--app" ] && FOR_APP_ONLY=1
SETUP_LOG="$ROOT/target/logs/setup.log"

# Debian packages: WebKitGTK + build tools for the app; Xvfb, D-Bus, WebKitWebDriver, a keyring
# and xdg-utils for running it headless and end-to-end; a notification daemon (dunst) that records
# what the app shows and xdotool to press global shortcuts in those tests; an emoji font so chat
# renders; Python's venv for the schema checker (scripts/check-schemas.sh).
PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential pkg-config libdbus-1-dev libayatana-appindicator3-dev
  xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring xdg-utils desktop-file-utils
  dunst xdotool fonts-noto-color-emoji curl python3-venv
)
# For the tests only: a real RTMP ingest (nginx with its RTMP module) and a publisher (ffmpeg)
# in front of the sandbox's v1.1 ingest, a real OBS Studio (with obs-websocket) for the link, and
# Chromium with its WebDriver (what OBS's browser source is underneath) for the chat overlay.
TEST_PACKAGES=(nginx libnginx-mod-rtmp ffmpeg obs-studio chromium chromium-driver)

version_at_least() { # $1 have, $2 need (dotted numbers)
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

check_toolchains() {
  local need_rust have_rust have_node
  need_rust="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"
  command -v cargo >/dev/null || fail "Rust is not installed. Install Rust ${need_rust} or newer with rustup (https://rustup.rs), then run this again."
  have_rust="$(rustc --version | awk '{print $2}')"
  version_at_least "$have_rust" "$need_rust" ||
    fail "Rust ${have_rust} is older than the ${need_rust} this project needs. Run: rustup update stable"
  command -v node >/dev/null || fail "Node.js is not installed. Install Node.js 20.19 or newer (https://nodejs.org or your distribution's nodejs package)."
  have_node="$(node --version | sed 's/^v//')"
  version_at_least "$have_node" "20.19.0" ||
    fail "Node.js ${have_node} is older than 20.19 (Vite 8 needs it). Install Node.js 20.19 or newer."
  echo "Rust ${have_rust}, Node.js ${have_node}"
}

# Installs those of the packages named that are missing.
install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "Debian packages: all present"
    return
  fi
  command -v apt-get >/dev/null || fail "Missing packages (${missing[*]}) and no apt-get: install their equivalents for your system."
  echo "Installing: ${missing[*]} (apt's output: ${SETUP_LOG#"$ROOT"/})"
  mkdir -p "$(dirname "$SETUP_LOG")"
  if ! { as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >>"$SETUP_LOG" 2>&1; then
    tail -n 20 "$SETUP_LOG" >&2
    fail "installing Debian packages failed (above, the end of ${SETUP_LOG#"$ROOT"/})"
  fi
}

# npm ci when node_modules is absent or older than the lockfile.
npm_install() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "npm packages in $dir: up to date"
  fi
}

# tauri-driver bridges WebDriver to the app's WebKitWebDriver (end-to-end tests). From crates.io,
# pinned: a bare install would pick a 3.0 pre-release.
TAURI_DRIVER_VERSION="2.1.0"
install_tauri_driver() {
  if command -v tauri-driver >/dev/null && cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
    echo "tauri-driver $TAURI_DRIVER_VERSION: present"
    return
  fi
  cargo install tauri-driver --locked --version "=$TAURI_DRIVER_VERSION"
}

step "Checking toolchains"
check_toolchains
step "System packages"
install_packages "${PACKAGES[@]}"
step "npm packages"
npm_install "$ROOT"
npm_install "$ROOT/ui"
if [ "$FOR_APP_ONLY" -eq 0 ]; then
  step "Test-only packages"
  install_packages "${TEST_PACKAGES[@]}"
  step "tauri-driver"
  install_tauri_driver
fi
