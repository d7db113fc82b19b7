import Crypto
import Foundation

/// What a client hands to the relay in one request: opaque payloads for lists of devices,
/// under one client-chosen message ID. There is deliberately no sender field.
public struct Submission: Hashable, Sendable {
    /// One payload and the devices that receive it.
    public struct Delivery: Hashable, Sendable {
        /// The devices whose mailboxes receive the payload (duplicates are ignored).
        public var recipients: [DeviceID]
        /// The opaque bytes (an `MLSMessage`); the relay never looks inside.
        public var payload: Data

        /// Creates a delivery.
        public init(recipients: [DeviceID], payload: Data) {
            self.recipients = recipients
            self.payload = payload
        }
    }

    /// The client's ID for this submission; a retry carries the same ID.
    public var id: MessageID
    /// The payloads and their recipients.
    public var deliveries: [Delivery]
    /// When the stored copies are removed if not acknowledged first.
    public var expiresAt: Date
    /// The most messages a recipient's mailbox keeps: storing this submission removes, from each
    /// of its recipients' mailboxes, the oldest messages beyond this many (a device that never
    /// fetches cannot fill the relay's disk; it sees a gap in its cursors instead). `nil`: no limit.
    /// Not part of ``digest(context:)``: it is the relay's rule, not the sender's content.
    public var mailboxCapacity: Int?

    /// Creates a submission.
    public init(id: MessageID, deliveries: [Delivery], expiresAt: Date, mailboxCapacity: Int? = nil) {
        self.id = id
        self.deliveries = deliveries
        self.expiresAt = expiresAt
        self.mailboxCapacity = mailboxCapacity
    }

    /// The number of distinct mailboxes each delivery reaches, summed.
    public var recipientCount: Int {
        deliveries.reduce(0) { $0 + $1.mailboxes.count }
    }

    /// A SHA-256 digest of what is delivered to whom, bound to a context (a group and epoch
    /// for commits), so that a reused message ID with different content is caught.
    public func digest(context: Data = Data()) -> Data {
        var hasher = SHA256()
        // Every field is prefixed by its length in bytes, a 64-bit big-endian integer.
        func length(_ count: Int) {
            withUnsafeBytes(of: UInt64(count).bigEndian) { hasher.update(bufferPointer: $0) }
        }
        func append(_ data: Data) {
            length(data.count)
            hasher.update(data: data)
        }
        append(Data("isnad-submission-v1".utf8))
        append(context)
        for delivery in deliveries {
            let mailboxes = delivery.mailboxes
            length(16 * mailboxes.count)
            for device in mailboxes {
                withUnsafeBytes(of: device.uuid.uuid) { hasher.update(bufferPointer: $0) }
            }
            append(delivery.payload)
        }
        return Data(hasher.finalize())
    }
}

extension Submission.Delivery {
    /// The distinct recipients in ascending order: the mailboxes that receive the payload.
    /// A single recipient, the common case, is returned without building a set.
    public var mailboxes: [DeviceID] {
        recipients.count == 1 ? recipients : Set(recipients).sorted()
    }
}
