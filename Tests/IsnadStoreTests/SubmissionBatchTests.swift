import Foundation
@testable import IsnadStore
@testable import IsnadStorePostgres
@testable import IsnadStoreSQLite
import Testing

/// One group-commit batch stored directly (not left to the timing of concurrent callers), on
/// both engines: the refused submissions store nothing, the others are stored and every
/// submission gets its own answer.
@Suite("One batch of submissions")
struct SubmissionBatchTests {
    typealias Results = [UInt64: Result<SubmissionReceipt, StoreError>]

    typealias Check = @Sendable (any RelayStore, ([SubmissionBatcher.Pending]) async -> Results) async throws -> Void

    @Test("SQLite: a refused submission in a batch stores nothing; the others are stored and answered")
    func sqlite() async throws { try await Self.onSQLite(Self.check) }

    @Test("PostgreSQL: a refused submission in a batch stores nothing; the others are stored and answered", Self.needsPostgres)
    func postgres() async throws { try await Self.onPostgres(Self.check) }

    @Test("SQLite: a batch that alone overfills a mailbox leaves the newest messages, as many as it holds")
    func sqliteOverfill() async throws { try await Self.onSQLite(Self.checkOverfill) }

    @Test("PostgreSQL: a batch that alone overfills a mailbox leaves the newest messages, as many as it holds", Self.needsPostgres)
    func postgresOverfill() async throws { try await Self.onPostgres(Self.checkOverfill) }

    static let needsPostgres = ConditionTrait.enabled(
        if: PostgresTestDatabase.isConfigured, "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against")

    /// Runs `check` on a fresh SQLite store, with batches stored directly on its writer.
    static func onSQLite(_ check: Check) async throws {
        try await withTemporaryDirectory { folder in
            let store = try SQLiteRelayStore(directory: folder)
            try await check(store) { await store.store($0) }
            try store.close()
        }
    }

    /// Runs `check` on a fresh PostgreSQL store, with batches stored directly in one transaction.
    static func onPostgres(_ check: @escaping Check) async throws {
        try await PostgresTestDatabase.withFreshStore { store in
            try await check(store) { await store.store($0) }
        }
    }

    @Test("a batch holds at most maxBatch submissions and maxBatchBytes of payloads, and at least one submission")
    func batchLimits() {
        func pending(_ ticket: UInt64, bytes: Int) -> SubmissionBatcher.Pending {
            let submission = Submission(id: .random(), deliveries: [.init(recipients: [.random()], payload: Data(count: bytes))],
                                        expiresAt: RelayStoreContract.now + 3600)
            return SubmissionBatcher.Pending(ticket: ticket, submission: submission, digest: submission.digest(), now: RelayStoreContract.now)
        }
        var queue = [pending(0, bytes: 400), pending(1, bytes: 500), pending(2, bytes: 2000), pending(3, bytes: 10), pending(4, bytes: 10)]
        let batcher = SubmissionBatcher(maxBatch: 2, maxBatchBytes: 1000)
        #expect(batcher.takeBatch(&queue).map(\.ticket) == [0, 1], "400 + 500 bytes fit")
        #expect(batcher.takeBatch(&queue).map(\.ticket) == [2], "one submission over the byte limit goes alone")
        #expect(batcher.takeBatch(&queue).map(\.ticket) == [3, 4], "at most two")
        #expect(queue.isEmpty && batcher.takeBatch(&queue).isEmpty)
        var unlimited = [pending(0, bytes: 2000), pending(1, bytes: 2000), pending(2, bytes: 2000)]
        #expect(SubmissionBatcher().takeBatch(&unlimited).count == 3, "no byte limit by default")
    }

    static func check(_ store: any RelayStore, storeBatch: ([SubmissionBatcher.Pending]) async -> Results) async throws {
        let now = RelayStoreContract.now
        let first = try await RelayStoreContract.registerDevice(store), second = try await RelayStoreContract.registerDevice(store)
        func message(_ recipients: [DeviceID], id: MessageID = .random()) -> Submission {
            Submission(id: id, deliveries: [.init(recipients: recipients, payload: RelayStoreContract.randomBytes(40))], expiresAt: now + 3600)
        }
        let earlier = message([first.id])
        _ = try await store.enqueue(earlier, now: now - 5)
        let good = message([first.id, second.id]), other = message([first.id])
        let batch = [
            good,                                          // 0: stored
            message([first.id, .random()]),                // 1: unknown recipient
            message([first.id], id: earlier.id),           // 2: an earlier ID, another payload
            earlier,                                       // 3: a retry of the earlier one
            other,                                         // 4: stored
            good,                                          // 5: a retry of 0 in the same batch
            message([second.id], id: good.id),             // 6: 0's ID, another payload, in the same batch
        ].enumerated().map { SubmissionBatcher.Pending(ticket: UInt64($0), submission: $1, digest: $1.digest(), now: now) }
        let results = await storeBatch(batch)

        #expect(results.count == batch.count, "every submission is answered")
        // Cursors in batch order: `earlier` took the first device's 1.
        let goodCopies = [(first.id, Int64(2)), (second.id, Int64(1))].sorted { $0.0 < $1.0 }.map { SubmissionReceipt.Copy(device: $0.0, cursor: $0.1, delivery: 0) }
        #expect(try results[0]?.get() == SubmissionReceipt(messageID: good.id, acceptedAt: now, recipientCount: 2, isReplay: false, copies: goodCopies))
        #expect(try results[4]?.get() == SubmissionReceipt(messageID: other.id, acceptedAt: now, recipientCount: 1, isReplay: false,
                                                         copies: [.init(device: first.id, cursor: 3, delivery: 0)]))
        #expect(try results[3]?.get() == SubmissionReceipt(messageID: earlier.id, acceptedAt: now - 5, recipientCount: 1, isReplay: true))
        #expect(try results[5]?.get() == SubmissionReceipt(messageID: good.id, acceptedAt: now, recipientCount: 2, isReplay: true))
        for (ticket, code) in [(1, StoreError.Code.unknownDevice), (2, .messageIDReused), (6, .messageIDReused)] {
            guard case .failure(let error) = results[UInt64(ticket)] else {
                Issue.record("submission \(ticket) should be refused")
                continue
            }
            #expect(error.code == code, "submission \(ticket)")
        }

        let firstInbox = try await store.messages(for: first.id, after: 0, limit: 10, now: now)
        #expect(firstInbox.map(\.messageID) == [earlier.id, good.id, other.id], "in order, nothing of the refused ones")
        #expect(firstInbox.map(\.payload) == [earlier, good, other].map(\.deliveries[0].payload), "the first payloads are kept")
        #expect(firstInbox.map(\.cursor) == [1, 2, 3])
        let secondInbox = try await store.messages(for: second.id, after: 0, limit: 10, now: now)
        #expect(secondInbox.map(\.messageID) == [good.id] && secondInbox.map(\.cursor) == [1])
    }

    /// A mailbox of capacity 3 with one message in it gets a batch of 5: the newest 3 stay (and
    /// only they), with cursors that go on counting; a second device in the same batch keeps all
    /// of its own.
    static func checkOverfill(_ store: any RelayStore, storeBatch: ([SubmissionBatcher.Pending]) async -> Results) async throws {
        let now = RelayStoreContract.now
        let small = try await RelayStoreContract.registerDevice(store), other = try await RelayStoreContract.registerDevice(store)
        func message(_ recipients: [DeviceID]) -> Submission {
            var submission = Submission(id: .random(), deliveries: [.init(recipients: recipients, payload: RelayStoreContract.randomBytes(40))],
                                        expiresAt: now + 3600)
            submission.mailboxCapacity = 3
            return submission
        }
        let earlier = message([small.id])
        _ = try await store.enqueue(earlier, now: now)
        let submissions = (0..<5).map { message($0 == 1 ? [small.id, other.id] : [small.id]) }
        let results = await storeBatch(submissions.enumerated().map {
            SubmissionBatcher.Pending(ticket: UInt64($0), submission: $1, digest: $1.digest(), now: now)
        })
        #expect(results.count == 5 && results.values.allSatisfy { (try? $0.get())?.isReplay == false }, "every submission is stored")

        let kept = try await store.messages(for: small.id, after: 0, limit: 10, now: now)
        #expect(kept.map(\.messageID) == submissions.suffix(3).map(\.id), "the newest three, in order")
        #expect(kept.map(\.cursor) == [4, 5, 6], "cursors went on counting past the dropped ones")
        #expect(kept.map(\.payload) == submissions.suffix(3).map(\.deliveries[0].payload))
        let others = try await store.messages(for: other.id, after: 0, limit: 10, now: now)
        #expect(others.map(\.messageID) == [submissions[1].id] && others.map(\.cursor) == [1], "the other mailbox is not touched")
    }
}
