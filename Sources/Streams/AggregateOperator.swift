import Relational
import SluiceCore
import StateStore

/// GROUP BY with aggregates, optionally over TUMBLING or HOPPING windows, with state in a state-store column family
/// keyed by the encoded group values (and window start). Batches fold into a write-back cache; a flush stages the
/// changed states in the task's write batch (committed atomically with the input offset) and emits one updated row
/// per changed key: group values, window bounds, results.
struct AggregateOperator: Sendable {
    let groupBy: [CompiledExpression]
    let arguments: [[CompiledExpression]]
    let functions: [AggregateFunction]
    let window: WindowDefinition?
    let family: ColumnFamily
    /// Over a table: rows that are not additions are retractions (a changed or deleted table row) and are taken back
    /// out of their group; the last function is then the planner's hidden COUNT(*), and a group whose count falls to
    /// zero is deleted (a tombstone), as a GROUP BY over a relation shows no empty groups.
    let retracting: Bool
    /// Largest event time seen: windows end + grace ≤ stream time are closed, and records for them are late.
    private(set) var streamTime: Int64 = .min
    private(set) var lateRecords = 0

    init(groupBy: [CompiledExpression], arguments: [[CompiledExpression]], functions: [AggregateFunction],
         window: WindowDefinition?, family: ColumnFamily, retracting: Bool = false) throws(EvaluationError) {
        if retracting {
            precondition(window == nil && functions.last?.name == "COUNT" && arguments.last?.isEmpty == true,
                         "a table aggregation ends with the hidden COUNT(*)")
        }
        self.retracting = retracting
        self.groupBy = groupBy
        self.arguments = arguments
        self.functions = functions
        self.window = window
        self.family = family
    }

    /// Window starts containing `time` (ksqlDB's alignment: multiples of the advance from the epoch). As in Kafka
    /// Streams' TimeWindows, no hopping window starts before the epoch.
    func windowStarts(for time: Int64) -> [Int64] {
        guard let window else { return [0] }
        switch window.kind {
        case .tumbling(let size):
            return [Self.floor(time, size)]
        case .hopping(let size, let advance):
            var starts: [Int64] = []
            var start = Self.floor(time, advance)
            while start > time - size && (start >= 0 || time < 0) {
                starts.append(start)
                start -= advance
            }
            return starts.reversed()
        case .session:
            return []
        }
    }

    static func floor(_ value: Int64, _ step: Int64) -> Int64 {
        let r = value % step
        return r < 0 ? value - r - step : value - r
    }

    var windowSize: Int64 {
        switch window?.kind {
        case .tumbling(let size)?, .hopping(let size, _)?: size
        default: 0
        }
    }

    /// ksqlDB's record cache, in two parts. Dirty entries were changed since the last flush: they are folded in
    /// memory across batches and written to the store and emitted once per key at the next flush, so a hot key costs
    /// one RocksDB write per commit, not one per batch. Clean entries equal what the store holds and spare a RocksDB
    /// read; they are dropped all at once when the cache outgrows `cleanCapacity`.
    private var index: [StateKey: Int] = [:]
    private var entries: [CachedState] = []
    private var dirty: [Int] = []
    private let cleanCapacity = 200_000

    struct CachedState {
        var key: [UInt8]
        var state: [[Value]]
        var groupValues: [Value]
        var windowStart: Int64
        var windowEnd: Int64
        var time: Int64
        var isDirty: Bool
        /// A session merged into another (deleted, with a tombstone, at the next flush), or a window already emitted.
        var isDeleted = false
    }

    /// Session windows: the cached sessions of each group key, and the group keys whose stored sessions are all in
    /// the cache.
    private var sessionSlots: [StateKey: [Int]] = [:]
    private var loadedSessionKeys: Set<StateKey> = []

    private var sessionGap: Int64? {
        if case .session(let gap)? = window?.kind { return gap }
        return nil
    }

    /// Keys changed since the last flush; the task flushes when this grows large.
    var dirtyCount: Int { dirty.count }

    mutating func process(_ batch: StreamBatch, store: any StateStore, context: inout EvaluationContext) throws {
        let input = batch.evaluationInput
        let keys = groupBy.map { $0.evaluate(input, context: &context) }
        let args = arguments.map { list in list.map { $0.evaluate(input, context: &context) } }
        var keyBytes: [UInt8] = []
        var scratch: [Value] = []
        for row in 0..<batch.count where retracting || batch.ops[row].isAddition {
            let time = batch.timestamps[row]
            streamTime = max(streamTime, time)
            if let gap = sessionGap {
                if time + (window?.graceMs ?? 0) < streamTime {
                    let message = "record at \(time) is late for its session: stream time \(streamTime), grace \(window?.graceMs ?? 0) ms"
                    noteLate(batch.offsets[row], message)
                    continue
                }
                let slot = try session(for: keys.map { $0[row] }, at: time, gap: gap, store: store)
                fold(row, into: slot, arguments: args, time: time, scratch: &scratch, context: &context)
                continue
            }
            for start in windowStarts(for: time) {
                if window != nil, start + windowSize + (window?.graceMs ?? 0) <= streamTime {
                    let message = "record at \(time) is late for window [\(start), \(start + windowSize)): stream time \(streamTime), grace \(window?.graceMs ?? 0) ms"
                    noteLate(batch.offsets[row], message)
                    continue
                }
                keyBytes.removeAll(keepingCapacity: true)
                for column in keys { ValueCodec.encode(column[row], into: &keyBytes) }
                if window != nil { withUnsafeBytes(of: start.bigEndian) { keyBytes.append(contentsOf: $0) } }
                let slot: Int
                if let found = index[StateKey(keyBytes)] {
                    slot = found
                } else {
                    slot = entries.count
                    let groupValues = keys.map { $0[row] }
                    entries.append(CachedState(key: keyBytes, state: try loadState(keyBytes, store: store).state, groupValues: groupValues,
                                               windowStart: start, windowEnd: start + windowSize, time: time, isDirty: false))
                    index[StateKey(keyBytes)] = slot
                }
                markDirty(slot)
                if retracting {
                    retract(row, from: slot, adding: batch.ops[row].isAddition, arguments: args, time: time, scratch: &scratch, context: &context)
                } else {
                    fold(row, into: slot, arguments: args, time: time, scratch: &scratch, context: &context)
                }
            }
        }
    }

    /// Late records since the task last took them (for the processing log), at most 10,000 waiting.
    private var late: [(offset: Int64, message: String)] = []

    private mutating func noteLate(_ offset: Int64, _ message: String) {
        lateRecords += 1
        if late.count < 10_000 { late.append((offset, message)) }
    }

    mutating func takeLateRecords() -> [(offset: Int64, message: String)] {
        defer { late.removeAll() }
        return late
    }

    /// Adds row `row`'s arguments to the state in `slot` (or, `removing`, takes them back out); a failing aggregate
    /// records the error and goes on.
    private mutating func fold(
        _ row: Int, into slot: Int, arguments args: [[[Value]]], time: Int64, scratch: inout [Value], context: inout EvaluationContext,
        removing: Bool = false
    ) {
        for (i, function) in functions.enumerated() {
            scratch.removeAll(keepingCapacity: true)
            for argument in args[i] { scratch.append(argument[row]) }
            do throws(EvaluationError) {
                if removing {
                    try function.remove(scratch, from: &entries[slot].state[i])
                } else {
                    try function.add(scratch, to: &entries[slot].state[i])
                }
            } catch {
                context.record(error, row: row)
            }
        }
        entries[slot].time = max(entries[slot].time, time)
    }

    /// A table aggregation's row: added to its group, or taken back out. A group left with no rows goes (deleted at
    /// the next flush) and starts afresh if a row comes back to it.
    private mutating func retract(
        _ row: Int, from slot: Int, adding: Bool, arguments args: [[[Value]]], time: Int64, scratch: inout [Value],
        context: inout EvaluationContext
    ) {
        if adding && entries[slot].isDeleted {
            entries[slot].state = functions.map(\.initialState)
            entries[slot].isDeleted = false
        }
        fold(row, into: slot, arguments: args, time: time, scratch: &scratch, context: &context, removing: !adding)
        if !adding && (entries[slot].state[functions.count - 1][0].integerValue ?? 0) <= 0 {
            entries[slot].state = functions.map(\.initialState)
            entries[slot].isDeleted = true
        }
    }

    /// The session a record of `groupValues` at `time` belongs to, as a cache slot marked dirty: a new one, or the
    /// sessions within `gap` of it merged into one (the others marked deleted). Sessions are stored under the group
    /// key and their start, with their end in the state.
    private mutating func session(for groupValues: [Value], at time: Int64, gap: Int64, store: any StateStore) throws -> Int {
        let prefix = ValueCodec.encode(groupValues)
        let prefixKey = StateKey(prefix)
        if !loadedSessionKeys.contains(prefixKey) {
            var stored: [[UInt8]] = []
            try store.scan(family, from: prefix, to: prefix + [UInt8](repeating: 0xFF, count: 9)) { key, _ in
                if key.count == prefix.count + 8 { stored.append(Array(key)) }
                return true
            }
            for key in stored where index[StateKey(key)] == nil {
                let (state, end) = try loadState(key, store: store)
                let start = key.suffix(8).withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
                addEntry(CachedState(key: key, state: state, groupValues: groupValues, windowStart: start, windowEnd: end ?? start,
                                     time: end ?? start, isDirty: false), prefix: prefixKey)
            }
            loadedSessionKeys.insert(prefixKey)
        }
        let overlapping = (sessionSlots[prefixKey] ?? []).filter { slot in
            !entries[slot].isDeleted && entries[slot].windowStart <= time + gap && entries[slot].windowEnd >= time - gap
        }.sorted { entries[$0].windowStart < entries[$1].windowStart }
        let start = min(time, overlapping.first.map { entries[$0].windowStart } ?? time)
        let end = max(time, overlapping.map { entries[$0].windowEnd }.max() ?? time)
        // Fold the merged sessions' states, oldest first.
        var merged = functions.map(\.initialState)
        for slot in overlapping {
            var next = entries[slot].state
            for (i, function) in functions.enumerated() { try function.merge(merged[i], into: &next[i]) }
            merged = next
        }
        var key = prefix
        withUnsafeBytes(of: start.bigEndian) { key.append(contentsOf: $0) }
        let target: Int
        if let existing = index[StateKey(key)] {
            target = existing
        } else {
            target = entries.count
            addEntry(CachedState(key: key, state: merged, groupValues: groupValues, windowStart: start, windowEnd: end, time: time, isDirty: false),
                     prefix: prefixKey)
        }
        for slot in overlapping where slot != target {
            entries[slot].isDeleted = true
            markDirty(slot)
        }
        entries[target].isDeleted = false
        entries[target].state = merged
        entries[target].windowStart = start
        entries[target].windowEnd = end
        markDirty(target)
        return target
    }

    private mutating func addEntry(_ entry: CachedState, prefix: StateKey) {
        index[StateKey(entry.key)] = entries.count
        sessionSlots[prefix, default: []].append(entries.count)
        entries.append(entry)
    }

    private mutating func markDirty(_ slot: Int) {
        if !entries[slot].isDirty {
            entries[slot].isDirty = true
            dirty.append(slot)
        }
    }

    /// Writes every dirty state into `writes` and returns one updated row per key (group values, window bounds,
    /// results), in the order keys were first changed. With EMIT FINAL it returns instead one row per window that
    /// has closed (end + grace ≤ stream time): open windows are listed in the store under an index of close times
    /// (keys 0xFF ‖ close time ‖ state key, which no encoded group value starts with), so however many windows are
    /// open, memory holds only the cache; a closed window's row is emitted once and its state deleted.
    mutating func flush(into writes: inout StateWriteBatch, store: (any StateStore)?) throws -> StreamBatch {
        var output = StreamBatch(columnCount: groupBy.count + (window != nil ? 2 : 0) + functions.count)
        output.reserveCapacity(dirty.count)
        let emitFinal = window?.emitFinal ?? false
        let grace = window?.graceMs ?? 0
        var emitted: Set<StateKey> = []
        var closed: [ClosedWindow] = []
        var bytes: [UInt8] = []
        for slot in dirty {
            entries[slot].isDirty = false
            let entry = entries[slot]
            if entry.isDeleted {
                // A session merged into another: its state goes, and (EMIT CHANGES) a tombstone for its window.
                writes.delete(entry.key, in: family)
                if !emitFinal { append(entry.groupValues, entry.windowStart, entry.windowEnd, entry.state, time: entry.time, op: .delete, to: &output) }
                continue
            }
            if emitFinal {
                let close = entry.windowEnd + grace
                if close <= streamTime {
                    closed.append(ClosedWindow(close: close, key: entry.key, groupValues: entry.groupValues, start: entry.windowStart,
                                               end: entry.windowEnd, state: entry.state))
                    emitted.insert(StateKey(entry.key))
                    entries[slot].isDeleted = true  // emitted: gone from the store, never merged into again
                    writes.delete(entry.key, in: family)
                    writes.delete(Self.closeIndexKey(close, entry.key), in: family)
                    continue
                }
                writes.put(Self.closeIndexKey(close, entry.key), [], in: family)
            }
            bytes.removeAll(keepingCapacity: true)
            if sessionGap != nil { ValueCodec.encode(.array([.bigint(entry.windowEnd)]), into: &bytes) }
            for s in entry.state { ValueCodec.encode(.array(s), into: &bytes) }
            writes.put(entry.key, bytes, in: family)
            if !emitFinal { append(entry.groupValues, entry.windowStart, entry.windowEnd, entry.state, time: entry.time, to: &output) }
        }
        dirty.removeAll(keepingCapacity: true)
        if emitFinal, let store, streamTime != .min { try collectClosedWindows(store: store, skipping: emitted, writes: &writes, into: &closed) }
        // Final rows go out in close-time order (then key order), however the windows were split between the cache
        // and the store, so the output does not depend on how input was batched.
        closed.sort { $0.close != $1.close ? $0.close < $1.close : $0.key.lexicographicallyPrecedes($1.key) }
        for window in closed {
            append(window.groupValues, window.start, window.end, window.state, time: window.end - 1, to: &output)
        }
        if entries.count > cleanCapacity {
            entries.removeAll(keepingCapacity: true)
            index.removeAll(keepingCapacity: true)
            sessionSlots.removeAll(keepingCapacity: true)
            loadedSessionKeys.removeAll(keepingCapacity: true)
        }
        return output
    }

    private func append(
        _ groupValues: [Value], _ windowStart: Int64, _ windowEnd: Int64, _ state: [[Value]], time: Int64, op: ChangeOp = .updateAfter,
        to output: inout StreamBatch
    ) {
        var column = 0
        for v in groupValues {
            output.columns[column].append(v)
            column += 1
        }
        if window != nil {
            output.columns[column].append(.bigint(windowStart))
            output.columns[column + 1].append(.bigint(windowEnd))
            column += 2
        }
        for (function, s) in zip(functions, state) {
            output.columns[column].append(function.result(s))
            column += 1
        }
        output.ops.append(op)
        output.timestamps.append(time)
        output.offsets.append(-1)
    }

    /// 0xFF ‖ close time (sign bit flipped, big-endian: byte order is time order) ‖ state key.
    static func closeIndexKey(_ close: Int64, _ stateKey: [UInt8]) -> [UInt8] {
        var key: [UInt8] = [0xFF]
        withUnsafeBytes(of: (UInt64(bitPattern: close) ^ (1 << 63)).bigEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: stateKey)
        return key
    }

    /// Collects the windows of the close-time index that stream time has passed, deleting their entries and state.
    struct ClosedWindow {
        var close: Int64
        var key: [UInt8]
        var groupValues: [Value]
        var start: Int64
        var end: Int64
        var state: [[Value]]
    }

    private mutating func collectClosedWindows(
        store: any StateStore, skipping emitted: Set<StateKey>, writes: inout StateWriteBatch, into windows: inout [ClosedWindow]
    ) throws {
        var closed: [(indexKey: [UInt8], stateKey: [UInt8])] = []
        let upper = Self.closeIndexKey(streamTime, []) + [0xFF]
        try store.scan(family, from: [0xFF], to: upper) { key, _ in
            if key.count > 9 { closed.append((Array(key), Array(key[9...]))) }
            return true
        }
        var emitted = emitted
        for (indexKey, stateKey) in closed {
            writes.delete(indexKey, in: family)
            // A session that grew has one index entry per end it had: emit it once.
            if !emitted.insert(StateKey(stateKey)).inserted { continue }
            let state: [[Value]]
            let groupValues: [Value]
            let windowStart = stateKey.suffix(8).withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
            var windowEnd = windowStart + windowSize
            if let slot = index[StateKey(stateKey)] {
                if entries[slot].isDeleted { continue }
                state = entries[slot].state
                groupValues = entries[slot].groupValues
                windowEnd = entries[slot].windowEnd
                if sessionGap != nil && windowEnd + (window?.graceMs ?? 0) > streamTime { continue }
                entries[slot].isDeleted = true  // emitted: gone from the store, never merged into again
            } else {
                guard try store.get(stateKey, in: family) != nil else { continue }  // a session merged away
                let loaded = try loadState(stateKey, store: store)
                state = loaded.state
                if let end = loaded.end { windowEnd = end }
                groupValues = try stateKey.dropLast(8).withUnsafeBytes { (raw) throws(EvaluationError) in try ValueCodec.decodeAll(raw) }
                // A session that grew after this entry was written closes later, under a newer entry.
                if sessionGap != nil && windowEnd + (window?.graceMs ?? 0) > streamTime { continue }
            }
            windows.append(ClosedWindow(close: windowEnd + (window?.graceMs ?? 0), key: stateKey, groupValues: groupValues,
                                        start: windowStart, end: windowEnd, state: state))
            writes.delete(stateKey, in: family)
        }
    }

    /// Discards every cached state, dirty or clean: after a failed flush the store is the truth again.
    mutating func discardCache() {
        entries.removeAll()
        index.removeAll()
        dirty.removeAll()
        sessionSlots.removeAll()
        loadedSessionKeys.removeAll()
    }

    /// The stored state of `key` (the functions' initial states if there is none), and a session's end.
    private func loadState(_ key: [UInt8], store: any StateStore) throws -> (state: [[Value]], end: Int64?) {
        guard let bytes = try store.get(key, in: family) else { return (functions.map(\.initialState), nil) }
        var decoded = try bytes.withUnsafeBytes { (raw) throws(EvaluationError) in try ValueCodec.decodeAll(raw) }
        var end: Int64?
        if sessionGap != nil {
            guard case .array(let header)? = decoded.first, case .bigint(let e)? = header.first else { throw ValueCodec.corrupt }
            end = e
            decoded.removeFirst()
        }
        guard decoded.count == functions.count else { throw ValueCodec.corrupt }
        return (decoded.map { value in
            if case .array(let items) = value { return items }
            return []
        }, end)
    }
}

/// An encoded state key, hashed over its bytes at once rather than byte by byte.
struct StateKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
