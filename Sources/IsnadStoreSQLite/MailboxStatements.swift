import Foundation
import GRDB
import GRDBSQLite
import IsnadStore

/// The three statements the writer runs for every stored message, prepared once per write
/// transaction and run with their arguments bound straight through SQLite's C API; and the
/// mailbox page every fetch and push reads (``page(_:device:after:now:limit:)``).
///
/// GRDB's `Statement.execute(arguments:)` builds an array of boxed values, looks the statement up
/// by its SQL text, and notifies its observation machinery around every step: about a fifth of
/// the writer's CPU per message at saturation (issue 4's `IsnadBenchmarks writer`,
/// docs/performance.md). These statements need none of that: no observer watches these tables
/// (the transaction's own `BEGIN` and `COMMIT` still go through GRDB, so its transaction
/// observers, ``SubmissionIndex`` among them, still learn how it ended), and each argument is
/// bound once, copied by SQLite (`SQLITE_TRANSIENT`), so nothing points into Swift memory after
/// a call returns.
///
/// Only on the writer's connection, inside a write transaction, like every other use of `db`.
struct MailboxStatements {
    private let insertMessage: Statement
    private let trimMailbox: Statement
    private let insertSubmission: Statement
    private let keys: ExpiryKeys

    init(_ db: Database, keys: ExpiryKeys) throws {
        insertMessage = try db.cachedStatement(sql: """
            INSERT INTO messages (id, device_id, cursor, message_id, payload, received_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        trimMailbox = try db.cachedStatement(sql: "DELETE FROM messages WHERE device_id = ? AND cursor <= ?")
        insertSubmission = try db.cachedStatement(sql: """
            INSERT INTO submissions (id, message_id, digest, accepted_at, recipient_count, epoch, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        self.keys = keys
    }

    /// Stores one message in a device's mailbox, under a key that sorts it by expiry (``ExpiryKeys``).
    func insertMessage(_ db: Database, device: DeviceID, cursor: Int64, messageID: MessageID, payload: Data, receivedAt: Int64, expiresAt: Int64) throws {
        _ = try insert(insertMessage, .messages, db, expiresAt: expiresAt) { bind in
            bind.uuid(device.uuid)
            bind.integer(cursor)
            bind.uuid(messageID.uuid)
            bind.blob(payload)
            bind.integer(receivedAt)
            bind.integer(expiresAt)
        }
    }

    /// Deletes a device's messages up to and including `cursor`.
    func trimMailbox(_ db: Database, device: DeviceID, through cursor: Int64) throws {
        try Self.run(trimMailbox, db) { bind in
            bind.uuid(device.uuid)
            bind.integer(cursor)
        }
    }

    /// Stores a submission's record (for the duplicate check); returns its row's key.
    @discardableResult
    func insertSubmission(_ db: Database, messageID: MessageID, digest: Data, acceptedAt: Int64, recipientCount: Int,
                          epoch: Int64?, expiresAt: Int64) throws -> Int64 {
        try insert(insertSubmission, .submissions, db, expiresAt: expiresAt) { bind in
            bind.uuid(messageID.uuid)
            bind.blob(digest)
            bind.integer(acceptedAt)
            bind.integer(Int64(recipientCount))
            if let epoch { bind.integer(epoch) } else { bind.null() }
            bind.integer(expiresAt)
        }
    }

    /// Runs an insert whose first argument is the row's key, bound before `body`'s: the key
    /// ``ExpiryKeys`` proposes, or, if a row already has it (the expiries went backwards), the
    /// next free key of that millisecond and on. Returns the key used.
    private func insert(_ statement: Statement, _ table: ExpiryKeys.Table, _ db: Database, expiresAt: Int64,
                        _ body: (inout Binder) -> Void) throws -> Int64 {
        var key = keys.proposal(table, expiringAt: expiresAt)
        while true {
            do {
                try Self.run(statement, db) { bind in
                    bind.integer(key)
                    body(&bind)
                }
                keys.used(key, in: table)
                return key
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                key = try Self.lastKey(db, table, inMillisecondOf: key) + 1
            }
        }
    }

    /// The highest key in use in `table` within the millisecond of `key` (which is in use).
    private static func lastKey(_ db: Database, _ table: ExpiryKeys.Table, inMillisecondOf key: Int64) throws -> Int64 {
        let start = ExpiryKeys.millisecondStart(of: key)
        let sql = "SELECT max(id) FROM \(table.rawValue) WHERE id >= ? AND id < ?"
        guard let last = try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: [start, start + (1 << ExpiryKeys.sequenceBits)]) else {
            throw StoreError(.internal, "A row key was refused as in use, but no row of its millisecond was found.")
        }
        return last
    }

    /// A device's messages after `cursor` that have not expired by `now` (milliseconds), oldest
    /// first, at most `limit`: the page a fetch or a push sends. On a reader connection, in one
    /// statement; the columns are read straight from SQLite, by position, rather than through
    /// GRDB's `Row`, which copies every value and finds each column by name.
    static func page(_ db: Database, device: DeviceID, after cursor: Int64, now: Int64, limit: Int) throws -> [MailboxMessage] {
        let statement = try db.cachedStatement(sql: """
            SELECT cursor, message_id, payload, received_at, expires_at FROM messages
            WHERE device_id = ? AND cursor > ? AND expires_at > ? ORDER BY cursor LIMIT ?
            """)
        var messages: [MailboxMessage] = []
        try run(statement, db, bind: { bind in
            bind.uuid(device.uuid)
            bind.integer(cursor)
            bind.integer(now)
            bind.integer(Int64(max(0, limit)))
        }, row: { handle in
            guard sqlite3_column_type(handle, 0) == SQLITE_INTEGER, sqlite3_column_type(handle, 3) == SQLITE_INTEGER,
                  sqlite3_column_type(handle, 4) == SQLITE_INTEGER, sqlite3_column_bytes(handle, 1) == 16,
                  let id = sqlite3_column_blob(handle, 1)
            else { throw StoreError(.internal, "A stored message has a column of the wrong type.") }
            let payload = sqlite3_column_blob(handle, 2).map { Data(bytes: $0, count: Int(sqlite3_column_bytes(handle, 2))) } ?? Data()
            messages.append(MailboxMessage(
                cursor: sqlite3_column_int64(handle, 0),
                messageID: MessageID(UUID(uuid: id.loadUnaligned(as: uuid_t.self))),
                payload: payload,
                receivedAt: StoredTime.date(sqlite3_column_int64(handle, 3)),
                expiresAt: StoredTime.date(sqlite3_column_int64(handle, 4))))
        })
        return messages
    }

    /// Binds the arguments in order, steps the statement to its end and resets it. SQLite's error
    /// becomes a `DatabaseError`, as GRDB's own execution would throw.
    private static func run(_ statement: Statement, _ db: Database, _ body: (inout Binder) -> Void) throws {
        try run(statement, db, bind: body, row: { _ in })
    }

    /// The same, calling `row` for each row the statement yields; an error `row` throws ends
    /// the statement (reset) and is rethrown.
    private static func run(_ statement: Statement, _ db: Database, bind body: (inout Binder) -> Void,
                            row: (SQLiteStatement) throws -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        var binder = Binder(handle: handle)
        body(&binder)
        precondition(binder.index == sqlite3_bind_parameter_count(handle), "A mailbox statement was given the wrong number of arguments.")
        if let failed = binder.failure {
            throw DatabaseError(resultCode: ResultCode(rawValue: failed), message: errorMessage(db), sql: statement.sql)
        }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW {
            try row(handle)
            code = sqlite3_step(handle)
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: errorMessage(db), sql: statement.sql)
        }
    }

    private static func errorMessage(_ db: Database) -> String? {
        db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
    }

    /// Binds arguments 1, 2, 3… in order; SQLite copies each value.
    struct Binder {
        let handle: SQLiteStatement
        private(set) var index: Int32 = 0
        /// The first bind that failed (out of memory, too big), reported before the step.
        private(set) var failure: Int32?

        init(handle: SQLiteStatement) { self.handle = handle }

        /// `SQLITE_TRANSIENT`: SQLite copies the bytes before the bind returns.
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        private mutating func check(_ code: Int32) {
            if code != SQLITE_OK, failure == nil { failure = code }
        }

        mutating func integer(_ value: Int64) {
            index += 1
            check(sqlite3_bind_int64(handle, index, value))
        }

        mutating func null() {
            index += 1
            check(sqlite3_bind_null(handle, index))
        }

        mutating func blob(_ value: Data) {
            index += 1
            guard let length = Int32(exactly: value.count) else { return check(SQLITE_TOOBIG) }
            // An empty blob is bound as such: an empty buffer's pointer may be null, which binds NULL.
            guard length > 0 else { return check(sqlite3_bind_zeroblob(handle, index, 0)) }
            let code = value.withUnsafeBytes { bytes in
                sqlite3_bind_blob(handle, index, bytes.baseAddress, length, Self.transient)
            }
            check(code)
        }

        mutating func uuid(_ value: UUID) {
            index += 1
            let code = withUnsafeBytes(of: value.uuid) { bytes in
                sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
            }
            check(code)
        }
    }
}
