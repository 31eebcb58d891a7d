#!/usr/bin/env bash
# Issue 5's PostgreSQL-wire benchmark, in one run on this machine: pgbench's parameterised key lookups (a pull query
# on a materialised table of 10,000 keys) against a release `sluice serve`, then the same lookup by primary key
# against a PostgreSQL 15 server started here on a free port; transactions/s for both and the ratio, for
# `-M extended` and `-M prepared`, 4 clients; then rows/s of COPY (push query) TO STDOUT into psycopg
# (bench/copy_out.py). Figures, not assertions: this is a benchmark, not a test.
#
# Next to transactions/s, each round's CPU time is read from /proc: the server's (Sluice's process; PostgreSQL's
# backends) and the pgbench client's, per transaction (medians). Both servers and the client share this machine's
# two cores, so a server's throughput follows the sum of the two; the client's part also depends on the server
# (how often it must sleep until an answer arrives).
#
# usage: bench/pgbench-vs-postgres.sh [SECONDS] [ROUNDS]   (default 15 s per server and mode, in 5 alternating
# rounds of 3 s). SLUICE_SERVE_ARGS adds options to `sluice serve` (e.g. "--event-loops 4").
set -euo pipefail
shopt -s inherit_errexit  # a failing round inside $(bench …) stops the script too
cd "$(dirname "$0")/.."
SECONDS_TOTAL=${1:-15}
ROUNDS=${2:-5}
if (( SECONDS_TOTAL < 1 || ROUNDS < 1 )); then
    echo "usage: $0 [SECONDS >= 1] [ROUNDS >= 1]" >&2
    exit 2
fi
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
# CPU seconds (user + system) used so far by process $1 and, with $2 = children, by its children (PostgreSQL's
# backends: exited ones are counted in the postmaster's cutime/cstime, live or unreaped ones in their own stat).
cpu_seconds() {
    python3 - "$1" "${2:-}" <<'PY'
import os, sys
pid, children = sys.argv[1], sys.argv[2] == "children"
tick = os.sysconf("SC_CLK_TCK")
def fields(p):
    with open(f"/proc/{p}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()  # after "pid (comm)": state is field 3, utime 14 ... cstime 17
own = fields(pid)
if not children:
    print((int(own[11]) + int(own[12])) / tick)
    sys.exit()
total = int(own[13]) + int(own[14])
for entry in os.listdir("/proc"):
    if not entry.isdigit():
        continue
    try:
        f = fields(entry)
    except OSError:
        continue
    if f[1] == pid:
        total += int(f[11]) + int(f[12])
print(total / tick)
PY
}
bench() {  # port, mode, database, server pid, "children" for PostgreSQL -> "tps server_us_per_txn client_us_per_txn"
    local before after
    before=$(cpu_seconds "$4" "${5:-}")
    python3 - "$1" "$2" "$3" "$work/lookup.sql" "$SECONDS_PER_RUN" <<'PY' >"$work/run.txt"
import re, resource, subprocess, sys
port, mode, database, script, seconds = sys.argv[1:]
run = subprocess.run(["pgbench", "-n", "-h", "127.0.0.1", "-p", port, "-U", "bench", "-f", script, "-M", mode,
                      "-c", "4", "-j", "2", "-T", seconds, database], capture_output=True, text=True)
if run.returncode != 0:  # an aborted client still prints tps: such a round must not count
    sys.exit(f"pgbench against {database} failed ({run.returncode}):\n{run.stdout}{run.stderr}")
out = run.stdout
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
tps = re.search(r"^tps = ([0-9.]+)", out, re.M).group(1)
count = re.search(r"^number of transactions actually processed: ([0-9]+)", out, re.M).group(1)
print(tps, count, usage.ru_utime + usage.ru_stime)
PY
    sleep 0.3  # PostgreSQL's backends exit after the client
    after=$(cpu_seconds "$4" "${5:-}")
    read -r tps count client <"$work/run.txt"
    python3 -c "print($tps, ($after - $before) * 1e6 / $count, $client * 1e6 / $count)"
}

# Sluice: a stream, and a table materialised from it that pull queries read.
port=$(free_port)
.build/release/sluice serve --data-dir "$work/sluice" --pg-port "$port" --kafka-port=-1 ${SLUICE_SERVE_ARGS:-} >"$work/serve.log" 2>&1 &
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
# each, alternating, and the medians are compared (each round's transactions/s are printed too).
for mode in extended prepared; do
    sluice_runs=()
    postgres_runs=()
    for _ in $(seq "$ROUNDS"); do
        sluice_runs+=("$(bench "$port" "$mode" sluice "$sluice_pid")")
        postgres_runs+=("$(bench "$pg_port" "$mode" postgres "$postgres_pid" children)")
    done
    python3 - "$mode" "$(printf '%s\n' "${sluice_runs[@]}")" "$(printf '%s\n' "${postgres_runs[@]}")" <<'PY'
import statistics, sys
mode = sys.argv[1]
sluice, postgres = ([[float(x) for x in line.split()] for line in arg.splitlines()] for arg in sys.argv[2:])
def median(runs, i): return statistics.median(run[i] for run in runs)
s, p = median(sluice, 0), median(postgres, 0)
rounds = "  ".join(f"{a[0]:,.0f}/{b[0]:,.0f}" for a, b in zip(sluice, postgres))
print(f"-M {mode}: sluice {s:>10,.0f} tps   postgresql {p:>10,.0f} tps   ratio {s / p:.2f}   (medians; rounds sluice/postgresql: {rounds})")
print(f"    CPU per transaction: server sluice {median(sluice, 1):.2f} us, postgresql {median(postgres, 1):.2f} us;"
      f" pgbench client against sluice {median(sluice, 2):.2f} us, against postgresql {median(postgres, 2):.2f} us")
PY
done

# COPY (push query) TO STDOUT into psycopg: rows/s delivered (issue 5's target is 500,000 rows/s).
python3 bench/copy_out.py "$port" 1000000
