import Foundation

/// What the relay answers once a submission is durably stored.
public struct SubmissionReceipt: Hashable, Sendable {
    /// One stored copy: the mailbox it went to and its cursor there.
    public struct Copy: Hashable, Sendable {
        /// The recipient device.
        public var device: DeviceID
        /// The copy's cursor in that device's mailbox.
        public var cursor: Int64
        /// Which of the submission's deliveries (its index) the copy holds.
        public var delivery: Int

        /// Creates a copy's record.
        public init(device: DeviceID, cursor: Int64, delivery: Int) {
            self.device = device
            self.cursor = cursor
            self.delivery = delivery
        }
    }

    /// The client's message ID.
    public var messageID: MessageID
    /// When the relay first accepted it (the same on every replay).
    public var acceptedAt: Date
    /// How many mailboxes received a copy.
    public var recipientCount: Int
    /// True when this answers a retry: nothing new was stored.
    public var isReplay: Bool
    /// The copies this call stored, one per delivery and distinct recipient, in delivery order
    /// then ascending device ID (``Submission/Delivery/mailboxes``); empty for a replay. A copy
    /// that a full mailbox dropped at once (``Submission/mailboxCapacity``) is named too. The
    /// relay pushes them to connected devices without reading them back
    /// (``MailboxMessage/init(copy:of:receipt:)``).
    public var copies: [Copy]

    /// Creates a receipt.
    public init(messageID: MessageID, acceptedAt: Date, recipientCount: Int, isReplay: Bool, copies: [Copy] = []) {
        self.messageID = messageID
        self.acceptedAt = acceptedAt
        self.recipientCount = recipientCount
        self.isReplay = isReplay
        self.copies = copies
    }

    /// The receipt of `submission`, just stored at `now` with these copies: accepted then,
    /// rounded down to the millisecond as every engine keeps it.
    public init(storing submission: Submission, at now: Date, copies: [Copy]) {
        self.init(messageID: submission.id, acceptedAt: StoredTime.truncated(now), recipientCount: submission.recipientCount,
                  isReplay: false, copies: copies)
    }
}
