import Foundation
import GRDB
import IsnadStore

extension SQLiteObservatoryStore {
    public func evidence(_ sha256: Data) async throws -> StoredEvidence? {
        try await read { db in try Self.evidenceRecord(db, sha256) }
    }

    public func appendEvidence(_ sha256: Data, at offset: Int64, bytes: Data) async throws -> Int64 {
        try await write { db in
            let record = try Self.evidenceRecord(db, sha256)
            try EvidenceRules.checkAppend(record, offset: offset)
            let held = offset + Int64(bytes.count)
            if record == nil {
                try db.execute(sql: "INSERT INTO evidence (sha256, held_bytes) VALUES (?, ?)", arguments: [sha256, held])
            } else {
                try db.execute(sql: "UPDATE evidence SET held_bytes = ? WHERE sha256 = ?", arguments: [held, sha256])
            }
            try db.execute(sql: "INSERT INTO evidence_pieces (sha256, offset, bytes) VALUES (?, ?, ?)", arguments: [sha256, offset, bytes])
            return held
        }
    }

    public func evidenceBlob(_ sha256: Data) async throws -> Data? {
        try await read { db in
            guard try Self.evidenceRecord(db, sha256) != nil else { return nil }
            return try Data.fetchAll(db, sql: "SELECT bytes FROM evidence_pieces WHERE sha256 = ? ORDER BY offset", arguments: [sha256])
                .reduce(into: Data()) { $0 += $1 }
        }
    }

    public func markEvidenceReceived(_ sha256: Data, now: Date) async throws {
        try await write { db in
            guard try Self.evidenceRecord(db, sha256) != nil else { throw EvidenceRules.unknown }
            try db.execute(sql: "UPDATE evidence SET received_at = ? WHERE sha256 = ? AND received_at IS NULL",
                           arguments: [StoredTime.milliseconds(now), sha256])
        }
    }

    public func discardEvidence(_ sha256: Data) async throws {
        try await write { db in
            guard let record = try Self.evidenceRecord(db, sha256) else { return }
            guard record.receivedAt == nil else { throw EvidenceRules.receivedIsKept }
            try db.execute(sql: "DELETE FROM evidence_pieces WHERE sha256 = ?", arguments: [sha256])
            try db.execute(sql: "DELETE FROM evidence WHERE sha256 = ?", arguments: [sha256])
        }
    }

    static func evidenceRecord(_ db: Database, _ sha256: Data) throws -> StoredEvidence? {
        try Row.fetchOne(db, sql: "SELECT held_bytes, received_at FROM evidence WHERE sha256 = ?", arguments: [sha256]).map { row in
            StoredEvidence(sha256: sha256, heldBytes: row["held_bytes"], receivedAt: (row["received_at"] as Int64?).map(StoredTime.date))
        }
    }
}
