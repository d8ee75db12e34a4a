#!/usr/bin/env bash
# Redraws the README's screenshots of `otpkit app` (docs/app-list.png, docs/app-add.png): the
# view test `screenshots` draws the screens at fixed times into SVG files, rsvg-convert
# (librsvg2-bin, with the DejaVu Sans Mono font) turns them into PNG.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
OTPKIT_SCREENSHOT_DIR="$tmp" cargo test -q -p otpkit-cli --bin otpkit \
  app::tests::view_tests::screenshots -- --ignored >/dev/null
mkdir -p docs
for name in app-list app-add; do
  rsvg-convert "$tmp/$name.svg" -o "docs/$name.png"
done
ls -l docs/app-*.png
