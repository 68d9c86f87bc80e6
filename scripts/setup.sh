#!/usr/bin/env bash
# Installs what this machine lacks for `make test`; `make test` and `.ci/run`
# both call it, so a newcomer's machine is set up exactly as CI's. Idempotent:
# when everything is there it only checks (well under a second).
#
#   scripts/setup.sh            everything below
#   scripts/setup.sh system     Debian packages (as root, or through sudo) and
#                               the rustup components clippy and rustfmt
#   scripts/setup.sh venv       .venv with moto_server and schemathesis
#                               (tests/requirements.txt)
#   scripts/setup.sh web        web/node_modules (npm ci) when package-lock.json changed
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

system() {
    local missing=()
    command -v python3 >/dev/null || missing+=(python3)
    python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    command -v make >/dev/null || missing+=(make)
    command -v cc >/dev/null && command -v c++ >/dev/null || missing+=(build-essential)
    command -v curl >/dev/null || missing+=(curl)
    # The browser tests drive Debian's Chromium, never a downloaded browser;
    # Noto CJK renders the Japanese pages as users see them.
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo=()
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null || {
                echo "setup: missing Debian packages: ${missing[*]}; run as root or install sudo" >&2
                exit 1
            }
            sudo=(sudo)
        fi
        say "installing ${missing[*]}"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    command -v cargo >/dev/null || {
        echo "setup: cargo is required (a rustup toolchain)" >&2
        exit 1
    }
    # `make lint` runs clippy-driver during the build, and rustfmt.
    if command -v rustup >/dev/null; then
        clippy-driver --version >/dev/null 2>&1 || rustup component add clippy
        rustfmt --version >/dev/null 2>&1 || rustup component add rustfmt
    fi
}

venv() {
    local stamp=.venv/.requirements
    if [ -x .venv/bin/moto_server ] && [ -x .venv/bin/schemathesis ] &&
        cmp -s tests/requirements.txt "$stamp"; then
        return
    fi
    say "Python venv .venv (moto_server, schemathesis)"
    [ -x .venv/bin/pip ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet -r tests/requirements.txt
    cp tests/requirements.txt "$stamp"
}

web() {
    local stamp=web/node_modules/.package-lock.json
    if [ -f "$stamp" ] && [ "$stamp" -nt web/package-lock.json ] && [ "$stamp" -nt web/package.json ]; then
        return
    fi
    say "npm ci in web/"
    (cd web && npm ci --no-audit --no-fund)
    touch "$stamp"
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(system venv web)
for step in "${steps[@]}"; do
    case $step in
        system | venv | web) "$step" ;;
        *)
            echo "usage: scripts/setup.sh [system] [venv] [web]" >&2
            exit 2
            ;;
    esac
done
