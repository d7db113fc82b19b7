import Foundation
import IsnadStore
import Logging
import PostgresNIO

extension PostgresRelayStore {
    struct StoredSubmission {
        var digest: Data
        var acceptedAt: Int64
        var recipientCount: Int
        var epoch: Int64?
    }

    public func enqueue(_ submission: Submission, now: Date) async throws -> SubmissionReceipt {
        let digest = submission.digest()
        let replay: @Sendable (StoredSubmission) throws -> SubmissionReceipt = { stored in
            guard stored.digest == digest else {
                throw StoreError(.messageIDReused, "This message ID was already used for a different submission.")
            }
            return SubmissionReceipt(messageID: submission.id, acceptedAt: StoredTime.date(stored.acceptedAt),
                                     recipientCount: stored.recipientCount, isReplay: true)
        }
        do {
            return try await transaction { connection, logger in
                if let stored = try await Self.storedSubmission(connection, logger, id: submission.id) {
                    return try replay(stored)
                }
                try await Self.insert(connection, logger, submission, digest: digest, epoch: nil, now: now)
                return SubmissionReceipt(messageID: submission.id, acceptedAt: StoredTime.truncated(now),
                                         recipientCount: submission.recipientCount, isReplay: false)
            }
        } catch let error as StoreError where error.code == .conflict {
            // A concurrent retry of the same submission committed first: answer as a replay.
            let stored = try await transaction { connection, logger in
                try await Self.storedSubmission(connection, logger, id: submission.id)
            }
            guard let stored else { throw error }
            return try replay(stored)
        }
    }

    public func messages(for device: DeviceID, after cursor: Int64, limit: Int, now: Date) async throws -> [MailboxMessage] {
        try await rows("""
            SELECT \(unescaped: MailboxMessage.columns) FROM messages
            WHERE device_id = \(device.uuid) AND cursor > \(cursor) AND expires_at > \(StoredTime.milliseconds(now))
            ORDER BY cursor LIMIT \(max(0, limit))
            """).map(MailboxMessage.init(row:))
    }

    public func acknowledge(_ cursors: [Int64], for device: DeviceID) async throws -> Int {
        try await rows("DELETE FROM messages WHERE device_id = \(device.uuid) AND cursor = ANY(\(Array(Set(cursors)))) RETURNING 1").count
    }

    public func removeExpired(now: Date) async throws -> ExpiryReport {
        let now = StoredTime.milliseconds(now)
        return try await transaction { connection, logger in
            var report = ExpiryReport()
            report.messages = try await connection.rows("DELETE FROM messages WHERE expires_at <= \(now) RETURNING 1", logger: logger).count
            report.submissions = try await connection.rows("DELETE FROM submissions WHERE expires_at <= \(now) RETURNING 1", logger: logger).count
            report.credentials = try await connection.rows("DELETE FROM challenges WHERE expires_at <= \(now) RETURNING 1", logger: logger).count
            report.credentials += try await connection.rows("DELETE FROM tokens WHERE expires_at <= \(now) RETURNING 1", logger: logger).count
            report.attachments = try await connection.rows("DELETE FROM attachments WHERE expires_at <= \(now) RETURNING 1", logger: logger).count
            return report
        }
    }

    static func storedSubmission(_ connection: PostgresConnection, _ logger: Logger, id: MessageID) async throws -> StoredSubmission? {
        guard let row = try await connection.rows("""
            SELECT digest, accepted_at, recipient_count, epoch FROM submissions WHERE message_id = \(id.uuid)
            """, logger: logger).first
        else { return nil }
        let (digest, acceptedAt, recipientCount, epoch) = try row.decode((Data, Int64, Int32, Int64?).self)
        return StoredSubmission(digest: digest, acceptedAt: acceptedAt, recipientCount: Int(recipientCount), epoch: epoch)
    }

    /// Stores a new submission in every recipient's mailbox, inside the caller's transaction.
    static func insert(
        _ connection: PostgresConnection, _ logger: Logger, _ submission: Submission, digest: Data, epoch: Int64?, now: Date
    ) async throws {
        let receivedAt = StoredTime.milliseconds(now)
        let expiresAt = StoredTime.milliseconds(submission.expiresAt)
        // Lock every recipient's device row in one statement, in ID order, so concurrent
        // submissions cannot deadlock; the lock also makes each device's cursors follow commit
        // order, so a reader fetching after a cursor never skips a later-committed message.
        let recipients = Array(Set(submission.deliveries.flatMap(\.recipients).map(\.uuid)))
        let locked = try await connection.rows(
            "SELECT id FROM devices WHERE id = ANY(\(recipients)) ORDER BY id FOR UPDATE", logger: logger)
        guard locked.count == recipients.count else {
            throw StoreError(.unknownDevice, "A recipient device does not exist.")
        }
        for delivery in submission.deliveries {
            for recipient in Set(delivery.recipients).sorted() {
                let cursor = try await connection.rows("""
                    UPDATE devices SET last_cursor = last_cursor + 1 WHERE id = \(recipient.uuid) RETURNING last_cursor
                    """, logger: logger).first?.decode(Int64.self)
                guard let cursor else { throw StoreError(.unknownDevice, "A recipient device does not exist.") }
                try await connection.query("""
                    INSERT INTO messages (device_id, cursor, message_id, payload, received_at, expires_at)
                    VALUES (\(recipient.uuid), \(cursor), \(submission.id.uuid), \(delivery.payload), \(receivedAt), \(expiresAt))
                    """, logger: logger)
            }
        }
        try await notifyMailboxes(submission.deliveries.flatMap(\.recipients), on: connection, logger: logger)
        try await connection.query("""
            INSERT INTO submissions (message_id, digest, accepted_at, recipient_count, epoch, expires_at)
            VALUES (\(submission.id.uuid), \(digest), \(receivedAt), \(Int32(clamping: submission.recipientCount)), \(epoch), \(expiresAt))
            """, logger: logger)
    }
}
