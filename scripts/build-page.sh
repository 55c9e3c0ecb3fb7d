#!/usr/bin/env bash
# Assemble the shipped page in dist/: www/'s static files, the wasm module from www/pkg/,
# and every JavaScript module minified by terser (node_modules, from package-lock.json).
#
#   scripts/build-wasm.sh   (www/pkg/: wasm + glue)  ->  scripts/build-page.sh  (dist/)
#
# The layout of dist/ is www/'s, so relative imports are unchanged; www/ stays the readable
# source and can still be served as it is while working on the page.
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
for f in "$src"/*.js "$src/pkg/gradscape.js"; do
    "$terser" "$f" --module --compress --mangle --output "$out/${f#"$src"/}"
done

gz() { gzip -9 -c "$@" | wc -c | tr -d ' '; }
js=$(cat "$out"/*.js "$out/pkg/gradscape.js" | gzip -9 -c | wc -c | tr -d ' ')
wasm=$(gz "$out/pkg/gradscape_bg.wasm")
printf 'build-page: %s/  wasm %s B + JS %s B gzipped = %s B\n' "$out" "$wasm" "$js" "$((wasm + js))"
