import Foundation
import Hummingbird
import IsnadStore
import IsnadWire

/// `POST /v1/accounts`: registers an identity key with its first device key.
///
/// Registration proves possession of both keys: the identity key signs the device binding,
/// the device key signs the device proof (see ``SignedStatement``). No phone number, e-mail
/// or name is asked for.
struct AccountRoutes {
    struct Registration: Decodable {
        var identityKey: Base64URL
        var deviceKey: Base64URL
        /// The identity key's signature over ``SignedStatement/deviceBinding(deviceKey:)``.
        var deviceBinding: Base64URL
        /// The device key's signature over ``SignedStatement/deviceProof(identityKey:)``.
        var deviceProof: Base64URL

        enum CodingKeys: String, CodingKey {
            case identityKey = "identity_key", deviceKey = "device_key"
            case deviceBinding = "device_binding", deviceProof = "device_proof"
        }
    }

    let dependencies: RelayDependencies

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.post("accounts", use: registerAccount)
    }

    /// 201 with the new device ID; 200 with the original one when the same keys register again.
    @Sendable func registerAccount(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(Registration.self, from: request, limit: 4096)
        let identityKey = try WireParsing.publicKey(body.identityKey, field: "identity_key")
        let deviceKey = try WireParsing.publicKey(body.deviceKey, field: "device_key")
        let binding = try WireParsing.signature(body.deviceBinding, field: "device_binding")
        let proof = try WireParsing.signature(body.deviceProof, field: "device_proof")
        try Self.verify(identityKey: identityKey, deviceKey: deviceKey, binding: binding, proof: proof)
        let proposed = Device(id: .random(), identityKey: identityKey, publicKey: deviceKey, binding: binding, createdAt: dependencies.now())
        let stored = try await dependencies.store.registerAccount(proposed)
        return try JSONBody.response(
            RegisteredDevice(deviceID: stored.id.description, identityKey: Base64URL(identityKey)),
            status: stored.id == proposed.id ? .created : .ok)
    }

    /// Checks both signatures that bind a device key to an identity key (see ``SignedStatement``).
    /// - Throws: ``RelayError`` with ``RelayError/Code/invalidSignature`` naming the one that fails.
    static func verify(identityKey: Data, deviceKey: Data, binding: Data, proof: Data) throws {
        guard SignedStatement.verify(binding, by: identityKey, over: SignedStatement.deviceBinding(deviceKey: deviceKey)) else {
            throw RelayError(.invalidSignature, "`device_binding` is not the identity key's signature over the device binding.")
        }
        guard SignedStatement.verify(proof, by: deviceKey, over: SignedStatement.deviceProof(identityKey: identityKey)) else {
            throw RelayError(.invalidSignature, "`device_proof` is not the device key's signature over the device proof.")
        }
    }
}
