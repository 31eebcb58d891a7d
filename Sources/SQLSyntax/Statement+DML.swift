extension Statement {
    /// `INSERT INTO name [WITH (…)] query`
    public struct InsertSelect: Hashable, Sendable {
        public var target: Identifier
        public var properties: [Property]
        public var query: Query

        public init(target: Identifier, properties: [Property] = [], query: Query) {
            self.target = target
            self.properties = properties
            self.query = query
        }
    }

    /// `INSERT INTO name [(columns)] VALUES (…) [, (…)]`. Several rows are a Sluice extension.
    public struct InsertValues: Hashable, Sendable {
        public var target: Identifier
        /// Empty when no column list is given (all columns, in order).
        public var columns: [Identifier]
        public var rows: [[Expr]]

        public init(target: Identifier, columns: [Identifier] = [], rows: [[Expr]]) {
            self.target = target
            self.columns = columns
            self.rows = rows
        }
    }

    /// `DELETE FROM table [WHERE condition]` (a Sluice extension: writes tombstones).
    public struct Delete: Hashable, Sendable {
        public var target: Identifier
        public var whereClause: Expr?

        public init(target: Identifier, whereClause: Expr? = nil) {
            self.target = target
            self.whereClause = whereClause
        }
    }
}
