#!/usr/bin/env bash
# Assemble the shipped page in dist/: www/'s static files, the wasm module from www/pkg/,
# the page's modules joined into one app.js (scripts/bundle.mjs) and minified by terser
# (node_modules, from package-lock.json), and the wasm-bindgen glue (its snippets joined in)
# minified beside the wasm.
#
#   scripts/build-wasm.sh   (www/pkg/: wasm + glue)  ->  scripts/build-page.sh  (dist/)
#
# dist/ keeps www/'s layout for what it ships (index.html, app.js, pkg/), so relative paths
# are unchanged; www/ stays the readable source and can still be served as it is while
# working on the page.
set -euo pipefail
cd "$(dirname "$0")/.."

src=www
out=dist
terser=node_modules/.bin/terser
[ -x "$terser" ] || { echo "build-page: $terser missing (run scripts/setup.sh node)" >&2; exit 1; }
[ -f "$src/pkg/gradscape_bg.wasm" ] || { echo "build-page: $src/pkg/ missing (run scripts/build-wasm.sh)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/pkg"
cp "$src/index.html" "$src/style.css" "$src/favicon.svg" "$out/"
cp "$src/pkg/gradscape_bg.wasm" "$out/pkg/"
bundle=$(mktemp)
trap 'rm -f "$bundle"' EXIT
node scripts/bundle.mjs "$src/app.js" >"$bundle"
"$terser" "$bundle" --module --compress passes=3 --mangle --output "$out/app.js"
# The painter (www/painter.js), which the page starts as a worker: its own small module.
node scripts/bundle.mjs "$src/painter.js" >"$bundle"
"$terser" "$bundle" --module --compress passes=3 --mangle --output "$out/painter.js"
# The glue with its JavaScript snippets (`inline_js` in src/wasm/) joined in, so the page
# imports one file for it.
node scripts/bundle.mjs "$src/pkg/gradscape.js" >"$bundle"
"$terser" "$bundle" --module --compress passes=3 --mangle --output "$out/pkg/gradscape.js"

# What the page downloads, each file gzipped on its own (as a server sends them).
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
wasm=$(gz "$out/pkg/gradscape_bg.wasm")
app=$(gz "$out/app.js")
painter=$(gz "$out/painter.js")
glue=$(gz "$out/pkg/gradscape.js")
total=$((wasm + app + painter + glue))
printf 'build-page: %s/  gzip -9: wasm %s B + app.js %s B + painter.js %s B + glue %s B = %s B (%s KiB)\n' \
    "$out" "$wasm" "$app" "$painter" "$glue" "$total" "$(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1024 }')"
