import Foundation
import IsnadStore
import PostgresNIO

extension PostgresObservatoryStore {
    public func receive(_ id: SubmissionID, sealed: Data, sealedDigest: Data, now: Date) async throws -> ReceiveOutcome {
        do {
            return try await base.transaction { connection, logger in
                let existing = try await connection.rows("SELECT sealed_digest FROM obs_submissions WHERE id = \(id.uuid)", logger: logger)
                if let row = existing.first {
                    guard try row.decode(Data.self) == sealedDigest else {
                        throw StoreError(.conflict, "This submission ID was already used for different bytes.")
                    }
                    return .retried
                }
                let inserted = try await connection.rows("""
                    INSERT INTO obs_submissions (id, sealed, sealed_digest, received_at, state)
                    VALUES (\(id.uuid), \(sealed), \(sealedDigest), \(StoredTime.milliseconds(now)), 'pending')
                    ON CONFLICT (sealed_digest) DO NOTHING RETURNING 1
                    """, logger: logger)
                return inserted.isEmpty ? .replay : .stored
            }
        } catch let error as StoreError where error.code == .conflict && error.underlying != nil {
            // A concurrent insert of the same ID: the retry answers from what it stored.
            return try await receive(id, sealed: sealed, sealedDigest: sealedDigest, now: now)
        }
    }

    public func pendingSubmissions(limit: Int) async throws -> [PendingSubmission] {
        try await base.rows("""
            SELECT id, sealed, received_at FROM obs_submissions WHERE state = 'pending' ORDER BY seq LIMIT \(max(0, limit))
            """).map { row in
            let (id, sealed, receivedAt) = try row.decode((UUID, Data?, Int64).self)
            return PendingSubmission(id: SubmissionID(id), sealed: sealed ?? Data(), receivedAt: StoredTime.date(receivedAt))
        }
    }

    public func reject(_ id: SubmissionID, reason: String, message: String, now: Date) async throws {
        _ = try await base.rows("""
            UPDATE obs_submissions SET state = 'rejected', reason = \(reason), message = \(message), sealed = NULL,
            processed_at = \(StoredTime.milliseconds(now)) WHERE id = \(id.uuid) AND state = 'pending'
            """)
    }

    public func accept(_ report: AcceptedReport, now: Date) async throws -> AcceptOutcome {
        try await base.transaction { connection, logger in
            let id = report.submissionID.uuid
            let time = StoredTime.milliseconds(now)
            let locked = try await connection.rows(
                "SELECT state FROM obs_submissions WHERE id = \(id) FOR UPDATE", logger: logger)
            guard let row = locked.first, try row.decode(String.self) == "pending" else { return .alreadyProcessed }
            // One digest at a time, so two processes cannot both accept the same signed bytes.
            let lockKey = report.digest.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            if try await !connection.rows("SELECT 1 FROM obs_reports WHERE digest = \(report.digest)", logger: logger).isEmpty {
                try await connection.query("""
                    UPDATE obs_submissions SET state = 'rejected', reason = \(ObservatoryStoreContract.duplicateReason),
                    message = \(ObservatoryStoreContract.duplicateMessage), sealed = NULL, processed_at = \(time) WHERE id = \(id)
                    """, logger: logger)
                return .duplicate
            }
            try await connection.query(
                "UPDATE obs_submissions SET state = 'accepted', sealed = NULL, processed_at = \(time) WHERE id = \(id)", logger: logger)
            try await connection.query("""
                INSERT INTO obs_reports (submission_id, digest, signed_report, salt, commitment, reporter_key, accepted_at)
                VALUES (\(id), \(report.digest), \(report.signedReport), \(report.salt), \(report.commitment), \(report.reporterKey), \(time))
                """, logger: logger)
            return .accepted
        }
    }

    public func status(_ id: SubmissionID) async throws -> SubmissionStatus? {
        guard let row = try await base.rows("""
            SELECT state, reason, message, log_index, receipt, received_at FROM obs_submissions WHERE id = \(id.uuid)
            """).first else { return nil }
        let (state, reason, message, logIndex, receipt, receivedAt) = try row.decode((String, String?, String?, Int64?, Data?, Int64).self)
        let report = try await base.rows("""
            SELECT submission_id, signed_report, digest, salt, commitment, reporter_key FROM obs_reports WHERE submission_id = \(id.uuid)
            """).first.map { row in
            let (submission, signed, digest, salt, commitment, key) = try row.decode((UUID, Data, Data, Data, Data, Data).self)
            return AcceptedReport(submissionID: SubmissionID(submission), signedReport: signed, digest: digest, salt: salt, commitment: commitment, reporterKey: key)
        }
        let decoded: SubmissionState
        switch state {
        case "pending": decoded = .pending
        case "rejected": decoded = .rejected(reason: reason ?? "", message: message ?? "")
        case "accepted": decoded = .accepted
        case "logged":
            guard let logIndex, logIndex >= 0 else { throw StoreError(.internal, "A logged submission has no index.") }
            decoded = .logged(index: UInt64(logIndex), receipt: receipt ?? Data())
        default: throw StoreError(.internal, "A stored submission has an unknown state.")
        }
        return SubmissionStatus(id: id, state: decoded, receivedAt: StoredTime.date(receivedAt), report: report)
    }

    public func unloggedReports(limit: Int) async throws -> [UnloggedReport] {
        try await base.rows("""
            SELECT submission_id, commitment, salt, signed_report FROM obs_reports WHERE log_index IS NULL ORDER BY seq LIMIT \(max(0, limit))
            """).map { row in
            let (id, commitment, salt, signed) = try row.decode((UUID, Data, Data, Data).self)
            return UnloggedReport(submissionID: SubmissionID(id), commitment: commitment, salt: salt, signedReport: signed)
        }
    }

    public func appendLog(_ batch: LogBatch) async throws {
        try await base.transaction { connection, logger in
            // One appender at a time across processes.
            try await connection.query("SELECT pg_advisory_xact_lock(7420942003)", logger: logger)
            let size = try await connection.rows("SELECT COALESCE(MAX(log_index) + 1, 0) FROM obs_log_entries", logger: logger)
                .first?.decode(Int64.self) ?? 0
            guard UInt64(size) == batch.firstIndex else {
                throw StoreError(.conflict, "The log grew since this batch was prepared; prepare it again.")
            }
            for (offset, entry) in batch.entries.enumerated() {
                let index = try StoredTime.epoch(batch.firstIndex + UInt64(offset))
                let id = entry.submissionID.uuid
                let updated = try await connection.rows("""
                    UPDATE obs_submissions SET state = 'logged', log_index = \(index), receipt = \(entry.receipt)
                    WHERE id = \(id) AND state = 'accepted' RETURNING 1
                    """, logger: logger)
                guard updated.count == 1 else { throw StoreError(.invalidArgument, "A batch entry is not an accepted, unlogged report.") }
                try await connection.query("UPDATE obs_reports SET log_index = \(index) WHERE submission_id = \(id)", logger: logger)
                try await connection.query(
                    "INSERT INTO obs_log_entries (log_index, submission_id, entry) VALUES (\(index), \(id), \(entry.commitment))", logger: logger)
            }
            for (offset, snapshot) in batch.snapshots.enumerated() {
                let index = try StoredTime.epoch(batch.firstIndex + UInt64(batch.entries.count + offset))
                let updated = try await connection.rows("""
                    UPDATE obs_snapshots SET log_index = \(index) WHERE sequence = \(try StoredTime.epoch(snapshot.sequence)) AND log_index IS NULL
                    RETURNING 1
                    """, logger: logger)
                guard updated.count == 1 else { throw StoreError(.invalidArgument, "A batch snapshot is not a stored, unlogged snapshot.") }
                try await connection.query(
                    "INSERT INTO obs_log_entries (log_index, submission_id, entry) VALUES (\(index), NULL, \(snapshot.entry))", logger: logger)
            }
            for tile in batch.tiles {
                try await connection.query("""
                    INSERT INTO obs_log_tiles (level, tile_index, width, data) VALUES (\(tile.level), \(try StoredTime.epoch(tile.index)), \(tile.width), \(tile.data))
                    ON CONFLICT (level, tile_index) DO UPDATE SET width = excluded.width, data = excluded.data WHERE excluded.width > obs_log_tiles.width
                    """, logger: logger)
            }
            try await connection.query("""
                INSERT INTO obs_checkpoints (tree_size, note) VALUES (\(try StoredTime.epoch(batch.checkpoint.treeSize)), \(batch.checkpoint.note))
                ON CONFLICT (tree_size) DO UPDATE SET note = excluded.note
                """, logger: logger)
        }
    }

    public func logSize() async throws -> UInt64 {
        let size = try await base.rows("SELECT COALESCE(MAX(log_index) + 1, 0) FROM obs_log_entries").first?.decode(Int64.self) ?? 0
        return UInt64(max(0, size))
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await base.rows("SELECT tree_size, note FROM obs_checkpoints ORDER BY tree_size DESC LIMIT 1").first.map { row in
            let (size, note) = try row.decode((Int64, Data).self)
            return StoredCheckpoint(treeSize: UInt64(max(0, size)), note: note)
        }
    }

    public func tile(level: Int, index: UInt64) async throws -> StoredTile? {
        guard index < UInt64(Int64.max) else { return nil }
        return try await base.rows("SELECT width, data FROM obs_log_tiles WHERE level = \(level) AND tile_index = \(Int64(index))").first.map { row in
            let (width, data) = try row.decode((Int, Data).self)
            return StoredTile(level: level, index: index, width: width, data: data)
        }
    }

    public func logEntries(from start: UInt64, count: Int) async throws -> [Data] {
        guard start < UInt64(Int64.max) else { return [] }
        return try await base.rows("""
            SELECT entry FROM obs_log_entries WHERE log_index >= \(Int64(start)) ORDER BY log_index LIMIT \(max(0, count))
            """).map { try $0.decode(Data.self) }
    }

    public func loggedReports(from start: UInt64, limit: Int) async throws -> [LoggedReport] {
        guard start < UInt64(Int64.max) else { return [] }
        return try await base.rows("""
            SELECT e.log_index, e.submission_id, e.entry, r.signed_report, r.salt
            FROM obs_log_entries e JOIN obs_reports r ON r.submission_id = e.submission_id
            WHERE e.log_index >= \(Int64(start)) ORDER BY e.log_index LIMIT \(max(0, limit))
            """).map { row in
            let (index, id, entry, signed, salt) = try row.decode((Int64, UUID, Data, Data, Data).self)
            return LoggedReport(index: UInt64(max(0, index)), submissionID: SubmissionID(id), entry: entry, signedReport: signed, salt: salt)
        }
    }
}
