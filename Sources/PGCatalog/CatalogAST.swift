/// A scalar expression of the catalog dialect.
indirect enum CatalogExpr: Sendable {
    case literal(CatalogValue)
    /// A string literal: PostgreSQL's "unknown" type, coerced to whatever it meets.
    case unknownLiteral(String)
    case parameter(Int)
    /// `a`, `t.a`; `position` is where the reference starts in the text.
    case column(qualifier: String?, name: String, position: Int)
    case star(qualifier: String?)
    case unary(String, CatalogExpr)
    case binary(String, CatalogExpr, CatalogExpr)
    case isNull(CatalogExpr, negated: Bool)
    case isBool(CatalogExpr, Bool, negated: Bool)
    case isDistinct(CatalogExpr, CatalogExpr, negated: Bool)
    case inList(CatalogExpr, [CatalogExpr], negated: Bool)
    case inQuery(CatalogExpr, CatalogQuery, negated: Bool)
    /// `a op ANY (array)` / `a op ALL (array)`.
    case quantified(String, CatalogExpr, any: Bool, CatalogExpr)
    case quantifiedQuery(String, CatalogExpr, any: Bool, CatalogQuery)
    case exists(CatalogQuery)
    case scalarQuery(CatalogQuery)
    case arrayQuery(CatalogQuery)
    case array([CatalogExpr])
    case row([CatalogExpr])
    case `subscript`(CatalogExpr, CatalogExpr)
    case field(CatalogExpr, String)
    case cast(CatalogExpr, CatalogTypeName)
    case call(CatalogCall)
    case caseWhen(operand: CatalogExpr?, whens: [(CatalogExpr, CatalogExpr)], otherwise: CatalogExpr?)
    case between(CatalogExpr, CatalogExpr, CatalogExpr, negated: Bool)
}

/// A function call: `pg_catalog.format_type(a, b)`, `count(*)`, `array_agg(x ORDER BY y)`, `row_number() OVER (…)`.
struct CatalogCall: Sendable {
    var name: String
    var arguments: [CatalogExpr]
    var distinct = false
    var star = false
    var orderBy: [CatalogOrderItem] = []
    var window: CatalogWindow?
    var position: Int
}

struct CatalogWindow: Sendable {
    var partitionBy: [CatalogExpr]
    var orderBy: [CatalogOrderItem]
}

/// A type in a cast: the last name component, lower-cased (`pg_catalog.regtype` → "regtype"), and array-ness.
struct CatalogTypeName: Sendable {
    var name: String
    var isArray: Bool
}

struct CatalogOrderItem: Sendable {
    var expr: CatalogExpr
    var descending: Bool
    /// nil: PostgreSQL's default (NULLS LAST ascending, NULLS FIRST descending).
    var nullsFirst: Bool?
}

struct CatalogSelectItem: Sendable {
    var expr: CatalogExpr
    var alias: String?
}

/// A FROM-clause item.
indirect enum CatalogFromItem: Sendable {
    case relation(schema: String?, name: String, alias: String?, columnAliases: [String], position: Int)
    case subquery(CatalogQuery, alias: String?, columnAliases: [String])
    case function(CatalogCall, alias: String?, columnAliases: [String])
    case join(CatalogFromItem, CatalogJoinKind, CatalogFromItem, on: CatalogExpr?, using: [String])
}

enum CatalogJoinKind: Sendable {
    case inner, left, right, full, cross
}

struct CatalogSelect: Sendable {
    var distinct = false
    var items: [CatalogSelectItem] = []
    var from: [CatalogFromItem] = []
    var whereClause: CatalogExpr?
    var groupBy: [CatalogExpr] = []
    var having: CatalogExpr?
}

indirect enum CatalogQueryBody: Sendable {
    case select(CatalogSelect)
    case values([[CatalogExpr]])
    case setOperation(CatalogQueryBody, CatalogSetOperator, all: Bool, CatalogQueryBody)
    case nested(CatalogQuery)
}

enum CatalogSetOperator: Sendable {
    case union, intersect, except
}

struct CatalogCTE: Sendable {
    var name: String
    var columns: [String]
    var query: CatalogQuery
}

/// A full query: WITH, body, ORDER BY, LIMIT / OFFSET.
struct CatalogQuery: Sendable {
    var ctes: [CatalogCTE] = []
    var recursive = false
    var body: CatalogQueryBody
    var orderBy: [CatalogOrderItem] = []
    var limit: CatalogExpr?
    var offset: CatalogExpr?
}
