import Foundation
import IsnadMLS

/// Sending: application messages and commits, each stored in the outbox in the same
/// transaction as the group state that produced it, and removed once the relay accepted it.
///
/// ```
/// compute (encrypt / commit) ─▶ one transaction: state + history + outbox ─▶ POST ─▶ delete outbox
///                                                 (a crash here: the next command posts it again,
///                                                  same message ID, the relay answers 200)
/// ```
extension Messenger {
    /// Sends `text` to a contact or group by name, after bringing the group up to date.
    ///
    /// When the conversation's relay cannot be reached the message goes to each member's other
    /// relays (their announced routes); `allRoutes` sends it by every route at once. The receiver
    /// shows a copy arriving by two routes once (same message ID).
    /// - Returns: the message's ID.
    @discardableResult
    public func send(_ text: String, to name: String, allRoutes: Bool = false) async throws -> String {
        guard !text.isEmpty else { throw ClientError(.invalidRequest, "There is nothing to send: the message is empty.") }
        try await receive()
        let conversation = try store.read { try self.conversation(named: name, $0) }
        guard conversation.isActive else {
            throw ClientError(.invalidRequest, "You are no longer a member of \(name); nothing was sent.")
        }
        try await announceRoutesIfChanged(conversation.id)
        return try await sendContent(kind: .text, text: text, conversationID: conversation.id, allRoutes: allRoutes).uuidString
    }

    /// Encrypts one application message, stores it (history, new state, outbox) and posts it.
    @discardableResult
    func sendContent(kind: AppContent.Kind, text: String? = nil, introduction: AppContent.Introduction? = nil,
                     attachment: AttachmentReference? = nil, routes: [AppContent.Route]? = nil, conversationID: String,
                     allRoutes: Bool = false) async throws -> UUID {
        let id = UUID()
        let outbox = try store.write { transaction -> OutboxRecord in
            guard var conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: conversationID) else {
                throw ClientError(.storeDamaged, "A conversation disappeared from the store.")
            }
            var group = try loadGroup(conversationID, transaction)
            let now = clock()
            let content = AppContent(id: id, kind: kind, sequence: conversation.nextSequence, sentAt: now, text: text, introduction: introduction,
                                     attachment: attachment, routes: routes)
            let message = try group.encrypt(Array(try content.encoded()), using: &generator)
            conversation.nextSequence += 1
            if let routes { conversation.announcedRelays = routes.map(\.url) }
            let outbox = OutboxRecord(id: id.uuidString, kind: .message, relay: conversation.relay, conversationID: conversationID,
                                      payload: Data(message.encoded), recipients: try recipients(of: group))
            try saveGroup(group, conversationID: conversationID, transaction)
            try transaction.put(conversation, table: .conversations, id: conversationID)
            if kind == .text || kind == .attachment, let text {
                try transaction.insert(MessageRecord(id: id.uuidString, conversationID: conversationID, senderKey: nil, kind: .text,
                                                     text: text, sentAt: now, receivedAt: now, attachment: attachment))
            }
            _ = try transaction.markSeen(id.uuidString)
            try transaction.put(outbox, table: .outbox, id: outbox.id)
            return outbox
        }
        try await deliver(outbox, allRoutes: allRoutes)
        return id
    }

    /// Posts one outbox entry and settles it: deleted once accepted; a commit's state adopted.
    ///
    /// An application message whose relay cannot be reached goes by the members' other relays
    /// (``postByFallbacks(_:messageID:)``); it leaves the outbox once every recipient was reached
    /// by some route. Commits go only to the conversation's relay, which sequences them.
    /// - Returns: false when a commit lost the race for its epoch (the entry is dropped).
    @discardableResult
    func deliver(_ outbox: OutboxRecord, allRoutes: Bool = false) async throws -> Bool {
        guard let messageID = UUID(uuidString: outbox.id) else { throw ClientError(.storeDamaged, "An outbox entry has a damaged ID.") }
        CrashPoint.afterStore.reach()
        switch outbox.kind {
        case .message:
            if !outbox.recipients.isEmpty {
                do {
                    try await relay(outbox.relay).post(messageID: messageID, recipients: outbox.recipients, payload: outbox.payload)
                    if allRoutes, try await !postByFallbacks(outbox, messageID: messageID) {
                        notices.append("The message went through \(outbox.relay), but not every member could also be reached by another relay.")
                    }
                } catch let error as ClientError where error.code == .relayUnavailable {
                    guard try await postByFallbacks(outbox, messageID: messageID) else {
                        throw ClientError(.relayUnavailable, "The relay at \(outbox.relay) cannot be reached and no other relay reaches every member; the message is kept and goes out with the next send or sync.")
                    }
                    notices.append("The relay at \(outbox.relay) cannot be reached; the message went by the members' other relays.")
                }
            }
            CrashPoint.afterPost.reach()
            try store.write { try $0.delete(table: .outbox, id: outbox.id) }
            return true
        case .commit:
            guard let epoch = outbox.epoch, let nextState = outbox.nextState, let groupID = Self.bytes(hex: outbox.conversationID) else {
                throw ClientError(.storeDamaged, "An outbox commit is damaged.")
            }
            let client = try await relay(outbox.relay)
            let welcome = outbox.welcome.map { RelayBodies.CommitSubmission.WelcomePart(message: .init($0), recipients: outbox.welcomeRecipients ?? []) }
            do {
                _ = try await client.commit(groupID: groupID, .init(messageId: messageID, epoch: epoch, commit: .init(outbox.payload),
                                                                    recipients: outbox.recipients, welcome: welcome))
            } catch is RelayClient.EpochConflict {
                try store.write { try $0.delete(table: .outbox, id: outbox.id) }
                return false
            }
            CrashPoint.afterPost.reach()
            try store.write { transaction in
                try transaction.saveGroupState(nextState, conversationID: outbox.conversationID)
                try transaction.delete(table: .outbox, id: outbox.id)
            }
            return true
        }
    }

    /// Posts whatever an earlier run stored but could not deliver. An entry that still cannot go
    /// out stays queued, and so do the later entries of its conversation (their order matters).
    func flushOutbox() async throws {
        var blocked: Set<String> = []
        for entry in try store.read({ try $0.all(OutboxRecord.self, table: .outbox) }) where !blocked.contains(entry.conversationID) {
            do {
                try await deliver(entry)
            } catch let error as ClientError where error.code == .relayUnavailable {
                blocked.insert(entry.conversationID)
            }
        }
        if !blocked.isEmpty {
            notices.append("Messages for \(blocked.count) conversation(s) could not go out yet; they stay queued for the next send or sync.")
        }
    }

    /// Builds, stores and posts a commit, resolving a 409 by fetching and processing what won
    /// the epoch, then building the commit again on the new state (a few times at most).
    ///
    /// - Parameters:
    ///   - build: the proposals to commit given the current group (read inside the
    ///     commit's transaction), or nil when there is nothing (left) to do.
    ///   - receivingFirst: fetch and process waiting messages before the first attempt (always, but in tests).
    /// - Returns: the commit's summary, or nil when `build` found nothing to do.
    @discardableResult
    func commit(conversationID: String, receivingFirst: Bool = true,
                build: (Group, StoreTransaction) throws -> [Proposal]?) async throws -> CommitSummary? {
        for attempt in 0..<5 {
            // The first attempt may skip fetching (tests use that to lose a race on purpose).
            if receivingFirst || attempt > 0 { try await receive() }
            let prepared = try store.write { transaction -> (OutboxRecord, CommitSummary)? in
                guard let conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: conversationID) else {
                    throw ClientError(.storeDamaged, "A conversation disappeared from the store.")
                }
                let group = try loadGroup(conversationID, transaction)
                guard let proposals = try build(group, transaction) else { return nil }
                var options = CommitOptions()
                options.now = UInt64(clock().timeIntervalSince1970)
                let pending: PendingCommit
                do {
                    pending = try group.commit(proposals, options: options, using: &generator)
                } catch let error as MLSError {
                    throw ClientError(.invalidRequest, "The group change could not be made: \(error.message).")
                }
                let newMembers = try members(of: pending.group)
                let added = Set(pending.summary.added)
                let welcomeRecipients = newMembers.filter { added.contains($0.leaf) }.map(\.credential.deviceID)
                // Everyone in the old epoch but this device, removed members included, so they learn of it.
                let outbox = OutboxRecord(id: UUID().uuidString, kind: .commit, relay: conversation.relay, conversationID: conversationID,
                                          payload: Data(pending.message.encoded), recipients: try recipients(of: group), epoch: group.epoch,
                                          welcome: pending.welcome.map { Data(MLSMessage.welcome($0).encoded) },
                                          welcomeRecipients: welcomeRecipients, nextState: Data(pending.group.serialized().bytes))
                try transaction.put(outbox, table: .outbox, id: outbox.id)
                _ = try transaction.markSeen(outbox.id)
                return (outbox, pending.summary)
            }
            guard let (outbox, summary) = prepared else { return nil }
            if try await deliver(outbox) { return summary }
        }
        throw ClientError(.relayUnavailable, "The group kept changing while this change was made; try again.")
    }

    static func bytes(hex: String) -> Data? {
        var data = Data()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}
