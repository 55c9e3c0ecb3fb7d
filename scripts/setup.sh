#!/usr/bin/env bash
# Install what the build and the tests need, skipping whatever is already there.
# Idempotent: every step prints one line saying what it did or why it skipped.
#
#   scripts/setup.sh            native bits: wasm32 target, wasm-bindgen CLI (same version
#                               as the wasm-bindgen crate pinned in Cargo.toml)
#   scripts/setup.sh node       node_modules (npm ci): terser for the page build,
#                               playwright-core for the browser tests
#   scripts/setup.sh browser    browser-test bits: Debian's chromium, and node_modules
#   scripts/setup.sh python     a virtual environment in target/py with NumPy (pinned in
#                               tests/python/requirements.txt) for the code-export test
#
# Several may be given at once: scripts/setup.sh native browser.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

# apt-get as root, or through sudo when not root.
APT_UPDATED=0
apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    if [ "$APT_UPDATED" -eq 0 ]; then
        "${sudo[@]}" apt-get update -qq >/dev/null
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

setup_native() {
    command -v cargo >/dev/null || { echo "setup: cargo not found (install Rust via rustup first)" >&2; exit 1; }

    if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
        say "rust target wasm32-unknown-unknown: already installed"
    else
        say "rust target wasm32-unknown-unknown: installing"
        rustup target add wasm32-unknown-unknown
    fi

    local want have
    want=$(sed -nE 's/^[[:space:]]*wasm-bindgen[[:space:]]*=[[:space:]]*"=([0-9][^"]*)".*/\1/p' Cargo.toml | head -n1)
    if [ -z "$want" ]; then
        echo 'setup: no exact pin wasm-bindgen = "=V" found in Cargo.toml' >&2
        exit 1
    fi
    have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
    if [ "$have" = "$want" ]; then
        say "wasm-bindgen-cli $want: already installed"
    else
        say "wasm-bindgen-cli $want: installing (found '${have:-none}'; cargo install takes a few minutes)"
        cargo install wasm-bindgen-cli --version "$want"
    fi
}

setup_browser() {
    if [ -n "${CHROMIUM:-}" ]; then
        [ -x "$CHROMIUM" ] || { echo "setup: CHROMIUM=$CHROMIUM is not an executable" >&2; exit 1; }
        say "chromium: using $CHROMIUM"
    elif [ -x /usr/bin/chromium ]; then
        say "chromium: already installed (/usr/bin/chromium)"
    else
        say "chromium: installing Debian's package"
        apt_install chromium
    fi

    setup_node
}

setup_node() {
    command -v npm >/dev/null || { echo "setup: npm not found (install Node.js 20 or later)" >&2; exit 1; }
    if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/terser ]; then
        say "node_modules: installing (npm ci)"
        npm ci --no-audit --no-fund --loglevel=error
    elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "node_modules: package-lock.json changed, reinstalling (npm ci)"
        npm ci --no-audit --no-fund --loglevel=error
    else
        say "node_modules: up to date"
    fi
}

setup_python() {
    local py="${PYTHON:-python3}" venv=target/py req=tests/python/requirements.txt want
    command -v "$py" >/dev/null || { echo "setup: $py not found (install Python 3.9 or later)" >&2; exit 1; }
    want=$(sed -nE 's/^numpy==([^ ]+).*/\1/p' "$req")
    if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c 'import numpy; print(numpy.__version__)' 2>/dev/null)" = "$want" ]; then
        say "python venv with numpy $want: already installed ($venv)"
        return
    fi
    say "python venv with numpy $want: installing ($venv, pip)"
    "$py" -m venv "$venv" || { echo "setup: '$py -m venv' failed (on Debian: apt-get install python3-venv)" >&2; exit 1; }
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
}

[ $# -gt 0 ] || set -- native
for what in "$@"; do
    case "$what" in
        native) setup_native ;;
        browser) setup_browser ;;
        node) setup_node ;;
        python) setup_python ;;
        *)
            echo "usage: $0 [native] [node] [browser] [python]" >&2
            exit 2
            ;;
    esac
done
