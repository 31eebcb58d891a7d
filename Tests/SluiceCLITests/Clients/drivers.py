"""Drives a running `sluice serve` with the Python PostgreSQL drivers users reach for: psycopg2, psycopg 3,
pg8000 and asyncpg. Every check asserts; the script prints OK and exits 0 only if all of them held.

usage: drivers.py PORT
"""
import asyncio
import datetime
import decimal
import json
import resource
import socket
import struct
import sys
import threading
import time

import asyncpg
import pg8000.native
import psycopg
import psycopg2
import psycopg2.errors

PORT = int(sys.argv[1])
DSN = dict(host="127.0.0.1", port=PORT, dbname="sluice", user="driver")


def eventually(fetch, expected, what):
    """The engine materializes tables asynchronously: retry a pull query for up to 10 s."""
    last = None
    for _ in range(100):
        last = fetch()
        if last == expected:
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: expected {expected!r}, last saw {last!r}")


def check_psycopg2():
    conn = psycopg2.connect(**DSN)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE STREAM orders (id VARCHAR KEY, customer VARCHAR, amount DOUBLE, qty INT) "
                "WITH (KAFKA_TOPIC='orders', PARTITIONS=1, VALUE_FORMAT='JSON')")
    # Client-side parameters (psycopg2 interpolates them into the text).
    for i, (customer, amount, qty) in enumerate([("ann", 10.5, 1), ("bob", 4.0, 2), ("ann", 1.5, 3)]):
        cur.execute("INSERT INTO orders (id, customer, amount, qty) VALUES (%s, %s, %s, %s)", (f"o{i}", customer, amount, qty))
    cur.execute("CREATE TABLE spend AS SELECT customer, SUM(amount) AS total, COUNT(*) AS n "
                "FROM orders GROUP BY customer EMIT CHANGES")

    def pull():
        cur.execute("SELECT customer, total, n FROM spend WHERE customer = %s", ("ann",))
        return cur.fetchall()
    eventually(pull, [("ann", 12.0, 2)], "psycopg2 pull query")
    assert [d.name for d in cur.description] == ["customer", "total", "n"], cur.description
    assert [d.type_code for d in cur.description] == [25, 701, 20], cur.description
    # Unquoted names come back in PostgreSQL's lower case; a quoted alias keeps its case, as in PostgreSQL.
    cur.execute('SELECT customer AS "Who", total AS Sum FROM spend WHERE customer = %s', ("ann",))
    assert [d.name for d in cur.description] == ["Who", "sum"], cur.description
    cur.execute('SELECT 1 AS "One", 2 AS two')
    assert [d.name for d in cur.description] == ["One", "two"], cur.description
    # A SELECT without FROM has one row, unless WHERE, HAVING, LIMIT or OFFSET rule it out.
    for sql, rows in [("SELECT 1 WHERE false", []), ("SELECT 1 WHERE NULL", []), ("SELECT 1 WHERE 1 = 1", [(1,)]),
                      ("SELECT 1 HAVING false", []), ("SELECT 1 LIMIT 0", []), ("SELECT 1 OFFSET 1", []),
                      ("SELECT 1 / 0 WHERE false", [])]:
        cur.execute(sql)
        assert cur.fetchall() == rows, sql

    # A push query from the beginning of the stream, ended by LIMIT.
    cur.execute("SET 'auto.offset.reset' = 'earliest'")
    cur.execute("SELECT id, qty FROM orders EMIT CHANGES LIMIT 3")
    assert cur.fetchall() == [("o0", 1), ("o1", 2), ("o2", 3)]

    # Errors carry real SQLSTATEs.
    for sql, state in [("SELEC 1", "42601"), ("SELECT * FROM nowhere", "42P01"),
                       ("SELECT nope FROM spend WHERE customer = 'ann'", "42703"),
                       ("SELECT NO_SUCH_FUNCTION(customer) FROM spend WHERE customer = 'ann'", "42883"),
                       ("SELECT customer * 2 FROM spend WHERE customer = 'ann'", "42804"),
                       ("SELECT 1 / 0", "22012"),
                       ("SELECT ROW_NUMBER() OVER (ORDER BY total) FROM spend WHERE customer = 'ann'", "0A000")]:
        try:
            cur.execute(sql)
        except psycopg2.Error as error:
            assert error.pgcode == state, (sql, error.pgcode, error.pgerror)
        else:
            raise AssertionError(f"{sql} did not fail")
    # The connection is still usable after errors.
    cur.execute("SELECT 1")
    assert cur.fetchall() == [(1,)]

    # pg_sleep, PostgreSQL's way to hold a statement open: one row, one empty void column (OID 2278); a cancel
    # from another thread ends a long one with 57014, and the connection goes on.
    cur.execute("SELECT pg_sleep(%s)", (0.05,))
    assert cur.fetchall() == [("",)] and cur.description[0].type_code == 2278, cur.description
    cur.execute("SELECT pg_sleep(NULL) AS nap")
    assert cur.fetchall() == [("",)] and cur.description[0].name == "nap", cur.description
    threading.Timer(0.3, conn.cancel).start()
    started = time.monotonic()
    try:
        cur.execute("SELECT pg_sleep(30)")
    except psycopg2.errors.QueryCanceled as error:
        assert error.pgcode == "57014", error.pgcode
    else:
        raise AssertionError("pg_sleep(30) was not cancelled")
    assert time.monotonic() - started < 10, time.monotonic() - started
    cur.execute("SELECT 1")
    assert cur.fetchall() == [(1,)]

    # A push query without LIMIT runs until cancelled: the server says so in a NOTICE with a hint (psql shows a
    # simple query's rows only at its end), and a cancel ends it mid-stream, after its rows went out, with 57014.
    expect_cancel(lambda: cur.execute("SELECT id FROM orders EMIT CHANGES"), conn.cancel,
                  psycopg2.errors.QueryCanceled, "psycopg2")
    assert any("runs until it is cancelled" in n and "HINT:" in n for n in conn.notices), conn.notices
    cur.execute("SELECT 1")
    assert cur.fetchall() == [(1,)]
    conn.close()


def expect_cancel(run, cancel, error_type, client):
    """`run` starts a push query without LIMIT; `cancel`, called from another thread every 0.5 s until `run`
    returns (a cancel that arrives before the statement starts is lost, as in PostgreSQL), must end it with 57014
    within 10 s."""
    returned = threading.Event()

    def keep_cancelling():
        while not returned.wait(0.5):
            cancel()
    canceller = threading.Thread(target=keep_cancelling)
    canceller.start()
    started = time.monotonic()
    try:
        run()
    except error_type as error:
        state = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None) or error.args[0].get("C")
        assert state == "57014", (client, state, error)
    else:
        raise AssertionError(f"{client}: an unbounded push query ended without a cancel")
    finally:
        returned.set()
        canceller.join()
    assert time.monotonic() - started < 10, (client, time.monotonic() - started)
    time.sleep(0.2)  # a cancel sent just before `run` returned must not reach the client's next statement


def check_session_settings():
    """The ParameterStatus set drivers check, `options=-c …`, the session functions, and SET/SHOW/RESET."""
    conn = psycopg2.connect(**DSN, options="-c application_name=opts -c statement_timeout=5s")
    conn.autocommit = True
    status = conn.get_parameter_status
    names = ("client_encoding", "DateStyle", "integer_datetimes", "standard_conforming_strings", "IntervalStyle",
             "TimeZone")
    assert [status(name) for name in names] == ["UTF8", "ISO, MDY", "on", "on", "postgres", "UTC"]
    assert status("server_version") == "15.0" and status("server_version_num") == "150000", status("server_version")
    assert status("sluice_version") and status("application_name") == "opts", status("application_name")
    cur = conn.cursor()
    cur.execute("SELECT version(), current_database(), current_schema()")
    version, database, schema = cur.fetchone()
    assert version.startswith("PostgreSQL 15.0"), version
    assert (database, schema) == ("sluice", "public"), (database, schema)
    for sql, value in [("SHOW application_name", "opts"), ("SHOW statement_timeout", "5s"),
                       ("SET application_name = 'b'", None), ("SHOW application_name", "b"),
                       ("RESET application_name", None), ("SHOW application_name", "opts"),
                       ("SET DateStyle TO 'German'", None), ("RESET ALL", None), ("SHOW DateStyle", "ISO, MDY")]:
        cur.execute(sql)
        if value is not None:
            assert cur.fetchall() == [(value,)], (sql, value)
    assert status("application_name") == "opts" and status("DateStyle") == "ISO, MDY"
    # A change of a reported setting is reported under PostgreSQL's spelling, whatever case SET used.
    cur.execute("SET datestyle TO 'German'")
    assert status("DateStyle") == "German", status("DateStyle")
    cur.execute("RESET DATESTYLE")
    assert status("DateStyle") == "ISO, MDY", status("DateStyle")
    conn.close()


def check_types():
    """Every scalar type Sluice returns, read by a text-format driver (psycopg2) and a binary one (asyncpg)."""
    conn = psycopg2.connect(**DSN)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE TABLE kinds (k VARCHAR PRIMARY KEY, b BOOLEAN, i INT, bi BIGINT, d DOUBLE, dec DECIMAL(10, 2), "
                "s VARCHAR, ts TIMESTAMP, dt DATE, tm TIME, raw BYTES, arr ARRAY<INT>, m MAP<VARCHAR, INT>, "
                "st STRUCT<a INT, b VARCHAR>) WITH (KAFKA_TOPIC='kinds', PARTITIONS=1, VALUE_FORMAT='JSON')")
    cur.execute("INSERT INTO kinds (k, b, i, bi, d, dec, s, ts, dt, tm, raw, arr, m, st) VALUES ('x', true, 1, 9000000000, "
                "1.5, 12.34, 'héllo', PARSE_TIMESTAMP('2024-01-02 03:04:05', 'yyyy-MM-dd HH:mm:ss'), "
                "PARSE_DATE('2024-01-02', 'yyyy-MM-dd'), PARSE_TIME('03:04:05', 'HH:mm:ss'), TO_BYTES('AQI=', 'base64'), "
                "ARRAY[1, 2], MAP('a' := 1), STRUCT(a := 1, b := 'z'))")
    expected = ("x", True, 1, 9000000000, 1.5, decimal.Decimal("12.34"), "héllo",
                datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(2024, 1, 2), datetime.time(3, 4, 5),
                b"\x01\x02", [1, 2], {"a": 1}, {"A": 1, "B": "z"})

    def pull():
        cur.execute("SELECT * FROM kinds WHERE k = 'x'")
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cur.fetchall()]
    eventually(pull, [expected], "psycopg2 types")
    assert [d.type_code for d in cur.description] == [25, 16, 23, 20, 701, 1700, 25, 1114, 1082, 1083, 17, 1007, 114, 114]
    conn.close()
    return expected


def check_psycopg3():
    # psycopg 3 sends parameters server-side ($1 through the extended protocol).
    with psycopg.connect(**DSN, autocommit=True) as conn:
        conn.execute("CREATE STREAM clicks (id VARCHAR KEY, page VARCHAR, ms INT) "
                     "WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON')")
        for i, (page, ms) in enumerate([("home", 5), ("cart", 7), ("home", 11)]):
            conn.execute("INSERT INTO clicks (id, page, ms) VALUES (%s, %s, %s)", (f"c{i}", page, ms))
        conn.execute("SET 'auto.offset.reset' = 'earliest'")
        rows = conn.execute("SELECT id, ms FROM clicks EMIT CHANGES LIMIT 3").fetchall()
        assert rows == [("c0", 5), ("c1", 7), ("c2", 11)], rows
        conn.execute("CREATE TABLE page_time AS SELECT page, SUM(ms) AS total FROM clicks GROUP BY page EMIT CHANGES")
        eventually(lambda: conn.execute("SELECT total FROM page_time WHERE page = %s", ("home",)).fetchall(), [(16,)],
                   "psycopg3 pull from a CTAS")
        expect_cancel(lambda: conn.execute("SELECT id FROM clicks EMIT CHANGES").fetchall(), conn.cancel,
                      psycopg.errors.QueryCanceled, "psycopg3")
        assert conn.execute("SELECT 1").fetchall() == [(1,)]
        # Statements whose columns only running them tells, through the extended protocol: Describe must still
        # give their RowDescription before the rows.
        assert ("CLICKS", "clicks", "KAFKA", "JSON", False) in conn.execute("SHOW STREAMS").fetchall()
        assert conn.execute("SHOW DateStyle").fetchall() == [("ISO, MDY",)]
        assert [r[0] for r in conn.execute("DESCRIBE clicks").fetchall()] == ["ID", "PAGE", "MS"]
        assert conn.execute("EXPLAIN SELECT * FROM clicks EMIT CHANGES").fetchall()
        rows = conn.execute("SELECT customer, total FROM spend WHERE customer = %s", ("bob",)).fetchall()
        assert rows == [("bob", 4.0)], rows
        with conn.cursor() as cur:
            cur.execute("INSERT INTO orders (id, customer, amount, qty) VALUES (%s, %s, %s, %s)", ("o3", "cy", 2.25, 4))
        eventually(lambda: conn.execute("SELECT total FROM spend WHERE customer = %s", ("cy",)).fetchall(), [(2.25,)],
                   "psycopg3 pull after insert")
        # reg* values are names in text format and their 4-byte OIDs in binary (psycopg 3 has no binary loader for
        # regclass/regtype, so they arrive as bytes).
        query = "SELECT c.oid, c.oid::regclass, 'int4'::regtype FROM pg_class c WHERE c.relname = 'spend'"
        oid, name, int4 = conn.execute(query).fetchone()
        assert (name, int4) == ("spend", "integer"), (name, int4)
        with conn.cursor(binary=True) as cur:
            binary = cur.execute(query).fetchone()
        assert binary == (oid, oid.to_bytes(4, "big"), (23).to_bytes(4, "big")), (oid, binary)
        # psycopg 3 types a Python int beyond 2^31 as int8 and a float as float8: against an INT key they equal no
        # key (PostgreSQL compares numerically), whereas casting them would fail or round onto another key.
        conn.execute("CREATE TABLE by_int (k INT PRIMARY KEY, v VARCHAR) WITH (KAFKA_TOPIC='by_int', PARTITIONS=1, "
                     "VALUE_FORMAT='JSON')")
        conn.execute("INSERT INTO by_int (k, v) VALUES (7, 'seven')")
        eventually(lambda: conn.execute("SELECT v FROM by_int WHERE k = %s", (7,)).fetchall(), [("seven",)], "INT key")
        for missing in (3_000_000_007, -3_000_000_000, 7.5):
            rows = conn.execute("SELECT v FROM by_int WHERE k = %s", (missing,)).fetchall()
            assert rows == [], (missing, rows)
        assert conn.execute("SELECT v FROM by_int WHERE k = %s", (7.0,)).fetchall() == [("seven",)]
        try:
            conn.execute("SELECT * FROM spend WHERE customer = %s AND", ("x",))
        except psycopg.errors.SyntaxError as error:
            assert error.sqlstate == "42601"
        else:
            raise AssertionError("a syntax error passed")


def check_pg8000():
    conn = pg8000.native.Connection("driver", host="127.0.0.1", port=PORT, database="sluice")
    conn.run("CREATE STREAM visits (id VARCHAR KEY, who VARCHAR, n INT) "
             "WITH (KAFKA_TOPIC='visits', PARTITIONS=1, VALUE_FORMAT='JSON')")
    for i, (who, n) in enumerate([("ann", 1), ("bob", 2), ("ann", 4)]):
        conn.run("INSERT INTO visits (id, who, n) VALUES (:id, :who, :n)", id=f"v{i}", who=who, n=n)
    conn.run("SET 'auto.offset.reset' = 'earliest'")
    rows = conn.run("SELECT id, n FROM visits EMIT CHANGES LIMIT 3")
    assert rows == [["v0", 1], ["v1", 2], ["v2", 4]], rows
    conn.run("CREATE TABLE visit_totals AS SELECT who, SUM(n) AS total FROM visits GROUP BY who EMIT CHANGES")
    eventually(lambda: conn.run("SELECT total FROM visit_totals WHERE who = :w", w="ann"), [[5]],
               "pg8000 pull from a CTAS")

    def cancel():
        # pg8000 has no cancel call: send PostgreSQL's CancelRequest with the key the server gave it.
        with socket.create_connection(("127.0.0.1", PORT)) as s:
            s.sendall(struct.pack("!ii", 16, 80877102) + conn._backend_key_data)
    expect_cancel(lambda: conn.run("SELECT id FROM visits EMIT CHANGES"), cancel, pg8000.native.DatabaseError,
                  "pg8000")
    assert conn.run("SELECT 1") == [[1]]
    rows = conn.run("SELECT customer, n FROM spend WHERE customer = :c", c="ann")
    assert rows == [["ann", 2]], rows
    assert [c["name"] for c in conn.columns] == ["customer", "n"]
    try:
        conn.run("SELECT * FROM nowhere")
    except pg8000.native.DatabaseError as error:
        assert error.args[0]["C"] == "42P01", error.args
    else:
        raise AssertionError("an unknown table passed")
    conn.close()


async def check_asyncpg(expected):
    conn = await asyncpg.connect(host="127.0.0.1", port=PORT, database="sluice", user="driver")
    await conn.execute("CREATE STREAM taps (id VARCHAR KEY, dev VARCHAR, v DOUBLE) "
                       "WITH (KAFKA_TOPIC='taps', PARTITIONS=1, VALUE_FORMAT='JSON')")
    for i, (dev, v) in enumerate([("a", 0.5), ("b", 2.0), ("a", 1.25)]):
        await conn.execute("INSERT INTO taps (id, dev, v) VALUES ($1, $2, $3)", f"t{i}", dev, v)
    await conn.execute("CREATE TABLE tap_totals AS SELECT dev, SUM(v) AS total FROM taps GROUP BY dev EMIT CHANGES")
    for _ in range(100):
        if await conn.fetchval("SELECT total FROM tap_totals WHERE dev = $1", "a") == 1.75:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("asyncpg: the CTAS never showed a = 1.75")
    # Named prepared statement, binary results, a typed parameter.
    rows = await conn.fetch("SELECT customer, total, n FROM spend WHERE customer = $1", "ann")
    assert [tuple(r) for r in rows] == [("ann", 12.0, 2)], rows
    statement = await conn.prepare("SELECT total FROM spend WHERE customer = $1")
    assert await statement.fetchval("bob") == 4.0
    assert await statement.fetchval("ann") == 12.0
    # Binary decoding of every type: arrays after asyncpg's type introspection (its `$1::oid[]` query of pg_type),
    # MAP and STRUCT as json text.
    row = await conn.fetchrow("SELECT * FROM kinds WHERE k = $1", "x")
    assert tuple(row)[:12] == expected[:12], row
    assert [json.loads(row["m"]), json.loads(row["st"])] == list(expected[12:]), row
    await conn.execute("SET 'auto.offset.reset' = 'earliest'")
    rows = await conn.fetch("SELECT id FROM orders EMIT CHANGES LIMIT 2")
    assert [r["id"] for r in rows] == ["o0", "o1"], rows
    # A cursor pages a push query through a portal, two rows per Execute (max_rows): none may be lost between pages.
    async with conn.transaction():
        paged = [r["id"] async for r in conn.cursor("SELECT id FROM orders EMIT CHANGES LIMIT 3", prefetch=2)]
    assert paged == ["o0", "o1", "o2"], paged
    try:
        await conn.fetch("SELECT * FROM nowhere")
    except asyncpg.exceptions.UndefinedTableError:
        pass
    else:
        raise AssertionError("an unknown table passed")
    # A parameter takes the type of its cast, as in PostgreSQL, so asyncpg sends it binary as that type.
    assert await conn.fetchval("SELECT $1::int8 * 2", 21) == 42
    assert await conn.fetchval("SELECT $1 + 1", 41) == 42  # $1 takes the other operand's type, int4
    assert await conn.fetchval("SELECT n FROM spend WHERE customer = 'ann' AND n = $1::bigint", 2) == 2
    assert await conn.fetch("SELECT 1 WHERE 'a' = $1", "b") == []
    assert [tuple(r) for r in await conn.fetch("SELECT 1 WHERE 'b' = $1", "b")] == [(1,)]
    # pg_sleep with a binary float8 parameter: void decodes as None. A timeout makes asyncpg send a CancelRequest.
    assert await conn.fetchval("SELECT pg_sleep($1)", 0.05) is None
    assert await conn.fetchval("SELECT pg_sleep($1::float8) AS nap", 0.01) is None
    await expect_timeout_cancel(conn, "SELECT pg_sleep(30)", 0.3)
    # The same for a push query without LIMIT, cancelled mid-stream.
    await expect_timeout_cancel(conn, "SELECT id FROM taps EMIT CHANGES", 0.5)
    await conn.close()


async def expect_timeout_cancel(conn, sql, timeout):
    """`sql` never ends by itself: asyncpg's timeout sends a CancelRequest. The next statement runs only once the
    server has ended the first: timed through it, a server that ignored the cancel would take far over 10 s."""
    started = time.monotonic()
    try:
        await conn.fetch(sql, timeout=timeout)
    except asyncio.TimeoutError:
        pass
    else:
        raise AssertionError(f"{sql} outlived its timeout")
    assert await conn.fetchval("SELECT 2") == 2
    assert time.monotonic() - started < 10, (sql, time.monotonic() - started)


def read_until(sock, wanted):
    """Reads backend messages, one byte at a time so that none after it is consumed, until one of type `wanted`
    (b"Z", b"D", ...); returns the types seen. An ErrorResponse fails."""
    buffer = b""
    kinds = []
    while True:
        if len(buffer) >= 5:
            kind, length = buffer[:1], struct.unpack("!i", buffer[1:5])[0]
            if len(buffer) == 1 + length:
                assert kind != b"E", buffer
                kinds.append(kind)
                if kind == wanted:
                    return kinds
                buffer = b""
        chunk = sock.recv(1)
        assert chunk, f"the server closed the connection before {wanted!r}"
        buffer += chunk


def start_raw_push_query(sql):
    """A bare protocol connection running `sql` (a push query from the earliest offset) with its first row read."""
    raw = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    startup = b"user\0raw\0database\0sluice\0\0"
    raw.sendall(struct.pack("!ii", 8 + len(startup), 196608) + startup)
    read_until(raw, b"Z")
    query = b"SET 'auto.offset.reset' = 'earliest'; " + sql.encode() + b"\0"
    raw.sendall(b"Q" + struct.pack("!i", 4 + len(query)) + query)
    read_until(raw, b"D")  # a row arrived: the query runs
    return raw


def check_push_queries_end_with_their_client():
    """SHOW QUERIES lists running push queries (type PUSH, as ksqlDB's transient queries); a client that drops its
    connection mid-stream stops its query, and TERMINATE ends another client's."""
    conn = psycopg2.connect(**DSN)
    conn.autocommit = True
    cur = conn.cursor()

    def push_queries():
        cur.execute("SHOW QUERIES")
        return [(row[0], row[4]) for row in cur.fetchall() if row[1] == "PUSH"]
    assert push_queries() == [], push_queries()
    raw = start_raw_push_query("SELECT id FROM orders EMIT CHANGES;")
    running = push_queries()
    assert len(running) == 1 and running[0][1] == "SELECT ID FROM ORDERS EMIT CHANGES", running
    raw.close()  # no Terminate message: the socket just goes
    eventually(push_queries, [], "push queries after their client left")

    raw = start_raw_push_query("SELECT id FROM orders EMIT CHANGES;")
    [(query_id, _)] = push_queries()
    cur.execute(f"TERMINATE {query_id}")
    # The push query's CommandComplete, then ReadyForQuery: it ended as if it had reached a LIMIT.
    assert read_until(raw, b"Z")[-2:] == [b"C", b"Z"]
    assert push_queries() == [], push_queries()
    raw.close()
    conn.close()


async def check_many_connections(count=1000):
    """`count` connections open at the same time, each answering a query of its own."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 200)), hard))
    connections = []
    try:
        for _ in range(0, count, 100):
            connections += await asyncio.gather(*(asyncpg.connect(
                host="127.0.0.1", port=PORT, database="sluice", user=f"many{i}") for i in range(100)))
        answers = await asyncio.gather(*(c.fetchval("SELECT $1::int + 1", i) for i, c in enumerate(connections)))
        assert answers == [i + 1 for i in range(count)], answers[:5]
    finally:
        await asyncio.gather(*(c.close() for c in connections))


check_psycopg2()
check_session_settings()
expected = check_types()
check_psycopg3()
check_pg8000()
asyncio.run(check_asyncpg(expected))
check_push_queries_end_with_their_client()
asyncio.run(check_many_connections())
print("OK")
