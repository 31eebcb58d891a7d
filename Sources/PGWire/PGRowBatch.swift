/// A batch of rows stored row-major in one flat array, so a batch costs one allocation, not one per row.
public struct PGRowBatch: Sendable, Hashable {
    public let columnCount: Int
    public private(set) var cells: [PGCell]
    /// The stream has no rows after these: PGWire completes the statement without asking for more.
    public var isLast = false

    public init(columnCount: Int, cells: [PGCell] = []) {
        precondition(columnCount > 0 ? cells.count % columnCount == 0 : cells.isEmpty, "ragged row batch")
        self.columnCount = columnCount
        self.cells = cells
    }

    public init(rows: [[PGCell]]) {
        self.init(columnCount: rows.first?.count ?? 0, cells: rows.flatMap { $0 })
    }

    public var rowCount: Int { columnCount == 0 ? 0 : cells.count / columnCount }

    public subscript(row row: Int) -> ArraySlice<PGCell> { cells[row * columnCount..<(row + 1) * columnCount] }

    public mutating func append(row: [PGCell]) {
        precondition(row.count == columnCount, "row has \(row.count) cells, batch has \(columnCount) columns")
        cells.append(contentsOf: row)
    }
}
