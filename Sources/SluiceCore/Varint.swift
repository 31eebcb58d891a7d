/// Zig-zag variable-length integers as Kafka's records use them (protobuf's sint32/sint64 encoding):
/// seven bits a byte, least significant group first, the high bit set on every byte but the last.
public enum Varint {
    /// The most bytes a 64-bit varint takes.
    public static let maxLength = 10

    @inlinable
    public static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    @inlinable
    public static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }

    /// How many bytes `value` takes once zig-zag encoded.
    @inlinable
    public static func encodedLength(_ value: Int64) -> Int {
        var v = zigzag(value)
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }

    /// Writes `value` zig-zag encoded at `pointer` and returns the number of bytes written (at most 10).
    @inlinable
    public static func write(_ value: Int64, to pointer: UnsafeMutableRawPointer) -> Int {
        var v = zigzag(value)
        var i = 0
        while v >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: i, as: UInt8.self)
            v >>= 7
            i += 1
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self)
        return i + 1
    }

    /// Reads a zig-zag varint from `bytes` at `index`, advancing it. Returns nil when the input ends first or the
    /// varint is longer than `maxLength` bytes (malformed input, never a crash).
    @inlinable
    public static func read(_ bytes: UnsafeRawBufferPointer, at index: inout Int) -> Int64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = index
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 {
                index = i
                return unzigzag(result)
            }
            shift += 7
            if shift >= 70 { return nil }
        }
        return nil
    }
}
