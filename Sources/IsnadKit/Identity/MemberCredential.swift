import Crypto
import Foundation
import IsnadMLS

/// What an Isnad leaf's basic credential (RFC 9420 §5.3.1) carries: the member's identity key,
/// the device's ID on the group's relay, and the identity key's signature over the device key.
///
/// ```
/// identity = "isnad-member-v1" 0x00 || identity_key (32) || device_id (16) || device_binding (64)
/// device_binding = Ed25519(identity key, "isnad relay v1 device binding" 0x00 || device_key)
/// ```
///
/// The device key is the leaf's MLS signature key, so a verified credential ties every message
/// the leaf signs to the identity key that safety numbers are computed from. The binding is the
/// same statement the relay checks at registration (docs/relay.md).
public struct MemberCredential: Sendable, Equatable {
    public let identityKey: Data
    public let deviceID: UUID
    public let deviceBinding: Data

    static let magic = Data("isnad-member-v1".utf8) + [0]

    /// The MLS credential.
    public var credential: Credential {
        .basic(identity: Array(Self.magic + identityKey + deviceID.bytes + deviceBinding))
    }

    init(identityKey: Data, deviceID: UUID, deviceBinding: Data) {
        self.identityKey = identityKey
        self.deviceID = deviceID
        self.deviceBinding = deviceBinding
    }

    /// Reads and verifies a leaf's credential against the leaf's signature key.
    /// - Throws: ``ClientError/Code/badMessage`` for any other credential, or a binding that does not verify.
    public init(verifying leaf: LeafNode) throws {
        guard case .basic(let identity) = leaf.credential else {
            throw ClientError(.badMessage, "A group member has a credential that is not an Isnad member credential.")
        }
        let bytes = Data(identity)
        let expected = Self.magic.count + 32 + 16 + 64
        guard bytes.count == expected, bytes.prefix(Self.magic.count) == Self.magic else {
            throw ClientError(.badMessage, "A group member has a credential that is not an Isnad member credential.")
        }
        var offset = bytes.startIndex + Self.magic.count
        let identityKey = bytes[offset..<offset + 32]
        offset += 32
        let deviceID = UUID(bytes: Array(bytes[offset..<offset + 16]))
        offset += 16
        let binding = bytes[offset..<offset + 64]
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: identityKey),
              key.isValidSignature(binding, for: DeviceKeys.bindingStatement(deviceKey: Data(leaf.signatureKey.bytes))) else {
            throw ClientError(.badMessage, "A group member's device is not signed by the identity key it claims.")
        }
        self.init(identityKey: Data(identityKey), deviceID: deviceID, deviceBinding: Data(binding))
    }
}

extension UUID {
    /// The 16 bytes of the UUID.
    var bytes: Data {
        withUnsafeBytes(of: uuid) { Data($0) }
    }

    init(bytes: [UInt8]) {
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { target in
            for (index, byte) in bytes.prefix(16).enumerated() { target[index] = byte }
        }
        self.init(uuid: raw)
    }
}
