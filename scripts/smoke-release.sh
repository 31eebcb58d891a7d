#!/usr/bin/env bash
# The README's first command builds a release binary and starts `sluice serve`; `make test` builds and tests the
# debug configuration only. This script proves the release path on a clean clone: it builds the release product
# with the same flags as `make run`, starts it on free ports in a scratch data directory, runs one SQL round trip
# through psql and one Kafka metadata request through kcat, and stops the server it started with SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release ${SWIFT_BUILD_FLAGS:---explicit-target-dependency-import-check error} --product sluice

data=$(mktemp -d /tmp/sluice-smoke.XXXXXX)
log="$data.log"
.build/release/sluice serve --data-dir "$data" --pg-port 0 --kafka-port 0 >"$log" 2>&1 &
server=$!
cleanup() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$data" "$log"
}
trap cleanup EXIT

pg_port=""
kafka_port=""
for _ in $(seq 1 100); do
    pg_port=$(sed -n 's/^sluice: PostgreSQL wire on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log")
    kafka_port=$(sed -n 's/^sluice: Kafka wire on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log")
    [ -n "$pg_port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; echo "smoke: the release server exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$pg_port" ] || { cat "$log"; echo "smoke: no PostgreSQL port announced" >&2; exit 1; }

psql_out=$(psql -X -A -t -h 127.0.0.1 -p "$pg_port" -d sluice -v ON_ERROR_STOP=1 <<'SQL'
CREATE STREAM smoke (id BIGINT KEY, word VARCHAR) WITH (KAFKA_TOPIC='smoke', VALUE_FORMAT='JSON', PARTITIONS=1);
INSERT INTO smoke (id, word) VALUES (1, 'release');
SET 'auto.offset.reset' = 'earliest';
SELECT id, word FROM smoke EMIT CHANGES LIMIT 1;
SQL
)
echo "$psql_out" | grep -qx '1|release' || { echo "smoke: psql read back: $psql_out" >&2; exit 1; }

if [ -n "$kafka_port" ]; then
    kcat -b "127.0.0.1:$kafka_port" -L -t smoke | grep -q 'topic "smoke" with 1 partitions' \
        || { echo "smoke: kcat did not list the topic" >&2; exit 1; }
fi

kill -TERM "$server"
wait "$server"
echo "smoke: release build served psql and kcat on ports $pg_port/$kafka_port and stopped cleanly"
