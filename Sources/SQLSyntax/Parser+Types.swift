extension Parser {
    /// The largest DECIMAL precision accepted by the parser; the binder may enforce a smaller one.
    static let maximumDecimalPrecision = 1_000
    /// PostgreSQL's limits on a target list and on a table's columns (54011 there); without them a statement of
    /// 40,000 columns overflows the wire's 16-bit column counts.
    public static let maximumSelectItems = 1_664
    public static let maximumColumns = 1_600
    /// PostgreSQL's limit for `VARCHAR(n)`.
    static let maximumVarcharLength = 10_485_760

    mutating func parseType() throws(SyntaxError) -> TypeName {
        let start = current.span.start
        try enter()
        defer { leave() }
        let kind: TypeName.Kind
        if current.keyword == .VARCHAR, peek(1) == .leftParen {
            advance()
            advance()
            let length = try parseSmallInt(limit: Parser.maximumVarcharLength)
            guard length >= 1 else {
                index -= 1
                throw error(.numberOutOfRange, "VARCHAR length must be at least 1")
            }
            try expect(.rightParen)
            kind = .boundedVarchar(length: length)
        } else if let keyword = current.keyword, let simple = Parser.simpleType(keyword) {
            advance()
            kind = simple
            // PostgreSQL's `DOUBLE PRECISION`.
            if simple == .double, current.kind == .identifier, upperCasedText(current.range) == "PRECISION" {
                advance()
            }
        } else if current.kind == .identifier, upperCasedText(current.range) == "NUMERIC" {
            guard peek(1) == .leftParen else {
                throw error(.unexpectedToken, "NUMERIC needs a precision and a scale here, as DECIMAL does",
                            hint: "write NUMERIC(p, s), e.g. NUMERIC(10, 2)")
            }
            advance()
            kind = try parseDecimalArguments()
        } else if accept(.DECIMAL) {
            kind = try parseDecimalArguments()
        } else if accept(.ARRAY) {
            try expect(.lessThan)
            let element = try parseType()
            try expect(.greaterThan)
            kind = .array(element)
        } else if accept(.MAP) {
            kind = try parseMapType()
        } else if accept(.STRUCT) {
            kind = .structure(try parseStructFields())
        } else if atIdentifier {
            kind = .named(try parseIdentifier())
        } else {
            note(.what("type"))
            throw unexpected()
        }
        return TypeName(kind, span: span(from: start))
    }

    private static func simpleType(_ keyword: Keyword) -> TypeName.Kind? {
        switch keyword {
        case .BOOLEAN: .boolean
        case .INT, .INTEGER: .int
        case .BIGINT: .bigint
        case .DOUBLE: .double
        case .VARCHAR, .STRING: .varchar
        case .BYTES: .bytes
        case .DATE: .date
        case .TIME: .time
        case .TIMESTAMP: .timestamp
        default: nil
        }
    }

    private mutating func parseDecimalArguments() throws(SyntaxError) -> TypeName.Kind {
        try expect(.leftParen)
        let precision = try parseSmallInt(limit: Parser.maximumDecimalPrecision)
        try expect(.comma)
        let scale = try parseSmallInt(limit: Parser.maximumDecimalPrecision)
        try expect(.rightParen)
        return .decimal(precision: precision, scale: scale)
    }

    private mutating func parseMapType() throws(SyntaxError) -> TypeName.Kind {
        try expect(.lessThan)
        let key = try parseType()
        try expect(.comma)
        let value = try parseType()
        try expect(.greaterThan)
        return .map(key: key, value: value)
    }

    private mutating func parseStructFields() throws(SyntaxError) -> [TypeName.Field] {
        var fields: [TypeName.Field] = []
        if accept(.notEqual) { return fields }  // `STRUCT<>` lexes as `<>`
        try expect(.lessThan)
        if accept(.greaterThan) { return fields }
        repeat {
            let name = try parseIdentifier()
            fields.append(TypeName.Field(name: name, type: try parseType()))
        } while accept(.comma)
        try expect(.greaterThan)
        return fields
    }
}
