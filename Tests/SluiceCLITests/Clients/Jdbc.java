import java.sql.*;
import java.util.*;

/** Drives a running `sluice serve` through pgjdbc; throws (exit 1) on the first failed check, prints OK at the end. */
public class Jdbc {
    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/sluice";
        try (Connection conn = DriverManager.getConnection(url, "jdbc", "")) {
            DatabaseMetaData meta = conn.getMetaData();
            check(meta.getDatabaseProductName().equals("PostgreSQL"), "product " + meta.getDatabaseProductName());
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE STREAM clicks (id VARCHAR KEY, page VARCHAR, ms BIGINT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON')");
                st.execute("CREATE TABLE pages AS SELECT page, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY page EMIT CHANGES");
            }
            // DatabaseMetaData reads the emulated catalog: the stream is a VIEW, the table a TABLE with its key.
            Map<String, String> tables = new TreeMap<>();
            try (ResultSet rs = meta.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"})) {
                while (rs.next()) tables.put(rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
            }
            check("VIEW".equals(tables.get("clicks")) && "TABLE".equals(tables.get("pages")), "getTables " + tables);
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, "public", "pages", "%")) {
                while (rs.next()) columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("DATA_TYPE") + ":" + rs.getInt("ORDINAL_POSITION"));
            }
            check(columns.equals(List.of("page:" + Types.VARCHAR + ":1", "n:" + Types.BIGINT + ":2", "total:" + Types.BIGINT + ":3")),
                  "getColumns " + columns);
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = meta.getPrimaryKeys(null, "public", "pages")) {
                while (rs.next()) keys.add(rs.getString("COLUMN_NAME"));
            }
            check(keys.equals(List.of("page")), "getPrimaryKeys " + keys);
            // A prepared INSERT: pgjdbc sends it through the extended protocol with typed $n parameters.
            try (PreparedStatement insert = conn.prepareStatement("INSERT INTO clicks (id, page, ms) VALUES (?, ?, ?)")) {
                String[][] rows = {{"c1", "home", "10"}, {"c2", "cart", "20"}, {"c3", "home", "5"}};
                for (String[] row : rows) {
                    insert.setString(1, row[0]);
                    insert.setString(2, row[1]);
                    insert.setLong(3, Long.parseLong(row[2]));
                    insert.executeUpdate();
                }
            }
            // Pull queries until the table has caught up (the engine materializes asynchronously).
            long n = -1, total = -1;
            try (PreparedStatement pull = conn.prepareStatement("SELECT page, n, total FROM pages WHERE page = ?")) {
                for (int i = 0; i < 100 && n != 2; i++) {
                    pull.setString(1, "home");
                    try (ResultSet rs = pull.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        check(md.getColumnCount() == 3 && md.getColumnName(2).equals("n"), "columns");
                        check(md.getColumnType(2) == Types.BIGINT, "n is BIGINT: " + md.getColumnType(2));
                        if (rs.next()) {
                            n = rs.getLong("n");
                            total = rs.getLong("total");
                            check(!rs.next(), "one row");
                        }
                    }
                    if (n != 2) Thread.sleep(100);
                }
            }
            check(n == 2 && total == 15, "home: n=" + n + " total=" + total);
            // A push query from the beginning, ended by LIMIT.
            try (Statement st = conn.createStatement()) {
                st.execute("SET 'auto.offset.reset' = 'earliest'");
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT id FROM clicks EMIT CHANGES LIMIT 3")) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
                check(ids.equals(List.of("c1", "c2", "c3")), "push " + ids);
            }
            // With a fetch size and autocommit off, pgjdbc executes through a portal with max_rows 2 (the paging
            // itself, PortalSuspended and the next Execute, is checked at the wire level in PGWireTests).
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.setFetchSize(2);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT id FROM clicks EMIT CHANGES LIMIT 3")) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
                check(ids.equals(List.of("c1", "c2", "c3")), "paged push " + ids);
            }
            conn.commit();
            conn.setAutoCommit(true);
            // A push query without LIMIT runs until cancelled: Statement.cancel from another thread (every 0.5 s
            // until the query returns: pgjdbc ignores a cancel before the statement runs) ends it, after its rows
            // went out, with 57014, and the connection goes on.
            try (Statement st = conn.createStatement()) {
                java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
                Thread canceller = new Thread(() -> {
                    try {
                        while (!returned.get()) {
                            Thread.sleep(500);
                            if (!returned.get()) st.cancel();
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                long started = System.nanoTime();
                canceller.start();
                try {
                    st.executeQuery("SELECT id FROM clicks EMIT CHANGES");
                    throw new AssertionError("an unbounded push query ended without a cancel");
                } catch (SQLException e) {
                    check("57014".equals(e.getSQLState()), "cancel gave " + e.getSQLState() + " " + e.getMessage());
                } finally {
                    returned.set(true);
                }
                canceller.join();
                Thread.sleep(200);  // a cancel sent just before the query returned must not reach the next one
                check(System.nanoTime() - started < 10_000_000_000L, "the cancel took over 10 s");
                try (ResultSet rs = st.executeQuery("SELECT 1")) {
                    check(rs.next() && rs.getInt(1) == 1, "SELECT 1 after a cancel");
                }
            }
            // Errors carry SQLSTATEs.
            String[][] bad = {{"SELEC 1", "42601"}, {"SELECT * FROM nowhere", "42P01"}};
            for (String[] b : bad) {
                try (Statement st = conn.createStatement()) {
                    st.executeQuery(b[0]);
                    throw new AssertionError(b[0] + " passed");
                } catch (SQLException e) {
                    check(b[1].equals(e.getSQLState()), b[0] + " gave " + e.getSQLState() + " " + e.getMessage());
                }
            }
            // Transactions as drivers use them: autocommit off, commit.
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                check(rs.next() && rs.getInt(1) == 1, "SELECT 1 in a transaction");
            }
            conn.commit();
            conn.setAutoCommit(true);
        }
        System.out.println("OK");
    }
}
