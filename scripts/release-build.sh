#!/usr/bin/env bash
# Builds one OS's installers in the release workflow, signed as far as the secrets in the
# environment allow, and says in the job's summary what the build is. A secret that is not set
# reaches the workflow as an empty variable; Tauri would take an empty APPLE_CERTIFICATE as a
# certificate to import and stop, so empty ones are unset here first.
#   bash scripts/release-build.sh <bundles> <brand overlay> [--dry-run]
# --dry-run prints the decisions and the build command instead of building (the lint's check).
source "$(dirname "$0")/lib.sh"

bundles="${1:?name the bundles, e.g. msi,nsis}"
overlay="${2:?name the Tauri config overlay of the brand}"
dry_run="${3:-}"
os="${RUNNER_OS:-$(uname -s)}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"

for name in APPLE_CERTIFICATE APPLE_CERTIFICATE_PASSWORD APPLE_SIGNING_IDENTITY APPLE_ID \
  APPLE_PASSWORD APPLE_TEAM_ID WINDOWS_CERTIFICATE WINDOWS_CERTIFICATE_PASSWORD WINDOWS_SIGN_COMMAND; do
  if [ -z "${!name:-}" ]; then unset "$name"; fi
done

say() {
  printf '%s\n' "$*"
  printf '%s\n' "$*" >>"$summary"
}

build=(npx tauri build --ci --bundles "$bundles" --config "$overlay")

case "$os" in
  macOS)
    # One app for Apple silicon and Intel Macs.
    build+=(--target universal-apple-darwin)
    if [ -z "${APPLE_CERTIFICATE:-}" ]; then
      # Signed ad hoc: Apple silicon runs nothing unsigned. Gatekeeper still warns at first open.
      unset APPLE_CERTIFICATE_PASSWORD APPLE_ID APPLE_PASSWORD APPLE_TEAM_ID
      export APPLE_SIGNING_IDENTITY=-
      say "macOS: **unsigned** (signed ad hoc, not notarized): APPLE_CERTIFICATE is not set. Gatekeeper will warn streamers at first open; see docs/operators.md."
    elif [ -z "${APPLE_CERTIFICATE_PASSWORD:-}" ]; then
      fail "APPLE_CERTIFICATE is set but APPLE_CERTIFICATE_PASSWORD is not: set it to the password the .p12 was exported with"
    elif [ -z "${APPLE_SIGNING_IDENTITY:-}" ]; then
      fail "APPLE_CERTIFICATE is set but APPLE_SIGNING_IDENTITY is not: set it to the certificate's name, e.g. \"Developer ID Application: Your Company (TEAMID)\""
    elif [ -z "${APPLE_ID:-}" ] || [ -z "${APPLE_PASSWORD:-}" ] || [ -z "${APPLE_TEAM_ID:-}" ]; then
      unset APPLE_ID APPLE_PASSWORD APPLE_TEAM_ID
      say "macOS: signed with APPLE_CERTIFICATE, **not notarized**: set APPLE_ID, APPLE_PASSWORD and APPLE_TEAM_ID to notarize."
    else
      say "macOS: signed with APPLE_CERTIFICATE and notarized."
    fi
    ;;
  Windows)
    if [ -n "${WINDOWS_SIGN_COMMAND:-}" ] || [ -n "${WINDOWS_CERTIFICATE:-}" ]; then
      # Tauri signs the app, each installer and the uninstaller through this one command.
      # Relative (the script runs from the repository's root): Git's bash would hand an absolute
      # POSIX path to the Windows CLI.
      sign_config="target/release-signing/windows.json"
      mkdir -p "$(dirname "$sign_config")"
      # pwsh takes a Windows path (cygpath gives it under Git's bash), escaped for JSON.
      script="$ROOT/scripts/sign-windows.ps1"
      if command -v cygpath >/dev/null; then script="$(cygpath -w "$script")"; fi
      script="$(printf '%s' "$script" | sed 's/\\/\\\\/g')"
      printf '{"bundle":{"windows":{"signCommand":{"cmd":"pwsh","args":["-NoProfile","-File","%s","%%1"]}}}}\n' \
        "$script" >"$sign_config"
      build+=(--config "$sign_config")
      if [ -n "${WINDOWS_SIGN_COMMAND:-}" ]; then
        say "Windows: signed by WINDOWS_SIGN_COMMAND (the app, the installers and the uninstaller)."
      else
        say "Windows: signed with WINDOWS_CERTIFICATE (the app, the installers and the uninstaller)."
      fi
    else
      say "Windows: **unsigned**: neither WINDOWS_SIGN_COMMAND nor WINDOWS_CERTIFICATE is set. SmartScreen will warn streamers; see docs/operators.md."
    fi
    ;;
  *)
    say "Linux: packages are not signed here; sign them with gpg --detach-sign if you publish them directly."
    ;;
esac

if [ "$dry_run" = "--dry-run" ]; then
  printf 'build:'
  printf ' %q' "${build[@]}"
  printf '\n'
  for name in APPLE_CERTIFICATE APPLE_SIGNING_IDENTITY APPLE_ID WINDOWS_CERTIFICATE WINDOWS_SIGN_COMMAND; do
    printf '%s=%s\n' "$name" "$([ -n "${!name+set}" ] && echo set || echo unset)"
  done
  [ -n "${sign_config:-}" ] && printf 'sign config: %s\n' "$(cat "$sign_config")"
  exit 0
fi
exec "${build[@]}"
