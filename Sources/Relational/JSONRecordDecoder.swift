/// Decodes JSON records (ksqlDB's `JSON` format) into values for a known list of columns.
///
/// - Wrapped (the default, and always with several columns): the record is an object whose keys are
///   matched to column names as ksqlDB does (exactly, else upper-cased; see `JSONFieldTable`); unknown keys
///   are skipped, missing columns are NULL.
/// - Unwrapped (`WRAP_SINGLE_VALUE=false`, and the usual case for a single key column): the record is the
///   bare value of the only column.
/// - The text `null` is a null record: `decode` returns false (a tombstone for a table). An empty record
///   is an error.
///
/// Coercions follow ksqlDB (see `JSONScanner+Values.swift`). Decoding works on the bytes directly: no
/// Foundation, no intermediate tree, no dictionary, no String per key; the only allocations are the values
/// themselves (strings, arrays). The decoder keeps a scratch buffer between records, so reuse one per task.
/// Not thread-safe; cheap to copy before use on another thread.
///
/// Every bad record throws a `RelationalError` whose `path` locates the bad field (`.ORDER.ITEMS[2]`):
/// malformed JSON, a wrong type, an out-of-range number, nesting deeper than `maxDepth`.
public struct JSONRecordDecoder: Sendable {
    public let columns: [(name: String, type: DataType)]
    public let wrapSingleValue: Bool
    public let maxDepth: Int
    let table: JSONFieldTable
    var scratch: [UInt8] = []

    /// - Parameters:
    ///   - columns: the columns this record carries (the value columns, or the key columns), in order.
    ///   - wrapSingleValue: with exactly one column, false reads the record as that column's bare value.
    ///   - maxDepth: the deepest nesting of arrays and objects accepted (the top-level object is depth 1).
    ///   - unread: positions of columns the reader never looks at: STRING ones decode as NULL without building the
    ///     string (the record is still checked, so the same records are rejected).
    /// - Throws: `unsupportedSchema` for a MAP whose keys are not STRING.
    public init(
        columns: [(name: String, type: DataType)], wrapSingleValue: Bool = true, maxDepth: Int = 64, unread: Set<Int> = []
    ) throws(RelationalError) {
        self.columns = columns
        self.wrapSingleValue = wrapSingleValue || columns.count != 1
        self.maxDepth = maxDepth
        self.table = try JSONFieldTable(columns.map { ($0.name, $0.type) }, unread: unread)
    }

    /// Decodes one record into `values` (replacing its contents: one value per column, capacity kept; after an
    /// error the contents are unspecified).
    /// Returns false, leaving `values` empty, for the null record `null`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into values: inout [Value]) throws(RelationalError)
        -> Bool
    {
        var scanner = JSONScanner(bytes, scratch: [], maxDepth: maxDepth)
        swap(&scanner.scratch, &scratch)
        defer { swap(&scanner.scratch, &scratch) }
        scanner.skipWhitespace()
        guard scanner.index < bytes.count else { throw RelationalError(.malformedRecord, "empty JSON record") }
        if bytes[scanner.index] == UInt8(ascii: "n") {
            values.removeAll(keepingCapacity: true)
            try scanner.literal("null")
            try scanner.expectEnd()
            return false
        }
        if wrapSingleValue {
            try decodeObject(&scanner, into: &values)
        } else {
            Self.resetToNulls(&values, count: 1)
            do { values[0] = try scanner.fieldValue(table, 0, depth: 0) } catch { throw error.prefixingPath("$") }
        }
        try scanner.expectEnd()
        return true
    }

    func decodeObject(_ scanner: inout JSONScanner, into values: inout [Value]) throws(RelationalError) {
        let first = bytes(scanner)
        guard first == UInt8(ascii: "{") else {
            var error = scanner.mismatch(first, "STRUCT")
            error.path = "$"
            throw error
        }
        Self.resetToNulls(&values, count: table.count)
        do { try scanner.object(into: &values, table, depth: 1) } catch { throw error.prefixingPath("$") }
    }

    private func bytes(_ scanner: JSONScanner) -> UInt8 { scanner.bytes[scanner.index] }

    /// `count` NULLs, overwriting in place when the array already has that size (the per-record case:
    /// `removeAll(keepingCapacity:)` is a generic range replacement and showed in profiles).
    static func resetToNulls(_ values: inout [Value], count: Int) {
        if values.count == count {
            for index in 0..<count { values[index] = .null }
        } else {
            values.removeAll(keepingCapacity: true)
            values.append(contentsOf: repeatElement(Value.null, count: count))
        }
    }

    /// Convenience over an array of bytes.
    public mutating func decode(_ bytes: [UInt8], into values: inout [Value]) throws(RelationalError) -> Bool {
        let result: Result<Bool, RelationalError> = bytes.withUnsafeBytes { buffer in
            do throws(RelationalError) { return .success(try decode(buffer, into: &values)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
