import Foundation
import HTTPTypes
import HummingbirdTesting
import IsnadRelay
import IsnadStore
import NIOCore
import Testing

/// The relay's API as the tests use it.
struct RelayClient: Sendable {
    let client: any TestClientProtocol
    let clock: TestClock

    func request(_ method: HTTPRequest.Method, _ uri: String, body: Data? = nil, token: String? = nil, contentType: String? = "application/json",
                 headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
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
