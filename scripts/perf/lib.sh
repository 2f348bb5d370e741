# Shared by scripts/perf/load-test.sh and scripts/perf/curve.sh (sourced, not run): build, start the stub CRM on
# 127.0.0.1:5090 and the host on 127.0.0.1:5080 serving scripts/perf/flows with a fresh store, wait until both answer,
# and stop both at exit. The caller has set -euo pipefail and is in the repository root.
#
# Environment read here: SKIP_BUILD=1 to reuse the last Release build, KEEP_DATA=1 to keep the store, DATA_ROOT (/tmp)
# for the store's folder, HOST_DLL to run another build of the host (a copy of its output folder, for A/B comparisons;
# the copy brings its plugins/ folder), STUB_DLL likewise for the stub CRM.
#
# After pf_start: HOST_PID, STUB_PID, DATA (the store's folder; host.log and stub.log are in it).

HOST_URL=http://127.0.0.1:5080
STUB_URL=http://127.0.0.1:5090
BIN=bin/Release/net10.0
DATA=
STUB_PID=
HOST_PID=

# Builds Release: the whole solution, or only the projects given (the host's build brings the first-party plugins).
pf_build() {
  if [[ "${SKIP_BUILD:-0}" == 1 ]]; then return 0; fi
  if [[ $# -eq 0 ]]; then
    dotnet build -c Release -nologo -v q
  else
    local project
    for project in "$@"; do dotnet build -c Release -nologo -v q "$project"; done
  fi
}

# A host or stub left over from an earlier run (or another engineer's) would answer in place of ours and be measured
# instead; refuse rather than measure the wrong process.
pf_require_free_ports() {
  local port busy=()
  for port in 5080 5090; do
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q . ||
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      busy+=("$port")
    fi
  done
  if [[ ${#busy[@]} -gt 0 ]]; then
    echo "port(s) ${busy[*]} already in use on this machine (the host needs 5080, the stub CRM 5090)." >&2
    echo "Stop whatever listens there first (ss -ltnp 'sport = :${busy[0]}' shows it), then run this again." >&2
    exit 1
  fi
}

pf_cleanup() {
  [[ -n "$HOST_PID" ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true
  [[ -n "$STUB_PID" ]] && kill "$STUB_PID" 2>/dev/null && wait "$STUB_PID" 2>/dev/null || true
  if [[ -n "$DATA" ]]; then
    if [[ "${KEEP_DATA:-0}" == 1 ]]; then echo "store kept: $DATA/pflow.db"; else rm -rf "$DATA"; fi
  fi
}

pf_wait_for() {
  for _ in $(seq 1 150); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  echo "no answer from $1" >&2
  return 1
}

# Starts the stub CRM and the Release host with a fresh store and waits until both answer.
pf_start() {
  pf_require_free_ports
  DATA=$(mktemp -d "${DATA_ROOT:-/tmp}/pflow-load.XXXXXX")
  trap pf_cleanup EXIT

  dotnet "${STUB_DLL:-tests/PluggableFlows.StubCrm/$BIN/PluggableFlows.StubCrm.dll}" --urls "$STUB_URL" >"$DATA/stub.log" 2>&1 &
  STUB_PID=$!
  PluggableFlows__FlowsPath=scripts/perf/flows PluggableFlows__DataPath="$DATA" Urls="$HOST_URL" \
    Logging__LogLevel__Default=Warning \
    PluggableFlows__Pipeline__AllowLoopbackDeliveries=true \
    dotnet "${HOST_DLL:-engine/PluggableFlows.Host/$BIN/PluggableFlows.Host.dll}" >"$DATA/host.log" 2>&1 &
  HOST_PID=$!
  # The stub has no GET route at /; a 405 from POST-only /leads still proves it listens.
  for _ in $(seq 1 150); do curl -s -o /dev/null "$STUB_URL/leads/count" && break; sleep 0.2; done
  pf_wait_for "$HOST_URL/health"
  echo "host: $(curl -s "$HOST_URL/health")"
}

# POSTs one lead to the flow's submit URL and prints the answer: a broken flow shows before the warm-up, not after it.
pf_submit_one() {
  curl -s -X POST "$1" -H 'Content-Type: application/json' -H 'X-Api-Key: load-test-key-not-a-secret' \
    -d '{"first_name":"Ada","last_name":"Lovelace","Email":"ada@example.com","Phone":"(512) 789-1111","state":"TX","Zip":"78704","dob":"1985-04-02","vehicle_year":2019}'
}

pf_summary() {
  echo "stub CRM accepted $(curl -s "$STUB_URL/leads/count") leads; host warnings/errors: $(grep -c . "$DATA/host.log" || true) lines"
  grep -m5 . "$DATA/host.log" || true
}
