import Crypto
import Foundation
import Synchronization

/// A ``RelayStore`` held in memory, for unit tests and throw-away relays.
///
/// Every operation runs under one lock, so each is atomic, as the contract requires.
/// Nothing survives the process.
public final class InMemoryRelayStore: RelayStore {
    struct StoredSubmission {
        var digest: Data
        var acceptedAt: Date
        var recipientCount: Int
        var epoch: UInt64?
        var expiresAt: Date
    }

    struct Mailbox {
        var lastCursor: Int64 = 0
        var messages: [MailboxMessage] = []
    }

    struct DirectoryEntry {
        var ordinary: [Data] = []
        var lastResort: Data?
    }

    struct Attachment {
        var record: StoredAttachment
        var chunks: [(offset: Int64, bytes: Data)] = []
    }

    struct State {
        var devices: [DeviceID: Device] = [:]
        var challenges: [Data: (device: DeviceID, expiresAt: Date)] = [:]
        var tokens: [Data: (device: DeviceID, expiresAt: Date)] = [:]
        var directory: [DeviceID: DirectoryEntry] = [:]
        var epochs: [GroupID: UInt64] = [:]
        var submissions: [MessageID: StoredSubmission] = [:]
        var mailboxes: [DeviceID: Mailbox] = [:]
        var attachments: [AttachmentID: Attachment] = [:]
    }

    let state = Mutex(State())

    /// Creates an empty store.
    public init() {}
}

extension InMemoryRelayStore.State {
    /// Replays a known submission, or stores a new one in every recipient's mailbox.
    mutating func store(_ submission: Submission, digest: Data, epoch: UInt64?, now: Date) throws -> SubmissionReceipt {
        if let stored = submissions[submission.id] {
            guard stored.digest == digest else {
                throw StoreError(.messageIDReused, "This message ID was already used for a different submission.")
            }
            return SubmissionReceipt(
                messageID: submission.id, acceptedAt: stored.acceptedAt,
                recipientCount: stored.recipientCount, isReplay: true)
        }
        for delivery in submission.deliveries {
            for recipient in delivery.recipients where devices[recipient] == nil {
                throw StoreError(.unknownDevice, "A recipient device does not exist.")
            }
        }
        var copies: [SubmissionReceipt.Copy] = []
        for (index, delivery) in submission.deliveries.enumerated() {
            for recipient in delivery.mailboxes {
                var mailbox = mailboxes[recipient, default: .init()]
                mailbox.lastCursor += 1
                // Instants rounded down to the millisecond, as the SQL engines keep them.
                mailbox.messages.append(MailboxMessage(
                    cursor: mailbox.lastCursor, messageID: submission.id, payload: delivery.payload,
                    receivedAt: StoredTime.truncated(now), expiresAt: StoredTime.truncated(submission.expiresAt)))
                copies.append(.init(device: recipient, cursor: mailbox.lastCursor, delivery: index))
                if let capacity = submission.mailboxCapacity {
                    let oldestKept = mailbox.lastCursor - Int64(max(1, capacity)) + 1
                    mailbox.messages.removeAll { $0.cursor < oldestKept }
                }
                mailboxes[recipient] = mailbox
            }
        }
        let receipt = SubmissionReceipt(storing: submission, at: now, copies: copies)
        submissions[submission.id] = .init(
            digest: digest, acceptedAt: receipt.acceptedAt, recipientCount: submission.recipientCount,
            epoch: epoch, expiresAt: submission.expiresAt)
        return receipt
    }
}
