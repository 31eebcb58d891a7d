"""Rows/s delivered to a psycopg client by `COPY (push query) TO STDOUT` from a running `sluice serve` (issue 5's
COPY-out figure). Loads N rows into a fresh stream with COPY FROM STDIN, then streams them back from the beginning.

usage: copy_out.py PORT N
"""
import sys
import time

import psycopg

PORT, N = int(sys.argv[1]), int(sys.argv[2])
with psycopg.connect(host="127.0.0.1", port=PORT, dbname="sluice", user="bench", autocommit=True) as connection:
    cursor = connection.cursor()
    cursor.execute("CREATE STREAM copyout (id BIGINT KEY, name VARCHAR, score DOUBLE) "
                   "WITH (KAFKA_TOPIC='copyout', VALUE_FORMAT='JSON', PARTITIONS=1);")
    started = time.perf_counter()
    with cursor.copy("COPY copyout (id, name, score) FROM STDIN") as copy:
        chunk = []
        for i in range(N):
            chunk.append(f"{i}\tname-{i}\t{i * 0.5}\n")
            if len(chunk) == 10_000:
                copy.write("".join(chunk))
                chunk = []
        if chunk:
            copy.write("".join(chunk))
    loaded = time.perf_counter() - started
    cursor.execute("SET 'auto.offset.reset' = 'earliest';")
    started = time.perf_counter()
    rows = 0
    size = 0
    with cursor.copy(f"COPY (SELECT id, name, score FROM copyout EMIT CHANGES LIMIT {N}) TO STDOUT") as copy:
        for data in copy:
            rows += bytes(data).count(b"\n")
            size += len(data)
    streamed = time.perf_counter() - started
    assert rows == N, (rows, N)
    print(f"COPY FROM STDIN: {N / loaded:,.0f} rows/s;  COPY (push query) TO STDOUT: {N / streamed:,.0f} rows/s "
          f"({size / streamed / 1e6:.1f} MB/s), {N:,} rows")
