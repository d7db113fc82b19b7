import Foundation
import IsnadWire
import IsnadMLS

/// Receiving: fetch every relay's mailbox, process each message in its own transaction
/// (group state, history and the seen ID together), then acknowledge.
///
/// ```
/// GET /v1/messages ─▶ seen before? ─yes─▶ ack (a copy by a second route, or a retry)
///                        │no
///                        ▼
///              decode ─▶ Welcome: join, wait for the introduction
///                     └▶ commit / proposal / application: Group.process
///                        ▼
///              one transaction: state + history + seen ─▶ ack
/// ```
/// A message that does not decode, decrypt or verify is reported (one sentence) and
/// acknowledged so it cannot block the mailbox; nothing already stored changes.
extension Messenger {
    /// Brings every conversation up to date with every relay; arrivals are queued for ``sync()``.
    /// A relay that cannot be reached is skipped with a notice (what waits there arrives later);
    /// only when none can be reached does this fail.
    public func receive() async throws {
        try await flushOutbox()
        var leaves: [String] = []
        let accounts = try store.read({ try $0.identity() }).relays
        var unreachable: [String] = []
        for account in accounts {
            do {
                try await fetchMailbox(account.url, leaves: &leaves)
            } catch let error as ClientError where error.code == .relayUnavailable {
                unreachable.append(account.url)
            }
        }
        if let first = unreachable.first {
            guard unreachable.count < accounts.count else {
                throw ClientError(.relayUnavailable, "The relay at \(first) cannot be reached; try again when it is up.")
            }
            notices += unreachable.map { "The relay at \($0) cannot be reached; what waits there arrives with a later sync." }
        }
        for conversationID in Set(leaves) { try await commitPendingRemovals(conversationID) }
        try await downloadPendingAttachments()
    }

    /// Fetches, processes and acknowledges one relay's mailbox, then refills its KeyPackages.
    func fetchMailbox(_ url: String, leaves: inout [String]) async throws {
        let client = try await relay(url)
        var cursor: Int64 = 0
        while true {
            let page = try await client.fetch(after: cursor)
            var handled: [Int64] = []
            for message in page.messages {
                if let conversationID = try handle(message, relay: url) { leaves.append(conversationID) }
                handled.append(message.cursor)
            }
            if !handled.isEmpty { CrashPoint.afterProcess.reach() }
            try await client.ack(handled)
            guard !page.messages.isEmpty, page.nextCursor > cursor else { break }
            cursor = page.nextCursor
        }
        try await refillKeyPackages(relay: url)
    }

    /// Processes one mailbox message; returns a conversation where a member asked to leave.
    func handle(_ delivered: RelayBodies.Page.Message, relay: String) throws -> String? {
        let messageID = delivered.messageId.uuidString
        if try store.read({ try $0.isSeen(messageID) }) { return nil }
        let message: MLSMessage
        do {
            message = try MLSMessage(decoding: Array(delivered.payload.data))
        } catch {
            try reportProblem("A message from the relay could not be read (damaged or tampered); it was discarded.")
            return nil
        }
        switch message {
        case .welcome(let welcome):
            try join(welcome, messageID: messageID, relay: relay)
            return nil
        case .privateMessage(let inner):
            return try process(message, groupID: inner.groupID, messageID: messageID)
        case .publicMessage(let inner):
            return try process(message, groupID: inner.content.groupID, messageID: messageID)
        default:
            try reportProblem("A message from the relay is of a kind no conversation uses; it was discarded.")
            return nil
        }
    }

    /// A problem with something that arrived: queued for the next report, never silent.
    func reportProblem(_ sentence: String) throws {
        try store.write { try recordEvent(sentence, conversationID: Self.problemsConversation, $0) }
    }

    static let problemsConversation = "problems"

    // MARK: Welcome

    func join(_ welcome: Welcome, messageID: String, relay: String) throws {
        let outcome = try store.write { transaction -> String? in
            let stored = try welcome.secrets.lazy.compactMap { entry in
                try transaction.keyPackage(ref: Self.hex(entry.newMember)).map { (Self.hex(entry.newMember), $0) }
            }.first
            guard let (ref, record) = stored else {
                return "An invitation to a conversation arrived for a key this device no longer holds; it was discarded."
            }
            let group: Group
            do {
                group = try Group(welcome: welcome, keyPackage: try bundle(from: record))
                _ = try members(of: group)
            } catch {
                return "An invitation to a conversation could not be opened (damaged, tampered, or from an unknown kind of member); it was discarded."
            }
            let id = Self.hex(group.groupID)
            let earlier = try transaction.one(ConversationRecord.self, table: .conversations, id: id)
            // A Welcome into a group this member is still in is a copy; into one it was removed
            // from, a new membership: the history stays, the rest starts afresh.
            if let earlier, earlier.isActive { return nil }
            let conversation = ConversationRecord(id: id, name: "", kind: .direct, relay: relay, memberNames: [:], lastSequence: [:],
                                                  nextSequence: 0, isActive: true, awaitsIntroduction: true, createdAt: earlier?.createdAt ?? clock())
            try transaction.put(conversation, table: .conversations, id: id)
            try saveGroup(group, conversationID: id, transaction)
            if !record.isLastResort { try transaction.deleteKeyPackage(ref: ref) }
            _ = try transaction.markSeen(messageID)
            return nil
        }
        if let outcome { try reportProblem(outcome) }
    }

    // MARK: Group messages

    func process(_ message: MLSMessage, groupID: [UInt8], messageID: String) throws -> String? {
        let id = Self.hex(groupID)
        var problem: String?
        let leaving = try store.write { transaction -> String? in
            guard var conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: id) else {
                problem = "A message arrived for a conversation this device does not hold; it was discarded."
                return nil
            }
            var group = try loadGroup(id, transaction)
            let result: ProcessedMessage
            do {
                result = try group.process(message)
            } catch {
                let name = conversation.awaitsIntroduction ? "a new conversation" : conversation.name
                problem = "A message in \(name) could not be decrypted or verified (damaged, tampered, replayed or too old); it was discarded."
                return nil
            }
            _ = try transaction.markSeen(messageID)
            var leaving: String?
            switch result {
            case .application(let data, let sender, _, _):
                guard let node = group.tree.leaf(sender), let credential = try? MemberCredential(verifying: node) else {
                    problem = "A message in \(conversation.name) came from a member without a valid credential; it was discarded."
                    return nil
                }
                let content: AppContent
                do { content = try AppContent(decoding: Data(data)) } catch {
                    problem = "A message in \(conversation.name) has content this version of isnad cannot read; it was discarded."
                    return nil
                }
                let isReplay: Bool
                (problem, isReplay) = try checkSequence(content, from: credential.identityKey, in: &conversation, transaction)
                // A replayed sequence number is reported and its content dropped; the group state still advances.
                switch content.kind {
                case .text where isReplay, .attachment where isReplay, .routes where isReplay:
                    break
                case .text, .attachment:
                    let record = MessageRecord(id: content.id.uuidString, conversationID: id, senderKey: credential.identityKey, kind: .text,
                                               text: content.text ?? content.attachment?.name ?? "", sentAt: content.sentAt, receivedAt: clock(),
                                               attachment: content.attachment, isDownloaded: content.attachment == nil ? nil : false)
                    if try !transaction.isStoredMessage(record.id) {
                        try transaction.insert(record)
                        try transaction.markUnreported(record.id)
                        if record.attachment != nil { try transaction.addPendingDownload(record.id) }
                    }
                case .routes:
                    conversation.memberRoutes = conversation.memberRoutes ?? [:]
                    conversation.memberRoutes?[Base64URL(credential.identityKey).text] = Self.acceptedRoutes(content.routes ?? [])
                case .introduction:
                    if let introduction = content.introduction {
                        if try !accept(introduction, from: credential.identityKey, conversation: &conversation, group: group, transaction) {
                            try transaction.deleteConversation(id)
                            problem = introduction.isGroup
                                ? "An invitation to a group from someone who is not a contact was refused."
                                : "A conversation request from someone without a valid invite of yours was refused."
                            return nil
                        }
                    }
                }
            case .proposal(let proposal, let sender):
                if case .remove(let removed) = proposal, case .member(let leaf) = sender, leaf == removed {
                    conversation.pendingRemovals[removed.rawValue] = group.epoch
                    leaving = id
                }
            case .commit(let summary):
                try describe(summary, group: group, conversation: &conversation, transaction)
            }
            try saveGroup(group, conversationID: id, transaction)
            try transaction.put(conversation, table: .conversations, id: id)
            return leaving
        }
        if let problem { try reportProblem(problem) }
        return leaving
    }

    /// Reports a gap (messages missing before this one) or a replay (a sequence number seen before).
    /// A number reported missing that arrives later (by a slower route: a relay that was down) is
    /// a late message, shown without a report; any other number below the next expected is a replay.
    func checkSequence(_ content: AppContent, from sender: Data, in conversation: inout ConversationRecord,
                       _ transaction: StoreTransaction) throws -> (problem: String?, isReplay: Bool) {
        let key = Base64URL(sender).text
        let name = try displayName(for: sender, conversation: conversation, transaction)
        defer { conversation.lastSequence[key] = max(conversation.lastSequence[key] ?? 0, content.sequence + 1) }
        // The first message seen from a sender sets the baseline: a member who joined later
        // cannot know how many came before.
        guard let expected = conversation.lastSequence[key] else { return (nil, false) }
        var missing = conversation.missingSequences?[key] ?? []
        defer {
            conversation.missingSequences = conversation.missingSequences ?? [:]
            conversation.missingSequences?[key] = missing.isEmpty ? nil : missing
        }
        if content.sequence > expected {
            // Remembered (the latest few) so a late arrival is told from a replay.
            missing = Array((missing + Array(expected..<min(content.sequence, expected + UInt64(Self.maxMissing)))).suffix(Self.maxMissing))
            return ("\(content.sequence - expected) message(s) from \(name) in \(conversation.name.isEmpty ? "a conversation" : conversation.name) are missing.", false)
        }
        if content.sequence < expected {
            if let index = missing.firstIndex(of: content.sequence) {
                missing.remove(at: index)
                return (nil, false)
            }
            return ("A message from \(name) in \(conversation.name) repeats an earlier sequence number (a replay or a duplicate).", true)
        }
        return (nil, false)
    }

    /// How many missing sequence numbers are remembered per sender.
    static let maxMissing = 256

    /// Turns a processed commit into history events; marks the conversation inactive when this member was removed.
    func describe(_ summary: CommitSummary, group: Group, conversation: inout ConversationRecord, _ transaction: StoreTransaction) throws {
        guard !conversation.awaitsIntroduction else { return }
        if summary.removedMe {
            conversation.isActive = false
            try recordEvent("You were removed from \(conversation.name).", conversationID: conversation.id, transaction)
            return
        }
        for leaf in summary.removed {
            conversation.pendingRemovals[leaf.rawValue] = nil
        }
        if !summary.removed.isEmpty {
            try recordEvent("\(summary.removed.count) member(s) left or were removed from \(conversation.name); the group moved to a new key (epoch \(group.epoch)).",
                            conversationID: conversation.id, transaction)
        }
        for leaf in summary.added {
            guard let node = group.tree.leaf(leaf), let credential = try? MemberCredential(verifying: node) else { continue }
            let name = try displayName(for: credential.identityKey, conversation: conversation, transaction)
            try recordEvent("\(name) joined \(conversation.name).", conversationID: conversation.id, transaction)
        }
    }

    /// Commits members' requests to leave that no one has committed yet.
    func commitPendingRemovals(_ conversationID: String) async throws {
        try await commit(conversationID: conversationID) { group, transaction in
            guard let conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: conversationID),
                  conversation.isActive else { return nil }
            var byValue: [Proposal] = []
            var byReference = false
            for (raw, epoch) in conversation.pendingRemovals where group.members.contains(LeafIndex(raw)) {
                if epoch == group.epoch { byReference = true } else { byValue.append(.remove(LeafIndex(raw))) }
            }
            return byValue.isEmpty && !byReference ? nil : byValue
        }
    }
}

extension StoreTransaction {
    func isStoredMessage(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM messages WHERE id = ?", arguments: [id]) ?? false
    }

    func deleteConversation(_ id: String) throws {
        try db.execute(sql: "DELETE FROM conversations WHERE id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM messages WHERE conversation_id = ?", arguments: [id])
    }
}
