#!/bin/sh
# npm run fuzz: each cargo-fuzz target for a bounded time (FUZZ_SECONDS,
# default 60), starting from the committed seeds in fuzz/seeds/. Not part of
# npm test. New corpus entries go to build/fuzz-corpus/; a crash is saved
# under fuzz/artifacts/ and fails the run.
# Stable Rust: no sanitizer, and RUSTC_BOOTSTRAP for the flags cargo-fuzz sets.
set -eu
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz
cd fuzz
for target in validate_password build_request classify_response proxy_request; do
  mkdir -p "../build/fuzz-corpus/$target"
  echo "== fuzz $target for ${SECONDS_PER_TARGET}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "../build/fuzz-corpus/$target" "seeds/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1
done
