#!/usr/bin/env bash
# Installers for one brand: .deb and .rpm here (the release workflow builds the other OSes'
# installers and the AppImage, whose bundler downloads its tools).
#   npm run bundle                                  # the default brand
#   npm run bundle -- brands/acme-live/brand.json   # an operator's brand
source "$(dirname "$0")/lib.sh"

brand_file="${1:-brands/default.json}"
overlay="$(bash scripts/brand.sh "$brand_file" | tail -n 1)"
[ -f "$overlay" ] || fail "npm run brand made no overlay for $brand_file"

step "Building the installers of $brand_file (release build)"
# build.rs embeds the checked brand named here; the overlay renames the product, its scheme
# and icons for the bundler.
RESTREAM_BRAND="$(dirname "$overlay")/brand.json" \
  npx tauri build --ci --bundles deb,rpm --config "$overlay"

step "Recompressing the .deb with xz"
bash scripts/recompress-deb.sh target/release/bundle/deb/*.deb

step "Installers"
find target/release/bundle -maxdepth 2 \( -name '*.deb' -o -name '*.rpm' \) -printf '%s\t%p\n' |
  awk -F'\t' '{ printf "%6.2f MB  %s\n", $1 / 1000000, $2 }'
