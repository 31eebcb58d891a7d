import Relational
import Synchronization

/// Shared helpers for the built-in scalar function bodies: typed argument access, the usual errors, and the
/// "NULL in, NULL out" wrapper most functions use.
///
/// Conventions every body follows:
/// - Arguments arrive converted to the resolved parameter types, so a STRING parameter holds `.string` or `.null`.
///   A case that does not match (a planner/executor mismatch) is treated like NULL, never trapped on.
/// - Bad input throws `EvaluationError` with a SQLSTATE; arithmetic is overflow-checked (22003).
/// - Text positions count Unicode scalars (code points, PostgreSQL's `length`), not UTF-16 units as Java does;
///   the two agree except for characters outside the Basic Multilingual Plane.
enum FunctionSupport {
    /// Results longer than this many elements (characters, array elements) are refused with 54000 rather than
    /// exhausting memory (LPAD to two billion characters, GENERATE_SERIES over the whole BIGINT range).
    static let maxResultLength = 10_000_000

    /// Wraps a body so that any NULL argument makes the result NULL (the rule for most functions).
    static func strict(_ body: @escaping ScalarFunctionBody) -> ScalarFunctionBody {
        { (arguments) throws(EvaluationError) -> Value in
            for argument in arguments where argument.isNull { return .null }
            return try body(arguments)
        }
    }

    static func outOfRange(_ what: String) -> EvaluationError { EvaluationError("22003", "\(what) is out of range") }

    static func tooLong(_ function: String) -> EvaluationError {
        EvaluationError("54000", "\(function): the result would exceed \(maxResultLength) elements")
    }

    static func invalid(_ message: String) -> EvaluationError { EvaluationError.invalidArgument(message) }

    /// A `RelationalError` as an `EvaluationError` with the same SQLSTATE.
    static func mapped(_ error: RelationalError) -> EvaluationError { EvaluationError(error.sqlState, error.message) }
}

extension UnsafeBufferPointer<Value> {
    /// The STRING argument at `index`, or nil when it is NULL, absent or not a string.
    @inline(__always)
    func string(_ index: Int) -> String? {
        guard index < count, case .string(let value) = self[index] else { return nil }
        return value
    }

    /// An INT or BIGINT argument as Int64.
    @inline(__always)
    func integer(_ index: Int) -> Int64? {
        guard index < count else { return nil }
        return self[index].integerValue
    }

    /// A numeric argument as Double.
    @inline(__always)
    func double(_ index: Int) -> Double? {
        guard index < count else { return nil }
        return self[index].doubleValue
    }

    @inline(__always)
    func bytes(_ index: Int) -> [UInt8]? {
        guard index < count, case .bytes(let value) = self[index] else { return nil }
        return value
    }

    @inline(__always)
    func array(_ index: Int) -> [Value]? {
        guard index < count, case .array(let value) = self[index] else { return nil }
        return value
    }

    @inline(__always)
    func map(_ index: Int) -> [Value.MapEntry]? {
        guard index < count, case .map(let value) = self[index] else { return nil }
        return value
    }

    /// Whether the argument at `index` was passed (optional trailing parameters).
    @inline(__always)
    func has(_ index: Int) -> Bool { index < count }
}

/// A small thread-safe cache from a pattern string to its compiled form (regular expressions, date/time formats,
/// JSON paths). Queries usually pass constant patterns, so the cache turns per-row compilation into one dictionary
/// lookup under a lock. Failures are cached too, so a constant bad pattern is not recompiled for every row. It holds
/// at most `capacity` entries and is emptied when full (patterns built per row from data would otherwise grow it
/// without bound).
final class PatternCache<Compiled: Sendable>: Sendable {
    private let entries = Mutex<[String: Result<Compiled, EvaluationError>]>([:])
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func value(for pattern: String, compile: (String) throws(EvaluationError) -> Compiled) throws(EvaluationError)
        -> Compiled
    {
        if let hit = entries.withLock({ $0[pattern] }) { return try hit.get() }
        let result: Result<Compiled, EvaluationError>
        do throws(EvaluationError) { result = .success(try compile(pattern)) } catch { result = .failure(error) }
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[pattern] = result
        }
        return try result.get()
    }
}

/// Text helpers over Unicode scalars.
enum TextSupport {
    /// The string's Unicode scalars as an array (for index arithmetic).
    @inline(__always)
    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Whether every byte of the string is ASCII (fast paths).
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The number of Unicode scalars in valid UTF-8: the bytes that do not continue a sequence.
    static func scalarCount(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// Every 0-based scalar offset at which `needle` occurs in `haystack`, overlapping occurrences included (like
    /// Java's repeated `indexOf(s, i + 1)`); every position for an empty needle.
    static func occurrences(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> [Int] {
        guard needle.count <= haystack.count else { return [] }
        var result: [Int] = []
        if needle.isEmpty { return Array(0...haystack.count) }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            var matched = true
            for offset in 1..<needle.count where haystack[start + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { result.append(start) }
        }
        return result
    }
}
