import Relational
import SluiceCore
import StateStore

/// GROUP BY with aggregates, optionally over TUMBLING or HOPPING windows, with state in a state-store column family
/// keyed by the encoded group values (and window start). Batches fold into a write-back cache; a flush stages the
/// changed states in the task's write batch (committed atomically with the input offset) and emits one updated row
/// per changed key: group values, window bounds, results.
///
/// HOPPING windows with EMIT FINAL keep panes instead of windows (see `PaneLayout`): a record folds into one pane,
/// whatever SIZE ÷ ADVANCE BY is, and a window's result is its panes merged once, when it closes.
struct AggregateOperator: Sendable {
    let groupBy: [CompiledExpression]
    let arguments: [[CompiledExpression]]
    let functions: [AggregateFunction]
    /// Each function's state before any row (worked out once: `AggregateFunction.initialState` goes by name).
    let initialStates: [[Value]]
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
         window: WindowDefinition?, family: ColumnFamily, retracting: Bool = false, usesPanes: Bool = true,
         cacheCapacity: Int = 200_000) throws(EvaluationError) {
        cleanCapacity = cacheCapacity
        if retracting {
            precondition(window == nil && functions.last?.name == "COUNT" && arguments.last?.isEmpty == true,
                         "a table aggregation ends with the hidden COUNT(*)")
        }
        self.retracting = retracting
        self.groupBy = groupBy
        self.arguments = arguments
        self.functions = functions
        initialStates = functions.map(\.initialState)
        self.window = window
        self.family = family
        if usesPanes, let window, window.emitFinal, case .hopping(let size, let advance) = window.kind, advance < size,
           functions.allSatisfy({ Self.paneMergeable.contains($0.name) }) {
            panes = PaneLayout(size: size, advance: advance)
            closedRows = StreamBatch(columnCount: groupBy.count + 2 + functions.count)
        } else {
            panes = nil
        }
    }

    /// Aggregates whose result does not depend on the order states are combined in (up to floating-point rounding),
    /// so that a window's panes can be merged instead of its records folded in offset order.
    /// LATEST/EARLIEST_BY_OFFSET, COLLECT_LIST/SET and HISTOGRAM keep one state per window.
    static let paneMergeable: Set<String> = [
        "COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX", "TOPK", "TOPKDISTINCT", "STDDEV_SAMP", "STDDEV_SAMPLE", "CORRELATION",
    ]

    /// A HOPPING window of SIZE s, ADVANCE BY a as panes of gcd(s, a) ms (Arroyo's and Flink's slicing): every
    /// window is a whole number of panes, a record belongs to exactly one pane, and a window's state is the merge of
    /// its s ÷ pane panes. Pane states are stored under group key ‖ pane start; the close-time index lists windows
    /// (group key ‖ window start), each entered when the first pane of that group inside it appears. A pane is
    /// deleted when the last window containing it (the one starting at floor(pane, a)) has been emitted.
    struct PaneLayout: Sendable {
        let size: Int64
        let advance: Int64
        let pane: Int64

        init(size: Int64, advance: Int64) {
            self.size = size
            self.advance = advance
            var (a, b) = (size, advance)
            while b != 0 { (a, b) = (b, a % b) }
            pane = a
        }

        /// The first and last start of the windows containing `time` (no window starts before the epoch unless the
        /// time itself is before it, as in `windowStarts`).
        func windows(containing time: Int64) -> (first: Int64, last: Int64) {
            let first = AggregateOperator.floor(time &- size, advance) &+ advance
            return (time < 0 ? first : max(first, 0), AggregateOperator.floor(time, advance))
        }
    }

    let panes: PaneLayout?
    /// Panes: the windows entered by panes new since the last flush (start → group keys), for the close-time index.
    private var newPaneWindows: [Int64: [[UInt8]]] = [:]
    /// Panes: windows starting at or before this have closed and been computed; the index has been read up to this
    /// close time.
    private var closedThrough: Int64 = .min
    private var indexScannedThrough: Int64 = .min
    /// Panes: rows of the windows closed since the last flush, and index entries and panes to delete at the flush.
    private var closedRows = StreamBatch(columnCount: 0)
    private var expiredKeys: [[UInt8]] = []
    /// Panes: only panes starting before this can be in the store without being in the cache (every pane made
    /// since the cache was last emptied is in it), so a cache miss at or after it needs no RocksDB read.
    private var uncachedPanesBelow: Int64 = .max
    /// Windowed aggregations store their stream time with each flush under the key 0xFE (no state or index key is
    /// one byte long) and take it back after a restart, so a record that was late before the restart stays late.
    static let streamTimeKey: [UInt8] = [0xFE]
    private var streamTimeRestored = false

    /// Window starts containing `time` (ksqlDB's alignment: multiples of the advance from the epoch). As in Kafka
    /// Streams' TimeWindows, no hopping window starts before the epoch.
    func windowStarts(for time: Int64) -> StrideTo<Int64> {
        guard let window else { return stride(from: 0, to: 1, by: 1) }
        switch window.kind {
        case .tumbling(let size):
            let start = Self.floor(time, size)
            return stride(from: start, to: start &+ 1, by: 1)
        case .hopping(let size, let advance):
            let last = Self.floor(time, advance)
            var first = last
            while first &- advance > time &- size && (first &- advance >= 0 || time < 0) { first &-= advance }
            return stride(from: first, to: last &+ 1, by: Int(advance))
        case .session:
            return stride(from: 0, to: 0, by: 1)
        }
    }

    /// The stream time at which a window ending at `end` closes (EMIT FINAL emits it): end + grace for TUMBLING and
    /// HOPPING windows (whose end is exclusive); for a session (end inclusive), once stream time is past end + gap
    /// + grace, when no record that is not late can extend it any more (Kafka Streams' rule).
    func closeTime(end: Int64) -> Int64 {
        end &+ (window?.graceMs ?? 0) &+ (sessionGap.map { $0 &+ 1 } ?? 0)
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
    private let cleanCapacity: Int

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
        /// Whether the store holds this key's state (loaded from it, or put by a flush and not deleted since). A window
        /// that opens and closes between two flushes never reaches the store, and needs no tombstones either.
        var isStored = true
    }

    /// Session windows: the cached sessions of each group key (a key is here once its stored sessions were loaded).
    private var sessionSlots: [StateKey: [Int]] = [:]
    /// Session windows: whether every session in the store is also in the cache, so that a group with no cached
    /// session has none stored and needs no RocksDB seek. True from the start of a task with an empty store, until
    /// the cache drops an open session.
    private var sessionsOnlyInCache = false
    private var sessionPrefix: [UInt8] = []

    private var sessionGap: Int64? {
        if case .session(let gap)? = window?.kind { return gap }
        return nil
    }

    /// Keys changed since the last flush; the task flushes when this grows large.
    var dirtyCount: Int { dirty.count }

    mutating func process(_ batch: StreamBatch, store: any StateStore, context: inout EvaluationContext) throws {
        if window != nil && !streamTimeRestored { try restoreStreamTime(store: store) }
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
                let slot = try session(keys: keys, row: row, at: time, gap: gap, store: store)
                fold(row, into: slot, arguments: args, time: time, scratch: &scratch, context: &context)
                continue
            }
            if let panes {
                let through = Self.floor(streamTime &- panes.size &- (window?.graceMs ?? 0), panes.advance)
                if through > closedThrough { try closeWindows(through: through, layout: panes, store: store) }
                try foldIntoPane(row, of: batch, time: time, layout: panes, keys: keys, arguments: args, keyBytes: &keyBytes,
                                 scratch: &scratch, store: store, context: &context)
                continue
            }
            var lateWindows: [Int64] = []
            for start in windowStarts(for: time) {
                if window != nil, start + windowSize + (window?.graceMs ?? 0) <= streamTime {
                    lateWindows.append(start)
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
                    let loaded = try loadState(keyBytes, store: store)
                    entries.append(CachedState(key: keyBytes, state: loaded.state, groupValues: groupValues, windowStart: start,
                                               windowEnd: start + windowSize, time: time, isDirty: false, isStored: loaded.found))
                    index[StateKey(keyBytes)] = slot
                }
                markDirty(slot)
                if retracting {
                    retract(row, from: slot, adding: batch.ops[row].isAddition, arguments: args, time: time, scratch: &scratch, context: &context)
                } else {
                    fold(row, into: slot, arguments: args, time: time, scratch: &scratch, context: &context)
                }
            }
            if let start = lateWindows.first {
                noteLate(batch.offsets[row], time: time, windows: lateWindows.count, first: start)
            }
        }
    }

    /// Folds row `row` into its pane, unless every window containing it has closed (then it is late; a record late
    /// for some of its windows only still counts in the open ones, as with per-window state).
    private mutating func foldIntoPane(
        _ row: Int, of batch: StreamBatch, time: Int64, layout: PaneLayout, keys: [[Value]], arguments args: [[[Value]]],
        keyBytes: inout [UInt8], scratch: inout [Value], store: any StateStore, context: inout EvaluationContext
    ) throws {
        let grace = window?.graceMs ?? 0
        let (first, last) = layout.windows(containing: time)
        // Windows starting at or after this one are open (end + grace > stream time).
        let firstOpen = max(first, Self.floor(streamTime &- layout.size &- grace, layout.advance) &+ layout.advance)
        if firstOpen > first {
            noteLate(batch.offsets[row], time: time, windows: Int((min(firstOpen, last &+ layout.advance) &- first) / layout.advance), first: first)
        }
        guard firstOpen <= last else { return }
        keyBytes.removeAll(keepingCapacity: true)
        for column in keys { ValueCodec.encode(column[row], into: &keyBytes) }
        let paneStart = Self.floor(time, layout.pane)
        withUnsafeBytes(of: paneStart.bigEndian) { keyBytes.append(contentsOf: $0) }
        let slot: Int
        if let found = index[StateKey(keyBytes)] {
            slot = found
            guard !entries[slot].isDeleted else { return }  // emitted for good: cannot happen while a window is open
        } else {
            slot = entries.count
            let stored = paneMayBeStored(paneStart) ? try store.get(keyBytes, in: family) : nil
            let state = try stored.map { try decodeState($0).state } ?? initialStates
            entries.append(CachedState(key: keyBytes, state: state, groupValues: keys.map { $0[row] }, windowStart: paneStart,
                                       windowEnd: paneStart + layout.pane, time: time, isDirty: false))
            index[StateKey(keyBytes)] = slot
            if stored == nil {
                // A new pane enters its open windows in the close-time index (at the flush).
                let groupKey = Array(keyBytes.dropLast(8))
                var start = firstOpen
                while start <= last {
                    newPaneWindows[start, default: []].append(groupKey)
                    start += layout.advance
                }
            }
        }
        markDirty(slot)
        fold(row, into: slot, arguments: args, time: time, scratch: &scratch, context: &context)
    }

    /// Late records since the task last took them (for the processing log), at most 10,000 waiting.
    private var late: [(offset: Int64, message: String)] = []

    /// Notes a record late for `windows` of its windows, the first starting at `first` (counted once per record).
    private mutating func noteLate(_ offset: Int64, time: Int64, windows: Int, first: Int64) {
        let which = windows == 1 ? "window [\(first), \(first &+ windowSize))" : "\(windows) of its windows, from [\(first), \(first &+ windowSize))"
        noteLate(offset, "record at \(time) is late for \(which): stream time \(streamTime), grace \(window?.graceMs ?? 0) ms")
    }

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
            entries[slot].state = initialStates
            entries[slot].isDeleted = false
        }
        fold(row, into: slot, arguments: args, time: time, scratch: &scratch, context: &context, removing: !adding)
        if !adding && (entries[slot].state[functions.count - 1][0].integerValue ?? 0) <= 0 {
            entries[slot].state = initialStates
            entries[slot].isDeleted = true
        }
    }

    /// The session of group `row` of `keys` that a record at `time` belongs to, as a cache slot marked dirty: a new
    /// one, or the sessions within `gap` of it merged into one (the others marked deleted). Sessions are stored under
    /// the group key and their start, with their end in the state. A group's stored sessions join the cache on its
    /// first row, unless every stored session is known to be cached (`sessionsOnlyInCache`).
    private mutating func session(keys: [[Value]], row: Int, at time: Int64, gap: Int64, store: any StateStore) throws -> Int {
        sessionPrefix.removeAll(keepingCapacity: true)
        for column in keys { ValueCodec.encode(column[row], into: &sessionPrefix) }
        let prefix = sessionPrefix
        let prefixKey = StateKey(prefix)
        var slots = sessionSlots[prefixKey]
        if slots == nil && !sessionsOnlyInCache {
            var stored: [[UInt8]] = []
            try store.scan(family, from: prefix, to: prefix + [UInt8](repeating: 0xFF, count: 9)) { key, _ in
                if key.count == prefix.count + 8 { stored.append(Array(key)) }
                return true
            }
            for key in stored where index[StateKey(key)] == nil {
                let (state, end, _) = try loadState(key, store: store)
                let start = key.suffix(8).withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
                addEntry(CachedState(key: key, state: state, groupValues: keys.map { $0[row] }, windowStart: start, windowEnd: end ?? start,
                                     time: end ?? start, isDirty: false), prefix: prefixKey)
            }
            slots = sessionSlots[prefixKey]
        }
        // Usually the row falls in one session at or after its start: that session just reaches further (merging it
        // with no other session changes neither its key nor its state).
        if let slots {
            var hit = -1
            var hits = 0
            for slot in slots where overlaps(slot, time, gap) {
                hit = slot
                hits += 1
            }
            if hits == 1 && entries[hit].windowStart <= time {
                entries[hit].windowEnd = max(entries[hit].windowEnd, time)
                markDirty(hit)
                return hit
            }
        }
        let overlapping = (slots ?? []).filter { overlaps($0, time, gap) }.sorted { entries[$0].windowStart < entries[$1].windowStart }
        slots = nil  // not held while `addEntry` appends to the group's slots
        let start = min(time, overlapping.first.map { entries[$0].windowStart } ?? time)
        let end = max(time, overlapping.map { entries[$0].windowEnd }.max() ?? time)
        // Fold the merged sessions' states, oldest first.
        var merged = initialStates
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
            addEntry(CachedState(key: key, state: merged, groupValues: keys.map { $0[row] }, windowStart: start, windowEnd: end, time: time,
                                 isDirty: false, isStored: false),
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

    /// Whether the cached session in `slot` is live and within `gap` of `time`.
    private func overlaps(_ slot: Int, _ time: Int64, _ gap: Int64) -> Bool {
        !entries[slot].isDeleted && entries[slot].windowStart <= time + gap && entries[slot].windowEnd >= time - gap
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
        if window != nil && streamTime != .min {
            writes.put(Self.streamTimeKey, withUnsafeBytes(of: streamTime.bigEndian) { Array($0) }, in: family)
        }
        if let panes { return flushPanes(panes, into: &writes) }
        var output = StreamBatch(columnCount: groupBy.count + (window != nil ? 2 : 0) + functions.count)
        output.reserveCapacity(dirty.count)
        let emitFinal = window?.emitFinal ?? false
        var emitted: Set<StateKey> = []
        var closed: [ClosedWindow] = []
        var bytes: [UInt8] = []
        for slot in dirty {
            entries[slot].isDirty = false
            let entry = entries[slot]
            if entry.isDeleted {
                // A session merged into another: its state goes, and (EMIT CHANGES) a tombstone for its window.
                if entry.isStored { writes.delete(entry.key, in: family) }
                entries[slot].isStored = false
                if !emitFinal { append(entry.groupValues, entry.windowStart, entry.windowEnd, entry.state, time: entry.time, op: .delete, to: &output) }
                continue
            }
            if emitFinal {
                let close = closeTime(end: entry.windowEnd)
                if close <= streamTime {
                    closed.append(ClosedWindow(close: close, key: entry.key, groupValues: entry.groupValues, start: entry.windowStart,
                                               end: entry.windowEnd, state: entry.state))
                    emitted.insert(StateKey(entry.key))
                    entries[slot].isDeleted = true  // emitted: gone from the store, never merged into again
                    if entry.isStored {
                        writes.delete(entry.key, in: family)
                        writes.delete(Self.closeIndexKey(close, entry.key), in: family)
                        entries[slot].isStored = false
                    }
                    continue
                }
                writes.put(Self.closeIndexKey(close, entry.key), [], in: family)
            }
            bytes.removeAll(keepingCapacity: true)
            if sessionGap != nil { ValueCodec.encode(.array([.bigint(entry.windowEnd)]), into: &bytes) }
            for s in entry.state { ValueCodec.encode(.array(s), into: &bytes) }
            writes.put(entry.key, bytes, in: family)
            entries[slot].isStored = true
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
        trimCache()
        return output
    }

    private mutating func trimCache() {
        guard entries.count > cleanCapacity else { return }
        // Sessions: closed and merged ones are most of the cache; while the open ones fill at most half of it, they
        // stay (and with them the knowledge that the store holds no others).
        let open = sessionGap == nil ? [] : entries.filter { !$0.isDeleted }
        entries.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        sessionSlots.removeAll(keepingCapacity: true)
        if sessionGap != nil && open.count <= cleanCapacity / 2 {
            for entry in open { addEntry(entry, prefix: StateKey(Array(entry.key.dropLast(8)))) }
        } else {
            sessionsOnlyInCache = false
        }
    }

    /// `flush` for panes: stages the changed panes, enters the windows of new panes in the close-time index, deletes
    /// the index entries and panes of the windows closed since the last flush, and returns those windows' rows.
    private mutating func flushPanes(_ layout: PaneLayout, into writes: inout StateWriteBatch) -> StreamBatch {
        let grace = window?.graceMs ?? 0
        var bytes: [UInt8] = []
        for slot in dirty {
            entries[slot].isDirty = false
            let entry = entries[slot]
            if entry.isDeleted { continue }
            bytes.removeAll(keepingCapacity: true)
            for s in entry.state { ValueCodec.encode(.array(s), into: &bytes) }
            writes.put(entry.key, bytes, in: family)
        }
        dirty.removeAll(keepingCapacity: true)
        for (start, groupKeys) in newPaneWindows {
            for groupKey in groupKeys {
                var windowKey = groupKey
                withUnsafeBytes(of: start.bigEndian) { windowKey.append(contentsOf: $0) }
                writes.put(Self.closeIndexKey(start + layout.size + grace, windowKey), [], in: family)
            }
        }
        newPaneWindows.removeAll(keepingCapacity: true)
        for key in expiredKeys { writes.delete(key, in: family) }
        expiredKeys.removeAll(keepingCapacity: true)
        defer { closedRows = StreamBatch(columnCount: closedRows.columns.count) }
        if entries.count > cleanCapacity { uncachedPanesBelow = streamTime &+ 1 }
        trimCache()
        return closedRows
    }

    /// Panes: computes the rows of the windows that closed when stream time passed the end + grace of windows up to
    /// `through` (a window start): the windows entered by panes new since the last flush and those in the close-time
    /// index, each the merge of its panes, oldest first, in close-time then key order (as per-window state emits
    /// them). This runs as soon as stream time passes a close, before a later record can fold into a pane that a
    /// closed window shares with open ones; the panes no later window needs are deleted at the next flush.
    private mutating func closeWindows(through: Int64, layout: PaneLayout, store: any StateStore) throws {
        let grace = window?.graceMs ?? 0
        var closing: [(start: Int64, key: [UInt8])] = []
        func take(_ start: Int64, from windows: inout [Int64: [[UInt8]]]) {
            guard let groupKeys = windows.removeValue(forKey: start) else { return }
            for groupKey in groupKeys {
                var windowKey = groupKey
                withUnsafeBytes(of: start.bigEndian) { windowKey.append(contentsOf: $0) }
                closing.append((start, windowKey))
            }
        }
        // Step through the newly closed starts, or through the pending windows if there are fewer of those.
        let (steps, overflow) = through.subtractingReportingOverflow(closedThrough)
        if !overflow && steps / layout.advance <= Int64(newPaneWindows.count) {
            var start = closedThrough + layout.advance
            while start <= through {
                take(start, from: &newPaneWindows)
                start += layout.advance
            }
        } else {
            for start in newPaneWindows.keys.sorted() where start <= through { take(start, from: &newPaneWindows) }
        }
        let throughClose = through &+ layout.size &+ grace
        var lower = Self.closeIndexKey(indexScannedThrough, [])
        if indexScannedThrough != .min { lower.append(0xFF) }
        let upper = Self.closeIndexKey(throughClose, []) + [0xFF]
        try store.scan(family, from: lower, to: upper) { key, _ in
            if key.count > 9 {
                let windowKey = Array(key[9...])
                expiredKeys.append(Array(key))
                closing.append((windowKey.suffix(8).withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }, windowKey))
            }
            return true
        }
        indexScannedThrough = throughClose
        closedThrough = through
        guard !closing.isEmpty else { return }
        // A window entered by panes of two flushes is listed twice, next to each other once sorted.
        closing.sort { $0.start != $1.start ? $0.start < $1.start : $0.key.lexicographicallyPrecedes($1.key) }
        // Rows go to a local batch: appending to `closedRows` through a method of `self` would copy it per row.
        var rows = StreamBatch(columnCount: 0)
        swap(&rows, &closedRows)
        defer { swap(&rows, &closedRows) }
        var previous: [UInt8]? = nil
        for (windowStart, windowKey) in closing where windowKey != previous {
            previous = windowKey
            var merged = initialStates
            var found = false
            var paneKey = Array(windowKey.dropLast(8))
            let prefixCount = paneKey.count
            var start = windowStart
            while start < windowStart + layout.size {
                paneKey.removeSubrange(prefixCount...)
                withUnsafeBytes(of: start.bigEndian) { paneKey.append(contentsOf: $0) }
                if var state = try paneState(paneKey, start: start, store: store) {
                    for (i, function) in functions.enumerated() { try function.merge(merged[i], into: &state[i]) }
                    merged = state
                    found = true
                    // This window is the last one containing the pane: it goes (later windows start after it).
                    if start < windowStart + layout.advance {
                        expiredKeys.append(paneKey)
                        if let slot = index[StateKey(paneKey)] { entries[slot].isDeleted = true }
                    }
                }
                start += layout.pane
            }
            guard found else { continue }
            let groupValues = try windowKey.dropLast(8).withUnsafeBytes { (raw) throws(EvaluationError) in try ValueCodec.decodeAll(raw) }
            append(groupValues, windowStart, windowStart + layout.size, merged, time: windowStart + layout.size - 1, to: &rows)
        }
    }

    /// A pane's current state: the cache's, else the store's (nil when the pane has none).
    private mutating func paneState(_ key: [UInt8], start: Int64, store: any StateStore) throws -> [[Value]]? {
        if let slot = index[StateKey(key)] { return entries[slot].isDeleted ? nil : entries[slot].state }
        guard paneMayBeStored(start), let bytes = try store.get(key, in: family) else { return nil }
        return try decodeState(bytes).state
    }

    /// Whether a pane starting at `start` that is not in the cache may be in the store.
    private func paneMayBeStored(_ start: Int64) -> Bool {
        start < uncachedPanesBelow
    }

    /// Takes back the stream time stored by the last flush (once, and again after the cache is discarded).
    private mutating func restoreStreamTime(store: any StateStore) throws {
        streamTimeRestored = true
        let stored = try store.get(Self.streamTimeKey, in: family)
        if let stored, stored.count == 8 {
            let time = stored.withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(as: Int64.self)) }
            streamTime = max(streamTime, time)
            uncachedPanesBelow = time &+ 1
        } else {
            uncachedPanesBelow = stored == nil ? .min : .max
        }
        // The stream time is stored by every flush of a windowed aggregation: without it, nothing was ever stored.
        sessionsOnlyInCache = stored == nil
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
                if sessionGap != nil && closeTime(end: windowEnd) > streamTime { continue }
                entries[slot].isDeleted = true  // emitted: gone from the store, never merged into again
            } else {
                guard try store.get(stateKey, in: family) != nil else { continue }  // a session merged away
                let loaded = try loadState(stateKey, store: store)
                state = loaded.state
                if let end = loaded.end { windowEnd = end }
                groupValues = try stateKey.dropLast(8).withUnsafeBytes { (raw) throws(EvaluationError) in try ValueCodec.decodeAll(raw) }
                // A session that grew after this entry was written closes later, under a newer entry.
                if sessionGap != nil && closeTime(end: windowEnd) > streamTime { continue }
            }
            windows.append(ClosedWindow(close: closeTime(end: windowEnd), key: stateKey, groupValues: groupValues,
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
        sessionsOnlyInCache = false
        newPaneWindows.removeAll()
        closedThrough = .min
        indexScannedThrough = .min
        closedRows = StreamBatch(columnCount: closedRows.columns.count)
        expiredKeys.removeAll()
        streamTimeRestored = false
    }

    /// The stored state of `key` (the functions' initial states if there is none), and a session's end.
    private func loadState(_ key: [UInt8], store: any StateStore) throws -> (state: [[Value]], end: Int64?, found: Bool) {
        guard let bytes = try store.get(key, in: family) else { return (initialStates, nil, false) }
        let (state, end) = try decodeState(bytes)
        return (state, end, true)
    }

    private func decodeState(_ bytes: [UInt8]) throws -> (state: [[Value]], end: Int64?) {
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

/// An encoded state key. Its first 16 bytes and its length are also kept inline, so hashing and comparing a short
/// key (a BIGINT or short VARCHAR group key, with a window start) never follows the pointer to the array's buffer:
/// in a cache of 100,000 keys that pointer is a cache miss on every probe.
struct StateKey: Hashable {
    let bytes: [UInt8]
    private let head: (UInt64, UInt64)
    private let count: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        count = bytes.count
        var head: (UInt64, UInt64) = (0, 0)
        bytes.withUnsafeBytes { raw in
            withUnsafeMutableBytes(of: &head) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(16))) }
        }
        self.head = head
    }

    static func == (a: StateKey, b: StateKey) -> Bool {
        a.count == b.count && a.head == b.head && (a.count <= 16 || a.bytes == b.bytes)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(head.0)
        hasher.combine(head.1)
        hasher.combine(count)
        if count > 16 { bytes.withUnsafeBytes { hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0.dropFirst(16))) } }
    }

    /// What `Dictionary` and `Set` hash with. Caches of state keys are probed several times per input row, and
    /// SipHash (Hasher's rounds over three words) showed at about 5% of aggregation and join time; this folds each
    /// word's 128-bit product with a constant (wyhash's mixing step) instead, keyed by the table's per-process random
    /// seed, so that it still varies from run to run. Each word is mixed on its own and the results combined, so that
    /// no value of one word can cancel the other (a product of the two words would be zero for one of them).
    func _rawHashValue(seed: Int) -> Int {
        let key = UInt64(UInt(bitPattern: seed))
        var h = Self.mix(head.0 ^ key ^ 0xA076_1D64_78BD_642F, 0xE703_7ED1_A0B4_28DB)
            ^ Self.mix(head.1 ^ (key << 32 | key >> 32) ^ 0x5899_65CC_7537_4CC3, 0x1D8E_4E27_C47D_124F)
        h = Self.mix(h ^ UInt64(count), 0x8EBC_6AF0_9C88_C6E3)
        if count > 16 {
            bytes.withUnsafeBytes { raw in
                var i = 16
                while i + 8 <= raw.count {
                    h = Self.mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0x5899_65CC_7537_4CC3)
                    i += 8
                }
                if i < raw.count {
                    var last: UInt64 = 0
                    withUnsafeMutableBytes(of: &last) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[i...])) }
                    h = Self.mix(h ^ last, 0x1D8E_4E27_C47D_124F)
                }
            }
        }
        return Int(bitPattern: UInt(h))
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
