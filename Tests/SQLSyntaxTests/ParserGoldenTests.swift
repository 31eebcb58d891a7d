import Testing

@testable import SQLSyntax

/// Hand-written expected ASTs for statements whose shape is easy to get wrong: precedence, quoting,
/// joins, windows, DDL. Each is also round-tripped through the unparser.
@Suite struct ParserGoldenTests {
    func expression(_ sql: String) throws -> Expr {
        let statement = try TestSupport.roundTrip("SELECT \(sql) FROM t")
        return try #require(AST.firstItem(statement))
    }

    // MARK: - Precedence

    @Test func arithmeticPrecedenceAndLeftAssociativity() throws {
        #expect(
            try expression("a + b * c - d")
                == AST.bin(
                    .subtract,
                    AST.bin(
                        .add, AST.col("A"),
                        AST.bin(.multiply, AST.col("B"), AST.col("C"))), AST.col("D")))
        #expect(
            try expression("a - (b - c)")
                == AST.bin(
                    .subtract, AST.col("A"),
                    AST.bin(.subtract, AST.col("B"), AST.col("C"))))
        #expect(
            try expression("a / b % c")
                == AST.bin(
                    .modulo, AST.bin(.divide, AST.col("A"), AST.col("B")),
                    AST.col("C")))
    }

    @Test func booleanPrecedence() throws {
        #expect(
            try expression("NOT a = b AND c OR d")
                == AST.bin(
                    .or,
                    AST.bin(
                        .and,
                        AST.not(AST.bin(.equal, AST.col("A"), AST.col("B"))), AST.col("C")), AST.col("D")))
        #expect(try expression("a OR b AND c") == AST.bin(.or, AST.col("A"), AST.bin(.and, AST.col("B"), AST.col("C"))))
        #expect(try expression("a AND NOT b") == AST.bin(.and, AST.col("A"), AST.not(AST.col("B"))))
    }

    @Test func concatenationBindsBetweenComparisonAndAddition() throws {
        #expect(
            try expression("a || b = c + d || e")
                == AST.bin(
                    .equal,
                    AST.bin(.concat, AST.col("A"), AST.col("B")),
                    AST.bin(.concat, AST.bin(.add, AST.col("C"), AST.col("D")), AST.col("E"))))
    }

    @Test func betweenTakesItsAndBeforeTheBooleanAnd() throws {
        let expected = AST.bin(
            .and, Expr(.between(AST.col("A"), low: AST.int("1"), high: AST.int("2"), negated: false)),
            AST.col("B"))
        #expect(try expression("a BETWEEN 1 AND 2 AND b") == expected)
    }

    @Test func unaryMinusBindsLooserThanPostfix() throws {
        let expected = AST.neg(
            Expr(
                .dereference(
                    Expr(.subscript(AST.col("X"), index: AST.int("1"))),
                    field: "F")))
        #expect(try expression("-x[1]->f") == expected)
        #expect(try expression("(-x)[1]") == Expr(.subscript(AST.neg(AST.col("X")), index: AST.int("1"))))
    }

    @Test func predicates() throws {
        #expect(
            try expression("a NOT LIKE 'x%' ESCAPE '!'")
                == Expr(
                    .like(
                        AST.col("A"), pattern: AST.str("x%"),
                        escape: AST.str("!"), negated: true)))
        #expect(
            try expression("a NOT IN (1, 2)")
                == Expr(
                    .inList(
                        AST.col("A"), [AST.int("1"), AST.int("2")],
                        negated: true)))
        #expect(
            try expression("a IS NOT DISTINCT FROM b + 1")
                == Expr(
                    .isDistinctFrom(
                        AST.col("A"),
                        AST.bin(.add, AST.col("B"), AST.int("1")), negated: true)))
        #expect(
            try expression("a = b IS NULL")
                == Expr(
                    .isNull(
                        AST.bin(.equal, AST.col("A"), AST.col("B")),
                        negated: false)))
    }

    // MARK: - Literals and names

    @Test func literalsKeepTheirText() throws {
        #expect(try expression("1.50") == Expr(.literal(.decimal("1.50"))))
        #expect(try expression("1.5E3") == Expr(.literal(.double("1.5E3"))))
        #expect(try expression("'it''s'") == AST.str("it's"))
        #expect(try expression("123456789012345678901234567890") == AST.int("123456789012345678901234567890"))
        #expect(try expression("-5") == AST.neg(AST.int("5")))
        #expect(try expression("$2") == Expr(.parameter(2)))
        #expect(try expression("NULL") == Expr(.literal(.null)))
    }

    @Test func identifierQuoting() throws {
        let statement = try TestSupport.roundTrip(
            "SELECT `Mixed`, \"dq\", plain, `a``b`, t.`KEY`, rowtime FROM `My-Stream` AS s")
        let expected = AST.query(
            Select(
                items: [
                    AST.item(AST.col("Mixed")), AST.item(AST.col("dq")), AST.item(AST.col("PLAIN")),
                    AST.item(AST.col("a`b")), AST.item(AST.col("KEY", "T")), AST.item(AST.col("ROWTIME")),
                ],
                from: AST.source("My-Stream", "S")))
        #expect(statement == expected)
        #expect(
            Unparser.sql(statement) == "SELECT `Mixed`, `dq`, PLAIN, `a``b`, T.`KEY`, ROWTIME FROM `My-Stream` AS S")
    }

    @Test func constructorsCastCaseAndLambdas() throws {
        #expect(try expression("MAP('a' := 1)") == Expr(.map([Expr.MapEntry(key: AST.str("a"), value: AST.int("1"))])))
        #expect(
            try expression("STRUCT(x := 1)") == Expr(.structure([Expr.StructField(name: "X", value: AST.int("1"))])))
        #expect(try expression("ARRAY[]") == Expr(.array([])))
        #expect(
            try expression("CAST(a AS DECIMAL(10, 2))")
                == Expr(
                    .cast(
                        AST.col("A"),
                        AST.type(.decimal(precision: 10, scale: 2)))))
        #expect(
            try expression("CASE a WHEN 1 THEN 'x' END")
                == Expr(
                    .caseWhen(
                        operand: AST.col("A"),
                        whens: [Expr.WhenClause(condition: AST.int("1"), result: AST.str("x"))], elseResult: nil)))
        let lambda = Expr(.lambda(parameters: ["K", "V"], body: AST.bin(.concat, AST.col("K"), AST.col("V"))))
        #expect(try expression("TRANSFORM(m, (k, v) => k || v)") == AST.call("TRANSFORM", [AST.col("M"), lambda]))
        #expect(
            try expression("FILTER(a, x => x > 1)")
                == AST.call(
                    "FILTER",
                    [
                        AST.col("A"),
                        Expr(.lambda(parameters: ["X"], body: AST.bin(.greaterThan, AST.col("X"), AST.int("1")))),
                    ]))
    }

    @Test func functionCalls() throws {
        #expect(try expression("COUNT(*)") == AST.call("COUNT", [], star: true))
        #expect(try expression("count(DISTINCT x)") == AST.call("COUNT", [AST.col("X")], distinct: true))
        let over = WindowSpecification(
            partitionBy: [AST.col("A")],
            orderBy: [SortItem(AST.col("B"), direction: .descending)])
        #expect(
            try expression("ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC)")
                == AST.call(
                    "ROW_NUMBER", [],
                    over: over))
        #expect(
            try expression("replace(a, 'x', 'y')") == AST.call("REPLACE", [AST.col("A"), AST.str("x"), AST.str("y")]))
    }

    // MARK: - Joins and windows

    @Test func joinsAreLeftDeepWithWithinAndGrace() throws {
        let statement = try TestSupport.roundTrip(
            """
            SELECT * FROM a x LEFT OUTER JOIN b y WITHIN (1 SECOND, 2 MINUTES) GRACE PERIOD 3 HOURS
              ON x.id = y.id AND x.v > y.v
            JOIN c ON c.k = x.id EMIT CHANGES
            """)
        let first = Join(
            kind: .left, left: AST.source("A", "X"), right: AST.source("B", "Y"),
            within: WithinClause(
                before: AST.duration(1, .seconds), after: AST.duration(2, .minutes),
                grace: AST.duration(3, .hours)),
            condition: AST.bin(
                .and, AST.bin(.equal, AST.col("ID", "X"), AST.col("ID", "Y")),
                AST.bin(.greaterThan, AST.col("V", "X"), AST.col("V", "Y"))))
        let second = Join(
            kind: .inner, left: Relation(.join(first)), right: AST.source("C"),
            condition: AST.bin(.equal, AST.col("K", "C"), AST.col("ID", "X")))
        let expected = AST.query(Select(items: [.wildcard(.synthetic)], from: Relation(.join(second))), emit: .changes)
        #expect(statement == expected)
    }

    @Test func windows() throws {
        let statement = try TestSupport.roundTrip(
            """
            SELECT id, COUNT(*) FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS,
              GRACE PERIOD 1 MINUTE, RETENTION 7 DAYS) WHERE v > 0 GROUP BY id HAVING COUNT(*) > 2 EMIT FINAL LIMIT 3
            """)
        let window = WindowClause(
            .hopping(size: AST.duration(30, .seconds), advance: AST.duration(10, .seconds)),
            retention: AST.duration(7, .days), grace: AST.duration(1, .minutes))
        let expected = AST.query(
            Select(
                items: [AST.item(AST.col("ID")), AST.item(AST.call("COUNT", [], star: true))], from: AST.source("S"),
                window: window, whereClause: AST.bin(.greaterThan, AST.col("V"), AST.int("0")),
                groupBy: [AST.col("ID")],
                having: AST.bin(.greaterThan, AST.call("COUNT", [], star: true), AST.int("2"))), emit: .final, limit: 3)
        #expect(statement == expected)
        let session = try TestSupport.roundTrip("SELECT k, COUNT(*) FROM s WINDOW SESSION (5 MINUTES) GROUP BY k")
        guard case .query(let query) = session.kind, case .select(let select) = query.body else {
            Issue.record("not a query")
            return
        }
        #expect(select.window == WindowClause(.session(gap: AST.duration(5, .minutes))))
        #expect(query.emit == nil)
    }

    // MARK: - Statements

    @Test func createStreamWithConstraintsAndProperties() throws {
        let statement = try TestSupport.roundTrip(
            """
            create or replace stream s (k STRING KEY, h ARRAY<STRUCT<key STRING, value BYTES>> HEADERS,
              t BYTES HEADER('trace-id'), m MAP<STRING, DECIMAL(4, 2)>, a address)
            WITH (kafka_topic='s', 'value.format'='JSON', PARTITIONS=-3, WRAP_SINGLE_VALUE=false)
            """)
        let header = AST.type(
            .structure([
                TypeName.Field(name: "KEY", type: AST.type(.varchar)),
                TypeName.Field(name: "VALUE", type: AST.type(.bytes)),
            ]))
        let expected = Statement(
            .createSource(
                Statement.CreateSource(
                    kind: .stream, orReplace: true, name: "S",
                    elements: [
                        Statement.TableElement(name: "K", type: AST.type(.varchar), constraint: .key),
                        Statement.TableElement(name: "H", type: AST.type(.array(header)), constraint: .headers),
                        Statement.TableElement(name: "T", type: AST.type(.bytes), constraint: .header("trace-id")),
                        Statement.TableElement(
                            name: "M",
                            type: AST.type(
                                .map(
                                    key: AST.type(.varchar),
                                    value: AST.type(.decimal(precision: 4, scale: 2))))),
                        Statement.TableElement(name: "A", type: AST.type(.named("ADDRESS"))),
                    ],
                    properties: [
                        Statement.Property(name: "KAFKA_TOPIC", value: .string("s")),
                        Statement.Property(name: "value.format", nameIsString: true, value: .string("JSON")),
                        Statement.Property(name: "PARTITIONS", value: .integer("-3")),
                        Statement.Property(name: "WRAP_SINGLE_VALUE", value: .boolean(false)),
                    ])))
        #expect(statement == expected)
    }

    @Test func createTableAsSelectAndInsert() throws {
        let ctas = try TestSupport.roundTrip(
            "CREATE TABLE IF NOT EXISTS agg WITH (KAFKA_TOPIC='agg') AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;")
        guard case .createAsSelect(let create) = ctas.kind else {
            Issue.record("not CTAS: \(ctas)")
            return
        }
        #expect(create.kind == .table && create.ifNotExists && create.name == "AGG")
        #expect(create.properties == [Statement.Property(name: "KAFKA_TOPIC", value: .string("agg"))])
        #expect(
            create.query.body
                == .select(
                    Select(
                        items: [AST.item(AST.col("K")), AST.item(AST.call("COUNT", [], star: true), "N")],
                        from: AST.source("S"), groupBy: [AST.col("K")])))

        let values = try TestSupport.roundTrip("INSERT INTO foo (ROWTIME, k) VALUES (1, 'a'), (2, NULL)")
        #expect(
            values
                == Statement(
                    .insertValues(
                        Statement.InsertValues(
                            target: "FOO", columns: ["ROWTIME", "K"],
                            rows: [[AST.int("1"), AST.str("a")], [AST.int("2"), Expr(.literal(.null))]]))))

        let select = try TestSupport.roundTrip("INSERT INTO out WITH (QUERY_ID='Q1') SELECT * FROM a")
        guard case .insertSelect(let insert) = select.kind else {
            Issue.record("not INSERT … SELECT")
            return
        }
        #expect(insert.target == "OUT" && insert.properties.map(\.name) == ["QUERY_ID"])
    }

    @Test func administrativeStatements() throws {
        let cases: [(String, Statement.Kind)] = [
            ("SHOW ALL TOPICS EXTENDED", .show(Statement.Show(.topics, all: true, extended: true))),
            ("list streams", .show(Statement.Show(.streams))),
            ("DESCRIBE STREAMS EXTENDED", .describe(.streams(extended: true))),
            ("DESCRIBE orders EXTENDED", .describe(.source("ORDERS", extended: true))),
            ("DESCRIBE `STREAMS`", .describe(.source("STREAMS", extended: false))),
            ("DESCRIBE EXTENDED orders", .describe(.source("ORDERS", extended: true))),
            ("DESCRIBE extended", .describe(.source("EXTENDED", extended: false))),
            ("DESCRIBE FUNCTION topk", .describe(.function("TOPK"))),
            (
                "PRINT my_Topic FROM BEGINNING SAMPLE 2 LIMIT 10",
                .printTopic(Statement.PrintTopic(topic: "my_Topic", fromBeginning: true, interval: 2, limit: 10))
            ),
            ("TERMINATE ALL", .terminate(.all)),
            ("PAUSE CTAS_X_1", .pause(.query("CTAS_X_1"))),
            ("SET 'a.b'='c'", .setProperty(name: "a.b", value: "c")),
            ("UNSET 'a.b'", .unsetProperty(name: "a.b")),
            ("DEFINE topic = 'orders'", .define(name: "TOPIC", value: "orders")),
            ("UNDEFINE topic", .undefine("TOPIC")),
            (
                "DROP TABLE IF EXISTS t DELETE TOPIC",
                .dropSource(Statement.DropSource(kind: .table, ifExists: true, name: "T", deleteTopic: true))
            ),
            ("DROP TYPE address", .dropType(Statement.DropType(name: "ADDRESS"))),
            ("EXPLAIN q1", .explain(.queryID("Q1"))),
            (
                "EXPLAIN DROP STREAM s",
                .explain(
                    .statement(
                        Statement(
                            .dropSource(
                                Statement.DropSource(kind: .stream, name: "S")))))
            ),
            ("RUN SCRIPT 'x.sql'", .runScript(path: "x.sql")),
            (
                "DELETE FROM users WHERE id = 1",
                .delete(
                    Statement.Delete(
                        target: "USERS",
                        whereClause: AST.bin(.equal, AST.col("ID"), AST.int("1"))))
            ),
            (
                "ALTER TABLE t ADD a INT, ADD COLUMN b STRING",
                .alterSource(
                    Statement.AlterSource(
                        kind: .table, name: "T",
                        addedColumns: [
                            Statement.TableElement(name: "A", type: AST.type(.int)),
                            Statement.TableElement(name: "B", type: AST.type(.varchar)),
                        ]))
            ),
            (
                "ASSERT NOT EXISTS TOPIC 'x' TIMEOUT 3 SECONDS",
                .assertTopic(
                    Statement.AssertTopic(
                        notExists: true, topic: "x", timeout: AST.duration(3, .seconds)))
            ),
            (
                "ASSERT NULL VALUES out (id) KEY (1)",
                .assertValues(
                    Statement.AssertValues(
                        isNull: true, source: "OUT", columns: ["ID"], values: [AST.int("1")]))
            ),
            (
                "CREATE TYPE point AS STRUCT<x DOUBLE, y DOUBLE>",
                .createType(
                    Statement.CreateType(
                        name: "POINT",
                        type: AST.type(
                            .structure([
                                TypeName.Field(name: "X", type: AST.type(.double)),
                                TypeName.Field(name: "Y", type: AST.type(.double)),
                            ]))))
            ),
        ]
        for (sql, kind) in cases {
            #expect(try TestSupport.roundTrip(sql).kind == kind, "\(sql)")
        }
    }

    @Test func queriesWithCTEsUnionsOrderAndOffset() throws {
        let statement = try TestSupport.roundTrip(
            """
            WITH big AS (SELECT * FROM o WHERE amount > 100)
            SELECT id FROM big UNION ALL SELECT id FROM (SELECT id FROM small) AS s
            ORDER BY id DESC NULLS LAST LIMIT 5 OFFSET 10
            """)
        guard case .query(let query) = statement.kind else {
            Issue.record("not a query")
            return
        }
        #expect(query.with.map(\.name) == ["BIG"])
        #expect(query.orderBy == [SortItem(AST.col("ID"), direction: .descending, nulls: .last)])
        #expect(query.limit == 5 && query.offset == 10 && query.emit == nil)
        guard case .unionAll(.select(let left), .select(let right)) = query.body else {
            Issue.record("not a union of two selects: \(query.body)")
            return
        }
        #expect(left.from == AST.source("BIG"))
        guard case .subquery(let inner, let alias)? = right.from?.kind else {
            Issue.record("no subquery")
            return
        }
        #expect(
            alias == "S"
                && inner.body
                    == .select(
                        Select(
                            items: [AST.item(AST.col("ID"))],
                            from: AST.source("SMALL")))
        )
    }

    // MARK: - Spans

    @Test func spansPointAtTheSource() throws {
        let statement = try Parser.parseStatement("SELECT a,\n  bb + 1 AS c\nFROM t")
        #expect(statement.span.start.offset == 0)
        #expect(statement.span.end.offset == 30)
        guard case .query(let query) = statement.kind, case .select(let select) = query.body,
            case .expression(let sum, let alias?) = select.items[1]
        else {
            Issue.record("unexpected AST")
            return
        }
        #expect(sum.span.start == SourceLocation(offset: 12, line: 2, column: 3))
        #expect(sum.span.end == SourceLocation(offset: 18, line: 2, column: 9))
        #expect(alias.span.start == SourceLocation(offset: 22, line: 2, column: 13))
        #expect(select.from?.span.start.line == 3)
    }
}
