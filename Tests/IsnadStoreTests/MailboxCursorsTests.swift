import Foundation
import GRDB
@testable import IsnadStore
@testable import IsnadStoreSQLite
import Testing

/// The SQLite writer counts a device's cursors on from its newest stored message and writes the
/// device's counter only when that message is deleted (MailboxCursors): no commit rewrites the
/// device's row, and no cursor is handed out twice, across a restart too.
@Suite("SQLite mailbox cursors")
struct MailboxCursorsTests {
    static func lastCursor(_ store: SQLiteRelayStore, _ device: DeviceID) async throws -> Int64? {
        try await store.pool.read { try Int64.fetchOne($0, sql: "SELECT last_cursor FROM devices WHERE id = ?", arguments: [device.uuid.bytes]) }
    }

    @Test("storing messages leaves the device's row alone; deleting the newest records its cursor, which a reopened store counts on from")
    func counter() async throws {
        try await withTemporaryDirectory { folder in
            let store = try SQLiteRelayStore(directory: folder)
            let device = try await RelayStoreContract.registerDevice(store)
            for _ in 0..<3 {
                _ = try await store.enqueue(RelayStoreContract.message(to: [device.id]), now: RelayStoreContract.now)
            }
            #expect(try await Self.lastCursor(store, device.id) == 0, "no commit wrote the counter")
            let cursors = try await store.messages(for: device.id, after: 0, limit: 10, now: RelayStoreContract.now).map(\.cursor)
            #expect(cursors == [1, 2, 3])
            #expect(try await store.acknowledge([1], for: device.id) == 1)
            #expect(try await Self.lastCursor(store, device.id) == 1, "an acknowledgement records what it deleted")
            #expect(try await store.acknowledge([2, 3, 99], for: device.id) == 2)
            #expect(try await Self.lastCursor(store, device.id) == 3, "the newest deleted, not a cursor never handed out")
            try store.close()

            let reopened = try SQLiteRelayStore(directory: folder)
            let next = RelayStoreContract.message(to: [device.id])
            _ = try await reopened.enqueue(next, now: RelayStoreContract.now)
            let page = try await reopened.messages(for: device.id, after: 0, limit: 10, now: RelayStoreContract.now)
            #expect(page.map(\.cursor) == [4] && page.first?.messageID == next.id, "the empty mailbox goes on from 4 after a restart")
            try reopened.close()
        }
    }
}
