import Foundation

/// What Isnad puts inside an MLS application message (RFC 9420 §15): JSON, versioned.
///
/// `id` is also the relay message ID, so a copy arriving by a second relay is recognised;
/// `sequence` counts the sender's messages in the conversation, so a gap or a replay is noticed.
struct AppContent: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// A text message.
        case text
        /// The creator's description of a new conversation, sent right after the Welcome.
        case introduction
        /// A file: where its encrypted blob is and the key to open it.
        case attachment
        /// The relays the sender can be reached on (fallback routes), with its device ID on each.
        case routes
    }

    /// One relay a member is registered on and its device ID there.
    struct Route: Codable, Sendable, Equatable {
        var url: String
        var deviceID: UUID
    }

    /// Sent right after a Welcome: what kind of conversation this is and who is in it.
    struct Introduction: Codable, Sendable {
        var isGroup: Bool
        /// The group's name (groups only).
        var groupName: String?
        /// The name the sender gave themselves.
        var senderName: String
        /// The one-time secret of the invite the sender used (one-to-one conversations with someone who is not yet a contact).
        var inviteSecret: Data?
        /// Names the sender knows the other members by, keyed by identity key (base64url).
        var memberNames: [String: String]
    }

    var version = 1
    var id: UUID
    var kind: Kind
    var sequence: UInt64
    var sentAt: Date
    var text: String?
    var introduction: Introduction?
    var attachment: AttachmentReference?
    var routes: [Route]?

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    func encoded() throws -> Data { try Self.encoder.encode(self) }

    init(id: UUID, kind: Kind, sequence: UInt64, sentAt: Date, text: String? = nil, introduction: Introduction? = nil,
         attachment: AttachmentReference? = nil, routes: [Route]? = nil) {
        self.attachment = attachment
        self.routes = routes
        self.id = id
        self.kind = kind
        self.sequence = sequence
        self.sentAt = sentAt
        self.text = text
        self.introduction = introduction
    }

    init(decoding data: Data) throws {
        do {
            self = try Self.decoder.decode(AppContent.self, from: data)
        } catch {
            throw ClientError(.badMessage, "A message decrypted but its content has an unknown shape.")
        }
        guard version == 1 else { throw ClientError(.badMessage, "A message was written by a newer version of isnad (content version \(version)).") }
    }
}

/// A file sent inside an MLS message: the blob's relay ID (SHA-256 of its ciphertext), the key
/// of its chunked encryption, and the plaintext's name, size and SHA-256 for the receiver's check.
struct AttachmentReference: Codable, Sendable, Equatable {
    var id: String
    var key: Data
    var name: String
    var size: Int64
    var sha256: Data
}
