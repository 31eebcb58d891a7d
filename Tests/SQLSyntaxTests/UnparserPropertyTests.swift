import SluiceCore
import Testing

@testable import SQLSyntax

/// Random ASTs (not parsed ones) must survive `parse(unparse(ast)) == ast`: this checks the unparser's
/// parentheses and quoting against the parser for every combination of operators, predicates and names.
@Suite struct UnparserPropertyTests {
    static let names = ["A", "b", "KEY", "SELECT", "ROWTIME", "my col", "x`y", "_1", "DATE", "MAP", "É"]

    struct Generator {
        var random: SeededRandom

        mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        mutating func flip() -> Bool { below(2) == 0 }
        mutating func name() -> Identifier {
            Identifier(UnparserPropertyTests.names[below(UnparserPropertyTests.names.count)])
        }

        mutating func literal() -> Literal {
            switch below(7) {
            case 0: .null
            case 1: .boolean(flip())
            case 2: .integer(String(below(1000)))
            case 3: .decimal("\(below(100)).\(below(100))")
            case 4: .double("\(below(10))E\(below(20))")
            case 5: .string(["", "it's", "a''b", "é"][below(4)])
            default: .integer("99999999999999999999999")
            }
        }

        mutating func expression(depth: Int) -> Expr {
            if depth == 0 || below(5) == 0 { return leaf() }
            let next = depth - 1
            switch below(14) {
            case 0, 1:
                return Expr(
                    .binary(
                        Expr.BinaryOperator.allCases[below(14)], expression(depth: next),
                        expression(depth: next)))
            case 2: return Expr(.unary([.not, .minus, .plus][below(3)], expression(depth: next)))
            case 3: return Expr(.isNull(expression(depth: next), negated: flip()))
            case 4: return Expr(.isDistinctFrom(expression(depth: next), expression(depth: next), negated: flip()))
            case 5:
                return Expr(
                    .between(
                        expression(depth: next), low: expression(depth: next),
                        high: expression(depth: next), negated: flip()))
            case 6: return Expr(.inList(expression(depth: next), list(depth: next, minimum: 1), negated: flip()))
            case 7:
                return Expr(
                    .like(
                        expression(depth: next), pattern: expression(depth: next),
                        escape: flip() ? expression(depth: next) : nil, negated: flip()))
            case 8: return caseExpression(depth: next)
            case 9: return Expr(.cast(expression(depth: next), type(depth: 3)))
            case 10:
                return flip()
                    ? Expr(.dereference(expression(depth: next), field: name()))
                    : Expr(.subscript(expression(depth: next), index: expression(depth: next)))
            case 11: return Expr(.function(call(depth: next)))
            case 12: return constructor(depth: next)
            default: return leaf()
            }
        }

        mutating func leaf() -> Expr {
            switch below(4) {
            case 0: Expr(.literal(literal()))
            case 1: Expr(.column(qualifier: nil, name: name()))
            case 2: Expr(.column(qualifier: name(), name: name()))
            default: Expr(.parameter(1 + below(9)))
            }
        }

        mutating func list(depth: Int, minimum: Int) -> [Expr] {
            (0..<(minimum + below(3))).map { _ in expression(depth: depth) }
        }

        mutating func caseExpression(depth: Int) -> Expr {
            let whens = (0..<(1 + below(2))).map { _ in
                Expr.WhenClause(condition: expression(depth: depth), result: expression(depth: depth))
            }
            return Expr(
                .caseWhen(
                    operand: flip() ? expression(depth: depth) : nil, whens: whens,
                    elseResult: flip() ? expression(depth: depth) : nil))
        }

        mutating func call(depth: Int) -> FunctionCall {
            var call = FunctionCall(name: name())
            switch below(4) {
            case 0: call.star = true
            case 1:
                call.arguments = list(depth: depth, minimum: 1)
                call.distinct = true
            case 2:
                let parameters = (0..<(1 + below(2))).map { _ in name() }
                call.arguments = [
                    expression(depth: depth),
                    Expr(
                        .lambda(
                            parameters: parameters,
                            body: expression(depth: depth))),
                ]
            default: call.arguments = list(depth: depth, minimum: 0)
            }
            if below(3) == 0 {
                call.over = WindowSpecification(
                    partitionBy: list(depth: depth, minimum: 0),
                    orderBy: list(depth: depth, minimum: 0).map {
                        SortItem($0, direction: flip() ? .descending : nil, nulls: flip() ? .first : nil)
                    })
            }
            return call
        }

        mutating func constructor(depth: Int) -> Expr {
            switch below(3) {
            case 0: return Expr(.array(list(depth: depth, minimum: 0)))
            case 1:
                return Expr(
                    .map(list(depth: depth, minimum: 0).map { Expr.MapEntry(key: $0, value: expression(depth: depth)) })
                )
            default:
                return Expr(
                    .structure(list(depth: depth, minimum: 0).map { Expr.StructField(name: name(), value: $0) }))
            }
        }

        mutating func type(depth: Int) -> TypeName {
            let simple: [TypeName.Kind] = [
                .boolean, .int, .bigint, .double, .varchar, .bytes, .date, .time, .timestamp,
                .decimal(precision: below(40), scale: below(10)), .boundedVarchar(length: 1 + below(300)),
            ]
            guard depth > 0, below(3) == 0 else {
                return flip() ? TypeName(simple[below(simple.count)]) : TypeName(.named(name()))
            }
            switch below(3) {
            case 0: return TypeName(.array(type(depth: depth - 1)))
            case 1: return TypeName(.map(key: type(depth: depth - 1), value: type(depth: depth - 1)))
            default:
                return TypeName(
                    .structure((0..<below(3)).map { _ in TypeName.Field(name: name(), type: type(depth: depth - 1)) }))
            }
        }
    }

    @Test func randomExpressionsRoundTrip() throws {
        var generator = Generator(random: SeededRandom(seed: 0xE7_9A5E))
        var failures: [String] = []
        for _ in 0..<20_000 {
            let expression = generator.expression(depth: 5)
            let text = Unparser.sql(expression)
            do {
                let reparsed = try Parser.parseExpression(text)
                if reparsed != expression && failures.count < 5 { failures.append("changed: \(text)") }
            } catch {
                if failures.count < 5 { failures.append("\(error)\n  \(text)") }
            }
        }
        #expect(failures == [])
    }

    @Test func randomTypesRoundTrip() throws {
        var generator = Generator(random: SeededRandom(seed: 0x7E_5EED))
        for _ in 0..<2_000 {
            let type = generator.type(depth: 4)
            #expect(try Parser.parseType(Unparser.sql(type)) == type, "\(Unparser.sql(type))")
        }
    }
}
