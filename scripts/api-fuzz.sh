#!/usr/bin/env bash
# Fuzzes the sandbox against docs/api/openapi.yaml with schemathesis, a third-party OpenAPI fuzzer:
#  1. the contract, operator and hosted routes on a fresh seeded sandbox, every check, stateful
#     phase on;
#  2. the /sandbox/* admin routes on another fresh sandbox, conformance checks only (fuzzing the
#     fault injector and the clock would break the calls that follow, so they get their own run).
# Any failure fails the run. Relaxed checks live in scripts/api-fuzz.toml, each with its reason.
# API_FUZZ_SECONDS sets the first run's budget (the second gets a third of it); API_FUZZ_SEED
# replays a run.
source "$(dirname "$0")/lib.sh"

BUDGET="${API_FUZZ_SECONDS:-90}"
SEED="${API_FUZZ_SEED:-20261202}"
TOOLS="$(tools_venv)"
LOG_DIR="$ROOT/test-artifacts/api-fuzz"
WORK="$(mktemp -d)"
mkdir -p "$LOG_DIR"
SANDBOXES=()
cleanup() {
  for pid in "${SANDBOXES[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v curl >/dev/null || fail "curl is missing: sudo apt-get install curl"
cargo build -p restream-sandbox --locked --quiet

# Starts a fresh seeded sandbox named $1 and exports its credentials as API_FUZZ_*.
start_sandbox() {
  local name="$1" ready line
  ready="$WORK/$name.ready"
  mkfifo "$ready"
  # With the v1.1 ingest offered, so its routes answer as documented for valid requests.
  target/debug/restream-sandbox --seed-demo --db "$WORK/$name.db" \
    --start-delay-ms 50 --stop-delay-ms 50 --ingest-rtmp-url rtmp://127.0.0.1:1935/live \
    >"$ready" 2>"$LOG_DIR/$name-sandbox.log" &
  SANDBOXES+=("$!")
  read -r -t 60 line <"$ready" ||
    fail "the $name sandbox printed no READY line within 60 s: see $LOG_DIR/$name-sandbox.log"
  eval "$("$TOOLS/python" - "${line#READY }" <<'PY'
import json, shlex, sys
ready = json.loads(sys.argv[1])
names = {"baseUrl": "URL", "publishableKey": "PUBLISHABLE_KEY", "secretKey": "SECRET_KEY",
         "userId": "USER_ID", "origin": "ORIGIN", "adminToken": "ADMIN_TOKEN",
         "redirectUri": "REDIRECT_URI"}
for key, name in names.items():
    print(f"export API_FUZZ_{name}={shlex.quote(ready[key])}")
# The ingest hook's secret, the last part of its URL.
print(f"export API_FUZZ_HOOK_SECRET={shlex.quote(ready['ingestHookUrl'].rsplit('/', 1)[1])}")
PY
)"
}

# A restream token for the demo user, minted with the secret key.
mint_token() {
  curl -sSf -X POST "$API_FUZZ_URL/api/v1/auth/session" \
    -H "X-API-Key: $API_FUZZ_SECRET_KEY" -H 'Content-Type: application/json' \
    -d "{\"userId\": \"$API_FUZZ_USER_ID\"}" |
    "$TOOLS/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# An operator access token, through the sign-in form and the PKCE code exchange.
operator_token() {
  local verifier challenge location code
  verifier="$("$TOOLS/python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
  challenge="$(printf '%s' "$verifier" | "$TOOLS/python" -c \
    'import base64, hashlib, sys; print(base64.urlsafe_b64encode(hashlib.sha256(sys.stdin.buffer.read()).digest()).rstrip(b"=").decode())')"
  location="$(curl -sS -o /dev/null -w '%{redirect_url}' -X POST "$API_FUZZ_URL/operator/authorize" \
    --data-urlencode response_type=code --data-urlencode client_id=demo \
    --data-urlencode "redirect_uri=$API_FUZZ_REDIRECT_URI" --data-urlencode state=api-fuzz \
    --data-urlencode "code_challenge=$challenge" --data-urlencode code_challenge_method=S256 \
    --data-urlencode "user_id=$API_FUZZ_USER_ID" --data-urlencode decision=approve)"
  code="$("$TOOLS/python" -c \
    'import sys, urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["code"][0])' "$location")"
  curl -sSf -X POST "$API_FUZZ_URL/operator/token" \
    --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
    --data-urlencode "code_verifier=$verifier" --data-urlencode client_id=demo \
    --data-urlencode "redirect_uri=$API_FUZZ_REDIRECT_URI" |
    "$TOOLS/python" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Runs schemathesis against the sandbox named $1 with the rest of the arguments; its report goes
# to $LOG_DIR/$1.log.
fuzz() {
  local name="$1"
  shift
  local started=$SECONDS status=0
  timeout 180 "$TOOLS/schemathesis" --config-file scripts/api-fuzz.toml run docs/api/openapi.yaml \
    --url "$API_FUZZ_URL" --seed "$SEED" --no-color "$@" >"$LOG_DIR/$name.log" 2>&1 || status=$?
  grep -E '^ +[0-9]+ generated' "$LOG_DIR/$name.log" | tail -n 1 | sed "s/^ */$name: /" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$LOG_DIR/$name.log"
    [ "$status" -eq 124 ] && fail "the $name fuzzing run went past 180 s: see $LOG_DIR/$name.log"
    fail "schemathesis found failures in the $name run (seed $SEED, $((SECONDS - started)) s): see $LOG_DIR/$name.log"
  fi
}

step "API fuzzing: contract, operator and hosted routes (schemathesis, every check, stateful)"
start_sandbox contract
API_FUZZ_TOKEN="$(mint_token)"
API_FUZZ_OPERATOR_TOKEN="$(operator_token)"
export API_FUZZ_TOKEN API_FUZZ_OPERATOR_TOKEN
fuzz contract --checks all --exclude-path-regex '^/sandbox/' --max-time "$BUDGET"

step "API fuzzing: admin routes on their own sandbox (conformance checks)"
start_sandbox admin
export API_FUZZ_TOKEN=unused API_FUZZ_OPERATOR_TOKEN=unused
fuzz admin --include-path-regex '^/sandbox/' --max-time "$((BUDGET / 3))" \
  --checks status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
