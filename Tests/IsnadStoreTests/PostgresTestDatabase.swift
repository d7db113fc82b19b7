import Foundation
import IsnadStore
import IsnadStorePostgres
import Logging
import PostgresNIO

/// A real PostgreSQL server for the tests, named by `ISNAD_TEST_POSTGRES_URL`
/// (`scripts/postgres-test-cluster.sh start` prints it; `scripts/test.sh` sets it).
enum PostgresTestDatabase {
    static let url = ProcessInfo.processInfo.environment["ISNAD_TEST_POSTGRES_URL"]

    static let isConfigured = url != nil

    /// postgres-nio warns when a query waits for the pool to start; the tests start it concurrently on purpose.
    static var logger: Logger {
        var logger = Logger(label: "isnad.test.postgres")
        logger.logLevel = .error
        return logger
    }

    /// Creates an empty database, runs `body` on a migrated store in it, then drops it:
    /// each check gets the isolation a fresh SQLite folder gives.
    static func withFreshStore(_ body: @Sendable (PostgresRelayStore) async throws -> Void) async throws {
        try await withFreshDatabase { url in
            let store = try PostgresRelayStore(url: url, logger: logger)
            try await withRunning(store) {
                try await store.migrate()
                try await body(store)
            }
        }
    }

    /// Creates an empty database, runs `body` with its URL, then drops it.
    static func withFreshDatabase(_ body: @Sendable (String) async throws -> Void) async throws {
        guard let url, var components = URLComponents(string: url) else {
            throw StoreError(.invalidArgument, "ISNAD_TEST_POSTGRES_URL is not set.")
        }
        let name = "isnad_check_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await administer(url, "CREATE DATABASE \(name)")
        components.path = "/" + name
        guard let freshURL = components.string else { return }
        do {
            try await body(freshURL)
        } catch {
            try? await administer(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await administer(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one administrative statement on its own short-lived client (a client runs once).
    static func administer(_ url: String, _ sql: String) async throws {
        let admin = try PostgresRelayStore(url: url, logger: logger)
        try await withRunning(admin) { try await admin.execute(unsafeSQL: sql) }
    }

    /// Runs a store's connection pool around `body`.
    @discardableResult
    static func withRunning<T: Sendable>(_ store: PostgresRelayStore, _ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
