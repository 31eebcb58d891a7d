import Relational

/// The functions over JSON text (sql-features.md §5, "JSON strings"), with ksqlDB's rules:
/// - Invalid JSON: JSON_ARRAY_LENGTH, JSON_KEYS, JSON_RECORDS, JSON_ITEMS and JSON_CONCAT give NULL,
///   IS_JSON_STRING and JSON_ARRAY_CONTAINS give FALSE, and EXTRACTJSONFIELD throws 22P02 (ksqlDB fails the
///   row, which the processing log records).
/// - EXTRACTJSONFIELD(json, path) takes a JSONPath of `$`, `.name`, `['name']` and `[index]` steps; a string
///   value comes back unquoted, any other value as compact JSON text, JSON null and missing paths as NULL.
///   A malformed path is 22023. Paths are compiled once per distinct text (cached).
/// - JSON_CONCAT merges objects when every argument is an object (later keys win), and otherwise concatenates
///   into one array (arrays contribute their elements, other values themselves).
/// - JSON_ARRAY_CONTAINS compares primitive values by JSON token kind (see `matches`).
/// - TO_JSON_STRING writes any value as ksqlDB's ToJsonString does: DATE, TIME and TIMESTAMP as ISO-8601 strings,
///   BYTES as base64, MAP keys and STRUCT fields sorted by name; NULL gives 'null'.
enum JSONFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        library.register(
            "EXTRACTJSONFIELD",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let json = a.string(0), let pathText = a.string(1) else { return .null }
                let path = try pathCache.value(for: pathText) { (text) throws(EvaluationError) in try parsePath(text) }
                guard let document = JSONDocument.parse(json) else {
                    throw EvaluationError("22P02", "EXTRACTJSONFIELD: invalid JSON text")
                }
                guard let found = follow(document, path) else { return .null }
                switch found {
                case .null: return .null
                case .string(let value): return .string(value)
                default: return .string(found.text)
                }
            })
        library.register(
            "IS_JSON_STRING",
            body: { (a) throws(EvaluationError) -> Value in
                guard let json = a.string(0) else { return .boolean(false) }
                return .boolean(JSONDocument.parse(json) != nil)
            })
        library.register(
            "JSON_ARRAY_LENGTH",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let json = a.string(0), case .array(let elements)? = JSONDocument.parse(json) else {
                    return .null
                }
                return .int(Int32(truncatingIfNeeded: elements.count))
            })
        library.register(
            "JSON_ARRAY_CONTAINS",
            body: { (a) throws(EvaluationError) -> Value in
                guard let json = a.string(0), case .array(let elements)? = JSONDocument.parse(json) else {
                    return .boolean(false)
                }
                return .boolean(elements.contains { matches($0, a[1]) })
            })
        library.register("JSON_CONCAT", body: FunctionSupport.strict(concat))
        library.register(
            "JSON_KEYS",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let json = a.string(0), case .object(let members)? = JSONDocument.parse(json) else {
                    return .null
                }
                return .array(members.map { .string($0.key) })
            })
        library.register(
            "JSON_RECORDS",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let json = a.string(0), case .object(let members)? = JSONDocument.parse(json) else {
                    return .null
                }
                return .map(members.map { Value.MapEntry(.string($0.key), .string($0.value.text)) })
            })
        library.register(
            "JSON_ITEMS",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                guard let json = a.string(0), case .array(let elements)? = JSONDocument.parse(json) else {
                    return .null
                }
                return .array(elements.map { .string($0.text) })
            })
        library.register("TO_JSON_STRING") { types, _ in
            let type = types.first ?? .string
            return { (a) throws(EvaluationError) -> Value in
                var out: [UInt8] = []
                appendJSON(a[0], type: type, to: &out)
                return .string(String(decoding: out, as: UTF8.self))
            }
        }
    }

    // MARK: - Paths

    enum PathStep: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    static let pathCache = PatternCache<[PathStep]>()

    static func parsePath(_ text: String) throws(EvaluationError) -> [PathStep] {
        let scalars = Array(text.unicodeScalars)
        let bad = FunctionSupport.invalid("invalid JSON path '\(text)'")
        guard scalars.first == "$" else { throw bad }
        var steps: [PathStep] = []
        var index = 1
        while index < scalars.count {
            if scalars[index] == "." {
                index += 1
                let start = index
                while index < scalars.count, scalars[index] != ".", scalars[index] != "[" { index += 1 }
                guard index > start else { throw bad }
                steps.append(.key(TextSupport.string(scalars[start..<index])))
            } else if scalars[index] == "[" {
                index += 1
                guard index < scalars.count else { throw bad }
                if scalars[index] == "'" || scalars[index] == "\"" {
                    let quote = scalars[index]
                    index += 1
                    let start = index
                    while index < scalars.count, scalars[index] != quote { index += 1 }
                    guard index + 1 < scalars.count, scalars[index + 1] == "]" else { throw bad }
                    steps.append(.key(TextSupport.string(scalars[start..<index])))
                    index += 2
                } else {
                    let start = index
                    while index < scalars.count, scalars[index] != "]" { index += 1 }
                    guard index < scalars.count, let position = Int(TextSupport.string(scalars[start..<index])),
                        position >= 0
                    else { throw bad }
                    steps.append(.index(position))
                    index += 1
                }
            } else {
                throw bad
            }
        }
        return steps
    }

    static func follow(_ document: JSONDocument, _ path: [PathStep]) -> JSONDocument? {
        var current = document
        for step in path {
            switch (step, current) {
            case (.key(let key), .object(let members)):
                guard let member = members.first(where: { $0.key == key }) else { return nil }
                current = member.value
            case (.index(let position), .array(let elements)):
                guard position < elements.count else { return nil }
                current = elements[position]
            case (.key(let key), .array(let elements)):
                // `$.a.0` addresses an element as ksqlDB's tokenizer allows.
                guard let position = Int(key), position >= 0, position < elements.count else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    // MARK: - JSON_ARRAY_CONTAINS, JSON_CONCAT

    /// ksqlDB's token rules: an integer token matches INT/BIGINT values, a fractional or exponent token only
    /// DOUBLE values, strings, booleans and null their own kinds; DECIMAL and compound values never match.
    static func matches(_ element: JSONDocument, _ value: Value) -> Bool {
        switch (element, value) {
        case (.null, .null): return true
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let text), .int), (.number(let text), .bigint):
            return Int64(text) == value.integerValue
        case (.number(let text), .double(let y)):
            guard text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
                return false
            }
            return Double(text) == y
        default:
            return false
        }
    }

    static func concat(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        var documents: [JSONDocument] = []
        for index in 0..<a.count {
            guard let json = a.string(index), let document = JSONDocument.parse(json) else { return .null }
            documents.append(document)
        }
        if documents.allSatisfy({ if case .object = $0 { true } else { false } }) {
            var members: [JSONDocument.Member] = []
            for case .object(let more) in documents {
                for member in more { JSONDocument.upsert(&members, member) }
            }
            return .string(JSONDocument.object(members).text)
        }
        var elements: [JSONDocument] = []
        for document in documents {
            if case .array(let more) = document { elements += more } else { elements.append(document) }
        }
        return .string(JSONDocument.array(elements).text)
    }

    // MARK: - TO_JSON_STRING

    static func appendJSON(_ value: Value, type: DataType, to out: inout [UInt8]) {
        switch (value, type) {
        case (.date(let days), _): JSONWriter.appendString(DateTimeText.formatDate(days), to: &out)
        case (.time(let ms), _): JSONWriter.appendString(DateTimeText.formatTime(ms), to: &out)
        case (.timestamp(let ms), _): JSONWriter.appendString(DateTimeText.formatTimestamp(ms), to: &out)
        case (.array(let elements), _):
            var elementType = DataType.string
            if case .array(let t) = type { elementType = t }
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendJSON(element, type: elementType, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case (.map(let entries), _):
            var valueType = DataType.string
            if case .map(_, let v) = type { valueType = v }
            let members = entries.map { entry in
                (key: (try? Value.text(entry.key, type: .string)) ?? "null", value: entry.value)
            }
            appendObject(members, type: { _ in valueType }, to: &out)
        case (.struct(let values), .struct(let fields)) where fields.count == values.count:
            let types = Dictionary(fields.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
            let members = zip(fields, values).map { (key: $0.name, value: $1) }
            appendObject(members, type: { types[$0] ?? .string }, to: &out)
        default:
            JSONWriter.appendValue(value, type: type, to: &out)
        }
    }

    /// An object with its members sorted by key (UTF-8 order, as Java's TreeMap orders ASCII keys).
    static func appendObject(
        _ members: [(key: String, value: Value)], type: (String) -> DataType,
        to out: inout [UInt8]
    ) {
        out.append(UInt8(ascii: "{"))
        let sorted = members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        for (index, member) in sorted.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendJSON(member.value, type: type(member.key), to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
