import Crypto
import Foundation
import IsnadMLS

/// The two Ed25519 keys of this device: the identity key (who the member is; safety numbers come
/// from it) and the device key (signs relay challenges and MLS messages).
struct DeviceKeys: Sendable {
    let identity: Curve25519.Signing.PrivateKey
    let device: Curve25519.Signing.PrivateKey

    init(identitySeed: Data, deviceSeed: Data) throws {
        do {
            identity = try Curve25519.Signing.PrivateKey(rawRepresentation: identitySeed)
            device = try Curve25519.Signing.PrivateKey(rawRepresentation: deviceSeed)
        } catch {
            throw ClientError(.storeDamaged, "The identity keys in the store are damaged.")
        }
    }

    init(_ record: IdentityRecord) throws {
        try self.init(identitySeed: record.identitySeed, deviceSeed: record.deviceSeed)
    }

    var identityKey: Data { identity.publicKey.rawRepresentation }
    var deviceKey: Data { device.publicKey.rawRepresentation }

    /// `"isnad relay v1 device binding" 0x00 || device_key`, signed by the identity key.
    static func bindingStatement(deviceKey: Data) -> Data {
        labelled("isnad relay v1 device binding", deviceKey)
    }

    static func labelled(_ label: String, _ content: Data) -> Data {
        Data(label.utf8) + [0] + content
    }

    func deviceBinding() throws -> Data {
        try identity.signature(for: Self.bindingStatement(deviceKey: deviceKey))
    }

    func deviceProof() throws -> Data {
        try device.signature(for: Self.labelled("isnad relay v1 device proof", identityKey))
    }

    func answer(challenge: Data, deviceID: UUID) throws -> Data {
        try device.signature(for: Self.labelled("isnad relay v1 authentication", challenge + deviceID.bytes))
    }

    /// The MLS credential of this device on a relay where it has `deviceID`.
    func credential(deviceID: UUID) throws -> MemberCredential {
        MemberCredential(identityKey: identityKey, deviceID: deviceID, deviceBinding: try deviceBinding())
    }

    /// The device key as an MLS signature key (suite 0x0001 signs with Ed25519).
    func mlsSigner(_ provider: CipherSuiteProvider) throws -> SignaturePrivateKey {
        try provider.signaturePrivateKey(Array(device.rawRepresentation))
    }
}
