#!/usr/bin/env bash
# Issue 5's PostgreSQL-wire benchmark, in one run on this machine: pgbench's parameterised key lookups (a pull query
# on a materialised table of 10,000 keys) against a release `sluice serve`, then the same lookup by primary key
# against a PostgreSQL 15 server started here on a free port; transactions/s for both and the ratio, for
# `-M extended` and `-M prepared`, 4 clients; then rows/s of COPY (push query) TO STDOUT into psycopg
# (bench/copy_out.py). Figures, not assertions: this is a benchmark, not a test.
#
# usage: bench/pgbench-vs-postgres.sh [SECONDS]   (default 15 per server and mode, in 3 alternating rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TOTAL=${1:-15}
ROUNDS=3
SECONDS_PER_RUN=$(( (SECONDS_TOTAL + ROUNDS - 1) / ROUNDS ))
KEYS=10000

scripts/install-deps.sh --test >/dev/null
swift build -c release --product sluice >/dev/null
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

work=$(mktemp -d)
chmod 755 "$work"
sluice_pid=""
postgres_pid=""
cleanup() {
    [[ -n $sluice_pid ]] && kill "$sluice_pid" 2>/dev/null && wait "$sluice_pid" 2>/dev/null
    [[ -n $postgres_pid ]] && kill -INT "$postgres_pid" 2>/dev/null && wait "$postgres_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
printf '\\set k random(1, %d)\nSELECT k, v FROM kv WHERE k = :k;\n' "$KEYS" >"$work/lookup.sql"
python3 -c "print('INSERT INTO KV_TARGET (k, v) VALUES ' + ', '.join(f\"({i}, 'value-{i}')\" for i in range(1, $KEYS + 1)) + ';')" >"$work/rows.sql"
bench() {  # port, mode -> tps
    pgbench -n -h 127.0.0.1 -p "$1" -U bench -f "$work/lookup.sql" -M "$2" -c 4 -j 2 -T "$SECONDS_PER_RUN" "$3" 2>&1 |
        sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}

# Sluice: a stream, and a table materialised from it that pull queries read.
port=$(free_port)
.build/release/sluice serve --data-dir "$work/sluice" --pg-port "$port" --kafka-port=-1 >"$work/serve.log" 2>&1 &
sluice_pid=$!
for _ in $(seq 100); do psql -X -q -h 127.0.0.1 -p "$port" -d sluice -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
psql -X -q -h 127.0.0.1 -p "$port" -d sluice \
    -c "CREATE STREAM kvs (k INT KEY, v VARCHAR) WITH (KAFKA_TOPIC='kvs', VALUE_FORMAT='JSON', PARTITIONS=1);" \
    -c "CREATE TABLE kv AS SELECT k, LATEST_BY_OFFSET(v) AS v FROM kvs GROUP BY k EMIT CHANGES;"
sed 's/KV_TARGET/kvs/' "$work/rows.sql" | psql -X -q -h 127.0.0.1 -p "$port" -d sluice
for _ in $(seq 300); do
    [[ $(psql -X -A -t -h 127.0.0.1 -p "$port" -d sluice -c "SELECT v FROM kv WHERE k = $KEYS;") == "value-$KEYS" ]] && break
    sleep 0.1
done

# PostgreSQL: the same rows in a table with a primary key. initdb and postgres refuse to run as root.
as_user=()
if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$work"
    as_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi
"${as_user[@]}" "$PGBIN/initdb" -D "$work/pg" -A trust -U bench -N >/dev/null
pg_port=$(free_port)
"${as_user[@]}" "$PGBIN/postgres" -D "$work/pg" -p "$pg_port" -k "$work" -c listen_addresses=127.0.0.1 >"$work/pg.log" 2>&1 &
postgres_pid=$!
for _ in $(seq 100); do psql -X -q -h 127.0.0.1 -p "$pg_port" -U bench -d postgres -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
psql -X -q -h 127.0.0.1 -p "$pg_port" -U bench -d postgres -c "CREATE TABLE kv (k int PRIMARY KEY, v text);"
sed 's/KV_TARGET/kv/' "$work/rows.sql" | psql -X -q -h 127.0.0.1 -p "$pg_port" -U bench -d postgres
psql -X -q -h 127.0.0.1 -p "$pg_port" -U bench -d postgres -c "ANALYZE kv;"

echo "pgbench $(pgbench --version | awk '{print $3}'), $KEYS keys, 4 clients, $ROUNDS alternating rounds of ${SECONDS_PER_RUN} s per server and mode"
# This VM's speed drifts by 20-30% over a minute, so the two servers take turns: ROUNDS runs of SECONDS/ROUNDS
# each, alternating, and the medians are compared (each round's figures are printed too).
for mode in extended prepared; do
    sluice_runs=()
    postgres_runs=()
    for _ in $(seq "$ROUNDS"); do
        sluice_runs+=("$(bench "$port" "$mode" sluice)")
        postgres_runs+=("$(bench "$pg_port" "$mode" postgres)")
    done
    python3 - "$mode" "${sluice_runs[*]}" "${postgres_runs[*]}" <<'PY'
import statistics, sys
mode, sluice, postgres = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
s, p = statistics.median(sluice), statistics.median(postgres)
rounds = "  ".join(f"{a:,.0f}/{b:,.0f}" for a, b in zip(sluice, postgres))
print(f"-M {mode}: sluice {s:>10,.0f} tps   postgresql {p:>10,.0f} tps   ratio {s / p:.2f}   (medians; rounds sluice/postgresql: {rounds})")
PY
done

# COPY (push query) TO STDOUT into psycopg: rows/s delivered (issue 5's target is 500,000 rows/s).
python3 bench/copy_out.py "$port" 1000000
