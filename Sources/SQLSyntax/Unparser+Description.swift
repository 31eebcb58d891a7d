// Canonical SQL as the description of AST nodes, for logs, test failures and binder messages.

extension Statement: CustomStringConvertible {
    public var description: String { Unparser.sql(self) }
}

extension Query: CustomStringConvertible {
    public var description: String { Unparser.sql(self) }
}

extension Expr: CustomStringConvertible {
    public var description: String { Unparser.sql(self) }
}

extension TypeName: CustomStringConvertible {
    public var description: String { Unparser.sql(self) }
}
