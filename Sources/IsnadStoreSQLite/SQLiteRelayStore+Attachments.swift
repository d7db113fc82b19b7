import Foundation
import GRDB
import IsnadStore

extension SQLiteRelayStore {
    public func beginAttachment(_ id: AttachmentID, size: Int64, uploader: DeviceID, expiresAt: Date, now: Date) async throws -> (attachment: StoredAttachment, isNew: Bool) {
        guard size >= 1 else { throw StoreError(.invalidArgument, "An attachment holds at least one byte.") }
        return try await write { db in
            if let existing = try Self.attachment(db, id, now: now) { return (existing, false) }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM devices WHERE id = ?", arguments: [uploader.uuid.bytes]) != nil else {
                throw StoreError(.unknownDevice, "The device does not exist.")
            }
            // An expired one with this ID (not yet swept) is replaced; its chunks go with it.
            try db.execute(sql: "DELETE FROM attachments WHERE id = ?", arguments: [id.bytes])
            try db.execute(sql: "INSERT INTO attachments (id, size, received, uploader, expires_at) VALUES (?, ?, 0, ?, ?)",
                           arguments: [id.bytes, size, uploader.uuid.bytes, StoredTime.milliseconds(expiresAt)])
            return (StoredAttachment(id: id, size: size, received: 0, uploader: uploader, expiresAt: StoredTime.truncated(expiresAt)), true)
        }
    }

    public func attachment(_ id: AttachmentID, now: Date) async throws -> StoredAttachment? {
        try await read { db in try Self.attachment(db, id, now: now) }
    }

    public func appendAttachmentChunk(
        _ id: AttachmentID, at offset: Int64, _ bytes: Data, uploader: DeviceID, completedExpiresAt: Date, now: Date
    ) async throws -> StoredAttachment {
        try await write { db in
            guard var record = try Self.attachment(db, id, now: now) else {
                throw StoreError(.unknownAttachment, "No attachment has this ID.")
            }
            try AttachmentRules.checkAppend(to: record, at: offset, count: bytes.count, uploader: uploader)
            try db.execute(sql: "INSERT INTO attachment_chunks (attachment_id, start, bytes) VALUES (?, ?, ?)",
                           arguments: [id.bytes, offset, bytes])
            record.received += Int64(bytes.count)
            if record.isComplete {
                record.uploader = nil
                record.expiresAt = StoredTime.truncated(completedExpiresAt)
            }
            try db.execute(sql: "UPDATE attachments SET received = ?, uploader = ?, expires_at = ? WHERE id = ?",
                           arguments: [record.received, record.uploader?.uuid.bytes, StoredTime.milliseconds(record.expiresAt), id.bytes])
            return record
        }
    }

    public func attachmentBytes(_ id: AttachmentID, in range: Range<Int64>) async throws -> Data {
        try await read { db in
            // The chunk holding `range.lowerBound` starts at or before it; every later one up to the upper bound.
            let rows = try Row.fetchAll(db, sql: """
                SELECT start, bytes FROM attachment_chunks
                WHERE attachment_id = ? AND start < ? AND start >= COALESCE(
                    (SELECT MAX(start) FROM attachment_chunks WHERE attachment_id = ? AND start <= ?), 0)
                ORDER BY start
                """, arguments: [id.bytes, range.upperBound, id.bytes, range.lowerBound])
            return AttachmentRules.slice(rows.map { ($0["start"], $0["bytes"]) }, to: range)
        }
    }

    public func discardAttachment(_ id: AttachmentID) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM attachments WHERE id = ?", arguments: [id.bytes]) }
    }

    static func attachment(_ db: Database, _ id: AttachmentID, now: Date) throws -> StoredAttachment? {
        guard let row = try Row.fetchOne(db, sql: "SELECT size, received, uploader, expires_at FROM attachments WHERE id = ? AND expires_at > ?",
                                         arguments: [id.bytes, StoredTime.milliseconds(now)])
        else { return nil }
        let uploader: Data? = row["uploader"]
        return StoredAttachment(id: id, size: row["size"], received: row["received"],
                                uploader: try uploader.map(DeviceID.init(stored:)), expiresAt: StoredTime.date(row["expires_at"]))
    }
}
