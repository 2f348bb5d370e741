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
# Shared pieces (build, start, stop) are in scripts/perf/lib.sh; it refuses to start if 5080 or 5090 is in use.
set -euo pipefail

cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-"16 32 64"}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-40s}
THREADS=${THREADS:-1}
FLOW=${FLOW:-auto-insurance-load}
TARGET=${TARGET:-submit}
# shellcheck source=scripts/perf/lib.sh
source scripts/perf/lib.sh

pf_require_free_ports
pf_build
pf_start

if [[ "$TARGET" == health ]]; then
  URL="$HOST_URL/health"; SCRIPT=()
else
  URL="$HOST_URL/flows/$FLOW/sources/acme/submit"; SCRIPT=(-s scripts/perf/submit.lua)
  echo "one lead: $(pf_submit_one "$URL")"
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
pf_summary
