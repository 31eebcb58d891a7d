/// SQL comparison with NULL semantics, and the total order used by ORDER BY.
///
/// Numbers compare across INT, BIGINT, DECIMAL and DOUBLE by value (exactly between integers and
/// decimals; through Double when either side is DOUBLE, as ksqlDB does). NaN equals NaN and sorts above
/// every other number (PostgreSQL's rule), so comparisons and sorting agree. Strings compare by Unicode
/// code point (UTF-8 byte order), bytes lexicographically, DATE against TIMESTAMP as midnight. Arrays and
/// structs compare element by element. Maps are only equal or unequal (never less or greater).
extension Value {
    /// Where NULLs go in ORDER BY.
    public enum NullOrdering: Sendable {
        case nullsFirst, nullsLast
    }

    /// -1, 0, 1, or nil when the answer is UNKNOWN because a NULL is involved (also inside arrays and
    /// structs, as in SQL's row comparison).
    public static func compare(_ lhs: Value, _ rhs: Value) -> Int? {
        order(lhs, rhs, nulls: nil)
    }

    /// SQL `=`: TRUE, FALSE, or nil (NULL).
    public static func sqlEquals(_ lhs: Value, _ rhs: Value) -> Bool? {
        compare(lhs, rhs).map { $0 == 0 }
    }

    /// `IS NOT DISTINCT FROM`: NULL is not distinct from NULL; never UNKNOWN.
    public static func isNotDistinct(_ lhs: Value, _ rhs: Value) -> Bool {
        order(lhs, rhs, nulls: .nullsLast) == 0
    }

    /// A total order for ORDER BY: NULLs first or last (default last, as PostgreSQL for ascending order),
    /// otherwise `compare`. For descending order negate the result and flip the NULL placement.
    public static func orderingCompare(_ lhs: Value, _ rhs: Value, nulls: NullOrdering = .nullsLast) -> Int {
        order(lhs, rhs, nulls: nulls) ?? 0
    }

    /// The comparison for one ORDER BY key: `ASC`/`DESC` with `NULLS FIRST`/`LAST`, or when `nulls` is nil,
    /// PostgreSQL's default (NULLs sort as if larger than every value: last ascending, first descending).
    public static func orderingCompare(_ lhs: Value, _ rhs: Value, descending: Bool, nulls: NullOrdering? = nil) -> Int
    {
        let placement = nulls ?? (descending ? .nullsFirst : .nullsLast)
        if lhs.isNull || rhs.isNull {
            return orderingCompare(lhs, rhs, nulls: placement)
        }
        let order = orderingCompare(lhs, rhs, nulls: placement)
        return descending ? -order : order
    }

    static func order(_ lhs: Value, _ rhs: Value, nulls: NullOrdering?) -> Int? {
        switch (lhs, rhs) {
        case (.null, .null): return nulls == nil ? nil : 0
        case (.null, _): return nulls.map { $0 == .nullsFirst ? -1 : 1 }
        case (_, .null): return nulls.map { $0 == .nullsFirst ? 1 : -1 }
        default: return orderNonNull(lhs, rhs, nulls: nulls)
        }
    }

    static func orderNonNull(_ lhs: Value, _ rhs: Value, nulls: NullOrdering?) -> Int? {
        switch (lhs, rhs) {
        case (.boolean(let a), .boolean(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.string(let a), .string(let b)): return compareBytes(a.utf8, b.utf8)
        case (.bytes(let a), .bytes(let b)): return compareBytes(a, b)
        case (.date(let a), .date(let b)): return compareInts(Int64(a), Int64(b))
        case (.time(let a), .time(let b)): return compareInts(Int64(a), Int64(b))
        case (.timestamp(let a), .timestamp(let b)): return compareInts(a, b)
        case (.date(let a), .timestamp(let b)): return compareInts(Int64(a) * DateTimeText.msPerDay, b)
        case (.timestamp(let a), .date(let b)): return compareInts(a, Int64(b) * DateTimeText.msPerDay)
        case (.array(let a), .array(let b)): return compareSequences(a, b, nulls: nulls)
        case (.struct(let a), .struct(let b)): return compareSequences(a, b, nulls: nulls)
        case (.map(let a), .map(let b)): return compareMaps(a, b, nulls: nulls)
        default: return compareNumbers(lhs, rhs) ?? compareInts(Int64(lhs.caseRank), Int64(rhs.caseRank))
        }
    }

    static func compareNumbers(_ lhs: Value, _ rhs: Value) -> Int? {
        if let a = lhs.integerValue, let b = rhs.integerValue { return compareInts(a, b) }
        if case .double = lhs, let b = rhs.doubleValue { return compareDoubles(lhs.doubleValue!, b) }
        if case .double = rhs, let a = lhs.doubleValue { return compareDoubles(a, rhs.doubleValue!) }
        if let a = lhs.decimalValue, let b = rhs.decimalValue { return SQLDecimal.compare(a, b) }
        return nil
    }

    static func compareInts(_ a: Int64, _ b: Int64) -> Int { a == b ? 0 : (a < b ? -1 : 1) }

    /// NaN equals NaN and is greater than every other double; -0.0 equals 0.0.
    static func compareDoubles(_ a: Double, _ b: Double) -> Int {
        if a.isNaN || b.isNaN { return a.isNaN ? (b.isNaN ? 0 : 1) : -1 }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    static func compareBytes<C: Collection<UInt8>>(_ a: C, _ b: C) -> Int {
        var left = a.makeIterator()
        var right = b.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    static func compareSequences(_ a: [Value], _ b: [Value], nulls: NullOrdering?) -> Int? {
        for (x, y) in zip(a, b) {
            guard let order = order(x, y, nulls: nulls) else { return nil }
            if order != 0 { return order }
        }
        return compareInts(Int64(a.count), Int64(b.count))
    }

    /// Maps are equal when they hold the same keys with equal values, in any order; unequal maps order
    /// by size and then arbitrarily but consistently (1), since SQL defines no map order.
    static func compareMaps(_ a: [MapEntry], _ b: [MapEntry], nulls: NullOrdering?) -> Int? {
        guard a.count == b.count else { return compareInts(Int64(a.count), Int64(b.count)) }
        for entry in a {
            guard let match = b.first(where: { order($0.key, entry.key, nulls: .nullsLast) == 0 }) else { return 1 }
            guard let order = order(entry.value, match.value, nulls: nulls) else { return nil }
            if order != 0 { return order }
        }
        return 0
    }

    /// Orders values of unrelated cases deterministically (a type-checked plan never compares them).
    var caseRank: Int {
        switch self {
        case .null: 0
        case .boolean: 1
        case .int, .bigint, .double, .decimal: 2
        case .string: 3
        case .bytes: 4
        case .date, .timestamp: 5
        case .time: 6
        case .array: 7
        case .map: 8
        case .struct: 9
        }
    }
}
