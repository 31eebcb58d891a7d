extension Unparser {
    mutating func write(_ query: Query) {
        if !query.with.isEmpty {
            write("WITH ")
            writeList(query.with) { unparser, cte in
                unparser.write(cte.name)
                unparser.write(" AS (")
                unparser.write(cte.query)
                unparser.write(")")
            }
            write(" ")
        }
        write(query.body)
        if !query.orderBy.isEmpty {
            write(" ORDER BY ")
            writeList(query.orderBy) { $0.write($1) }
        }
        if let emit = query.emit { write(" EMIT " + emit.rawValue) }
        if let limit = query.limit { write(" LIMIT \(limit)") }
        if let offset = query.offset { write(" OFFSET \(offset)") }
    }

    mutating func write(_ body: QueryBody) {
        switch body {
        case .select(let select): write(select)
        case .unionAll(let left, let right):
            write(left)
            write(" UNION ALL ")
            write(right)
        case .nested(let query):
            write("(")
            write(query)
            write(")")
        }
    }

    mutating func write(_ select: Select) {
        write(select.distinct ? "SELECT DISTINCT " : "SELECT ")
        writeList(select.items) { $0.write($1) }
        if let from = select.from {
            write(" FROM ")
            write(from)
        }
        if let window = select.window {
            write(" WINDOW ")
            write(window)
        }
        if let condition = select.whereClause {
            write(" WHERE ")
            write(condition)
        }
        if !select.groupBy.isEmpty {
            write(" GROUP BY ")
            writeList(select.groupBy) { $0.write($1) }
        }
        if !select.partitionBy.isEmpty {
            write(" PARTITION BY ")
            writeList(select.partitionBy) { $0.write($1) }
        }
        if let having = select.having {
            write(" HAVING ")
            write(having)
        }
    }

    mutating func write(_ item: SelectItem) {
        switch item {
        case .wildcard: write("*")
        case .qualifiedWildcard(let qualifier):
            write(qualifier)
            write(".*")
        case .structWildcard(let value):
            write(value, minimum: 10)
            write("->*")
        case .expression(let value, let alias):
            write(value)
            if let alias {
                write(" AS ")
                write(alias)
            }
        }
    }

    mutating func write(_ relation: Relation) {
        switch relation.kind {
        case .source(let name, let alias):
            write(name)
            writeAlias(alias)
        case .subquery(let query, let alias):
            write("(")
            write(query)
            write(")")
            writeAlias(alias)
        case .join(let join): write(join)
        }
    }

    private mutating func writeAlias(_ alias: Identifier?) {
        guard let alias else { return }
        write(" AS ")
        write(alias)
    }

    private mutating func write(_ join: Join) {
        write(join.left)
        switch join.kind {
        case .inner: write(" JOIN ")
        case .left: write(" LEFT JOIN ")
        case .right: write(" RIGHT JOIN ")
        case .full: write(" FULL OUTER JOIN ")
        }
        write(join.right)
        if let within = join.within {
            write(" WITHIN ")
            if let after = within.after {
                write("(")
                write(within.before)
                write(", ")
                write(after)
                write(")")
            } else {
                write(within.before)
            }
            if let grace = within.grace {
                write(" GRACE PERIOD ")
                write(grace)
            }
        }
        write(" ON ")
        write(join.condition)
    }

    mutating func write(_ window: WindowClause) {
        switch window.kind {
        case .tumbling(let size):
            write("TUMBLING (SIZE ")
            write(size)
        case .hopping(let size, let advance):
            write("HOPPING (SIZE ")
            write(size)
            write(", ADVANCE BY ")
            write(advance)
        case .session(let gap):
            write("SESSION (")
            write(gap)
        }
        if let retention = window.retention {
            write(", RETENTION ")
            write(retention)
        }
        if let grace = window.grace {
            write(", GRACE PERIOD ")
            write(grace)
        }
        write(")")
    }
}
