import Testing

@testable import SQLSyntax

@Suite struct UnparserTests {
    func canonical(_ sql: String) throws -> String { Unparser.sql(try TestSupport.roundTrip(sql)) }

    @Test func canonicalText() throws {
        #expect(
            try canonical("select a+b*c, (a+b)*c, -(-x), a-(b-c), NOT (a AND b) from t")
                == "SELECT A + B * C, (A + B) * C, - -X, A - (B - C), NOT (A AND B) FROM T")
        #expect(
            try canonical("create stream s (id integer key, v varchar) with (kafka_topic='s', partitions=1)")
                == "CREATE STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC = 's', PARTITIONS = 1)")
        #expect(
            try canonical("select * from a left outer join b within 1 hours on a.k = b.k emit changes limit 1")
                == "SELECT * FROM A LEFT JOIN B WITHIN 1 HOUR ON A.K = B.K EMIT CHANGES LIMIT 1")
        #expect(
            try canonical(
                "select k, count(*) from s window tumbling (size 2 minute, grace period 1 seconds) group by k")
                == "SELECT K, COUNT(*) FROM S WINDOW TUMBLING (SIZE 2 MINUTES, GRACE PERIOD 1 SECOND) GROUP BY K")
        #expect(try canonical("list topics") == "SHOW TOPICS")
        #expect(
            try canonical("select replace(a, 'x', 'y'), `replace`(a), `MAP`(a), `CASE`(a) from t")
                == "SELECT REPLACE(A, 'x', 'y'), `replace`(A), `MAP`(A), `CASE`(A) FROM T")
        #expect(try canonical("print foo sample 3") == "PRINT 'foo' INTERVAL 3")
        #expect(
            try canonical("select `key`, `a b`, \"lower\", `it``s` from `SELECT`")
                == "SELECT `key`, `a b`, `lower`, `it``s` FROM `SELECT`")
        #expect(
            try canonical("select transform(m, (k, v) => k || v), filter(a, x => x > 0) from t")
                == "SELECT TRANSFORM(M, (K, V) => K || V), FILTER(A, X => X > 0) FROM T")
        #expect(
            try canonical("select a is null = b, (a = b) is null, a = (b is null) from t")
                == "SELECT A IS NULL = B, A = B IS NULL, A = (B IS NULL) FROM T")
    }

    @Test func identifierQuotingRule() {
        #expect(Unparser.quoted("ORDERS") == "ORDERS")
        #expect(Unparser.quoted("_X1") == "_X1")
        #expect(Unparser.quoted("orders") == "`orders`")
        #expect(Unparser.quoted("1A") == "`1A`")
        #expect(Unparser.quoted("KEY") == "`KEY`")
        #expect(Unparser.quoted("a`b") == "`a``b`")
        #expect(Unparser.quoted("") == "``")
        #expect(Unparser.stringLiteral("it's") == "'it''s'")
    }

    @Test func syntheticASTsUnparse() throws {
        let expression = AST.bin(.multiply, AST.bin(.add, AST.col("A"), AST.int("1")), AST.neg(AST.neg(AST.col("B"))))
        #expect(Unparser.sql(expression) == "(A + 1) * - -B")
        #expect(try Parser.parseExpression(Unparser.sql(expression)) == expression)
        let type = AST.type(.map(key: AST.type(.varchar), value: AST.type(.structure([]))))
        #expect(Unparser.sql(type) == "MAP<STRING, STRUCT<>>")
        #expect(try Parser.parseType(Unparser.sql(type)) == type)
    }
}
