import Foundation
import IsnadStore
import IsnadStorePostgres
import IsnadStoreSQLite
import Logging

/// The engines a relay test can run on. PostgreSQL needs `ISNAD_TEST_POSTGRES_URL`
/// (`bash scripts/test.sh` sets it); without it that case is skipped, not passed.
enum StoreEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["ISNAD_TEST_POSTGRES_URL"]

    var description: String { rawValue }

    var isAvailable: Bool { self == .sqlite || Self.postgresURL != nil }

    /// Runs `body` on a fresh, empty store of this engine.
    func withStore(_ body: @Sendable (any RelayStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-relay-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body(try SQLiteRelayStore(directory: folder))
        case .postgres:
            try await Self.withPostgresDatabase { url in
                let store = try PostgresRelayStore(url: url, logger: Self.quietLogger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await store.run() }
                    defer { group.cancelAll() }
                    try await store.migrate()
                    try await body(store)
                }
            }
        }
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "isnad.test.postgres")
        logger.logLevel = .error
        return logger
    }

    /// Creates an empty database on the test server, runs `body` with its URL, then drops it.
    static func withPostgresDatabase(_ body: @Sendable (String) async throws -> Void) async throws {
        guard let url = postgresURL, var components = URLComponents(string: url) else { return }
        let name = "isnad_relay_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await administer(url, "CREATE DATABASE \(name)", quietLogger)
        components.path = "/" + name
        let result: Result<Void, any Error>
        do {
            try await body(components.string ?? url)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        try await administer(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", quietLogger)
        try result.get()
    }

    private static func administer(_ url: String, _ sql: String, _ logger: Logger) async throws {
        let admin = try PostgresRelayStore(url: url, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await admin.run() }
            defer { group.cancelAll() }
            try await admin.execute(unsafeSQL: sql)
        }
    }
}
