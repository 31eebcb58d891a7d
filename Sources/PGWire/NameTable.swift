/// Prepared statements or portals by name. The unnamed one, which most clients use for every statement (pgbench,
/// libpq's PQexecParams, pgjdbc below its prepare threshold, asyncpg), is a stored property: a Bind, Describe,
/// Execute, Sync round hashes no name.
struct NameTable<Value> {
    private var unnamed: Value?
    private var named: [String: Value] = [:]

    subscript(name: String) -> Value? {
        get { name.isEmpty ? unnamed : named[name] }
        // A setter, not a `_modify` coroutine: the coroutine's frame (it holds the dictionary's own) outgrew the
        // caller's inline buffer and was allocated on every Bind. The values are classes, changed through the getter.
        set {
            if name.isEmpty {
                unnamed = newValue
            } else {
                named[name] = newValue
            }
        }
    }

    @discardableResult
    mutating func removeValue(forKey name: String) -> Value? {
        guard name.isEmpty else { return named.removeValue(forKey: name) }
        defer { unnamed = nil }
        return unnamed
    }

    var isEmpty: Bool { unnamed == nil && named.isEmpty }

    /// Empties the table, handing each value to `body` (no array of names or values is built).
    mutating func removeAll(_ body: (Value) -> Void) {
        if let unnamed { body(unnamed) }
        unnamed = nil
        guard !named.isEmpty else { return }
        for value in named.values { body(value) }
        named.removeAll()
    }
}
