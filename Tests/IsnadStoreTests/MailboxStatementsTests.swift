import Foundation
import GRDB
@testable import IsnadStore
@testable import IsnadStoreSQLite
import Testing

/// The writer's per-message statements bind their arguments through SQLite's C API rather than
/// GRDB's (MailboxStatements.swift): what they store must read back exactly, through GRDB, and a
/// failed statement must throw GRDB's error and leave the statement usable.
@Suite("SQLite mailbox statements")
struct MailboxStatementsTests {
    /// A relay store in a fresh folder, closed after `body`.
    static func withStore(_ body: (SQLiteRelayStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let store = try SQLiteRelayStore(directory: folder)
            try await body(store)
            try store.close()
        }
    }

    @Test("every column reads back as bound: blobs (an empty one too), integers, NULL")
    func roundTrip() async throws {
        try await Self.withStore { store in
            let device = try await RelayStoreContract.registerDevice(store)
            let messageID = MessageID.random(), payload = RelayStoreContract.randomBytes(1500), digest = RelayStoreContract.randomBytes(32)
            let rows = try await store.pool.write { db -> [Row] in
                let statements = try MailboxStatements(db, keys: store.expiryKeys)
                try statements.insertMessage(db, device: device.id, cursor: 41, messageID: messageID, payload: payload,
                                             receivedAt: 1_700_000_000_123, expiresAt: -5)
                try statements.insertMessage(db, device: device.id, cursor: 42, messageID: messageID, payload: Data(),
                                             receivedAt: 0, expiresAt: Int64.max)
                try statements.insertSubmission(db, messageID: messageID, digest: digest, acceptedAt: 7, recipientCount: 3, epoch: nil, expiresAt: 9)
                try statements.insertSubmission(db, messageID: messageID, digest: Data(), acceptedAt: 8, recipientCount: 0, epoch: Int64.min, expiresAt: 10)
                return try Row.fetchAll(db, sql: """
                    SELECT device_id, cursor, message_id, payload, typeof(payload) AS kind, received_at, expires_at FROM messages ORDER BY cursor
                    """) + Row.fetchAll(db, sql: "SELECT message_id, digest, typeof(digest) AS kind, accepted_at, recipient_count, epoch, expires_at FROM submissions ORDER BY id")
            }
            #expect(rows.count == 4)
            #expect(rows[0]["device_id"] == device.id.uuid.bytes && rows[0]["message_id"] == messageID.uuid.bytes)
            #expect(rows[0]["cursor"] == 41 as Int64 && rows[0]["payload"] == payload && rows[0]["kind"] == "blob")
            #expect(rows[0]["received_at"] == 1_700_000_000_123 as Int64 && rows[0]["expires_at"] == -5 as Int64)
            #expect(rows[1]["cursor"] == 42 as Int64 && rows[1]["payload"] == Data() && rows[1]["kind"] == "blob", "an empty payload is an empty blob, not NULL")
            #expect(rows[1]["received_at"] == 0 as Int64 && rows[1]["expires_at"] == Int64.max)
            #expect(rows[2]["message_id"] == messageID.uuid.bytes && rows[2]["digest"] == digest)
            #expect(rows[2]["accepted_at"] == 7 as Int64 && rows[2]["recipient_count"] == 3 as Int64 && rows[2]["expires_at"] == 9 as Int64)
            #expect(rows[2]["epoch"] as DatabaseValue == .null, "no epoch is NULL")
            #expect(rows[3]["digest"] == Data() && rows[3]["kind"] == "blob" && rows[3]["epoch"] == Int64.min)
        }
    }

    @Test("trimming deletes the device's messages through the cursor, and no one else's")
    func trim() async throws {
        try await Self.withStore { store in
            let first = try await RelayStoreContract.registerDevice(store), second = try await RelayStoreContract.registerDevice(store)
            let left = try await store.pool.write { db -> [Row] in
                let statements = try MailboxStatements(db, keys: store.expiryKeys)
                for device in [first, second] {
                    for cursor in Int64(1)...5 {
                        try statements.insertMessage(db, device: device.id, cursor: cursor, messageID: .random(), payload: Data([1]), receivedAt: 0, expiresAt: 1)
                    }
                }
                try statements.trimMailbox(db, device: first.id, through: 3)
                return try Row.fetchAll(db, sql: "SELECT device_id, cursor FROM messages ORDER BY device_id = ? DESC, cursor", arguments: [first.id.uuid.bytes])
            }
            #expect(left.map { $0["cursor"] as Int64 } == [4, 5, 1, 2, 3, 4, 5])
            #expect(left.prefix(2).allSatisfy { $0["device_id"] == first.id.uuid.bytes })
        }
    }

    @Test("a failed statement throws SQLite's error as GRDB's, and the statement runs again afterwards")
    func failure() async throws {
        try await Self.withStore { store in
            let device = try await RelayStoreContract.registerDevice(store)
            let (error, count) = try await store.pool.write { db -> ((any Error)?, Int) in
                let statements = try MailboxStatements(db, keys: store.expiryKeys)
                var caught: (any Error)?
                do {
                    // No such device: the foreign key refuses it.
                    try statements.insertMessage(db, device: .random(), cursor: 1, messageID: .random(), payload: Data([1]), receivedAt: 0, expiresAt: 1)
                } catch {
                    caught = error
                }
                try statements.insertMessage(db, device: device.id, cursor: 1, messageID: .random(), payload: Data([2]), receivedAt: 0, expiresAt: 1)
                // The same (device, cursor) twice breaks the unique index.
                do {
                    try statements.insertMessage(db, device: device.id, cursor: 1, messageID: .random(), payload: Data([3]), receivedAt: 0, expiresAt: 1)
                    Issue.record("a duplicate cursor was stored")
                } catch let error as DatabaseError {
                    #expect(error.resultCode == .SQLITE_CONSTRAINT)
                }
                return (caught, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") ?? -1)
            }
            let databaseError = try #require(error as? DatabaseError)
            #expect(databaseError.resultCode == .SQLITE_CONSTRAINT)
            #expect(databaseError.message?.contains("FOREIGN KEY") == true)
            #expect(count == 1, "only the valid message is stored")
        }
    }

    @Test("a page reads back what was stored: after the cursor, unexpired, oldest first, at most the limit")
    func page() async throws {
        try await Self.withStore { store in
            let device = try await RelayStoreContract.registerDevice(store), other = try await RelayStoreContract.registerDevice(store)
            let ids = (0..<6).map { _ in MessageID.random() }
            let payloads = [Data(), RelayStoreContract.randomBytes(1), RelayStoreContract.randomBytes(5000), RelayStoreContract.randomBytes(16),
                            RelayStoreContract.randomBytes(200), RelayStoreContract.randomBytes(3)]
            // Cursor 3 has expired by 1_000; cursors are stored out of order.
            let expiries: [Int64] = [5_000, 5_000, 999, 5_000, 7_000, 5_000]
            try await store.pool.write { db in
                let statements = try MailboxStatements(db, keys: store.expiryKeys)
                for index in [5, 2, 0, 4, 1, 3] {
                    try statements.insertMessage(db, device: device.id, cursor: Int64(index + 1), messageID: ids[index], payload: payloads[index],
                                                 receivedAt: 100 + Int64(index), expiresAt: expiries[index])
                }
                try statements.insertMessage(db, device: other.id, cursor: 2, messageID: .random(), payload: Data([9]), receivedAt: 0, expiresAt: 5_000)
            }
            let all = try await store.pool.read { try MailboxStatements.page($0, device: device.id, after: 0, now: 1_000, limit: 100) }
            #expect(all.map(\.cursor) == [1, 2, 4, 5, 6])
            for message in all {
                let index = Int(message.cursor) - 1
                #expect(message.messageID == ids[index] && message.payload == payloads[index])
                #expect(message.receivedAt == StoredTime.date(100 + Int64(index)) && message.expiresAt == StoredTime.date(expiries[index]))
            }
            let later = try await store.pool.read { try MailboxStatements.page($0, device: device.id, after: 2, now: 1_000, limit: 2) }
            #expect(later.map(\.cursor) == [4, 5])
            let none = try await store.pool.read { try MailboxStatements.page($0, device: device.id, after: 0, now: 1_000, limit: 0) }
            #expect(none.isEmpty)
            let afterExpiry = try await store.pool.read { try MailboxStatements.page($0, device: device.id, after: 0, now: 5_000, limit: 100) }
            #expect(afterExpiry.map(\.cursor) == [5], "only the message expiring at 7,000 is left at 5,000")
        }
    }

    @Test("a stored message whose columns have the wrong types is an internal error, not a trap, and the page reads again afterwards")
    func pageOfBadRows() async throws {
        try await Self.withStore { store in
            let device = try await RelayStoreContract.registerDevice(store)
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO messages (device_id, cursor, message_id, payload, received_at, expires_at) VALUES (?, 1, ?, x'00', 0, 10)",
                               arguments: [device.id.uuid.bytes, Data(count: 15)])
            }
            await #expect(throws: StoreError.self) {
                try await store.pool.read { try MailboxStatements.page($0, device: device.id, after: 0, now: 0, limit: 10) }
            }
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE messages SET message_id = ?, received_at = 'soon'", arguments: [Data(count: 16)])
            }
            await #expect(throws: StoreError.self) {
                try await store.pool.read { try MailboxStatements.page($0, device: device.id, after: 0, now: 0, limit: 10) }
            }
            try await store.pool.write { try $0.execute(sql: "UPDATE messages SET received_at = 0") }
            let page = try await store.pool.read { try MailboxStatements.page($0, device: device.id, after: 0, now: 0, limit: 10) }
            #expect(page.map(\.cursor) == [1] && page.first?.payload == Data([0]))
        }
    }
}
