import Crypto
import Foundation
import Testing

@Suite("POST /v1/accounts")
struct AccountRouteTests {
    @Test("registration returns a device ID; the same keys again return the same one")
    func register() async throws {
        try await withRelay { relay in
            let device = TestDevice()
            let first = try await relay.post("/v1/accounts", device.registration)
            #expect(first.status == .created)
            let id = try #require(first.json["device_id"] as? String)
            #expect(UUID(uuidString: id) != nil)
            #expect(first.json["identity_key"] as? String == device.identityKey)
            let again = try await relay.post("/v1/accounts", device.registration)
            #expect(again.status == .ok)
            #expect(again.json["device_id"] as? String == id)
        }
    }

    @Test("a second device key for a registered identity is a 409 problem")
    func conflict() async throws {
        try await withRelay { relay in
            let device = TestDevice()
            _ = try await relay.post("/v1/accounts", device.registration)
            let other = TestDevice(identity: device.identity)
            try await relay.post("/v1/accounts", other.registration).expectProblem(.conflict, "already-registered")
        }
    }

    @Test("signatures that do not verify are 401 problems")
    func badSignatures() async throws {
        try await withRelay { relay in
            let device = TestDevice()
            var body = device.registration
            body["device_binding"] = b64(try Curve25519.Signing.PrivateKey().signature(for: Data("x".utf8)))
            try await relay.post("/v1/accounts", body).expectProblem(.unauthorized, "invalid-signature")
            body = device.registration
            body["device_proof"] = body["device_binding"]
            try await relay.post("/v1/accounts", body).expectProblem(.unauthorized, "invalid-signature")
        }
    }

    @Test("malformed fields are 400 problems", arguments: ["missing field", "not base64url", "padded base64", "short key", "short signature"])
    func malformed(_ defect: String) async throws {
        try await withRelay { relay in
            var body = TestDevice().registration
            switch defect {
            case "missing field": body["device_key"] = nil
            case "not base64url": body["identity_key"] = "not base64!"
            case "padded base64": body["identity_key"] = Data(repeating: 1, count: 32).base64EncodedString()
            case "short key": body["identity_key"] = b64(Data(repeating: 1, count: 31))
            default: body["device_proof"] = b64(Data(repeating: 1, count: 63))
            }
            try await relay.post("/v1/accounts", body).expectProblem(.badRequest, "malformed-request")
        }
    }

    @Test("bodies that are not JSON objects are 400 problems")
    func notJSON() async throws {
        try await withRelay { relay in
            try await relay.request(.post, "/v1/accounts", body: Data("{".utf8)).expectProblem(.badRequest, "malformed-request")
            try await relay.request(.post, "/v1/accounts", body: Data("[1,2]".utf8)).expectProblem(.badRequest, "malformed-request")
            try await relay.request(.post, "/v1/accounts", body: Data()).expectProblem(.badRequest, "malformed-request")
            try await relay.request(.post, "/v1/accounts", body: Data(#"{"identity_key": 5}"#.utf8)).expectProblem(.badRequest, "malformed-request")
            try await relay.request(.post, "/v1/accounts", body: Data("{}".utf8), contentType: "text/plain").expectProblem(.badRequest, "malformed-request")
        }
    }

    @Test("an oversized body is a 413 problem")
    func tooLarge() async throws {
        try await withRelay { relay in
            var body = TestDevice().registration
            body["padding"] = String(repeating: "a", count: 10_000)
            try await relay.post("/v1/accounts", body).expectProblem(.contentTooLarge, "request-too-large")
        }
    }
}
