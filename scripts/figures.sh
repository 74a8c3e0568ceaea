#!/usr/bin/env bash
# The chat figures of docs/benchmarks.md: builds the studio and the in-webview peer in release,
# then runs the measuring script against the sandbox. SOAK_MINUTES (default 30) sets the soak.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
step "Building the UI"
npm --prefix ui run build
step "Building the studio and the peer (release)"
cargo build --release -p restream-studio -p restream-studio-peer
step "Measuring (about $(( ${SOAK_MINUTES:-30} + 3 )) minutes)"
cargo run --release -p restream-studio-e2e --example chat_figures
