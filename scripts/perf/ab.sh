#!/usr/bin/env bash
# Interleaved A/B comparison of two host builds on this machine, whose speed drifts by up to 1.6× within the hour
# (docs/performance.md, "Fifth session: what holds the server back"): both hosts run at once, each with its own fresh
# store (A on 127.0.0.1:5080, B on :5081, one stub CRM on :5090), both are warmed up, then wrk drives A and B in turn
# for ROUNDS rounds, so each pair of runs is seconds apart and sees the same phase of the machine. An idle host costs
# next to nothing while the other is measured. Prints each run's requests/s, latency percentiles, and the host's and
# its lead-log writer's CPU per lead; then the mean of each and the B/A ratio.
#
#   A_DLL=/tmp/host-A/PluggableFlows.Host.dll B_DLL=engine/PluggableFlows.Host/bin/Release/net10.0/PluggableFlows.Host.dll \
#     scripts/perf/ab.sh
#   B_ENV="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0" scripts/perf/ab.sh     # the same build, B with a setting
#
# Environment: A_DLL and B_DLL (default: both the current Release build), A_ENV and B_ENV (extra `NAME=value ...` for
# that host), CONNECTIONS (256), WARMUP (30s, each host), DURATION (10s a run), ROUNDS (5), FLOW (auto-insurance-load),
# RATE (requests/s: the measured runs are paced by scripts/perf/curve.lua instead of closed-loop, to compare latency
# at a given load), SKIP_BUILD=1 to reuse the last Release build, DATA_ROOT (/tmp).
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILT=engine/PluggableFlows.Host/bin/Release/net10.0/PluggableFlows.Host.dll
A_DLL=${A_DLL:-$BUILT}
B_DLL=${B_DLL:-$BUILT}
CONNECTIONS=${CONNECTIONS:-256}
WARMUP=${WARMUP:-30s}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
FLOW=${FLOW:-auto-insurance-load}
STUB_URL=http://127.0.0.1:5090

for port in 5080 5081 5090; do
  if ss -Hltn "sport = :$port" | grep -q .; then
    echo "port $port is already in use; stop whatever listens there first (ss -ltnp 'sport = :$port')." >&2
    exit 1
  fi
done
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release -nologo -v q engine/PluggableFlows.Host
  dotnet build -c Release -nologo -v q tests/PluggableFlows.StubCrm
fi

DATA=$(mktemp -d "${DATA_ROOT:-/tmp}/pflow-ab.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT

dotnet tests/PluggableFlows.StubCrm/bin/Release/net10.0/PluggableFlows.StubCrm.dll --urls "$STUB_URL" >"$DATA/stub.log" 2>&1 &
PIDS+=($!)

# start_host NAME PORT DLL "ENV..." — prints the pid.
start_host() {
  mkdir -p "$DATA/$1"
  # shellcheck disable=SC2086 # the extra settings are NAME=value words on purpose
  env PluggableFlows__FlowsPath=scripts/perf/flows PluggableFlows__DataPath="$DATA/$1" Urls="http://127.0.0.1:$2" \
    Logging__LogLevel__Default=Warning PluggableFlows__Pipeline__AllowLoopbackDeliveries=true $4 \
    dotnet "$3" >"$DATA/$1/host.log" 2>&1 &
  echo $!
}
A_PID=$(start_host A 5080 "$A_DLL" "${A_ENV:-}")
B_PID=$(start_host B 5081 "$B_DLL" "${B_ENV:-}")
PIDS+=("$A_PID" "$B_PID")
for url in http://127.0.0.1:5080/health http://127.0.0.1:5081/health; do
  for _ in $(seq 1 150); do curl -fs -o /dev/null "$url" && break; sleep 0.2; done
  curl -fs -o /dev/null "$url" || { echo "no answer from $url" >&2; exit 1; }
done

url_of() { echo "http://127.0.0.1:$1/flows/$FLOW/sources/acme/submit"; }
echo "warming up A and B ($WARMUP each, $CONNECTIONS connections)"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s scripts/perf/submit.lua "$(url_of 5080)" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s scripts/perf/submit.lua "$(url_of 5081)" >/dev/null
# One unrecorded round: A sat idle through B's warm-up, long enough for the thread pool to retire its idle workers,
# and its first run after that came out up to 19% off the rest (same build on both sides).
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s scripts/perf/submit.lua "$(url_of 5080)" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s scripts/perf/submit.lua "$(url_of 5081)" >/dev/null

ticks() { sed 's/.*) //' "$1" | awk '{print $12 + $13}'; }
# The lead log's writer is the host's only "Long Running" thread under load (.NET names it ".NET Long Runni").
writer_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    if grep -q "Long Runni" "$task/comm" 2>/dev/null; then ticks "$task/stat"; return; fi
  done
  echo 0
}

MEASURED_SCRIPT=scripts/perf/submit.lua
if [[ -n "${RATE:-}" ]]; then export RATE THREADS=1; MEASURED_SCRIPT=scripts/perf/curve.lua; fi
RESULTS=$DATA/results.txt
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    if [[ $side == A ]]; then pid=$A_PID; port=5080; else pid=$B_PID; port=5081; fi
    leads0=$(curl -s "$STUB_URL/leads/count"); host0=$(ticks /proc/"$pid"/stat); writer0=$(writer_ticks "$pid")
    out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$MEASURED_SCRIPT" "$(url_of $port)")
    leads1=$(curl -s "$STUB_URL/leads/count"); host1=$(ticks /proc/"$pid"/stat); writer1=$(writer_ticks "$pid")
    rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
    pct=$(grep "latency percentiles" <<<"$out" | sed 's/.*(ms): //')
    non201=$(awk '/non-201 answers/{print $3}' <<<"$out")
    echo "$round $side $rps $((leads1 - leads0)) $((host1 - host0)) $((writer1 - writer0)) $non201 $pct" | tee -a "$RESULTS"
  done
done

python3 - "$RESULTS" "$(getconf CLK_TCK)" <<'PY'
import sys
tick_us = 1e6 / int(sys.argv[2])
runs = {"A": [], "B": []}
print(f"\n{'round':>5} {'side':>4} {'req/s':>9} {'host us/lead':>13} {'writer us/lead':>15} {'p99 ms':>7}")
for line in open(sys.argv[1]):
    parts = line.split()
    rnd, side, rps, leads, host, writer, non201 = parts[0], parts[1], float(parts[2]), int(parts[3]), int(parts[4]), int(parts[5]), int(parts[6])
    p99 = float(parts[parts.index("p99") + 1]) if "p99" in parts else float("nan")
    row = (rps, host * tick_us / leads, writer * tick_us / leads, p99)
    runs[side].append(row)
    print(f"{rnd:>5} {side:>4} {row[0]:9.2f} {row[1]:13.0f} {row[2]:15.0f} {row[3]:7.2f}" + ("  (non-201 answers)" if non201 else ""))
mean = lambda rows, i: sum(r[i] for r in rows) / len(rows)
for i, name in enumerate(["req/s", "host us/lead", "writer us/lead", "p99 ms"]):
    a, b = mean(runs["A"], i), mean(runs["B"], i)
    wins = sum(1 for ra, rb in zip(runs["A"], runs["B"]) if (rb[i] > ra[i]) == (i == 0))
    print(f"mean {name:<15} A {a:9.2f}  B {b:9.2f}  B/A {b / a:6.3f}  (B better in {wins} of {len(runs['A'])} rounds)")
PY
