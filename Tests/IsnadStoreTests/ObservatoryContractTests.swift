import Foundation
import IsnadStore
import IsnadStorePostgres
import IsnadStoreSQLite
import Testing

@Suite("Observatory storage contract")
struct ObservatoryContractTests {
    @Test("in memory", arguments: ObservatoryStoreContract.checks)
    func inMemory(_ check: ObservatoryStoreContract.Check) async throws {
        try await check.run(on: InMemoryObservatoryStore())
    }

    @Test("SQLite", arguments: ObservatoryStoreContract.checks)
    func sqlite(_ check: ObservatoryStoreContract.Check) async throws {
        try await withTemporaryDirectory { folder in
            let store = try SQLiteObservatoryStore(directory: folder)
            try await check.run(on: store)
            try store.close()
        }
    }

    @Test(
        "PostgreSQL", .enabled(if: PostgresTestDatabase.isConfigured, "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against"),
        arguments: ObservatoryStoreContract.checks)
    func postgres(_ check: ObservatoryStoreContract.Check) async throws {
        try await PostgresTestDatabase.withFreshObservatoryStore { store in try await check.run(on: store) }
    }

    @Test("SQLite: a pending submission survives closing and reopening the folder, and a closed database leaves no log behind")
    func restart() async throws {
        try await withTemporaryDirectory { folder in
            let id = SubmissionID.random()
            let sealed = Data("sealed bytes".utf8)
            do {
                let store = try SQLiteObservatoryStore(directory: folder)
                _ = try await store.receive(id, sealed: sealed, sealedDigest: Data(repeating: 7, count: 32), now: Date(timeIntervalSince1970: 1_800_000_000))
                #expect(try await store.pendingSubmissions(limit: 5).count == 1)
                try store.close()
            }
            // Closed, the database is one file: its log was checkpointed into it and removed.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["observatory.sqlite"])
            let reopened = try SQLiteObservatoryStore(directory: folder)
            #expect(try await reopened.pendingSubmissions(limit: 5).map(\.sealed) == [sealed])
            try reopened.close()
        }
    }
}

extension PostgresTestDatabase {
    /// Runs `body` on a migrated observatory store in a fresh database, dropped afterwards.
    static func withFreshObservatoryStore(_ body: @Sendable (PostgresObservatoryStore) async throws -> Void) async throws {
        guard let url, var components = URLComponents(string: url) else {
            throw StoreError(.invalidArgument, "ISNAD_TEST_POSTGRES_URL is not set.")
        }
        let name = "isnad_obs_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await administer(url, "CREATE DATABASE \(name)")
        components.path = "/" + name
        let store = try PostgresObservatoryStore(url: components.string ?? url, logger: logger)
        let result: Result<Void, any Error>
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                try await store.migrate()
                try await store.migrate()
                try await body(store)
            }
            result = .success(())
        } catch {
            result = .failure(error)
        }
        try await administer(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try result.get()
    }
}
