#!/usr/bin/env bash
# The server's throughput/latency curve (docs/performance.md, "The server curve"): starts the stub CRM and the Release
# host serving scripts/perf/flows (scripts/perf/lib.sh), warms up, then runs wrk at each connection count and records
# requests/s, latency p50/p90/p99, non-2xx answers, and the CPU and memory of the host, the stub and wrk during that
# level. Then one more level at 80% of the peak rate, paced by scripts/perf/curve.lua at the peak's connection count:
# the latency a server running near, not at, its limit gives. Writes a CSV, prints it as a table, and plots it.
#
#   scripts/perf/curve.sh                                             # 4 … 256 connections, 20 s each, 40 s warm-up
#   SKIP_BUILD=1 WARMUP=5s DURATION=5s CONNECTIONS="8 32" scripts/perf/curve.sh   # a quick look
#
# Environment: CONNECTIONS (default "4 8 16 32 64 128 256"), DURATION (20s), WARMUP (40s), THREADS (wrk's, 1),
# FLOW (auto-insurance-load), OUT (artifacts/perf/curve.csv), PLOT (docs/images/server-curve: the plot's path without
# .png; PLOT= to skip the plot), RATE80=0 to skip the paced level, PACED_CONNECTIONS (the connection counts to pace
# at, default the peak's), and lib.sh's SKIP_BUILD, KEEP_DATA, DATA_ROOT.
#
# CPU% is CPU time over wall time ×100 from /proc/<pid>/stat (utime + stime) for the host and the stub, and from bash's
# `time` for wrk: on two cores it can reach 200. RSS is the host's VmRSS at the end of the level.
set -euo pipefail

cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-"4 8 16 32 64 128 256"}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-40s}
THREADS=${THREADS:-1}
FLOW=${FLOW:-auto-insurance-load}
OUT=${OUT:-artifacts/perf/curve.csv}
PLOT=${PLOT-docs/images/server-curve}
RATE80=${RATE80:-1}
# shellcheck source=scripts/perf/lib.sh
source scripts/perf/lib.sh

CLK_TCK=$(getconf CLK_TCK)
LEVEL_LOG=

# utime + stime of a process, in clock ticks (fields 14 and 15; the name in field 2 is skipped past its ')').
cpu_ticks() {
  local stat
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  echo $((${12} + ${13}))
}

rss_mb() {
  awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# wrk prints latencies as 812.00us, 16.85ms, 1.20s or 2.00m; the CSV holds ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

percentile() { # percentile <50|90|99> <wrk output file>
  to_ms "$(awk -v p="$1%" '$1 == p { print $2; exit }' "$2")"
}

# Runs one level: wrk with the given label and arguments; appends a row to $OUT and prints it.
run_level() {
  local label=$1; shift
  local host0 stub0 host1 stub1 t0 t1 wall wrk_cpu rps non2xx
  LEVEL_LOG=$(mktemp "${TMPDIR:-/tmp}/pflow-curve-wrk.XXXXXX")
  echo "== $label: wrk -t$THREADS $* ($(uptime | sed 's/.*load/load/'))"
  host0=$(cpu_ticks "$HOST_PID"); stub0=$(cpu_ticks "$STUB_PID"); t0=$(date +%s%N)
  # wrk's own CPU: bash's `time` reports user and system seconds of the command it waited for.
  local TIMEFORMAT='%U %S %R'
  local times
  if ! times=$( { time wrk -t"$THREADS" "$@" >"$LEVEL_LOG" 2>&1; } 2>&1 ); then
    echo "wrk failed:" >&2
    cat "$LEVEL_LOG" >&2
    exit 1
  fi
  t1=$(date +%s%N)
  host1=$(cpu_ticks "$HOST_PID"); stub1=$(cpu_ticks "$STUB_PID")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')

  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$LEVEL_LOG")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$LEVEL_LOG")
  wrk_cpu=$(awk -v t="$times" 'BEGIN { split(t, f, " "); printf "%.1f", (f[3] > 0 ? (f[1] + f[2]) / f[3] * 100 : 0) }')
  if [[ -z "$rps" ]]; then
    echo "wrk printed no Requests/sec:" >&2
    cat "$LEVEL_LOG" >&2
    exit 1
  fi
  grep -E 'Socket errors|non-201 answers|HTTP [0-9]+:|first:' "$LEVEL_LOG" || true

  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$label" "$rps" \
    "$(percentile 50 "$LEVEL_LOG")" "$(percentile 90 "$LEVEL_LOG")" "$(percentile 99 "$LEVEL_LOG")" \
    "$(awk -v d="$((host1 - host0))" -v w="$wall" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", d / hz / w * 100 }')" \
    "$(rss_mb "$HOST_PID")" "${non2xx:-0}" \
    "$(awk -v d="$((stub1 - stub0))" -v w="$wall" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", d / hz / w * 100 }')" \
    "$wrk_cpu" | tee -a "$OUT"
  rm -f "$LEVEL_LOG"
}

print_table() {
  echo
  column -t -s, "$OUT"
}

pf_require_free_ports
pf_build engine/PluggableFlows.Host/PluggableFlows.Host.csproj tests/PluggableFlows.StubCrm/PluggableFlows.StubCrm.csproj
pf_start

URL="$HOST_URL/flows/$FLOW/sources/acme/submit"
echo "one lead: $(pf_submit_one "$URL")"

mkdir -p "$(dirname "$OUT")"
echo "connections,rps,p50_ms,p90_ms,p99_ms,cpu_pct,rss_mb,non2xx,stub_cpu_pct,wrk_cpu_pct" >"$OUT"

echo "== warm-up ($WARMUP, 32 connections)"
wrk -t"$THREADS" -c32 -d"$WARMUP" -s scripts/perf/submit.lua "$URL" >/dev/null

for c in $CONNECTIONS; do
  run_level "$c" -c"$c" -d"$DURATION" --latency -s scripts/perf/submit.lua "$URL"
done

# The peak: the level with the most requests/s (the first such, so the fewest connections on a tie).
read -r PEAK_C PEAK_RPS < <(awk -F, 'NR > 1 && $2 + 0 > best { best = $2 + 0; c = $1 } END { print c, best }' "$OUT")
echo
echo "peak: $PEAK_RPS requests/s at $PEAK_C connections"

if [[ "$RATE80" != 0 ]]; then
  RATE=$(awk -v p="$PEAK_RPS" 'BEGIN { printf "%.0f", p * 0.8 }')
  for c in ${PACED_CONNECTIONS:-$PEAK_C}; do
    echo "paced level: RATE=$RATE requests/s (80% of the peak) at $c connections"
    RATE=$RATE THREADS=$THREADS run_level "80%@$c" -c"$c" -d"$DURATION" --latency -s scripts/perf/curve.lua "$URL"
    # curve.lua does not catch up on sends it could not make, so a server (or machine) that stalls shows as a lower rate.
    awk -F, -v target="$RATE" 'END { if ($2 < 0.95 * target) printf "note: the paced level reached %s requests/s, under 95%% of the %s asked for\n", $2, target }' "$OUT"
  done
fi

print_table
echo
pf_summary

if [[ -n "$PLOT" ]]; then
  mkdir -p "$(dirname "$PLOT")"
  dotnet run -c Release --project tests/PluggableFlows.PerfPlots -- curve "$OUT" "$PLOT"
fi
