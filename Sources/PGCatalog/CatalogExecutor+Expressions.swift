// MARK: - Expression evaluation (three-valued logic; NULL in, NULL out unless SQL says otherwise).

extension CatalogExecutor {
    func eval(_ e: CatalogExpr, _ s: CatalogScope) throws(PGCatalogError) -> CatalogValue {
        switch e {
        case .literal(let v): return v
        case .unknownLiteral(let text): return .text(text)
        case .parameter(let n): return parameter(n)
        case .column(let q, let name, let position): return try column(q, name, position, s)
        case .star: throw .syntax("syntax error at or near \"*\"", at: nil)
        case .unary(let op, let a): return try unary(op, try eval(a, s))
        case .binary(let op, let a, let b): return try binary(op, a, b, s)
        case .isNull(let a, let negated): return .bool(try eval(a, s).isNull != negated)
        case .isBool(let a, let want, let negated): return .bool((try eval(a, s).truth == want) != negated)
        case .isDistinct(let a, let b, let negated):
            let x = try eval(a, s), y = try eval(b, s)
            let same = (x.isNull && y.isNull) || (!x.isNull && !y.isNull && CatalogValue.compare(x, y) == 0)
            return .bool(same == negated)
        case .inList(let a, let list, let negated):
            var values: [CatalogValue] = []
            for item in list { values.append(try eval(item, s)) }
            return Self.negate(Self.anyMatch("=", try eval(a, s), values), negated)
        case .inQuery(let a, let q, let negated):
            return Self.negate(Self.anyMatch("=", try eval(a, s), try firstColumn(q, s)), negated)
        case .quantified(let op, let a, let any, let b): return try quantified(op, try eval(a, s), any, try eval(b, s))
        case .quantifiedQuery(let op, let a, let any, let q):
            let left = try eval(a, s), values = try firstColumn(q, s)
            return any ? Self.anyMatch(op, left, values) : Self.allMatch(op, left, values)
        case .exists(let q): return .bool(!(try run(q, outer: s).rows.isEmpty))
        case .scalarQuery(let q): return try scalarQuery(q, s)
        case .arrayQuery(let q):
            let set = try run(q, outer: s)
            let element = set.columns.first?.type ?? PGTypeOID.text
            return .array(
                set.rows.map { $0.first ?? .null }, type: PGBuiltinType.byOID[element]?.array ?? PGTypeOID.textArray)
        case .array(let list): return try arrayConstructor(list, s)
        case .row(let list):
            var values: [CatalogValue] = []
            for item in list { values.append(try eval(item, s)) }
            return .record(values.indices.map { "f\($0 + 1)" }, values)
        case .subscript(let a, let i): return Self.subscripted(try eval(a, s), try eval(i, s))
        case .field(let a, let name): return try field(try eval(a, s), name)
        case .cast(let a, let t): return try cast(try eval(a, s), to: t)
        case .call(let c): return try callFunction(c, s)
        case .caseWhen(let operand, let whens, let otherwise): return try caseWhen(operand, whens, otherwise, s)
        case .between(let a, let lo, let hi, let negated):
            let v = try eval(a, s)
            let l = CatalogValue.compare(v, try eval(lo, s)), h = CatalogValue.compare(v, try eval(hi, s))
            guard let l, let h else { return .null }
            return .bool((l >= 0 && h <= 0) != negated)
        }
    }

    private func parameter(_ n: Int) -> CatalogValue {
        guard n >= 1, n <= parameters.count, let text = parameters[n - 1] else { return .null }
        return .text(text)
    }

    private func column(_ q: String?, _ name: String, _ position: Int, _ s: CatalogScope) throws(PGCatalogError)
        -> CatalogValue
    {
        var level: CatalogScope? = s
        while let current = level {
            if let i = current.index(of: name, qualifier: q) { return current.row[i] }
            if q == nil, current.hasQualifier(name) { return wholeRow(name, current) }
            level = current.parent
        }
        let shown = q.map { "\($0).\(name)" } ?? name
        if let q, !Self.anyScope(s, hasQualifier: q) {
            throw PGCatalogError(
                sqlState: "42P01", message: "missing FROM-clause entry for table \"\(q)\"",
                position: position > 0 ? position : nil)
        }
        throw PGCatalogError(
            sqlState: "42703", message: "column \(shown) does not exist", position: position > 0 ? position : nil)
    }

    private static func anyScope(_ s: CatalogScope, hasQualifier q: String) -> Bool {
        var level: CatalogScope? = s
        while let current = level {
            if current.hasQualifier(q) { return true }
            level = current.parent
        }
        return false
    }

    private func wholeRow(_ qualifier: String, _ s: CatalogScope) -> CatalogValue {
        let indices = s.columns.indices.filter { s.columns[$0].qualifier == qualifier && !s.columns[$0].hidden }
        return .record(indices.map { s.columns[$0].name }, indices.map { s.row[$0] })
    }

    private func firstColumn(_ q: CatalogQuery, _ s: CatalogScope) throws(PGCatalogError) -> [CatalogValue] {
        try run(q, outer: s).rows.map { $0.first ?? .null }
    }

    private func scalarQuery(_ q: CatalogQuery, _ s: CatalogScope) throws(PGCatalogError) -> CatalogValue {
        let set = try run(q, outer: s)
        guard set.rows.count <= 1 else {
            throw PGCatalogError(
                sqlState: "21000", message: "more than one row returned by a subquery used as an expression")
        }
        return set.rows.first?.first ?? .null
    }

    static func negate(_ v: CatalogValue, _ negated: Bool) -> CatalogValue {
        guard negated, case .bool(let b) = v else { return v }
        return .bool(!b)
    }

    private func unary(_ op: String, _ v: CatalogValue) throws(PGCatalogError) -> CatalogValue {
        switch op {
        case "not": return v.truth.map { .bool(!$0) } ?? .null
        case "-":
            switch v {
            case .null: return .null
            case .int(let x, let t): return .int(0 &- x, type: t)
            case .float(let d, let t): return .float(-d, type: t)
            default:
                guard let d = v.asDouble else { throw .invalidText("\(v)", type: "numeric") }
                return .float(-d, type: PGTypeOID.numeric)
            }
        default: throw .unsupported("operator \(op) is not supported")
        }
    }

    private func caseWhen(
        _ operand: CatalogExpr?, _ whens: [(CatalogExpr, CatalogExpr)], _ otherwise: CatalogExpr?, _ s: CatalogScope
    ) throws(PGCatalogError) -> CatalogValue {
        let subject = try operand.map { (x: CatalogExpr) throws(PGCatalogError) in try eval(x, s) }
        for (condition, result) in whens {
            let c = try eval(condition, s)
            let hit = subject.map { CatalogValue.compare($0, c) == 0 } ?? (c.truth == true)
            if hit { return try eval(result, s) }
        }
        return try otherwise.map { (x: CatalogExpr) throws(PGCatalogError) in try eval(x, s) } ?? .null
    }

    private func arrayConstructor(_ list: [CatalogExpr], _ s: CatalogScope) throws(PGCatalogError) -> CatalogValue {
        var values: [CatalogValue] = []
        for item in list { values.append(try eval(item, s)) }
        let element = values.lazy.compactMap(\.typeOID).first ?? PGTypeOID.text
        if PGBuiltinType.byOID[element]?.category == "A" { return .array(values, type: element) }
        return .array(values, type: PGBuiltinType.byOID[element]?.array ?? PGTypeOID.textArray)
    }

    static func subscripted(_ a: CatalogValue, _ i: CatalogValue) -> CatalogValue {
        let base: Int64 = a.typeOID == PGTypeOID.int2vector || a.typeOID == PGTypeOID.oidvector ? 0 : 1
        guard case .array(let values, _) = a, let n = i.asInt, n >= base, n - base < Int64(values.count) else {
            return .null
        }
        return values[Int(n - base)]
    }

    private func field(_ v: CatalogValue, _ name: String) throws(PGCatalogError) -> CatalogValue {
        switch v {
        case .null: return .null
        case .rows(let rows):
            var out: [CatalogValue] = []
            for r in rows { out.append(try field(r, name)) }
            return .rows(out)
        case .record(let names, let values):
            guard let i = names.firstIndex(of: name) else {
                throw PGCatalogError(sqlState: "42703", message: "column \"\(name)\" not found in data type record")
            }
            return values[i]
        default:
            throw PGCatalogError(
                sqlState: "42809", message: "column notation .\(name) applied to a value that is not a composite type")
        }
    }

    // MARK: Operators

    private func binary(_ op: String, _ a: CatalogExpr, _ b: CatalogExpr, _ s: CatalogScope) throws(PGCatalogError)
        -> CatalogValue
    {
        if op == "and" {
            let l = try eval(a, s).truth
            if l == false { return .bool(false) }
            let r = try eval(b, s).truth
            if r == false { return .bool(false) }
            return l == true && r == true ? .bool(true) : .null
        }
        if op == "or" {
            let l = try eval(a, s).truth
            if l == true { return .bool(true) }
            let r = try eval(b, s).truth
            if r == true { return .bool(true) }
            return l == false && r == false ? .bool(false) : .null
        }
        return try apply(op, try eval(a, s), try eval(b, s))
    }

    func apply(_ op: String, _ l: CatalogValue, _ r: CatalogValue) throws(PGCatalogError) -> CatalogValue {
        if op == "||" { return try concatenate(l, r) }
        if l.isNull || r.isNull { return .null }
        switch op {
        case "=": return .bool(CatalogValue.compare(l, r) == 0)
        case "<>": return .bool(CatalogValue.compare(l, r) != 0)
        case "<": return .bool((CatalogValue.compare(l, r) ?? 0) < 0)
        case ">": return .bool((CatalogValue.compare(l, r) ?? 0) > 0)
        case "<=": return .bool((CatalogValue.compare(l, r) ?? 1) <= 0)
        case ">=": return .bool((CatalogValue.compare(l, r) ?? -1) >= 0)
        case "~", "~*", "!~", "!~*":
            let hit = try regexMatch(render(l) ?? "", render(r) ?? "", caseInsensitive: op.hasSuffix("*"))
            return .bool(op.hasPrefix("!") ? !hit : hit)
        case "like", "ilike":
            return .bool(CatalogPattern.like(render(l) ?? "", render(r) ?? "", caseInsensitive: op == "ilike"))
        case "+", "-", "*", "/", "%", "^": return try arithmetic(op, l, r)
        case "@>", "<@", "&&": return try arrayContainment(op, l, r)
        default: throw PGCatalogError(sqlState: "42883", message: "operator does not exist: \(op)")
        }
    }

    private func concatenate(_ l: CatalogValue, _ r: CatalogValue) throws(PGCatalogError) -> CatalogValue {
        switch (l, r) {
        case (.array(let a, let t), .array(let b, _)): return .array(a + b, type: t)
        case (.array(let a, let t), .null): return .array(a, type: t)
        case (.null, .array(let b, let t)): return .array(b, type: t)
        case (.array(let a, let t), _): return .array(a + [r], type: t)
        case (_, .array(let b, let t)): return .array([l] + b, type: t)
        default:
            if l.isNull || r.isNull { return .null }
            return .text((render(l) ?? "") + (render(r) ?? ""))
        }
    }

    private func arithmetic(_ op: String, _ l: CatalogValue, _ r: CatalogValue) throws(PGCatalogError) -> CatalogValue {
        if case .int(let a, let ta) = l, case .int(let b, let tb) = r, op != "^" {
            let t = max(ta == PGTypeOID.int2 ? PGTypeOID.int4 : ta, tb == PGTypeOID.int2 ? PGTypeOID.int4 : tb)
            switch op {
            case "+": return .int(a &+ b, type: t)
            case "-": return .int(a &- b, type: t)
            case "*": return .int(a &* b, type: t)
            default:
                guard b != 0 else { throw PGCatalogError(sqlState: "22012", message: "division by zero") }
                if a == Int64.min && b == -1 {
                    throw PGCatalogError(sqlState: "22003", message: "integer out of range")
                }
                return .int(op == "/" ? a / b : a % b, type: t)
            }
        }
        guard let a = l.asDouble, let b = r.asDouble else {
            throw .invalidText(render(l.isNumeric ? r : l) ?? "", type: "numeric")
        }
        switch op {
        case "+": return .float(a + b, type: PGTypeOID.float8)
        case "-": return .float(a - b, type: PGTypeOID.float8)
        case "*": return .float(a * b, type: PGTypeOID.float8)
        case "^": return .float(Self.power(a, b), type: PGTypeOID.float8)
        default:
            guard b != 0 else { throw PGCatalogError(sqlState: "22012", message: "division by zero") }
            return .float(op == "/" ? a / b : a.truncatingRemainder(dividingBy: b), type: PGTypeOID.float8)
        }
    }

    private static func power(_ a: Double, _ b: Double) -> Double {
        guard b == b.rounded(), abs(b) < 64 else { return b == 0.5 ? a.squareRoot() : .nan }
        var result = 1.0
        for _ in 0..<Int(abs(b)) { result *= a }
        return b < 0 ? 1 / result : result
    }

    private func arrayContainment(_ op: String, _ l: CatalogValue, _ r: CatalogValue) throws(PGCatalogError)
        -> CatalogValue
    {
        let a = try asArray(l, like: r), b = try asArray(r, like: l)
        let contains = { (x: [CatalogValue], y: [CatalogValue]) in
            y.allSatisfy { v in x.contains { CatalogValue.compare($0, v) == 0 } }
        }
        switch op {
        case "@>": return .bool(contains(a, b))
        case "<@": return .bool(contains(b, a))
        default: return .bool(a.contains { v in b.contains { CatalogValue.compare($0, v) == 0 } })
        }
    }

    func asArray(_ v: CatalogValue, like other: CatalogValue) throws(PGCatalogError) -> [CatalogValue] {
        switch v {
        case .array(let values, _): return values
        case .text(let s, _): return try CatalogArrayLiteral.parse(s).map { $0.map(CatalogValue.text) ?? .null }
        case .null: return []
        default: return [v]
        }
    }

    private func quantified(_ op: String, _ l: CatalogValue, _ any: Bool, _ r: CatalogValue) throws(PGCatalogError)
        -> CatalogValue
    {
        if r.isNull { return .null }
        let values = try asArray(r, like: l)
        return any ? Self.anyMatch(op, l, values) : Self.allMatch(op, l, values)
    }

    static func anyMatch(_ op: String, _ l: CatalogValue, _ values: [CatalogValue]) -> CatalogValue {
        var sawNull = l.isNull && !values.isEmpty
        for v in values where !l.isNull {
            guard let c = CatalogValue.compare(l, v) else { sawNull = true; continue }
            if satisfies(op, c) { return .bool(true) }
        }
        return sawNull ? .null : .bool(false)
    }

    static func allMatch(_ op: String, _ l: CatalogValue, _ values: [CatalogValue]) -> CatalogValue {
        var sawNull = l.isNull && !values.isEmpty
        for v in values where !l.isNull {
            guard let c = CatalogValue.compare(l, v) else { sawNull = true; continue }
            if !satisfies(op, c) { return .bool(false) }
        }
        return sawNull ? .null : .bool(true)
    }

    static func satisfies(_ op: String, _ c: Int) -> Bool {
        switch op {
        case "=": return c == 0
        case "<>": return c != 0
        case "<": return c < 0
        case ">": return c > 0
        case "<=": return c <= 0
        case ">=": return c >= 0
        default: return false
        }
    }

    func regexMatch(_ text: String, _ pattern: String, caseInsensitive: Bool) throws(PGCatalogError) -> Bool {
        let key = (caseInsensitive ? "i:" : "c:") + pattern
        let regex: Regex<AnyRegexOutput>
        if let cached = regexCache[key] {
            regex = cached
        } else {
            do {
                let compiled = try Regex(CatalogPattern.translate(pattern))
                regex = caseInsensitive ? compiled.ignoresCase() : compiled
            } catch {
                throw PGCatalogError(sqlState: "2201B", message: "invalid regular expression: \(pattern)")
            }
            regexCache[key] = regex
        }
        return text.contains(regex)
    }
}
