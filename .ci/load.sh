#!/usr/bin/env bash
# Load test of a warm panel against a bare echo handler returning the same
# bytes (docs/performance.md).
# Usage: .ci/load.sh [memory|redis] [sidebar|ticketview]; DURATION=10s sets
# each run's length. Installs wrk and hey when missing; targets loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-memory}
panel=${2:-sidebar}
dur=${DURATION:-10s}
bash .ci/need wrk hey curl
[ "$mode" != redis ] || bash .ci/need redis-server redis-cli=redis-tools
port=18080 bare=18081
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/crossview" ./server
go build -o "$work/bareecho" ./server/internal/web/bareecho

if [ "$mode" = redis ]; then
  redis-server --port 16390 --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy volatile-lru >"$work/redis.log" 2>&1 &
  pids+=($!)
  export CROSSVIEW_REDIS_URL=redis://127.0.0.1:16390/0
  until redis-cli -p 16390 ping >/dev/null 2>&1; do sleep 0.1; done
fi

CROSSVIEW_ADDR=127.0.0.1:$port CROSSVIEW_LOG_LEVEL=warn "$work/crossview" sandbox >"$work/sandbox.log" 2>&1 &
sandbox=$!
pids+=($sandbox)
base=http://127.0.0.1:$port
# The first start may build the ZAF SDK with npm; give up if the sandbox
# exits or is not ready within three minutes.
for _ in $(seq 900); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$sandbox" 2>/dev/null || { cat "$work/sandbox.log" >&2; echo "load.sh: the sandbox exited" >&2; exit 1; }
  sleep 0.2
done
curl -fs "$base/readyz" >/dev/null || { cat "$work/sandbox.log" >&2; echo "load.sh: the sandbox was not ready in 3 minutes" >&2; exit 1; }

if [ "$panel" = sidebar ]; then
  # Do what Zendesk and the shell page do: POST the signed JWT, read the
  # shell's token, bind it to ticket 1, fetch the panel once so the cache
  # is warm.
  jwt=$(curl -fs "$base/demo" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p')
  shell=$(curl -fs --data-urlencode "token=$jwt" "$base/zendesk/sidebar?origin=$base&app_guid=load" | sed -n 's/.*data-token="\([^"]*\)".*/\1/p')
  tok=$(curl -fs -H "X-Crossview-Token: $shell" -d ticket_id=1 "$base/zendesk/panel/token" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  url="$base/zendesk/panel?ticket_id=1"
else
  # Do what Salesforce does: POST the signed Canvas request of the Globex
  # Account page, read the panel token; the panel polls page 1.
  sr=$(curl -fs "$base/demo/salesforce" | sed -n 's/.*name="signed_request" value="\([^"]*\)".*/\1/p')
  tok=$(curl -fs --data-urlencode "signed_request=$sr" "$base/salesforce/canvas" | sed -n 's/.*data-token="\([^"]*\)".*/\1/p')
  url="$base/salesforce/panel?page=1"
fi
curl -fs -H "X-Crossview-Token: $tok" "$url" >"$work/panel.html"
bytes=$(wc -c <"$work/panel.html")

"$work/bareecho" -addr 127.0.0.1:$bare -body "$work/panel.html" &
pids+=($!)
until curl -fs "http://127.0.0.1:$bare/" >/dev/null 2>&1; do sleep 0.1; done

wrkrun() { wrk -t2 -c32 -d"$dur" --latency "$@" | awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} END{print rps, p50, p99}'; }
read -r prps pp50 pp99 < <(wrkrun -H "X-Crossview-Token: $tok" "$url")
read -r brps bp50 bp99 < <(wrkrun "http://127.0.0.1:$bare/")
ratio=$(awk -v a="$prps" -v b="$brps" 'BEGIN{printf "%.2f", a/b}')

# Latency at a fixed 1,000 requests/s (10 workers x 100 req/s).
fixed=$(hey -z "$dur" -c 10 -q 100 -H "X-Crossview-Token: $tok" "$url" | awk '/Requests\/sec/{rps=$2} / 50% in/{p50=$3*1000} / 99% in/{p99=$3*1000} END{printf "%s req/s, p50 %.2fms, p99 %.2fms", rps, p50, p99}')

echo "mode=$mode panel=$panel panel_bytes=$bytes duration=$dur (wrk -t2 -c32)"
echo "warm panel : $prps req/s  p50 $pp50  p99 $pp99"
echo "bare echo  : $brps req/s  p50 $bp50  p99 $bp99"
echo "ratio      : $ratio of bare echo throughput"
echo "fixed rate : $fixed (hey -c 10 -q 100)"
