import Foundation
import IsnadStore
import PostgresNIO

extension PostgresRelayStore {
    public func epoch(of group: GroupID) async throws -> UInt64 {
        let epoch = try await rows("SELECT epoch FROM group_epochs WHERE group_id = \(group.bytes)").first?.decode(Int64.self) ?? 0
        return UInt64(clamping: epoch)
    }

    public func advanceEpoch(of group: GroupID, expected: UInt64, delivering submission: Submission?, now: Date) async throws -> EpochAdvance {
        let expectedValue = try StoredTime.epoch(expected)
        let digest = submission?.digest(context: group.commitContext(epoch: expected))
        let nowValue = StoredTime.milliseconds(now)
        do {
            return try await transaction { connection, logger in
                if let submission, let digest, let stored = try await Self.storedSubmission(connection, logger, id: submission.id) {
                    guard stored.digest == digest, let epoch = stored.epoch else {
                        throw StoreError(.messageIDReused, "This message ID was already used for a different submission.")
                    }
                    return .advanced(epoch: UInt64(clamping: epoch), isReplay: true)
                }
                // Make sure the row exists, then compare-and-set under its row lock: of two
                // concurrent commits for one epoch, the second re-reads the row and fails.
                try await connection.query("""
                    INSERT INTO group_epochs (group_id, epoch, updated_at) VALUES (\(group.bytes), 0, \(nowValue))
                    ON CONFLICT (group_id) DO NOTHING
                    """, logger: logger)
                let advanced = try await connection.rows("""
                    UPDATE group_epochs SET epoch = epoch + 1, updated_at = \(nowValue)
                    WHERE group_id = \(group.bytes) AND epoch = \(expectedValue) RETURNING epoch
                    """, logger: logger)
                guard !advanced.isEmpty else {
                    let current = try await connection.rows("SELECT epoch FROM group_epochs WHERE group_id = \(group.bytes)", logger: logger)
                        .first?.decode(Int64.self) ?? 0
                    return .conflict(currentEpoch: UInt64(clamping: current))
                }
                guard let submission, let digest else { return .advanced(epoch: expected + 1, isReplay: false) }
                let copies = try await Self.insert(connection, logger, submission, digest: digest, epoch: expectedValue + 1, now: now)
                return .advanced(epoch: expected + 1, isReplay: false, stored: SubmissionReceipt(storing: submission, at: now, copies: copies))
            }
        } catch let error as StoreError where error.code == .conflict {
            // The message ID's row appeared concurrently: the same ID for a different group or epoch.
            throw StoreError(.messageIDReused, "This message ID was already used for a different submission.", underlying: error.underlying)
        }
    }
}
