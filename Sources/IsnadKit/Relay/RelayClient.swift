import AsyncHTTPClient
import Foundation
import IsnadWire
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// One relay, spoken to over HTTP (async-http-client): registration, the challenge-to-token
/// login, KeyPackages, mailboxes and commit sequencing (docs/relay.md).
///
/// A 409 on a commit is ``RelayClient/EpochConflict``; every other failure is one
/// ``ClientError`` sentence that names the relay but no person.
final class RelayClient: @unchecked Sendable {
    // @unchecked: `token` is only touched from the one task that drives a command.
    let baseURL: String
    private var token: String?
    private var http: HTTPClient { Self.http }

    /// One HTTP client for the process (never shut down, like `HTTPClient.shared`): a relay that
    /// refuses connections fails a request after 4 s of retries instead of the request's whole deadline.
    private static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(4)
        configuration.timeout.read = .seconds(30)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()
    private let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// The relay's answer to a commit built on an epoch it has moved past.
    struct EpochConflict: Error { let currentEpoch: UInt64 }

    init(url: String) {
        baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    // MARK: Accounts and login

    func register(_ keys: DeviceKeys) async throws -> UUID {
        let body = RelayBodies.Registration(identityKey: .init(keys.identityKey), deviceKey: .init(keys.deviceKey),
                                            deviceBinding: .init(try keys.deviceBinding()), deviceProof: .init(try keys.deviceProof()))
        return try await send("POST", "/v1/accounts", body, as: RelayBodies.Registered.self, authenticated: false).deviceId
    }

    func logIn(_ keys: DeviceKeys, deviceID: UUID) async throws {
        let challenge = try await send("POST", "/v1/auth/challenge", RelayBodies.ChallengeRequest(deviceId: deviceID),
                                       as: RelayBodies.Challenge.self, authenticated: false)
        let signature = try keys.answer(challenge: challenge.challenge.data, deviceID: deviceID)
        let request = RelayBodies.TokenRequest(deviceId: deviceID, challenge: challenge.challenge, signature: .init(signature))
        token = try await send("POST", "/v1/auth/token", request, as: RelayBodies.Token.self, authenticated: false).token
    }

    var isLoggedIn: Bool { token != nil }

    /// The bearer token, once logged in.
    var currentToken: String? { token }

    // MARK: KeyPackages

    func upload(keyPackages: [Data], lastResort: Data?) async throws -> RelayBodies.KeyPackageCount {
        try await send("POST", "/v1/keypackages", RelayBodies.KeyPackageUpload(keyPackages: keyPackages.map { .init($0) }, lastResort: lastResort.map { .init($0) }),
                       as: RelayBodies.KeyPackageCount.self)
    }

    func keyPackageCount() async throws -> RelayBodies.KeyPackageCount {
        try await send("GET", "/v1/keypackages/count", Optional<RelayBodies.Ack>.none, as: RelayBodies.KeyPackageCount.self)
    }

    func claim(identityKey: Data) async throws -> [RelayBodies.Claimed.Entry] {
        try await send("POST", "/v1/keypackages/claim", RelayBodies.Claim(identityKey: .init(identityKey)), as: RelayBodies.Claimed.self).keyPackages
    }

    // MARK: Mailboxes

    func post(messageID: UUID, recipients: [UUID], payload: Data) async throws {
        _ = try await send("POST", "/v1/messages", RelayBodies.Submission(messageId: messageID, recipients: recipients, payload: .init(payload)),
                           as: Ignored.self)
    }

    func fetch(after cursor: Int64, limit: Int = 500) async throws -> RelayBodies.Page {
        try await send("GET", "/v1/messages?after=\(cursor)&limit=\(limit)", Optional<RelayBodies.Ack>.none, as: RelayBodies.Page.self)
    }

    func ack(_ cursors: [Int64]) async throws {
        guard !cursors.isEmpty else { return }
        for start in stride(from: 0, to: cursors.count, by: 1000) {
            _ = try await send("POST", "/v1/messages/ack", RelayBodies.Ack(cursors: Array(cursors[start..<min(start + 1000, cursors.count)])), as: Ignored.self)
        }
    }

    // MARK: Commits

    func commit(groupID: Data, _ submission: RelayBodies.CommitSubmission) async throws -> UInt64 {
        try await send("POST", "/v1/groups/\(Base64URL(groupID).text)/commits", submission, as: RelayBodies.Epoch.self).epoch
    }

    // MARK: Transport

    struct Ignored: Decodable {}

    func send<Body: Encodable, Answer: Decodable>(_ method: String, _ path: String, _ body: Body?, as answer: Answer.Type,
                                                          authenticated: Bool = true, decoder: JSONDecoder? = nil) async throws -> Answer {
        let data = try await exchange(method, path, body: try body.map { try encoder.encode($0) }, contentType: "application/json",
                                      authenticated: authenticated)
        do {
            return try (decoder ?? self.decoder).decode(Answer.self, from: data)
        } catch {
            throw ClientError(.badMessage, "The relay at \(baseURL) answered with a body isnad cannot read.")
        }
    }

    /// One request; a non-2xx answer becomes ``EpochConflict`` or one ``ClientError`` sentence.
    func exchange(_ method: String, _ path: String, body: Data?, contentType: String, authenticated: Bool = true,
                  headers: [(String, String)] = [], limit: Int = 8 << 20) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        if authenticated, let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(60))
            bytes = try await response.body.collect(upTo: limit)
        } catch {
            throw ClientError(.relayUnavailable, "The relay at \(baseURL) cannot be reached; try again when it is up.")
        }
        let data = Data(buffer: bytes)
        guard (200..<300).contains(Int(response.status.code)) else {
            let problem = try? decoder.decode(RelayBodies.Problem.self, from: data)
            if response.status.code == 409, problem?.code == "epoch-conflict", let current = problem?.currentEpoch {
                throw EpochConflict(currentEpoch: current)
            }
            if response.status.code >= 500 || response.status.code == 429 {
                throw ClientError(.relayUnavailable, "The relay at \(baseURL) is busy or unavailable; try again shortly.")
            }
            let reason = problem?.code ?? "status \(response.status.code)"
            throw ClientError(.relayRefused, "The relay at \(baseURL) refused the request (\(reason)).")
        }
        return data
    }
}
