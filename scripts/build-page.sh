#!/usr/bin/env bash
# Assemble the shipped page in dist/: www/'s static files, the wasm module from www/pkg/,
# the page's modules and the wasm-bindgen glue joined into one app.js (scripts/bundle.mjs) and
# minified by terser (node_modules, from package-lock.json), and the glue alone (its snippets
# joined in) beside the wasm for scripts.
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
mkdir -p "$out/pkg" "$out/pkg-svg"
cp "$src/index.html" "$src/style.css" "$src/favicon.svg" "$src/manifest.webmanifest" "$out/"
cp "$src/pkg/gradscape_bg.wasm" "$out/pkg/"
cp "$src/pkg-svg/gradscape_svg_bg.wasm" "$out/pkg-svg/"
bundle=$(mktemp)
glue=$(mktemp)
trap 'rm -f "$bundle" "$glue"' EXIT
# The page and its painter worker load one script: app.js with the wasm-bindgen glue (and the
# glue's `inline_js` snippets from src/wasm/) joined in. The glue alone, with its snippets,
# goes beside the wasm for scripts that use the engine's JavaScript API (the page does not
# load it).
node scripts/bundle.mjs "$src/app.js" --glue >"$bundle"
node scripts/bundle.mjs "$src/pkg/gradscape.js" >"$glue"
# The SVG exporter's glue (www/share.js imports it when an SVG is asked for).
node scripts/bundle.mjs "$src/pkg-svg/gradscape_svg.js" | "$terser" --module --compress passes=3 --mangle --output "$out/pkg-svg/gradscape_svg.js"
# Short import names in the wasm and in both copies of the glue (scripts/short-imports.mjs).
node scripts/short-imports.mjs "$out/pkg/gradscape_bg.wasm" "$bundle" "$glue"
"$terser" "$bundle" --module --compress passes=3 --mangle --output "$out/app.js"
"$terser" "$glue" --module --compress passes=3 --mangle --output "$out/pkg/gradscape.js"

# The sweep worker (www/sweep.js starts one per core; it loads the export module).
"$terser" "$src/sweep-worker.js" --module --compress passes=3 --mangle --output "$out/sweep-worker.js"

# The helper for course pages (not loaded by the playground), minified beside it.
"$terser" "$src/embed.js" --module --compress passes=3 --mangle --output "$out/embed.js"

# The service worker: every file the page and its presets need offline, under a version that
# is a hash of their contents (a new build is a new cache; scripts/sw.js).
files=(index.html style.css favicon.svg manifest.webmanifest app.js sweep-worker.js pkg/gradscape_bg.wasm pkg-svg/gradscape_svg.js pkg-svg/gradscape_svg_bg.wasm)
version=$(cd "$out" && cat "${files[@]}" | sha256sum | cut -c1-16)
list=$(printf '"%s",' "${files[@]}")
sed -e "s/__VERSION__/$version/" -e "s|__FILES__|[${list%,}]|" scripts/sw.js >"$out/sw.js"

# What the page downloads, each file gzipped on its own (as a server sends them).
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
wasm=$(gz "$out/pkg/gradscape_bg.wasm")
app=$(gz "$out/app.js")
total=$((wasm + app))
printf 'build-page: %s/  gzip -9: wasm %s B + app.js %s B = %s B (%s KiB)\n' \
    "$out" "$wasm" "$app" "$total" "$(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1024 }')"
