import Crypto
import Foundation
import IsnadRelay
import IsnadStore
import Testing

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
