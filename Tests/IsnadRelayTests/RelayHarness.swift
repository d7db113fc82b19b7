import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IsnadRelay
import IsnadStore
import IsnadStoreSQLite
import NIOCore
import Synchronization
import Testing

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// A device the tests register: its identity and device keys, and once registered its ID.
struct TestDevice: Sendable {
    let identity: Curve25519.Signing.PrivateKey
    let key = Curve25519.Signing.PrivateKey()
    var id: String = ""
    var token: String = ""

    init(identity: Curve25519.Signing.PrivateKey = .init()) {
        self.identity = identity
    }

    /// This device's signature answering a challenge.
    func answer(_ challenge: Base64URL, as deviceID: String? = nil) throws -> String {
        let device = try #require(DeviceID(deviceID ?? id))
        return b64(try key.signature(for: SignedStatement.authentication(challenge: challenge.data, device: device)))
    }

    var identityKey: String { b64(identity.publicKey.rawRepresentation) }

    var registration: [String: String] {
        let deviceKey = key.publicKey.rawRepresentation
        let identityKey = identity.publicKey.rawRepresentation
        return [
            "identity_key": b64(identityKey),
            "device_key": b64(deviceKey),
            "device_binding": b64(try! identity.signature(for: SignedStatement.deviceBinding(deviceKey: deviceKey))),
            "device_proof": b64(try! key.signature(for: SignedStatement.deviceProof(identityKey: identityKey))),
        ]
    }
}

func b64(_ data: Data) -> String { Base64URL(data).text }
func b64(_ bytes: [UInt8]) -> String { Base64URL(Data(bytes)).text }

/// Runs `body` against a relay on a fresh SQLite store, through HummingbirdTesting's router client.
func withRelay(
    _ setup: TestingSetup = .router,
    configure: (inout RelayConfiguration) -> Void = { _ in },
    _ body: @Sendable (RelayClient) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-relay-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await withRelay(setup, store: try SQLiteRelayStore(directory: folder), configure: configure, body)
}

/// Runs `body` against a relay on the given store.
func withRelay(
    _ setup: TestingSetup = .router,
    store: any RelayStore,
    configure: (inout RelayConfiguration) -> Void = { _ in },
    _ body: @Sendable (RelayClient) async throws -> Void
) async throws {
    let clock = TestClock()
    var configuration = RelayConfiguration()
    configuration.port = 0
    configure(&configuration)
    let app = Relay.makeApplication(configuration: configuration, store: store, now: { clock.now })
    try await app.test(setup) { client in
        try await body(RelayClient(client: client, clock: clock))
    }
}

/// A decoded response.
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    /// Checks this is an RFC 9457 problem with the given status and code.
    func expectProblem(_ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try? JSONDecoder().decode(ProblemDetails.self, from: body)
        #expect(problem?.code == code, "body: \(String(decoding: body, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(problem?.status == status.code, sourceLocation: sourceLocation)
        #expect(problem?.type == "urn:isnad:problem:\(code)", sourceLocation: sourceLocation)
        #expect(problem?.detail.isEmpty == false, sourceLocation: sourceLocation)
    }
}

/// The relay's API as the tests use it.
struct RelayClient: Sendable {
    let client: any TestClientProtocol
    let clock: TestClock

    func request(_ method: HTTPRequest.Method, _ uri: String, body: Data? = nil, token: String? = nil, contentType: String? = "application/json") async throws -> Reply {
        var headers: HTTPFields = [:]
        if body != nil, let contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    func post(_ uri: String, _ json: Any, token: String? = nil) async throws -> Reply {
        try await request(.post, uri, body: try JSONSerialization.data(withJSONObject: json), token: token)
    }

    func get(_ uri: String, token: String? = nil) async throws -> Reply {
        try await request(.get, uri, token: token)
    }

    /// Registers a device and signs in; returns it with its ID and token.
    func signedIn(_ device: TestDevice = TestDevice()) async throws -> TestDevice {
        var device = device
        let registered = try await post("/v1/accounts", device.registration)
        #expect(registered.status == .created || registered.status == .ok)
        device.id = try #require(registered.json["device_id"] as? String)
        device.token = try await token(for: device)
        return device
    }

    /// A fresh challenge for a device.
    func challenge(for deviceID: String) async throws -> Base64URL {
        let reply = try await post("/v1/auth/challenge", ["device_id": deviceID])
        #expect(reply.status == .ok)
        let text = try #require(reply.json["challenge"] as? String)
        return try #require(Base64URL(text: text))
    }

    func token(for device: TestDevice) async throws -> String {
        let challenge = try await challenge(for: device.id)
        let tokenReply = try await post("/v1/auth/token", ["device_id": device.id, "challenge": challenge.text, "signature": try device.answer(challenge)])
        #expect(tokenReply.status == .ok)
        return try #require(tokenReply.json["token"] as? String)
    }
}
