import Foundation
import GRDB
import IsnadStore

extension SQLiteRelayStore {
    public func epoch(of group: GroupID) async throws -> UInt64 {
        try await read { db in
            let epoch = try Int64.fetchOne(db, sql: "SELECT epoch FROM group_epochs WHERE group_id = ?", arguments: [group.bytes]) ?? 0
            return UInt64(clamping: epoch)
        }
    }

    public func advanceEpoch(of group: GroupID, expected: UInt64, delivering submission: Submission?, now: Date) async throws -> EpochAdvance {
        let expectedValue = try StoredTime.epoch(expected)
        let digest = submission?.digest(context: group.commitContext(epoch: expected))
        return try await write { [submissionRows, expiryKeys] db in
            if let submission, let digest, let stored = try Self.storedSubmission(db, id: submission.id, index: submissionRows) {
                guard stored.digest == digest, let epoch = stored.epoch else {
                    throw StoreError(.messageIDReused, "This message ID was already used for a different submission.")
                }
                return .advanced(epoch: UInt64(clamping: epoch), isReplay: true)
            }
            let current = try Int64.fetchOne(db, sql: "SELECT epoch FROM group_epochs WHERE group_id = ?", arguments: [group.bytes]) ?? 0
            guard current == expectedValue else { return .conflict(currentEpoch: UInt64(clamping: current)) }
            try db.execute(sql: """
                INSERT INTO group_epochs (group_id, epoch, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (group_id) DO UPDATE SET epoch = excluded.epoch, updated_at = excluded.updated_at
                """, arguments: [group.bytes, expectedValue + 1, StoredTime.milliseconds(now)])
            guard let submission, let digest else { return .advanced(epoch: expected + 1, isReplay: false) }
            var cursors = MailboxCursors()
            let copies = try Self.insert(db, submission, digest: digest, epoch: expectedValue + 1, now: now, index: submissionRows, cursors: &cursors,
                                         statements: MailboxStatements(db, keys: expiryKeys))
            return .advanced(epoch: expected + 1, isReplay: false, stored: SubmissionReceipt(storing: submission, at: now, copies: copies))
        }
    }
}
