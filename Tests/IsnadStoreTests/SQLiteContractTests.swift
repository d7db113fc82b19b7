import Foundation
import IsnadStore
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

    @Test("data survives closing and reopening the folder")
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
                try store.close()
            }
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
}
