import Foundation

/// Durable per-device mailboxes.
///
/// Every method returns only after its change is committed: a caller may answer 2xx then.
public protocol MailboxStore: Sendable {
    /// Stores every delivery of a submission atomically: all mailboxes get their copy, or none.
    ///
    /// A retry with the same message ID and content stores nothing new and returns the
    /// original receipt with `isReplay` set.
    /// - Throws: ``StoreError/Code/unknownDevice`` if a recipient does not exist (nothing stored);
    ///   ``StoreError/Code/messageIDReused`` if the ID was used for different content.
    func enqueue(_ submission: Submission, now: Date) async throws -> SubmissionReceipt

    /// Up to `limit` messages of a device with a cursor greater than `cursor`, in cursor order.
    /// Expired messages are not returned.
    func messages(for device: DeviceID, after cursor: Int64, limit: Int, now: Date) async throws -> [MailboxMessage]

    /// Deletes the given messages from a device's mailbox.
    /// - Returns: How many were deleted (cursors already gone count for nothing).
    func acknowledge(_ cursors: [Int64], for device: DeviceID) async throws -> Int

    /// Deletes expired messages, idempotence records, challenges, tokens and attachments.
    func removeExpired(now: Date) async throws -> ExpiryReport
}
