import Foundation
import Relational
import Streams
import SQLSyntax
import Testing

@testable import SQLPlanner

/// Plans every statement of Golden/plans.sql against Golden/catalog.sql and compares the EXPLAIN text (or the error
/// with its SQLSTATE) with Golden/plans.golden. Set SQLPLANNER_UPDATE_GOLDEN=1 to rewrite the golden file on purpose.
@Suite struct PlannerGoldenTests {
    static let directory = String(#filePath.dropLast("PlannerGoldenTests.swift".count)) + "Golden/"

    static func catalog() throws -> Catalog {
        var catalog = Catalog()
        let setup = try String(contentsOfFile: directory + "catalog.sql", encoding: .utf8)
        for statement in try Parser.parse(setup) {
            guard case .createSource(let description, _, _) = try Planner(catalog: catalog).plan(statement) else {
                Issue.record("catalog.sql holds a statement that is not CREATE STREAM/TABLE")
                continue
            }
            try catalog.add(description)
        }
        // A stream with the same columns as orders, for INSERT INTO … SELECT.
        var copy = catalog.sources["ORDERS"]!
        copy.name = "BIG_ORDERS_COPY"
        try catalog.add(copy)
        return catalog
    }

    static func entries() throws -> [String] {
        let text = try String(contentsOfFile: directory + "plans.sql", encoding: .utf8)
        return text.components(separatedBy: "\n\n")
            .map { $0.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n") }
            .filter { !$0.isEmpty }
    }

    /// The entries as the engine parses them: `${name}` replaced by the value of the DEFINE before it (SQLEngine
    /// substitutes session variables before parsing, and DEFINE/UNDEFINE change them). An entry with an undefined
    /// reference stays as written, so that its error shows in the golden file.
    static func substituted(_ entries: [String]) -> [String] {
        var variables: [String: String] = [:]
        return entries.map { entry in
            let text = (try? VariableSubstitution.substitute(entry, variables: variables)) ?? entry
            switch (try? Parser.parseStatement(text))?.kind {
            case .define(let name, let value)?: variables[name.value] = value
            case .undefine(let name)?: variables[name.value] = nil
            default: break
            }
            return text
        }
    }

    static func render(_ sql: String, catalog: Catalog) -> String {
        do {
            let statement = try Parser.parseStatement(sql)
            switch try Planner(catalog: catalog).plan(statement) {
            case .pushQuery(let plan):
                return "Push query\n" + Explain.text(plan) + "\nDataflow:\n" + StreamPlanner.lower(plan, queryID: "Q").text
            case .pullQuery(let plan): return "Pull query\n" + Explain.text(plan)
            case .createAsSelect(let sink, let plan, let orReplace, let ifNotExists):
                let windowed = sink.windowType.map { " windowed " + $0.rawValue } ?? ""
                return "\(creating(sink, orReplace: orReplace, ifNotExists: ifNotExists)) topic=\(sink.topic)"
                    + " partitions=\(sink.partitions) key=\(sink.keyFormat) value=\(sink.valueFormat)\(windowed)"
                    + " \(Explain.columns(sink.schema))\n" + Explain.text(plan)
            case .insertSelect(let target, let plan): return "Insert into \(target.name)\n" + Explain.text(plan)
            case .createSource(let source, let orReplace, let ifNotExists):
                return creating(source, orReplace: orReplace, ifNotExists: ifNotExists) + " "
                    + Explain.columns(source.schema)
            case .explain(let text): return "EXPLAIN\n" + text
            case .insertValues(let target, let rows):
                let columns = target.schema.columns.map(\.name)
                return "Insert into \(target.name) " + rows.map { row in
                    "(" + zip(columns, row.values).map { "\($0)=\($1)" }.joined(separator: ", ") + (row.rowtime.map { ", ROWTIME=\($0)" } ?? "") + ")"
                }.joined(separator: " ")
            case .delete(let target, let predicate):
                return "Delete from \(target.name) where \(ExpressionPrinter.text(predicate, columns: target.schema.columns.map(\.name) + ["ROWTIME", "ROWPARTITION", "ROWOFFSET"]))"
            case .createType(let name, let type, _): return "Create type \(name) AS \(type)"
            case .command(let statement): return "Command: \(Unparser.sql(statement))"
            }
        } catch let error as PlanError {
            return "ERROR \(error.sqlState): \(error.message)" + (error.hint.map { " — hint: \($0)" } ?? "")
        } catch {
            return "SYNTAX ERROR: \(error)"
        }
    }

    /// `Create [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] NAME`: the flags the engine acts on.
    static func creating(_ source: SourceDescription, orReplace: Bool, ifNotExists: Bool) -> String {
        "Create " + (orReplace ? "OR REPLACE " : "") + (source.isReadOnly ? "SOURCE " : "") + source.kind.rawValue
            + (ifNotExists ? " IF NOT EXISTS " : " ") + source.name
    }

    /// The source columns a query never reads, which the JSON decoder may skip: none that a filter, projection,
    /// aggregation or join mentions, or that leaves the plan.
    @Test func unreadSourceColumns() throws {
        let catalog = try Self.catalog()
        func unread(_ sql: String, topic: String = "orders") throws -> [String] {
            guard case .pushQuery(let plan) = try Planner(catalog: catalog).plan(try Parser.parseStatement(sql)) else {
                Issue.record("not a push query: \(sql)")
                return []
            }
            let dataflow = StreamPlanner.lower(plan, queryID: "Q")
            let source = try #require(dataflow.nodes.first { if case .source(let b) = $0.op { b.topic == topic } else { false } })
            return dataflow.unreadColumns(of: source.id).sorted().map { source.schema[$0].name }
        }
        let orderColumns = ["ORDER_ID", "USER_ID", "ITEM", "AMOUNT", "QTY", "PRICE", "TAGS", "ADDRESS", "TS", "ROWTIME", "ROWPARTITION", "ROWOFFSET"]
        #expect(try unread("SELECT item, amount * 2 AS a FROM orders WHERE qty > 1 EMIT CHANGES;")
            == orderColumns.filter { !["ITEM", "AMOUNT", "QTY"].contains($0) })
        #expect(try unread("SELECT * FROM orders EMIT CHANGES;") == ["ROWTIME", "ROWPARTITION", "ROWOFFSET"])
        #expect(try unread("SELECT order_id, SUM(amount) FROM orders WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY order_id EMIT CHANGES;")
            == orderColumns.filter { !["ORDER_ID", "AMOUNT"].contains($0) })
        // Re-keyed first (USER_ID is not the key): the repartition writes whole rows.
        #expect(try unread("SELECT user_id, SUM(amount) FROM orders GROUP BY user_id EMIT CHANGES;") == [])
        // Re-keyed for the join: whole rows again.
        #expect(try unread("SELECT o.item FROM orders o JOIN users u ON o.user_id = u.user_id EMIT CHANGES;") == [])
        // A join reads its keys and residual condition, and passes on what its consumers read of each side.
        let join = "SELECT o.item, p.amount FROM orders o JOIN payments p WITHIN 1 HOUR ON o.order_id = p.order_id"
            + " AND p.amount < o.amount WHERE o.qty > 1 EMIT CHANGES;"
        #expect(try unread(join) == orderColumns.filter { !["ORDER_ID", "ITEM", "AMOUNT", "QTY"].contains($0) })
        // The payments side is re-keyed by ORDER_ID first, so its rows stay whole.
        #expect(try unread(join, topic: "payments") == [])
        // A join whose output goes to the client as a whole reads every column.
        #expect(try unread("SELECT o.*, p.payment_id FROM orders o JOIN payments p WITHIN 1 HOUR ON o.order_id = p.order_id EMIT CHANGES;")
            == ["ROWTIME", "ROWPARTITION", "ROWOFFSET"])
    }

    @Test func plansMatchTheGoldenFile() throws {
        let catalog = try Self.catalog()
        let entries = try Self.entries()
        #expect(entries.count >= 150)
        let actual = zip(entries, Self.substituted(entries))
            .map { "> \($0)\n\(Self.render($1, catalog: catalog))" }.joined(separator: "\n\n") + "\n"
        let goldenPath = Self.directory + "plans.golden"
        if Environment.update {
            try actual.write(toFile: goldenPath, atomically: true, encoding: .utf8)
            return
        }
        let expected = (try? String(contentsOfFile: goldenPath, encoding: .utf8)) ?? ""
        if actual != expected {
            let a = actual.components(separatedBy: "\n")
            let e = expected.components(separatedBy: "\n")
            let first = Array(zip(a, e)).firstIndex { $0.0 != $0.1 } ?? min(a.count, e.count)
            Issue.record("plans differ from plans.golden at line \(first + 1):\n  expected: \(first < e.count ? e[first] : "<end>")\n  actual:   \(first < a.count ? a[first] : "<end>")")
        }
    }

    @Test func everyErrorCarriesASQLSTATEAndNoStatementCrashes() throws {
        let catalog = try Self.catalog()
        for entry in Self.substituted(try Self.entries()) {
            let text = Self.render(entry, catalog: catalog)
            #expect(!text.hasPrefix("SYNTAX ERROR"), "\(entry) should parse: \(text)")
        }
    }
}

extension PlannerGoldenTests {
    /// `parse(unparse(ast)) == ast`, with the canonical text a fixed point, for every statement of catalog.sql and
    /// plans.sql (as the engine parses it). Entries that do not parse are skipped: the test above already requires
    /// every entry to parse.
    @Test func everyStatementRoundTripsThroughTheUnparser() throws {
        let setup = try Parser.parse(try String(contentsOfFile: Self.directory + "catalog.sql", encoding: .utf8))
        let entries = Self.substituted(try Self.entries()).compactMap { try? Parser.parseStatement($0) }
        #expect(setup.count >= 6)
        #expect(entries.count >= 150)
        for statement in setup + entries {
            let canonical = Unparser.sql(statement)
            let reparsed: Statement
            do {
                reparsed = try Parser.parseStatement(canonical)
            } catch {
                Issue.record("canonical text does not parse: \(canonical)\n\(error)")
                continue
            }
            #expect(reparsed == statement, "round trip changed the AST of: \(canonical)")
            #expect(Unparser.sql(reparsed) == canonical, "canonical text is not a fixed point: \(canonical)")
        }
    }
}

enum Environment {
    static var update: Bool { ProcessInfo.processInfo.environment["SQLPLANNER_UPDATE_GOLDEN"] == "1" }
}
