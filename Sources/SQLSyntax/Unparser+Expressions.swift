extension Unparser {
    /// The precedence an expression binds with; operands that bind looser than their context get parentheses.
    static func precedence(_ kind: Expr.Kind) -> Int {
        switch kind {
        case .binary(let op, _, _): op.precedence
        case .unary(.not, _): Parser.notPrecedence
        case .unary: 8
        case .isNull, .isDistinctFrom, .between, .inList, .like: Parser.predicatePrecedence
        case .lambda: 0
        default: 10
        }
    }

    mutating func write(_ expression: Expr, minimum: Int = 0) {
        let parenthesize = Unparser.precedence(expression.kind) < minimum
        if parenthesize { write("(") }
        writeKind(expression.kind)
        if parenthesize { write(")") }
    }

    private mutating func writeKind(_ kind: Expr.Kind) {
        switch kind {
        case .literal(let literal): write(literal)
        case .column(let qualifier, let name):
            if let qualifier {
                write(qualifier)
                write(".")
            }
            write(name)
        case .parameter(let number): write("$\(number)")
        case .unary(let op, let operand): writeUnary(op, operand)
        case .binary(let op, let left, let right):
            write(left, minimum: op.precedence)
            write(" \(op.rawValue) ")
            write(right, minimum: op.precedence + 1)
        case .function(let call): write(call)
        case .caseWhen(let operand, let whens, let elseResult): writeCase(operand, whens, elseResult)
        case .cast(let value, let type):
            write("CAST(")
            write(value)
            write(" AS ")
            write(type)
            write(")")
        case .dereference(let base, let field):
            write(base, minimum: 10)
            write("->")
            write(field)
        case .subscript(let base, let index):
            write(base, minimum: 10)
            write("[")
            write(index)
            write("]")
        case .lambda(let parameters, let body): writeLambda(parameters, body)
        default: writePredicateOrConstructor(kind)
        }
    }

    private mutating func writeUnary(_ op: Expr.UnaryOperator, _ operand: Expr) {
        switch op {
        case .not:
            write("NOT ")
            write(operand, minimum: Parser.notPrecedence)
        case .minus, .plus:
            write(op.rawValue)
            if case .unary = operand.kind { write(" ") }
            write(operand, minimum: 8)
        }
    }

    private mutating func writePredicateOrConstructor(_ kind: Expr.Kind) {
        let predicate = Parser.predicatePrecedence
        switch kind {
        case .isNull(let value, let negated):
            write(value, minimum: predicate)
            write(negated ? " IS NOT NULL" : " IS NULL")
        case .isDistinctFrom(let left, let right, let negated):
            write(left, minimum: predicate)
            write(negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ")
            write(right, minimum: predicate + 1)
        case .between(let value, let low, let high, let negated):
            write(value, minimum: predicate)
            write(negated ? " NOT BETWEEN " : " BETWEEN ")
            write(low, minimum: predicate + 1)
            write(" AND ")
            write(high, minimum: predicate + 1)
        case .inList(let value, let list, let negated):
            write(value, minimum: predicate)
            write(negated ? " NOT IN (" : " IN (")
            writeList(list) { $0.write($1) }
            write(")")
        case .like(let value, let pattern, let escape, let negated):
            write(value, minimum: predicate)
            write(negated ? " NOT LIKE " : " LIKE ")
            write(pattern, minimum: predicate + 1)
            if let escape {
                write(" ESCAPE ")
                write(escape, minimum: predicate + 1)
            }
        default: writeConstructor(kind)
        }
    }

    private mutating func writeConstructor(_ kind: Expr.Kind) {
        switch kind {
        case .array(let elements):
            write("ARRAY[")
            writeList(elements) { $0.write($1) }
            write("]")
        case .map(let entries):
            write("MAP(")
            writeList(entries) { unparser, entry in
                unparser.write(entry.key)
                unparser.write(" := ")
                unparser.write(entry.value)
            }
            write(")")
        case .structure(let fields):
            write("STRUCT(")
            writeList(fields) { unparser, field in
                unparser.write(field.name)
                unparser.write(" := ")
                unparser.write(field.value)
            }
            write(")")
        default: preconditionFailure("unparser: unhandled expression kind \(kind)")
        }
    }

    private mutating func writeCase(_ operand: Expr?, _ whens: [Expr.WhenClause], _ elseResult: Expr?) {
        write("CASE")
        if let operand {
            write(" ")
            write(operand)
        }
        for when in whens {
            write(" WHEN ")
            write(when.condition)
            write(" THEN ")
            write(when.result)
        }
        if let elseResult {
            write(" ELSE ")
            write(elseResult)
        }
        write(" END")
    }

    private mutating func writeLambda(_ parameters: [Identifier], _ body: Expr) {
        if parameters.count == 1 {
            write(parameters[0])
        } else {
            write("(")
            writeList(parameters) { $0.write($1) }
            write(")")
        }
        write(" => ")
        write(body)
    }

    mutating func write(_ call: FunctionCall) {
        write(Unparser.functionName(call.name.value))
        write("(")
        if call.star {
            write("*")
        } else {
            if call.distinct { write("DISTINCT ") }
            writeList(call.arguments) { $0.write($1) }
        }
        write(")")
        if let over = call.over {
            write(" OVER (")
            var separator = ""
            if !over.partitionBy.isEmpty {
                write("PARTITION BY ")
                writeList(over.partitionBy) { $0.write($1) }
                separator = " "
            }
            if !over.orderBy.isEmpty {
                write(separator + "ORDER BY ")
                writeList(over.orderBy) { $0.write($1) }
            }
            write(")")
        }
    }

    /// Function names that are non-reserved keywords (`REPLACE`, `DATE`) stay bare: a keyword followed by `(`
    /// is read as a call. ARRAY, MAP and STRUCT are the exceptions, since `MAP(` is a constructor.
    static func functionName(_ name: String) -> String {
        if isPlainWord(name), let keyword = Keyword.lookup(name), !keyword.isReserved, keyword != .ARRAY,
            keyword != .MAP,
            keyword != .STRUCT
        {
            return name
        }
        return quoted(name)
    }

    mutating func write(_ item: SortItem) {
        write(item.expression)
        if let direction = item.direction { write(" " + direction.rawValue) }
        if let nulls = item.nulls { write(" NULLS " + nulls.rawValue) }
    }
}
