#!/usr/bin/env bash
# Rebuild docs/screenshots/ from the example site: phone-width pages in light
# and dark mode, and the printed A4 poster. Needs chromium and pdftoppm
# (Debian: chromium, poppler-utils) and Chinese fonts (fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
cargo run --release -q -- build --output "$site/public"
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars)
shot() { # name page width height [extra chromium flags…]
  local name=$1 page=$2 w=$3 h=$4; shift 4
  "${chrome[@]}" "$@" --window-size="$w,$h" --screenshot="$out/$name.png" "file://$site/public/$page" 2>/dev/null
}
shot home index.html 390 844
shot county tengxian/index.html 390 844
shot board tengxian/jinjizhen/tongrongcun/index.html 390 2400
shot board-dark tengxian/jinjizhen/tongrongcun/index.html 390 844 --force-dark-mode --blink-settings=preferredColorScheme=0
shot partners partners/index.html 390 844
shot desktop index.html 1280 800
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$site/poster.pdf" \
  "file://$site/public/tengxian/jinjizhen/tongrongcun/poster/index.html" 2>/dev/null
pdftoppm -png -r 60 -singlefile "$site/poster.pdf" "$out/poster"
ls -l "$out"
