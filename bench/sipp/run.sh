#!/usr/bin/env bash
# Closed-loop SIPp load through sip-edge (SPEC §8): INVITE-407-ACK-INVITE-200-ACK-BYE-200 with IP ACL
# and digest both mapped, the PBX a SIPp UAS echoing Record-Route. Runs sip-edge with EDGE_WORKERS=1
# and 2 and, when `kamailio` is installed, Kamailio (auth_db + permissions, bench/sipp/kamailio.cfg)
# under the same load; prints calls per second, failed calls and the ratio to Kamailio.
#
#   bench/sipp/run.sh                 # CALLS=10000 WARMUP=10000 CONCURRENCY=50 UACS=2 TRANSPORT=u1
#   CALLS=20000 CONCURRENCY=100 TRANSPORT=t1 bench/sipp/run.sh
#   ROUNDS=3 bench/sipp/run.sh         # three rounds back to back, then the median ratios
#   ONLY=kamailio bench/sipp/run.sh    # or ONLY=edge
#   WORKER_COUNTS=1 ONLY=edge bench/sipp/run.sh   # which EDGE_WORKERS values to run (default "1 2")
#   NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" ONLY=edge bench/sipp/run.sh   # flags for sip-edge's node
#   PIN=1 bench/sipp/run.sh           # proxy on CPU 0, SIPp on CPU 1 (taskset): calls per core, less noise
#
# The per-source rate limit is off (EDGE_RATE_LIMIT_PPS=0): all load comes from 127.0.0.1, and the
# Kamailio baseline runs without pike. Needs sipp (Debian sip-tester) and curl. Uses 127.0.0.1 only; every process it starts is stopped.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
NODE="$ROOT/node_modules/.bin/node"
CALLS="${CALLS:-10000}"
WARMUP="${WARMUP:-10000}"             # calls run before the measured ones, not counted
ROUNDS="${ROUNDS:-1}"                 # repeat the whole comparison; medians printed at the end
ONLY="${ONLY:-}"
CONCURRENCY="${CONCURRENCY:-50}"
WORKER_COUNTS="${WORKER_COUNTS:-1 2}"
UACS="${UACS:-2}"                      # caller processes (sources), calls and concurrency split among them
TRANSPORT="${TRANSPORT:-u1}"          # u1 (UDP) or t1 (TCP), as sipp's -t
UAC_TRANSPORT="${UAC_TRANSPORT:-$TRANSPORT}"   # the callers' -t: un (UDP, a socket per call) spreads sources
PIN="${PIN:-0}"                       # 1: the proxy under test on CPU 0 alone, every SIPp process on CPU 1
SIP_PORT="${SIP_PORT:-15060}"
HTTP_PORT="${HTTP_PORT:-18080}"
PBX_PORT="${PBX_PORT:-15070}"
UAC_PORT="${UAC_PORT:-15080}"
DOMAIN="bench.sip-edge.test"
USER_NAME="bench"
PASSWORD="BenchPassw0rd"
ACCOUNT_SID="AC$(printf 'b%.0s' {1..32})"
AUTH_TOKEN="bench-auth-token-0123456789"
WORK="$(mktemp -d /tmp/sip-edge-bench.XXXXXX)"
PIDS=()

command -v sipp >/dev/null || { echo "run.sh: sipp not found (Debian package sip-tester)" >&2; exit 1; }
command -v curl >/dev/null || { echo "run.sh: curl not found" >&2; exit 1; }

# PIN=1: the proxy (sip-edge with all its workers, or Kamailio with all its children) shares no
# core with the load, so the SIPp processes it wakes never preempt it; the figures are then calls
# per core of the proxy, with far less noise than the default run, where the scheduler places the
# proxy and SIPp's three processes on the two cores as it likes.
PROXY_PIN=() LOAD_PIN=()
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "run.sh: PIN=1 needs taskset (util-linux)" >&2; exit 1; }
  [ "$(nproc)" -ge 2 ] || { echo "run.sh: PIN=1 needs two CPUs" >&2; exit 1; }
  PROXY_PIN=(taskset -c 0) LOAD_PIN=(taskset -c 1)
fi

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

api() { # method path [form fields...]
  local method="$1" path="$2"; shift 2
  local args=()
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  curl -sS -f -u "$ACCOUNT_SID:$AUTH_TOKEN" -X "$method" "${args[@]}" "http://127.0.0.1:$HTTP_PORT$path"
}

sid_of() { sed -n 's/.*"sid": *"\([A-Z][A-Z][0-9a-f]\{32\}\)".*/\1/p' | head -n1; }

wait_ready() {
  for _ in $(seq 1 100); do
    curl -s -f "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "run.sh: sip-edge did not become ready (log: $1)" >&2
  return 1
}

provision() {
  local base="/2010-04-01/Accounts/$ACCOUNT_SID/SIP"
  local sd cl al
  sd=$(api POST "$base/Domains.json" "DomainName=$DOMAIN" "VoiceUrl=sip:127.0.0.1:$PBX_PORT$( [ "$TRANSPORT" = t1 ] && echo ';transport=tcp')" | sid_of)
  cl=$(api POST "$base/CredentialLists.json" "FriendlyName=bench" | sid_of)
  api POST "$base/CredentialLists/$cl/Credentials.json" "Username=$USER_NAME" "Password=$PASSWORD" >/dev/null
  al=$(api POST "$base/IpAccessControlLists.json" "FriendlyName=bench" | sid_of)
  api POST "$base/IpAccessControlLists/$al/IpAddresses.json" "FriendlyName=loopback" "IpAddress=127.0.0.1" >/dev/null
  api POST "$base/Domains/$sd/Auth/Calls/IpAccessControlListMappings.json" "IpAccessControlListSid=$al" >/dev/null
  api POST "$base/Domains/$sd/Auth/Calls/CredentialListMappings.json" "CredentialListSid=$cl" >/dev/null
}

# Value of one column of the last row of a sipp -trace_stat CSV.
csv_col() {
  local file="$1" name="$2" idx
  idx=$(head -n1 "$file" | tr ';' '\n' | grep -n -x -F "$name" | cut -d: -f1)
  tail -n1 "$file" | tr ';' '\n' | sed -n "${idx}p"
}

# CPU time (utime + stime, in clock ticks) of a process and all its descendants still running;
# with a second argument "sys", the time spent in the kernel (stime) only.
cpu_ticks() {
  local root="$1" only="${2:-}" total=0 pid stat rest
  local pids=("$root") i=0
  while [ "$i" -lt "${#pids[@]}" ]; do
    for pid in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do pids+=("$pid"); done
    i=$((i + 1))
  done
  for pid in "${pids[@]}"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${stat##*) }
    set -- $rest
    if [ "$only" = sys ]; then total=$((total + ${13})); else total=$((total + ${12} + ${13})); fi
  done
  echo "$total"
}

# Runs UACS closed-loop SIPp callers against 127.0.0.1:$1 until $3 calls are done; results in $2/uac*.
callers() {
  local target_port="$1" dir="$2" calls="$3" i uacs=()
  # UACS callers from distinct ports: the kernel keeps one source on one worker (reusePort), so a
  # single caller can only ever load one worker.
  for i in $(seq 1 "$UACS"); do
    mkdir -p "$dir/uac$i"
    (cd "$dir/uac$i" && exec "${LOAD_PIN[@]}" /usr/bin/time -f '%U %S' -o "$dir/uac$i/cpu" sipp "127.0.0.1:$target_port" -sf "$HERE/uac-auth.xml" -i 127.0.0.1 -p $((UAC_PORT + i)) \
      -t "$UAC_TRANSPORT" -max_socket 4096 -m $((calls / UACS)) -l $((CONCURRENCY / UACS)) -r 100000 -s 15550001 -key domain "$DOMAIN" \
      -au "$USER_NAME" -ap "$PASSWORD" -recv_timeout 10000 -nostdin -trace_err -trace_stat -fd 1 >/dev/null 2>&1) &
    uacs+=($!)
  done
  for i in "${uacs[@]}"; do wait "$i" || true; done
}

# Runs the UAS and the closed-loop UAC against 127.0.0.1:$1 (the proxy under test is process $3);
# prints "calls/s completed failed proxy-cpu-ms/call uas-cpu-ms/call uac-cpu-ms/call".
load() {
  local target_port="$1" tag="$2" proxy_pid="$3" dir="$WORK/$2"
  mkdir -p "$dir"
  (cd "$dir" && exec "${LOAD_PIN[@]}" sipp -sf "$HERE/uas-rr.xml" -i 127.0.0.1 -p "$PBX_PORT" -t "$TRANSPORT" -nostdin \
    -trace_err >/dev/null 2>&1) &
  local uas=$!
  PIDS+=("$uas")
  sleep 0.5
  local start end proxy0 proxysys0 uas0
  # Warm-up from the same caller ports (so the same workers): the measurement starts on a process
  # past its start-up (JIT compilation), as a deployed edge is. Kamailio gets the same warm-up.
  if [ "$WARMUP" -gt 0 ]; then callers "$target_port" "$dir/warmup" "$WARMUP"; fi
  proxy0=$(cpu_ticks "$proxy_pid")
  proxysys0=$(cpu_ticks "$proxy_pid" sys)
  uas0=$(cpu_ticks "$uas")
  start=$(date +%s.%N)
  callers "$target_port" "$dir" "$CALLS"
  end=$(date +%s.%N)
  local proxy_cpu proxy_sys uas_cpu uac_cpu
  proxy_cpu=$(( $(cpu_ticks "$proxy_pid") - proxy0 ))
  proxy_sys=$(( $(cpu_ticks "$proxy_pid" sys) - proxysys0 ))
  uas_cpu=$(( $(cpu_ticks "$uas") - uas0 ))
  uac_cpu=$(cat "$dir"/uac*/cpu | awk '{ s += $1 + $2 } END { printf "%d", s * 100 }')
  kill "$uas" 2>/dev/null || true
  wait "$uas" 2>/dev/null || true
  local csv ok=0 failed=0
  for csv in "$dir"/uac*/uac-auth_*_.csv; do
    ok=$((ok + $(csv_col "$csv" 'SuccessfulCall(C)')))
    failed=$((failed + $(csv_col "$csv" 'FailedCall(C)')))
  done
  # A failed warm-up call counts as failed too.
  for csv in "$dir"/warmup/uac*/uac-auth_*_.csv; do
    [ -f "$csv" ] && failed=$((failed + $(csv_col "$csv" 'FailedCall(C)')))
  done
  awk -v ok="$ok" -v f="$failed" -v s="$start" -v e="$end" -v p="$proxy_cpu" -v u="$uas_cpu" -v c="$uac_cpu" -v k="$proxy_sys" \
    'BEGIN { n = ok > 0 ? ok : 1; printf "%.1f %d %d %.3f %.3f %.3f %.3f\n", ok / (e - s), ok, f, p * 10 / n, u * 10 / n, c * 10 / n, k * 10 / n }'
}

run_edge() {
  local workers="$1"
  local log="$WORK/edge-$workers-r$round.log"
  rm -rf "$WORK/data-$workers"
  SIP_LISTEN="127.0.0.1:$SIP_PORT" SIP_ADVERTISED_HOST=127.0.0.1 HTTP_LISTEN="127.0.0.1:$HTTP_PORT" \
    DATA_DIR="$WORK/data-$workers" EDGE_WORKERS="$workers" EDGE_ACCOUNT_SID="$ACCOUNT_SID" \
    EDGE_AUTH_TOKEN="$AUTH_TOKEN" EDGE_NONCE_SECRET="bench-nonce-secret-0123456789" LOG_LEVEL=warn \
    EDGE_RATE_LIMIT_PPS=0 \
    "${PROXY_PIN[@]}" "$NODE" ${NODE_FLAGS:-} "$ROOT/src/main.ts" >"$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_ready "$log"
  provision
  load "$SIP_PORT" "edge-$workers-r$round" "$pid"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

run_kamailio() {
  local dir="$WORK/kamailio-r$round" ha1
  mkdir -p "$dir/db"
  ha1=$(printf '%s' "$USER_NAME:sip-edge:$PASSWORD" | md5sum | cut -d' ' -f1)
  printf 'id(int,auto) username(str) domain(str) password(str) ha1(str) ha1b(str,null)\n1:%s:%s:%s:%s:\n' \
    "$USER_NAME" "$DOMAIN" "$PASSWORD" "$ha1" >"$dir/db/subscriber"
  printf 'id(int,auto) grp(int) ip_addr(str) mask(int) port(int) tag(str,null)\n1:1:127.0.0.1:32:0:\n' >"$dir/db/address"
  printf 'table_name(str) table_version(int)\nsubscriber:7\naddress:6\nversion:1\n' >"$dir/db/version"
  # 1 GB of shared memory: tm keeps each transaction up to fr_timer, and with 256 MB a run of
  # 20,000 calls (warm-up included) ran out ("out of mem" in tm, 500s to the callers).
  "${PROXY_PIN[@]}" kamailio -f "$HERE/kamailio.cfg" -DD -E -n 2 -m 1024 -M 16 -A "LISTEN=udp:127.0.0.1:$SIP_PORT" -A "TCP_LISTEN=tcp:127.0.0.1:$SIP_PORT" \
    -A "DBURL=\"text://$dir/db\"" -A "PBX=\"sip:127.0.0.1:$PBX_PORT$( [ "$TRANSPORT" = t1 ] && echo ";transport=tcp")\"" \
    >"$dir/kamailio.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  sleep 1
  load "$SIP_PORT" "kamailio-r$round" "$pid"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "sip-edge SIPp bench: $CALLS calls after $WARMUP warm-up calls, $CONCURRENCY concurrent from $UACS callers, transport $TRANSPORT, callers $UAC_TRANSPORT, $ROUNDS round(s)$( [ "$PIN" = 1 ] && echo ', proxy pinned to CPU 0 and SIPp to CPU 1') (work dir $WORK)"

# Median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Per round: each sip-edge worker count, then Kamailio, back to back, so that a ratio compares
# figures taken minutes apart at most on a machine whose speed drifts.
r1=() r2=() c1=() c2=() ck=() total_failed=0
for round in $(seq 1 "$ROUNDS"); do
  [ "$ROUNDS" -gt 1 ] && echo "-- round $round"
  e1="" e2="" k=""
  if [ "$ONLY" != kamailio ]; then
    for w in $WORKER_COUNTS; do
      run_edge "$w" >"$WORK/result-$w"
      read -r rate ok failed pcpu ucpu ccpu psys <"$WORK/result-$w"
      echo "sip-edge EDGE_WORKERS=$w: $rate calls/s, $ok completed, $failed failed; CPU ms per call: proxy $pcpu (kernel $psys), PBX $ucpu, callers $ccpu"
      total_failed=$((total_failed + failed))
      if [ "$w" = 1 ]; then e1="$rate"; c1+=("$pcpu"); fi
      if [ "$w" = 2 ]; then e2="$rate"; c2+=("$pcpu"); fi
    done
  fi
  if [ "$ONLY" != edge ]; then
    if command -v kamailio >/dev/null; then
      run_kamailio >"$WORK/result-k"
      read -r k okk fk pcpu ucpu ccpu psys <"$WORK/result-k"
      echo "kamailio 5.6 (auth_db + permissions): $k calls/s, $okk completed, $fk failed; CPU ms per call: proxy $pcpu (kernel $psys), PBX $ucpu, callers $ccpu"
      total_failed=$((total_failed + fk))
      ck+=("$pcpu")
    else
      echo "kamailio not installed: no baseline in this run"
    fi
  fi
  if [ -n "$k" ]; then
    if [ -n "$e1" ]; then r1+=("$(awk -v a="$e1" -v k="$k" 'BEGIN { printf "%.2f", a / k }')"); echo "ratio sip-edge/kamailio: workers=1 ${r1[-1]}"; fi
    if [ -n "$e2" ]; then r2+=("$(awk -v b="$e2" -v k="$k" 'BEGIN { printf "%.2f", b / k }')"); echo "ratio sip-edge/kamailio: workers=2 ${r2[-1]}"; fi
  fi
done
if [ "$ROUNDS" -gt 1 ]; then
  echo "-- medians over $ROUNDS rounds ($total_failed failed calls in all)"
  [ "${#r1[@]}" -gt 0 ] && echo "ratio sip-edge/kamailio: workers=1 $(median "${r1[@]}")"
  [ "${#r2[@]}" -gt 0 ] && echo "ratio sip-edge/kamailio: workers=2 $(median "${r2[@]}")"
  [ "${#c1[@]}" -gt 0 ] && echo "proxy CPU ms per call: sip-edge workers=1 $(median "${c1[@]}")"
  [ "${#c2[@]}" -gt 0 ] && echo "proxy CPU ms per call: sip-edge workers=2 $(median "${c2[@]}")"
  [ "${#ck[@]}" -gt 0 ] && echo "proxy CPU ms per call: kamailio $(median "${ck[@]}")"
fi
