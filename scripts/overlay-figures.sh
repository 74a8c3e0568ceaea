#!/usr/bin/env bash
# The chat overlay's figures of docs/benchmarks.md: builds the studio in release, then measures
# its overlay page in Chromium. OVERLAY_SOAK_MINUTES (default 30) sets the soak's length.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
step "Building the UI"
npm --prefix ui run build
step "Building the studio (release)"
cargo build --release -p restream-studio
step "Measuring (about $(( ${OVERLAY_SOAK_MINUTES:-30} + 2 )) minutes)"
cargo run --release -p restream-studio-e2e --example overlay_figures
