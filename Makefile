# gradscape: build, serve and test.
#
#   make serve   build the playground into dist/ and serve it on http://127.0.0.1:8000 (PORT=... to change)
#   make test    run every test, installing what is missing first
#   make bench   performance benchmarks (not part of make test): criterion and the page
#
# Steps run in the order written, never in parallel: each needs the one before it.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.NOTPARALLEL:
.DEFAULT_GOAL := help

export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
PYTHON ?= python3

.PHONY: help setup setup-node setup-browser setup-python wasm page serve course test lint unit-test code-test browser-test bench screenshots clean

help:
	@echo "make serve          build the playground and serve it on http://127.0.0.1:$${PORT:-8000}/"
	@echo "make test           setup, fmt, clippy, cargo test, code export test, wasm build, browser tests"
	@echo "make setup          install the wasm32 target and the wasm-bindgen CLI if missing"
	@echo "make setup-node     install node_modules (terser, playwright-core) if missing"
	@echo "make setup-browser  install Chromium and node_modules if missing"
	@echo "make wasm           build www/pkg/ (wasm + JS glue)"
	@echo "make page           build dist/, the shipped page (wasm + minified JS)"
	@echo "make lint           cargo fmt --check and clippy (native and wasm32)"
	@echo "make unit-test      cargo test"
	@echo "make code-test      the NumPy code export against gradscape run (tests/python/code_matches.py)"
	@echo "make setup-python   a venv in target/py with NumPy for code-test, if missing"
	@echo "make browser-test   build dist/ and run tests/browser/ on it in headless Chromium"
	@echo "make course         serve the playground and the example course page (examples/course/) on a second port"
	@echo "make bench          benchmarks (docs/PERFORMANCE.md): criterion on the engine, the page in Chromium"
	@echo "make screenshots    refresh docs/screenshots/ (laptop, projector, phone, 520x420 embed)"
	@echo "make clean          remove build output and test artifacts"

setup:
	@scripts/setup.sh native

setup-node:
	@scripts/setup.sh node

setup-browser:
	@scripts/setup.sh browser

setup-python:
	@scripts/setup.sh python

wasm: setup
	@scripts/build-wasm.sh

page: setup-node wasm
	@scripts/build-page.sh

serve: setup page
	@exec $(PYTHON) scripts/serve.py

# The example course page on COURSE_PORT (default 8001), driving the playground on PORT
# (default 8000): two origins, as a course site and the playground usually are.
course: setup page
	@port=$${PORT:-8000}; cport=$${COURSE_PORT:-8001}; \
	$(PYTHON) scripts/serve.py --port $$port & pid=$$!; trap 'kill $$pid' EXIT INT TERM; \
	echo "course page: http://127.0.0.1:$$cport/?playground=http://127.0.0.1:$$port/"; \
	$(PYTHON) scripts/serve.py --dir examples/course --port $$cport

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --features svg,code,sweep -- -D warnings

unit-test:
	cargo test

# Every preset and a scenario of every rule, schedule and surface: the NumPy script of
# `gradscape code` prints the CSV of `gradscape run` to 1e-12 relative.
code-test: setup-python
	cargo build --bin gradscape
	target/py/bin/python tests/python/code_matches.py

browser-test: setup-browser page
	npm run --silent test:browser

screenshots: setup-browser page
	node scripts/screenshots.mjs

test: setup setup-browser lint unit-test code-test page browser-test

# Benchmarks print numbers and assert none; see docs/PERFORMANCE.md. Not part of `make test`.
# -j 1: `cargo bench` builds the library twice (unwinding for the bench, aborting for the
# binary) into the same file names (the cdylib crate type has none of its own), and two
# jobs at once can link against a half-written one.
bench: setup setup-browser page
	cargo bench -j 1 --bench core
	$(PYTHON) tests/bench/criterion-table.py
	cargo run --release --example run_memory
	node tests/bench/page-bench.mjs

clean:
	cargo clean
	rm -rf www/pkg dist test-artifacts

# Fuzz every user-text decoder for FUZZ_SECONDS each (needs cargo-fuzz and the nightly toolchain).
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
	cd fuzz && for t in $$(cargo +nightly fuzz list); do \
		mkdir -p corpus/$$t; \
		cargo +nightly fuzz run $$t corpus/$$t seeds/$$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=4096 || exit 1; \
	done
