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
}
