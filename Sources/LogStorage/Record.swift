import SluiceCore

/// One record of a batch, as a view into the batch's (decompressed) bytes: valid only inside the closure that
/// receives it. Key and value are nil when null (a null value is a tombstone).
public struct Record {
    public var offset: Offset
    public var timestamp: Timestamp
    public var key: UnsafeRawBufferPointer?
    public var value: UnsafeRawBufferPointer?
    /// The raw headers section: `headerCount` pairs of (varint key length, key, varint value length, value).
    public var headerCount: Int
    public var headerBytes: UnsafeRawBufferPointer

    /// Decodes the headers (allocates; for tools and tests, not hot paths).
    public func headers() -> [RecordHeader] {
        var result: [RecordHeader] = []
        var index = 0
        for _ in 0..<headerCount {
            guard let keyLength = Varint.read(headerBytes, at: &index), keyLength >= 0,
                index + Int(keyLength) <= headerBytes.count
            else { break }
            let key = String(decoding: headerBytes[index..<index + Int(keyLength)], as: UTF8.self)
            index += Int(keyLength)
            guard let valueLength = Varint.read(headerBytes, at: &index) else { break }
            var value: [UInt8]?
            if valueLength >= 0 {
                guard index + Int(valueLength) <= headerBytes.count else { break }
                value = Array(headerBytes[index..<index + Int(valueLength)])
                index += Int(valueLength)
            }
            result.append(RecordHeader(key: key, value: value))
        }
        return result
    }
}

/// A record header: a UTF-8 key and an optional byte value.
public struct RecordHeader: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
