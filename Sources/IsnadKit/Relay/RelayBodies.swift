import Foundation
import IsnadWire

/// The relay's JSON bodies as the client sends and reads them (docs/relay.md, docs/openapi.yaml).
/// Bytes travel as unpadded base64url.
enum RelayBodies {
    /// Bytes as unpadded base64url: the relay API's own wire type.
    typealias Bytes = Base64URL

    struct Registration: Codable { var identityKey, deviceKey, deviceBinding, deviceProof: Bytes }
    struct Registered: Codable { var deviceId: UUID }
    struct ChallengeRequest: Codable { var deviceId: UUID }
    struct Challenge: Codable { var challenge: Bytes }
    struct TokenRequest: Codable { var deviceId: UUID; var challenge: Bytes; var signature: Bytes }
    struct Token: Codable { var token: String }
    struct KeyPackageUpload: Codable { var keyPackages: [Bytes]; var lastResort: Bytes? }
    struct KeyPackageCount: Codable { var available: Int; var hasLastResort: Bool }
    struct Claim: Codable { var identityKey: Bytes }
    struct Claimed: Codable {
        struct Entry: Codable { var deviceId: UUID; var keyPackage: Bytes; var lastResort: Bool }
        var keyPackages: [Entry]
    }
    struct Submission: Codable { var messageId: UUID; var recipients: [UUID]; var payload: Bytes }
    struct Page: Codable, Sendable {
        struct Message: Codable, Sendable { var cursor: Int64; var messageId: UUID; var payload: Bytes }
        var messages: [Message]
        var nextCursor: Int64
    }
    struct Ack: Codable { var cursors: [Int64] }
    struct CommitSubmission: Codable {
        struct WelcomePart: Codable { var message: Bytes; var recipients: [UUID] }
        var messageId: UUID; var epoch: UInt64; var commit: Bytes; var recipients: [UUID]; var welcome: WelcomePart?
    }
    struct Epoch: Codable { var epoch: UInt64 }
    struct Problem: Codable { var code: String?; var detail: String?; var currentEpoch: UInt64? }
}
