import SluiceCore

extension PartitionLog {
    /// How far a reader may read.
    public enum ReadLimit: Sendable {
        /// Consumers: below the high watermark.
        case highWatermark
        /// Followers and recovery tools: to the log end.
        case logEnd
    }

    /// Batches read from the log, as stored: whole batches, first offset ≤ the requested one.
    public struct ReadResult: Sendable {
        public var records: [UInt8]
        public var highWatermark: Offset
        public var logStartOffset: Offset
        public var logEndOffset: Offset
    }

    /// Reads whole batches starting with the one that holds `offset`, up to about `maxBytes` (the first batch is
    /// returned whole even when larger). An offset outside [logStartOffset, logEndOffset] is `offsetOutOfRange`;
    /// an offset at the limit returns no records.
    public func read(from offset: Offset, maxBytes: Int, limit: ReadLimit = .highWatermark) throws -> ReadResult {
        var next = offset
        while true {
            let plan = try lock.withLock { try readPlan(next, limit: limit) }
            guard let segment = plan.segment else {
                return ReadResult(records: [], highWatermark: plan.highWatermark, logStartOffset: plan.logStartOffset, logEndOffset: plan.logEndOffset)
            }
            var records: [UInt8] = []
            do {
                if let start = try segment.translateOffset(next, from: plan.position, limit: plan.segmentLimit) {
                    records = try segment.read(from: start.position, maxBytes: maxBytes, maxOffset: plan.maxOffset, limit: plan.segmentLimit)
                }
            } catch let error as IOError {
                throw LogError(error)
            }
            if !records.isEmpty || plan.nextSegmentBase == nil || plan.nextSegmentBase! >= plan.maxOffset {
                return ReadResult(records: records, highWatermark: plan.highWatermark, logStartOffset: plan.logStartOffset, logEndOffset: plan.logEndOffset)
            }
            next = plan.nextSegmentBase!  // the rest of this segment was compacted away
        }
    }

    struct ReadPlan {
        var segment: LogSegment?
        var position: Int64 = 0
        var segmentLimit: Int64 = 0
        var maxOffset: Offset
        var nextSegmentBase: Offset?
        var highWatermark: Offset
        var logStartOffset: Offset
        var logEndOffset: Offset
    }

    /// Under the lock: which segment, from which position, up to which size and offset.
    private func readPlan(_ offset: Offset, limit: ReadLimit) throws -> ReadPlan {
        let end = activeSegment.nextOffset
        let maxOffset = limit == .highWatermark ? _highWatermark : end
        var plan = ReadPlan(maxOffset: maxOffset, highWatermark: _highWatermark, logStartOffset: _logStartOffset, logEndOffset: end)
        guard offset >= _logStartOffset, offset <= end else {
            throw LogError(.offsetOutOfRange, "offset \(offset) is outside \(topicPartition)'s range [\(_logStartOffset), \(end)]")
        }
        guard offset < maxOffset else { return plan }
        var i = segmentIndex(containing: offset)
        // Skip segments emptied below `offset` (compaction can leave gaps).
        while i < segments.count - 1 && segments[i].nextOffset <= offset { i += 1 }
        let segment = segments[i]
        plan.segment = segment
        plan.position = segment.offsetIndex.lookup(offset).position
        plan.segmentLimit = segment.size
        plan.nextSegmentBase = i + 1 < segments.count ? segments[i + 1].baseOffset : nil
        return plan
    }

    /// The last segment whose base offset is ≤ `offset` (binary search).
    func segmentIndex(containing offset: Offset) -> Int {
        var low = 0
        var high = segments.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if segments[mid].baseOffset <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The first record whose timestamp is ≥ `timestamp` (Kafka's ListOffsets by time): its offset and timestamp,
    /// or nil when every record is older.
    public func offset(forTimestamp timestamp: Timestamp) throws -> (offset: Offset, timestamp: Timestamp)? {
        try lock.withLock {
            for segment in segments where segment.maxTimestamp >= timestamp {
                if let found = try segment.findOffset(byTimestamp: timestamp, limit: segment.size), found.offset >= _logStartOffset {
                    return found
                }
            }
            return nil
        }
    }
}
