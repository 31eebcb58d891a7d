import SluiceCore

extension PartitionLog {
    /// Deletes whole closed segments that retention allows (Kafka's `deleteOldSegments`): those whose newest record
    /// is older than retention.ms, then the oldest while the log is larger than retention.bytes, then those wholly
    /// below the log start offset. The active segment is never deleted. Returns how many were deleted.
    @discardableResult
    public func deleteOldSegments() throws -> Int {
        try lock.withLock {
            let now = clock.milliseconds()
            var total = segments.reduce(Int64(0)) { $0 + $1.size }
            var deletable = 0
            while deletable < segments.count - 1 {
                let segment = segments[deletable]
                let expired = config.deletes && config.retentionMs >= 0 && segment.maxTimestamp >= 0 && now - segment.maxTimestamp > config.retentionMs
                let oversize = config.deletes && config.retentionBytes >= 0 && total - segment.size >= config.retentionBytes
                let belowStart = segment.nextOffset <= _logStartOffset
                guard expired || oversize || belowStart else { break }
                total -= segment.size
                deletable += 1
            }
            guard deletable > 0 else { return 0 }
            let doomed = segments[0..<deletable]
            segments.removeFirst(deletable)
            _logStartOffset = max(_logStartOffset, segments[0].baseOffset)
            _highWatermark = max(_highWatermark, _logStartOffset)
            try writeCheckpoint()
            try epochCache.truncate(fromStart: _logStartOffset)
            do {
                for segment in doomed { try segment.deleteFiles() }
            } catch let error as IOError {
                throw LogError(error)
            }
            return doomed.count
        }
    }

    /// Kafka's DeleteRecords: moves the log start offset up to `offset` (at most the high watermark). Segments
    /// wholly below it go with the next retention pass.
    public func deleteRecords(before offset: Offset) throws -> Offset {
        try lock.withLock {
            guard offset <= _highWatermark else {
                throw LogError(.offsetOutOfRange, "cannot delete records before \(offset): above the high watermark \(_highWatermark)")
            }
            if offset > _logStartOffset {
                _logStartOffset = offset
                try writeCheckpoint()
            }
            return _logStartOffset
        }
    }

    /// Removes every batch with offsets ≥ `offset` (a follower truncating to its leader's epoch end, or an
    /// operator). Whole batches go: the log end becomes the base offset of the batch that held `offset`.
    public func truncate(to offset: Offset) throws {
        try lock.withLock {
            guard offset < activeSegment.nextOffset else { return }
            do {
                while segments.count > 1 && segments[segments.count - 1].baseOffset >= offset {
                    try segments.removeLast().deleteFiles()
                }
                try activeSegment.truncate(from: offset)
            } catch let error as IOError {
                throw LogError(error)
            }
            let end = activeSegment.nextOffset
            _highWatermark = min(_highWatermark, end)
            _logStartOffset = min(_logStartOffset, end)
            recoveryPoint = min(recoveryPoint, end)
            try epochCache.truncate(fromEnd: end)
            producerState.clear()
            for segment in segments {
                var scanner = BatchScanner(file: segment.log, from: 0, limit: segment.size, validate: false)
                _ = try scanner.forEach { _, header, _ in
                    producerState.update(header)
                    return true
                }
            }
            try writeCheckpoint()
        }
    }
}
