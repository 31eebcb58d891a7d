import Relational
import SluiceCore
import StateStore

/// A join of two co-partitioned inputs, with its state in state-store column families:
///
/// - stream-table (INNER, LEFT): the table side's store keeps, per join key, the versions of the table row (with
///   deletions) by time, like Kafka's versioned stores; each stream row meets the version current at its own time,
///   however late either side is processed.
/// - table-table (INNER, LEFT, RIGHT, FULL) on the key: both sides are stored; an update on either side looks up
///   the other and emits the new result for the key, or a delete when the key had a result and no longer has one.
/// - foreign-key table-table (INNER, LEFT): the left table's column(s) name the right table's key. Both tables are
///   stored, plus an index (foreign key ‖ left key → nothing) from each right key to the left rows that refer to
///   it; a left change looks up its right row, a right change updates every left row that refers to it. Results
///   are keyed by the left table's key, as in ksqlDB.
/// - stream-stream (INNER, LEFT, RIGHT, FULL) WITHIN a time bound: both sides are stored by (partition, time
///   segment, key, time, offset);
///   each row probes the other side's rows of its key inside the bound. Outer sides emit a NULL-padded row at once
///   when nothing matches yet (ksqlDB's semantics before 0.25, "eager"); state older than the bound plus GRACE
///   PERIOD is purged as stream time passes.
///
/// The two inputs' rows are processed in timestamp order (the right side first on ties). State changes stay in an overlay until the task commits them with its offsets.
/// The residual (non-equi) condition is checked on each candidate pair; an outer side whose pairs all fail it
/// gets its NULL-padded row.
struct JoinOperator: Sendable {
    enum Shape: Sendable {
        case streamTable
        case tableTable
        case streamStream
        case foreignKey
    }

    let shape: Shape
    let kind: JoinDefinition.Kind
    let leftKeys: [CompiledExpression]
    let rightKeys: [CompiledExpression]
    let residual: CompiledExpression?
    let leftWidth: Int
    let rightWidth: Int
    /// Left columns that are the join key themselves: filled with the key in rows whose left side is NULL, so that
    /// the result keeps its key.
    let leftKeyColumns: [(column: Int, key: Int)]
    /// Stores: [left, right]; stream-table joins store only the right (table) side.
    let families: [ColumnFamily?]
    let before: Int64
    let after: Int64
    let grace: Int64
    /// The output columns later operators read, of each side; the others (`unread`) come out NULL, filled once per
    /// batch instead of copied per row.
    let readLeft: [Int]
    let readRight: [Int]
    let unread: [Int]
    /// Staged changes per store: left, right and (foreign-key joins) the index.
    private var overlay: [[StateKey: [UInt8]?]] = [[:], [:], [:]]
    /// Stream-stream joins: the staged window keys of each join key, so that a probe visits its own staged rows
    /// rather than the whole overlay. Foreign-key joins: the staged index keys of each foreign key.
    private var stagedWindows: [[StateKey: [StateKey]]] = [[:], [:], [:]]
    /// Foreign-key joins: the left table's key columns.
    let leftPrimaryKey: [Int]
    /// Stream-stream joins: both sides' rows in memory (see `JoinWindowIndex`), loaded from the store on first use;
    /// nil before that, and for good once they outgrow `maxIndexedRows` (probes then scan the store).
    private var windows: [JoinWindowIndex]?
    /// Stream-stream stores are split by time into segments (as in Kafka Streams' segmented window stores), so that
    /// expiring rows drops whole segments with one range delete instead of a tombstone per row. A segment spans half
    /// the retention (WITHIN plus GRACE), at least a minute.
    let segmentMs: Int64
    /// Every partition's task of a query shares the join's column families: stream-stream keys start with the
    /// task's partition (4 bytes, big-endian), so that a task's stream time, segment drops and loads touch its own
    /// rows only. The stream time is stored under the prefix alone.
    let partitionPrefix: [UInt8]
    /// The first key past this partition's (nil for the last possible partition).
    let partitionEnd: [UInt8]?
    /// Stream-stream rows reach the store in chunks: each flush writes the rows that arrived since the last one as a
    /// few large values per segment (keys: partition ‖ segment ‖ 0xFF ‖ chunk number), not a key per row. A key per
    /// row costs a memtable insert, a place in the sorted batch and a changelog record, and in joins like Nexmark's
    /// q4 most stored rows expire soon after. Chunks sit under their segment's prefix, so segment drops delete them
    /// with everything else; no join key starts with 0xFF (`ValueCodec` tags are small), so probes of the store never
    /// meet one. Probing the store (`windows == nil`) needs a key per row: when the rows leave memory, every held row
    /// is staged under its own key and the chunks are deleted. The chunk counter is stored with the stream time.
    private var nextChunk: UInt64 = 0
    /// Per side, the segments that may hold chunks, and those whose chunks the next flush deletes.
    private var chunkSegments: [Set<Int64>] = [[], []]
    private var chunksToDrop: [Set<Int64>] = [[], []]
    static let chunkMarker: UInt8 = 0xFF
    /// A chunk is closed once it holds this many bytes.
    static let chunkBytes = 256 << 10
    /// Segments below this one are deleted from the store, or will be at the next flush (`dropPending`).
    private var droppedBelow: Int64 = .min
    private var dropPending = false
    /// Whether `streamTime` changed since the last flush (it is stored with the rows, so that lateness survives a
    /// restart).
    private var streamTimeChanged = false
    /// Whether loading `windows` was tried since the task started (or discarded its changes).
    private var windowsTried = false
    /// Whether a stream-stream join probes its rows in memory (else it scans the store).
    var probesInMemory: Bool { windows != nil }
    /// Stream-stream rows held in memory, by side, as (time, offset), when probes run there (for tests).
    var indexedRows: [[(time: Int64, offset: Int64)]]? {
        windows.map { sides in sides.map { side in side.rows.values.flatMap { $0.live.map { ($0.time, $0.offset) } } } }
    }
    /// The most stream-stream rows (both sides) held in memory; beyond it the join probes RocksDB instead.
    let maxIndexedRows: Int
    static let defaultMaxIndexedRows = 4_000_000
    private(set) var streamTime: Int64 = .min
    /// Stream-stream rows dropped as too late to join; `late` keeps why, until the task takes them.
    private(set) var lateRecords = 0
    private var late: [(offset: Int64, message: String)] = []
    private var keyScratch: [UInt8] = []

    init(
        definition: JoinDefinition, shape: Shape, leftWidth: Int, rightWidth: Int, families: [ColumnFamily?],
        functions: ScalarFunctionLibrary, maxIndexedRows: Int = JoinOperator.defaultMaxIndexedRows, segmentMs: Int64? = nil,
        read: [Bool]? = nil, partition: PartitionID = 0
    ) throws(EvaluationError) {
        self.shape = shape
        self.maxIndexedRows = maxIndexedRows
        kind = definition.kind
        leftKeys = try definition.leftKeys.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: leftWidth, functions: functions) }
        rightKeys = try definition.rightKeys.map { (e) throws(EvaluationError) in try CompiledExpression.compile(e, columnCount: rightWidth, functions: functions) }
        residual = try definition.residual.map { (e) throws(EvaluationError) in
            try CompiledExpression.compile(e, columnCount: leftWidth + rightWidth, functions: functions)
        }
        self.leftWidth = leftWidth
        self.rightWidth = rightWidth
        leftKeyColumns = definition.leftKeys.enumerated().compactMap { key, e in
            if case .column(let c) = e.kind { return (c, key) }
            return nil
        }
        self.families = families
        leftPrimaryKey = definition.leftPrimaryKey ?? []
        before = definition.withinBeforeMs ?? 0
        after = definition.withinAfterMs ?? before
        grace = definition.graceMs ?? 0
        self.segmentMs = max(1, segmentMs ?? max((before + after + grace) / 2, 60_000))
        partitionPrefix = Self.partitionBytes(UInt32(bitPattern: partition))
        partitionEnd = partition == -1 ? nil : Self.partitionBytes(UInt32(bitPattern: partition) &+ 1)
        let isRead = { (c: Int) in read.map { c < $0.count ? $0[c] : true } ?? true }
        readLeft = (0..<leftWidth).filter(isRead)
        readRight = (0..<rightWidth).filter { isRead(leftWidth + $0) }
        unread = (0..<(leftWidth + rightWidth)).filter { !isRead($0) }
    }

    /// The rows dropped as late since the last call, with why (for the processing log).
    mutating func takeLateRecords() -> [(offset: Int64, message: String)] {
        defer { late.removeAll() }
        return late
    }

    /// Uncommitted state changes (the task flushes when these grow large). Stream-stream rows held in memory do not
    /// count: they cost no memory beyond `windows`, and the longer they wait, the more expire before ever being
    /// written.
    var pendingCount: Int { overlay.reduce(0) { $0 + $1.count } }

    // MARK: - Processing

    /// One candidate result: a pair to check against the residual, and what the probe emits if no pair passes.
    private struct Probe {
        var pairs: [(left: [Value], right: [Value])] = []
        var fallback: (left: [Value]?, right: [Value]?, op: ChangeOp)?
        var key: [Value]
        var time: Int64
        var op: ChangeOp
    }

    /// What a batch's rows produce: probes to check against the residual condition, or, without one (every pair
    /// passes), output rows at once.
    private struct Emission {
        var probes: [Probe] = []
        var batch: StreamBatch
        let immediate: Bool
    }

    private func add(_ probe: Probe, to emission: inout Emission) {
        guard emission.immediate else {
            emission.probes.append(probe)
            return
        }
        for (l, r) in probe.pairs { appendOutput(l, r, to: &emission.batch, op: probe.op, time: probe.time) }
        if probe.pairs.isEmpty, let fallback = probe.fallback { appendFallback(fallback, of: probe, to: &emission.batch) }
    }

    private func appendFallback(_ fallback: (left: [Value]?, right: [Value]?, op: ChangeOp), of probe: Probe, to batch: inout StreamBatch) {
        appendOutput(fallback.left ?? nullRow(left: true, key: probe.key), fallback.right ?? nullRow(left: false, key: probe.key),
                    to: &batch, op: fallback.op, time: probe.time)
    }

    mutating func process(
        left: StreamBatch, right: StreamBatch, store: any StateStore, context: inout EvaluationContext
    ) throws -> StreamBatch {
        let leftKeyColumns = leftKeys.map { $0.evaluate(left.evaluationInput, context: &context) }
        let rightKeyColumns = rightKeys.map { $0.evaluate(right.evaluationInput, context: &context) }
        var probes = Emission(batch: StreamBatch(columnCount: leftWidth + rightWidth), immediate: residual == nil)
        if shape == .streamStream && !windowsTried { try loadWindows(store: store) }
        var i = 0
        var j = 0
        // An empty side may come through with another width (an operator chain passes empty batches on untouched).
        guard (left.isEmpty || left.columns.count == leftWidth) && (right.isEmpty || right.columns.count == rightWidth) else {
            throw EvaluationError("XX000", "join inputs have \(left.columns.count) and \(right.columns.count) columns, not \(leftWidth) and \(rightWidth)")
        }
        // A row's key values, in a buffer reused from row to row unless a probe keeps them.
        var key: [Value] = []
        key.reserveCapacity(max(leftKeyColumns.count, rightKeyColumns.count))
        // A row's values, in a buffer reused from row to row: stream-stream rows are copied from it into their
        // index, other joins make an array of it.
        var row = [Value](repeating: .null, count: max(leftWidth, rightWidth))
        // Merge by time; on ties the right side (the table of a stream-table join) goes first.
        while i < left.count || j < right.count {
            let takeRight = j < right.count && (i >= left.count || right.timestamps[j] <= left.timestamps[i])
            key.removeAll(keepingCapacity: true)
            let (side, input, at) = takeRight ? (1, right, j) : (0, left, i)
            for column in takeRight ? rightKeyColumns : leftKeyColumns { key.append(column[at]) }
            for c in input.columns.indices { row[c] = input.columns[c][at] }
            try row.withUnsafeBufferPointer { buffer in
                try apply(side: side, row: UnsafeBufferPointer(rebasing: buffer[0..<input.columns.count]), key: key, time: input.timestamps[at],
                          op: input.ops[at], offset: input.offsets[at], store: store, into: &probes)
            }
            if takeRight { j += 1 } else { i += 1 }
        }
        if shape == .streamStream { try purge(store: store) }
        var output = probes.immediate ? probes.batch : try emit(probes.probes, context: &context)
        // One array of NULLs shared by every unread column (copied on write, if ever).
        if !unread.isEmpty {
            let nulls = [Value](repeating: .null, count: output.count)
            for c in unread { output.columns[c] = nulls }
        }
        return output
    }

    /// One input row (its values valid during the call).
    private mutating func apply(
        side: Int, row values: UnsafeBufferPointer<Value>, key: [Value], time: Int64, op: ChangeOp, offset: Int64, store: any StateStore,
        into probes: inout Emission
    ) throws {
        let hasNullKey = key.contains { $0 == .null }
        // Encoded into a reused buffer: a copy is made only where the bytes are kept (a new key).
        keyScratch.removeAll(keepingCapacity: true)
        for value in key { ValueCodec.encode(value, into: &keyScratch) }
        let keyBytes = keyScratch
        if shape == .streamStream {
            return try applyStreamStream(side: side, row: values, key: key, hasNullKey: hasNullKey, keyBytes: keyBytes, time: time, op: op,
                                         offset: offset, store: store, into: &probes)
        }
        let row = Array(values)
        switch shape {
        case .streamTable:
            if side == 1 {
                if hasNullKey { return }
                var history = try versions(keyBytes, store: store)
                let at = history.firstIndex { $0.time >= time } ?? history.count
                if at < history.count && history[at].time == time { history.remove(at: at) }
                history.insert((time, op.isAddition ? row : nil), at: at)
                // Keep the versions a stream row up to `historyRetention` older than the newest can still need.
                let horizon = history[history.count - 1].time - Self.historyRetention
                if let keep = history.lastIndex(where: { $0.time <= horizon }), keep > 0 { history.removeFirst(keep) }
                stage(side: 1, keyBytes, Self.encodeVersions(history))
                return
            }
            guard op.isAddition else { return }
            var probe = Probe(key: key, time: time, op: .insert)
            if kind == .left { probe.fallback = (row, nil, .insert) }
            // The table as of the stream row's time: its latest version at or before that time.
            if !hasNullKey, let version = try versions(keyBytes, store: store).last(where: { $0.time <= time }), let other = version.row {
                probe.pairs.append((row, other))
            }
            if probe.fallback != nil || !probe.pairs.isEmpty { add(probe, to: &probes) }

        case .tableTable:
            if hasNullKey { return }
            let previous = try lookup(side: side, keyBytes, store: store)
            let other = try lookup(side: 1 - side, keyBytes, store: store)
            stage(side: side, keyBytes, op.isAddition ? Self.encode(row, time) : nil)
            let mine: [Value]? = op.isAddition ? row : nil
            let (l, r) = side == 0 ? (mine, other?.row) : (other?.row, mine)
            let (pl, pr) = side == 0 ? (previous?.row, other?.row) : (other?.row, previous?.row)
            let hadResult = producesRow(pl, pr)
            var probe = Probe(key: key, time: max(time, other?.time ?? .min), op: .updateAfter)
            if let l, let r { probe.pairs.append((l, r)) }
            // What the key shows when no pair passes: the outer side alone, or no row (a delete if it had one).
            let keepLeft = l != nil && (kind == .left || kind == .full) && (side == 0 || kind == .left || r == nil)
            let keepRight = r != nil && (kind == .right || kind == .full) && !keepLeft
            if keepLeft {
                probe.fallback = (l, nil, .updateAfter)
            } else if keepRight {
                probe.fallback = (nil, r, .updateAfter)
            } else if hadResult {
                probe.fallback = (pl ?? l, pr ?? r, .delete)
            }
            if probe.fallback != nil || !probe.pairs.isEmpty { add(probe, to: &probes) }

        case .foreignKey:
            if side == 0 {
                try applyLeftOfForeignKey(row: row, foreignKey: hasNullKey ? nil : keyBytes, time: time, op: op, store: store, into: &probes)
            } else if !hasNullKey {
                try applyRightOfForeignKey(row: row, key: keyBytes, time: time, op: op, store: store, into: &probes)
            }

        case .streamStream:
            preconditionFailure("stream-stream rows go to applyStreamStream")
        }
    }

    /// A stream-stream row. Its values are copied into the side's index; an array of them is made only where a
    /// probe keeps them (a residual condition, an outer side's NULL-padded row, or probing the store).
    private mutating func applyStreamStream(
        side: Int, row: UnsafeBufferPointer<Value>, key: [Value], hasNullKey: Bool, keyBytes: [UInt8], time: Int64, op: ChangeOp,
        offset: Int64, store: any StateStore, into probes: inout Emission
    ) throws {
        guard op.isAddition else { return }
        if time > streamTime {
            streamTime = time
            streamTimeChanged = true
        }
        // Kafka Streams' expiry rule: a row no future row of the other side may still meet (its window, bound
        // plus grace, ended before stream time) joins nothing and is not stored. The bound after a right row is
        // the join's `before`.
        let reach = (side == 0 ? after : before) + grace
        if time + reach < streamTime {
            lateRecords += 1
            if late.count < 10_000 {
                late.append((offset, "record at \(time) is late for the join: stream time \(streamTime), WITHIN and grace reach \(reach) ms"))
            }
            return
        }
        let outer = (side == 0 && (kind == .left || kind == .full)) || (side == 1 && (kind == .right || kind == .full))
        func fallback() -> (left: [Value]?, right: [Value]?, op: ChangeOp)? {
            guard outer else { return nil }
            return side == 0 ? (Array(row), nil, .insert) : (nil, Array(row), .insert)
        }
        guard !hasNullKey else {
            if let fallback = fallback() { add(Probe(fallback: fallback, key: key, time: time, op: .insert), to: &probes) }
            return
        }
        // Left row at t meets right rows in [t - before, t + after]; a right row at t meets left rows in
        // [t - after, t + before].
        let (low, high) = side == 0 ? (time - before, time + after) : (time - after, time + before)
        if windows != nil && probes.immediate {
            // Rows in memory and no residual: pairs go straight to the output, with no probe in between. A
            // probe's rows all carry the latest time among its pair.
            let joinKey = StateKey(keyBytes)
            let start = probes.batch.count
            var latest = time
            windows![1 - side].forEach(joinKey, from: low, through: high) { other, otherRow in
                if side == 0 {
                    appendOutput(row, otherRow, to: &probes.batch, op: .insert, time: time)
                } else {
                    appendOutput(otherRow, row, to: &probes.batch, op: .insert, time: time)
                }
                latest = max(latest, other.time)
            }
            if latest != time { for k in start..<probes.batch.count { probes.batch.timestamps[k] = latest } }
            if probes.batch.count == start, let fallback = fallback() {
                appendFallback(fallback, of: Probe(key: key, time: time, op: .insert), to: &probes.batch)
            }
            windows![side].insert(joinKey, time: time, offset: offset, row: row)
            if windows![0].count + windows![1].count > maxIndexedRows { dropWindows() }
            return
        }
        var probe = Probe(key: key, time: time, op: .insert)
        probe.fallback = fallback()
        let mine = Array(row)
        if windows != nil {
            let joinKey = StateKey(keyBytes)
            windows![1 - side].forEach(joinKey, from: low, through: high) { other, otherRow in
                probe.pairs.append(side == 0 ? (mine, Array(otherRow)) : (Array(otherRow), mine))
                probe.time = max(time, other.time)
            }
            windows![side].insert(joinKey, time: time, offset: offset, row: row)
            if windows![0].count + windows![1].count > maxIndexedRows { dropWindows() }
        } else {
            try scanWindow(side: 1 - side, keyBytes, from: low, through: high, store: store) { other, otherTime in
                probe.pairs.append(side == 0 ? (mine, other) : (other, mine))
                probe.time = max(time, otherTime)
            }
            let windowKey = StateKey(windowKey(keyBytes, time: time, offset: offset))
            overlay[side][windowKey] = .some(Self.encode(mine, time))
            stagedWindows[side][StateKey(keyBytes), default: []].append(windowKey)
        }
        if probe.fallback != nil || !probe.pairs.isEmpty { add(probe, to: &probes) }
    }

    /// A left row of a foreign-key join changed: it moves in the index, and its result is its new right row's (or,
    /// with none, NULLs for LEFT and a delete for INNER). The stored left row carries its foreign key last.
    private mutating func applyLeftOfForeignKey(
        row: [Value], foreignKey: [UInt8]?, time: Int64, op: ChangeOp, store: any StateStore, into probes: inout Emission
    ) throws {
        let primaryKey = ValueCodec.encode(leftPrimaryKey.map { row[$0] })
        let previous = try lookup(side: 0, primaryKey, store: store)
        var previousForeignKey: [UInt8]? = nil
        if let previous, case .bytes(let fk)? = previous.row.last, !fk.isEmpty { previousForeignKey = fk }
        if let old = previousForeignKey, old != foreignKey || !op.isAddition { stageIndex(old, primaryKey, present: false) }
        guard op.isAddition else {
            stage(side: 0, primaryKey, nil)
            if let previous {
                add(Probe(fallback: (Array(previous.row.dropLast()), nil, .delete), key: [], time: time, op: .updateAfter), to: &probes)
            }
            return
        }
        stage(side: 0, primaryKey, Self.encode(row + [.bytes(foreignKey ?? [])], time))
        if let foreignKey, foreignKey != previousForeignKey { stageIndex(foreignKey, primaryKey, present: true) }
        var probe = Probe(key: [], time: time, op: .updateAfter)
        if let foreignKey, let other = try lookup(side: 1, foreignKey, store: store) {
            probe.pairs.append((row, other.row))
            probe.time = max(time, other.time)
        }
        if kind == .left {
            probe.fallback = (row, nil, .updateAfter)
        } else if previous != nil {
            probe.fallback = (row, nil, .delete)
        }
        if probe.fallback != nil || !probe.pairs.isEmpty { add(probe, to: &probes) }
    }

    /// A right row of a foreign-key join changed: every left row whose foreign key is its key gets a new result, in
    /// left-key order.
    private mutating func applyRightOfForeignKey(
        row: [Value], key: [UInt8], time: Int64, op: ChangeOp, store: any StateStore, into probes: inout Emission
    ) throws {
        stage(side: 1, key, op.isAddition ? Self.encode(row, time) : nil)
        var referring: Set<StateKey> = Set(stagedWindows[2][StateKey(key)] ?? [])
        if let family = families[2] {
            try store.scan(family, from: key, to: key + [0xFF]) { k, _ in
                referring.insert(StateKey(Array(k)))
                return true
            }
        }
        for indexKey in referring.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
            if case .some(nil) = overlay[2][indexKey] { continue }  // unstaged: the left row moved away
            let primaryKey = Array(indexKey.bytes.dropFirst(key.count))
            guard let left = try lookup(side: 0, primaryKey, store: store), case .bytes(let fk)? = left.row.last, fk == key else { continue }
            let leftRow = Array(left.row.dropLast())
            var probe = Probe(key: [], time: max(time, left.time), op: .updateAfter)
            if op.isAddition { probe.pairs.append((leftRow, row)) }
            probe.fallback = kind == .left ? (leftRow, nil, .updateAfter) : (leftRow, nil, .delete)
            add(probe, to: &probes)
        }
    }

    private mutating func stageIndex(_ foreignKey: [UInt8], _ primaryKey: [UInt8], present: Bool) {
        let indexKey = StateKey(foreignKey + primaryKey)
        overlay[2][indexKey] = .some(present ? [] : nil)
        stagedWindows[2][StateKey(foreignKey), default: []].append(indexKey)
    }

    /// Whether a table-table join has a result row for a key whose sides are `l` and `r` (residual aside).
    private func producesRow(_ l: [Value]?, _ r: [Value]?) -> Bool {
        switch kind {
        case .inner: l != nil && r != nil
        case .left: l != nil
        case .right: r != nil
        case .full: l != nil || r != nil
        }
    }

    /// Checks the residual on every pair at once, then lays out the output rows in probe order.
    private func emit(_ probes: [Probe], context: inout EvaluationContext) throws -> StreamBatch {
        var output = StreamBatch(columnCount: leftWidth + rightWidth)
        var pairs = StreamBatch(columnCount: leftWidth + rightWidth)
        for probe in probes {
            for (l, r) in probe.pairs {
                Self.append(l, r, columns: (0..<leftWidth, 0..<rightWidth), leftWidth: leftWidth, to: &pairs, op: probe.op, time: probe.time)
            }
        }
        var passes = [Bool](repeating: true, count: pairs.count)
        if let residual, !pairs.isEmpty {
            let result = residual.evaluate(pairs.evaluationInput, context: &context)
            for k in 0..<result.count { passes[k] = result[k] == .boolean(true) }
        }
        var next = 0
        for probe in probes {
            var matched = false
            for _ in probe.pairs {
                if passes[next] {
                    for c in readLeft { output.columns[c].append(pairs.columns[c][next]) }
                    for c in readRight { output.columns[leftWidth + c].append(pairs.columns[leftWidth + c][next]) }
                    output.ops.append(probe.op)
                    output.timestamps.append(probe.time)
                    output.offsets.append(-1)
                    matched = true
                }
                next += 1
            }
            if !matched, let fallback = probe.fallback { appendFallback(fallback, of: probe, to: &output) }
        }
        return output
    }

    /// A NULL side; on the left, its join-key columns hold the key so that the result keeps its key.
    private func nullRow(left: Bool, key: [Value]) -> [Value] {
        var row = [Value](repeating: .null, count: left ? leftWidth : rightWidth)
        if left {
            for (column, k) in leftKeyColumns where column < row.count { row[column] = key[k] }
        }
        return row
    }

    /// Appends a joined row to the output: the columns later operators read (the others are filled with NULLs once
    /// per batch).
    private func appendOutput<Left: RandomAccessCollection<Value>, Right: RandomAccessCollection<Value>>(
        _ l: Left, _ r: Right, to batch: inout StreamBatch, op: ChangeOp, time: Int64
    ) where Left.Index == Int, Right.Index == Int {
        Self.append(l, r, columns: (readLeft, readRight), leftWidth: leftWidth, to: &batch, op: op, time: time)
    }

    /// Appends `columns` of a left and a right row as one joined row (the right side's after `leftWidth` columns).
    private static func append<LeftRow: RandomAccessCollection<Value>, RightRow: RandomAccessCollection<Value>, Left: Sequence<Int>, Right: Sequence<Int>>(
        _ l: LeftRow, _ r: RightRow, columns: (left: Left, right: Right), leftWidth: Int, to batch: inout StreamBatch, op: ChangeOp,
        time: Int64
    ) where LeftRow.Index == Int, RightRow.Index == Int {
        for c in columns.left { batch.columns[c].append(l[c]) }
        for c in columns.right { batch.columns[leftWidth + c].append(r[c]) }
        batch.ops.append(op)
        batch.timestamps.append(time)
        batch.offsets.append(-1)
    }

    // MARK: - State

    /// How far back in time the table side of a stream-table join keeps superseded versions (Kafka's versioned
    /// stores call it history retention): a stream row older than the newest version by more than this meets the
    /// version that was current this long ago.
    static let historyRetention: Int64 = 86_400_000

    /// The versions of a table row, oldest first (nil rows are deletions).
    private func versions(_ key: [UInt8], store: any StateStore) throws -> [(time: Int64, row: [Value]?)] {
        let bytes: [UInt8]?
        if let staged = overlay[1][StateKey(key)] {
            bytes = staged
        } else if let family = families[1] {
            bytes = try store.get(key, in: family)
        } else {
            bytes = nil
        }
        guard let bytes else { return [] }
        let values = try bytes.withUnsafeBytes { try ValueCodec.decodeAll($0) }
        return try values.map { value throws(EvaluationError) in
            guard case .array(let parts) = value, parts.count == 2, case .bigint(let time) = parts[0] else { throw ValueCodec.corrupt }
            if case .array(let row) = parts[1] { return (time, row) }
            return (time, nil)
        }
    }

    private static func encodeVersions(_ history: [(time: Int64, row: [Value]?)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for version in history { ValueCodec.encode(.array([.bigint(version.time), version.row.map(Value.array) ?? .null]), into: &bytes) }
        return bytes
    }

    /// A stored row: the side's columns, then its time.
    private static func encode<Row: Sequence<Value>>(_ row: Row, _ time: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        for v in row { ValueCodec.encode(v, into: &bytes) }
        ValueCodec.encode(.bigint(time), into: &bytes)
        return bytes
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (row: [Value], time: Int64) {
        var values = try ValueCodec.decodeAll(bytes)
        guard case .bigint(let time)? = values.popLast() else { throw ValueCodec.corrupt }
        return (values, time)
    }

    /// Stream-stream keys: the task's partition, the time's segment, the join key, the time, then the input offset,
    /// which keeps rows of the same key and time apart. Segment and time have their sign bit flipped, so that byte
    /// order is time order.
    private func windowKey(_ key: [UInt8], time: Int64, offset: Int64) -> [UInt8] {
        Self.windowKey(key, time: time, offset: offset, segmentMs: segmentMs, partition: partitionPrefix)
    }

    private static func windowKey(_ key: [UInt8], time: Int64, offset: Int64, segmentMs: Int64, partition: [UInt8]) -> [UInt8] {
        storeKey(partition: partition, segment: segment(of: time, segmentMs: segmentMs), key, time: time, offset: offset)
    }

    /// Bytes before the join key: partition and segment.
    private static let keyHeader = 12

    private static func storeKey(partition: [UInt8], segment: Int64, _ key: [UInt8], time: Int64, offset: Int64) -> [UInt8] {
        var bytes = segmentPrefix(partition: partition, segment)
        bytes.reserveCapacity(keyHeader + key.count + 16)
        bytes.append(contentsOf: key)
        withUnsafeBytes(of: (UInt64(bitPattern: time) ^ (1 << 63)).bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(bitPattern: offset).bigEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    private static func segmentPrefix(partition: [UInt8], _ segment: Int64) -> [UInt8] {
        partition + withUnsafeBytes(of: (UInt64(bitPattern: segment) ^ (1 << 63)).bigEndian) { Array($0) }
    }

    private func segmentPrefix(_ segment: Int64) -> [UInt8] { Self.segmentPrefix(partition: partitionPrefix, segment) }

    private static func partitionBytes(_ partition: UInt32) -> [UInt8] {
        withUnsafeBytes(of: partition.bigEndian) { Array($0) }
    }

    private func segment(of time: Int64) -> Int64 { Self.segment(of: time, segmentMs: segmentMs) }

    private static func segment(of time: Int64, segmentMs: Int64) -> Int64 {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: segmentMs)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// Where a stream-stream join's task stores its stream time, in the left family: its partition prefix alone,
    /// before every segment of the partition.
    private var streamTimeKey: [UInt8] { partitionPrefix }

    /// The time and offset at the end of a stream-stream key (`windowKey`).
    private static func windowPosition(_ key: UnsafeRawBufferPointer) -> (time: Int64, offset: Int64) {
        let time = Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 16, as: UInt64.self)) ^ (1 << 63))
        let offset = Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)))
        return (time, offset)
    }

    /// A chunk's key: its segment's prefix, the chunk marker, then the chunk number.
    private func chunkKey(_ segment: Int64, _ number: UInt64) -> [UInt8] {
        var key = segmentPrefix(segment)
        key.append(Self.chunkMarker)
        withUnsafeBytes(of: number.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// The segment of a chunk's key; nil for any other key.
    static func chunkSegment(_ key: UnsafeRawBufferPointer) -> Int64? {
        guard key.count == keyHeader + 9, key[keyHeader] == chunkMarker else { return nil }
        return Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 4, as: UInt64.self)) ^ (1 << 63))
    }

    /// A row in a chunk: join key length (4 bytes), join key, time, offset (8 bytes each), row length (4 bytes), then
    /// the row's values (`ValueCodec`). Integers are little-endian.
    private static func appendChunkEntry<Row: Sequence<Value>>(_ key: [UInt8], time: Int64, offset: Int64, row: Row, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(key.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: key)
        withUnsafeBytes(of: (time.littleEndian, offset.littleEndian)) { bytes.append(contentsOf: $0) }
        let lengthAt = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])
        for value in row { ValueCodec.encode(value, into: &bytes) }
        withUnsafeBytes(of: UInt32(bytes.count - lengthAt - 4).littleEndian) { length in
            for i in 0..<4 { bytes[lengthAt + i] = length[i] }
        }
    }

    /// Visits the rows of a chunk: join key, time, offset and the encoded row. A truncated chunk is corrupt.
    static func forEachChunkEntry(
        _ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int64, Int64, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var at = 0
        func length() throws -> Int {
            guard chunk.count - at >= 4 else { throw ValueCodec.corrupt }
            defer { at += 4 }
            return Int(UInt32(littleEndian: chunk.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        }
        while at < chunk.count {
            let keyCount = try length()
            guard chunk.count - at >= keyCount + 16 else { throw ValueCodec.corrupt }
            let key = UnsafeRawBufferPointer(rebasing: chunk[at..<(at + keyCount)])
            at += keyCount
            let time = Int64(littleEndian: chunk.loadUnaligned(fromByteOffset: at, as: Int64.self))
            let offset = Int64(littleEndian: chunk.loadUnaligned(fromByteOffset: at + 8, as: Int64.self))
            at += 16
            let rowCount = try length()
            guard chunk.count - at >= rowCount else { throw ValueCodec.corrupt }
            try body(key, time, offset, UnsafeRawBufferPointer(rebasing: chunk[at..<(at + rowCount)]))
            at += rowCount
        }
    }

    /// Stages the rows of this partition's chunks (from the cutoff's segment on) under their own keys, and the
    /// chunks' deletion: the store is to be probed, and holds more rows than memory may (`maxIndexedRows` was lowered
    /// since they were written).
    private mutating func expandChunks(store: any StateStore) throws {
        let cutoff = self.cutoff
        let (segmentMs, partition) = (self.segmentMs, partitionPrefix)
        for side in 0..<2 {
            guard let family = families[side] else { continue }
            var staged: [(StateKey, [UInt8])] = []
            var segments: Set<Int64> = []
            try store.scan(family, from: segmentPrefix(segment(of: cutoff)), to: partitionEnd) { k, v in
                guard let segment = Self.chunkSegment(k) else { return true }
                segments.insert(segment)
                try Self.forEachChunkEntry(v) { key, time, offset, row in
                    guard time >= cutoff else { return }
                    var value = Array(row)
                    ValueCodec.encode(.bigint(time), into: &value)
                    staged.append((StateKey(Self.windowKey(Array(key), time: time, offset: offset, segmentMs: segmentMs, partition: partition)), value))
                }
                return true
            }
            for (key, value) in staged { overlay[side][key] = .some(value) }
            chunksToDrop[side].formUnion(segments)
            chunkSegments[side] = []
        }
        restageWindows()
    }

    private mutating func stage(side: Int, _ key: [UInt8], _ value: [UInt8]?) {
        overlay[side][StateKey(key)] = .some(value)
    }

    private func lookup(side: Int, _ key: [UInt8], store: any StateStore) throws -> (row: [Value], time: Int64)? {
        if let staged = overlay[side][StateKey(key)] {
            return try staged.map { bytes in try bytes.withUnsafeBytes { try Self.decode($0) } }
        }
        guard let family = families[side], let bytes = try store.get(key, in: family) else { return nil }
        return try bytes.withUnsafeBytes { try Self.decode($0) }
    }

    /// Visits the stored rows of `key` on `side` with times in [low, high], committed and staged.
    private func scanWindow(
        side: Int, _ key: [UInt8], from low: Int64, through high: Int64, store: any StateStore, _ body: ([Value], Int64) -> Void
    ) throws {
        guard let family = families[side], low <= high else { return }
        // Segments partition time: visiting them in order visits the rows in time order.
        for segment in segment(of: low)...segment(of: high) {
            try scanSegment(segment, side: side, family: family, key, from: low, through: high, store: store, body)
        }
    }

    private func scanSegment(
        _ segment: Int64, side: Int, family: ColumnFamily, _ key: [UInt8], from low: Int64, through high: Int64,
        store: any StateStore, _ body: ([Value], Int64) -> Void
    ) throws {
        // Offsets are stored as their raw 64-bit pattern: the bounds take the smallest and largest patterns, so that
        // rows at exactly `low` and `high` are in range, whatever their offset (-1 for rows a join made).
        let lower = Self.storeKey(partition: partitionPrefix, segment: segment, key, time: low, offset: 0)
        let upper = Self.storeKey(partition: partitionPrefix, segment: segment, key, time: high, offset: -1)
        // Matches in key order (time, then offset), whether they are committed or still staged, so that the output
        // does not depend on when the task last flushed: the staged keys of this join key that fall in range (few,
        // usually none) are merged into the store scan, which yields keys in order.
        let end = upper + [0]
        let staged = (stagedWindows[side][StateKey(key)] ?? []).filter { k in
            k.bytes.lexicographicallyPrecedes(end) && !k.bytes.lexicographicallyPrecedes(lower)
        }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        var next = 0
        func visitStaged(_ stateKey: StateKey) throws {
            guard let value = overlay[side][stateKey], let bytes = value else { return }
            let (row, time) = try bytes.withUnsafeBytes { try Self.decode($0) }
            body(row, time)
        }
        try store.scan(family, from: lower, to: end) { k, v in
            // Staged keys before this stored one are not in the store: they come first.
            while next < staged.count, staged[next].bytes.lexicographicallyPrecedes(k) {
                try visitStaged(staged[next])
                next += 1
            }
            if next < staged.count, staged[next].bytes.elementsEqual(k) { next += 1 }
            if let value = overlay[side][StateKey(Array(k))] {
                if let bytes = value {
                    let (row, time) = try bytes.withUnsafeBytes { try Self.decode($0) }
                    body(row, time)
                }
            } else {
                let (row, time) = try Self.decode(v)
                body(row, time)
            }
            return true
        }
        while next < staged.count {
            try visitStaged(staged[next])
            next += 1
        }
    }

    /// Loads the stream time, and both sides' stored rows into `windows` unless there are more than `maxIndexedRows`
    /// (rows of segments not dropped yet that are older than the cutoff are left out).
    private mutating func loadWindows(store: any StateStore) throws {
        windowsTried = true
        streamTime = .min
        chunkSegments = [[], []]
        chunksToDrop = [[], []]
        if let family = families[0], let bytes = try store.get(streamTimeKey, in: family), bytes.count == 8 || bytes.count == 16 {
            bytes.withUnsafeBytes { raw in
                streamTime = Int64(bigEndian: raw.loadUnaligned(as: Int64.self))
                if raw.count == 16 { nextChunk = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
            }
        }
        streamTimeChanged = false
        let cutoff = self.cutoff
        var loaded: [[(key: StateKey, time: Int64, offset: Int64, row: [Value])]] = [[], []]
        var total = 0
        for side in 0..<2 {
            guard let family = families[side] else { continue }
            var tooMany = false
            var segments: Set<Int64> = []
            // This partition's rows from the cutoff's segment on: chunks, and rows under their own keys.
            try store.scan(family, from: segmentPrefix(segment(of: cutoff)), to: partitionEnd) { k, v in
                if let segment = Self.chunkSegment(k) {
                    segments.insert(segment)
                    try Self.forEachChunkEntry(v) { key, time, offset, row in
                        guard time >= cutoff, !tooMany else { return }
                        total += 1
                        if total > maxIndexedRows { tooMany = true }
                        loaded[side].append((StateKey(Array(key)), time, offset, try ValueCodec.decodeAll(row)))
                    }
                    return !tooMany
                }
                guard k.count >= Self.keyHeader + 16 else { return true }
                let (time, offset) = Self.windowPosition(k)
                guard time >= cutoff else { return true }
                total += 1
                if total > maxIndexedRows {
                    tooMany = true
                    return false
                }
                loaded[side].append((StateKey(Array(k[Self.keyHeader..<(k.count - 16)])), time, offset, try Self.decode(v).row))
                return true
            }
            chunkSegments[side] = segments
            if tooMany {
                try expandChunks(store: store)
                return
            }
        }
        var windows = [JoinWindowIndex(width: leftWidth), JoinWindowIndex(width: rightWidth)]
        for side in 0..<2 {
            // Queued oldest first, as if they had just arrived in time order.
            for entry in loaded[side].sorted(by: { $0.time < $1.time }) {
                guard entry.row.count == windows[side].width else { throw ValueCodec.corrupt }
                windows[side].insert(entry.key, time: entry.time, offset: entry.offset, row: entry.row)
            }
            windows[side].markPersisted()
        }
        self.windows = windows
    }

    /// Gives up the in-memory rows: from now on probes scan the store, which needs the staged keys of each join key.
    /// The rows the store does not have yet are staged first.
    private mutating func dropWindows() {
        if windows != nil {
            let (segmentMs, partition) = (self.segmentMs, partitionPrefix)
            for side in 0..<2 {
                // Every held row: those in chunks too, which go.
                windows![side].forEachHeld { key, time, offset, row in
                    overlay[side][StateKey(Self.windowKey(key.bytes, time: time, offset: offset, segmentMs: segmentMs, partition: partition))] =
                        .some(Self.encode(row, time))
                }
                chunksToDrop[side].formUnion(chunkSegments[side])
                chunkSegments[side] = []
            }
        }
        windows = nil
        restageWindows()
    }

    /// Rebuilds `stagedWindows` from the overlay (probes of the store visit the staged rows of their join key).
    private mutating func restageWindows() {
        for side in 0..<2 {
            stagedWindows[side].removeAll()
            for (k, staged) in overlay[side] where staged != nil && k.bytes.count >= Self.keyHeader + 16 {
                stagedWindows[side][StateKey(Array(k.bytes[Self.keyHeader..<(k.bytes.count - 16)])), default: []].append(k)
            }
        }
    }

    /// Rows older than this can meet no future row that is not late: stream time minus the bound and the grace period.
    private var cutoff: Int64 { streamTime == .min ? .min : streamTime - (before + after + grace) }

    /// Drops stream-stream rows that no future row can meet (older than `cutoff`): in memory, after every batch; in
    /// the store, whole segments at a time, once every row of a segment is older than the cutoff (a range delete at
    /// the next flush).
    private mutating func purge(store: any StateStore) throws {
        let cutoff = self.cutoff
        guard cutoff != .min else { return }
        if windows != nil {
            for side in 0..<2 { windows![side].expire(before: cutoff) }
        }
        let below = segment(of: cutoff)
        guard below > droppedBelow else { return }
        droppedBelow = below
        dropPending = true
        for side in 0..<2 {
            chunkSegments[side] = chunkSegments[side].filter { $0 >= below }
            chunksToDrop[side] = chunksToDrop[side].filter { $0 >= below }
        }
        // Staged rows of dropped segments go too (the range delete only covers what earlier batches wrote).
        let end = segmentPrefix(below)
        for side in 0..<2 where windows == nil {
            for (k, _) in overlay[side] where k.bytes.lexicographicallyPrecedes(end) { overlay[side][k] = nil }
            for (joinKey, keys) in stagedWindows[side] {
                stagedWindows[side][joinKey] = keys.filter { !$0.bytes.lexicographicallyPrecedes(end) }
            }
        }
    }

    /// Moves the staged state changes into `writes` (committed by the task with its offsets).
    mutating func flush(into writes: inout StateWriteBatch) {
        if shape == .streamStream {
            if dropPending {
                for side in 0..<2 {
                    guard let family = families[side] else { continue }
                    writes.deleteRange(from: segmentPrefix(.min), to: segmentPrefix(droppedBelow), in: family)
                }
                dropPending = false
            }
            for side in 0..<2 {
                guard let family = families[side] else { continue }
                for segment in chunksToDrop[side] {
                    writes.deleteRange(from: chunkKey(segment, 0), to: segmentPrefix(segment &+ 1), in: family)
                }
                chunksToDrop[side].removeAll()
            }
            var wroteChunks = false
            if windows != nil {
                let segmentMs = self.segmentMs
                for side in 0..<2 {
                    guard let family = families[side] else { continue }
                    var open: [Int64: [UInt8]] = [:]
                    var closed: [(segment: Int64, bytes: [UInt8])] = []
                    windows![side].takeUnpersisted { key, time, offset, row in
                        let segment = Self.segment(of: time, segmentMs: segmentMs)
                        Self.appendChunkEntry(key.bytes, time: time, offset: offset, row: row, to: &open[segment, default: []])
                        if open[segment]!.count >= Self.chunkBytes { closed.append((segment, open.removeValue(forKey: segment)!)) }
                    }
                    closed += open.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                    for (segment, bytes) in closed {
                        writes.put(chunkKey(segment, nextChunk), bytes, in: family)
                        nextChunk &+= 1
                        chunkSegments[side].insert(segment)
                        wroteChunks = true
                    }
                }
            }
            if streamTimeChanged || wroteChunks, let family = families[0] {
                withUnsafeBytes(of: (streamTime.bigEndian, nextChunk.bigEndian)) { value in
                    streamTimeKey.withUnsafeBytes { key in writes.put(key, value, in: family) }
                }
                streamTimeChanged = false
            }
        }
        for side in families.indices {
            guard let family = families[side] else { continue }
            for (key, staged) in overlay[side] {
                if let value = staged { writes.put(key.bytes, value, in: family) } else { writes.delete(key.bytes, in: family) }
            }
            overlay[side].removeAll(keepingCapacity: true)
            stagedWindows[side].removeAll(keepingCapacity: true)
        }
    }

    mutating func discard() {
        chunkSegments = [[], []]
        chunksToDrop = [[], []]
        overlay = [[:], [:], [:]]
        stagedWindows = [[:], [:], [:]]
        windows = nil
        windowsTried = false
        droppedBelow = .min
        dropPending = false
    }
}
