import Foundation
import GRDB
import IsnadStore

/// The embedded ``RelayStore``: one SQLite file in a data folder, through a GRDB `DatabasePool`
/// in WAL mode (concurrent reads, one writer), with `synchronous = FULL` so that a committed
/// write survives a crash of the process or of the machine. Mailbox submissions that arrive
/// together are committed together (``SubmissionQueue``), sharing one fsync.
public final class SQLiteRelayStore: RelayStore {
    /// The database file's name inside the data folder.
    public static let fileName = "relay.sqlite"
    /// The lock file's name inside the data folder (``FolderLock``).
    static let lockFileName = "relay.sqlite.lock"
    /// How long a connection waits for another process's lock, and a new store for another
    /// process to let the folder go, in seconds.
    public static let busyTimeout: TimeInterval = 5

    let pool: DatabasePool
    /// Held while the store is open: one relay process per folder.
    let lock: FolderLock
    /// Group commit for mailbox submissions, drained on the writer's queue.
    let submissions = SubmissionQueue()
    /// Copies the WAL into the database file off the commit path.
    let checkpointer: WALCheckpointer
    /// Stored submissions by message ID, for the duplicate check.
    let submissionRows: SubmissionIndex
    /// Where the writer tries to key the next message and submission (``ExpiryKeys``).
    let expiryKeys = ExpiryKeys()
    /// Bearer tokens already looked up.
    let tokens = TokenCache(enabled: true)

    /// Opens (creating if needed) the store in a folder and brings its schema up to date.
    /// - Parameters:
    ///   - directory: The data folder; created if missing.
    ///   - lockWait: How long to wait for another process that has the folder open to close it.
    ///   - migrationProgress: Told how far a long schema upgrade has come (see
    ///     ``needsMigration(directory:)``), on the thread that migrates, before this returns.
    /// - Throws: ``StoreError`` if the folder or the database cannot be opened or migrated, or
    ///   another process keeps the folder open (`.unavailable`).
    public init(directory: URL, lockWait: TimeInterval = busyTimeout,
                migrationProgress: (@Sendable (MigrationProgress) -> Void)? = nil) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            lock = try FolderLock(path: directory.appendingPathComponent(Self.lockFileName).path, waiting: lockWait)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            // Several processes may open the same file (a restart overlapping a shutdown).
            configuration.busyMode = .timeout(Self.busyTimeout)
            let path = directory.appendingPathComponent(Self.fileName).path
            pool = try DatabasePool.durable(path: path, configuration: configuration, checkpointsInBackground: true)
            try SQLiteSchema.migrator(progress: migrationProgress).migrate(pool)
            submissionRows = try pool.read { try SubmissionIndex($0) }
            try submissionRows.observe(pool)
            checkpointer = try WALCheckpointer(path: path, writer: pool, busyTimeout: Self.busyTimeout)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "The SQLite database could not be opened or migrated.", underlying: error)
        }
    }

    /// Whether opening a store in `directory` will first bring an existing database's schema up to
    /// date (a database from an older release). That first open can take a while: the migration
    /// that keyed rows by expiry took 11 s for 200,000 messages and their submissions on a 2-core
    /// machine. `false` for a folder without a database.
    public static func needsMigration(directory: URL) throws -> Bool {
        let path = directory.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return false }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { try !SQLiteSchema.migrator.hasCompletedMigrations($0) }
    }

    /// Closes the database; later calls fail. Optional: the pool closes when released.
    public func close() throws {
        defer { lock.release() }
        try checkpointer.stop()
        try pool.closeCleanly()
    }

    /// Runs a write transaction, mapping engine errors to ``StoreError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.storeWrite(body)
    }

    /// Runs a read, mapping engine errors to ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.storeRead(body)
    }

    /// Runs a read made of one statement, without the explicit transaction ``read(_:)`` opens
    /// around it (a `BEGIN` and a `COMMIT` for every push of a mailbox): SQLite reads a single
    /// statement from one snapshot of the database in any case. Never for two statements or more,
    /// which could then see two different states.
    func readOneStatement<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.storeReadOneStatement(body)
    }
}

extension DatabasePool {
    /// Opens a pool whose writer commits with `synchronous = FULL` (the WAL is synced at every
    /// commit, so a committed transaction survives a power cut, not only a crash of the process).
    ///
    /// GRDB sets `synchronous = NORMAL` on a new pool's writer when it switches it to WAL, after
    /// `Configuration.prepareDatabase` has run, so the level is set here on the pool's one writer
    /// connection (it lives as long as the pool) and read back.
    ///
    /// With `checkpointsInBackground`, the writer never checkpoints (`wal_autocheckpoint = 0`):
    /// the caller must run a ``WALCheckpointer``.
    static func durable(path: String, configuration: Configuration, checkpointsInBackground: Bool = false) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration)
        let level = try pool.writeWithoutTransaction { db -> Int? in
            if checkpointsInBackground { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            // A log that grew in a burst is cut back to 64 MiB when it starts over.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        guard level == 2 else { throw StoreError(.unavailable, "SQLite did not accept synchronous = FULL.") }
        return pool
    }

    /// Closes the pool, then removes the log and its index file, as closing the last connection
    /// to a database normally does. GRDB closes the writer before the readers, and a read-only
    /// connection closing last can neither checkpoint the log nor delete it, so both files were
    /// left behind. A connection of its own, opened and closed once all others are, does it:
    /// SQLite checkpoints the whole log into the database, then deletes it.
    func closeCleanly() throws {
        try close()
        let queue = try DatabaseQueue(path: path)
        try queue.inDatabase { db in _ = try Int.fetchOne(db, sql: "PRAGMA user_version") }
        try queue.close()
    }

    /// The writer connection's `PRAGMA synchronous` (2 is FULL), for tests of durability settings.
    func writerSynchronousLevel() async throws -> Int? {
        try await writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
    }

    /// Runs a write transaction, mapping engine errors to ``StoreError`` (shared by every SQLite store).
    func storeWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Self.mapErrors { try await write(body) }
    }

    /// Runs a read, mapping engine errors to ``StoreError``.
    func storeRead<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Self.mapErrors { try await read(body) }
    }

    /// Runs a read of one statement outside an explicit transaction (`unsafeRead`), mapping
    /// engine errors to ``StoreError``.
    func storeReadOneStatement<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Self.mapErrors { try await unsafeRead(body) }
    }

    private static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw storeError(error)
        }
    }

    /// Any error of a SQLite access as a ``StoreError``.
    static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            error
        case let refusal as SQLiteRelayStore.Refusal:
            refusal.error
        case let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED:
            StoreError(.unavailable, "The SQLite database is busy; retry.", underlying: error)
        default:
            StoreError(.internal, "The SQLite database failed.", underlying: error)
        }
    }
}
