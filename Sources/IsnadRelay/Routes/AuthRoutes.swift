import Crypto
import Foundation
import Hummingbird
import IsnadStore

/// `POST /v1/auth/challenge` and `POST /v1/auth/token`: a device signs a fresh challenge and
/// receives a short-lived bearer token. Only SHA-256 digests of both are stored.
struct AuthRoutes {
    static let challengeSize = 32
    static let tokenSize = 32

    struct ChallengeRequest: Decodable {
        var deviceID: String
        enum CodingKeys: String, CodingKey { case deviceID = "device_id" }
    }

    struct Challenge: Encodable {
        var challenge: Base64URL
        var expiresAt: Date
        enum CodingKeys: String, CodingKey { case challenge, expiresAt = "expires_at" }
    }

    struct TokenRequest: Decodable {
        var deviceID: String
        var challenge: Base64URL
        /// The device key's signature over ``SignedStatement/authentication(challenge:device:)``.
        var signature: Base64URL
        enum CodingKeys: String, CodingKey { case deviceID = "device_id", challenge, signature }
    }

    struct Token: Encodable {
        var token: Base64URL
        var expiresAt: Date
        enum CodingKeys: String, CodingKey { case token, expiresAt = "expires_at" }
    }

    let dependencies: RelayDependencies

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.post("auth/challenge", use: challenge)
        group.post("auth/token", use: token)
    }

    @Sendable func challenge(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ChallengeRequest.self, from: request, limit: 1024)
        let device = try WireParsing.deviceID(body.deviceID, field: "device_id")
        let challenge = Self.randomBytes(Self.challengeSize)
        let expiresAt = dependencies.now().addingTimeInterval(dependencies.configuration.challengeLifetime)
        try await dependencies.store.storeChallenge(digest: Data(SHA256.hash(data: challenge)), for: device, expiresAt: expiresAt)
        return try JSONBody.response(Challenge(challenge: Base64URL(challenge), expiresAt: expiresAt))
    }

    @Sendable func token(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(TokenRequest.self, from: request, limit: 1024)
        let deviceID = try WireParsing.deviceID(body.deviceID, field: "device_id")
        let signature = try WireParsing.signature(body.signature, field: "signature")
        guard body.challenge.data.count == Self.challengeSize else {
            throw RelayError(.malformedRequest, "`challenge` must be the \(Self.challengeSize)-byte challenge from POST /v1/auth/challenge.")
        }
        guard let device = try await dependencies.store.device(deviceID) else {
            throw RelayError(.unknownDevice, "The device does not exist.")
        }
        let statement = SignedStatement.authentication(challenge: body.challenge.data, device: deviceID)
        guard SignedStatement.verify(signature, by: device.publicKey, over: statement) else {
            throw RelayError(.invalidSignature, "`signature` is not this device's signature over the challenge.")
        }
        let now = dependencies.now()
        guard try await dependencies.store.consumeChallenge(digest: Data(SHA256.hash(data: body.challenge.data)), for: deviceID, now: now) else {
            throw RelayError(.unauthorized, "The challenge is unknown, already used or expired; ask for a new one.")
        }
        let token = Self.randomBytes(Self.tokenSize)
        let expiresAt = now.addingTimeInterval(dependencies.configuration.tokenLifetime)
        try await dependencies.store.storeToken(digest: Data(SHA256.hash(data: token)), for: deviceID, expiresAt: expiresAt)
        dependencies.logger.debug("token issued", metadata: ["device": dependencies.redaction.hash(deviceID)])
        return try JSONBody.response(Token(token: Base64URL(token), expiresAt: expiresAt))
    }

    static func randomBytes(_ count: Int) -> Data {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Data($0) }
    }
}
