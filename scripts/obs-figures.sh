#!/usr/bin/env bash
# The OBS link's figures of docs/benchmarks.md: builds the studio in release, then runs the
# measuring script beside a real OBS, nginx-rtmp and the sandbox's ingest. OBS_IDLE_SECONDS
# (default 120) sets each idle window.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
step "Building the UI"
npm --prefix ui run build
step "Building the studio (release)"
cargo build --release -p restream-studio
step "Measuring (about $(( ${OBS_IDLE_SECONDS:-120} * 6 / 60 + 4 )) minutes)"
cargo run --release -p restream-studio-e2e --example obs_figures
