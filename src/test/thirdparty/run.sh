#!/usr/bin/env bash
# Third-party regression suite: unmodified ccxt and Binance's official USD-M connector (versions pinned in
# package.json / package-lock.json) against a freshly started simulator, each client on its own.
#   bash src/test/thirdparty/run.sh
# Needs node (>= 20) and npm; installs the clients into target/thirdparty (git-ignored, removed by mvn clean)
# and builds target/phoenix.jar when it is missing. Exit code: number of failed client runs.
set -uo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
WORK="$ROOT/target/thirdparty"
SRC="$ROOT/src/test/thirdparty"
mkdir -p "$WORK"

if [ ! -f target/phoenix.jar ]; then
  mvn -B -q -DskipTests package || { echo "thirdparty: cannot build target/phoenix.jar" >&2; exit 1; }
fi

cp "$SRC/package.json" "$SRC/package-lock.json" "$WORK/"
if ! (cd "$WORK" && npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1); then
  # no registry, no clients: say so loudly, but an unreachable registry is not a simulator regression
  echo "thirdparty: SKIPPED, npm ci failed (see $WORK/npm.log)" >&2
  tail -5 "$WORK/npm.log" >&2
  exit 0
fi

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

SIM_PID=""
stop_sim() {
  if [ -n "$SIM_PID" ]; then
    kill "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
    SIM_PID=""
  fi
}
trap stop_sim EXIT

# Starts a fresh simulator on a free port (generous rate limits: the checks are many calls in a burst).
start_sim() {
  local port
  port=$(free_port)
  cat >"$WORK/sim.conf" <<CONF
phoenix.sim.port = $port
phoenix.sim.rate-limits { request-weight-per-minute = 1000000, orders-per-10s = 100000, orders-per-minute = 100000 }
CONF
  java -jar target/phoenix.jar exchange --config "$WORK/sim.conf" >"$WORK/sim-$1.log" 2>&1 &
  SIM_PID=$!
  URL="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do
    if curl -sf "$URL/fapi/v1/ping" >/dev/null 2>&1 || node -e "fetch('$URL/fapi/v1/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then
      # let the market model trade for a moment so klines, tickers and trade streams have data
      sleep 2
      return 0
    fi
    sleep 0.5
  done
  echo "thirdparty: simulator did not start (see $WORK/sim-$1.log)" >&2
  return 1
}

failed_runs=0
total_pass=0
total_fail=0
for client in ccxt connector; do
  start_sim "$client" || { failed_runs=$((failed_runs + 1)); continue; }
  THIRDPARTY_MODULES="$WORK" node "$SRC/$client-check.mjs" "$URL" | tee "$WORK/$client.out"
  status=${PIPESTATUS[0]}
  stop_sim
  p=$(grep -c '^PASS ' "$WORK/$client.out")
  f=$(grep -c '^FAIL ' "$WORK/$client.out")
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  if [ "$status" -ne 0 ] || [ "$f" -ne 0 ] || [ "$p" -eq 0 ]; then
    failed_runs=$((failed_runs + 1))
  fi
done
echo "thirdparty: $total_pass passed, $total_fail failed"
exit "$failed_runs"
