import SluiceCore

/// Test-data helpers over SluiceCore's seeded generator, so every fuzz and round-trip test replays from
/// its seed.
extension SeededRandom {
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Any finite double, mostly with interesting magnitudes.
    mutating func double() -> Double {
        switch below(4) {
        case 0: return Double(Int64(bitPattern: next()) >> 12) / 1000
        case 1: return Double(bitPattern: next() & 0x7FEF_FFFF_FFFF_FFFF) * (below(2) == 0 ? 1 : -1)
        default: return Double(below(1_000_000)) / Double(below(999) + 1)
        }
    }

    /// Text with quotes, escapes, controls, non-ASCII and astral characters.
    mutating func string() -> String {
        let pieces = ["a", "Z", "\"", "\\", "\n", "\u{0}", "\u{1f}", "é", "€", "😀", " ", "/", "\u{7f}", "\u{2028}"]
        return (0..<below(8)).map { _ in pieces[below(pieces.count)] }.joined()
    }
}
