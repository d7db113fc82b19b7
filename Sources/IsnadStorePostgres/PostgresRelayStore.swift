import Foundation
import IsnadStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// The shared ``RelayStore``: PostgreSQL through postgres-nio's `PostgresClient`, for several
/// relay processes on one database.
/// Mailbox submissions that arrive together are stored together (``SubmissionBatcher``): one
/// transaction of four round trips and one NOTIFY per batch, each caller answered after its commit.
///
/// The store is a `Service`: run it (in a `ServiceGroup`, or `run()` in a task) for as long as
/// it is used, and call ``migrate()`` once before the first request.
public final class PostgresRelayStore: RelayStore, Service {
    let client: PostgresClient
    /// Handed to postgres-nio (its messages may name the database host or quote SQL):
    /// warnings and errors only.
    let logger: Logger
    /// The store's own messages (no identifiers).
    let diagnostics: Logger
    /// Group commit for ``enqueue(_:now:)``; at most 8 MiB of payloads per batch, so one
    /// statement stays far below PostgreSQL's 1 GiB message limit.
    let batcher = SubmissionBatcher(maxBatchBytes: 8 << 20)
    /// Bearer tokens already looked up; used only while ``watchMailboxes(_:)`` listens, since
    /// that is how this process hears that another one removed a device.
    let tokens = TokenCache(enabled: false)

    /// Creates a store on a client configuration; nothing connects until ``run()``.
    public init(configuration: PostgresClient.Configuration, logger: Logger = Logger(label: "isnad.store.postgres")) {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        self.logger = quiet
        self.diagnostics = logger
    }

    /// Creates a store from a `postgres://user[:password]@host[:port]/database` URL (no TLS).
    /// - Throws: ``StoreError/Code/invalidArgument`` if the URL is not of that form.
    public convenience init(url: String, logger: Logger = Logger(label: "isnad.store.postgres")) throws {
        self.init(configuration: try Self.configuration(url: url), logger: logger)
    }

    /// The client configuration a `postgres://user[:password]@host[:port]/database` URL names (no TLS).
    /// - Throws: ``StoreError/Code/invalidArgument`` if the URL is not of that form.
    public static func configuration(url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user
        else {
            throw StoreError(.invalidArgument, "A PostgreSQL URL must look like postgres://user@host:port/database.")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: .disable)
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down.
    public func run() async throws {
        await client.run()
    }

    /// Brings the schema up to date. Safe to call from several processes at once: migrations
    /// run under a transaction-scoped advisory lock.
    public func migrate() async throws {
        try await migrate(PostgresSchema.migrations, lock: 7420942001, table: "schema_migrations")
    }

    /// Applies the `migrations` not yet recorded in `table`, under the advisory lock `lock`.
    func migrate(_ migrations: [(version: Int, statements: [String])], lock: Int64, table: String) async throws {
        try await transaction { connection, logger in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lock))", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS \(table) (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """), logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(table)"), logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) (version) VALUES (\(migration.version))"), logger: logger)
            }
        }
    }

    /// Runs `body` in one transaction, mapping engine errors to ``StoreError``.
    func transaction<T: Sendable>(
        _ body: @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await mapErrors {
            try await client.withTransaction(logger: logger) { connection in
                try await body(connection, logger)
            }
        }
    }

    /// Runs one query outside a transaction and collects its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await mapErrors { try await client.query(query, logger: logger).collect() }
    }

    /// Whether PostgreSQL aborted a transaction that may succeed if run again
    /// (serialization failure, deadlock).
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as StoreError:
            return error.underlying.map(isTransient) ?? false
        case let error as PostgresTransactionError:
            return error.closureError.map(isTransient) ?? false
        case let error as PSQLError:
            return ["40001", "40P01"].contains(error.serverInfo?[.sqlState])
        default:
            return false
        }
    }

    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The ``StoreError`` for an engine error; a ``StoreError`` thrown by our own code passes through.
    static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresTransactionError:
            if let closureError = error.closureError { return storeError(closureError) }
            return StoreError(.unavailable, "A PostgreSQL transaction could not begin or commit.", underlying: error)
        case let error as PSQLError where error.code == .server:
            switch error.serverInfo?[.sqlState] {
            case "23505": // unique_violation: a concurrent writer stored the same key first.
                return StoreError(.conflict, "A concurrent request stored the same record first.", underlying: error)
            case "40001", "40P01": // serialization_failure, deadlock_detected
                return StoreError(.unavailable, "PostgreSQL aborted a transaction; retry.", underlying: error)
            default:
                return StoreError(.internal, "PostgreSQL refused a query.", underlying: error)
            }
        case let error as PSQLError:
            return StoreError(.unavailable, "PostgreSQL could not be reached.", underlying: error)
        default:
            return StoreError(.internal, "Data read from PostgreSQL was not as stored.", underlying: error)
        }
    }
}

extension PostgresRelayStore {
    /// Runs one statement given as SQL text, outside any transaction. For administration
    /// (creating test databases) only: never pass it text built from request data.
    public func execute(unsafeSQL sql: String) async throws {
        _ = try await rows(PostgresQuery(unsafeSQL: sql))
    }
}
