import Crypto
import Foundation
import IsnadMLS

/// Invites, contacts, safety numbers and identity-key changes.
extension Messenger {
    /// Makes an invite with a fresh one-time secret, on this identity's primary relay.
    public func makeInvite() throws -> Invite {
        let secret = Self.randomData(16)
        let identity = try store.write { transaction -> IdentityRecord in
            let record = InviteRecord(id: UUID().uuidString, secret: secret, createdAt: clock(), usedAt: nil)
            try transaction.put(record, table: .invites, id: record.id)
            return try transaction.identity()
        }
        guard let primary = identity.relays.first else { throw ClientError(.storeDamaged, "This identity has no relay.") }
        return Invite(relay: primary.url, identityKey: keys.identityKey, secret: secret)
    }

    /// Adds the person behind `inviteText` as contact `name`: claims their KeyPackage on the
    /// invite's relay, makes a two-member MLS group, and sends them the Welcome and an
    /// introduction carrying the invite's secret. They need not be online.
    public func addContact(invite inviteText: String, name: String) async throws {
        let invite = try Invite(parsing: inviteText)
        let name = try Self.validatedName(name)
        guard invite.identityKey != keys.identityKey else {
            throw ClientError(.invalidRequest, "That invite is your own.")
        }
        let existing = try store.read { transaction in
            try transaction.all(ContactRecord.self, table: .contacts).first { $0.name == name }
        }
        if let existing, existing.identityKey == invite.identityKey, existing.conversationID != nil {
            throw ClientError(.nameTaken, "\(name) is already a contact with this identity.")
        }
        if try store.read({ try $0.all(ConversationRecord.self, table: .conversations) }).contains(where: { $0.kind == .group && $0.name == name }) {
            throw ClientError(.nameTaken, "A group is already called \(name); choose another name.")
        }
        let account = try await account(on: invite.relay)
        let client = try await relay(invite.relay)
        let claimed: [RelayBodies.Claimed.Entry]
        do {
            claimed = try await client.claim(identityKey: invite.identityKey)
        } catch let error as ClientError where error.code == .relayRefused {
            throw ClientError(.relayRefused, "The relay does not know the identity in this invite, or it has no keys left; ask for a new invite.")
        }
        let keyPackages = try claimed.map { entry -> KeyPackage in
            guard case .keyPackage(let keyPackage) = try? MLSMessage(decoding: Array(entry.keyPackage.data)),
                  let credential = try? MemberCredential(verifying: keyPackage.leafNode),
                  credential.identityKey == invite.identityKey, credential.deviceID == entry.deviceId else {
                throw ClientError(.badMessage, "The relay handed out a key that does not belong to the invite's identity; nothing was sent.")
            }
            return keyPackage
        }
        guard !keyPackages.isEmpty else { throw ClientError(.relayRefused, "The invite's identity has no device on its relay.") }

        let group = try Group(creating: Array(Self.randomData(16)), creator: try makeBundle(deviceID: account.deviceID), using: &generator)
        let conversationID = Self.hex(group.groupID)
        try store.write { transaction in
            let conversation = ConversationRecord(id: conversationID, name: name, kind: .direct, relay: invite.relay, memberNames: [:],
                                                  lastSequence: [:], nextSequence: 0, isActive: true, awaitsIntroduction: false, createdAt: clock())
            try transaction.put(conversation, table: .conversations, id: conversationID)
            try saveGroup(group, conversationID: conversationID, transaction)
            if var contact = existing {
                if contact.identityKey != invite.identityKey {
                    // Adding a new invite under a known name is a key change the member asked for: shown, and the new key adopted unverified.
                    try recordEvent("\(name)'s identity key changed (you added a new invite under this name); compare the safety number again.",
                                    conversationID: conversationID, transaction)
                    contact.identityKey = invite.identityKey
                    contact.isVerified = false
                    contact.pendingIdentityKey = nil
                }
                contact.conversationID = conversationID
                try transaction.put(contact, table: .contacts, id: contact.id)
            } else {
                let contact = ContactRecord(id: UUID().uuidString, name: name, identityKey: invite.identityKey, relay: invite.relay, isVerified: false,
                                            pendingIdentityKey: nil, conversationID: conversationID, pendingConversationID: nil, createdAt: clock())
                try transaction.put(contact, table: .contacts, id: contact.id)
            }
        }
        try await commit(conversationID: conversationID) { _, _ in keyPackages.map { .add($0) } }
        let introduction = AppContent.Introduction(isGroup: false, groupName: nil, senderName: try ownName(), inviteSecret: invite.secret, memberNames: [:])
        try await sendContent(kind: .introduction, introduction: introduction, conversationID: conversationID)
    }

    /// Decides whether a new conversation is kept, given its introduction; false means refuse it.
    func accept(_ introduction: AppContent.Introduction, from sender: Data, conversation: inout ConversationRecord, group: Group,
                _ transaction: StoreTransaction) throws -> Bool {
        for (key, name) in introduction.memberNames where (try? Self.validatedName(name)) != nil {
            conversation.memberNames[key] = name
        }
        guard conversation.awaitsIntroduction else { return true }
        let contacts = try transaction.all(ContactRecord.self, table: .contacts)
        let senderName = (try? Self.validatedName(introduction.senderName)) ?? "contact"
        if introduction.isGroup {
            let memberKeys = Set(try members(of: group).map(\.credential.identityKey))
            guard contacts.contains(where: { memberKeys.contains($0.identityKey) }) else { return false }
            let wanted = (try? Self.validatedName(introduction.groupName ?? "")) ?? "group"
            conversation.name = try uniqueName(wanted, transaction)
            conversation.kind = .group
            conversation.awaitsIntroduction = false
            let inviter = try displayName(for: sender, conversation: conversation, transaction)
            try recordEvent("\(inviter) added you to the group \(conversation.name).", conversationID: conversation.id, transaction)
            return true
        }
        conversation.kind = .direct
        if var contact = contacts.first(where: { $0.identityKey == sender }) {
            contact.conversationID = conversation.id
            conversation.name = contact.name
            conversation.awaitsIntroduction = false
            try transaction.put(contact, table: .contacts, id: contact.id)
            return true
        }
        guard let secret = introduction.inviteSecret, var invite = try transaction.all(InviteRecord.self, table: .invites)
            .first(where: { $0.usedAt == nil && constantTimeEquals(Array($0.secret), Array(secret)) }) else { return false }
        invite.usedAt = clock()
        try transaction.put(invite, table: .invites, id: invite.id)
        conversation.awaitsIntroduction = false
        if var known = contacts.first(where: { $0.name == senderName }) {
            // Someone with another identity key introduces themselves under a known contact's name:
            // the key change Signal users know. Nothing goes to them until the member confirms.
            known.pendingIdentityKey = sender
            known.pendingConversationID = conversation.id
            known.isVerified = false
            conversation.name = known.name
            try transaction.put(known, table: .contacts, id: known.id)
            let warning = "WARNING: \(known.name)'s identity key has changed. This may be a new phone, or someone else. Nothing is sent to \(known.name) until you compare the new safety number in person (`isnad contacts verify \(known.name)`) and confirm it."
            try recordEvent(warning, conversationID: known.conversationID ?? conversation.id, transaction)
            return true
        }
        let name = try uniqueName(senderName, transaction)
        conversation.name = name
        let contact = ContactRecord(id: UUID().uuidString, name: name, identityKey: sender, relay: conversation.relay, isVerified: false,
                                    pendingIdentityKey: nil, conversationID: conversation.id, pendingConversationID: nil, createdAt: clock())
        try transaction.put(contact, table: .contacts, id: contact.id)
        try recordEvent("\(name) accepted your invite; you can now talk.", conversationID: conversation.id, transaction)
        return true
    }

    /// `wanted`, or `wanted 2`, `wanted 3`… when a contact or group already has it.
    func uniqueName(_ wanted: String, _ transaction: StoreTransaction) throws -> String {
        let taken = Set(try transaction.all(ContactRecord.self, table: .contacts).map(\.name)
            + transaction.all(ConversationRecord.self, table: .conversations).filter { $0.kind == .group }.map(\.name))
        var candidate = wanted
        var counter = 2
        while taken.contains(candidate) {
            candidate = "\(wanted) \(counter)"
            counter += 1
        }
        return candidate
    }

    // MARK: Listing and verification

    /// The contacts, in the order they were added.
    public func contacts() throws -> [ContactSummary] {
        try store.read { transaction in
            try transaction.all(ContactRecord.self, table: .contacts).map { contact in
                ContactSummary(name: contact.name, isVerified: contact.isVerified, identityChanged: contact.pendingIdentityKey != nil,
                               safetyNumber: SafetyNumber(keys.identityKey, contact.pendingIdentityKey ?? contact.identityKey).digits)
            }
        }
    }

    /// The safety number with contact `name` (with the new key, when it changed).
    public func safetyNumber(with name: String) throws -> ContactSummary {
        guard let summary = try contacts().first(where: { $0.name == name }) else {
            throw ClientError(.unknownName, "No contact is called \(name).")
        }
        return summary
    }

    /// Records that the safety number with `name` was compared in person; a pending key change is accepted.
    public func confirmVerified(_ name: String) throws {
        try store.write { transaction in
            var contact = try contact(named: name, transaction)
            if let pending = contact.pendingIdentityKey {
                contact.identityKey = pending
                contact.conversationID = contact.pendingConversationID ?? contact.conversationID
                contact.pendingIdentityKey = nil
                contact.pendingConversationID = nil
                if let id = contact.conversationID {
                    try recordEvent("You confirmed \(name)'s new identity key.", conversationID: id, transaction)
                }
            }
            contact.isVerified = true
            try transaction.put(contact, table: .contacts, id: contact.id)
        }
    }
}

/// A contact as listings show it.
public struct ContactSummary: Codable, Sendable, Equatable {
    public let name: String
    public let isVerified: Bool
    /// The contact's identity key changed and the change is not confirmed: nothing is sent to them.
    public let identityChanged: Bool
    /// The 60 digits (with the new key when it changed).
    public let safetyNumber: String

    enum CodingKeys: String, CodingKey {
        case name, isVerified = "verified", identityChanged = "identity_changed", safetyNumber = "safety_number"
    }
}
