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

    /// Stored through ``SubmissionBatcher``: submissions that arrive together share one
    /// transaction (a fixed number of round trips and one NOTIFY per batch, whatever its size).
    public func enqueue(_ submission: Submission, now: Date) async throws -> SubmissionReceipt {
        try await batcher.submit(submission, digest: submission.digest(), now: now) { [self] batch in
            await store(batch)
        }
    }

    /// One transaction for a batch. A refused submission (unknown recipient, reused ID) is
    /// decided before anything is written, so it stores nothing and leaves the others stored.
    /// A batch that PostgreSQL aborts as a deadlock or serialization failure is tried once more
    /// (safe: a submission stored by the first try is recognised as a replay).
    func store(_ batch: [SubmissionBatcher.Pending]) async -> [UInt64: Result<SubmissionReceipt, StoreError>] {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction { connection, logger in
                    try await Self.store(batch, on: connection, logger: logger)
                }
            } catch {
                let failure = Self.storeError(error)
                if attempt < 2, Self.isTransient(error) { continue }
                return Dictionary(uniqueKeysWithValues: batch.map { ($0.ticket, .failure(failure)) })
            }
        }
    }

    /// Stores a batch inside the caller's transaction, in two statements whatever its size:
    /// one locks the recipients and reads the IDs already stored; the other inserts the new
    /// submissions' records and copies, bumps the cursors and queues one NOTIFY (``insert(_:epoch:_:_:)``).
    static func store(
        _ batch: [SubmissionBatcher.Pending], on connection: PostgresConnection, logger: Logger
    ) async throws -> [UInt64: Result<SubmissionReceipt, StoreError>] {
        var results: [UInt64: Result<SubmissionReceipt, StoreError>] = [:]
        let (existing, stored) = try await lockDevices(
            Set(batch.flatMap { $0.submission.deliveries.flatMap(\.recipients) }), readingSubmissions: batch.map(\.submission.id), connection, logger)
        var fresh: [SubmissionBatcher.Pending] = [], freshIDs = Set<MessageID>(), again: [SubmissionBatcher.Pending] = []
        for pending in batch {
            let submission = pending.submission
            if let record = stored[submission.id] {
                results[pending.ticket] = Result { () throws(StoreError) in try record.receipt(for: submission, digest: pending.digest) }
            } else if freshIDs.contains(submission.id) {
                again.append(pending) // The same ID earlier in this batch: answered once that is written.
            } else if !submission.deliveries.allSatisfy({ $0.recipients.allSatisfy(existing.contains) }) {
                results[pending.ticket] = .failure(StoreError(.unknownDevice, "A recipient device does not exist."))
            } else {
                fresh.append(pending)
                freshIDs.insert(submission.id)
            }
        }
        let inserted = try await insert(fresh.map { ($0.submission, $0.digest, $0.now) }, epoch: nil, connection, logger)
        for pending in fresh {
            guard let copies = inserted[pending.submission.id] else { continue }
            results[pending.ticket] = .success(SubmissionReceipt(storing: pending.submission, at: pending.now, copies: copies))
        }
        // Retries within the batch, and IDs another relay committed while this batch waited:
        // answered from the record now stored.
        again += fresh.filter { inserted[$0.submission.id] == nil }
        if !again.isEmpty {
            let records = try await storedSubmissions(connection, logger, ids: again.map(\.submission.id))
            for pending in again {
                results[pending.ticket] = Result { () throws(StoreError) in
                    guard let record = records[pending.submission.id] else {
                        throw StoreError(.unavailable, "A concurrent submission with this message ID was rolled back; retry.")
                    }
                    return try record.receipt(for: pending.submission, digest: pending.digest)
                }
            }
        }
        return results
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
        defer { tokens.sweep(now: now) }
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

    /// The idempotence records of these message IDs that exist.
    static func storedSubmissions(_ connection: PostgresConnection, _ logger: Logger, ids: [MessageID]) async throws -> [MessageID: StoredSubmission] {
        try await lockDevices([], readingSubmissions: ids, connection, logger).submissions
    }

    static func storedSubmission(_ connection: PostgresConnection, _ logger: Logger, id: MessageID) async throws -> StoredSubmission? {
        try await storedSubmissions(connection, logger, ids: [id])[id]
    }

    /// Locks these devices' rows until the transaction ends, in ID order (so concurrent writers
    /// cannot deadlock), and reads the idempotence records of `submissions`, in one statement;
    /// returns the devices that exist and the records found. The lock also makes each device's
    /// cursors follow commit order, so a reader fetching after a cursor never skips a
    /// later-committed message. (The records are read in the statement's snapshot, taken before
    /// any wait for a lock: one committed meanwhile by another relay is caught by the insert.)
    static func lockDevices(
        _ devices: Set<DeviceID>, readingSubmissions submissions: [MessageID] = [], _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> (devices: Set<DeviceID>, submissions: [MessageID: StoredSubmission]) {
        var existing = Set<DeviceID>(), records: [MessageID: StoredSubmission] = [:]
        for row in try await connection.rows("""
            WITH locked AS MATERIALIZED (SELECT id FROM devices WHERE id = ANY(\(devices.map(\.uuid))) ORDER BY id FOR UPDATE)
            SELECT id, NULL::bytea, NULL::bigint, NULL::integer, NULL::bigint FROM locked
            UNION ALL
            SELECT message_id, digest, accepted_at, recipient_count, epoch FROM submissions WHERE message_id = ANY(\(Array(Set(submissions.map(\.uuid)))))
            """, logger: logger) {
            let (id, digest, acceptedAt, recipientCount, epoch) = try row.decode((UUID, Data?, Int64?, Int32?, Int64?).self)
            if let digest, let acceptedAt, let recipientCount {
                records[MessageID(id)] = StoredSubmission(digest: digest, acceptedAt: acceptedAt, recipientCount: Int(recipientCount), epoch: epoch)
            } else {
                existing.insert(DeviceID(id))
            }
        }
        return (existing, records)
    }

    /// Stores one new submission in every recipient's mailbox, inside the caller's transaction;
    /// returns the copies it stored (``SubmissionReceipt/copies``).
    /// - Throws: ``StoreError/Code/unknownDevice`` if a recipient does not exist;
    ///   ``StoreError/Code/conflict`` if its message ID is already stored.
    static func insert(
        _ connection: PostgresConnection, _ logger: Logger, _ submission: Submission, digest: Data, epoch: Int64?, now: Date
    ) async throws -> [SubmissionReceipt.Copy] {
        let recipients = Set(submission.deliveries.flatMap(\.recipients))
        guard try await lockDevices(recipients, connection, logger).devices.count == recipients.count else {
            throw StoreError(.unknownDevice, "A recipient device does not exist.")
        }
        guard let copies = try await insert([(submission, digest, now)], epoch: epoch, connection, logger)[submission.id] else {
            throw StoreError(.conflict, "A concurrent request stored the same message ID first.")
        }
        return copies
    }

    /// Inserts new submissions (distinct IDs, recipients existing and locked by the caller) in
    /// one statement: their idempotence records; for those inserted, a copy in every
    /// recipient's mailbox, each device's counter bumped once by its number of copies and the
    /// range handed out in submission order; and one NOTIFY for all recipients. Returns the IDs
    /// inserted, each with the copies it stored; an ID another transaction stored first is
    /// skipped and stores nothing.
    static func insert(
        _ entries: [(submission: Submission, digest: Data, now: Date)], epoch: Int64?,
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [MessageID: [SubmissionReceipt.Copy]] {
        guard !entries.isEmpty else { return [:] }
        // Each payload is sent once; one mailbox copy per delivery and distinct recipient, in
        // submission order, names its payload by number (1-based, as WITH ORDINALITY counts).
        var payloads: [ByteBuffer] = []
        var copies: [(device: DeviceID, entry: Int, payload: Int, delivery: Int)] = []
        for (index, entry) in entries.enumerated() {
            for (number, delivery) in entry.submission.deliveries.enumerated() {
                payloads.append(ByteBuffer(bytes: delivery.payload))
                copies += delivery.mailboxes.map { ($0, index, payloads.count, number) }
            }
        }
        // Each device keeps its newest `capacity` messages (its cursors are consecutive). The
        // DELETE sees only the rows from before this statement, so the INSERT leaves out this
        // batch's own copies that are already too old: a batch that alone brings a device more
        // than `capacity` copies stores its newest `capacity` (their cursors still counted, as
        // SQLite's insert-then-trim leaves them).
        let capacity = entries.compactMap(\.submission.mailboxCapacity).min().map { Int64(max(1, $0)) }
        let rows = try await connection.rows("""
            WITH new AS (
                INSERT INTO submissions (message_id, digest, accepted_at, recipient_count, epoch, expires_at)
                SELECT id, digest, accepted_at, recipient_count, \(epoch)::bigint, expires_at
                FROM unnest(\(entries.map(\.submission.id.uuid))::uuid[], \(entries.map { ByteBuffer(bytes: $0.digest) })::bytea[],
                            \(entries.map { StoredTime.milliseconds($0.now) })::bigint[],
                            \(entries.map { Int32(clamping: $0.submission.recipientCount) })::integer[],
                            \(entries.map { StoredTime.milliseconds($0.submission.expiresAt) })::bigint[])
                    AS new (id, digest, accepted_at, recipient_count, expires_at)
                ON CONFLICT (message_id) DO NOTHING RETURNING message_id
            ), payloads AS (
                SELECT * FROM unnest(\(payloads)::bytea[]) WITH ORDINALITY AS payload (bytes, number)
            ), copies AS (
                SELECT copy.*, row_number() OVER (PARTITION BY copy.device_id ORDER BY copy.ordinal) AS rank
                FROM unnest(\(copies.map(\.device.uuid))::uuid[], \(copies.map { entries[$0.entry].submission.id.uuid })::uuid[],
                            \(copies.map { Int64($0.payload) })::bigint[],
                            \(copies.map { StoredTime.milliseconds(entries[$0.entry].now) })::bigint[],
                            \(copies.map { StoredTime.milliseconds(entries[$0.entry].submission.expiresAt) })::bigint[]) WITH ORDINALITY
                    AS copy (device_id, message_id, payload, received_at, expires_at, ordinal)
                WHERE copy.message_id IN (SELECT message_id FROM new)
            ), bumped AS (
                UPDATE devices SET last_cursor = devices.last_cursor + added.count
                FROM (SELECT device_id, count(*) AS count FROM copies GROUP BY device_id) AS added
                WHERE devices.id = added.device_id
                RETURNING devices.id, devices.last_cursor - added.count AS base, devices.last_cursor AS last
            ), trimmed AS (
                -- Found in each device's key range, then deleted by row address. As a join of
                -- messages with bumped, or without the ORDER BY and LIMIT, PostgreSQL may plan a
                -- scan of the whole table (it cannot know how few rows the range holds): tens of
                -- milliseconds a batch once one mailbox is large. A LIMIT that is not a constant
                -- counts as a tenth of the rows, so the ordered walk of the key is the cheaper
                -- plan; `last` (every cursor the device was given) never cuts the range short.
                DELETE FROM messages
                WHERE \(capacity)::bigint IS NOT NULL AND ctid = ANY (ARRAY(
                    SELECT old.ctid FROM bumped CROSS JOIN LATERAL (
                        SELECT ctid FROM messages WHERE device_id = bumped.id AND cursor <= bumped.last - \(capacity)::bigint
                        ORDER BY cursor LIMIT bumped.last
                    ) AS old
                ))
            ), stored AS (
                INSERT INTO messages (device_id, cursor, message_id, payload, received_at, expires_at)
                SELECT copies.device_id, bumped.base + copies.rank, copies.message_id, payloads.bytes, copies.received_at, copies.expires_at
                FROM copies JOIN bumped ON bumped.id = copies.device_id JOIN payloads ON payloads.number = copies.payload
                WHERE \(capacity)::bigint IS NULL OR bumped.base + copies.rank > bumped.last - \(capacity)::bigint
            ), notified AS (
                \(unescaped: notifyBumped)
            )
            SELECT message_id, NULL::uuid, NULL::bigint FROM new WHERE (SELECT count(*) FROM notified) >= 0
            UNION ALL
            SELECT NULL::uuid, id, base FROM bumped
            """, logger: logger)
        var inserted: [MessageID: [SubmissionReceipt.Copy]] = [:]
        var bases: [DeviceID: Int64] = [:]
        for row in rows {
            let (id, device, base) = try row.decode((UUID?, UUID?, Int64?).self)
            if let id { inserted[MessageID(id)] = [] }
            if let device, let base { bases[DeviceID(device)] = base }
        }
        // The cursors the statement handed out: each device's range, in the order of `copies`
        // (the statement's rank), a copy the trim left out included (as in the other engines,
        // whose trim deletes it after the insert; ``SubmissionReceipt/copies``).
        var rank: [DeviceID: Int64] = [:]
        for copy in copies {
            let id = entries[copy.entry].submission.id
            guard inserted[id] != nil, let base = bases[copy.device] else { continue }
            rank[copy.device, default: 0] += 1
            inserted[id]?.append(SubmissionReceipt.Copy(device: copy.device, cursor: base + rank[copy.device, default: 0], delivery: copy.delivery))
        }
        return inserted
    }
}

extension PostgresRelayStore.StoredSubmission {
    /// The answer to a submission whose ID this record already holds: its original receipt if
    /// it is the same submission, else ``StoreError/Code/messageIDReused``.
    func receipt(for submission: Submission, digest: Data) throws(StoreError) -> SubmissionReceipt {
        guard self.digest == digest else {
            throw StoreError(.messageIDReused, "This message ID was already used for a different submission.")
        }
        return SubmissionReceipt(messageID: submission.id, acceptedAt: StoredTime.date(acceptedAt),
                                 recipientCount: recipientCount, isReplay: true)
    }
}
