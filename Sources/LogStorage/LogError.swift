import SluiceCore

/// The log's error: a stable code (named after Kafka's error where one exists, so that KafkaWire maps it
/// one-to-one) and a message a user can act on.
public struct LogError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// Bad CRC, wrong magic, truncated or inconsistent batch (Kafka CORRUPT_MESSAGE, 2).
        case corruptMessage
        /// A batch that is well-formed but breaks a rule, e.g. a keyless record on a compacted topic (87).
        case invalidRecord
        /// Larger than max.message.bytes (MESSAGE_TOO_LARGE, 10).
        case messageTooLarge
        /// A read or seek outside [logStartOffset, logEndOffset] (OFFSET_OUT_OF_RANGE, 1).
        case offsetOutOfRange
        /// A codec the batch uses that Sluice cannot decode (UNSUPPORTED_COMPRESSION_TYPE, 76).
        case unsupportedCompressionType
        /// Idempotence: the sequence does not follow the last one (OUT_OF_ORDER_SEQUENCE_NUMBER, 45).
        case outOfOrderSequenceNumber
        /// Idempotence: an older producer epoch (INVALID_PRODUCER_EPOCH, 47).
        case invalidProducerEpoch
        /// Idempotence: the producer's state is gone (UNKNOWN_PRODUCER_ID, 59).
        case unknownProducerId
        case unknownTopicOrPartition
        case topicAlreadyExists
        case invalidTopic
        case invalidPartitions
        case invalidConfig
        /// The disk failed or filled up (KAFKA_STORAGE_ERROR, 56).
        case storageError
        /// The data directory is locked by another process.
        case dataDirectoryInUse
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A failed disk operation.
    public init(_ error: IOError) {
        self.init(.storageError, error.description)
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
