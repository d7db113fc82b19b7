import Foundation
import GRDB

/// The reporter's tables in the encrypted local store (migration "v2"): the master seed of the
/// pseudonymous reporter keys, report drafts, the report outbox and the pinned observatory keys.
/// Like every other table, only random IDs are in clear; everything else is sealed by the ``Vault``.
enum ReporterTables {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE reporter (id INTEGER PRIMARY KEY CHECK (id = 1), sealed BLOB NOT NULL);
            CREATE TABLE report_drafts (id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
            CREATE TABLE report_outbox (id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
            CREATE TABLE observatory_pins (id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
            """)
    }
}

/// The reporter's master seed (``IsnadWire/ReporterIdentity``); created on first use, never printed.
struct ReporterRecord: Codable, Sendable {
    var masterSeed: Data
    var createdAt: Date
}

/// An observatory's keys as first seen ("trust on first use"); a later different key is refused
/// unless the reporter accepts it explicitly.
struct ObservatoryPinRecord: Codable, Sendable {
    /// Random row ID (the URL itself is sealed).
    var id: String
    var url: String
    /// The X25519 sealing key, raw.
    var sealingKey: Data
    /// The log's verifier key, signed-note form.
    var logVerifierKey: String
    var pinnedAt: Date
}

/// A report the reporter wrote: its JSON, the files behind its evidence items, and where it was sent.
struct ReportDraftRecord: Codable, Sendable {
    var id: String
    /// The report as JSON (docs/reports.md), exactly as validated.
    var reportJSON: Data
    /// Local paths of the attached files, in the order of the report's evidence items.
    var evidenceFiles: [String]
    var createdAt: Date
    /// The submissions made from it (outbox IDs), oldest first.
    var submissions: [UUID]
}

/// An ``OutboxItem`` as stored: the sealed bytes kept byte for byte, so a retry is the same submission.
struct ReportOutboxRecord: Codable, Sendable {
    enum State: String, Codable, Sendable { case waiting, submitted, delivered, rejected }
    var id: UUID
    var reportID: String?
    var observatory: String
    var logVerifierKey: String
    var signedReport: Data
    var sealed: Data
    var state: State
    var receipt: Data?
    var logIndex: UInt64?
    var reason: String?
    var message: String?
    var attempts: Int

    init(_ item: OutboxItem, reportID: String?) {
        id = item.id
        self.reportID = reportID
        observatory = item.observatory.absoluteString
        logVerifierKey = item.logVerifierKey
        signedReport = Data(item.signedReport)
        sealed = Data(item.sealed)
        attempts = item.attempts
        switch item.state {
        case .waiting: state = .waiting
        case .submitted: state = .submitted
        case .delivered(let bytes, let index): (state, receipt, logIndex) = (.delivered, Data(bytes), index)
        case .rejected(let code, let text): (state, reason, message) = (.rejected, code, text)
        }
    }

    func item() throws -> OutboxItem {
        guard let url = URL(string: observatory) else {
            throw ClientError(.storeDamaged, "A stored report submission names no readable observatory; the store is damaged.")
        }
        let itemState: OutboxItem.State
        switch state {
        case .waiting: itemState = .waiting
        case .submitted: itemState = .submitted
        case .delivered: itemState = .delivered(receipt: Array(receipt ?? Data()), logIndex: logIndex ?? 0)
        case .rejected: itemState = .rejected(reason: reason ?? "rejected", message: message ?? "")
        }
        return OutboxItem(id: id, observatory: url, logVerifierKey: logVerifierKey, signedReport: Array(signedReport),
                          sealed: Array(sealed), state: itemState, attempts: attempts)
    }
}

extension StoreTransaction {
    func reporter() throws -> ReporterRecord? {
        guard let sealed = try Data.fetchOne(db, sql: "SELECT sealed FROM reporter WHERE id = 1") else { return nil }
        return try vault.open(ReporterRecord.self, sealed, context: "reporter")
    }

    func save(_ reporter: ReporterRecord) throws {
        try db.execute(sql: "INSERT INTO reporter (id, sealed) VALUES (1, ?)",
                       arguments: [try vault.seal(json: reporter, context: "reporter")])
    }
}

/// A ``ReportOutbox`` in the encrypted local store: items survive the process, so `isnad report sync`
/// finishes what an earlier `send` started, with the same ID and the same sealed bytes.
public final class StoredReportOutbox: ReportOutbox {
    let store: LocalStore

    init(store: LocalStore) {
        self.store = store
    }

    public func save(_ item: OutboxItem) async throws {
        try store.write { tx in
            let reportID = try tx.one(ReportOutboxRecord.self, table: .reportOutbox, id: item.id.uuidString)?.reportID
            try tx.put(ReportOutboxRecord(item, reportID: reportID), table: .reportOutbox, id: item.id.uuidString)
        }
    }

    public func items() async throws -> [OutboxItem] {
        try store.read { tx in try tx.all(ReportOutboxRecord.self, table: .reportOutbox) }.map { try $0.item() }
    }

    public func item(_ id: UUID) async throws -> OutboxItem? {
        try store.read { tx in try tx.one(ReportOutboxRecord.self, table: .reportOutbox, id: id.uuidString) }?.item()
    }
}
