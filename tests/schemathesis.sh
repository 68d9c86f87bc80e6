#!/usr/bin/env bash
# Fuzzes the running API from openapi.yaml with schemathesis: starts `crepo serve`
# on a free port with a throw-away data directory, signs up a tenant for a real
# token when the API offers login, runs every check, stops the server.
# Usage: tests/schemathesis.sh [extra schemathesis args…]
set -euo pipefail
cd "$(dirname "$0")/.."

# The binary of this build: CREPO_BIN (the Makefile sets it), else the one in
# CARGO_TARGET_DIR or ./target.
export CREPO_BIN="${CREPO_BIN:-${CARGO_TARGET_DIR:-target}/debug/crepo}"
bin=$CREPO_BIN
[ -x "$bin" ] || cargo build --bin crepo
st=.venv/bin/schemathesis
[ -x "$st" ] || { echo "schemathesis missing: run make venv" >&2; exit 1; }

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# SCHEMATHESIS_PG=postgres://user@host:port: the server runs on a fresh
# PostgreSQL database there (dropped afterwards) instead of SQLite.
db_url=""
if [ -n "${SCHEMATHESIS_PG:-}" ]; then
    db="crepo_schemathesis_$$"
    psql "$SCHEMATHESIS_PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
    db_url="$SCHEMATHESIS_PG/$db"
    echo "schemathesis: PostgreSQL database $db"
    # The server and `crepo operator create` (tests/schemathesis-token.sh).
    export CREPO_DATABASE_URL="$db_url"
fi
CREPO_DATA_DIR="$data" CREPO_LISTEN="127.0.0.1:$port" CREPO_LOG=warn \
CREPO_SIGNUP_RATE_LIMIT=100000/60 CREPO_LOGIN_RATE_LIMIT=100000/60 \
CREPO_TENANT_LOGIN_RATE_LIMIT=100000/60 CREPO_WEB_DIR=off \
    "$bin" serve > "$data/server.log" 2>&1 &
server=$!
cleanup() {
    kill $server 2>/dev/null
    wait $server 2>/dev/null
    rm -rf "$data"
    if [ -n "$db_url" ]; then
        psql "$SCHEMATHESIS_PG/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
    fi
}
trap cleanup EXIT

for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break
    sleep 0.1
done

run() {
    "$st" run openapi.yaml --url "http://127.0.0.1:$port" --checks all \
        --max-examples "${SCHEMATHESIS_EXAMPLES:-50}" --suppress-health-check all "$@" ||
        { echo "--- server log ---"; tail -50 "$data/server.log"; exit 1; }
}
token() { tests/schemathesis-token.sh "http://127.0.0.1:$port" "$data" "$@"; }

# Tenant operations with a tenant admin's token. Logout ends the session, so
# does ending one's own session by id (found through GET /me/sessions), a
# tightened password or session policy ends every session, and wrong current
# passwords lock the account: each gets its own token.
run -H "Authorization: Bearer $(token)" --exclude-tag ops \
    --exclude-operation-id logout --exclude-operation-id change_password \
    --exclude-operation-id start_phone_change --exclude-operation-id put_policy \
    --exclude-operation-id end_session "$@"
run -H "Authorization: Bearer $(token)" --include-operation-id put_policy "$@"
run -H "Authorization: Bearer $(token)" --include-operation-id end_session \
    --include-operation-id list_sessions "$@"
# Operator operations with an operator's token.
ops=$(token --operator)
run -H "Authorization: Bearer $ops" --include-tag ops --exclude-operation-id cancel_notice "$@"
# `DELETE /api/v1/ops/notices/{id}` cancels: the notice stays in the operators'
# history with status `cancelled` and its deliveries stay readable, which the
# use-after-free check would call a failure.
run -H "Authorization: Bearer $ops" --include-operation-id cancel_notice \
    --include-operation-id list_deliveries --exclude-checks use_after_free "$@"
run -H "Authorization: Bearer $(token)" --include-operation-id change_password "$@"
# Starting a phone change needs the current password, which the fuzzer cannot
# know: a well-formed body is refused 422 on `current_password`, as it should.
run -H "Authorization: Bearer $(token)" --include-operation-id start_phone_change \
    --exclude-checks positive_data_acceptance "$@"
run -H "Authorization: Bearer $(token)" --include-operation-id logout "$@"
