#!/usr/bin/env bash
# Build the WebAssembly module and its JavaScript glue into www/pkg/.
#
#   cargo (release, wasm32-unknown-unknown) -> wasm-bindgen --target web -> wasm-opt -Oz (if present)
#
# Needs the wasm32 target and a wasm-bindgen CLI of the crate's pinned version
# (scripts/setup.sh installs both). wasm-opt (Debian: binaryen) is optional;
# WASM_OPT=/path/to/wasm-opt picks another one than the first on PATH.
#
# Profile: the plain release profile (opt-level 3, LTO). A size-tuned profile
# (opt-level "s"/"z") would give a smaller download at some cost in speed; that
# trade-off has not been measured yet.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

out=www/pkg
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
wasm="$target_dir/wasm32-unknown-unknown/release/gradscape.wasm"

cargo build --release --lib --target wasm32-unknown-unknown

rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm"

wasm_opt="${WASM_OPT:-$(command -v wasm-opt || true)}"
if [ -n "$wasm_opt" ]; then
    # Some binaryen releases (Debian bookworm's 108) re-bind wasm-bindgen's externref
    # table export to the funcref table, and such output fails at start-up: keep the
    # optimised module only when wasm-opt succeeded and the exported tables survived.
    opt="not size-optimised"
    # The features rustc enables by default for wasm32-unknown-unknown (Rust >= 1.87).
    # wasm-opt would read most of them from the module's target_features section,
    # but naming them keeps this working if that section is ever stripped.
    if ! "$wasm_opt" -Oz \
        --enable-bulk-memory \
        --enable-nontrapping-float-to-int \
        --enable-sign-ext \
        --enable-mutable-globals \
        --enable-reference-types \
        --enable-multivalue \
        "$out/gradscape_bg.wasm" -o "$out/gradscape_bg.opt.wasm"; then
        echo "build-wasm: wasm-opt failed: keeping the unoptimised module" >&2
    elif ! python3 scripts/check-wasm-opt.py "$out/gradscape_bg.wasm" "$out/gradscape_bg.opt.wasm"; then
        echo "build-wasm: $("$wasm_opt" --version) breaks this module: keeping the unoptimised one" >&2
    else
        mv "$out/gradscape_bg.opt.wasm" "$out/gradscape_bg.wasm"
        opt="wasm-opt -Oz"
    fi
    rm -f "$out/gradscape_bg.opt.wasm"
else
    opt="not size-optimised: no wasm-opt (scripts/setup.sh wasm-opt installs it)"
fi

gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
raw() { wc -c <"$1" | tr -d ' '; }
printf 'build-wasm: %s/gradscape_bg.wasm  %8s bytes, %8s gzipped (%s)\n' "$out" "$(raw "$out/gradscape_bg.wasm")" "$(gz "$out/gradscape_bg.wasm")" "$opt"
printf 'build-wasm: %s/gradscape.js       %8s bytes, %8s gzipped\n' "$out" "$(raw "$out/gradscape.js")" "$(gz "$out/gradscape.js")"
