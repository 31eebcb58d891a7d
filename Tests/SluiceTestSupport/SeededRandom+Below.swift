import SluiceCore

extension SeededRandom {
    /// A number in 0..<n (0 when n ≤ 0), by modulo, as the fuzz tests' seeds were recorded with.
    public mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}
