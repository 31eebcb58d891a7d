import Relational
import SluiceCore
import Streams
import Testing

@testable import SQLEngine

/// The buffer between a push query's tasks and its client.
@Suite struct PushQueryTests {
    final class Calls: @unchecked Sendable {
        // @unchecked: the counter is guarded by `lock`.
        private let lock = Lock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    static func batch(_ values: [Int32]) -> StreamBatch {
        var batch = StreamBatch(columnCount: 1)
        for v in values {
            batch.columns[0].append(.int(v))
            batch.ops.append(.insert)
            batch.timestamps.append(0)
            batch.offsets.append(-1)
        }
        return batch
    }

    /// The tasks stop stepping while the buffer is full; taking rows from a full buffer calls `onRoom` (which
    /// wakes the workers), taking from one with room does not. `poll` never waits.
    @Test func takingFromAFullBufferMakesRoomAndSaysSo() throws {
        let room = Calls()
        let query = PushQuery(id: "PUSH_T", columns: [Column("X", .int)], limit: 5, capacity: 3, onClose: {}, onRoom: { room.add() })
        #expect(try query.poll() == [])
        #expect(query.deliver(Self.batch([1, 2])))
        #expect(query.hasRoom)
        #expect(try query.poll() == [[.int(1)], [.int(2)]])
        #expect(room.value == 0)
        #expect(query.deliver(Self.batch([3, 4, 5, 6])) == false)  // LIMIT 5 reached: the task stops
        #expect(!query.hasRoom)
        #expect(try query.poll() == [[.int(3)], [.int(4)], [.int(5)]])
        #expect(room.value == 1)
        #expect(try query.poll() == nil)  // ended, every row taken
    }
}
