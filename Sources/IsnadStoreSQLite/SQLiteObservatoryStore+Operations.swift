import Foundation
import GRDB
import IsnadStore

extension SQLiteObservatoryStore {
    public func receive(_ id: SubmissionID, sealed: Data, sealedDigest: Data, now: Date) async throws -> ReceiveOutcome {
        try await write { db in
            if let digest = try Data.fetchOne(db, sql: "SELECT sealed_digest FROM submissions WHERE id = ?", arguments: [id.uuid.bytes]) {
                guard digest == sealedDigest else {
                    throw StoreError(.conflict, "This submission ID was already used for different bytes.")
                }
                return .retried
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM submissions WHERE sealed_digest = ?", arguments: [sealedDigest]) == true {
                return .replay
            }
            let seq = (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM submissions") ?? 0) + 1
            try db.execute(sql: """
                INSERT INTO submissions (id, seq, sealed, sealed_digest, received_at, state) VALUES (?, ?, ?, ?, ?, 'pending')
                """, arguments: [id.uuid.bytes, seq, sealed, sealedDigest, StoredTime.milliseconds(now)])
            return .stored
        }
    }

    public func pendingSubmissions(limit: Int) async throws -> [PendingSubmission] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, sealed, received_at FROM submissions WHERE state = 'pending' ORDER BY seq LIMIT ?",
                             arguments: [max(0, limit)]).map { row in
                PendingSubmission(id: try SubmissionID(stored: row["id"]), sealed: row["sealed"] ?? Data(), receivedAt: StoredTime.date(row["received_at"]))
            }
        }
    }

    public func reject(_ id: SubmissionID, reason: String, message: String, now: Date) async throws {
        try await write { db in
            try db.execute(sql: """
                UPDATE submissions SET state = 'rejected', reason = ?, message = ?, sealed = NULL, processed_at = ?
                WHERE id = ? AND state = 'pending'
                """, arguments: [reason, message, StoredTime.milliseconds(now), id.uuid.bytes])
        }
    }

    public func accept(_ report: AcceptedReport, now: Date) async throws -> AcceptOutcome {
        try await write { db in
            let id = report.submissionID.uuid.bytes
            guard try String.fetchOne(db, sql: "SELECT state FROM submissions WHERE id = ?", arguments: [id]) == "pending" else {
                return .alreadyProcessed
            }
            let time = StoredTime.milliseconds(now)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM reports WHERE digest = ?", arguments: [report.digest]) == true {
                try db.execute(sql: """
                    UPDATE submissions SET state = 'rejected', reason = ?, message = ?, sealed = NULL, processed_at = ? WHERE id = ?
                    """, arguments: [ObservatoryStoreContract.duplicateReason, ObservatoryStoreContract.duplicateMessage, time, id])
                return .duplicate
            }
            try db.execute(sql: "UPDATE submissions SET state = 'accepted', sealed = NULL, processed_at = ? WHERE id = ?", arguments: [time, id])
            try db.execute(sql: """
                INSERT INTO reports (submission_id, digest, signed_report, salt, commitment, reporter_key, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, report.digest, report.signedReport, report.salt, report.commitment, report.reporterKey, time])
            return .accepted
        }
    }

    public func status(_ id: SubmissionID) async throws -> SubmissionStatus? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM submissions WHERE id = ?", arguments: [id.uuid.bytes]) else { return nil }
            let report = try Row.fetchOne(db, sql: "SELECT * FROM reports WHERE submission_id = ?", arguments: [id.uuid.bytes])
                .map { try AcceptedReport(row: $0) }
            let state: SubmissionState
            switch row["state"] as String {
            case "pending": state = .pending
            case "rejected": state = .rejected(reason: row["reason"] ?? "", message: row["message"] ?? "")
            case "accepted": state = .accepted
            case "logged": state = .logged(index: try UInt64(stored: row["log_index"]), receipt: row["receipt"] ?? Data())
            default: throw StoreError(.internal, "A stored submission has an unknown state.")
            }
            return SubmissionStatus(id: id, state: state, receivedAt: StoredTime.date(row["received_at"]), report: report)
        }
    }

    public func unloggedReports(limit: Int) async throws -> [UnloggedReport] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT submission_id, commitment, salt, signed_report FROM reports WHERE log_index IS NULL ORDER BY seq LIMIT ?",
                             arguments: [max(0, limit)]).map { row in
                UnloggedReport(
                    submissionID: try SubmissionID(stored: row["submission_id"]), commitment: row["commitment"], salt: row["salt"],
                    signedReport: row["signed_report"])
            }
        }
    }

    public func appendLog(_ batch: LogBatch) async throws {
        try await write { db in
            let size = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(log_index) + 1, 0) FROM log_entries") ?? 0
            guard UInt64(size) == batch.firstIndex else {
                throw StoreError(.conflict, "The log grew since this batch was prepared; prepare it again.")
            }
            for (offset, entry) in batch.entries.enumerated() {
                let index = try StoredTime.epoch(batch.firstIndex + UInt64(offset))
                let id = entry.submissionID.uuid.bytes
                try db.execute(sql: "UPDATE submissions SET state = 'logged', log_index = ?, receipt = ? WHERE id = ? AND state = 'accepted'",
                               arguments: [index, entry.receipt, id])
                guard db.changesCount == 1 else {
                    throw StoreError(.invalidArgument, "A batch entry is not an accepted, unlogged report.")
                }
                try db.execute(sql: "UPDATE reports SET log_index = ? WHERE submission_id = ?", arguments: [index, id])
                try db.execute(sql: "INSERT INTO log_entries (log_index, submission_id, entry) VALUES (?, ?, ?)", arguments: [index, id, entry.commitment])
            }
            for (offset, snapshot) in batch.snapshots.enumerated() {
                let index = try StoredTime.epoch(batch.firstIndex + UInt64(batch.entries.count + offset))
                try db.execute(sql: "UPDATE snapshots SET log_index = ? WHERE sequence = ? AND log_index IS NULL",
                               arguments: [index, try StoredTime.epoch(snapshot.sequence)])
                guard db.changesCount == 1 else {
                    throw StoreError(.invalidArgument, "A batch snapshot is not a stored, unlogged snapshot.")
                }
                try db.execute(sql: "INSERT INTO log_entries (log_index, submission_id, entry) VALUES (?, NULL, ?)", arguments: [index, snapshot.entry])
            }
            for tile in batch.tiles {
                try db.execute(sql: """
                    INSERT INTO log_tiles (level, tile_index, width, data) VALUES (?, ?, ?, ?)
                    ON CONFLICT (level, tile_index) DO UPDATE SET width = excluded.width, data = excluded.data WHERE excluded.width > log_tiles.width
                    """, arguments: [tile.level, try StoredTime.epoch(tile.index), tile.width, tile.data])
            }
            try db.execute(sql: "INSERT INTO checkpoints (tree_size, note) VALUES (?, ?) ON CONFLICT (tree_size) DO UPDATE SET note = excluded.note",
                           arguments: [try StoredTime.epoch(batch.checkpoint.treeSize), batch.checkpoint.note])
        }
    }

    public func logSize() async throws -> UInt64 {
        try await read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(log_index) + 1, 0) FROM log_entries") ?? 0) }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT tree_size, note FROM checkpoints ORDER BY tree_size DESC LIMIT 1").map { row in
                StoredCheckpoint(treeSize: try UInt64(stored: row["tree_size"]), note: row["note"])
            }
        }
    }

    public func tile(level: Int, index: UInt64) async throws -> StoredTile? {
        guard index < UInt64(Int64.max) else { return nil }
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT width, data FROM log_tiles WHERE level = ? AND tile_index = ?", arguments: [level, Int64(index)])
                .map { StoredTile(level: level, index: index, width: $0["width"], data: $0["data"]) }
        }
    }

    public func logEntries(from start: UInt64, count: Int) async throws -> [Data] {
        guard start < UInt64(Int64.max) else { return [] }
        return try await read { db in
            try Data.fetchAll(db, sql: "SELECT entry FROM log_entries WHERE log_index >= ? ORDER BY log_index LIMIT ?",
                              arguments: [Int64(start), max(0, count)])
        }
    }

    public func loggedReports(from start: UInt64, limit: Int) async throws -> [LoggedReport] {
        guard start < UInt64(Int64.max) else { return [] }
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.log_index, e.submission_id, e.entry, r.signed_report, r.salt
                FROM log_entries e JOIN reports r ON r.submission_id = e.submission_id
                WHERE e.log_index >= ? ORDER BY e.log_index LIMIT ?
                """, arguments: [Int64(start), max(0, limit)]).map { row in
                LoggedReport(
                    index: try UInt64(stored: row["log_index"]), submissionID: try SubmissionID(stored: row["submission_id"]),
                    entry: row["entry"], signedReport: row["signed_report"], salt: row["salt"])
            }
        }
    }
}

extension SubmissionID {
    /// Reads a stored 16-byte submission ID.
    init(stored bytes: Data) throws {
        guard let uuid = UUID(bytes: bytes) else { throw StoreError(.internal, "A stored submission ID is not 16 bytes.") }
        self.init(uuid)
    }
}

extension UInt64 {
    /// Reads a stored non-negative integer.
    init(stored value: Int64) throws {
        guard value >= 0 else { throw StoreError(.internal, "A stored index is negative.") }
        self.init(value)
    }
}

extension AcceptedReport {
    /// Reads a row of `reports`.
    init(row: Row) throws {
        self.init(
            submissionID: try SubmissionID(stored: row["submission_id"]), signedReport: row["signed_report"], digest: row["digest"],
            salt: row["salt"], commitment: row["commitment"], reporterKey: row["reporter_key"])
    }
}
