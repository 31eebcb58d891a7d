/// One row: its values in schema order. Used at the edges (INSERT VALUES, pull-query results, tests);
/// executors work on `RowBatch`.
public struct Row: Sendable, Hashable, CustomStringConvertible {
    public var values: [Value]

    public init(_ values: [Value]) {
        self.values = values
    }

    public var count: Int { values.count }

    public subscript(index: Int) -> Value {
        get { values[index] }
        set { values[index] = newValue }
    }

    public var description: String {
        "(\(values.map(\.description).joined(separator: ", ")))"
    }
}

extension Row: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Value...) {
        self.values = elements
    }
}
