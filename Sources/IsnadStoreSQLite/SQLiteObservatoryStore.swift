import Foundation
import GRDB
import IsnadStore

/// The embedded ``ObservatoryStore``: `observatory.sqlite` in the data folder, through a GRDB
/// `DatabasePool` in WAL mode with `synchronous = FULL`, so a received submission survives a crash.
public final class SQLiteObservatoryStore: ObservatoryStore {
    /// The database file's name inside the data folder.
    public static let fileName = "observatory.sqlite"

    let pool: DatabasePool

    /// Opens (creating if needed) the store in a folder and brings its schema up to date.
    /// - Throws: ``StoreError`` if the folder or the database cannot be opened or migrated.
    public init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            pool = try DatabasePool.durable(path: directory.appendingPathComponent(Self.fileName).path, configuration: configuration)
            try SQLiteObservatorySchema.migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "The observatory's SQLite database could not be opened or migrated.", underlying: error)
        }
    }

    /// Closes the database; later calls fail.
    public func close() throws { try pool.closeCleanly() }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.storeWrite(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.storeRead(body)
    }
}

/// The observatory's SQLite schema. Never edit a registered migration: add one.
///
/// `log_entries` keeps each log entry as appended, apart from `reports`, so an audit can compare
/// what is stored now against what was logged.
enum SQLiteObservatorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("observatory-v1") { db in
            try db.execute(sql: """
                CREATE TABLE submissions (
                    id BLOB PRIMARY KEY NOT NULL,
                    seq INTEGER NOT NULL UNIQUE,
                    sealed BLOB,
                    sealed_digest BLOB NOT NULL UNIQUE,
                    received_at INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    reason TEXT,
                    message TEXT,
                    processed_at INTEGER,
                    log_index INTEGER UNIQUE,
                    receipt BLOB
                );
                CREATE INDEX submissions_pending ON submissions(seq) WHERE state = 'pending';
                CREATE TABLE reports (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    submission_id BLOB NOT NULL UNIQUE REFERENCES submissions(id),
                    digest BLOB NOT NULL UNIQUE,
                    signed_report BLOB NOT NULL,
                    salt BLOB NOT NULL,
                    commitment BLOB NOT NULL,
                    reporter_key BLOB NOT NULL,
                    accepted_at INTEGER NOT NULL,
                    log_index INTEGER UNIQUE
                );
                CREATE INDEX reports_unlogged ON reports(seq) WHERE log_index IS NULL;
                CREATE TABLE log_entries (
                    log_index INTEGER PRIMARY KEY NOT NULL,
                    submission_id BLOB NOT NULL,
                    entry BLOB NOT NULL
                );
                CREATE TABLE log_tiles (
                    level INTEGER NOT NULL,
                    tile_index INTEGER NOT NULL,
                    width INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (level, tile_index)
                ) WITHOUT ROWID;
                CREATE TABLE checkpoints (
                    tree_size INTEGER PRIMARY KEY NOT NULL,
                    note BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("observatory-v2-review") { db in
            // Review decisions are append-only: the triggers refuse any change to a recorded row.
            // log_entries.submission_id becomes nullable: a published snapshot's entry has no submission.
            try db.execute(sql: """
                CREATE TABLE staff (
                    name TEXT PRIMARY KEY NOT NULL,
                    passphrase_hash BLOB NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE review_decisions (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    action TEXT NOT NULL,
                    aspect TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    staff TEXT NOT NULL REFERENCES staff(name),
                    note TEXT NOT NULL,
                    decided_at INTEGER NOT NULL
                );
                CREATE INDEX review_decisions_subject ON review_decisions(subject);
                CREATE TRIGGER review_decisions_no_update BEFORE UPDATE ON review_decisions
                    BEGIN SELECT RAISE(ABORT, 'review decisions are never rewritten'); END;
                CREATE TRIGGER review_decisions_no_delete BEFORE DELETE ON review_decisions
                    BEGIN SELECT RAISE(ABORT, 'review decisions are never deleted'); END;
                CREATE TABLE snapshots (
                    sequence INTEGER PRIMARY KEY NOT NULL,
                    hash BLOB NOT NULL UNIQUE,
                    encoded BLOB NOT NULL,
                    published_at INTEGER NOT NULL,
                    log_index INTEGER UNIQUE
                );
                CREATE TABLE log_entries_v2 (
                    log_index INTEGER PRIMARY KEY NOT NULL,
                    submission_id BLOB,
                    entry BLOB NOT NULL
                );
                INSERT INTO log_entries_v2 SELECT log_index, submission_id, entry FROM log_entries;
                DROP TABLE log_entries;
                ALTER TABLE log_entries_v2 RENAME TO log_entries;
                """)
        }
        migrator.registerMigration("observatory-v3-evidence") { db in
            // Evidence blobs (encrypted only) arrive in pieces; each piece is a row, so a resumed
            // upload appends without rewriting what is held.
            try db.execute(sql: """
                CREATE TABLE evidence (
                    sha256 BLOB PRIMARY KEY NOT NULL,
                    held_bytes INTEGER NOT NULL,
                    received_at INTEGER
                ) WITHOUT ROWID;
                CREATE TABLE evidence_pieces (
                    sha256 BLOB NOT NULL REFERENCES evidence(sha256) ON DELETE CASCADE,
                    offset INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (sha256, offset)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
