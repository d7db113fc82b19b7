import Foundation
import IsnadWire
import IsnadMLS

/// Loading and storing MLS groups, and reading their members.
extension Messenger {
    /// One member of a group as this client sees it.
    struct Member {
        let leaf: LeafIndex
        let credential: MemberCredential
    }

    func loadGroup(_ conversationID: String, _ transaction: StoreTransaction) throws -> Group {
        guard let state = try transaction.groupState(conversationID) else {
            throw ClientError(.storeDamaged, "A conversation has no stored group state.")
        }
        do {
            return try Group(serialized: SecretBytes(Array(state)))
        } catch {
            throw ClientError(.storeDamaged, "A conversation's stored group state is damaged.")
        }
    }

    func saveGroup(_ group: Group, conversationID: String, _ transaction: StoreTransaction) throws {
        try transaction.saveGroupState(Data(group.serialized().bytes), conversationID: conversationID)
    }

    /// Every member's verified credential; a member whose credential does not verify makes the group unusable.
    func members(of group: Group) throws -> [Member] {
        try group.members.map { leaf in
            guard let node = group.tree.leaf(leaf) else { throw ClientError(.badMessage, "A group's tree names a blank leaf as a member.") }
            return Member(leaf: leaf, credential: try MemberCredential(verifying: node))
        }
    }

    /// The devices a message to the group goes to: every member but this device.
    func recipients(of group: Group) throws -> [UUID] {
        try members(of: group).filter { $0.leaf != group.myLeaf }.map(\.credential.deviceID)
    }

    /// The name this member shows for an identity key: a contact's name, the name the group's
    /// creator gave, or a short fingerprint.
    func displayName(for identityKey: Data, conversation: ConversationRecord?, _ transaction: StoreTransaction) throws -> String {
        if identityKey == keys.identityKey { return "me" }
        if let contact = try transaction.all(ContactRecord.self, table: .contacts).first(where: { $0.identityKey == identityKey || $0.pendingIdentityKey == identityKey }) {
            return contact.name
        }
        if let given = conversation?.memberNames[Base64URL(identityKey).text] { return "~" + given }
        return "~" + Self.hex(identityKey.prefix(4))
    }

    /// The conversation a name addresses: a contact's one-to-one conversation or a group.
    func conversation(named name: String, _ transaction: StoreTransaction) throws -> ConversationRecord {
        let contacts = try transaction.all(ContactRecord.self, table: .contacts)
        if let contact = contacts.first(where: { $0.name == name }) {
            guard contact.pendingIdentityKey == nil else {
                throw ClientError(.identityChanged, "\(name)'s identity key has changed: nothing is sent until you compare the new safety number (`isnad contacts verify \(name)`) and confirm it with `--confirm`.")
            }
            guard let id = contact.conversationID, let record = try transaction.one(ConversationRecord.self, table: .conversations, id: id) else {
                throw ClientError(.invalidRequest, "There is no conversation with \(name) yet: wait for their reply to arrive (`isnad sync`).")
            }
            return record
        }
        let groups = try transaction.all(ConversationRecord.self, table: .conversations).filter { $0.kind == .group && $0.name == name && !$0.awaitsIntroduction }
        guard let group = groups.last else {
            throw ClientError(.unknownName, "No contact or group is called \(name).")
        }
        return group
    }

    func contact(named name: String, _ transaction: StoreTransaction) throws -> ContactRecord {
        guard let contact = try transaction.all(ContactRecord.self, table: .contacts).first(where: { $0.name == name }) else {
            throw ClientError(.unknownName, "No contact is called \(name).")
        }
        return contact
    }

    /// A history entry describing something that happened (a member added, a key changed).
    @discardableResult
    func recordEvent(_ text: String, conversationID: String, _ transaction: StoreTransaction) throws -> MessageRecord {
        let now = clock()
        let event = MessageRecord(id: UUID().uuidString, conversationID: conversationID, senderKey: nil, kind: .event, text: text, sentAt: now, receivedAt: now)
        try transaction.insert(event)
        try transaction.markUnreported(event.id)
        return event
    }
}
