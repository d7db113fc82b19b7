import Foundation
import GRDB
import IsnadStore

extension SQLiteRelayStore {
    struct StoredSubmission {
        var digest: Data
        var acceptedAt: Int64
        var recipientCount: Int
        var epoch: Int64?
    }

    /// Group commit on the writer's own queue (``SubmissionQueue``): submissions that arrive while
    /// a transaction is being written are stored together in the next one, started on the same
    /// thread as soon as the previous one committed. Each caller is answered after the commit
    /// that holds its submission: exactly once, since the drain answers every submission of every
    /// batch it takes (with a failure if it found no answer), which is why the continuation need
    /// not be a checked one (that costs an allocation per message).
    public func enqueue(_ submission: Submission, now: Date) async throws -> SubmissionReceipt {
        let digest = submission.digest()
        return try await withUnsafeThrowingContinuation { continuation in
            if submissions.add(submission, digest: digest, now: now, answer: continuation) { scheduleDrain() }
        }
    }

    /// Drains the queue on the writer: at most 16 batches in a row, then it yields the writer to
    /// other writes (acknowledgements, sign-ins) queued meanwhile and carries on after them.
    /// Between batches, the log is started over when the checkpointer asks.
    private func scheduleDrain() {
        pool.asyncWriteWithoutTransaction { [self] db in
            for _ in 0..<16 {
                checkpointer.restartIfRequested(db)
                guard let batch = submissions.takeBatch() else { return }
                let results = Self.store(db, batch.map(\.pending), index: submissionRows, keys: expiryKeys)
                for waiting in batch {
                    waiting.answer.resume(with: results[waiting.pending.ticket] ?? .failure(StoreError(.internal, "A submission was left without an answer.")))
                }
            }
            scheduleDrain()
        }
    }

    /// One batch stored directly, in one transaction (tests use it to check a batch's answers).
    func store(_ batch: [SubmissionBatcher.Pending]) async -> [UInt64: Result<SubmissionReceipt, StoreError>] {
        do {
            return try await pool.writeWithoutTransaction { [submissionRows, expiryKeys] db in Self.store(db, batch, index: submissionRows, keys: expiryKeys) }
        } catch {
            let failure = DatabasePool.storeError(error)
            return Dictionary(uniqueKeysWithValues: batch.map { ($0.ticket, .failure(failure)) })
        }
    }

    /// One write transaction for a batch. Every submission is checked before anything of it is
    /// written (``enqueue(_:_:digest:now:index:cursors:)``), so one refused (unknown recipient, reused ID) stores
    /// nothing and leaves the others stored, without a savepoint per submission. If the transaction
    /// itself fails, every submission of the batch gets that failure.
    static func store(_ db: Database, _ batch: [SubmissionBatcher.Pending], index: SubmissionIndex,
                      keys: ExpiryKeys) -> [UInt64: Result<SubmissionReceipt, StoreError>] {
        var results: [UInt64: Result<SubmissionReceipt, StoreError>] = [:]
        do {
            try db.inTransaction {
                var cursors = MailboxCursors()
                let statements = try MailboxStatements(db, keys: keys)
                for pending in batch {
                    do {
                        results[pending.ticket] = .success(try enqueue(db, pending.submission, digest: pending.digest, now: pending.now,
                                                                       index: index, cursors: &cursors, statements: statements))
                    } catch let refusal as Refusal {
                        results[pending.ticket] = .failure(refusal.error)
                    }
                }
                return .commit
            }
            return results
        } catch {
            let failure = DatabasePool.storeError(error)
            return Dictionary(uniqueKeysWithValues: batch.map { ($0.ticket, .failure(failure)) })
        }
    }

    /// A submission refused before anything of it was written: the batch's transaction goes on.
    /// Any other error leaves the transaction in an unknown state, so it fails the whole batch.
    struct Refusal: Error {
        let error: StoreError
    }

    /// Stores one submission (or recognises a retry) inside the caller's transaction. A refusal
    /// (``Refusal``) is thrown before anything is written.
    static func enqueue(_ db: Database, _ submission: Submission, digest: Data, now: Date, index: SubmissionIndex,
                        cursors: inout MailboxCursors, statements: MailboxStatements) throws -> SubmissionReceipt {
        if let stored = try storedSubmission(db, id: submission.id, index: index) {
            guard stored.digest == digest else {
                throw Refusal(error: StoreError(.messageIDReused, "This message ID was already used for a different submission."))
            }
            return SubmissionReceipt(messageID: submission.id, acceptedAt: StoredTime.date(stored.acceptedAt),
                                     recipientCount: stored.recipientCount, isReplay: true)
        }
        let copies = try insert(db, submission, digest: digest, epoch: nil, now: now, index: index, cursors: &cursors, statements: statements)
        return SubmissionReceipt(storing: submission, at: now, copies: copies)
    }

    public func messages(for device: DeviceID, after cursor: Int64, limit: Int, now: Date) async throws -> [MailboxMessage] {
        try await readOneStatement { db in
            try MailboxStatements.page(db, device: device, after: cursor, now: StoredTime.milliseconds(now), limit: limit)
        }
    }

    public func acknowledge(_ cursors: [Int64], for device: DeviceID) async throws -> Int {
        try await write { db in
            var deleted = 0
            var newestDeleted: Int64?
            let delete = try db.cachedStatement(sql: "DELETE FROM messages WHERE device_id = ? AND cursor = ?")
            for cursor in Set(cursors) {
                try delete.execute(arguments: [device.uuid.bytes, cursor])
                if db.changesCount > 0 {
                    deleted += db.changesCount
                    newestDeleted = max(newestDeleted ?? cursor, cursor)
                }
            }
            if let newestDeleted { try MailboxCursors.keep(db, newestDeleted, of: device) }
            return deleted
        }
    }

    public func removeExpired(now: Date) async throws -> ExpiryReport {
        defer { tokens.sweep(now: StoredTime.milliseconds(now)) }
        return try await write { [submissionRows] db in
            let now = StoredTime.milliseconds(now)
            var report = ExpiryReport()
            // Messages and submissions are keyed by expiry (ExpiryKeys): a range of each table's
            // own b-tree. The comparison with `expires_at` only guards against a wrongly keyed row.
            let bound = ExpiryKeys.sweepBound(now: now)
            try MailboxCursors.keepExpiring(db, below: bound, now: now)
            try db.execute(sql: "DELETE FROM messages WHERE id < ? AND expires_at <= ?", arguments: [bound, now])
            report.messages = db.changesCount
            let expired = try Data.fetchAll(db, sql: "DELETE FROM submissions WHERE id < ? AND expires_at <= ? RETURNING message_id",
                                            arguments: [bound, now])
            report.submissions = expired.count
            submissionRows.forget(expired.compactMap { UUID(bytes: $0).map(MessageID.init) })
            try db.execute(sql: "DELETE FROM challenges WHERE expires_at <= ?", arguments: [now])
            report.credentials = db.changesCount
            try db.execute(sql: "DELETE FROM tokens WHERE expires_at <= ?", arguments: [now])
            report.credentials += db.changesCount
            try db.execute(sql: "DELETE FROM attachments WHERE expires_at <= ?", arguments: [now])
            report.attachments = db.changesCount
            return report
        }
    }

    /// The submission stored under `id`, found through the in-memory index (``SubmissionIndex``).
    static func storedSubmission(_ db: Database, id: MessageID, index: SubmissionIndex) throws -> StoredSubmission? {
        guard let rowID = index.row(of: id) else { return nil }
        return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM submissions WHERE id = ? AND message_id = ?"), arguments: [rowID, id.uuid.bytes]).map { row in
            StoredSubmission(digest: row["digest"], acceptedAt: row["accepted_at"], recipientCount: row["recipient_count"], epoch: row["epoch"])
        }
    }

    /// Stores a new submission in every recipient's mailbox, inside the caller's transaction.
    /// An unknown recipient is a ``Refusal``, thrown before any write: every recipient is found
    /// (its counter read, once per transaction) before any cursor is taken. Returns the copies stored.
    @discardableResult
    static func insert(_ db: Database, _ submission: Submission, digest: Data, epoch: Int64?, now: Date, index: SubmissionIndex,
                       cursors: inout MailboxCursors, statements: MailboxStatements) throws -> [SubmissionReceipt.Copy] {
        let receivedAt = StoredTime.milliseconds(now)
        let expiresAt = StoredTime.milliseconds(submission.expiresAt)
        let mailboxes = submission.deliveries.map(\.mailboxes)
        for recipients in mailboxes {
            for recipient in recipients where try !cursors.find(db, recipient) {
                throw Refusal(error: StoreError(.unknownDevice, "A recipient device does not exist."))
            }
        }
        var copies: [SubmissionReceipt.Copy] = []
        copies.reserveCapacity(mailboxes.reduce(0) { $0 + $1.count })
        for (number, (delivery, recipients)) in zip(submission.deliveries, mailboxes).enumerated() {
            for recipient in recipients {
                let cursor = try cursors.next(for: recipient)
                copies.append(.init(device: recipient, cursor: cursor, delivery: number))
                try statements.insertMessage(db, device: recipient, cursor: cursor, messageID: submission.id, payload: delivery.payload,
                                             receivedAt: receivedAt, expiresAt: expiresAt)
                if let capacity = submission.mailboxCapacity.map({ Int64(max(1, $0)) }), cursor > capacity {
                    // Cursors of one device are consecutive, so this keeps its newest `capacity` messages.
                    try statements.trimMailbox(db, device: recipient, through: cursor - capacity)
                }
            }
        }
        let row = try statements.insertSubmission(db, messageID: submission.id, digest: digest, acceptedAt: receivedAt,
                                                  recipientCount: submission.recipientCount, epoch: epoch, expiresAt: expiresAt)
        index.record(submission.id, row: row)
        return copies
    }
}

/// The mailbox cursors handed out inside one write transaction.
///
/// A device's next cursor is one more than the larger of its `devices.last_cursor` and its newest
/// stored message's cursor, read once per device and transaction (``find(_:_:)``, which also finds
/// whether the device exists) and counted on in memory. The counter is written only when that
/// newest message is deleted (acknowledged or expired: ``keep(_:_:of:)``, ``keepExpiring(_:below:now:)``; trimming a full mailbox
/// never deletes the newest), not by every commit, where it was a page of the log each time
/// (issue 4). So a cursor once handed out is never handed out again.
struct MailboxCursors {
    private var last: [DeviceID: Int64] = [:]

    /// Reads `device`'s last cursor unless this transaction already has it; `false` if there is no
    /// such device.
    mutating func find(_ db: Database, _ device: DeviceID) throws -> Bool {
        guard last[device] == nil else { return true }
        guard let stored = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT max(last_cursor, coalesce((SELECT max(cursor) FROM messages WHERE device_id = devices.id), 0)) FROM devices WHERE id = ?
            """), arguments: [device.uuid.bytes]) else {
            return false
        }
        last[device] = stored
        return true
    }

    /// The next cursor of a device found before (``find(_:_:)``).
    mutating func next(for device: DeviceID) throws -> Int64 {
        guard let cursor = last[device].map({ $0 + 1 }) else {
            throw StoreError(.internal, "A mailbox cursor was asked for a device not looked up first.")
        }
        last[device] = cursor
        return cursor
    }

    /// Records, inside the transaction that deletes them, that `device`'s messages up to `cursor`
    /// were handed out, so that deleting its newest message does not free its cursor.
    static func keep(_ db: Database, _ cursor: Int64, of device: DeviceID) throws {
        try db.cachedStatement(sql: "UPDATE devices SET last_cursor = max(last_cursor, ?) WHERE id = ?")
            .execute(arguments: [cursor, device.uuid.bytes])
    }

    /// The same for every device, before the expiry sweep deletes the messages keyed below `bound`
    /// that expired by `now` (``ExpiryKeys``): each device keeps the newest of its expiring cursors.
    static func keepExpiring(_ db: Database, below bound: Int64, now: Int64) throws {
        try db.execute(sql: """
            UPDATE devices SET last_cursor = max(last_cursor, expiring.newest)
            FROM (SELECT device_id, max(cursor) AS newest FROM messages WHERE id < ? AND expires_at <= ? GROUP BY device_id) AS expiring
            WHERE devices.id = expiring.device_id
            """, arguments: [bound, now])
    }
}
