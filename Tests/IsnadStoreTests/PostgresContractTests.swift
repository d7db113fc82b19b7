import Foundation
import IsnadStore
import IsnadStorePostgres
import Testing

@Suite(
    "Storage contract: PostgreSQL",
    .enabled(
        if: PostgresTestDatabase.isConfigured,
        "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against: run `bash scripts/test.sh`, or `eval \"$(bash scripts/postgres-test-cluster.sh start)\"` first"
    )
)
struct PostgresContractTests {
    @Test(arguments: RelayStoreContract.checks)
    func contract(_ check: RelayStoreContract.Check) async throws {
        try await PostgresTestDatabase.withFreshStore { store in
            try await check.run(on: store)
        }
    }

    @Test("migrations are idempotent and safe to run concurrently")
    func migrateTwice() async throws {
        try await PostgresTestDatabase.withFreshStore { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await store.migrate() } }
                try await group.waitForAll()
            }
            #expect(try await store.epoch(of: GroupID(Data([1]))) == 0)
        }
    }

    @Test("two stores on one database (two relays) storing the same submissions at once: each once, the rest replays")
    func twoStoresOneDatabase() async throws {
        try await PostgresTestDatabase.withFreshDatabase { url in
            let first = try PostgresRelayStore(url: url, logger: PostgresTestDatabase.logger)
            let second = try PostgresRelayStore(url: url, logger: PostgresTestDatabase.logger)
            try await PostgresTestDatabase.withRunning(first) {
                try await PostgresTestDatabase.withRunning(second) {
                    try await first.migrate()
                    let now = Date(timeIntervalSince1970: 1_800_000_000)
                    let device = Device(id: .random(), identityKey: Data(repeating: 1, count: 32), publicKey: Data(repeating: 2, count: 32),
                                        binding: Data(repeating: 3, count: 64), createdAt: now)
                    _ = try await first.registerAccount(device)
                    let submissions = (0..<40).map { index in
                        Submission(id: .random(), deliveries: [.init(recipients: [device.id], payload: Data("copy \(index)".utf8))], expiresAt: now + 3600)
                    }
                    // Every submission goes to both stores at once, as a client retrying on another relay would.
                    let receipts = try await withThrowingTaskGroup(of: SubmissionReceipt.self) { tasks in
                        for submission in submissions {
                            for store in [first, second] {
                                tasks.addTask { try await store.enqueue(submission, now: now) }
                            }
                        }
                        return try await tasks.reduce(into: []) { $0.append($1) }
                    }
                    #expect(receipts.count == 80)
                    #expect(receipts.filter { !$0.isReplay }.count == 40, "each submission is stored by exactly one of the two")
                    let inbox = try await second.messages(for: device.id, after: 0, limit: 200, now: now)
                    #expect(inbox.count == 40 && Set(inbox.map(\.messageID)) == Set(submissions.map(\.id)), "one copy of each")
                    #expect(inbox.map(\.cursor) == Array(1...40), "cursors 1...40, in order, without gaps")
                }
            }
        }
    }
}
