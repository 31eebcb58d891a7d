/// Bounds-checked big-endian reads from a buffer, for decoding untrusted bytes: every read returns nil past the
/// end instead of trapping.
public struct BigEndianReader {
    public let bytes: UnsafeRawBufferPointer
    public var index: Int

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    @inlinable
    public mutating func read<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard bytes.count - index >= MemoryLayout<T>.size else { return nil }
        defer { index += MemoryLayout<T>.size }
        return bytes.loadBigEndian(at: index, as: T.self)
    }

    @inlinable
    public mutating func int16() -> Int16? { read(Int16.self) }
    @inlinable
    public mutating func int32() -> Int32? { read(Int32.self) }
    @inlinable
    public mutating func int64() -> Int64? { read(Int64.self) }

    /// A Kafka STRING / NULLABLE_STRING: an Int16 length then UTF-8 bytes, length -1 meaning null. Returns nil
    /// when the input ends early and `.some(nil)` for a null string.
    @inlinable
    public mutating func string() -> String?? {
        guard let length = int16() else { return nil }
        if length < 0 { return .some(nil) }
        guard bytes.count - index >= Int(length) else { return nil }
        defer { index += Int(length) }
        return .some(String(decoding: bytes[index..<index + Int(length)], as: UTF8.self))
    }
}
