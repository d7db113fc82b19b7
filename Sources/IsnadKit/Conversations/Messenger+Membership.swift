import Foundation
import IsnadWire
import IsnadMLS

/// Groups: create, add, remove, leave. Every change is one MLS commit with a fresh UpdatePath
/// (`CommitOptions.forcePath`), so a removed device holds no key of the next epoch.
extension Messenger {
    /// Creates group `name` with the named contacts on this identity's primary relay.
    public func createGroup(_ name: String, members memberNames: [String]) async throws {
        let name = try Self.validatedName(name)
        try await receive()
        let (identity, contacts) = try store.read { transaction in
            (try transaction.identity(), try memberNames.map { try usableContact($0, transaction) })
        }
        guard let primary = identity.relays.first else { throw ClientError(.storeDamaged, "This identity has no relay.") }
        guard !contacts.isEmpty else { throw ClientError(.invalidRequest, "A group needs at least one member besides you.") }
        try store.read { transaction in
            guard try uniqueName(name, transaction) == name else {
                throw ClientError(.nameTaken, "A contact or group is already called \(name); choose another name.")
            }
        }
        let keyPackages = try await claimKeyPackages(for: contacts, relay: primary.url)
        let group = try Group(creating: Array(Self.randomData(16)), creator: try makeBundle(deviceID: primary.deviceID), using: &generator)
        let conversationID = Self.hex(group.groupID)
        try store.write { transaction in
            let conversation = ConversationRecord(id: conversationID, name: name, kind: .group, relay: primary.url, memberNames: [:],
                                                  lastSequence: [:], nextSequence: 0, isActive: true, awaitsIntroduction: false, createdAt: clock())
            try transaction.put(conversation, table: .conversations, id: conversationID)
            try saveGroup(group, conversationID: conversationID, transaction)
            try recordEvent("You created the group \(name).", conversationID: conversationID, transaction)
        }
        try await commit(conversationID: conversationID) { _, _ in keyPackages.map { .add($0) } }
        try await introduce(conversationID: conversationID)
    }

    /// Adds contact `member` to group `name`.
    public func addMember(_ member: String, toGroup name: String) async throws {
        try await receive()
        let (conversation, contact) = try store.read { transaction in
            (try group(named: name, transaction), try usableContact(member, transaction))
        }
        let keyPackages = try await claimKeyPackages(for: [contact], relay: conversation.relay)
        let summary = try await commit(conversationID: conversation.id) { group, _ in
            let present = Set(try members(of: group).map(\.credential.identityKey))
            return present.contains(contact.identityKey) ? nil : keyPackages.map { .add($0) }
        }
        guard summary != nil else { throw ClientError(.invalidRequest, "\(member) is already in \(name).") }
        try store.write { try recordEvent("You added \(member) to \(name).", conversationID: conversation.id, $0) }
        try await introduce(conversationID: conversation.id)
    }

    /// Removes `member` (a contact's name, or a name shown by `group info`) from group `name`.
    public func removeMember(_ member: String, fromGroup name: String) async throws {
        try await receive()
        let conversation = try store.read { try group(named: name, $0) }
        let summary = try await commit(conversationID: conversation.id) { group, transaction in
            let leaves = try members(of: group).filter { $0.leaf != group.myLeaf }.filter {
                try displayName(for: $0.credential.identityKey, conversation: conversation, transaction).trimmingPrefix("~") == member.trimmingPrefix("~")
            }.map(\.leaf)
            return leaves.isEmpty ? nil : leaves.map { .remove($0) }
        }
        guard summary != nil else { throw ClientError(.unknownName, "\(member) is not a member of \(name).") }
        try store.write { try recordEvent("You removed \(member) from \(name); the group moved to a new key.", conversationID: conversation.id, $0) }
    }

    /// Leaves group `name`: proposes this member's removal (RFC 9420 §12.1.3); the next member
    /// to receive it commits it. This device stops sending at once.
    public func leaveGroup(_ name: String) async throws {
        try await receive()
        let conversation = try store.read { try group(named: name, $0) }
        let outbox = try store.write { transaction -> OutboxRecord in
            var group = try loadGroup(conversation.id, transaction)
            let proposal = try group.propose(.remove(group.myLeaf), using: &generator)
            let outbox = OutboxRecord(id: UUID().uuidString, kind: .message, relay: conversation.relay, conversationID: conversation.id,
                                      payload: Data(proposal.encoded), recipients: try recipients(of: group))
            var updated = conversation
            updated.isActive = false
            try saveGroup(group, conversationID: conversation.id, transaction)
            try transaction.put(updated, table: .conversations, id: conversation.id)
            try transaction.put(outbox, table: .outbox, id: outbox.id)
            try recordEvent("You left \(name).", conversationID: conversation.id, transaction)
            return outbox
        }
        try await deliver(outbox)
    }

    /// Tells the group its name and who is in it (sent after every Welcome).
    func introduce(conversationID: String) async throws {
        let introduction = try store.read { transaction -> AppContent.Introduction in
            guard let conversation = try transaction.one(ConversationRecord.self, table: .conversations, id: conversationID) else {
                throw ClientError(.storeDamaged, "A conversation disappeared from the store.")
            }
            let group = try loadGroup(conversationID, transaction)
            var names: [String: String] = [:]
            for member in try members(of: group) where member.leaf != group.myLeaf {
                names[Base64URL(member.credential.identityKey).text] = try displayName(for: member.credential.identityKey, conversation: conversation, transaction)
                    .trimmingPrefix("~")
            }
            return AppContent.Introduction(isGroup: true, groupName: conversation.name, senderName: try transaction.identity().name,
                                           inviteSecret: nil, memberNames: names)
        }
        try await sendContent(kind: .introduction, introduction: introduction, conversationID: conversationID)
    }

    func group(named name: String, _ transaction: StoreTransaction) throws -> ConversationRecord {
        guard let group = try transaction.all(ConversationRecord.self, table: .conversations)
            .last(where: { $0.kind == .group && $0.name == name && !$0.awaitsIntroduction }) else {
            throw ClientError(.unknownName, "No group is called \(name).")
        }
        guard group.isActive else { throw ClientError(.invalidRequest, "You are no longer a member of \(name).") }
        return group
    }

    /// A contact that may be sent to: known, and with no unconfirmed key change.
    func usableContact(_ name: String, _ transaction: StoreTransaction) throws -> ContactRecord {
        let contact = try contact(named: name.trimmingCharacters(in: .whitespaces), transaction)
        guard contact.pendingIdentityKey == nil else {
            throw ClientError(.identityChanged, "\(contact.name)'s identity key has changed: compare the new safety number (`isnad contacts verify \(contact.name)`) and confirm it first.")
        }
        return contact
    }

    /// One verified KeyPackage per device of each contact, claimed on `relay`.
    func claimKeyPackages(for contacts: [ContactRecord], relay url: String) async throws -> [KeyPackage] {
        let client = try await relay(url)
        var packages: [KeyPackage] = []
        for contact in contacts {
            let claimed: [RelayBodies.Claimed.Entry]
            do {
                claimed = try await client.claim(identityKey: contact.identityKey)
            } catch let error as ClientError where error.code == .relayRefused {
                throw ClientError(.relayRefused, "\(contact.name) has no keys on the relay at \(url) (a group lives on one relay; they may use another).")
            }
            for entry in claimed {
                guard case .keyPackage(let keyPackage) = try? MLSMessage(decoding: Array(entry.keyPackage.data)),
                      let credential = try? MemberCredential(verifying: keyPackage.leafNode), credential.identityKey == contact.identityKey else {
                    throw ClientError(.badMessage, "The relay handed out a key that does not belong to \(contact.name); nothing was changed.")
                }
                packages.append(keyPackage)
            }
        }
        return packages
    }
}

extension String {
    func trimmingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
