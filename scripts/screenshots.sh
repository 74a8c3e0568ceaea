#!/usr/bin/env bash
# Makes the README's pictures again from the end-to-end run, so they show the app as it is: runs
# the three journeys that take them (each saves its picture in test-artifacts/e2e/readme/ on
# every run) and copies those to docs/screenshots/.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
build_ui
cargo build -p restream-studio --locked
rm -rf "$ROOT/test-artifacts/e2e/readme"
cargo test -p restream-studio-e2e --test e2e --locked -- \
  connect::connect_through_the_system_browser_then_go_live_and_stop \
  live::banners_change_and_hide_while_live \
  chat::chat_from_every_platform_arrives_as_text_and_sends_with_receipts
for picture in platforms.png live-banners.png chat.png; do
  cp "$ROOT/test-artifacts/e2e/readme/$picture" "$ROOT/docs/screenshots/$picture"
done
echo "docs/screenshots/: platforms.png, live-banners.png and chat.png made again; review and commit them"
