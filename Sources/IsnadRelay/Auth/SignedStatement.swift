import Crypto
import Foundation
import IsnadStore

/// The byte strings that devices and identities sign for the relay, each under its own label
/// so that a signature made for one purpose can never be replayed for another.
///
/// ```
/// device binding : "isnad relay v1 device binding" 0x00 || device_key      (signed by the identity key)
/// device proof   : "isnad relay v1 device proof"   0x00 || identity_key    (signed by the device key)
/// authentication : "isnad relay v1 authentication" 0x00 || challenge || device_id (16 bytes; signed by the device key)
/// ```
public enum SignedStatement {
    /// What the identity key signs to vouch for a device key.
    public static func deviceBinding(deviceKey: Data) -> Data {
        labelled("isnad relay v1 device binding", deviceKey)
    }

    /// What a device key signs to prove its holder registers it under this identity.
    public static func deviceProof(identityKey: Data) -> Data {
        labelled("isnad relay v1 device proof", identityKey)
    }

    /// What a device signs to answer a challenge.
    public static func authentication(challenge: Data, device: DeviceID) -> Data {
        labelled("isnad relay v1 authentication", challenge + device.uuid.bytes)
    }

    static func labelled(_ label: String, _ content: Data) -> Data {
        Data(label.utf8) + [0] + content
    }

    /// Whether `signature` is a valid Ed25519 signature by `publicKey` over `message`.
    static func verify(_ signature: Data, by publicKey: Data, over message: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
