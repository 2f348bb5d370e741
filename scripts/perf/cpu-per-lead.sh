#!/usr/bin/env bash
# Where a lead's CPU goes on this machine: the host's CPU time per lead, each host thread's share with the time it spent
# on a CPU and waiting in the run queue for one, the stub CRM's CPU per lead, and the whole machine's busy and idle time
# per lead (from /proc/stat: everything, wrk and the kernel included). Starts the stub and the host as load-test.sh does
# (scripts/perf/lib.sh), warms up, then measures one closed-loop wrk run.
#
#   scripts/perf/cpu-per-lead.sh                                   # 256 connections, 30 s warm-up, 15 s measured
#   SKIP_BUILD=1 HOST_DLL=/tmp/host-A/PluggableFlows.Host.dll scripts/perf/cpu-per-lead.sh   # another build, for A/B
#
# Environment: CONNECTIONS (256), WARMUP (30s), DURATION (15s, whole seconds), FLOW (auto-insurance-load), and
# SKIP_BUILD, KEEP_DATA, DATA_ROOT, HOST_DLL as for lib.sh. Leads are counted at the stub (every lead of the flow is
# delivered once); "per lead" divides by that count.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/perf/lib.sh

CONNECTIONS=${CONNECTIONS:-256}
WARMUP=${WARMUP:-30s}
DURATION=${DURATION:-15s}
FLOW=${FLOW:-auto-insurance-load}

pf_build engine/PluggableFlows.Host tests/PluggableFlows.StubCrm
pf_start
URL="$HOST_URL/flows/$FLOW/sources/acme/submit"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s scripts/perf/submit.lua "$URL" >/dev/null

# utime + stime (clock ticks) of a /proc stat file; the fields are counted after the ")" that ends the thread's name.
ticks() { sed 's/.*) //' "$1" | awk '{print $12 + $13}'; }
snapshot() {
  local task
  for task in /proc/"$HOST_PID"/task/*; do
    # name@tid ticks on-cpu-ns runqueue-wait-ns (schedstat)
    echo "$(tr ' ' '_' <"$task/comm")@$(basename "$task") $(ticks "$task/stat") $(cut -d' ' -f1,2 "$task/schedstat")" 2>/dev/null || true
  done
  echo "STUB $(ticks /proc/"$STUB_PID"/stat)"
  awk '/^cpu /{print "MACHINE", $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat
  echo "LEADS $(curl -s "$STUB_URL/leads/count")"
}

before=$(snapshot)
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s scripts/perf/submit.lua "$URL" | grep -E "Requests/sec|latency percentiles|non-201"
after=$(snapshot)

python3 - "$before" "$after" "${DURATION%s}" "$(getconf CLK_TCK)" <<'PY'
import sys

def parse(text):
    threads, other = {}, {}
    for line in text.splitlines():
        parts = line.split()
        if parts[0] in ("STUB", "MACHINE", "LEADS"):
            other[parts[0]] = [int(p) for p in parts[1:]]
        elif len(parts) >= 4:
            threads[parts[0]] = (int(parts[1]), int(parts[2]), int(parts[3]))
    return threads, other

(t0, o0), (t1, o1) = parse(sys.argv[1]), parse(sys.argv[2])
wall, tick_us = float(sys.argv[3]), 1e6 / int(sys.argv[4])
leads = o1["LEADS"][0] - o0["LEADS"][0]
rows = []
for name, (ticks, on_cpu, waiting) in t1.items():
    start = t0.get(name, (0, 0, 0))
    rows.append((name.rsplit("@", 1)[0], (ticks - start[0]) * tick_us / leads,
                 (on_cpu - start[1]) / 1e9 / wall * 100, (waiting - start[2]) / 1e9 / wall * 100))
host = sum(row[1] for row in rows)
busy = (o1["MACHINE"][0] - o0["MACHINE"][0]) * tick_us / leads
idle = (o1["MACHINE"][1] - o0["MACHINE"][1]) * tick_us / leads
stub = (o1["STUB"][0] - o0["STUB"][0]) * tick_us / leads
print(f"leads: {leads} ({leads / wall:.0f}/s)")
print(f"CPU per lead (us): host {host:.0f}, stub CRM {stub:.0f}; machine busy {busy:.0f}, idle {idle:.0f}")
print(f"{'host thread':<24} {'us/lead':>8} {'on CPU %':>9} {'run queue %':>12}")
for name, per_lead, on_cpu, waiting in sorted(rows, key=lambda row: -row[1]):
    if per_lead >= 2:
        print(f"{name:<24} {per_lead:8.0f} {on_cpu:9.1f} {waiting:12.1f}")
PY
