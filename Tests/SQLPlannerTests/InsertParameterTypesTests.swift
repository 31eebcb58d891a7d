import Relational
import SQLSyntax
import Testing

@testable import SQLPlanner

/// `$n` in INSERT … VALUES take their columns' types, as PostgreSQL describes them to drivers.
struct InsertParameterTypesTests {
    static func types(_ sql: String) throws -> [Int: DataType] {
        var catalog = Catalog()
        let create = "CREATE STREAM s (id VARCHAR KEY, n INT, amount DOUBLE, name VARCHAR) "
            + "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1)"
        guard case .createSource(let source, _, _) = try Planner(catalog: catalog).plan(try Parser.parseStatement(create))
        else {
            Issue.record("CREATE STREAM did not plan as a source")
            return [:]
        }
        try catalog.add(source)
        guard case .insertValues(let insert) = try Parser.parseStatement(sql).kind else {
            Issue.record("not an INSERT … VALUES: \(sql)")
            return [:]
        }
        return Planner(catalog: catalog).insertParameterTypes(insert)
    }

    @Test func parametersTakeTheirColumnsTypes() throws {
        #expect(try Self.types("INSERT INTO s (id, n, amount) VALUES ($1, $2, $3)") == [1: .string, 2: .int, 3: .double])
        // Without a column list: every column in order; ROWTIME is BIGINT; later rows agree.
        #expect(try Self.types("INSERT INTO s VALUES ($1, $2, $3, $4), ($5, $2, 1.5, 'x')")
            == [1: .string, 2: .int, 3: .double, 4: .string, 5: .string])
        #expect(try Self.types("INSERT INTO s (ROWTIME, id) VALUES ($1, $2)") == [1: .bigint, 2: .string])
        // Inside an expression, or an unknown target or column: not typed here.
        #expect(try Self.types("INSERT INTO s (id, n) VALUES ($1, $2 + 1)") == [1: .string])
        #expect(try Self.types("INSERT INTO nowhere (id) VALUES ($1)") == [:])
    }

    /// A parameter given to an INT and a VARCHAR column stays untyped (text, which both columns convert), whatever
    /// the order of the columns.
    @Test func aParameterForColumnsOfDifferentTypesStaysText() throws {
        #expect(try Self.types("INSERT INTO s (id, n, name) VALUES ($1, $2, $2)") == [1: .string])
        #expect(try Self.types("INSERT INTO s (id, name, n) VALUES ($1, $2, $2)") == [1: .string])
        #expect(try Self.types("INSERT INTO s (id, n) VALUES ($1, $2), ($2, $1)") == [:])
    }
}
