import Foundation
@testable import IsnadStore
@testable import IsnadStorePostgres
import PostgresNIO
import Testing

/// How PostgreSQL runs the statement that stores a batch, on a table where one device holds
/// most messages: the trim of full mailboxes must not read the whole table.
@Suite(
    "PostgreSQL: a batch reads only its recipients' messages",
    .enabled(
        if: PostgresTestDatabase.isConfigured,
        "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against: run `bash scripts/test.sh`, or `eval \"$(bash scripts/postgres-test-cluster.sh start)\"` first"
    )
)
struct PostgresTrimPlanTests {
    @Test("storing a batch for a device beside one with 60,000 messages scans no table, with or without something to trim")
    func noTableScan() async throws {
        try await PostgresTestDatabase.withFreshDatabase { url in
            let statistics = PostgresClient(configuration: try PostgresRelayStore.configuration(url: url), backgroundLogger: PostgresTestDatabase.logger)
            let running = Task { await statistics.run() }
            defer { running.cancel() }
            let now = RelayStoreContract.now
            // A mailbox of 60,000 messages, written directly (storing them one by one would take
            // minutes), and the planner's statistics. A backend reports its counts when it ends
            // (when idle, only every 10 s): each store's connections close before they are read.
            let (full, reader) = try await Self.withStore(url) { store in
                try await store.migrate()
                let full = try await RelayStoreContract.registerDevice(store), reader = try await RelayStoreContract.registerDevice(store)
                try await store.execute(unsafeSQL: """
                    INSERT INTO messages (device_id, cursor, message_id, payload, received_at, expires_at)
                    SELECT '\(full.id)', n, gen_random_uuid(), decode(repeat('ab', 1024), 'hex'), 0, \(StoredTime.milliseconds(now + 3600))
                    FROM generate_series(1, 60000) AS n
                    """)
                try await store.execute(unsafeSQL: "UPDATE devices SET last_cursor = 60000 WHERE id = '\(full.id)'")
                try await store.execute(unsafeSQL: "ANALYZE")
                return (full.id, reader.id)
            }
            let before = try await Self.counts(statistics, once: { $0.inserted >= 60_000 })
            #expect(before.inserted == 60_000)

            try await Self.withStore(url) { store in
                func batch(to device: DeviceID, capacity: Int) async throws {
                    let submissions = (0..<60).map { index in
                        Submission(id: .random(), deliveries: [.init(recipients: [device], payload: Data([UInt8(index)]))],
                                   expiresAt: now + 3600, mailboxCapacity: capacity)
                    }
                    let results = await store.store(submissions.enumerated().map { index, submission in
                        SubmissionBatcher.Pending(ticket: UInt64(index), submission: submission, digest: submission.digest(), now: now)
                    })
                    for result in results.values { _ = try result.get() }
                }
                try await batch(to: reader, capacity: 50_000)    // nothing to trim
                try await batch(to: full, capacity: 60_000)      // trims the 60 oldest
            }
            let after = try await Self.counts(statistics, once: { $0.inserted >= before.inserted + 120 })
            #expect(after.inserted == before.inserted + 120, "both batches stored")
            #expect(after.deleted == before.deleted + 60, "the full mailbox lost its 60 oldest")
            #expect(after.scans == before.scans, "no scan of the whole messages table")
            let oldest = try await Self.withStore(url) { store in
                try await store.messages(for: full, after: 0, limit: 1, now: now).first?.cursor
            }
            #expect(oldest == 61)
        }
    }

    /// Runs `body` on a store of its own, whose connections are closed when it returns.
    static func withStore<T: Sendable>(_ url: String, _ body: @Sendable (PostgresRelayStore) async throws -> T) async throws -> T {
        let store = try PostgresRelayStore(url: url, logger: PostgresTestDatabase.logger)
        return try await PostgresTestDatabase.withRunning(store) { try await body(store) }
    }

    /// The messages table's counters once `ready` holds for them (waiting up to 30 s for the closed backends' reports).
    static func counts(_ client: PostgresClient, once ready: ((scans: Int64, inserted: Int64, deleted: Int64)) -> Bool) async throws
        -> (scans: Int64, inserted: Int64, deleted: Int64) {
        var counts = try await counts(client)
        for _ in 0..<300 where !ready(counts) {
            try await Task.sleep(for: .milliseconds(100))
            counts = try await Self.counts(client)
        }
        return counts
    }

    /// The messages table's counters: whole-table scans started, rows inserted and deleted.
    static func counts(_ client: PostgresClient) async throws -> (scans: Int64, inserted: Int64, deleted: Int64) {
        let rows = try await client.query("SELECT seq_scan, n_tup_ins, n_tup_del FROM pg_stat_user_tables WHERE relname = 'messages'")
        for try await row in rows.decode((Int64, Int64, Int64).self) { return (row.0, row.1, row.2) }
        throw StoreError(.internal, "pg_stat_user_tables has no row for messages.")
    }
}
