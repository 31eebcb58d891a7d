/// A value's wire format code: 0 text, 1 binary. PostgreSQL protocol docs, "Formats and Format Codes".
public enum PGFormat: Int16, Sendable, Hashable {
    case text = 0
    case binary = 1

    /// Expands a Bind format-code list: none means all text, one applies to all, else one per value.
    public static func expand(_ codes: [Int16], count: Int) throws(PGError) -> [PGFormat] {
        switch codes.count {
        case 0:
            return allText(count)
        case 1:
            let format = try format(codes[0])
            return format == .text ? allText(count) : Array(repeating: format, count: count)
        case count:
            return try codes.map(format)
        default:
            for code in codes { _ = try format(code) }  // an unknown code is reported first
            throw PGError.protocolViolation("\(codes.count) format codes given for \(count) values")
        }
    }

    private static func format(_ code: Int16) throws(PGError) -> PGFormat {
        guard let format = PGFormat(rawValue: code) else { throw PGError.protocolViolation("unsupported format code: \(code)") }
        return format
    }

    /// All-text lists of the usual lengths, shared: every Bind of text parameters and results needs one or two.
    private static let textLists: [[PGFormat]] = (0...16).map { Array(repeating: .text, count: $0) }

    private static func allText(_ count: Int) -> [PGFormat] {
        count < textLists.count ? textLists[count] : Array(repeating: .text, count: count)
    }
}
