extension Parser {
    // MARK: - CREATE

    mutating func parseCreate() throws(SyntaxError) -> Statement.Kind {
        try expect(.CREATE)
        var orReplace = false
        if accept(.OR) {
            try expect(.REPLACE)
            orReplace = true
        }
        let isSource = accept(.SOURCE)
        if !orReplace && !isSource && accept(.TYPE) { return try parseCreateType() }
        let kind = try parseSourceKind()
        let ifNotExists = try parseIfNotExists()
        let name = try parseIdentifier()
        let elements = current.kind == .leftParen ? try parseTableElements() : []
        let properties = accept(.WITH) ? try parseProperties() : []
        if elements.isEmpty && !isSource && accept(.AS) {
            let query = try parseQuery()
            return .createAsSelect(
                Statement.CreateAsSelect(
                    kind: kind, orReplace: orReplace, ifNotExists: ifNotExists, name: name, properties: properties,
                    query: query))
        }
        return .createSource(
            Statement.CreateSource(
                kind: kind, orReplace: orReplace, isSource: isSource, ifNotExists: ifNotExists, name: name,
                elements: elements, properties: properties))
    }

    private mutating func parseCreateType() throws(SyntaxError) -> Statement.Kind {
        let ifNotExists = try parseIfNotExists()
        let name = try parseIdentifier()
        try expect(.AS)
        return .createType(Statement.CreateType(ifNotExists: ifNotExists, name: name, type: try parseType()))
    }

    mutating func parseSourceKind() throws(SyntaxError) -> Statement.SourceKind {
        if accept(.STREAM) { return .stream }
        try expect(.TABLE)
        return .table
    }

    private mutating func parseIfNotExists() throws(SyntaxError) -> Bool {
        guard isAt(.IF) && peek(1) == .keyword(.NOT) else {
            note(.keyword(.IF))
            return false
        }
        advance()
        advance()
        try expect(.EXISTS)
        return true
    }

    private mutating func parseIfExists() throws(SyntaxError) -> Bool {
        guard isAt(.IF) && peek(1) == .keyword(.EXISTS) else {
            note(.keyword(.IF))
            return false
        }
        advance()
        advance()
        return true
    }

    /// `(name type [constraint], …)`
    mutating func parseTableElements() throws(SyntaxError) -> [Statement.TableElement] {
        try expect(.leftParen)
        var elements: [Statement.TableElement] = []
        repeat {
            guard elements.count < Parser.maximumColumns else {
                throw error(.numberOutOfRange, "a stream or table can have at most \(Parser.maximumColumns) columns")
            }
            elements.append(try parseTableElement())
        } while accept(.comma)
        try expect(.rightParen)
        return elements
    }

    private mutating func parseTableElement() throws(SyntaxError) -> Statement.TableElement {
        let name = try parseIdentifier()
        let type = try parseType()
        var element = Statement.TableElement(name: name, type: type)
        if accept(.KEY) {
            element.constraint = .key
        } else if accept(.PRIMARY) {
            try expect(.KEY)
            element.constraint = .primaryKey
        } else if accept(.HEADERS) {
            element.constraint = .headers
        } else if accept(.HEADER) {
            try expect(.leftParen)
            element.constraint = .header(try parseString())
            try expect(.rightParen)
        }
        return element
    }

    /// `(name = literal, …)` after WITH.
    mutating func parseProperties() throws(SyntaxError) -> [Statement.Property] {
        try expect(.leftParen)
        var properties: [Statement.Property] = []
        properties.reserveCapacity(4)
        repeat { properties.append(try parseProperty()) } while accept(.comma)
        try expect(.rightParen)
        return properties
    }

    private mutating func parseProperty() throws(SyntaxError) -> Statement.Property {
        let start = current.span.start
        let isString = current.kind == .string
        let name = isString ? try parseString() : try parseIdentifier().value
        try expect(.equal)
        let value = try parsePropertyValue()
        return Statement.Property(name: name, nameIsString: isString, value: value, span: span(from: start))
    }

    private mutating func parsePropertyValue() throws(SyntaxError) -> Literal {
        let negative = accept(.minus)
        guard let literal = try parseLiteral() else {
            note(.what("literal"))
            throw unexpected()
        }
        guard negative else { return literal }
        switch literal {
        case .integer(let text): return .integer("-" + text)
        case .decimal(let text): return .decimal("-" + text)
        case .double(let text): return .double("-" + text)
        default:
            index -= 1
            note(.what("number"))
            throw unexpected()
        }
    }

    // MARK: - ALTER and DROP

    mutating func parseAlter() throws(SyntaxError) -> Statement.Kind {
        try expect(.ALTER)
        let kind = try parseSourceKind()
        let name = try parseIdentifier()
        var columns: [Statement.TableElement] = []
        repeat {
            try expect(.ADD)
            _ = accept(.COLUMN)
            let column = try parseIdentifier()
            columns.append(Statement.TableElement(name: column, type: try parseType()))
        } while accept(.comma)
        return .alterSource(Statement.AlterSource(kind: kind, name: name, addedColumns: columns))
    }

    mutating func parseDrop() throws(SyntaxError) -> Statement.Kind {
        try expect(.DROP)
        if accept(.TYPE) {
            let ifExists = try parseIfExists()
            return .dropType(Statement.DropType(ifExists: ifExists, name: try parseIdentifier()))
        }
        let kind = try parseSourceKind()
        let ifExists = try parseIfExists()
        let name = try parseIdentifier()
        var deleteTopic = false
        if accept(.DELETE) {
            try expect(.TOPIC)
            deleteTopic = true
        }
        return .dropSource(Statement.DropSource(kind: kind, ifExists: ifExists, name: name, deleteTopic: deleteTopic))
    }

    // MARK: - ASSERT

    mutating func parseAssert() throws(SyntaxError) -> Statement.Kind {
        try expect(.ASSERT)
        if accept(.NOT) {
            try expect(.EXISTS)
            return try parseAssertTopic(notExists: true)
        }
        if isAt(.TOPIC) { return try parseAssertTopic(notExists: false) }
        if accept(.NULL) {
            try expect(.VALUES)
            return try parseAssertValues(isNull: true)
        }
        if accept(.VALUES) { return try parseAssertValues(isNull: false) }
        note(.keyword(.TOPIC)); note(.keyword(.NOT)); note(.keyword(.NULL))
        let kind = try parseSourceKind()
        let name = try parseIdentifier()
        let elements = current.kind == .leftParen ? try parseTableElements() : []
        let properties = accept(.WITH) ? try parseProperties() : []
        return .assertSource(Statement.AssertSource(kind: kind, name: name, elements: elements, properties: properties))
    }

    private mutating func parseAssertTopic(notExists: Bool) throws(SyntaxError) -> Statement.Kind {
        try expect(.TOPIC)
        var assertion = Statement.AssertTopic(notExists: notExists, topic: try parseTopicName())
        if accept(.WITH) { assertion.properties = try parseProperties() }
        if accept(.TIMEOUT) { assertion.timeout = try parseDuration() }
        return .assertTopic(assertion)
    }

    private mutating func parseAssertValues(isNull: Bool) throws(SyntaxError) -> Statement.Kind {
        let source = try parseIdentifier()
        let columns = current.kind == .leftParen ? try parseIdentifierList() : []
        try expect(isNull ? .KEY : .VALUES)
        let values = try parseParenthesizedExpressions()
        return .assertValues(Statement.AssertValues(isNull: isNull, source: source, columns: columns, values: values))
    }
}
