import Foundation
import IsnadMLS

/// One history entry as listings show it.
public struct MessageView: Codable, Sendable, Equatable {
    /// The message's ID (also its relay message ID).
    public let id: String
    /// The contact or group name of the conversation; "" for problems that belong to none.
    public let conversation: String
    /// Who sent it: "me", a contact's name, or "~name" for a group member who is not a contact.
    public let from: String
    /// "text" for a message; "event" for something that happened (a member added, a key changed, a problem).
    public let kind: String
    public let text: String
    public let sentAt: Date
    public let receivedAt: Date
    /// The file the message carries, if any.
    public let file: FileView?

    enum CodingKeys: String, CodingKey {
        case id, conversation, from, kind, text, sentAt = "sent_at", receivedAt = "received_at", file
    }
}

/// A file carried by a message.
public struct FileView: Codable, Sendable, Equatable {
    public let name: String
    public let size: Int64
    /// The file arrived and passed its checks (always true for files this member sent).
    public let isDownloaded: Bool

    enum CodingKeys: String, CodingKey { case name, size, isDownloaded = "downloaded" }
}

/// What one ``Messenger/sync()`` brought.
public struct SyncReport: Codable, Sendable {
    /// New messages and events, oldest first.
    public let messages: [MessageView]
    /// Problems with what arrived (damaged, tampered, replayed or missing messages), one sentence each.
    public let problems: [String]
}

/// A group member as `group info` shows it.
public struct MemberView: Codable, Sendable, Equatable {
    public let name: String
    public let isMe: Bool
    public let isVerified: Bool

    enum CodingKeys: String, CodingKey { case name, isMe = "me", isVerified = "verified" }
}

/// A conversation's details.
public struct ConversationDetails: Codable, Sendable {
    public let name: String
    /// "direct" or "group".
    public let kind: String
    /// The MLS epoch: how many times the group's keys changed.
    public let epoch: UInt64
    /// False once this member left or was removed.
    public let isActive: Bool
    public let members: [MemberView]

    enum CodingKeys: String, CodingKey { case name, kind, epoch, isActive = "active", members }
}

extension Messenger {
    /// Fetches and processes everything waiting on every relay, and returns what arrived since the last report.
    public func sync() async throws -> SyncReport {
        try await receive()
        return try unreportedArrivals()
    }

    /// What arrived but was not reported yet (also what another command received on the way).
    public func unreportedArrivals() throws -> SyncReport {
        try store.write { transaction in
            let records = try transaction.takeUnreported()
            let problems = records.filter { $0.conversationID == Self.problemsConversation }.map(\.text)
            let messages = try records.filter { $0.conversationID != Self.problemsConversation }.map { try view($0, transaction) }
            return SyncReport(messages: messages, problems: problems)
        }
    }

    /// The history of a contact's or group's conversation, oldest first.
    public func history(_ name: String) throws -> [MessageView] {
        try store.read { transaction in
            var ids: [String] = []
            if let contact = try transaction.all(ContactRecord.self, table: .contacts).first(where: { $0.name == name }) {
                // All conversations with this contact's keys, the earlier and the pending one included.
                ids = try transaction.all(ConversationRecord.self, table: .conversations)
                    .filter { $0.kind == .direct && $0.name == contact.name }.map(\.id)
            } else if let group = try transaction.all(ConversationRecord.self, table: .conversations).last(where: { $0.kind == .group && $0.name == name }) {
                ids = [group.id]
            } else {
                throw ClientError(.unknownName, "No contact or group is called \(name).")
            }
            return try ids.flatMap { try transaction.messages(conversationID: $0) }
                .sorted { $0.receivedAt < $1.receivedAt }
                .map { try view($0, transaction) }
        }
    }

    /// Members, their verification state and the epoch of a contact's or group's conversation.
    public func details(_ name: String) throws -> ConversationDetails {
        try store.read { transaction in
            let conversation: ConversationRecord
            if let group = try transaction.all(ConversationRecord.self, table: .conversations).last(where: { $0.kind == .group && $0.name == name }) {
                conversation = group
            } else {
                let contact = try contact(named: name, transaction)
                guard let id = contact.conversationID, let record = try transaction.one(ConversationRecord.self, table: .conversations, id: id) else {
                    throw ClientError(.invalidRequest, "There is no conversation with \(name) yet.")
                }
                conversation = record
            }
            let group = try loadGroup(conversation.id, transaction)
            let contacts = try transaction.all(ContactRecord.self, table: .contacts)
            let members = try members(of: group).map { member in
                MemberView(name: try displayName(for: member.credential.identityKey, conversation: conversation, transaction),
                           isMe: member.leaf == group.myLeaf,
                           isVerified: contacts.first { $0.identityKey == member.credential.identityKey }?.isVerified ?? false)
            }
            return ConversationDetails(name: conversation.name, kind: conversation.kind.rawValue, epoch: group.epoch,
                                       isActive: conversation.isActive, members: members)
        }
    }

    /// The names of contacts and groups.
    public func conversationNames() throws -> [(name: String, kind: String)] {
        try store.read { transaction in
            try transaction.all(ConversationRecord.self, table: .conversations).filter { !$0.awaitsIntroduction && $0.kind == .group }.map { ($0.name, "group") }
        }
    }

    func view(_ record: MessageRecord, _ transaction: StoreTransaction) throws -> MessageView {
        let conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: record.conversationID)
        let from = try record.senderKey.map { try displayName(for: $0, conversation: conversation, transaction) } ?? "me"
        return MessageView(id: record.id, conversation: conversation?.name ?? "", from: record.kind == .event ? "" : from,
                           kind: record.kind.rawValue, text: record.text, sentAt: record.sentAt, receivedAt: record.receivedAt,
                           file: record.attachment.map { FileView(name: $0.name, size: $0.size, isDownloaded: record.isDownloaded ?? true) })
    }
}

extension Messenger {
    /// A connection-to-be to the primary relay's WebSocket push, logged in now so that running
    /// it later touches nothing of the Messenger (it may run beside ``sync()``).
    public func arrivalWatcher() async throws -> ArrivalWatcher {
        guard let primary = try relayURLs().first else { throw ClientError(.storeDamaged, "This identity has no relay.") }
        return ArrivalWatcher(client: try await relay(primary))
    }
}

/// Wakes its caller whenever the relay pushes new messages; the caller then runs ``Messenger/sync()``.
public struct ArrivalWatcher: Sendable {
    let client: RelayClient

    /// Calls `wake` for every pushed page until the connection ends or the task is cancelled.
    public func run(_ wake: @escaping @Sendable () -> Void) async throws {
        try await client.watch(wake)
    }
}
