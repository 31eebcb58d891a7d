import Relational
import Streams

/// EXPLAIN's text: one line per operator, children indented under their parent, expressions printed with the
/// names of their input's columns, every node's result kind and output columns.
public enum Explain {
    public static func text(_ plan: LogicalPlan) -> String {
        var lines: [String] = []
        render(plan, indent: "", isLast: true, isRoot: true, into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func render(_ plan: LogicalPlan, indent: String, isLast: Bool, isRoot: Bool, into lines: inout [String]) {
        let branch = isRoot ? "" : (isLast ? "└─ " : "├─ ")
        lines.append(indent + branch + describe(plan))
        let childIndent = isRoot ? "" : indent + (isLast ? "   " : "│  ")
        for (i, input) in plan.inputs.enumerated() {
            render(input, indent: childIndent, isLast: i == plan.inputs.count - 1, isRoot: false, into: &lines)
        }
    }

    static func describe(_ plan: LogicalPlan) -> String {
        let names = inputNames(plan)
        func e(_ x: ScalarExpression) -> String { ExpressionPrinter.text(x, columns: names) }
        let kind = plan.resultKind.rawValue + (plan.window.map { " windowed \($0.type.rawValue)" } ?? "")
        let head: String
        switch plan.op {
        case .source(let source):
            head = "Source \(source.name) topic=\(source.topic) key=\(source.keyFormat) value=\(source.valueFormat)"
        case .filter(let predicate): head = "Filter \(e(predicate))"
        case .project(let exprs):
            head = "Project " + zip(plan.schema.columns, exprs).map { "\($0.name) := \(e($1))" }.joined(separator: ", ")
        case .aggregate(let groupBy, let aggregates, let window):
            let aggs = aggregates.map { a in "\(a.function)(\(a.distinct ? "DISTINCT " : "")\(a.arguments.map(e).joined(separator: ", ")))" }
            head = "Aggregate group by [\(groupBy.map(e).joined(separator: ", "))] compute [\(aggs.joined(separator: ", "))]"
                + (window.map { " window \($0)" } ?? "")
        case .repartition(let keys): head = "Repartition by [\(keys.map(e).joined(separator: ", "))]"
        case .tableFunction(let name, let arguments): head = "TableFunction \(name)(\(arguments.map(e).joined(separator: ", ")))"
        case .join(let join):
            let leftNames = plan.inputs[0].schema.columns.map(\.name)
            let rightNames = plan.inputs[1].schema.columns.map(\.name)
            let keys = zip(join.leftKeys, join.rightKeys).map {
                "\(ExpressionPrinter.text($0, columns: leftNames)) = \(ExpressionPrinter.text($1, columns: rightNames))"
            }
            var text = "Join \(join.kind.rawValue) on [\(keys.joined(separator: ", "))]"
            if let residual = join.residual { text += " and \(ExpressionPrinter.text(residual, columns: leftNames + rightNames))" }
            if let before = join.withinBeforeMs { text += " within [-\(before)ms, +\(join.withinAfterMs ?? before)ms]" }
            if let grace = join.graceMs { text += " grace \(grace)ms" }
            head = text
        case .unionAll: head = "UnionAll"
        case .sort(let keys):
            head = "Sort " + keys.map { "\(e($0.expression)) \($0.descending ? "DESC" : "ASC") NULLS \($0.nullsFirst ? "FIRST" : "LAST")" }.joined(separator: ", ")
        case .limit(let count, let offset):
            head = "Limit" + (count.map { " \($0)" } ?? "") + (offset.map { " offset \($0)" } ?? "")
        }
        return "\(head)  → \(kind) \(columns(plan.schema))"
    }

    /// Names of the columns the node's expressions refer to (its input's, or the concatenation for joins).
    private static func inputNames(_ plan: LogicalPlan) -> [String] {
        if case .aggregate = plan.op { return plan.inputs.first?.schema.columns.map(\.name) ?? [] }
        return plan.inputs.flatMap { $0.schema.columns.map(\.name) }
    }

    public static func columns(_ schema: Schema) -> String {
        "(" + schema.columns.filter { $0.role != .pseudo }.map { column in
            "\(column.name) \(column.type)\(column.role == .key ? " KEY" : "")"
        }.joined(separator: ", ") + ")"
    }
}
