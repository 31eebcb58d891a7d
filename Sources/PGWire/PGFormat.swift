/// A value's wire format code: 0 text, 1 binary. PostgreSQL protocol docs, "Formats and Format Codes".
public enum PGFormat: Int16, Sendable, Hashable {
    case text = 0
    case binary = 1

    /// Expands a Bind format-code list: none means all text, one applies to all, else one per value.
    public static func expand(_ codes: [Int16], count: Int) throws(PGError) -> [PGFormat] {
        let formats = try codes.map { (code: Int16) throws(PGError) -> PGFormat in
            guard let format = PGFormat(rawValue: code) else {
                throw PGError.protocolViolation("unsupported format code: \(code)")
            }
            return format
        }
        switch formats.count {
        case 0: return Array(repeating: .text, count: count)
        case 1: return Array(repeating: formats[0], count: count)
        case count: return formats
        default:
            throw PGError.protocolViolation("\(formats.count) format codes given for \(count) values")
        }
    }
}
