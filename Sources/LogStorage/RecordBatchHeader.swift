import SluiceCore

/// The 61-byte header of a Kafka RecordBatch v2 ("magic 2"), field by field, as
/// `DefaultRecordBatch` lays it out. Bytes [0, 17) are not covered by the CRC (base offset, length,
/// partition leader epoch, magic); the CRC-32C at 17 covers attributes to the end of the batch.
public struct RecordBatchHeader: Sendable, Equatable {
    // MARK: - Layout
    public static let size = 61
    public static let baseOffsetOffset = 0
    public static let batchLengthOffset = 8
    public static let partitionLeaderEpochOffset = 12
    public static let magicOffset = 16
    public static let crcOffset = 17
    public static let attributesOffset = 21
    public static let lastOffsetDeltaOffset = 23
    public static let baseTimestampOffset = 27
    public static let maxTimestampOffset = 35
    public static let producerIdOffset = 43
    public static let producerEpochOffset = 51
    public static let baseSequenceOffset = 53
    public static let recordsCountOffset = 57
    /// Bytes before `batchLength`'s count starts: baseOffset and batchLength themselves.
    public static let logOverhead = 12
    public static let currentMagic: Int8 = 2

    // MARK: - Attribute bits
    public static let compressionMask: Int16 = 0x07
    public static let logAppendTimeFlag: Int16 = 0x08
    public static let transactionalFlag: Int16 = 0x10
    public static let controlFlag: Int16 = 0x20
    public static let deleteHorizonFlag: Int16 = 0x40

    // MARK: - Fields
    public var baseOffset: Offset
    public var batchLength: Int32
    public var partitionLeaderEpoch: LeaderEpoch
    public var magic: Int8
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Timestamp
    public var maxTimestamp: Timestamp
    public var producerId: ProducerID
    public var producerEpoch: ProducerEpoch
    public var baseSequence: Int32
    public var recordsCount: Int32

    /// Reads the header fields. `bytes` must hold at least `size` bytes; nothing is validated here.
    public init(parsing bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= Self.size, "RecordBatchHeader needs \(Self.size) bytes")
        baseOffset = bytes.loadBigEndian(at: Self.baseOffsetOffset, as: Int64.self)
        batchLength = bytes.loadBigEndian(at: Self.batchLengthOffset, as: Int32.self)
        partitionLeaderEpoch = bytes.loadBigEndian(at: Self.partitionLeaderEpochOffset, as: Int32.self)
        magic = bytes.loadBigEndian(at: Self.magicOffset, as: Int8.self)
        crc = bytes.loadBigEndian(at: Self.crcOffset, as: UInt32.self)
        attributes = bytes.loadBigEndian(at: Self.attributesOffset, as: Int16.self)
        lastOffsetDelta = bytes.loadBigEndian(at: Self.lastOffsetDeltaOffset, as: Int32.self)
        baseTimestamp = bytes.loadBigEndian(at: Self.baseTimestampOffset, as: Int64.self)
        maxTimestamp = bytes.loadBigEndian(at: Self.maxTimestampOffset, as: Int64.self)
        producerId = bytes.loadBigEndian(at: Self.producerIdOffset, as: Int64.self)
        producerEpoch = bytes.loadBigEndian(at: Self.producerEpochOffset, as: Int16.self)
        baseSequence = bytes.loadBigEndian(at: Self.baseSequenceOffset, as: Int32.self)
        recordsCount = bytes.loadBigEndian(at: Self.recordsCountOffset, as: Int32.self)
    }

    /// Total bytes of the batch, header included.
    public var sizeInBytes: Int { Int(batchLength) + Self.logOverhead }
    public var lastOffset: Offset { baseOffset + Int64(lastOffsetDelta) }
    /// The offset after the batch.
    public var nextOffset: Offset { lastOffset + 1 }

    public var compression: CompressionCodec? { CompressionCodec(rawValue: UInt8(attributes & Self.compressionMask)) }
    public var isLogAppendTime: Bool { attributes & Self.logAppendTimeFlag != 0 }
    public var isTransactional: Bool { attributes & Self.transactionalFlag != 0 }
    public var isControl: Bool { attributes & Self.controlFlag != 0 }
    public var hasDeleteHorizon: Bool { attributes & Self.deleteHorizonFlag != 0 }
    public var isIdempotent: Bool { producerId >= 0 }

    /// The sequence number of the batch's last record (sequences wrap at Int32.max, as Kafka's do).
    public var lastSequence: Int32 {
        baseSequence < 0 ? -1 : Int32(truncatingIfNeeded: (Int64(baseSequence) + Int64(lastOffsetDelta)) % (Int64(Int32.max) + 1))
    }
}
