/// A function call: `f(args)`, `f(DISTINCT x)`, `COUNT(*)`, or a window function `f(…) OVER (…)`.
public struct FunctionCall: Hashable, Sendable {
    public var name: Identifier
    public var arguments: [Expr]
    public var distinct: Bool
    /// `f(*)`; `arguments` is then empty.
    public var star: Bool
    public var over: WindowSpecification?

    public init(
        name: Identifier, arguments: [Expr] = [], distinct: Bool = false, star: Bool = false,
        over: WindowSpecification? = nil
    ) {
        self.name = name
        self.arguments = arguments
        self.distinct = distinct
        self.star = star
        self.over = over
    }
}
