import NIOCore

/// 'D' (backend): one row, each value length-prefixed (-1 = NULL) in its column's format.
/// PostgreSQL protocol docs, "DataRow (B)". The hot path writes rows straight from `PGCell`s with
/// `encode(cells:formats:into:)`; this value form is for decoding and tests.
public struct DataRow: Sendable, Hashable {
    public var values: [ByteBuffer?]

    public init(values: [ByteBuffer?]) { self.values = values }

    public static func decode(from buffer: inout ByteBuffer) throws(PGError) -> DataRow {
        let count: Int16 = try buffer.readPGInt()
        guard count >= 0 else { throw PGError.protocolViolation("negative DataRow column count") }
        var values: [ByteBuffer?] = []
        for _ in 0..<count { values.append(try buffer.readPGNullableBytes()) }
        try buffer.expectFullyRead("DataRow")
        return DataRow(values: values)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(values.count))
        for value in values { buffer.writePGNullableBytes(value) }
    }

    /// Writes a whole DataRow frame (tag and length included) for `cells`, with no intermediate copy.
    public static func encode<Cells: Collection<PGCell>>(
        cells: Cells, formats: [PGFormat], into buffer: inout ByteBuffer
    ) {
        buffer.writeInteger(UInt8(ascii: "D"))
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(Int16(cells.count))
        for (index, cell) in cells.enumerated() {
            cell.encodeField(format: index < formats.count ? formats[index] : .text, into: &buffer)
        }
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
    }
}
