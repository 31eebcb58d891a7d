import SluiceCore

extension Base64 {
    static func decodeBytes(_ text: UnsafeRawBufferPointer) throws(RelationalError) -> [UInt8] {
        guard let bytes = decode(text) else {
            throw RelationalError(.invalidTextRepresentation, "invalid base64 text for type bytes")
        }
        return bytes
    }

    /// Decodes base64 text of a BYTES value; bad text is `invalidTextRepresentation`.
    static func decodeBytes(_ text: String) throws(RelationalError) -> [UInt8] {
        guard let bytes = decode(text) else {
            throw RelationalError(.invalidTextRepresentation, "invalid base64 text for type bytes")
        }
        return bytes
    }
}
