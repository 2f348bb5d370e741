#!/usr/bin/env bash
# Load test of the lead server (docs/performance.md, "Lead server under load"): builds Release, starts the stub CRM on
# 127.0.0.1:5090 and the host on 127.0.0.1:5080 serving scripts/perf/flows with a fresh store, warms up, then runs wrk
# at each connection count and prints wrk's summary and the engine-overhead report for that run's window.
#
#   scripts/perf/load-test.sh                      # 16, 32 and 64 connections, 30 s each, the delivering flow
#   CONNECTIONS="32" DURATION=20s scripts/perf/load-test.sh
#   FLOW=auto-insurance-nodelivery scripts/perf/load-test.sh   # the same flow without the HTTP delivery
#   TARGET=health scripts/perf/load-test.sh        # GET /health: the HTTP stack alone
#
# Environment: CONNECTIONS (default "16 32 64"), DURATION (30s), WARMUP (40s: until the JIT has tiered the hot path up), THREADS (1), FLOW (auto-insurance-load),
# TARGET (submit | health), SKIP_BUILD=1 to reuse the last Release build, KEEP_DATA=1 to keep the store, DATA_ROOT (/tmp)
# for the store's folder (DATA_ROOT=/dev/shm takes the disk's fsync out of the commit, to attribute its cost).
set -euo pipefail

cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-"16 32 64"}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-40s}
THREADS=${THREADS:-1}
FLOW=${FLOW:-auto-insurance-load}
TARGET=${TARGET:-submit}
HOST_URL=http://127.0.0.1:5080
STUB_URL=http://127.0.0.1:5090

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release -nologo -v q
fi

BIN=bin/Release/net10.0
DATA=$(mktemp -d "${DATA_ROOT:-/tmp}/pflow-load.XXXXXX")
STUB_PID=
HOST_PID=
cleanup() {
  [[ -n "$HOST_PID" ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true
  [[ -n "$STUB_PID" ]] && kill "$STUB_PID" 2>/dev/null && wait "$STUB_PID" 2>/dev/null || true
  if [[ "${KEEP_DATA:-0}" == 1 ]]; then echo "store kept: $DATA/pflow.db"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT

wait_for() {
  for _ in $(seq 1 150); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  echo "no answer from $1" >&2
  return 1
}

dotnet "tests/PluggableFlows.StubCrm/$BIN/PluggableFlows.StubCrm.dll" --urls "$STUB_URL" >"$DATA/stub.log" 2>&1 &
STUB_PID=$!
PluggableFlows__FlowsPath=scripts/perf/flows PluggableFlows__DataPath="$DATA" Urls="$HOST_URL" \
  Logging__LogLevel__Default=Warning \
  PluggableFlows__Pipeline__AllowLoopbackDeliveries=true \
  dotnet "engine/PluggableFlows.Host/$BIN/PluggableFlows.Host.dll" >"$DATA/host.log" 2>&1 &
HOST_PID=$!
# The stub has no GET route at /; a 405 from POST-only /leads still proves it listens.
for _ in $(seq 1 150); do curl -s -o /dev/null "$STUB_URL/leads/count" && break; sleep 0.2; done
wait_for "$HOST_URL/health"
echo "host: $(curl -s "$HOST_URL/health")"

if [[ "$TARGET" == health ]]; then
  URL="$HOST_URL/health"; SCRIPT=()
else
  URL="$HOST_URL/flows/$FLOW/sources/acme/submit"; SCRIPT=(-s scripts/perf/submit.lua)
  echo "one lead: $(curl -s -X POST "$URL" -H 'Content-Type: application/json' -H 'X-Api-Key: load-test-key-not-a-secret' \
    -d '{"first_name":"Ada","last_name":"Lovelace","Email":"ada@example.com","Phone":"(512) 789-1111","state":"TX","Zip":"78704","dob":"1985-04-02","vehicle_year":2019}')"
fi

echo "== warm-up ($WARMUP, 32 connections)"
wrk -t"$THREADS" -c32 -d"$WARMUP" "${SCRIPT[@]}" "$URL" >/dev/null

for c in $CONNECTIONS; do
  echo
  echo "== wrk -t$THREADS -c$c -d$DURATION --latency ${SCRIPT[*]} $URL   ($(uptime | sed 's/.*load/load/'))"
  since=$(date +%s%3N)
  wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency "${SCRIPT[@]}" "$URL"
  until=$(date +%s%3N)
  if [[ "$TARGET" != health ]]; then
    sleep 0.5 # the last leads' group commit
    echo "-- engine time per lead, from the store (leads.duration_us, provider_wait_us)"
    dotnet "tests/PluggableFlows.LoadTest/$BIN/PluggableFlows.LoadTest.dll" report --store "$DATA/pflow.db" --since "$since" --until "$until"
  fi
done

echo
echo "stub CRM accepted $(curl -s "$STUB_URL/leads/count") leads; host warnings/errors: $(grep -c . "$DATA/host.log" || true) lines"
grep -m5 . "$DATA/host.log" || true
