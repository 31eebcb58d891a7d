/// A column of an intermediate row set: the range-table name it came from (alias), its name and type.
struct CatalogColumn: Sendable {
    var qualifier: String?
    var name: String
    var type: UInt32
    /// Synthetic columns (window results) are invisible to `*`.
    var hidden = false
}

/// Rows flowing between operators.
struct CatalogRowSet: Sendable {
    var columns: [CatalogColumn]
    var rows: [[CatalogValue]]
}

/// Name resolution context for one row: its columns, the group it stands for (aggregation), the enclosing
/// query's scope (correlated subqueries) and the CTEs in force.
final class CatalogScope {
    let columns: [CatalogColumn]
    let row: [CatalogValue]
    /// The rows of the current group when evaluating an aggregate query; nil otherwise.
    let group: [[CatalogValue]]?
    let parent: CatalogScope?
    let ctes: [String: CatalogRowSet]

    init(
        columns: [CatalogColumn], row: [CatalogValue], group: [[CatalogValue]]? = nil, parent: CatalogScope?,
        ctes: [String: CatalogRowSet]
    ) {
        self.columns = columns
        self.row = row
        self.group = group
        self.parent = parent
        self.ctes = ctes
    }

    /// Index of the column `qualifier.name` in this scope only.
    func index(of name: String, qualifier: String?) -> Int? {
        columns.firstIndex {
            !($0.hidden && qualifier != "#w") && $0.name == name && (qualifier == nil || $0.qualifier == qualifier)
        }
    }

    func hasQualifier(_ q: String) -> Bool { columns.contains { $0.qualifier == q } }
}
