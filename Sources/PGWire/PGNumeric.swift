import NIOCore

/// numeric's binary format (numeric_send): Int16 ndigits, Int16 weight, Int16 sign, Int16 dscale, then
/// ndigits base-10000 digits, most significant first; weight is the power of 10000 of the first digit.
enum PGNumeric {
    static let positive: Int16 = 0x0000
    static let negative: Int16 = 0x4000
    static let notANumber: Int16 = -0x4000  // 0xC000

    static func writeBinary(_ text: String, into buffer: inout ByteBuffer) {
        guard let parsed = parse(text) else {
            writeHeader(digits: [], weight: 0, sign: notANumber, scale: 0, into: &buffer)
            return
        }
        let (digits, weight) = groups(integer: parsed.integer, fraction: parsed.fraction)
        let sign = parsed.negative && !digits.isEmpty ? negative : positive
        writeHeader(digits: digits, weight: weight, sign: sign, scale: Int16(parsed.fraction.count), into: &buffer)
    }

    private static func writeHeader(
        digits: [Int16], weight: Int16, sign: Int16, scale: Int16, into buffer: inout ByteBuffer
    ) {
        buffer.writeInteger(Int16(digits.count))
        buffer.writeInteger(weight)
        buffer.writeInteger(sign)
        buffer.writeInteger(scale)
        for digit in digits { buffer.writeInteger(digit) }
    }

    /// Splits "-123.45" into sign, integer digits "123" and fraction digits "45"; nil when not a number.
    static func parse(_ text: String) -> (negative: Bool, integer: [UInt8], fraction: [UInt8])? {
        var bytes = Array(text.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts.first ?? [])
        let fraction = parts.count > 1 ? Array(parts[1]) : []
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        guard !(integer.isEmpty && fraction.isEmpty), integer.allSatisfy(isDigit), fraction.allSatisfy(isDigit)
        else { return nil }
        return (negative, integer.map { $0 - 0x30 }, fraction.map { $0 - 0x30 })
    }

    /// Groups decimal digits into base-10000 digits aligned on the decimal point, trimming zero groups.
    private static func groups(integer: [UInt8], fraction: [UInt8]) -> ([Int16], Int16) {
        let integerPad = (4 - integer.count % 4) % 4
        let fractionPad = (4 - fraction.count % 4) % 4
        let all = Array(repeating: 0, count: integerPad) + integer + fraction + Array(repeating: 0, count: fractionPad)
        var digits: [Int16] = stride(from: 0, to: all.count, by: 4).map { start in
            all[start..<start + 4].reduce(Int16(0)) { $0 * 10 + Int16($1) }
        }
        var weight = Int16((integer.count + integerPad) / 4) - 1
        while digits.first == 0 {
            digits.removeFirst()
            weight -= 1
        }
        while digits.last == 0 { digits.removeLast() }
        return (digits, digits.isEmpty ? 0 : weight)
    }
}
