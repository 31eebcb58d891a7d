import CCRC32C

/// CRC-32C (Castagnoli), the checksum of Kafka's RecordBatch v2. Uses the CPU's CRC instruction where there is
/// one (SSE4.2, ARMv8 CRC), carry-less multiplication for long inputs where there is AVX-512 with VPCLMULQDQ, and
/// slicing-by-8 tables elsewhere.
public enum CRC32C {
    /// The checksum of `bytes`, or its continuation from `crc` when the input comes in pieces.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        sluice_crc32c(crc, bytes.baseAddress, bytes.count)
    }

    public static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        let array = Array(bytes)
        return array.withUnsafeBytes { checksum($0) }
    }

    /// The implementation long inputs use on this machine, for benchmark output.
    public static var implementation: String { String(cString: sluice_crc32c_implementation()) }
}
