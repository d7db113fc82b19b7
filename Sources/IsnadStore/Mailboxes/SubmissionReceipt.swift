import Foundation

/// What the relay answers once a submission is durably stored.
public struct SubmissionReceipt: Hashable, Sendable {
    /// The client's message ID.
    public var messageID: MessageID
    /// When the relay first accepted it (the same on every replay).
    public var acceptedAt: Date
    /// How many mailboxes received a copy.
    public var recipientCount: Int
    /// True when this answers a retry: nothing new was stored.
    public var isReplay: Bool

    /// Creates a receipt.
    public init(messageID: MessageID, acceptedAt: Date, recipientCount: Int, isReplay: Bool) {
        self.messageID = messageID
        self.acceptedAt = acceptedAt
        self.recipientCount = recipientCount
        self.isReplay = isReplay
    }
}
