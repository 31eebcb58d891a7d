import Relational
import Streams
import SQLSyntax

/// The columns an expression may name: each with the qualifier(s) it answers to (the source name and its alias),
/// its type, and its position in the input row.
struct Scope {
    struct Entry {
        var qualifiers: [String]
        var name: String
        var type: DataType
        var index: Int
        var role: Column.Role
    }

    var entries: [Entry] = []

    /// The row layout of one source: its schema's columns, then the pseudo-columns (ROWTIME, ROWPARTITION,
    /// ROWOFFSET, and WINDOWSTART/WINDOWEND for windowed sources).
    static func forSource(_ source: SourceDescription, alias: String?, offset: Int = 0) -> Scope {
        forSource(source, columns: source.rowColumns, alias: alias, offset: offset)
    }

    /// `forSource` with the source's `rowColumns`, already computed.
    static func forSource(_ source: SourceDescription, columns: [Column], alias: String?, offset: Int = 0) -> Scope {
        var scope = Scope()
        var qualifiers: [String] = []
        qualifiers.reserveCapacity(2)
        qualifiers.append(source.name)
        if let alias { qualifiers.append(alias) }
        scope.entries.reserveCapacity(columns.count)
        for (i, column) in columns.enumerated() {
            scope.entries.append(Entry(qualifiers: qualifiers, name: column.name, type: column.type, index: offset + i, role: column.role))
        }
        return scope
    }

    /// The columns a plan's output exposes, all answering to `qualifier` when given.
    static func forSchema(_ schema: Schema, qualifier: String?) -> Scope {
        var scope = Scope()
        scope.entries.reserveCapacity(schema.count)
        let qualifiers = qualifier.map { [$0] } ?? []  // one array shared by every entry, not one each
        let columns = schema.columns
        for i in columns.indices {
            scope.entries.append(
                Entry(qualifiers: qualifiers, name: columns[i].name, type: columns[i].type, index: i, role: columns[i].role))
        }
        return scope
    }

    var count: Int { entries.count }

    /// The pseudo-columns a pull query does not have.
    static let offsetColumns: Set<String> = ["ROWPARTITION", "ROWOFFSET"]

    func appending(_ other: Scope) -> Scope {
        var merged = self
        let shift = entries.count
        merged.entries.reserveCapacity(entries.count + other.entries.count)
        for var e in other.entries {
            e.index += shift
            merged.entries.append(e)
        }
        return merged
    }

    /// Resolves `qualifier.name` (or a bare `name`): unknown names suggest the closest one, ambiguous bare names
    /// list the sources that have them.
    func resolve(qualifier: Identifier?, name: Identifier) throws(PlanError) -> Entry {
        // Fast path without allocating: the single match, if there is exactly one.
        var match: Int?
        var matches = 0
        for (i, entry) in entries.enumerated() where entry.name.isSameName(as: name.value) {
            if let qualifier, !entry.qualifiers.contains(qualifier.value) { continue }
            matches += 1
            match = i
        }
        if matches == 1, let match { return entries[match] }
        let candidates = entries.filter { entry in
            entry.name == name.value && (qualifier.map { entry.qualifiers.contains($0.value) } ?? true)
        }
        if candidates.count > 1 {
            let sources = candidates.compactMap(\.qualifiers.first).joined(separator: ", ")
            throw PlanError(.ambiguousColumn, "column reference \(name.value) is ambiguous: it is in \(sources)",
                            hint: "qualify it, e.g. \(candidates[0].qualifiers.last ?? "source").\(name.value)", at: name.span)
        }
        if let qualifier, !entries.contains(where: { $0.qualifiers.contains(qualifier.value) }) {
            let known = Set(entries.flatMap(\.qualifiers))
            throw PlanError(.undefinedSource, "\(qualifier.value) is not a source of this query",
                            hint: PlanError.suggestion(for: qualifier.value, among: Array(known)), at: qualifier.span)
        }
        if Self.offsetColumns.contains(name.value) {
            throw PlanError(.featureNotSupported, "\(name.value) is not available in this query",
                            hint: "ROWPARTITION and ROWOFFSET are read by push and persistent queries, not by pull queries",
                            at: name.span)
        }
        let names = Set(entries.filter { e in qualifier.map { e.qualifiers.contains($0.value) } ?? true }.map(\.name))
        let where_ = qualifier.map { " in \($0.value)" } ?? ""
        throw PlanError(.undefinedColumn, "column \(name.value) does not exist\(where_)",
                        hint: PlanError.suggestion(for: name.value, among: Array(names)), at: name.span)
    }
}
