#!/usr/bin/env bash
# Build the WebAssembly module and its JavaScript glue into www/pkg/.
#
#   cargo (profile wasm-release, wasm32-unknown-unknown) -> wasm-bindgen --target web
#
# Needs the wasm32 target and a wasm-bindgen CLI of the crate's pinned version
# (scripts/setup.sh installs both).
#
# Profile: `wasm-release` (opt-level "z", LTO, one codegen unit, panic=abort) and no name
# section: the smallest download. wasm-opt is not used: Debian's binaryen 108 breaks the
# module's externref table, and binaryen 132 (npm) makes the gzipped file larger, not
# smaller (docs/PERFORMANCE.md has the measurements).
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

out=www/pkg
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/gradscape.wasm"

cargo build --profile wasm-release --lib --target wasm32-unknown-unknown

rm -rf "$out"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$out" "$wasm"

# The export module: the same engine with plotters' SVG backend, the code exports (NumPy,
# PyTorch) and the sweeps, a module of its own that the page loads only when someone asks for
# an SVG, a script or a sweep (www/share.js). The sweeps' cells run in it, so it is built for
# speed: profile `wasm-export` (opt-level 3) with SIMD128, which pairs the batched kernel's
# lanes into f64x2 operations (the same IEEE operations: the same bits). Its own profile keeps
# its artifacts apart from the page module's.
export_wasm="$target_dir/wasm32-unknown-unknown/wasm-export/gradscape.wasm"
RUSTFLAGS="-C target-feature=+simd128" cargo build --profile wasm-export --lib --target wasm32-unknown-unknown --features svg,code,sweep
rm -rf www/pkg-svg
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir www/pkg-svg --out-name gradscape_svg "$export_wasm"

opt="opt-level z, name section removed"

gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
raw() { wc -c <"$1" | tr -d ' '; }
printf 'build-wasm: %s/gradscape_bg.wasm  %8s bytes, %8s gzipped (%s)\n' "$out" "$(raw "$out/gradscape_bg.wasm")" "$(gz "$out/gradscape_bg.wasm")" "$opt"
printf 'build-wasm: %s/gradscape.js       %8s bytes, %8s gzipped\n' "$out" "$(raw "$out/gradscape.js")" "$(gz "$out/gradscape.js")"
printf 'build-wasm: www/pkg-svg/gradscape_svg_bg.wasm  %8s bytes, %8s gzipped (loaded on demand; opt-level 3, SIMD128)\n' "$(raw www/pkg-svg/gradscape_svg_bg.wasm)" "$(gz www/pkg-svg/gradscape_svg_bg.wasm)"
