import Relational
import SluiceCore

/// A compact, self-describing binary encoding of values for state stores and changelogs (not a wire format users
/// see): a tag byte, then the payload. Keys encoded with it compare equal exactly when the values group together.
/// Decoding untrusted bytes never traps: a malformed encoding is an error.
public enum ValueCodec {
    enum Tag: UInt8 {
        case null = 0, falseValue, trueValue, int, bigint, double, decimal, string, bytes, date, time, timestamp, array, map, structure
    }

    public static func encode(_ value: Value, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(Tag.null.rawValue)
        case .boolean(let b): out.append(b ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
        case .int(let v): tagged(.int, v, &out)
        case .bigint(let v): tagged(.bigint, v, &out)
        case .double(let v): tagged(.double, v.bitPattern, &out)
        case .decimal(let d):
            out.append(Tag.decimal.rawValue)
            append(UInt8(truncatingIfNeeded: d.scale), &out)
            append(UInt64(truncatingIfNeeded: d.unscaled >> 64), &out)
            append(UInt64(truncatingIfNeeded: d.unscaled), &out)
        case .string(let s):
            // The UTF-8 view straight into `out`: no array of the string's bytes per value.
            var s = s
            s.withUTF8 { utf8 in
                tagged(.string, UInt32(utf8.count), &out)
                out.append(contentsOf: utf8)
            }
        case .bytes(let b): bytes(.bytes, b, &out)
        case .date(let v): tagged(.date, v, &out)
        case .time(let v): tagged(.time, v, &out)
        case .timestamp(let v): tagged(.timestamp, v, &out)
        case .array(let items):
            tagged(.array, UInt32(items.count), &out)
            for item in items { encode(item, into: &out) }
        case .map(let entries):
            tagged(.map, UInt32(entries.count), &out)
            for entry in entries {
                encode(entry.key, into: &out)
                encode(entry.value, into: &out)
            }
        case .struct(let fields):
            tagged(.structure, UInt32(fields.count), &out)
            for field in fields { encode(field, into: &out) }
        }
    }

    /// Calls `body` with the encoding of `value`; a number's is made on the stack (key lookups encode one key each).
    public static func withEncoded<R>(_ value: Value, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        func fixed<T: FixedWidthInteger>(_ tag: Tag, _ v: T) throws -> R {
            try withUnsafeTemporaryAllocation(byteCount: 1 + MemoryLayout<T>.size, alignment: 1) { buffer in
                buffer[0] = tag.rawValue
                withUnsafeBytes(of: v.bigEndian) {
                    UnsafeMutableRawBufferPointer(rebasing: buffer[1...]).copyMemory(from: $0)
                }
                return try body(UnsafeRawBufferPointer(buffer))
            }
        }
        switch value {
        case .int(let v): return try fixed(.int, v)
        case .bigint(let v): return try fixed(.bigint, v)
        default:
            var out: [UInt8] = []
            encode(value, into: &out)
            return try out.withUnsafeBytes(body)
        }
    }

    public static func encode(_ values: [Value]) -> [UInt8] {
        var out: [UInt8] = []
        for value in values { encode(value, into: &out) }
        return out
    }

    /// Decodes values until the bytes end.
    /// Decodes exactly `columns.count` values, appending value i to `columns[i]`; false (nothing appended) if the
    /// bytes hold another number of values or are corrupt. Repartitioned rows decode this way, with no array per row.
    static func decodeRow(_ bytes: UnsafeRawBufferPointer, into columns: inout [[Value]]) -> Bool {
        var reader = BigEndianReader(bytes)
        var i = 0
        while reader.index < bytes.count {
            guard i < columns.count, let value = try? decode(&reader, depth: 0) else {
                for j in 0..<i { columns[j].removeLast() }
                return false
            }
            columns[i].append(value)
            i += 1
        }
        if i != columns.count {
            for j in 0..<i { columns[j].removeLast() }
            return false
        }
        return true
    }

    /// `expectedCount`: how many values the caller expects (room is made for them at once).
    public static func decodeAll(_ bytes: UnsafeRawBufferPointer, expectedCount: Int = 0) throws(EvaluationError) -> [Value] {
        var reader = BigEndianReader(bytes)
        var values: [Value] = []
        values.reserveCapacity(expectedCount)
        while reader.index < bytes.count { values.append(try decode(&reader, depth: 0)) }
        return values
    }

    static func decode(_ reader: inout BigEndianReader, depth: Int) throws(EvaluationError) -> Value {
        guard depth < 64, let raw = reader.read(UInt8.self), let tag = Tag(rawValue: raw) else { throw corrupt }
        switch tag {
        case .null: return .null
        case .falseValue: return .boolean(false)
        case .trueValue: return .boolean(true)
        case .int: return .int(try need(reader.int32()))
        case .bigint: return .bigint(try need(reader.int64()))
        case .double: return .double(Double(bitPattern: try need(reader.read(UInt64.self))))
        case .decimal:
            let scale = Int(try need(reader.read(UInt8.self)))
            let high = try need(reader.read(UInt64.self))
            let low = try need(reader.read(UInt64.self))
            let unscaled = Int128(Int64(bitPattern: high)) << 64 | Int128(low)
            guard let value = try? SQLDecimal(unscaled: unscaled, scale: scale) else { throw corrupt }
            return .decimal(value)
        case .string:
            // Decoded from the stored bytes in place (short strings are stored inline): no intermediate array.
            let range = try rawRange(&reader)
            return .string(String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[range]), as: UTF8.self))
        case .bytes: return .bytes(try rawBytes(&reader))
        case .date: return .date(try need(reader.int32()))
        case .time: return .time(try need(reader.int32()))
        case .timestamp: return .timestamp(try need(reader.int64()))
        case .array:
            let count = Int(try need(reader.read(UInt32.self)))
            guard count <= reader.bytes.count - reader.index else { throw corrupt }
            var items: [Value] = []
            for _ in 0..<count { items.append(try decode(&reader, depth: depth + 1)) }
            return .array(items)
        case .map:
            let count = Int(try need(reader.read(UInt32.self)))
            guard count <= reader.bytes.count - reader.index else { throw corrupt }
            var entries: [Value.MapEntry] = []
            for _ in 0..<count {
                let key = try decode(&reader, depth: depth + 1)
                entries.append(.init(key, try decode(&reader, depth: depth + 1)))
            }
            return .map(entries)
        case .structure:
            let count = Int(try need(reader.read(UInt32.self)))
            guard count <= reader.bytes.count - reader.index else { throw corrupt }
            var fields: [Value] = []
            for _ in 0..<count { fields.append(try decode(&reader, depth: depth + 1)) }
            return .struct(fields)
        }
    }

    static let corrupt = EvaluationError("XX001", "corrupt state value")

    private static func need<T>(_ value: T?) throws(EvaluationError) -> T {
        guard let value else { throw corrupt }
        return value
    }

    private static func rawBytes(_ reader: inout BigEndianReader) throws(EvaluationError) -> [UInt8] {
        Array(reader.bytes[try rawRange(&reader)])
    }

    /// The range of a length-prefixed payload, which the reader then skips.
    private static func rawRange(_ reader: inout BigEndianReader) throws(EvaluationError) -> Range<Int> {
        let count = Int(try need(reader.read(UInt32.self)))
        guard count <= reader.bytes.count - reader.index else { throw corrupt }
        defer { reader.index += count }
        return reader.index..<reader.index + count
    }

    private static func tagged<T: FixedWidthInteger>(_ tag: Tag, _ value: T, _ out: inout [UInt8]) {
        out.append(tag.rawValue)
        append(value, &out)
    }

    private static func bytes(_ tag: Tag, _ bytes: [UInt8], _ out: inout [UInt8]) {
        tagged(tag, UInt32(bytes.count), &out)
        out += bytes
    }

    private static func append<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }
}
