#!/usr/bin/env bash
# Where a lead's answer time goes under a paced load (docs/performance.md, "Seventh session: where the answer time
# goes"). Starts the stub CRM and the Release host (scripts/perf/lib.sh) and warms up. Then, for each level of LEVELS
# ("rate@connections"), it runs wrk paced by scripts/perf/curve.lua and prints wrk's latency percentiles next to the
# server's own. The server's are read from GET /metrics before and after the level:
#   - request: ASP.NET Core's http.server.request.duration, the server's whole answer time;
#   - pipeline: pflow.lead.duration, the lead's run through the flow;
#   - durable: pflow.store.append.duration, the wait for the lead log's commit and sync;
#   - commit: pflow.store.commit.duration, and leads/commit: pflow.store.commit.leads.
# A server figure is the upper bound of the histogram bucket its percentile falls in ("<=25" means 10 to 25 ms).
#
#   SKIP_BUILD=1 LEVELS="4400@256 4400@64" scripts/perf/latency-breakdown.sh
#
# Environment: LEVELS (default "4400@256"), DURATION (15s a level), WARMUP (30s, 64 connections), THREADS (wrk's, 1),
# FLOW (auto-insurance-load), and lib.sh's SKIP_BUILD, KEEP_DATA, DATA_ROOT, HOST_DLL.
set -euo pipefail

cd "$(dirname "$0")/../.."
LEVELS=${LEVELS:-"4400@256"}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
THREADS=${THREADS:-1}
FLOW=${FLOW:-auto-insurance-load}
# shellcheck source=scripts/perf/lib.sh
source scripts/perf/lib.sh

SNAPSHOTS=$(mktemp -d "${TMPDIR:-/tmp}/pflow-breakdown.XXXXXX")
trap 'rm -rf "$SNAPSHOTS"; pf_cleanup' EXIT

# The cumulative count of each bucket bound of histogram $1, summed over its series: "bound count" lines.
buckets() {
  curl -s "$HOST_URL/metrics" | awk -v name="$1_bucket" '
    index($0, name "{") == 1 {
      bound = $0; sub(/.*le="/, "", bound); sub(/".*/, "", bound)
      count[bound] += $NF
    }
    END { for (b in count) print b, count[b] }' | sort -g
}

# Percentiles 50, 90, 99 of the observations between snapshots $1 and $2, as bucket bounds times $3 (1000: s to ms).
percentiles() {
  join <(sort "$1") <(sort "$2") | awk '{ print $1, $3 - $2 }' | sort -g | awk -v scale="$3" '
    { bound[NR] = $1; count[NR] = $2 }
    END {
      n = count[NR]
      if (n == 0) { print "no observations"; exit }
      split("50 90 99", ps, " ")
      line = "n=" n
      for (i = 1; i <= 3; i++) {
        for (j = 1; j <= NR; j++) {
          if (count[j] >= ps[i] / 100 * n) {
            shown = bound[j] == "+Inf" ? "+Inf" : sprintf("%g", bound[j] * scale)
            line = line sprintf("  p%s<=%s", ps[i], shown)
            break
          }
        }
      }
      print line
    }'
}

METRICS=(
  "request:http_server_request_duration_seconds:1000"
  "pipeline:pflow_lead_duration_seconds:1000"
  "durable:pflow_store_append_duration_seconds:1000"
  "commit:pflow_store_commit_duration_seconds:1000"
  "leads/commit:pflow_store_commit_leads:1"
)

pf_build engine/PluggableFlows.Host/PluggableFlows.Host.csproj tests/PluggableFlows.StubCrm/PluggableFlows.StubCrm.csproj
pf_start
URL="$HOST_URL/flows/$FLOW/sources/acme/submit"
echo "one lead: $(pf_submit_one "$URL")"
echo "== warm-up ($WARMUP, 64 connections)"
wrk -t"$THREADS" -c64 -d"$WARMUP" -s scripts/perf/submit.lua "$URL" >/dev/null

for level in $LEVELS; do
  rate=${level%@*}
  connections=${level#*@}
  for metric in "${METRICS[@]}"; do
    IFS=: read -r label name _ <<<"$metric"
    buckets "$name" >"$SNAPSHOTS/${label//\//-}.before"
  done
  output=$(RATE=$rate THREADS=$THREADS wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency -s scripts/perf/curve.lua "$URL")
  echo
  echo "== $rate requests/s asked, $connections connections: $(awk '/^Requests\/sec:/ { r = $2 } $1 == "50%" { a = $2 } $1 == "90%" { b = $2 } $1 == "99%" { c = $2 }
    END { printf "%s requests/s; wrk p50 %s, p90 %s, p99 %s", r, a, b, c }' <<<"$output")"
  grep -E 'Socket errors|non-201 answers|HTTP [0-9]+:' <<<"$output" || true
  for metric in "${METRICS[@]}"; do
    IFS=: read -r label name scale <<<"$metric"
    buckets "$name" >"$SNAPSHOTS/${label//\//-}.after"
    printf '  %-13s %s\n' "$label" "$(percentiles "$SNAPSHOTS/${label//\//-}.before" "$SNAPSHOTS/${label//\//-}.after" "$scale")"
  done
done

echo
pf_summary
