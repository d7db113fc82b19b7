import Foundation
import IsnadStore
import Logging
import PostgresNIO

extension PostgresRelayStore {
    public func beginAttachment(_ id: AttachmentID, size: Int64, uploader: DeviceID, expiresAt: Date, now: Date) async throws -> (attachment: StoredAttachment, isNew: Bool) {
        guard size >= 1 else { throw StoreError(.invalidArgument, "An attachment holds at least one byte.") }
        do {
            return try await transaction { connection, logger in
                if let existing = try await Self.attachment(connection, logger, id, now: now, lock: false) { return (existing, false) }
                guard try await !connection.rows("SELECT 1 FROM devices WHERE id = \(uploader.uuid)", logger: logger).isEmpty else {
                    throw StoreError(.unknownDevice, "The device does not exist.")
                }
                // An expired one with this ID (not yet swept) is replaced; its chunks go with it.
                try await connection.query("DELETE FROM attachments WHERE id = \(id.bytes)", logger: logger)
                try await connection.query("""
                    INSERT INTO attachments (id, size, received, uploader, expires_at)
                    VALUES (\(id.bytes), \(size), 0, \(uploader.uuid), \(StoredTime.milliseconds(expiresAt)))
                    """, logger: logger)
                return (StoredAttachment(id: id, size: size, received: 0, uploader: uploader, expiresAt: StoredTime.truncated(expiresAt)), true)
            }
        } catch let error as StoreError where error.code == .conflict {
            // Another process began the same ID first: answer with its record.
            guard let existing = try await attachment(id, now: now) else { throw error }
            return (existing, false)
        }
    }

    public func attachment(_ id: AttachmentID, now: Date) async throws -> StoredAttachment? {
        try await transaction { connection, logger in
            try await Self.attachment(connection, logger, id, now: now, lock: false)
        }
    }

    public func appendAttachmentChunk(
        _ id: AttachmentID, at offset: Int64, _ bytes: Data, uploader: DeviceID, completedExpiresAt: Date, now: Date
    ) async throws -> StoredAttachment {
        try await transaction { connection, logger in
            // The row lock orders concurrent appends, across processes too.
            guard var record = try await Self.attachment(connection, logger, id, now: now, lock: true) else {
                throw StoreError(.unknownAttachment, "No attachment has this ID.")
            }
            try AttachmentRules.checkAppend(to: record, at: offset, count: bytes.count, uploader: uploader)
            try await connection.query("""
                INSERT INTO attachment_chunks (attachment_id, start, bytes) VALUES (\(id.bytes), \(offset), \(bytes))
                """, logger: logger)
            record.received += Int64(bytes.count)
            if record.isComplete {
                record.uploader = nil
                record.expiresAt = StoredTime.truncated(completedExpiresAt)
            }
            try await connection.query("""
                UPDATE attachments SET received = \(record.received), uploader = \(record.uploader?.uuid),
                    expires_at = \(StoredTime.milliseconds(record.expiresAt))
                WHERE id = \(id.bytes)
                """, logger: logger)
            return record
        }
    }

    public func attachmentBytes(_ id: AttachmentID, in range: Range<Int64>) async throws -> Data {
        // The chunk holding `range.lowerBound` starts at or before it; every later one up to the upper bound.
        let rows = try await rows("""
            SELECT start, bytes FROM attachment_chunks
            WHERE attachment_id = \(id.bytes) AND start < \(range.upperBound) AND start >= COALESCE(
                (SELECT MAX(start) FROM attachment_chunks WHERE attachment_id = \(id.bytes) AND start <= \(range.lowerBound)), 0)
            ORDER BY start
            """)
        return AttachmentRules.slice(try rows.map { try $0.decode((Int64, Data).self) }, to: range)
    }

    public func discardAttachment(_ id: AttachmentID) async throws {
        _ = try await rows("DELETE FROM attachments WHERE id = \(id.bytes)")
    }

    static func attachment(_ connection: PostgresConnection, _ logger: Logger, _ id: AttachmentID, now: Date, lock: Bool) async throws -> StoredAttachment? {
        guard let row = try await connection.rows("""
            SELECT size, received, uploader, expires_at FROM attachments
            WHERE id = \(id.bytes) AND expires_at > \(StoredTime.milliseconds(now)) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger).first
        else { return nil }
        let (size, received, uploader, expiresAt) = try row.decode((Int64, Int64, UUID?, Int64).self)
        return StoredAttachment(id: id, size: size, received: received, uploader: uploader.map(DeviceID.init),
                                expiresAt: StoredTime.date(expiresAt))
    }
}
