import NIOCore

// MARK: - Primitive reads
// Every read is bounds-checked and throws `KafkaWireError` instead of trapping. Lengths and counts from the
// wire are checked against the bytes left before anything is read; nothing is preallocated from a length.
// Encodings: Kafka's clients/src/main/resources/common/message/README.md ("Serialization", "Flexible Versions").

extension ByteBuffer {
    @inline(__always)
    mutating func kafkaReadInteger<T: FixedWidthInteger>(_: T.Type) throws(KafkaWireError) -> T {
        guard let value = readInteger(as: T.self) else {
            throw KafkaWireError(.truncated, "expected \(MemoryLayout<T>.size) bytes, \(readableBytes) left")
        }
        return value
    }

    mutating func kafkaReadBool() throws(KafkaWireError) -> Bool { try kafkaReadInteger(UInt8.self) != 0 }
    mutating func kafkaReadInt8() throws(KafkaWireError) -> Int8 { try kafkaReadInteger(Int8.self) }
    mutating func kafkaReadInt16() throws(KafkaWireError) -> Int16 { try kafkaReadInteger(Int16.self) }
    mutating func kafkaReadUInt16() throws(KafkaWireError) -> UInt16 { try kafkaReadInteger(UInt16.self) }
    mutating func kafkaReadInt32() throws(KafkaWireError) -> Int32 { try kafkaReadInteger(Int32.self) }
    mutating func kafkaReadInt64() throws(KafkaWireError) -> Int64 { try kafkaReadInteger(Int64.self) }
    mutating func kafkaReadFloat64() throws(KafkaWireError) -> Double {
        Double(bitPattern: try kafkaReadInteger(UInt64.self))
    }
    mutating func kafkaReadUUID() throws(KafkaWireError) -> KafkaUUID {
        let high = try kafkaReadInteger(UInt64.self)
        return KafkaUUID(high: high, low: try kafkaReadInteger(UInt64.self))
    }

    /// An unsigned varint of at most 5 bytes (Kafka's `readUnsignedVarint`).
    mutating func kafkaReadUnsignedVarint() throws(KafkaWireError) -> UInt32 {
        var result: UInt32 = 0
        for shift in stride(from: 0, through: 28, by: 7) {
            let byte = try kafkaReadInteger(UInt8.self)
            result |= UInt32(byte & 0x7F) << UInt32(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw KafkaWireError(.malformed, "unsigned varint longer than 5 bytes")
    }

    // MARK: - Lengths

    /// Reads a length prefix: int16/int32 (-1 = null) or compact uvarint (0 = null, else length + 1).
    /// Returns nil for null; throws if the length exceeds the bytes left.
    mutating func kafkaReadLength(compact: Bool, wide: Bool) throws(KafkaWireError) -> Int? {
        let length: Int
        if compact {
            let raw = try kafkaReadUnsignedVarint()
            if raw == 0 { return nil }
            length = Int(raw) - 1
        } else {
            length = wide ? Int(try kafkaReadInt32()) : Int(try kafkaReadInt16())
            if length == -1 { return nil }
            guard length >= 0 else { throw KafkaWireError(.malformed, "negative length \(length)") }
        }
        guard length <= readableBytes else {
            throw KafkaWireError(.truncated, "length \(length) but only \(readableBytes) bytes left")
        }
        return length
    }

    // MARK: - Strings and bytes

    mutating func kafkaReadNullableString(compact: Bool) throws(KafkaWireError) -> String? {
        guard let length = try kafkaReadLength(compact: compact, wide: false) else { return nil }
        guard let bytes = readSlice(length: length) else { throw KafkaWireError(.truncated, "string") }
        guard let string = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw KafkaWireError(.malformed, "string is not valid UTF-8")
        }
        return string
    }

    mutating func kafkaReadString(compact: Bool) throws(KafkaWireError) -> String {
        guard let string = try kafkaReadNullableString(compact: compact) else {
            throw KafkaWireError(.malformed, "null in a non-nullable string")
        }
        return string
    }

    /// Bytes and records are zero-copy slices of the request buffer.
    mutating func kafkaReadNullableBytes(compact: Bool) throws(KafkaWireError) -> ByteBuffer? {
        guard let length = try kafkaReadLength(compact: compact, wide: true) else { return nil }
        guard let slice = readSlice(length: length) else { throw KafkaWireError(.truncated, "bytes") }
        return slice
    }

    mutating func kafkaReadBytes(compact: Bool) throws(KafkaWireError) -> ByteBuffer {
        guard let bytes = try kafkaReadNullableBytes(compact: compact) else {
            throw KafkaWireError(.malformed, "null in non-nullable bytes")
        }
        return bytes
    }

    // MARK: - Arrays

    /// An array count, capped by the bytes left (each element takes at least one byte in practice).
    mutating func kafkaReadArrayCount(compact: Bool) throws(KafkaWireError) -> Int? {
        let count: Int
        if compact {
            let raw = try kafkaReadUnsignedVarint()
            if raw == 0 { return nil }
            count = Int(raw) - 1
        } else {
            count = Int(try kafkaReadInt32())
            if count == -1 { return nil }
            guard count >= 0 else { throw KafkaWireError(.malformed, "negative array count \(count)") }
        }
        guard count <= readableBytes else {
            throw KafkaWireError(.truncated, "array of \(count) but only \(readableBytes) bytes left")
        }
        return count
    }

    mutating func kafkaReadNullableArray<T: KafkaArrayElement>(_: T.Type, version: Int16, compact: Bool)
        throws(KafkaWireError) -> [T]?
    {
        guard let count = try kafkaReadArrayCount(compact: compact) else { return nil }
        var result: [T] = []
        for _ in 0..<count {
            result.append(try T.kafkaDecodeElement(from: &self, version: version, compact: compact))
        }
        return result
    }

    mutating func kafkaReadArray<T: KafkaArrayElement>(_: T.Type, version: Int16, compact: Bool)
        throws(KafkaWireError) -> [T]
    {
        guard let array = try kafkaReadNullableArray(T.self, version: version, compact: compact) else {
            throw KafkaWireError(.malformed, "null in a non-nullable array")
        }
        return array
    }

    // MARK: - Tagged fields

    /// Reads one tagged field's size and returns its body as a slice (the caller decodes or skips it).
    mutating func kafkaReadTaggedFieldBody() throws(KafkaWireError) -> ByteBuffer {
        let size = Int(try kafkaReadUnsignedVarint())
        guard let body = readSlice(length: size) else {
            throw KafkaWireError(.truncated, "tagged field of \(size) bytes but only \(readableBytes) left")
        }
        return body
    }
}

// MARK: - Writes

extension ByteBuffer {
    mutating func kafkaWriteBool(_ value: Bool) { writeInteger(value ? 1 : 0, as: UInt8.self) }
    mutating func kafkaWriteInt8(_ value: Int8) { writeInteger(value) }
    mutating func kafkaWriteInt16(_ value: Int16) { writeInteger(value) }
    mutating func kafkaWriteUInt16(_ value: UInt16) { writeInteger(value) }
    mutating func kafkaWriteInt32(_ value: Int32) { writeInteger(value) }
    mutating func kafkaWriteInt64(_ value: Int64) { writeInteger(value) }
    mutating func kafkaWriteFloat64(_ value: Double) { writeInteger(value.bitPattern) }
    mutating func kafkaWriteUUID(_ value: KafkaUUID) {
        writeInteger(value.high)
        writeInteger(value.low)
    }

    mutating func kafkaWriteUnsignedVarint(_ value: UInt32) {
        var value = value
        while value >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        writeInteger(UInt8(value))
    }

    mutating func kafkaWriteLength(_ length: Int?, compact: Bool, wide: Bool) {
        if compact {
            kafkaWriteUnsignedVarint(length.map { UInt32($0 + 1) } ?? 0)
        } else if wide {
            writeInteger(Int32(length ?? -1))
        } else {
            writeInteger(Int16(length ?? -1))
        }
    }

    mutating func kafkaWriteString(_ value: String, compact: Bool) {
        kafkaWriteLength(value.utf8.count, compact: compact, wide: false)
        writeString(value)
    }

    mutating func kafkaWriteNullableString(_ value: String?, compact: Bool) {
        guard let value else { return kafkaWriteLength(nil, compact: compact, wide: false) }
        kafkaWriteString(value, compact: compact)
    }

    mutating func kafkaWriteBytes(_ value: ByteBuffer, compact: Bool) {
        kafkaWriteLength(value.readableBytes, compact: compact, wide: true)
        writeImmutableBuffer(value)
    }

    mutating func kafkaWriteNullableBytes(_ value: ByteBuffer?, compact: Bool) {
        guard let value else { return kafkaWriteLength(nil, compact: compact, wide: true) }
        kafkaWriteBytes(value, compact: compact)
    }

    mutating func kafkaWriteArray<T: KafkaArrayElement>(_ value: [T], version: Int16, compact: Bool) {
        kafkaWriteLength(value.count, compact: compact, wide: true)
        for element in value { element.kafkaEncodeElement(into: &self, version: version, compact: compact) }
    }

    mutating func kafkaWriteNullableArray<T: KafkaArrayElement>(_ value: [T]?, version: Int16, compact: Bool) {
        guard let value else { return kafkaWriteLength(nil, compact: compact, wide: true) }
        kafkaWriteArray(value, version: version, compact: compact)
    }

    mutating func kafkaWriteTaggedField(tag: UInt32, body: ByteBuffer) {
        kafkaWriteUnsignedVarint(tag)
        kafkaWriteUnsignedVarint(UInt32(body.readableBytes))
        writeImmutableBuffer(body)
    }
}

// MARK: - Primitive array elements

extension Int8: KafkaArrayElement {
    public static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool)
        throws(KafkaWireError) -> Int8
    { try buffer.kafkaReadInt8() }
    public func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        buffer.kafkaWriteInt8(self)
    }
}

extension Int16: KafkaArrayElement {
    public static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool)
        throws(KafkaWireError) -> Int16
    { try buffer.kafkaReadInt16() }
    public func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        buffer.kafkaWriteInt16(self)
    }
}

extension Int32: KafkaArrayElement {
    public static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool)
        throws(KafkaWireError) -> Int32
    { try buffer.kafkaReadInt32() }
    public func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        buffer.kafkaWriteInt32(self)
    }
}

extension Int64: KafkaArrayElement {
    public static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool)
        throws(KafkaWireError) -> Int64
    { try buffer.kafkaReadInt64() }
    public func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        buffer.kafkaWriteInt64(self)
    }
}

extension String: KafkaArrayElement {
    public static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool)
        throws(KafkaWireError) -> String
    { try buffer.kafkaReadString(compact: compact) }
    public func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        buffer.kafkaWriteString(self, compact: compact)
    }
}

extension KafkaUUID: KafkaArrayElement {
    public static func kafkaDecodeElement(from buffer: inout ByteBuffer, version: Int16, compact: Bool)
        throws(KafkaWireError) -> KafkaUUID
    { try buffer.kafkaReadUUID() }
    public func kafkaEncodeElement(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        buffer.kafkaWriteUUID(self)
    }
}
