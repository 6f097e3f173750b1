#!/bin/sh
# npm test (after scripts/setup.sh --browser): every test layer, in order.
#   1. the pure core, natively          cargo test
#   2. the wasm exports inside wasm     wasm-bindgen-test in Node and headless Chromium
#   3. the packed package               npm pack, installed and tested through every entry, tsc --strict
#   4. a real browser                   Playwright (playwright-core + Debian Chromium)
# Screenshots and other artefacts go to test-output/.
set -eu
cd "$(dirname "$0")/.."
mkdir -p build test-output

step() { printf '\n== %s\n' "$*"; }

step "1. core: cargo test"
cargo test

step "build: npm run build"
node scripts/build.mjs

step "2. the wasm exports inside wasm: wasm-bindgen-test in Node and Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=120
cargo test --target wasm32-unknown-unknown --test wasm_api
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test wasm_api

step "3. the packed package: every entry, the types, the CLI, the mock, the demo server"
node scripts/pack-consumer.mjs
node scripts/build-dictionary.mjs --check
node --test --test-concurrency=1 --test-reporter=spec tests/mock/ tests/package/ tests/www/ tests/cli/

step "4. real browser (Playwright + Chromium)"
node --test --test-concurrency=1 --test-reporter=spec tests/browser/

step "all tests passed"
