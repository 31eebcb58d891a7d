import Broker
import LogStorage
import Relational
import SQLPlanner
import SQLSyntax
import StateStore
import Streams

/// Any error a statement can end with, carrying what a PostgreSQL client expects: a SQLSTATE, a message, and where
/// it applies, a hint and the 1-based character position in the statement. The one place where the layers' errors
/// meet; PGWire maps it to ErrorResponse unchanged.
public struct EngineError: Error, Sendable, CustomStringConvertible, Equatable {
    public var sqlState: String
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the statement text (PostgreSQL's ErrorResponse 'P' field).
    public var position: Int?

    public init(_ sqlState: String, _ message: String, detail: String? = nil, hint: String? = nil, position: Int? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
    }

    public var description: String { "\(sqlState): \(message)" + (hint.map { " (\($0))" } ?? "") }

    static func syntax(_ error: SyntaxError, in sql: String) -> EngineError {
        EngineError("42601", error.message, hint: error.hint, position: error.characterPosition(in: sql))
    }

    static func plan(_ error: PlanError, in sql: String) -> EngineError {
        // Spans compare equal whatever they hold; a real one covers at least one byte.
        let position = error.span.length == 0 ? nil : characterPosition(offset: error.span.start.offset, in: sql)
        return EngineError(error.sqlState, error.message, hint: error.hint, position: position)
    }

    /// The error with its position moved from the substituted text to what the user wrote (`${name}` replaced by
    /// a longer or shorter value shifts everything after it).
    func remapped(_ substitution: VariableSubstitution.Substitution, original: String) -> EngineError {
        guard substitution.changed, let position else { return self }
        var byte = 0
        var characters = 1
        for b in substitution.text.utf8 {
            if b & 0xC0 != 0x80 {
                if characters == position { break }
                characters += 1
            }
            byte += 1
        }
        var moved = self
        moved.position = Self.characterPosition(offset: substitution.originalOffset(byte), in: original)
        return moved
    }

    static func characterPosition(offset: Int, in sql: String) -> Int {
        sql.utf8.prefix(max(0, offset)).reduce(1) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }

    /// Maps an error from the layers below (log, state store, evaluation) to its SQLSTATE.
    static func from(_ error: any Error) -> EngineError {
        switch error {
        case let e as EngineError: return e
        case let e as EvaluationError: return EngineError(e.sqlState, e.message)
        case let e as RelationalError: return EngineError(e.sqlState, e.message)  // casts, decoding: 22P02, 42846, …
        case let e as LogError:
            switch e.code {
            case .unknownTopicOrPartition: return EngineError("42P01", e.message)
            case .topicAlreadyExists: return EngineError("42710", e.message)
            case .invalidTopic, .invalidConfig, .invalidPartitions: return EngineError("22023", e.message)
            case .storageError: return EngineError("58030", e.message)
            case .messageTooLarge: return EngineError("54000", e.message)
            case .corruptMessage: return EngineError("XX001", e.message)  // data_corrupted
            case .invalidRecord: return EngineError("23502", e.message)  // a record without the key its topic needs
            case .offsetOutOfRange: return EngineError("22023", e.message)
            case .unsupportedCompressionType: return EngineError("0A000", e.message)
            case .outOfOrderSequenceNumber, .invalidProducerEpoch, .unknownProducerId:
                // A producer's state conflicts: retry, as after a serialization_failure.
                return EngineError("40001", e.message)
            case .dataDirectoryInUse: return EngineError("55006", e.message)  // object_in_use
            }
        case let e as StateStoreError: return EngineError("58030", e.description)
        default: return EngineError("XX000", "\(error)")
        }
    }

    static func undefinedObject(_ message: String, hint: String? = nil) -> EngineError { EngineError("42704", message, hint: hint) }
    static func notSupported(_ message: String) -> EngineError { EngineError("0A000", message) }
}
