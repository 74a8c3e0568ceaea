#!/usr/bin/env bash
# Static checks: the code's shape (no import circle, no file longer than a sitting), Rust
# formatting and clippy, UI lint (Biome) and typecheck, configs against their schemas.
source "$(dirname "$0")/lib.sh"

step "Structure: no import circle between files, every file within its length"
node --test scripts/
node scripts/check-structure.mjs

step "cargo fmt --check"
cargo fmt --all --check
# The fuzz targets are a project of their own (fuzz/); scripts/fuzz.sh builds them.
cargo fmt --all --check --manifest-path fuzz/Cargo.toml
step "UI lint (Biome) and typecheck (tsc)"
npm --prefix ui run --silent lint
npm --prefix ui run --silent typecheck
step "Lockfiles: the workspace's and the fuzz targets' match their manifests"
# The fuzz targets depend on the studio's crates, so a new dependency there changes
# fuzz/Cargo.lock too; fail here in the first minutes, not after the whole test run.
cargo metadata --locked --format-version 1 >/dev/null
cargo metadata --locked --manifest-path fuzz/Cargo.toml --format-version 1 >/dev/null ||
  fail "fuzz/Cargo.lock is out of date: run \`cargo update --manifest-path fuzz/Cargo.toml --workspace\` and commit it"
step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "One version of specta (the specta / tauri-specta / specta-typescript trio is pinned)"
# `cargo tree -i` refuses an ambiguous name, so a second specta fails here.
cargo tree --workspace --locked -i specta --depth 0
step "Configs against their schemas (workflows, also with zizmor; Tauri config, brands)"
bash scripts/check-schemas.sh
