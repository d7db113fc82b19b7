import Crypto
import Foundation
import IsnadRelay
import Testing

@Suite("/v1/devices")
struct DeviceRouteTests {
    /// The body that links `device` to its identity, signed by the identity key and by the device key.
    static func link(_ device: TestDevice) -> [String: String] {
        var body = device.registration
        body["identity_key"] = nil
        return body
    }

    /// Links a second device of `first`'s identity through `first`'s token and signs it in.
    static func linked(_ relay: RelayClient, to first: TestDevice) async throws -> TestDevice {
        var second = TestDevice(identity: first.identity)
        relay.clock.advance(by: 1)  // devices are listed oldest first
        let reply = try await relay.post("/v1/devices", link(second), token: first.token)
        #expect(reply.status == .created)
        #expect(reply.json["identity_key"] as? String == first.identityKey)
        second.id = try #require(reply.json["device_id"] as? String)
        second.token = try await relay.token(for: second)
        return second
    }

    @Test("a second device is linked, listed, has its own mailbox and KeyPackages, and is removed")
    func linkListRemove() async throws {
        try await withRelay { relay in
            let first = try await relay.signedIn()
            let second = try await Self.linked(relay, to: first)
            #expect(second.id != first.id)
            // Linking again answers 200 with the same ID; so does the new device registering its own keys.
            let again = try await relay.post("/v1/devices", Self.link(second), token: first.token)
            #expect(again.status == .ok && again.json["device_id"] as? String == second.id)
            let registered = try await relay.post("/v1/accounts", second.registration)
            #expect(registered.status == .ok && registered.json["device_id"] as? String == second.id)

            let list = try await relay.get("/v1/devices", token: second.token)
            #expect(list.status == .ok)
            let devices = try #require(list.json["devices"] as? [[String: Any]])
            #expect(devices.compactMap { $0["device_id"] as? String } == [first.id, second.id])
            #expect(devices.last?["device_key"] as? String == b64(second.key.publicKey.rawRepresentation))
            #expect(devices.last?["device_binding"] as? String == second.registration["device_binding"])

            // Another account sees the same list by identity key, and reaches each device's own mailbox.
            let sender = try await relay.signedIn()
            let listed = try await relay.get("/v1/devices?identity_key=\(first.identityKey)", token: sender.token)
            #expect((listed.json["devices"] as? [[String: Any]])?.count == 2)
            let message: [String: Any] = ["message_id": UUID().uuidString, "recipients": [second.id], "payload": "AQ"]
            #expect(try await relay.post("/v1/messages", message, token: sender.token).status == .created)
            #expect((try await relay.get("/v1/messages", token: second.token).json["messages"] as? [[String: Any]])?.count == 1)
            #expect((try await relay.get("/v1/messages", token: first.token).json["messages"] as? [[String: Any]])?.isEmpty == true)

            // Claiming the identity's KeyPackages gives one per device.
            for device in [first, second] {
                _ = try await relay.post("/v1/keypackages", ["key_packages": [b64(Data("kp-\(device.id)".utf8))]], token: device.token)
            }
            let claimed = try await relay.post("/v1/keypackages/claim", ["identity_key": first.identityKey], token: sender.token)
            #expect(Set((claimed.json["key_packages"] as? [[String: Any]])?.compactMap { $0["device_id"] as? String } ?? []) == [first.id, second.id])

            // Removing: the device, its mailbox and its token go; the last device stays.
            #expect(try await relay.request(.delete, "/v1/devices/\(second.id)", token: first.token).status == .noContent)
            try await relay.get("/v1/messages", token: second.token).expectProblem(.unauthorized, "unauthorized")
            #expect((try await relay.get("/v1/devices", token: first.token).json["devices"] as? [[String: Any]])?.count == 1)
            try await relay.request(.delete, "/v1/devices/\(first.id)", token: first.token).expectProblem(.conflict, "last-device")
            let toRemoved: [String: Any] = ["message_id": UUID().uuidString, "recipients": [second.id], "payload": "AQ"]
            try await relay.post("/v1/messages", toRemoved, token: sender.token).expectProblem(.unprocessableContent, "unknown-device")
        }
    }

    @Test("linking needs both signatures, over this identity and this key")
    func badProofs() async throws {
        try await withRelay { relay in
            let first = try await relay.signedIn()
            let stranger = TestDevice()
            // Bound by another identity key.
            try await relay.post("/v1/devices", Self.link(stranger), token: first.token).expectProblem(.unauthorized, "invalid-signature")
            // The new device did not sign: its proof is another key's.
            var body = Self.link(TestDevice(identity: first.identity))
            body["device_proof"] = Self.link(TestDevice(identity: first.identity))["device_proof"]
            try await relay.post("/v1/devices", body, token: first.token).expectProblem(.unauthorized, "invalid-signature")
            // A key that another account already uses.
            let other = try await relay.signedIn()
            var taken = Self.link(TestDevice(identity: first.identity))
            taken["device_key"] = b64(other.key.publicKey.rawRepresentation)
            try await relay.post("/v1/devices", taken, token: first.token).expectProblem(.unauthorized, "invalid-signature")
            #expect((try await relay.get("/v1/devices", token: first.token).json["devices"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("a device key of another account cannot be linked")
    func keyOfAnotherAccount() async throws {
        try await withRelay { relay in
            let first = try await relay.signedIn()
            // The other account's device key, validly bound by first's identity, with a valid proof by that device key.
            let other = try await relay.signedIn()
            let deviceKey = other.key.publicKey.rawRepresentation
            let body = [
                "device_key": b64(deviceKey),
                "device_binding": b64(try first.identity.signature(for: SignedStatement.deviceBinding(deviceKey: deviceKey))),
                "device_proof": b64(try other.key.signature(for: SignedStatement.deviceProof(identityKey: first.identity.publicKey.rawRepresentation))),
            ]
            try await relay.post("/v1/devices", body, token: first.token).expectProblem(.conflict, "already-registered")
        }
    }

    @Test("limits, unknown devices, other accounts' devices and bad input are 4xx problems")
    func badRequests() async throws {
        try await withRelay(configure: { $0.maxDevicesPerAccount = 2 }) { relay in
            let first = try await relay.signedIn()
            _ = try await Self.linked(relay, to: first)
            try await relay.post("/v1/devices", Self.link(TestDevice(identity: first.identity)), token: first.token).expectProblem(.conflict, "device-limit")
            let other = try await relay.signedIn()
            try await relay.request(.delete, "/v1/devices/\(other.id)", token: first.token).expectProblem(.notFound, "not-found")
            try await relay.request(.delete, "/v1/devices/\(UUID().uuidString)", token: first.token).expectProblem(.notFound, "not-found")
            try await relay.request(.delete, "/v1/devices/nope", token: first.token).expectProblem(.badRequest, "malformed-request")
            try await relay.get("/v1/devices?identity_key=\(b64(Data(count: 32)))", token: first.token).expectProblem(.notFound, "unknown-identity")
            try await relay.get("/v1/devices?identity_key=short", token: first.token).expectProblem(.badRequest, "malformed-request")
            try await relay.get("/v1/devices?identity_key=a+b", token: first.token).expectProblem(.badRequest, "malformed-request")
            var missing = Self.link(TestDevice(identity: first.identity))
            missing["device_proof"] = nil
            try await relay.post("/v1/devices", missing, token: first.token).expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/devices", Self.link(TestDevice(identity: first.identity))).expectProblem(.unauthorized, "unauthorized")
            try await relay.get("/v1/devices").expectProblem(.unauthorized, "unauthorized")
            try await relay.request(.delete, "/v1/devices/\(first.id)").expectProblem(.unauthorized, "unauthorized")
        }
    }
}
