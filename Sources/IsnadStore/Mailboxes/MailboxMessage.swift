import Foundation

/// A message waiting in a device's mailbox.
public struct MailboxMessage: Hashable, Sendable {
    /// Position in this device's mailbox: strictly increasing in commit order. Fetch after it; ack it.
    public var cursor: Int64
    /// The sender's message ID (lets the receiver drop a duplicate it already processed).
    public var messageID: MessageID
    /// The opaque bytes.
    public var payload: Data
    /// When the relay accepted the message.
    public var receivedAt: Date
    /// When the relay deletes it if not acknowledged.
    public var expiresAt: Date

    /// Creates a mailbox message.
    public init(cursor: Int64, messageID: MessageID, payload: Data, receivedAt: Date, expiresAt: Date) {
        self.cursor = cursor
        self.messageID = messageID
        self.payload = payload
        self.receivedAt = receivedAt
        self.expiresAt = expiresAt
    }
}

extension MailboxMessage {
    /// The message that `copy` of a just-stored `submission` is, exactly as a fetch reads it back
    /// (the expiry rounded down to the millisecond, as every engine keeps it).
    public init(copy: SubmissionReceipt.Copy, of submission: Submission, receipt: SubmissionReceipt) {
        self.init(cursor: copy.cursor, messageID: receipt.messageID, payload: submission.deliveries[copy.delivery].payload,
                  receivedAt: receipt.acceptedAt, expiresAt: StoredTime.truncated(submission.expiresAt))
    }
}
