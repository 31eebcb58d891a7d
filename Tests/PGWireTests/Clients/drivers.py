"""Drives a PGWire test server (TestSession) with asyncpg (extended protocol, binary formats, named
statements) and pg8000 (extended protocol, text formats). Prints OK or raises. Usage: drivers.py PORT"""
import asyncio
import sys

port = int(sys.argv[1])


async def with_asyncpg():
    import asyncpg
    conn = await asyncpg.connect(host="127.0.0.1", port=port, user="alice", database="sluice", ssl=False)
    rows = await conn.fetch("SELECT * FROM t")
    assert [tuple(r) for r in rows] == [(1, "one"), (2, "two"), (3, None)], rows
    assert await conn.fetchval("SELECT $1", 42) == 42
    try:
        await conn.fetch("SELEC 1")
        raise AssertionError("expected an error")
    except asyncpg.PostgresSyntaxError as error:
        assert error.sqlstate == "42601", error.sqlstate
    assert await conn.fetchval("SELECT 1") == 1
    await conn.close()


def with_pg8000():
    import pg8000.native
    conn = pg8000.native.Connection("alice", host="127.0.0.1", port=port, database="sluice")
    assert conn.run("SELECT * FROM t") == [[1, "one"], [2, "two"], [3, None]]
    assert conn.run("SELECT * FROM numbers")[-1] == [10]
    try:
        conn.run("SELEC 1")
        raise AssertionError("expected an error")
    except pg8000.native.DatabaseError as error:
        assert error.args[0]["C"] == "42601", error.args
    assert conn.run("SELECT 1") == [[1]]
    conn.close()


asyncio.run(with_asyncpg())
with_pg8000()
print("OK")
