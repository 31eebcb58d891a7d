import SluiceCore

/// Kafka's default partitioning of keyed records: murmur2 of the key bytes, made positive, modulo the partition
/// count (`BuiltInPartitioner.partitionForKey`), so that Sluice's tools put a key where Kafka's clients would.
public enum Partitioner {
    public static func partition(forKey key: UnsafeRawBufferPointer, partitionCount: Int) -> PartitionID {
        PartitionID(Int(murmur2(key) & 0x7fff_ffff) % partitionCount)
    }

    /// Kafka's `Utils.murmur2` (seed 0x9747b28c), over the bytes as little-endian 32-bit words.
    public static func murmur2(_ data: UnsafeRawBufferPointer) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let length = data.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let words = length / 4
        for i in 0..<words {
            var k = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = words * 4
        switch length % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}
