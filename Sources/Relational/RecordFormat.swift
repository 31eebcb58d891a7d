/// A serialization format for record keys or values (`KEY_FORMAT`, `VALUE_FORMAT`, `FORMAT`;
/// sql-features.md §2, §4), and the factory for its decoder and encoder.
///
/// Schema Registry formats (AVRO, PROTOBUF, JSON_SR) are not supported yet; naming one is
/// `unsupportedSchema`.
public enum RecordFormat: Sendable, Hashable, CustomStringConvertible {
    /// Key only: the key is ignored on read and written as null.
    case none
    /// One primitive column in Kafka's standard serializers' layout (the default key format).
    case kafka
    case json
    /// CSV with a one-byte delimiter (`,` by default).
    case delimited(delimiter: UInt8)

    /// The format named in a WITH clause (case-insensitive); `delimiter` is the `KEY_DELIMITER` or
    /// `VALUE_DELIMITER` property, allowed only with DELIMITED.
    public init(name: String, delimiter: String? = nil) throws(RelationalError) {
        switch name.uppercased() {
        case "NONE": self = .none
        case "KAFKA": self = .kafka
        case "JSON": self = .json
        case "DELIMITED":
            guard let byte = delimiter.map({ DelimitedRecordDecoder.delimiter(named: $0) }) ?? UInt8(ascii: ",") else {
                throw RelationalError(
                    .unsupportedSchema, "invalid delimiter '\(delimiter ?? "")': use one character, SPACE or TAB")
            }
            self = .delimited(delimiter: byte)
        default:
            throw RelationalError(
                .unsupportedSchema, "unsupported format '\(name)': use JSON, DELIMITED, KAFKA or NONE")
        }
        if delimiter != nil, case .delimited = self {
        } else if delimiter != nil {
            throw RelationalError(.unsupportedSchema, "a delimiter applies only to the DELIMITED format")
        }
    }

    public var description: String {
        switch self {
        case .none: "NONE"
        case .kafka: "KAFKA"
        case .json: "JSON"
        case .delimited: "DELIMITED"
        }
    }

    /// A decoder for records carrying `columns`. `wrapSingleValue` matters only to JSON with one column; `unread`
    /// names columns the reader never looks at, which JSON then skips where that is cheaper (see
    /// `JSONRecordDecoder`).
    /// - Throws: `unsupportedSchema` when the format cannot carry the columns.
    public func makeDecoder(columns: [(name: String, type: DataType)], wrapSingleValue: Bool = true, unread: Set<Int> = [])
        throws(RelationalError) -> RecordDecoder
    {
        switch self {
        case .none:
            try checkNone(columns)
            return .none
        case .kafka: return .kafka(try KafkaRecordDecoder(columns: columns))
        case .json: return .json(try JSONRecordDecoder(columns: columns, wrapSingleValue: wrapSingleValue, unread: unread))
        case .delimited(let delimiter):
            return .delimited(try DelimitedRecordDecoder(columns: columns, delimiter: delimiter))
        }
    }

    /// An encoder for records carrying `columns`.
    public func makeEncoder(columns: [(name: String, type: DataType)], wrapSingleValue: Bool = true)
        throws(RelationalError) -> RecordEncoder
    {
        switch self {
        case .none:
            try checkNone(columns)
            return .none
        case .kafka: return .kafka(try KafkaRecordEncoder(columns: columns))
        case .json:
            _ = try JSONRecordDecoder(columns: columns)
            return .json(JSONRecordEncoder(columns: columns, wrapSingleValue: wrapSingleValue))
        case .delimited(let delimiter):
            return .delimited(try DelimitedRecordEncoder(columns: columns, delimiter: delimiter))
        }
    }

    /// A decoder for record keys: ksqlDB reads a single key column unwrapped (the bare value, whatever
    /// WRAP_SINGLE_VALUE says) and several key columns as one record (sql-features.md §4, single-key rule).
    public func makeKeyDecoder(columns: [(name: String, type: DataType)]) throws(RelationalError) -> RecordDecoder {
        try makeDecoder(columns: columns, wrapSingleValue: columns.count != 1)
    }

    /// An encoder for record keys, with the same single-key rule as `makeKeyDecoder`.
    public func makeKeyEncoder(columns: [(name: String, type: DataType)]) throws(RelationalError) -> RecordEncoder {
        try makeEncoder(columns: columns, wrapSingleValue: columns.count != 1)
    }

    func checkNone(_ columns: [(name: String, type: DataType)]) throws(RelationalError) {
        guard columns.isEmpty else {
            throw RelationalError(.unsupportedSchema, "the NONE format carries no columns, got \(columns.count)")
        }
    }
}

/// A decoder of any supported format, dispatched on its format (no existential call per record).
///
/// A struct holding the format's decoder in place rather than an enum with payloads: decoding mutates the decoder
/// (its scratch buffers), and mutating an enum payload means moving it out and back in, which cost a copy, a
/// retain and a destroy per record in profiles.
public struct RecordDecoder: Sendable {
    private enum Kind: Sendable { case none, kafka, json, delimited }
    private let kind: Kind
    private var kafka: KafkaRecordDecoder?
    private var json: JSONRecordDecoder?
    private var delimited: DelimitedRecordDecoder?

    private init(kind: Kind) { self.kind = kind }

    /// The NONE format: no columns.
    public static let none = RecordDecoder(kind: .none)

    public static func kafka(_ decoder: KafkaRecordDecoder) -> RecordDecoder {
        var result = RecordDecoder(kind: .kafka)
        result.kafka = decoder
        return result
    }

    public static func json(_ decoder: JSONRecordDecoder) -> RecordDecoder {
        var result = RecordDecoder(kind: .json)
        result.json = decoder
        return result
    }

    public static func delimited(_ decoder: DelimitedRecordDecoder) -> RecordDecoder {
        var result = RecordDecoder(kind: .delimited)
        result.delimited = decoder
        return result
    }

    /// Decodes one non-null Kafka key or value into `values`; false for a null record (JSON `null`).
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into values: inout [Value]) throws(RelationalError)
        -> Bool
    {
        switch kind {
        case .none:
            values.removeAll(keepingCapacity: true)
            return true
        case .kafka: return try kafka!.decode(bytes, into: &values)
        case .json: return try json!.decode(bytes, into: &values)
        case .delimited: return try delimited!.decode(bytes, into: &values)
        }
    }
}

/// An encoder of any supported format, dispatched by enum.
public enum RecordEncoder: Sendable {
    case none
    case kafka(KafkaRecordEncoder)
    case json(JSONRecordEncoder)
    case delimited(DelimitedRecordEncoder)

    /// Appends the encoding of `values` to `output`. Returns false when the record is null and nothing was
    /// appended (NONE always; KAFKA for a NULL value): the caller writes a null Kafka key or value.
    public mutating func encode(_ values: [Value], into output: inout [UInt8]) -> Bool {
        encodeValues(values, into: &output)
    }

    /// Appends the encoding of `values`; see `encode(_:into:)` for `[Value]`.
    public mutating func encode(_ values: ArraySlice<Value>, into output: inout [UInt8]) -> Bool {
        encodeValues(values, into: &output)
    }

    @inline(__always)
    mutating func encodeValues<C: RandomAccessCollection<Value>>(_ values: C, into output: inout [UInt8]) -> Bool {
        switch self {
        case .none:
            return false
        case .kafka(let encoder):
            precondition(values.count == 1, "KAFKA format encodes one value")
            return encoder.encode(value: values[values.startIndex], into: &output)
        case .json(let encoder):
            encoder.encodeValues(values, into: &output)
            return true
        case .delimited(var encoder):
            self = .none
            encoder.encodeValues(values, into: &output)
            self = .delimited(encoder)
            return true
        }
    }
}
