import Testing

@testable import SQLSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Golden files under Tests/SQLSyntaxTests/Golden: the canonical text of every grammar example and the AST
/// dump of a set of tricky statements. Regenerate on purpose with `SQLSYNTAX_UPDATE_GOLDEN=1`, then review the
/// diff.
@Suite struct GoldenFileTests {
    static let tricky = [
        "SELECT a + b * c - d, NOT a = b AND c OR d, a || b = c + d || e, -x[1]->f FROM t",
        "SELECT `Mixed`, \"dq\", plain, `a``b`, t.`KEY`, ROWTIME FROM `My-Stream` AS s",
        "SELECT a BETWEEN 1 AND 2 AND b, c NOT LIKE 'x%' ESCAPE '!', d IS NOT DISTINCT FROM e FROM t",
        """
        SELECT o.*, u.address->*, CASE WHEN o.v > 1 THEN 'big' ELSE 'small' END AS size_class
        FROM orders o LEFT JOIN users u WITHIN (1 SECOND, 2 MINUTES) GRACE PERIOD 3 HOURS
          ON o.user_id = u.id AND o.ts > u.ts
        WHERE o.v IN (1, 2) EMIT CHANGES LIMIT 10
        """,
        """
        CREATE TABLE agg WITH (KAFKA_TOPIC='agg') AS SELECT k, COUNT(*) AS n, TOPK(v, 3)
        FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS, GRACE PERIOD 1 MINUTE)
        GROUP BY k HAVING COUNT(*) > 1 EMIT FINAL
        """,
        "CREATE STREAM s (k STRING KEY, h ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, d DECIMAL(4, 2)) "
            + "WITH (KAFKA_TOPIC='s', PARTITIONS=-1)",
        "SELECT TRANSFORM(m, (k, v) => k || v), ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC NULLS LAST) FROM t",
        "WITH x AS (SELECT * FROM a) SELECT id FROM x UNION ALL SELECT id FROM (SELECT id FROM b) y ORDER BY id OFFSET 2",
        "INSERT INTO foo (ROWTIME, k) VALUES (1, MAP('a' := ARRAY[1]), STRUCT(f := NULL))",
        "EXPLAIN DROP TABLE IF EXISTS t DELETE TOPIC",
    ]

    static var updating: Bool { getenv("SQLSYNTAX_UPDATE_GOLDEN") != nil }

    func compare(_ actual: String, toGolden name: String) throws {
        let path = "Tests/SQLSyntaxTests/Golden/" + name
        if Self.updating {
            let file = try #require(fopen(TestSupport.packageRoot + "/" + path, "wb"))
            fputs(actual, file)
            fclose(file)
            return
        }
        let expected = try #require(TestSupport.read(path), "missing \(path); run with SQLSYNTAX_UPDATE_GOLDEN=1")
        #expect(actual == expected, "\(path) differs; run with SQLSYNTAX_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test func canonicalTextOfEveryGrammarExample() throws {
        var output = ""
        for example in TestSupport.grammarExamples() {
            output += "-- " + example + "\n" + Unparser.sql(try Parser.parseStatement(example)) + ";\n\n"
        }
        try compare(output, toGolden: "examples.canonical.sql")
    }

    @Test func astOfTrickyStatements() throws {
        var output = ""
        for sql in Self.tricky {
            let statement = try TestSupport.roundTrip(sql)
            output +=
                "-- " + sql.split(separator: "\n").joined(separator: " ") + "\n" + ASTDump.dump(statement) + "\n\n"
        }
        try compare(output, toGolden: "tricky.ast.txt")
    }
}
