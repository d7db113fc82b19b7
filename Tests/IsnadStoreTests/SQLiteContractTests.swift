import Foundation
import GRDB
@testable import IsnadStore
@testable import IsnadStoreSQLite
import Testing

@Suite("Storage contract: SQLite")
struct SQLiteContractTests {
    @Test(arguments: RelayStoreContract.checks)
    func contract(_ check: RelayStoreContract.Check) async throws {
        try await withTemporaryDirectory { folder in
            let store = try SQLiteRelayStore(directory: folder)
            try await check.run(on: store)
            try store.close()
        }
    }

    /// GRDB turns a new pool's writer to `synchronous = NORMAL` when it enables WAL; a 2xx from the
    /// relay or the observatory promises more (the WAL synced at every commit), so both stores set FULL again.
    @Test("both SQLite stores commit with synchronous = FULL")
    func durability() async throws {
        try await withTemporaryDirectory { folder in
            let relay = try SQLiteRelayStore(directory: folder)
            #expect(try await relay.pool.writerSynchronousLevel() == 2)
            let observatory = try SQLiteObservatoryStore(directory: folder)
            #expect(try await observatory.pool.writerSynchronousLevel() == 2)
            try relay.close()
            try observatory.close()
        }
    }

    /// The writer never checkpoints inside a commit; the background checkpointer copies the WAL
    /// into the database file within a few of its half-second ticks.
    @Test("the WAL is checkpointed off the commit path")
    func backgroundCheckpoint() async throws {
        try await withTemporaryDirectory { folder in
            let store = try SQLiteRelayStore(directory: folder)
            #expect(try await store.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let device = Device(id: .random(), identityKey: Data(repeating: 1, count: 32), publicKey: Data(repeating: 2, count: 32),
                                binding: Data(repeating: 3, count: 64), createdAt: now)
            _ = try await store.registerAccount(device)
            let file = folder.appendingPathComponent(SQLiteRelayStore.fileName)
            func size() throws -> Int { try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0 }
            let before = try size()
            for _ in 0..<200 {
                _ = try await store.enqueue(Submission(id: .random(), deliveries: [.init(recipients: [device.id], payload: Data(repeating: 7, count: 1024))],
                                                       expiresAt: now + 3600), now: now)
            }
            var waited = 0
            while try size() < before + 200 * 1024, waited < 100 {
                try await Task.sleep(for: .milliseconds(50))
                waited += 1
            }
            #expect(try size() >= before + 200 * 1024, "200 KiB of messages reached the database file without a checkpoint in any commit")
            #expect(try await store.messages(for: device.id, after: 0, limit: 500, now: now).count == 200)
            try store.close()
        }
    }

    @Test("under a steady load with reads, the WAL starts over instead of growing with everything written")
    func walStartsOver() async throws {
        try await withTemporaryDirectory { folder in
            let store = try SQLiteRelayStore(directory: folder)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let device = Device(id: .random(), identityKey: Data(repeating: 1, count: 32), publicKey: Data(repeating: 2, count: 32),
                                binding: Data(repeating: 3, count: 64), createdAt: now)
            _ = try await store.registerAccount(device)
            let wal = folder.appendingPathComponent(SQLiteRelayStore.fileName + "-wal").path
            // Until 96 MiB of payloads, or 10 s on a slow machine; but on a machine so busy (the
            // whole suite runs in parallel) that 10 s wrote less than 1 MiB or saw fewer than two
            // restarts, on until both, for at most 90 s.
            let payload = Data(repeating: 7, count: 16 * 1024), target = 96 << 20, enough = 1 << 20
            let deadline = ContinuousClock.now + .seconds(10), cutoff = ContinuousClock.now + .seconds(90)
            let written = Shared(0), largestWAL = Shared(0), done = Shared(false)
            @Sendable func goOn() -> Bool {
                guard written.value < target, ContinuousClock.now < cutoff else { return false }
                return ContinuousClock.now < deadline || written.value < enough || store.checkpointer.restarts < 2
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        while goOn() {
                            _ = try await store.enqueue(Submission(id: .random(), deliveries: [.init(recipients: [device.id], payload: payload)],
                                                                   expiresAt: now + 3600, mailboxCapacity: 64), now: now)
                            written.withLock { $0 += payload.count }
                        }
                    }
                }
                group.addTask { // a reader, as pushes and fetches are
                    while !done.value {
                        _ = try await store.messages(for: device.id, after: 0, limit: 1, now: now)
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
                group.addTask {
                    while !done.value {
                        let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
                        largestWAL.withLock { $0 = max($0, size) }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                while goOn() { try await Task.sleep(for: .milliseconds(20)) }
                done.withLock { $0 = true }
                try await group.waitForAll()
            }
            #expect(store.checkpointer.restarts >= 2, "the log was started over \(store.checkpointer.restarts) times")
            #expect(written.value >= enough, "\(written.value) bytes written")
            // Without restarts the log holds every frame: about three times the payloads here.
            #expect(largestWAL.value < written.value, "the WAL reached \(largestWAL.value) bytes for \(written.value) bytes of payloads")
            try store.close()
        }
    }

    @Test("data survives closing and reopening the folder, and a closed database leaves no log behind")
    func restart() async throws {
        try await withTemporaryDirectory { folder in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let device = Device(id: .random(), identityKey: Data(repeating: 1, count: 32), publicKey: Data(repeating: 2, count: 32),
                                binding: Data(repeating: 3, count: 64), createdAt: now)
            let group = GroupID(Data("group".utf8))
            let submission = Submission(id: .random(), deliveries: [.init(recipients: [device.id], payload: Data("ciphertext".utf8))],
                                        expiresAt: now + 3600)
            do {
                let store = try SQLiteRelayStore(directory: folder)
                _ = try await store.registerAccount(device)
                _ = try await store.uploadKeyPackages([KeyPackageUpload(bytes: Data("kp".utf8))], for: device.id, now: now)
                _ = try await store.advanceEpoch(of: group, expected: 0, now: now)
                _ = try await store.enqueue(submission, now: now)
                // Read through a reader connection too: GRDB closes readers last.
                #expect(try await store.messages(for: device.id, after: 0, limit: 10, now: now).count == 1)
                try store.close()
            }
            // Closed, the database is one file: its log was checkpointed into it and removed.
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(files == ["relay.sqlite", "relay.sqlite.lock"])
            let reopened = try SQLiteRelayStore(directory: folder)
            #expect(try await reopened.device(device.id) == device)
            #expect(try await reopened.keyPackageCount(for: device.id) == KeyPackageCount(available: 1, hasLastResort: false))
            #expect(try await reopened.epoch(of: group) == 1)
            let inbox = try await reopened.messages(for: device.id, after: 0, limit: 10, now: now)
            #expect(inbox.map(\.messageID) == [submission.id])
            #expect(try await reopened.enqueue(submission, now: now).isReplay, "the idempotence record survives too")
            try reopened.close()
        }
    }

    /// The duplicate check finds stored submissions through an index in memory (SubmissionIndex):
    /// it must hold exactly the submissions the table holds, through a rolled-back transaction,
    /// a sweep and a reopening.
    @Test("the in-memory index of submissions follows rollbacks and sweeps, and is rebuilt on opening")
    func submissionIndex() async throws {
        try await withTemporaryDirectory { folder in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let store = try SQLiteRelayStore(directory: folder)
            let device = try await RelayStoreContract.registerDevice(store)
            func message(expiresAt: Date = now + 3600) -> Submission {
                Submission(id: .random(), deliveries: [.init(recipients: [device.id], payload: RelayStoreContract.randomBytes(100))], expiresAt: expiresAt)
            }
            func tableCount(_ store: SQLiteRelayStore) async throws -> Int {
                try await store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM submissions") ?? -1 }
            }
            let kept = message(), short = message(expiresAt: now + 60)
            _ = try await store.enqueue(kept, now: now)
            _ = try await store.enqueue(short, now: now)
            #expect(store.submissionRows.count == 2)

            struct Abandon: Error {}
            let abandoned = message()
            await #expect(throws: Abandon.self) {
                try await store.pool.write { [rows = store.submissionRows, keys = store.expiryKeys] db in
                    var cursors = MailboxCursors()
                    try SQLiteRelayStore.insert(db, abandoned, digest: abandoned.digest(), epoch: nil, now: now, index: rows, cursors: &cursors,
                                                statements: MailboxStatements(db, keys: keys))
                    #expect(rows.row(of: abandoned.id) != nil, "seen inside its own transaction")
                    throw Abandon()
                }
            }
            #expect(store.submissionRows.row(of: abandoned.id) == nil, "a rolled-back row leaves the index")
            #expect(try await store.enqueue(abandoned, now: now).isReplay == false, "and its ID is new afterwards")
            let rowsAfterRollback = try await tableCount(store)
            #expect(store.submissionRows.count == 3 && rowsAfterRollback == 3)

            #expect(try await store.removeExpired(now: now + 61).submissions == 1)
            #expect(store.submissionRows.row(of: short.id) == nil, "a swept submission leaves the index")
            #expect(store.submissionRows.count == 2)
            try store.close()

            let reopened = try SQLiteRelayStore(directory: folder)
            #expect(reopened.submissionRows.count == 2, "rebuilt from the table")
            #expect(try await reopened.enqueue(kept, now: now).isReplay)
            #expect(try await reopened.enqueue(abandoned, now: now).isReplay)
            let changed = Submission(id: kept.id, deliveries: [.init(recipients: [device.id], payload: Data("other".utf8))], expiresAt: now + 3600)
            await #expect(throws: StoreError.self) { try await reopened.enqueue(changed, now: now) }
            #expect(try await tableCount(reopened) == 2, "retries stored nothing")
            try reopened.close()
        }
    }

    /// The duplicate check's index sees only what its own process stores, so one store at a
    /// time holds a data folder: a second is refused with a sentence until the first closes.
    @Test("a second store on a folder that is open is refused until the first closes")
    func oneStorePerFolder() async throws {
        try await withTemporaryDirectory { folder in
            let first = try SQLiteRelayStore(directory: folder)
            let error = try #require(throws: StoreError.self) { try SQLiteRelayStore(directory: folder, lockWait: 0.1) }
            #expect(error.code == .unavailable)
            #expect(error.message.contains("Another relay process is using this data folder"), "\(error.message)")
            try first.close()
            let second = try SQLiteRelayStore(directory: folder, lockWait: 0.1)
            try second.close()
        }
    }

    /// A data folder written before the v3 layout (messages in a rowid table, submissions keyed by
    /// their ID) opens with every message, cursor and payload kept, in order; new messages carry
    /// on from the last cursor, and a retry of a submission stored before is still recognised.
    @Test("a v2 database's messages and submissions survive the v3 migration")
    func migrationToRowidMessages() async throws {
        try await withTemporaryDirectory { folder in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let path = folder.appendingPathComponent(SQLiteRelayStore.fileName).path
            let device = DeviceID.random(), other = DeviceID.random()
            let old = (1...5).map { (cursor: Int64($0), id: MessageID.random(), payload: RelayStoreContract.randomBytes(900 + $0 * 100)) }
            let retried = Submission(id: old[0].id, deliveries: [.init(recipients: [device], payload: old[0].payload)], expiresAt: now + 3600)
            do {
                let queue = try DatabaseQueue(path: path)
                try SQLiteSchema.migrator.migrate(queue, upTo: "v2 attachments")
                try await queue.write { db in
                    for (id, last) in [(device, 5), (other, 0)] {
                        try db.execute(sql: """
                            INSERT INTO devices (id, identity_key, public_key, binding, created_at, last_cursor) VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [id.uuid.bytes, Data(repeating: 1, count: 32), RelayStoreContract.randomBytes(32),
                                             Data(repeating: 3, count: 64), StoredTime.milliseconds(now), last])
                    }
                    for message in old {
                        try db.execute(sql: """
                            INSERT INTO messages (device_id, cursor, message_id, payload, received_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [device.uuid.bytes, message.cursor, message.id.uuid.bytes, message.payload,
                                             StoredTime.milliseconds(now), StoredTime.milliseconds(now + 3600)])
                    }
                    try db.execute(sql: """
                        INSERT INTO submissions (message_id, digest, accepted_at, recipient_count, epoch, expires_at) VALUES (?, ?, ?, 1, NULL, ?)
                        """, arguments: [retried.id.uuid.bytes, retried.digest(), StoredTime.milliseconds(now - 60), StoredTime.milliseconds(now + 3600)])
                }
                try queue.close()
            }
            let store = try SQLiteRelayStore(directory: folder)
            let kept = try await store.messages(for: device, after: 0, limit: 10, now: now)
            #expect(kept.map(\.cursor) == old.map(\.cursor))
            #expect(kept.map(\.messageID) == old.map(\.id))
            #expect(kept.map(\.payload) == old.map(\.payload))
            let next = Submission(id: .random(), deliveries: [.init(recipients: [device, other], payload: Data("after".utf8))], expiresAt: now + 3600)
            _ = try await store.enqueue(next, now: now)
            #expect(try await store.messages(for: device, after: 5, limit: 10, now: now).map(\.cursor) == [6])
            #expect(try await store.messages(for: other, after: 0, limit: 10, now: now).map(\.cursor) == [1])
            let replay = try await store.enqueue(retried, now: now)
            #expect(replay.isReplay && replay.acceptedAt == now - 60, "the submission stored before the migration is recognised")
            #expect(try await store.messages(for: device, after: 6, limit: 10, now: now).isEmpty, "the retry stored nothing")
            func definition(_ table: String) async throws -> String? {
                try await store.pool.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) }
            }
            #expect(try await definition("messages")?.contains("WITHOUT ROWID") == false, "messages is a rowid table after the migration")
            #expect(try await definition("submissions")?.contains("WITHOUT ROWID") == false, "submissions is a rowid table, in commit order, after the v4 migration")
            try store.close()
        }
    }
}

/// The token cache's rules, on their own (the engines' use of it is covered by the contract and
/// by the two-relay revocation test).
@Suite("Token cache")
struct TokenCacheTests {
    let device = DeviceID.random(), other = DeviceID.random()
    let digest = Data(repeating: 1, count: 32), otherDigest = Data(repeating: 2, count: 32)

    @Test("a cache that needs a listener answers nothing until one is up, and starts empty each time one starts")
    func listenerGated() {
        let cache = TokenCache(enabled: false)
        cache.remember(digest, device: device, expiresAt: 100, ifStill: cache.generation)
        #expect(!cache.isEnabled && cache.device(for: digest, now: 0) == nil, "nothing is kept while nobody listens")
        cache.listenerStarted()
        cache.remember(digest, device: device, expiresAt: 100, ifStill: cache.generation)
        #expect(cache.device(for: digest, now: 0) == device)
        #expect(cache.device(for: digest, now: 100) == nil, "an expired token is not answered")
        cache.listenerStarted()
        #expect(cache.device(for: digest, now: 0) == nil, "a second listener starting empties the cache (it may follow a gap)")
        cache.remember(digest, device: device, expiresAt: 100, ifStill: cache.generation)
        cache.listenerStopped()
        #expect(cache.device(for: digest, now: 0) == device, "one listener is still up")
        cache.listenerStopped()
        #expect(!cache.isEnabled && cache.device(for: digest, now: 0) == nil, "with no listener left the cache is emptied and unused")
    }

    @Test("forgetting a device drops its tokens and any lookup that started before")
    func forget() {
        let cache = TokenCache(enabled: true)
        cache.remember(digest, device: device, expiresAt: 100, ifStill: cache.generation)
        cache.remember(otherDigest, device: other, expiresAt: 100, ifStill: cache.generation)
        let before = cache.generation
        cache.forget([device])
        #expect(cache.device(for: digest, now: 0) == nil && cache.device(for: otherDigest, now: 0) == other)
        cache.remember(digest, device: device, expiresAt: 100, ifStill: before)
        #expect(cache.device(for: digest, now: 0) == nil, "a lookup read before the removal is not cached after it")
        cache.sweep(now: 100)
        #expect(cache.device(for: otherDigest, now: 0) == nil, "the sweep drops expired tokens")
    }
}
