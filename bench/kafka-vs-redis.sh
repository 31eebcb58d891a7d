#!/usr/bin/env bash
# Issue 6's Kafka-wire benchmark, in one run on this machine: confluent-kafka (librdkafka) producing and consuming
# N 100-byte messages against a release `sluice serve` (acks=1/all, no compression/LZ4), the same from C with
# librdkafka itself (bench/rdkafka_throughput.c), then Redis Streams, started here on a free port and loaded with N
# messages of the same size by its own C benchmark (redis-benchmark XADD, pipelined), and the produce-rate ratios.
# Figures, not assertions: this is a benchmark, not a test.
#
# usage: bench/kafka-vs-redis.sh [N]   (default 5,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000000}

scripts/install-deps.sh --test >/dev/null
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v cc >/dev/null ||
    [[ ! -f /usr/include/librdkafka/rdkafka.h ]]; then
    sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get install -y -qq --no-install-recommends redis-server redis-tools librdkafka-dev gcc libc6-dev >/dev/null
fi
swift build -c release --product sluice >/dev/null

work=$(mktemp -d)
sluice_pid=""
redis_pid=""
cleanup() {
    [[ -n $sluice_pid ]] && kill "$sluice_pid" 2>/dev/null && wait "$sluice_pid" 2>/dev/null
    [[ -n $redis_pid ]] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

.build/release/sluice serve --data-dir "$work/sluice" --pg-port 0 --kafka-port 0 >"$work/serve.log" 2>&1 &
sluice_pid=$!
port=""
for _ in $(seq 200); do
    port=$(sed -n 's/.*Kafka wire on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)
    [[ -n $port ]] && break
    sleep 0.05
done
[[ -n $port ]] || { cat "$work/serve.log"; exit 1; }

python3 bench/kafka_throughput.py "127.0.0.1:$port" "$N" | tee "$work/sluice.txt"
# The same from C with librdkafka itself: Python's per-message objects bound the figures above, consuming especially.
cc -O2 -o "$work/rdkafka_throughput" bench/rdkafka_throughput.c -lrdkafka
"$work/rdkafka_throughput" "127.0.0.1:$port" "$N" | tee "$work/c.txt"
kill "$sluice_pid"; wait "$sluice_pid" 2>/dev/null || true; sluice_pid=""

redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
value=$(printf 'x%.0s' $(seq 100))
redis_line=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -n "$N" -P 64 -q XADD bench '*' v "$value" | tr '\r' '\n' | grep 'requests per second' | tail -1)
redis_rate=$(echo "$redis_line" | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p')
echo "redis-server $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') XADD, pipeline 64 (in memory):  produce $(printf '%12.0f' "$redis_rate") msg/s"

sluice_rate=$(sed -n 's/^sluice acks=1   none  produce *\([0-9,]*\) msg.*/\1/p' "$work/sluice.txt" | tr -d ,)
python3 -c "print(f'ratio confluent-kafka into sluice (acks=1, no compression, on disk) / redis streams (in memory): {$sluice_rate / $redis_rate:.2f}')"
c_rate=$(sed -n 's/^sluice acks=1   none  produce *\([0-9]*\) msg.*/\1/p' "$work/c.txt")
python3 -c "print(f'ratio librdkafka from C into sluice (acks=1, no compression, on disk) / redis streams (in memory): {$c_rate / $redis_rate:.2f}')"
