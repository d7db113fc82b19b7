import Foundation
import IsnadStore
import Logging
import PostgresNIO

extension PostgresObservatoryStore {
    public func evidence(_ sha256: Data) async throws -> StoredEvidence? {
        try await Self.evidenceRecord(try await base.rows("SELECT held_bytes, received_at FROM obs_evidence WHERE sha256 = \(sha256)"), sha256)
    }

    public func appendEvidence(_ sha256: Data, at offset: Int64, bytes: Data) async throws -> Int64 {
        try await base.transaction { connection, logger in
            let record = try Self.evidenceRecord(try await connection.rows(
                "SELECT held_bytes, received_at FROM obs_evidence WHERE sha256 = \(sha256) FOR UPDATE", logger: logger), sha256)
            try EvidenceRules.checkAppend(record, offset: offset)
            let held = offset + Int64(bytes.count)
            if record == nil {
                // A concurrent first piece of the same blob fails on the primary key, as a conflict.
                try await connection.query("INSERT INTO obs_evidence (sha256, held_bytes) VALUES (\(sha256), \(held))", logger: logger)
            } else {
                try await connection.query("UPDATE obs_evidence SET held_bytes = \(held) WHERE sha256 = \(sha256)", logger: logger)
            }
            try await connection.query(
                "INSERT INTO obs_evidence_pieces (sha256, piece_offset, bytes) VALUES (\(sha256), \(offset), \(bytes))", logger: logger)
            return held
        }
    }

    public func evidenceBlob(_ sha256: Data) async throws -> Data? {
        guard try await evidence(sha256) != nil else { return nil }
        var blob = Data()
        for row in try await base.rows("SELECT bytes FROM obs_evidence_pieces WHERE sha256 = \(sha256) ORDER BY piece_offset") {
            blob += try row.decode(Data.self)
        }
        return blob
    }

    public func markEvidenceReceived(_ sha256: Data, now: Date) async throws {
        try await base.transaction { connection, logger in
            let found = try await connection.rows("SELECT held_bytes, received_at FROM obs_evidence WHERE sha256 = \(sha256)", logger: logger)
            guard !found.isEmpty else { throw EvidenceRules.unknown }
            try await connection.query(
                "UPDATE obs_evidence SET received_at = \(StoredTime.milliseconds(now)) WHERE sha256 = \(sha256) AND received_at IS NULL", logger: logger)
        }
    }

    public func discardEvidence(_ sha256: Data) async throws {
        try await base.transaction { connection, logger in
            guard let record = try Self.evidenceRecord(try await connection.rows(
                "SELECT held_bytes, received_at FROM obs_evidence WHERE sha256 = \(sha256) FOR UPDATE", logger: logger), sha256)
            else { return }
            guard record.receivedAt == nil else { throw EvidenceRules.receivedIsKept }
            try await connection.query("DELETE FROM obs_evidence_pieces WHERE sha256 = \(sha256)", logger: logger)
            try await connection.query("DELETE FROM obs_evidence WHERE sha256 = \(sha256)", logger: logger)
        }
    }

    static func evidenceRecord(_ rows: [PostgresRow], _ sha256: Data) throws -> StoredEvidence? {
        guard let row = rows.first else { return nil }
        let (held, received) = try row.decode((Int64, Int64?).self)
        return StoredEvidence(sha256: sha256, heldBytes: held, receivedAt: received.map(StoredTime.date))
    }
}
