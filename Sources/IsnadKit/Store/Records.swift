import Foundation

/// This device's identity: sealed in the store, never printed.
struct IdentityRecord: Codable, Sendable {
    /// The name this person gave themselves (`isnad init --name`), sent to new contacts.
    var name: String
    /// Ed25519 identity key (32-byte seed).
    var identitySeed: Data
    /// Ed25519 device key (32-byte seed); also the MLS signature key of this device's leaves.
    var deviceSeed: Data
    /// The relays this identity is registered on; the first is the primary.
    var relays: [RelayAccount]
    var createdAt: Date
}

/// An account on one relay: the device ID the relay assigned. (Each sync reads the mailbox from
/// its start: whatever is still there was not acknowledged, and IDs already seen are skipped.)
struct RelayAccount: Codable, Sendable, Equatable {
    var url: String
    var deviceID: UUID
}

/// A contact: a person whose identity key this member holds.
struct ContactRecord: Codable, Sendable {
    var id: String
    var name: String
    var identityKey: Data
    /// The relay the contact is reached on.
    var relay: String
    /// Compared in person (`isnad contacts verify NAME --confirm`).
    var isVerified: Bool
    /// A different identity key seen under this contact's name, not yet confirmed: nothing is sent
    /// to the contact until the member confirms it.
    var pendingIdentityKey: Data?
    /// The one-to-one conversation, once it exists.
    var conversationID: String?
    /// The conversation that came with the pending key.
    var pendingConversationID: String?
    var createdAt: Date
}

/// A conversation: one MLS group (one-to-one conversations are two-member groups).
struct ConversationRecord: Codable, Sendable {
    enum Kind: String, Codable, Sendable { case direct, group }
    var id: String
    var name: String
    var kind: Kind
    /// The relay that sequences the group's commits.
    var relay: String
    /// Names the group's creator gave its members, by identity key (base64url); used for members who are not contacts.
    var memberNames: [String: String]
    /// The last sequence number seen from each sender (identity key, base64url), for gap and replay reports.
    var lastSequence: [String: UInt64]
    /// The next sequence number this member sends with.
    var nextSequence: UInt64
    /// False once this member was removed or left.
    var isActive: Bool
    /// Members who asked to leave (a Remove proposal for their own leaf), by leaf, with the epoch of the request.
    var pendingRemovals: [UInt32: UInt64] = [:]
    /// True while a Welcome from someone who is not yet a contact waits for its introduction.
    var awaitsIntroduction: Bool
    var createdAt: Date
    /// Each member's other relays (identity key, base64url), from their `routes` announcements:
    /// where an application message goes when `relay` cannot be reached.
    var memberRoutes: [String: [AppContent.Route]]?
    /// The relays this member last announced in this conversation (announced again when they change).
    var announcedRelays: [String]?
    /// Sequence numbers reported missing, by sender (identity key, base64url): one arriving later is not a replay.
    var missingSequences: [String: [UInt64]]?
}

/// One message of a conversation's history.
struct MessageRecord: Codable, Sendable {
    enum Kind: String, Codable, Sendable { case text, event }
    var id: String
    var conversationID: String
    /// The sender's identity key; nil for this member's own messages.
    var senderKey: Data?
    var kind: Kind
    var text: String
    var sentAt: Date
    var receivedAt: Date
    /// A file this message carries, and whether its verified blob is in the home folder.
    var attachment: AttachmentReference?
    var isDownloaded: Bool?
}

/// A file being uploaded: its key, so an interrupted upload resumes with the same ciphertext
/// (the chunked encryption is deterministic under one key).
struct UploadRecord: Codable, Sendable {
    var id: String
    var conversationID: String
    var reference: AttachmentReference
}

/// An invite this member handed out: its one-time secret.
struct InviteRecord: Codable, Sendable {
    var id: String
    var secret: Data
    var createdAt: Date
    var usedAt: Date?
}

/// A KeyPackage's private keys, kept until a Welcome uses it.
struct KeyPackageRecord: Codable, Sendable {
    var initPrivateKey: Data
    var encryptionPrivateKey: Data
    var keyPackage: Data
    var isLastResort: Bool
}

/// What was computed and must still reach the relay: written in the same transaction as the
/// group state it came from, deleted once the relay accepted it.
struct OutboxRecord: Codable, Sendable {
    enum Kind: String, Codable, Sendable { case message, commit }
    var id: String
    var kind: Kind
    var relay: String
    var conversationID: String
    var payload: Data
    var recipients: [UUID]
    /// For a commit: the epoch it was built on, the Welcome and its recipients, and the state to adopt once accepted.
    var epoch: UInt64?
    var welcome: Data?
    var welcomeRecipients: [UUID]?
    var nextState: Data?
}
