/// The compression codec of a record batch: bits 0–2 of its attributes (KIP-110 numbering).
public enum CompressionCodec: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4

    /// Whether Sluice can decompress this codec itself. Batches in other codecs are stored and served as they
    /// are; only reading their records (compaction, SQL) needs the codec.
    public var isDecodable: Bool { self == .none || self == .lz4 }

    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }
}
