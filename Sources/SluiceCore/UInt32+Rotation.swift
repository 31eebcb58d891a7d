extension UInt32 {
    /// Bit rotations, for the hash functions (SHA-256, MD5).
    @inline(__always) public func rotatedRight(_ count: UInt32) -> UInt32 { (self >> count) | (self << (32 - count)) }
    @inline(__always) public func rotatedLeft(_ count: UInt32) -> UInt32 { (self << count) | (self >> (32 - count)) }
}
