import Relational

/// The string functions (sql-features.md §5, "Strings"), with ksqlDB's NULL rules and 1-based positions.
/// Positions and lengths count Unicode scalars (see `FunctionSupport`).
///
/// - CONCAT skips NULL arguments ('' when all are NULL); CONCAT_WS is NULL only for a NULL separator.
/// - SUBSTRING(s, pos[, len]): pos 1 is the first character, a negative pos counts from the end, 0 is treated
///   as 1; positions beyond the string give ''; a negative length gives ''.
/// - INSTR(s, sub[, pos[, occurrence]]): 0 when absent, when s or sub is NULL, or when |pos| exceeds the length;
///   a negative pos searches backward for matches within the first length + pos + 1 characters.
/// - LPAD/RPAD truncate to the target length; an empty padding or negative length is NULL.
/// - TRIM removes leading and trailing characters ≤ U+0020 (Java's `String.trim`).
/// - SPLIT with an empty delimiter splits into characters; empty pieces are kept.
/// - SPLIT_TO_MAP drops entries without the key/value delimiter; a later duplicate key wins.
/// - CHR(int) is NULL for values that are not Unicode scalars; CHR(string) decodes `\uXXXX` escapes in a string
///   that starts with one (NULL otherwise, or for an unpaired surrogate, which a Swift string cannot hold).
enum StringFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        library.register("CHR", body: FunctionSupport.strict(chr))
        library.register("CONCAT", body: concat)
        library.register("CONCAT_WS", body: concatWithSeparator)
        library.register("INITCAP", body: FunctionSupport.strict(initcap))
        library.register("INSTR", body: instr)
        // LOWER, UPPER, LENGTH and CHAR_LENGTH are PostgreSQL's names for the same functions.
        let lower = FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
            a.string(0).map { .string($0.lowercased()) } ?? .null
        }
        let upper = FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
            a.string(0).map { .string($0.uppercased()) } ?? .null
        }
        let length = FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
            switch a[0] {
            case .string(let s): return .int(Int32(truncatingIfNeeded: TextSupport.scalarCount(s)))
            case .bytes(let b): return .int(Int32(truncatingIfNeeded: b.count))
            default: return .null
            }
        }
        for name in ["LCASE", "LOWER"] { library.register(name, body: lower) }
        for name in ["UCASE", "UPPER"] { library.register(name, body: upper) }
        for name in ["LEN", "LENGTH", "CHAR_LENGTH"] { library.register(name, body: length) }
        library.register(
            "LPAD", body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in try pad(a, left: true) })
        library.register(
            "RPAD", body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in try pad(a, left: false) })
        library.register("TRIM", body: FunctionSupport.strict(trim))
        library.register("REPLACE", body: FunctionSupport.strict(replace))
        library.register("SUBSTRING", body: FunctionSupport.strict(substring))
        library.register("SPLIT", body: FunctionSupport.strict(split))
        library.register("SPLIT_TO_MAP", body: FunctionSupport.strict(splitToMap))
        library.register("UUID", body: { (_) throws(EvaluationError) -> Value in .string(randomUUID()) })
        library.register("ELT", body: elt)
        library.register("FIELD", body: field)
    }

    // MARK: - CHR

    static func chr(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        switch a[0] {
        case .int(let code):
            guard code >= 0, let scalar = Unicode.Scalar(UInt32(code)) else { return .null }
            return .string(String(Character(scalar)))
        case .string(let text):
            return unescapeUTF16(text).map { .string($0) } ?? .null
        default:
            return .null
        }
    }

    /// Decodes the Java escapes `\uXXXX` of a string that starts with one (surrogate pairs combined, other text
    /// kept); nil when it does not start with an escape or leaves a surrogate unpaired.
    static func unescapeUTF16(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 6, scalars[0] == "\\", scalars[1] == "u" else { return nil }
        var units: [UInt16] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\\", index + 5 < scalars.count, scalars[index + 1] == "u",
                let unit = UInt16(TextSupport.string(scalars[(index + 2)..<(index + 6)]), radix: 16)
            {
                units.append(unit)
                index += 6
            } else {
                units.append(contentsOf: String(scalars[index]).utf16)
                index += 1
            }
        }
        var result = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): result.append(scalar)
            case .emptyInput: return String(result)
            case .error: return nil
            }
        }
    }

    // MARK: - CONCAT

    static func concat(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        var isBytes = false
        var text = ""
        var bytes: [UInt8] = []
        for argument in a {
            switch argument {
            case .string(let s): text += s
            case .bytes(let b):
                isBytes = true
                bytes += b
            default: continue
            }
        }
        return isBytes ? .bytes(bytes) : .string(text)
    }

    static func concatWithSeparator(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let separator = a.string(0) else { return .null }
        var result = ""
        var first = true
        for index in 1..<a.count {
            guard let piece = a.string(index) else { continue }
            if !first { result += separator }
            result += piece
            first = false
        }
        return .string(result)
    }

    // MARK: - Case

    static func initcap(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let text = a.string(0) else { return .null }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var atWordStart = true
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                atWordStart = true
                result.unicodeScalars.append(scalar)
            } else if atWordStart {
                result += String(scalar).uppercased()
                atWordStart = false
            } else {
                result += String(scalar).lowercased()
            }
        }
        return .string(result)
    }

    // MARK: - INSTR, SUBSTRING

    static func instr(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let text = a.string(0), let sub = a.string(1) else { return .int(0) }
        let position = a.has(2) ? a.integer(2) ?? 1 : 1
        let occurrence = a.has(3) ? a.integer(3) ?? 1 : 1
        let haystack = TextSupport.scalars(text)
        let n = Int64(haystack.count)
        guard occurrence > 0, position != 0, position.magnitude <= n.magnitude else { return .int(0) }
        let needle = TextSupport.scalars(sub)
        let matches = TextSupport.occurrences(of: needle, in: haystack)
        let skip = Int(min(occurrence - 1, Int64(Int32.max)))
        let found: Int?
        if position > 0 {
            found = matches.lazy.filter { Int64($0) >= position - 1 }.dropFirst(skip).first
        } else {
            // Backward: matches lying within the first n + position + 1 characters, nearest the end first.
            let limit = n + position + 1 - Int64(needle.count)
            found = matches.reversed().lazy.filter { Int64($0) <= limit }.dropFirst(skip).first
        }
        return .int(Int32(truncatingIfNeeded: (found ?? -1) + 1))
    }

    static func substring(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let position = a.integer(1) else { return .null }
        let length = a.has(2) ? a.integer(2) : nil
        switch a[0] {
        case .string(let text):
            if TextSupport.isASCII(text) {
                // Every byte is a character: cut the UTF-8 view without copying it into an array.
                let utf8 = text.utf8
                let range = substringRange(count: utf8.count, position: position, length: length)
                let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
                let end = utf8.index(start, offsetBy: range.count)
                return .string(String(text[start..<end]))
            }
            let scalars = TextSupport.scalars(text)
            let range = substringRange(count: scalars.count, position: position, length: length)
            return .string(TextSupport.string(scalars[range]))
        case .bytes(let bytes):
            return .bytes(Array(bytes[substringRange(count: bytes.count, position: position, length: length)]))
        default:
            return .null
        }
    }

    /// ksqlDB's Substring index rules (see the type's documentation) as a valid range of `0..<count`.
    static func substringRange(count: Int, position: Int64, length: Int64?) -> Range<Int> {
        let n = Int64(count)
        let start = position < 0 ? max(n + position, 0) : max(min(position - 1, n), 0)
        guard let length else { return Int(start)..<count }
        let (sum, overflow) = start.addingReportingOverflow(length)
        let end = overflow ? n : max(min(sum, n), start)
        return Int(start)..<Int(end)
    }

    // MARK: - LPAD, RPAD, TRIM, REPLACE

    static func pad(_ a: UnsafeBufferPointer<Value>, left: Bool) throws(EvaluationError) -> Value {
        guard let target = a.integer(1), target >= 0 else { return .null }
        guard target <= FunctionSupport.maxResultLength else { throw FunctionSupport.tooLong(left ? "LPAD" : "RPAD") }
        let length = Int(target)
        switch (a[0], a[2]) {
        case (.string(let input), .string(let padding)):
            let result = padded(TextSupport.scalars(input), TextSupport.scalars(padding), length, left: left)
            return result.map { .string(TextSupport.string($0)) } ?? .null
        case (.bytes(let input), .bytes(let padding)):
            return padded(input, padding, length, left: left).map { .bytes($0) } ?? .null
        default:
            return .null
        }
    }

    static func padded<E>(_ input: [E], _ padding: [E], _ length: Int, left: Bool) -> [E]? {
        guard !padding.isEmpty else { return nil }
        guard input.count < length else { return Array(input.prefix(length)) }
        var fill: [E] = []
        fill.reserveCapacity(length - input.count)
        while fill.count < length - input.count { fill.append(padding[fill.count % padding.count]) }
        return left ? fill + input : input + fill
    }

    static func trim(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let text = a.string(0) else { return .null }
        // Only ASCII bytes ≤ 0x20 are removed, so the cut is always on a character boundary.
        let bytes = Array(text.utf8)
        guard let first = bytes.firstIndex(where: { $0 > 0x20 }), let last = bytes.lastIndex(where: { $0 > 0x20 })
        else {
            return .string("")
        }
        if first == 0 && last == bytes.count - 1 { return a[0] }
        return .string(String(decoding: bytes[first...last], as: UTF8.self))
    }

    static func replace(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let text = a.string(0), let old = a.string(1), let new = a.string(2) else { return .null }
        if old.isEmpty {
            // Java inserts the replacement before every character and at the end.
            var result = new
            for scalar in text.unicodeScalars {
                result.unicodeScalars.append(scalar)
                result += new
            }
            return .string(result)
        }
        let pieces = splitBytes(Array(text.utf8), on: Array(old.utf8))
        var out: [UInt8] = []
        let replacement = Array(new.utf8)
        for (index, piece) in pieces.enumerated() {
            if index > 0 { out += replacement }
            out += piece
        }
        return .string(String(decoding: out, as: UTF8.self))
    }

    // MARK: - SPLIT

    static func split(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        switch (a[0], a[1]) {
        case (.string(let text), .string(let delimiter)):
            if delimiter.isEmpty { return .array(text.unicodeScalars.map { .string(String($0)) }) }
            return .array(splitString(text, on: delimiter).map { .string($0) })
        case (.bytes(let bytes), .bytes(let delimiter)):
            if delimiter.isEmpty { return .array(bytes.map { .bytes([$0]) }) }
            return .array(splitBytes(bytes, on: delimiter).map { .bytes(Array($0)) })
        default:
            return .null
        }
    }

    /// Splits on every occurrence of a non-empty delimiter, keeping empty pieces.
    static func splitString(_ text: String, on delimiter: String) -> [String] {
        splitBytes(Array(text.utf8), on: Array(delimiter.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func splitBytes(_ bytes: [UInt8], on delimiter: [UInt8]) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index + delimiter.count <= bytes.count {
            if bytes[index] == delimiter[0], bytes[index..<index + delimiter.count].elementsEqual(delimiter) {
                pieces.append(bytes[start..<index])
                index += delimiter.count
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(bytes[start..<bytes.count])
        return pieces
    }

    static func splitToMap(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let text = a.string(0), let entryDelimiter = a.string(1), let kvDelimiter = a.string(2) else {
            return .null
        }
        guard !entryDelimiter.isEmpty, !kvDelimiter.isEmpty, entryDelimiter != kvDelimiter else { return .null }
        var entries: [Value.MapEntry] = []
        for entry in splitString(text, on: entryDelimiter) where !entry.isEmpty && entry.contains(kvDelimiter) {
            let parts = splitString(entry, on: kvDelimiter)
            let key = Value.string(parts[0])
            let value = Value.string(parts[1])
            if let existing = entries.firstIndex(where: { $0.key == key }) {
                entries[existing].value = value
            } else {
                entries.append(Value.MapEntry(key, value))
            }
        }
        return .map(entries)
    }

    // MARK: - UUID

    /// A random (version 4, variant 1) UUID in lower-case 8-4-4-4-12 form.
    static func randomUUID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(BytesFunctions.hexDigits[Int(byte >> 4)])
            out.append(BytesFunctions.hexDigits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - ELT, FIELD

    /// ELT(n, s1, s2, …): the n-th string (1-based); NULL when n is NULL or out of range.
    static func elt(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let n = a.integer(0), n >= 1, n < a.count else { return .null }
        return a[Int(n)]
    }

    /// FIELD(s, s1, s2, …): the 1-based position of s among the others; 0 when absent or when s is NULL.
    static func field(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let text = a.string(0) else { return .int(0) }
        for index in 1..<max(1, a.count) {
            if let candidate = a.string(index), candidate.utf8.elementsEqual(text.utf8) {
                return .int(Int32(truncatingIfNeeded: index))
            }
        }
        return .int(0)
    }
}
