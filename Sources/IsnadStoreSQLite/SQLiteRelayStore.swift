import Foundation
import GRDB
import IsnadStore

/// The embedded ``RelayStore``: one SQLite file in a data folder, through a GRDB `DatabasePool`
/// in WAL mode (concurrent reads, one writer). Every write is synced to disk before its caller
/// hears of it, and nothing is read before the writes committed until then are synced
/// (``WALSyncer``, which syncs the WAL off the writer's queue), so an answered write survives a
/// crash of the process or of the machine. Mailbox submissions that arrive together are
/// committed together (``SubmissionQueue``), and commits made during one sync share the next.
public final class SQLiteRelayStore: RelayStore {
    /// The database file's name inside the data folder.
    public static let fileName = "relay.sqlite"

    let pool: DatabasePool
    /// Group commit for mailbox submissions, drained on the writer's queue.
    let submissions = SubmissionQueue()
    /// Copies the WAL into the database file off the commit path.
    let checkpointer: WALCheckpointer
    /// Bearer tokens already looked up.
    let tokens = TokenCache(enabled: true)
    /// Syncs the WAL after the writer's commits.
    let syncer: WALSyncer

    /// Opens (creating if needed) the store in a folder and brings its schema up to date.
    /// - Parameter directory: The data folder; created if missing.
    /// - Throws: ``StoreError`` if the folder or the database cannot be opened or migrated.
    public init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            // Several processes may open the same file (a restart overlapping a shutdown).
            configuration.busyMode = .timeout(5)
            let path = directory.appendingPathComponent(Self.fileName).path
            pool = try DatabasePool.durable(path: path, configuration: configuration, checkpointsInBackground: true, syncsInBackground: true)
            syncer = WALSyncer(databasePath: path)
            try SQLiteSchema.migrator.migrate(pool)
            checkpointer = try WALCheckpointer(path: path)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "The SQLite database could not be opened or migrated.", underlying: error)
        }
    }

    /// Closes the database; later calls fail. Optional: the pool closes when released.
    public func close() throws {
        try checkpointer.stop()
        try pool.close()
    }

    /// Runs a write transaction, mapping engine errors to ``StoreError``; returns once it is synced to disk.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let number = TransactionNumber()
        let value: T
        do {
            value = try await pool.storeWrite { [syncer] db in
                number.value = syncer.announce()
                return try body(db)
            }
        } catch {
            if let taken = number.value { syncer.finished(taken) }
            throw error
        }
        if let taken = number.value {
            syncer.finished(taken)
            try await syncer.waitUntilDurable(taken)
        }
        return value
    }

    /// Runs a read, mapping engine errors to ``StoreError``; returns once every write its
    /// snapshot could see is synced to disk.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let (value, seen) = try await pool.storeRead { [syncer] db in
            let value = try body(db)
            return (value, syncer.latestAnnounced)
        }
        try await syncer.waitUntilDurable(seen)
        return value
    }
}

/// The number a write transaction took from the ``WALSyncer``, carried out of GRDB's writer
/// closure (set once, on the writer, before the closure returns; read after `write` returned).
final class TransactionNumber: @unchecked Sendable {
    var value: UInt64?
}

extension DatabasePool {
    /// Opens a pool whose committed transactions survive a power cut, not only a crash of the process.
    ///
    /// By default the writer commits with `synchronous = FULL` (the WAL is synced inside every
    /// commit). With `syncsInBackground` it commits with `synchronous = NORMAL` (SQLite syncs the
    /// WAL only around checkpoints) and the caller must sync it after each commit, before anyone
    /// hears of the commit, with a ``WALSyncer``.
    ///
    /// GRDB sets `synchronous = NORMAL` on a new pool's writer when it switches it to WAL, after
    /// `Configuration.prepareDatabase` has run, so the level is set here on the pool's one writer
    /// connection (it lives as long as the pool) and read back.
    ///
    /// With `checkpointsInBackground`, the writer never checkpoints (`wal_autocheckpoint = 0`):
    /// the caller must run a ``WALCheckpointer``.
    static func durable(path: String, configuration: Configuration, checkpointsInBackground: Bool = false,
                        syncsInBackground: Bool = false) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration)
        let (name, expected) = syncsInBackground ? ("NORMAL", 1) : ("FULL", 2)
        let level = try pool.writeWithoutTransaction { db -> Int? in
            if checkpointsInBackground { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            try db.execute(sql: "PRAGMA synchronous = \(name)")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        guard level == expected else { throw StoreError(.unavailable, "SQLite did not accept synchronous = \(name).") }
        return pool
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
