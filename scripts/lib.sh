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
