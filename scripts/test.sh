#!/bin/sh
# npm test (after scripts/setup.sh --browser): every test layer, in order.
#   1. the pure core, natively          cargo test
#   2. the wasm exports inside wasm     wasm-bindgen-test: the full build in Node, the browser build in Chromium
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
# The module npm run bench measures without the proxy (Cargo feature
# `proxy` off) still compiles, without warnings left to a bench run.
RUSTFLAGS="-D warnings" cargo check --target wasm32-unknown-unknown --lib --no-default-features --features server --target-dir target/without-proxy-check

step "2. the wasm exports inside wasm: wasm-bindgen-test in Node and Chromium, against the mock"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=120
# The mock in its own process; the tests get its origin at compile time.
node mock/zoom-mock.mjs --port 0 > build/wasm-test-mock.origin &
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s build/wasm-test-mock.origin ] && break; sleep 0.1; done
ZOOM_MOCK_ORIGIN=$(head -n 1 build/wasm-test-mock.origin)
export ZOOM_MOCK_ORIGIN
# The full build in Node; the browser build (no `server` feature) in Chromium.
cargo test --target wasm32-unknown-unknown --test wasm_api
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test wasm_api --no-default-features
kill $MOCK_PID 2>/dev/null || true
trap - EXIT

step "3. the packed package: every entry, the types, the CLI, the mock, the demo server"
node scripts/pack-consumer.mjs
node scripts/build-dictionary.mjs --check
node --test --test-concurrency=1 --test-reporter=spec tests/mock/ tests/package/ tests/runtimes/ tests/proxy/ tests/www/ tests/cli/

step "4. real browser (Playwright + Chromium)"
node --test --test-concurrency=1 --test-reporter=spec tests/browser/

step "all tests passed"
