#!/usr/bin/env bash
# `make lint`: fails on rustfmt drift and on any rustc or clippy warning in the
# workspace crates, every target (tests and the bench binary included); then,
# for the SPA, on generated API types that differ from openapi.yaml, on any
# ESLint finding and on a type error.
#
# Clippy runs as the compiler of the workspace crates (clippy-driver as
# RUSTC_WORKSPACE_WRAPPER, which the Makefile sets for every cargo command it
# runs), so its lints come out of the same build that the tests use: after
# `make build` or `make test` this compiles nothing, and cargo replays the
# warnings it kept. (`cargo clippy` would check every dependency a second
# time, in check mode.)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check

if ! clippy-driver --version >/dev/null 2>&1; then
    echo "clippy-driver missing: rustup component add clippy (scripts/setup.sh system does)" >&2
    exit 1
fi
export RUSTC_WORKSPACE_WRAPPER="${RUSTC_WORKSPACE_WRAPPER:-$(command -v clippy-driver)}"

# Diagnostics as JSON: print each rendered, count the warnings and errors.
# For units that are already built, cargo replays the diagnostics it kept.
format=json
[ -t 2 ] && format=json-diagnostic-rendered-ansi
cargo build --workspace --all-targets --message-format="$format" |
    python3 -c '
import json, re, sys

found = 0
for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError:
        sys.stdout.write(line)
        continue
    if msg.get("reason") != "compiler-message":
        continue
    diag = msg["message"]
    # rustc closes with "N warnings emitted", itself a warning without a span.
    if not diag["spans"] and re.fullmatch(r"\d+ warnings? emitted", diag["message"]):
        continue
    sys.stderr.write(diag.get("rendered") or diag["message"] + "\n")
    if diag["level"] in ("warning", "error"):
        found += 1
if found:
    sys.exit(f"lint: {found} warning(s) or error(s) from rustc or clippy")
'

# The SPA: generated types in step with openapi.yaml, ESLint, the typecheck.
[ -d web/node_modules ] || scripts/setup.sh web
(
    cd web
    npm run --silent check:api
    npm run --silent lint
    npm run --silent typecheck
)
