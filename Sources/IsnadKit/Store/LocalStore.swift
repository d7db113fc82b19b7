import Foundation
import GRDB

/// The encrypted local store: one SQLite file (through GRDB) in the home folder.
///
/// Only opaque random identifiers (row IDs, message IDs, group IDs, KeyPackage references) are
/// in clear; every other value — names, bodies, times, keys, MLS group state — is sealed by the
/// ``Vault`` and bound to its table, column and row.
///
/// Each ``write(_:)`` is one SQLite transaction: a group's new state is stored together with the
/// messages it produced or consumed, so a crash leaves either both or neither.
public final class LocalStore: Sendable {
    let queue: DatabaseQueue
    let vault: Vault
    /// Encrypted attachment blobs, by ID (`attachments/` in the home folder).
    let blobs: URL

    private init(queue: DatabaseQueue, vault: Vault, home: Home) {
        self.queue = queue
        self.vault = vault
        self.blobs = home.url.appendingPathComponent("attachments")
    }

    /// Creates a new store in `home` under a fresh data key wrapped by `passphrase`.
    static func create(home: Home, passphrase: String, parameters: Vault.Parameters = .standard) throws -> LocalStore {
        guard !home.exists else {
            throw ClientError(.alreadyInitialized, "The home folder \(home.url.path) already holds an identity.")
        }
        try home.create()
        let queue = try openQueue(home)
        let (vault, wrapped) = try Vault.create(passphrase: passphrase, parameters: parameters)
        try guarded {
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO vault (id, wrapped) VALUES (1, ?)", arguments: [try JSONEncoder().encode(wrapped)])
            }
        }
        return LocalStore(queue: queue, vault: vault, home: home)
    }

    /// Opens the store in `home`; a wrong passphrase is one clear sentence.
    static func open(home: Home, passphrase: String) throws -> LocalStore {
        guard home.exists else {
            throw ClientError(.notInitialized, "No identity in \(home.url.path): run `isnad init --name NAME --relay URL` first.")
        }
        let queue = try openQueue(home)
        let wrappedJSON = try guarded {
            try migrator.migrate(queue)
            return try queue.read { db in try Data.fetchOne(db, sql: "SELECT wrapped FROM vault WHERE id = 1") }
        }
        guard let wrappedJSON, let wrapped = try? JSONDecoder().decode(Vault.Wrapped.self, from: wrappedJSON) else {
            throw ClientError(.storeDamaged, "The store in \(home.url.path) has no readable key; it is damaged.")
        }
        return LocalStore(queue: queue, vault: try Vault.open(wrapped, passphrase: passphrase), home: home)
    }

    /// Runs `body` in one transaction.
    func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try Self.guarded { try queue.write { db in try body(StoreTransaction(db: db, vault: vault)) } }
    }

    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try Self.guarded { try queue.read { db in try body(StoreTransaction(db: db, vault: vault)) } }
    }

    private static func openQueue(_ home: Home) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // GRDB hides statement arguments in its errors by default; keep it that way (sealed values only anyway).
        return try guarded { try DatabaseQueue(path: home.storeURL.path, configuration: configuration) }
    }

    /// Turns SQLite failures into one sentence; ``ClientError``s pass through.
    static func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ClientError {
            throw error
        } catch let error as DatabaseError {
            throw ClientError(.storeDamaged, "The local store could not be used (SQLite error \(error.resultCode.rawValue)).")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE vault (id INTEGER PRIMARY KEY CHECK (id = 1), wrapped BLOB NOT NULL);
                CREATE TABLE identity (id INTEGER PRIMARY KEY CHECK (id = 1), sealed BLOB NOT NULL);
                CREATE TABLE contacts (id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
                CREATE TABLE conversations (id TEXT PRIMARY KEY, sealed BLOB NOT NULL, state BLOB);
                CREATE TABLE messages (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, sealed BLOB NOT NULL);
                CREATE INDEX messages_by_conversation ON messages (conversation_id);
                CREATE TABLE seen (message_id TEXT PRIMARY KEY);
                CREATE TABLE key_packages (ref TEXT PRIMARY KEY, sealed BLOB NOT NULL);
                CREATE TABLE invites (id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
                CREATE TABLE outbox (id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
                CREATE TABLE unreported (message_id TEXT PRIMARY KEY);
                CREATE TABLE uploads (id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
                CREATE TABLE pending_downloads (message_id TEXT PRIMARY KEY);
                """)
        }
        migrator.registerMigration("v2", migrate: ReporterTables.create)
        return migrator
    }
}

/// Typed access to the store inside one transaction.
struct StoreTransaction {
    let db: Database
    let vault: Vault

    // MARK: Identity

    func identity() throws -> IdentityRecord {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM identity WHERE id = 1") else {
            throw ClientError(.notInitialized, "This home folder has no identity yet: run `isnad init --name NAME --relay URL` first.")
        }
        return try vault.open(IdentityRecord.self, sealed, context: "identity")
    }

    func save(_ identity: IdentityRecord) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO identity (id, sealed) VALUES (1, ?)",
                       arguments: [try vault.seal(json: identity, context: "identity")])
    }

    // MARK: Sealed rows keyed by a random ID

    func all<T: Decodable>(_ type: T.Type, table: Table) throws -> [T] {
        try Row.fetchAll(db, sql: "SELECT id, sealed FROM \(table.rawValue) ORDER BY rowid").map { row in
            try vault.open(type, row["sealed"], context: "\(table.rawValue):\(row["id"] as String)")
        }
    }

    func one<T: Decodable>(_ type: T.Type, table: Table, id: String) throws -> T? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM \(table.rawValue) WHERE id = ?", arguments: [id]) else { return nil }
        return try vault.open(type, sealed, context: "\(table.rawValue):\(id)")
    }

    func put<T: Encodable>(_ value: T, table: Table, id: String) throws {
        let sealed = try vault.seal(json: value, context: "\(table.rawValue):\(id)")
        try db.execute(sql: "INSERT INTO \(table.rawValue) (id, sealed) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
                       arguments: [id, sealed])
    }

    func delete(table: Table, id: String) throws {
        try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE id = ?", arguments: [id])
    }

    enum Table: String {
        case contacts, conversations, invites, outbox, uploads
        case reportDrafts = "report_drafts", reportOutbox = "report_outbox", observatoryPins = "observatory_pins"
    }

    // MARK: Conversations' MLS state

    func groupState(_ conversationID: String) throws -> Data? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT state FROM conversations WHERE id = ?", arguments: [conversationID]) else { return nil }
        return try vault.open(sealed, context: "conversations.state:\(conversationID)")
    }

    func saveGroupState(_ state: Data, conversationID: String) throws {
        try db.execute(sql: "UPDATE conversations SET state = ? WHERE id = ?",
                       arguments: [try vault.seal(state, context: "conversations.state:\(conversationID)"), conversationID])
    }

    // MARK: Messages

    func messages(conversationID: String) throws -> [MessageRecord] {
        try Row.fetchAll(db, sql: "SELECT id, sealed FROM messages WHERE conversation_id = ? ORDER BY rowid", arguments: [conversationID]).map { row in
            try vault.open(MessageRecord.self, row["sealed"], context: "messages:\(row["id"] as String)")
        }
    }

    func message(_ id: String) throws -> MessageRecord? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM messages WHERE id = ?", arguments: [id]) else { return nil }
        return try vault.open(MessageRecord.self, sealed, context: "messages:\(id)")
    }

    func update(_ message: MessageRecord) throws {
        try db.execute(sql: "UPDATE messages SET sealed = ? WHERE id = ?",
                       arguments: [try vault.seal(json: message, context: "messages:\(message.id)"), message.id])
    }

    func insert(_ message: MessageRecord) throws {
        try db.execute(sql: "INSERT INTO messages (id, conversation_id, sealed) VALUES (?, ?, ?)",
                       arguments: [message.id, message.conversationID, try vault.seal(json: message, context: "messages:\(message.id)")])
    }

    // MARK: Deduplication

    /// Records a delivered message ID; false when it was seen before.
    func markSeen(_ messageID: String) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO seen (message_id) VALUES (?)", arguments: [messageID])
        return db.changesCount == 1
    }

    func isSeen(_ messageID: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM seen WHERE message_id = ?", arguments: [messageID]) ?? false
    }

    // MARK: KeyPackages

    func keyPackage(ref: String) throws -> KeyPackageRecord? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM key_packages WHERE ref = ?", arguments: [ref]) else { return nil }
        return try vault.open(KeyPackageRecord.self, sealed, context: "key_packages:\(ref)")
    }

    func allKeyPackages() throws -> [(ref: String, record: KeyPackageRecord)] {
        try Row.fetchAll(db, sql: "SELECT ref, sealed FROM key_packages").map { row in
            let ref: String = row["ref"]
            return (ref, try vault.open(KeyPackageRecord.self, row["sealed"], context: "key_packages:\(ref)"))
        }
    }

    func putKeyPackage(_ record: KeyPackageRecord, ref: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO key_packages (ref, sealed) VALUES (?, ?)",
                       arguments: [ref, try vault.seal(json: record, context: "key_packages:\(ref)")])
    }

    func deleteKeyPackage(ref: String) throws {
        try db.execute(sql: "DELETE FROM key_packages WHERE ref = ?", arguments: [ref])
    }
}

extension StoreTransaction {
    /// Queues a history entry for the next ``Messenger/sync()`` report.
    func markUnreported(_ messageID: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO unreported (message_id) VALUES (?)", arguments: [messageID])
    }

    /// The queued history entries, oldest first, and clears the queue.
    func takeUnreported() throws -> [MessageRecord] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT m.id, m.sealed FROM unreported u JOIN messages m ON m.id = u.message_id ORDER BY m.rowid
            """)
        try db.execute(sql: "DELETE FROM unreported")
        return try rows.map { row in try vault.open(MessageRecord.self, row["sealed"], context: "messages:\(row["id"] as String)") }
    }
}

extension StoreTransaction {
    func addPendingDownload(_ messageID: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO pending_downloads (message_id) VALUES (?)", arguments: [messageID])
    }

    func pendingDownloads() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT message_id FROM pending_downloads")
    }

    func removePendingDownload(_ messageID: String) throws {
        try db.execute(sql: "DELETE FROM pending_downloads WHERE message_id = ?", arguments: [messageID])
    }
}
