import Crypto
import Foundation
import IsnadWire

/// An invite: everything someone needs to reach this member without both being online at once.
///
/// ```
/// bytes  = version (1) || identity_key (32) || secret (16) || relay URL (UTF-8) || check (4)
/// check  = SHA-256(everything before it)[0..<4]    (catches a mistyped or cut string)
/// string = "isnad://invite/" base64url(bytes)      (the bare base64url is accepted too)
/// ```
///
/// The one-time secret proves to the inviter that the newcomer got the invite from them: a
/// Welcome from a stranger is kept only once an introduction carrying an unused secret follows it.
public struct Invite: Sendable, Equatable {
    public static let version: UInt8 = 1
    public static let scheme = "isnad://invite/"

    public let relay: String
    public let identityKey: Data
    public let secret: Data

    public init(relay: String, identityKey: Data, secret: Data) {
        self.relay = relay
        self.identityKey = identityKey
        self.secret = secret
    }

    /// The copyable string, an `isnad://` URI.
    public var string: String {
        var bytes = Data([Self.version]) + identityKey + secret + Data(relay.utf8)
        bytes += Data(SHA256.hash(data: bytes).prefix(4))
        return Self.scheme + Base64URL(bytes).text
    }

    /// Reads an invite string (the URI or its bare base64url part).
    /// - Throws: ``ClientError/Code/badInvite`` with one sentence saying what is wrong.
    public init(parsing text: String) throws {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix(Self.scheme) { body.removeFirst(Self.scheme.count) }
        guard let bytes = Base64URL(text: body)?.data, bytes.count > 1 + 32 + 16 + 4 else {
            throw ClientError(.badInvite, "The invite cannot be read: it is not a complete Isnad invite string.")
        }
        let content = bytes.prefix(bytes.count - 4)
        guard Data(SHA256.hash(data: content).prefix(4)) == bytes.suffix(4) else {
            throw ClientError(.badInvite, "The invite is damaged: a character was changed or lost when it was copied.")
        }
        guard content.first == Self.version else {
            throw ClientError(.badInvite, "The invite was made by another version of isnad (invite version \(content.first ?? 0)).")
        }
        let start = content.startIndex
        guard let relay = String(data: content[(start + 49)...], encoding: .utf8), let url = URL(string: relay),
              url.scheme == "http" || url.scheme == "https" else {
            throw ClientError(.badInvite, "The invite names no usable relay address.")
        }
        self.init(relay: relay, identityKey: Data(content[(start + 1)..<(start + 33)]), secret: Data(content[(start + 33)..<(start + 49)]))
    }
}
