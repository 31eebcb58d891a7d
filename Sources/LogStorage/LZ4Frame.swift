import CLZ4

/// Kafka's LZ4 codec for RecordBatch v2: the standard LZ4 frame format (not the legacy broken-checksum
/// framing of magic 0/1), written with independent 64 KiB blocks and no content size, as Kafka's Java client
/// and librdkafka write it; any valid frame is read.
public enum LZ4Frame {
    /// Compresses `input` into one LZ4 frame appended to `output`.
    public static func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = output.withUnsafeMutableBytes { out in
            LZ4F_compressFrame(out.baseAddress! + start, bound, input.baseAddress, input.count, &preferences)
        }
        if LZ4F_isError(written) != 0 {
            output.removeLast(bound)
            throw LogError(.corruptMessage, "LZ4 compression failed: \(String(cString: LZ4F_getErrorName(written)))")
        }
        output.removeLast(bound - written)
    }

    /// Decompresses a whole LZ4 frame, appending the result to `output`. `limit` bounds the output so that a
    /// hostile frame cannot exhaust memory.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], limit: Int = 1 << 30
    ) throws {
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw LogError(.corruptMessage, "LZ4: cannot create a decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }

        var consumed = 0
        var chunk = 64 << 10
        while true {
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: chunk))
            var outSize = chunk
            var inSize = input.count - consumed
            let hint = output.withUnsafeMutableBytes { out in
                LZ4F_decompress(context, out.baseAddress! + start, &outSize, input.baseAddress! + consumed, &inSize, nil)
            }
            output.removeLast(chunk - outSize)
            consumed += inSize
            if LZ4F_isError(hint) != 0 {
                throw LogError(.corruptMessage, "LZ4 frame is corrupt: \(String(cString: LZ4F_getErrorName(hint)))")
            }
            if output.count > limit { throw LogError(.corruptMessage, "LZ4 frame decompresses past \(limit) bytes") }
            if hint == 0 { return }  // frame complete
            if consumed >= input.count && outSize == 0 {
                throw LogError(.corruptMessage, "LZ4 frame is truncated")
            }
            chunk = max(chunk, 256 << 10)
        }
    }
}
