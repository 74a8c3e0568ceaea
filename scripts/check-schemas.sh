#!/usr/bin/env bash
# The configs checked against their schemas, offline: the workflows (GitHub's workflow schema,
# vendored in check-jsonschema, then zizmor's static analysis: pinned actions, no credentials or
# caches where they could leak into a release, no expression expanded into a script), the Tauri
# config and a brand's overlay (the pinned Tauri CLI's schema), and the brand files
# (brands/brand.schema.json, as editors use it).
source "$(dirname "$0")/lib.sh"

TOOLS="$(tools_venv)"
check_jsonschema() { "$TOOLS/check-jsonschema" "$@"; }

check_jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
"$TOOLS/zizmor" --offline --no-progress --min-severity low .github/workflows/
TAURI_SCHEMA=node_modules/@tauri-apps/cli/config.schema.json
# The Tauri schema escapes characters in its patterns as JavaScript allows without /u.
check_jsonschema --regex-variant nonunicode --schemafile "$TAURI_SCHEMA" src-tauri/tauri.conf.json
overlay="$(bash scripts/brand.sh brands/acme-live/brand.json | tail -n 1)"
check_jsonschema --regex-variant nonunicode --schemafile "$TAURI_SCHEMA" "$overlay"
check_jsonschema --schemafile brands/brand.schema.json brands/default.json brands/*/brand.json
