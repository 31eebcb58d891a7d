/// SQL LIKE over UTF-8: `%` matches any run of characters, `_` exactly one character, and the escape character
/// makes the next one literal. Compiled once from the pattern; matching backtracks only at `%`.
struct LikePattern: Sendable {
    enum Token: Equatable, Sendable {
        case literal([UInt8])
        case anyOne
        case anyRun
    }

    let tokens: [Token]

    init(_ pattern: String, escape: UInt8?) {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var bytes = Array(pattern.utf8)[...]
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal.removeAll()
        }
        while let byte = bytes.popFirst() {
            if let escape, byte == escape, let next = bytes.popFirst() {
                literal.append(next)
                // Keep the rest of a multi-byte character that was escaped.
                while let following = bytes.first, following & 0xC0 == 0x80 { literal.append(bytes.removeFirst()) }
            } else if byte == UInt8(ascii: "%") {
                flush()
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            } else if byte == UInt8(ascii: "_") {
                flush()
                tokens.append(.anyOne)
            } else {
                literal.append(byte)
            }
        }
        flush()
        self.tokens = tokens
    }

    func matches(_ string: String) -> Bool {
        var s = string
        return s.withUTF8 { match(tokens[...], $0[...]) }
    }

    private func match(_ tokens: ArraySlice<Token>, _ text: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let token = tokens.first else { return text.isEmpty }
        let rest = tokens.dropFirst()
        switch token {
        case .literal(let bytes):
            guard text.starts(with: bytes) else { return false }
            return match(rest, text.dropFirst(bytes.count))
        case .anyOne:
            guard let first = text.first else { return false }
            return match(rest, text.dropFirst(Self.characterLength(first)))
        case .anyRun:
            if rest.isEmpty { return true }
            var remaining = text
            while true {
                if match(rest, remaining) { return true }
                guard let first = remaining.first else { return false }
                remaining = remaining.dropFirst(Self.characterLength(first))
            }
        }
    }

    /// Bytes of the UTF-8 sequence starting with `lead` (1 for stray continuation bytes).
    static func characterLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
