#!/usr/bin/env bash
# Prints an access token of a fresh tenant's admin for schemathesis: signs up,
# logs in, reads the SMS code from the outbox, enters it.
# With --operator, creates an operator instead and prints an operator token.
# Usage: tests/schemathesis-token.sh BASE_URL DATA_DIR [--operator]
set -euo pipefail
base=$1 data=$2
code() {
    tail -1 "$data/sms-outbox.jsonl" | python3 -c 'import json,re,sys; print(re.search(r"\d{6}", json.load(sys.stdin)["body"]).group())'
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
if [ "${3:-}" = "--operator" ]; then
    email="ops-$RANDOM$RANDOM@crepo.example"
    CREPO_DATA_DIR="$data" CREPO_OPERATOR_PASSWORD="schemathesis operator passphrase" CREPO_LOG=warn \
        "${CREPO_BIN:-${CARGO_TARGET_DIR:-target}/debug/crepo}" operator create --email "$email" --phone +819099998888 >/dev/null
    mfa=$(curl -sf -X POST "$base/api/v1/ops/auth/login" -H 'content-type: application/json' \
        -d "{\"email\": \"$email\", \"password\": \"schemathesis operator passphrase\"}" | field mfa_token)
    curl -sf -X POST "$base/api/v1/ops/auth/mfa" -H 'content-type: application/json' \
        -d "{\"mfa_token\": \"$mfa\", \"code\": \"$(code)\"}" | field access_token
    exit 0
fi
slug="fuzz-$RANDOM$RANDOM"
terms=$(curl -sf "$base/api/v1/signup/terms" | field version)
curl -sf -X POST "$base/api/v1/signup" -H 'content-type: application/json' -d "{
  \"tenant_slug\": \"$slug\", \"tenant_name\": \"Fuzz\", \"email\": \"admin@$slug.example\",
  \"password\": \"schemathesis admin passphrase\", \"name\": \"Fuzz Admin\", \"phone\": \"+819012345678\",
  \"accept_terms_version\": \"$terms\"}" >/dev/null
mfa=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"tenant\": \"$slug\", \"email\": \"admin@$slug.example\", \"password\": \"schemathesis admin passphrase\"}" |
  field mfa_token)
curl -sf -X POST "$base/api/v1/auth/mfa" -H 'content-type: application/json' \
  -d "{\"mfa_token\": \"$mfa\", \"code\": \"$(code)\"}" | field access_token
