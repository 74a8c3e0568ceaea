#!/usr/bin/env bash
# Repacks the .deb packages Tauri's bundler made (gzip) with xz, as Debian packages its own:
# the same files, owners and control data, about 30 % smaller (the studio's .deb: 9.6 → 6.6 MB).
#   bash scripts/recompress-deb.sh target/release/bundle/deb/*.deb
set -euo pipefail

for deb in "$@"; do
  work="$(mktemp -d)"
  dpkg-deb --raw-extract "$deb" "$work/root"
  dpkg-deb --root-owner-group -Zxz -z9 --build "$work/root" "$deb" >/dev/null
  rm -rf "$work"
done
