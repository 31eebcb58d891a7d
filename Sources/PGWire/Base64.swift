/// Standard Base64 (RFC 4648 §4, with padding), for SCRAM attribute values. No Foundation in PGWire.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[start..<min(start + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for index in 0..<4 {
                output.append(index <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(index)) & 0x3F)] : 0x3D)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes padded Base64; nil on any invalid character or length.
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        for start in stride(from: 0, to: input.count, by: 4) {
            guard let group = decodeGroup(input[start..<start + 4], isLast: start + 4 == input.count) else {
                return nil
            }
            output += group
        }
        return output
    }

    private static func decodeGroup(_ group: ArraySlice<UInt8>, isLast: Bool) -> [UInt8]? {
        var value: UInt32 = 0
        var padding = 0
        for byte in group {
            if byte == 0x3D {
                padding += 1
                value <<= 6
                continue
            }
            guard padding == 0, let index = alphabet.firstIndex(of: byte) else { return nil }
            value = value << 6 | UInt32(index)
        }
        guard padding <= 2, padding == 0 || isLast else { return nil }
        return (0..<(3 - padding)).map { UInt8(truncatingIfNeeded: value >> (16 - 8 * UInt32($0))) }
    }
}
