import Foundation
import GRDB
@testable import IsnadStore
@testable import IsnadStoreSQLite
import Synchronization
import Testing

/// Messages and submissions are keyed by expiry (ExpiryKeys.swift) so that the sweep is a range
/// delete without an index on `expires_at`: each row's key must carry its expiry, a key already
/// in use must be stepped over, the sweep must delete exactly the expired rows whatever order
/// they were stored in, and the migration must key the rows of an older database.
@Suite("SQLite rows keyed by expiry")
struct ExpiryKeysTests {
    static let millisecond: Int64 = 1 << 20

    static func keys(_ db: Database, _ table: String) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM \(table) ORDER BY id")
    }

    @Test("a key is the expiry in its top bits, then a sequence within the millisecond")
    func layout() {
        #expect(ExpiryKeys.firstKey(expiringAt: 1_800_000_000_000) == 1_800_000_000_000 * Self.millisecond)
        #expect(ExpiryKeys.firstKey(expiringAt: -5) == 0, "before 1970: the first key of all")
        #expect(ExpiryKeys.firstKey(expiringAt: .max) == ExpiryKeys.latestMilliseconds * Self.millisecond, "after 2109: the last millisecond's")
        #expect(ExpiryKeys.sweepBound(now: 1_000) == 1_001 * Self.millisecond, "rows expiring at `now` are expired")
        #expect(ExpiryKeys.millisecondStart(of: 7 * Self.millisecond + 12_345) == 7 * Self.millisecond)
        let keys = ExpiryKeys()
        #expect(keys.proposal(.messages, expiringAt: 7) == 7 * Self.millisecond)
        keys.used(7 * Self.millisecond, in: .messages)
        #expect(keys.proposal(.messages, expiringAt: 7) == 7 * Self.millisecond + 1, "the next in the same millisecond")
        #expect(keys.proposal(.submissions, expiringAt: 7) == 7 * Self.millisecond, "each table counts on its own")
        #expect(keys.proposal(.messages, expiringAt: 6) == 6 * Self.millisecond, "an earlier expiry starts at its own millisecond")
        keys.used(8 * Self.millisecond - 1, in: .messages)
        #expect(keys.proposal(.messages, expiringAt: 7) == 7 * Self.millisecond, "a full millisecond starts over (and steps over what is used)")
    }

    @Test("the writer stores each row under its expiry's key, and steps over keys in use when expiries go backwards")
    func stored() async throws {
        try await MailboxStatementsTests.withStore { store in
            let device = try await RelayStoreContract.registerDevice(store)
            let (messages, submissions) = try await store.pool.write { db -> ([Int64], [Int64]) in
                let statements = try MailboxStatements(db, keys: store.expiryKeys)
                // Two in the same millisecond, a later one, then back to the first millisecond
                // as after a restart with a shorter retention: its first keys are in use.
                for (cursor, expiry) in [(1, 5_000), (2, 5_000), (3, 9_000)] as [(Int64, Int64)] {
                    try statements.insertMessage(db, device: device.id, cursor: cursor, messageID: .random(), payload: Data([1]), receivedAt: 0, expiresAt: expiry)
                    try statements.insertSubmission(db, messageID: .random(), digest: Data([2]), acceptedAt: 0, recipientCount: 1, epoch: nil, expiresAt: expiry)
                }
                let restarted = try MailboxStatements(db, keys: ExpiryKeys())
                try restarted.insertMessage(db, device: device.id, cursor: 4, messageID: .random(), payload: Data([1]), receivedAt: 0, expiresAt: 5_000)
                let returned = try restarted.insertSubmission(db, messageID: .random(), digest: Data([2]), acceptedAt: 0, recipientCount: 1, epoch: nil, expiresAt: 5_000)
                #expect(returned == 5_000 * Self.millisecond + 2, "the key returned is the key stored")
                return (try Self.keys(db, "messages"), try Self.keys(db, "submissions"))
            }
            let expected = [5_000 * Self.millisecond, 5_000 * Self.millisecond + 1, 5_000 * Self.millisecond + 2, 9_000 * Self.millisecond]
            #expect(messages == expected)
            #expect(submissions == expected)
            let cursorsByKey = try await store.pool.read { try Int64.fetchAll($0, sql: "SELECT cursor FROM messages ORDER BY id") }
            #expect(cursorsByKey == [1, 2, 4, 3])
        }
    }

    @Test("the sweep deletes exactly the expired messages and submissions, whatever order they were stored in")
    func sweep() async throws {
        try await MailboxStatementsTests.withStore { store in
            let device = try await RelayStoreContract.registerDevice(store)
            let start = RelayStoreContract.now
            // Expiries out of order, two equal, one exactly at the sweep's time.
            let offsets: [TimeInterval] = [300, 100, 200, 100, 50, 400, 150.5, 150, 149.999]
            var ids: [MessageID] = []
            for offset in offsets {
                let submission = Submission(id: .random(), deliveries: [.init(recipients: [device.id], payload: Data([7]))], expiresAt: start + offset)
                ids.append(submission.id)
                _ = try await store.enqueue(submission, now: start)
            }
            let report = try await store.removeExpired(now: start + 150)
            let expired = offsets.filter { $0 <= 150 }.count
            #expect(report.messages == expired && report.submissions == expired)
            let left = try await store.pool.read { db in
                try Int64.fetchAll(db, sql: "SELECT expires_at FROM messages ORDER BY id")
            }
            let expectedLeft = offsets.filter { $0 > 150 }.map { StoredTime.milliseconds(start + $0) }.sorted()
            #expect(left == expectedLeft, "the unexpired ones, in expiry order")
            for (id, offset) in zip(ids, offsets) {
                #expect((store.submissionRows.row(of: id) != nil) == (offset > 150), "a swept submission leaves the duplicate check, a kept one stays")
            }
            let page = try await store.messages(for: device.id, after: 0, limit: 100, now: start + 150)
            let inCursorOrder = offsets.filter { $0 > 150 }.map { StoredTime.date(StoredTime.milliseconds(start + $0)) }
            #expect(page.map(\.expiresAt) == inCursorOrder, "a page still reads in cursor order")
        }
    }

    @Test("keying rows a few old keys at a time, with gaps between them, keys each once and tells all of it")
    func rekeyInStrides() throws {
        let queue = try DatabaseQueue()
        try SQLiteSchema.migrator.migrate(queue, upTo: "v4 submissions in commit order")
        let ids: [Int64] = [1, 2, 5, 6, 7, 20, 21, 40]
        let expiries: [Int64] = [8, 7, 6, 5, 5, 3, 2, 1]
        var told: [Int] = []
        let keys = try queue.write { db in
            for (id, expiry) in zip(ids, expiries) {
                try db.execute(sql: "INSERT INTO submissions (id, message_id, digest, accepted_at, recipient_count, epoch, expires_at) VALUES (?, ?, x'00', 0, 1, NULL, ?)",
                               arguments: [id, MessageID.random().uuid.bytes, expiry])
            }
            try ExpiryKeys.rekey(db, .submissions, stride: 3) { told.append($0) }
            return try Int64.fetchAll(db, sql: "SELECT id FROM submissions ORDER BY expires_at, id")
        }
        let m = Self.millisecond
        #expect(keys == [1 * m, 2 * m, 3 * m, 5 * m, 5 * m + 1, 6 * m, 7 * m, 8 * m])
        // Old keys 1...3, 4...6, 7...9, …, 40 (the gaps move nothing), then rows 3 at a time.
        #expect(told.reduce(0, +) == 2 * ids.count && told.suffix(3) == [3, 3, 2], "\(told)")
        #expect(told.dropLast(3) == [2, 2, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1], "\(told)")
    }

    @Test("the migration keys the rows of an older database in expiry order and drops the expiry indexes")
    func migration() async throws {
        try await withTemporaryDirectory { folder in
            #expect(try !SQLiteRelayStore.needsMigration(directory: folder), "a folder without a database needs none")
            let path = folder.appendingPathComponent(SQLiteRelayStore.fileName).path
            let device = DeviceID.random()
            let messageIDs = (0..<4).map { _ in MessageID.random() }
            let expiries: [Int64] = [9_000, 5_000, 7_000, 5_000]
            do {
                // A database as the relay left it before keys carried expiries: rows keyed 1, 2, 3…
                let queue = try DatabaseQueue(path: path)
                try SQLiteSchema.migrator.migrate(queue, upTo: "v4 submissions in commit order")
                try await queue.write { db in
                    try db.execute(sql: "INSERT INTO devices (id, identity_key, public_key, binding, created_at, last_cursor) VALUES (?, x'01', x'02', x'03', 0, 4)",
                                   arguments: [device.uuid.bytes])
                    for (index, (id, expiry)) in zip(messageIDs, expiries).enumerated() {
                        try db.execute(sql: "INSERT INTO messages (device_id, cursor, message_id, payload, received_at, expires_at) VALUES (?, ?, ?, ?, 0, ?)",
                                       arguments: [device.uuid.bytes, index + 1, id.uuid.bytes, Data([UInt8(index)]), expiry])
                        try db.execute(sql: "INSERT INTO submissions (message_id, digest, accepted_at, recipient_count, epoch, expires_at) VALUES (?, ?, 0, 1, NULL, ?)",
                                       arguments: [id.uuid.bytes, Data([UInt8(index)]), expiry])
                    }
                    #expect(try Self.keys(db, "messages") == [1, 2, 3, 4])
                }
                try queue.close()
            }
            #expect(try SQLiteRelayStore.needsMigration(directory: folder), "an older database is upgraded when opened")
            let reports = Mutex<[MigrationProgress]>([])
            let store = try SQLiteRelayStore(directory: folder) { progress in reports.withLock { $0.append(progress) } }
            #expect(try !SQLiteRelayStore.needsMigration(directory: folder), "and then it is up to date")
            let told = reports.withLock { $0 }
            #expect(told.last == MigrationProgress(step: "v5 rows keyed by expiry", done: 16, total: 16),
                    "4 messages and 4 submissions, each moved out of the way and then keyed: \(told)")
            #expect(zip(told, told.dropFirst()).allSatisfy { $0.done < $1.done }, "\(told)")
            let (messageKeys, submissionKeys, cursors, indexes) = try await store.pool.read { db in
                (try Self.keys(db, "messages"), try Self.keys(db, "submissions"),
                 try Int64.fetchAll(db, sql: "SELECT cursor FROM messages ORDER BY id"),
                 try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('messages_by_expiry', 'submissions_by_expiry')"))
            }
            let expected = [5_000 * Self.millisecond, 5_000 * Self.millisecond + 1, 7_000 * Self.millisecond, 9_000 * Self.millisecond]
            #expect(messageKeys == expected && submissionKeys == expected)
            #expect(cursors == [2, 4, 3, 1], "equal expiries keep their order")
            #expect(indexes.isEmpty)
            #expect(store.submissionRows.count == 4, "the duplicate check finds every submission under its new key")
            for (index, id) in messageIDs.enumerated() {
                let row = try #require(store.submissionRows.row(of: id))
                #expect(row >> 20 == expiries[index])
            }
            let page = try await store.messages(for: device, after: 0, limit: 10, now: StoredTime.date(0))
            #expect(page.map(\.cursor) == [1, 2, 3, 4] && page.map(\.payload) == (0..<4).map { Data([UInt8($0)]) })
            let report = try await store.removeExpired(now: StoredTime.date(7_000))
            #expect(report.messages == 3 && report.submissions == 3)
            let left = try await store.messages(for: device, after: 0, limit: 10, now: StoredTime.date(0))
            #expect(left.map(\.cursor) == [1])
            try store.close()
        }
    }
}
