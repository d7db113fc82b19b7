import Foundation
import GRDB
import IsnadStore

extension SQLiteObservatoryStore {
    public func addStaff(_ account: StaffAccount) async throws {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE name = ?", arguments: [account.name]) != true else {
                throw ReviewRules.staffExists
            }
            try db.execute(sql: "INSERT INTO staff (name, passphrase_hash, created_at) VALUES (?, ?, ?)",
                           arguments: [account.name, account.passphraseHash, StoredTime.milliseconds(account.createdAt)])
        }
    }

    public func staffAccount(named name: String) async throws -> StaffAccount? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT passphrase_hash, created_at FROM staff WHERE name = ?", arguments: [name]).map { row in
                StaffAccount(name: name, passphraseHash: row["passphrase_hash"], createdAt: StoredTime.date(row["created_at"]))
            }
        }
    }

    public func acceptedReports() async throws -> [AcceptedReport] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM reports ORDER BY seq").map { try AcceptedReport(row: $0) }
        }
    }

    public func recordReviewDecision(_ decision: ReviewDecision) async throws -> ReviewDecision {
        try ReviewRules.validate(decision)
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE name = ?", arguments: [decision.staff]) == true else {
                throw ReviewRules.unknownStaff
            }
            if decision.action.isAboutReport {
                guard let id = SubmissionID(decision.subject),
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM reports WHERE submission_id = ?", arguments: [id.uuid.bytes]) == true
                else { throw ReviewRules.unknownReport }
            }
            let existing = try Row.fetchAll(db, sql: "SELECT * FROM review_decisions WHERE subject = ?", arguments: [decision.subject])
                .map { try ReviewDecision(row: $0) }
            if let earlier = try ReviewRules.check(decision, against: existing) { return earlier }
            try db.execute(sql: """
                INSERT INTO review_decisions (action, aspect, subject, staff, note, decided_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [decision.action.rawValue, decision.action.aspect, decision.subject, decision.staff, decision.note,
                                 StoredTime.milliseconds(decision.decidedAt)])
            var recorded = decision
            recorded.sequence = UInt64(db.lastInsertedRowID)
            recorded.decidedAt = StoredTime.truncated(decision.decidedAt)
            return recorded
        }
    }

    public func reviewDecisions() async throws -> [ReviewDecision] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_decisions ORDER BY seq").map { try ReviewDecision(row: $0) }
        }
    }

    public func storeSnapshot(_ snapshot: StoredSnapshot) async throws {
        try await write { db in
            let latest = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM snapshots") ?? 0
            guard snapshot.sequence == UInt64(latest) + 1 else { throw ReviewRules.snapshotOutOfSequence }
            try db.execute(sql: "INSERT INTO snapshots (sequence, hash, encoded, published_at) VALUES (?, ?, ?, ?)",
                           arguments: [try StoredTime.epoch(snapshot.sequence), snapshot.hash, snapshot.encoded,
                                       StoredTime.milliseconds(snapshot.publishedAt)])
        }
    }

    public func snapshots() async throws -> [StoredSnapshot] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM snapshots ORDER BY sequence").map { row in
                StoredSnapshot(
                    sequence: try UInt64(stored: row["sequence"]), hash: row["hash"], encoded: row["encoded"],
                    publishedAt: StoredTime.date(row["published_at"]), logIndex: try (row["log_index"] as Int64?).map { try UInt64(stored: $0) })
            }
        }
    }
}

extension ReviewDecision {
    /// Reads a row of `review_decisions`.
    init(row: Row) throws {
        guard let action = Action(rawValue: row["action"]) else { throw StoreError(.internal, "A stored review decision has an unknown action.") }
        self.init(
            sequence: try UInt64(stored: row["seq"]), action: action, subject: row["subject"], staff: row["staff"], note: row["note"],
            decidedAt: StoredTime.date(row["decided_at"]))
    }
}
