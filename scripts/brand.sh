#!/usr/bin/env bash
# Makes what a branded build needs from one brand file: checks it, writes the Tauri config
# overlay and the brand the app embeds to target/brand/<binaryName>/, and every icon size from
# the brand's one source image. Prints the overlay's path last.
#   npm run brand -- path/to/brand.json
source "$(dirname "$0")/lib.sh"

brand_file="${1:-}"
[ -n "$brand_file" ] || fail "name a brand file: npm run brand -- brands/acme-live/brand.json"
[ -f "$brand_file" ] || fail "$brand_file does not exist"

step "Checking $brand_file"
{ read -r out; read -r icon; } < <(cargo run -q -p restream-brand -- overlay "$brand_file" target/brand)
step "Making every icon size from $icon"
npx tauri icon "$icon" --output "$out/icons" >"$out/icons.log" 2>&1 \
  || { cat "$out/icons.log" >&2; fail "the icons could not be made from $icon"; }
printf '%s\n' "$out/tauri.brand.json"
