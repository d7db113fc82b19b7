import Foundation
import IsnadStore
import PostgresNIO

extension PostgresObservatoryStore {
    public func addStaff(_ account: StaffAccount) async throws {
        let inserted = try await base.rows("""
            INSERT INTO obs_staff (name, passphrase_hash, created_at) VALUES (\(account.name), \(account.passphraseHash),
            \(StoredTime.milliseconds(account.createdAt))) ON CONFLICT (name) DO NOTHING RETURNING 1
            """)
        guard !inserted.isEmpty else { throw ReviewRules.staffExists }
    }

    public func staffAccount(named name: String) async throws -> StaffAccount? {
        try await base.rows("SELECT passphrase_hash, created_at FROM obs_staff WHERE name = \(name)").first.map { row in
            let (hash, created) = try row.decode((Data, Int64).self)
            return StaffAccount(name: name, passphraseHash: hash, createdAt: StoredTime.date(created))
        }
    }

    public func acceptedReports() async throws -> [AcceptedReport] {
        try await base.rows("""
            SELECT submission_id, signed_report, digest, salt, commitment, reporter_key FROM obs_reports ORDER BY seq
            """).map { row in
            let (submission, signed, digest, salt, commitment, key) = try row.decode((UUID, Data, Data, Data, Data, Data).self)
            return AcceptedReport(
                submissionID: SubmissionID(submission), signedReport: signed, digest: digest, salt: salt, commitment: commitment, reporterKey: key)
        }
    }

    public func recordReviewDecision(_ decision: ReviewDecision) async throws -> ReviewDecision {
        try ReviewRules.validate(decision)
        return try await base.transaction { connection, logger in
            // One decision at a time, so two conflicting ones cannot both pass the check.
            try await connection.query("SELECT pg_advisory_xact_lock(7420942004)", logger: logger)
            guard try await !connection.rows("SELECT 1 FROM obs_staff WHERE name = \(decision.staff)", logger: logger).isEmpty else {
                throw ReviewRules.unknownStaff
            }
            if decision.action.isAboutReport {
                guard let id = SubmissionID(decision.subject),
                    try await !connection.rows("SELECT 1 FROM obs_reports WHERE submission_id = \(id.uuid)", logger: logger).isEmpty
                else { throw ReviewRules.unknownReport }
            }
            let existing = try await connection.rows("""
                SELECT seq, action, subject, staff, note, decided_at FROM obs_review_decisions WHERE subject = \(decision.subject)
                """, logger: logger).map { try ReviewDecision(row: $0) }
            if let earlier = try ReviewRules.check(decision, against: existing) { return earlier }
            let time = StoredTime.milliseconds(decision.decidedAt)
            let inserted = try await connection.rows("""
                INSERT INTO obs_review_decisions (action, aspect, subject, staff, note, decided_at)
                VALUES (\(decision.action.rawValue), \(decision.action.aspect), \(decision.subject), \(decision.staff), \(decision.note), \(time))
                RETURNING seq
                """, logger: logger)
            var recorded = decision
            recorded.sequence = UInt64(max(0, try inserted.first?.decode(Int64.self) ?? 0))
            recorded.decidedAt = StoredTime.date(time)
            return recorded
        }
    }

    public func reviewDecisions() async throws -> [ReviewDecision] {
        try await base.rows("SELECT seq, action, subject, staff, note, decided_at FROM obs_review_decisions ORDER BY seq")
            .map { try ReviewDecision(row: $0) }
    }

    public func storeSnapshot(_ snapshot: StoredSnapshot) async throws {
        try await base.transaction { connection, logger in
            try await connection.query("SELECT pg_advisory_xact_lock(7420942005)", logger: logger)
            let latest = try await connection.rows("SELECT COALESCE(MAX(sequence), 0) FROM obs_snapshots", logger: logger)
                .first?.decode(Int64.self) ?? 0
            guard snapshot.sequence == UInt64(max(0, latest)) + 1 else { throw ReviewRules.snapshotOutOfSequence }
            try await connection.query("""
                INSERT INTO obs_snapshots (sequence, hash, encoded, published_at)
                VALUES (\(try StoredTime.epoch(snapshot.sequence)), \(snapshot.hash), \(snapshot.encoded), \(StoredTime.milliseconds(snapshot.publishedAt)))
                """, logger: logger)
        }
    }

    public func snapshots() async throws -> [StoredSnapshot] {
        try await base.rows("SELECT sequence, hash, encoded, published_at, log_index FROM obs_snapshots ORDER BY sequence").map { row in
            let (sequence, hash, encoded, published, logIndex) = try row.decode((Int64, Data, Data, Int64, Int64?).self)
            return StoredSnapshot(
                sequence: UInt64(max(0, sequence)), hash: hash, encoded: encoded, publishedAt: StoredTime.date(published),
                logIndex: logIndex.map { UInt64(max(0, $0)) })
        }
    }
}

extension ReviewDecision {
    /// Reads `seq, action, subject, staff, note, decided_at`.
    init(row: PostgresRow) throws {
        let (seq, action, subject, staff, note, decided) = try row.decode((Int64, String, String, String, String, Int64).self)
        guard let action = Action(rawValue: action) else { throw StoreError(.internal, "A stored review decision has an unknown action.") }
        self.init(sequence: UInt64(max(0, seq)), action: action, subject: subject, staff: staff, note: note, decidedAt: StoredTime.date(decided))
    }
}
