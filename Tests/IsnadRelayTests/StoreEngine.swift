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
            guard let url = Self.postgresURL, var components = URLComponents(string: url) else { return }
            var logger = Logger(label: "isnad.test.postgres")
            logger.logLevel = .error
            let name = "isnad_relay_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
            try await Self.administer(url, "CREATE DATABASE \(name)", logger)
            components.path = "/" + name
            let store = try PostgresRelayStore(url: components.string ?? url, logger: logger)
            let result: Result<Void, any Error> = await {
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await store.run() }
                        defer { group.cancelAll() }
                        try await store.migrate()
                        try await body(store)
                    }
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }()
            try await Self.administer(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", logger)
            try result.get()
        }
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
