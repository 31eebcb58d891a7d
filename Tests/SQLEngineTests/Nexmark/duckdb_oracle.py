#!/usr/bin/env python3
"""The Nexmark oracle: computes the queries of Queries/nexmark in DuckDB, as one batch over the event file, and
compares every row with what Sluice produced.

    duckdb_oracle.py EVENTS.jsonl SLUICE_DIR

EVENTS.jsonl holds one {"kind": "person"|"auction"|"bid", "event": {...}} per line (`sluice nexmark` prints that).
SLUICE_DIR holds what the Swift test read back from Sluice: qN.jsonl per query, one {"key": ..., "value": {...}} per
sink record for streams, one row object per pull-query row for tables. Prints one line per query and exits 1 if any
query differs (with the first differing rows)."""

import json
import sys

import duckdb


def load(con, path):
    con.execute("CREATE TABLE raw AS SELECT * FROM read_json(?, format='newline_delimited', "
                "columns={'kind': 'VARCHAR', 'event': 'JSON'})", [path])
    # Event order (the offset within each topic) matters for the stream queries.
    con.execute("CREATE TABLE events AS SELECT row_number() OVER () AS seq, kind, event FROM raw")
    con.execute("""CREATE TABLE person AS SELECT seq,
        CAST(event->>'id' AS BIGINT) AS id, event->>'name' AS name, event->>'city' AS city, event->>'state' AS state,
        CAST(event->>'date_time' AS BIGINT) AS date_time FROM events WHERE kind = 'person'""")
    con.execute("""CREATE TABLE auction AS SELECT seq,
        CAST(event->>'id' AS BIGINT) AS id, CAST(event->>'seller' AS BIGINT) AS seller,
        CAST(event->>'category' AS BIGINT) AS category, CAST(event->>'date_time' AS BIGINT) AS date_time,
        CAST(event->>'expires' AS BIGINT) AS expires FROM events WHERE kind = 'auction'""")
    con.execute("""CREATE TABLE bid AS SELECT seq,
        CAST(event->>'auction' AS BIGINT) AS auction, CAST(event->>'bidder' AS BIGINT) AS bidder,
        CAST(event->>'price' AS BIGINT) AS price, CAST(event->>'date_time' AS BIGINT) AS date_time,
        event->>'extra' AS extra FROM events WHERE kind = 'bid'""")


# Each query: DuckDB SQL giving the expected rows, in order for streams (the sink's order), and how to turn one
# line Sluice wrote into a row of the same shape.
def stream_row(*columns, key):
    return lambda line: tuple(line["key"] if c == key else line["value"][c] for c in columns)


def table_row(*columns):
    return lambda line: tuple(line[c] for c in columns)


QUERIES = {
    "q0": ("SELECT auction, bidder, price, date_time, extra FROM bid ORDER BY seq",
           stream_row("AUCTION", "BIDDER", "PRICE", "DATE_TIME", "EXTRA", key="AUCTION"), True),
    # Sluice's integer division truncates toward zero; prices are positive, so DuckDB's // agrees.
    "q1": ("SELECT auction, bidder, price * 908 // 1000, date_time FROM bid ORDER BY seq",
           stream_row("AUCTION", "BIDDER", "PRICE", "DATE_TIME", key="AUCTION"), True),
    "q2": ("SELECT auction, price FROM bid WHERE auction % 123 = 0 ORDER BY seq",
           stream_row("AUCTION", "PRICE", key="AUCTION"), True),
    # Each auction meets its seller as of the auction's time: the person must exist by then.
    "q3": ("""SELECT a.seller, p.name, p.city, p.state, a.id FROM auction a JOIN person p ON a.seller = p.id
              WHERE a.category = 10 AND p.state IN ('OR', 'ID', 'CA') AND p.date_time <= a.date_time ORDER BY a.seq""",
           stream_row("SELLER", "NAME", "CITY", "STATE", "ID", key="SELLER"), True),
    "q4": ("""WITH final AS (
                  SELECT a.id, a.category, max(b.price) AS final FROM auction a JOIN bid b ON a.id = b.auction
                  WHERE b.date_time BETWEEN a.date_time AND a.expires GROUP BY a.id, a.category)
              SELECT category, avg(final), count(*) FROM final GROUP BY category""",
           table_row("CATEGORY", "AVG_FINAL", "AUCTIONS"), False),
    # q4's first step: each auction's highest bid in its lifetime.
    "q4_final": ("""SELECT a.id, a.category, max(b.price) FROM auction a JOIN bid b ON a.id = b.auction
                    WHERE b.date_time BETWEEN a.date_time AND a.expires GROUP BY a.id, a.category""",
                 table_row("ID", "CATEGORY", "FINAL"), False),
    # Hopping 10 s every 2 s, EMIT FINAL with no grace: the windows that end by the last bid's time.
    "q5": ("""WITH w AS (
                  SELECT b.auction, (b.date_time - b.date_time % 2000) - k * 2000 AS start
                  FROM bid b, range(0, 5) AS r(k))
              SELECT auction, start, count(*) FROM w
              WHERE start + 10000 <= (SELECT max(date_time) FROM bid) GROUP BY auction, start""",
           table_row("AUCTION", "WINDOWSTART", "NUM"), False),
    # An auction closes once stream time (the last valid bid of all) is past its last valid bid + 20 s; each
    # seller's last ten closed auctions in closing order (that time, then id) give the average, truncated.
    "q6": ("""WITH final AS (
                  SELECT a.id, a.seller, max(b.price) AS final, max(b.date_time) AS last_bid
                  FROM auction a JOIN bid b ON a.id = b.auction
                  WHERE b.date_time BETWEEN a.date_time AND a.expires GROUP BY a.id, a.seller),
              closed AS (
                  SELECT *, row_number() OVER (PARTITION BY seller ORDER BY last_bid DESC, id DESC) AS recent FROM final
                  WHERE last_bid + 20001 <= (SELECT max(last_bid) FROM final))
              SELECT seller, sum(final) // count(*), count(*) FROM closed WHERE recent <= 10 GROUP BY seller""",
           table_row("SELLER", "AVG_PRICE", "AUCTIONS"), False),
    "q7": ("""SELECT date_time - date_time % 10000 AS start, max(price) FROM bid
              WHERE date_time - date_time % 10000 + 10000 <= (SELECT max(date_time) FROM bid) GROUP BY start""",
           table_row("WINDOWSTART", "MAXPRICE"), False),
    "q8": ("""SELECT p.id, p.name, p.date_time // 10000 * 10000, count(*) FROM person p JOIN auction a ON p.id = a.seller
              WHERE p.date_time // 10000 = a.date_time // 10000 AND abs(p.date_time - a.date_time) <= 10000
              GROUP BY p.id, p.name, p.date_time""",
           table_row("ID", "NAME", "STARTTIME", "AUCTIONS"), False),
}


def main():
    events, sluice = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    load(con, events)
    failed = False
    for name, (sql, convert, ordered) in QUERIES.items():
        try:
            with open(f"{sluice}/{name}.jsonl") as f:
                actual = [convert(json.loads(line)) for line in f if line.strip()]
        except FileNotFoundError:
            continue
        expected = [tuple(r) for r in con.execute(sql).fetchall()]
        if not ordered:
            actual, expected = sorted(actual), sorted(expected)
        if actual == expected:
            print(f"{name}: {len(actual)} rows match DuckDB")
            continue
        failed = True
        first = next((i for i, (a, e) in enumerate(zip(actual, expected)) if a != e), min(len(actual), len(expected)))
        print(f"{name}: DIFFERS: Sluice {len(actual)} rows, DuckDB {len(expected)}; first difference at row {first}: "
              f"Sluice {actual[first:first + 3]} DuckDB {expected[first:first + 3]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
