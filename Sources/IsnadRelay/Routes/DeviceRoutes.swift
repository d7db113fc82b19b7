import Foundation
import Hummingbird
import IsnadStore
import IsnadWire

/// Device linking: an account (one identity key) has one or more devices, each with its own
/// key, signed by the identity key, and its own mailbox. All routes need a bearer token.
///
/// ```
/// POST   /v1/devices                {device_key, device_binding, device_proof} → 201 (200 on a repeat) RegisteredDevice
/// GET    /v1/devices[?identity_key=…]                                         → DeviceList
/// DELETE /v1/devices/{device_id}                                              → 204
/// ```
/// Linking and removing are done by a device of the same account; the last device cannot be
/// removed. Removing a device deletes its mailbox, tokens, KeyPackages and unfinished uploads,
/// and closes its WebSockets on this relay.
struct DeviceRoutes {
    let dependencies: RelayDependencies

    func register(on group: RouterGroup<RelayRequestContext>) {
        group.post("devices", use: link)
        group.get("devices", use: list)
        group.delete("devices/:device_id", use: remove)
    }

    @Sendable func link(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let account = try await authenticatedDevice(context)
        let body = try await JSONBody.decode(DeviceLinkRequest.self, from: request, limit: 4096)
        let deviceKey = try WireParsing.publicKey(body.deviceKey, field: "device_key")
        let binding = try WireParsing.signature(body.deviceBinding, field: "device_binding")
        let proof = try WireParsing.signature(body.deviceProof, field: "device_proof")
        try AccountRoutes.verify(identityKey: account.identityKey, deviceKey: deviceKey, binding: binding, proof: proof)
        let devices = try await dependencies.store.devices(ofIdentity: account.identityKey)
        let limit = dependencies.configuration.maxDevicesPerAccount
        guard devices.count < limit || devices.contains(where: { $0.publicKey == deviceKey }) else {
            throw RelayError(.deviceLimit, "An account may have at most \(limit) devices; remove one first.")
        }
        let proposed = Device(id: .random(), identityKey: account.identityKey, publicKey: deviceKey, binding: binding, createdAt: dependencies.now())
        let stored: Device
        do {
            stored = try await dependencies.store.addDevice(proposed)
        } catch let error as StoreError where error.code == .conflict {
            throw RelayError(.alreadyRegistered, "This device key belongs to another account.", underlying: error)
        }
        dependencies.logger.debug("device linked", metadata: ["device": dependencies.redaction.hash(stored.id), "new": "\(stored.id == proposed.id)"])
        return try JSONBody.response(
            RegisteredDevice(deviceID: stored.id.description, identityKey: Base64URL(stored.identityKey)),
            status: stored.id == proposed.id ? .created : .ok)
    }

    /// The caller's devices, or another identity's with `?identity_key=` (to send to all of them).
    @Sendable func list(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let account = try await authenticatedDevice(context)
        var identityKey = account.identityKey
        if let text = request.uri.queryParameters["identity_key"] {
            guard let key = Base64URL(text: String(text)) else {
                throw RelayError(.malformedRequest, "The query parameter `identity_key` must be unpadded base64url.")
            }
            identityKey = try WireParsing.publicKey(key, field: "identity_key")
        }
        let devices = try await dependencies.store.devices(ofIdentity: identityKey)
        guard !devices.isEmpty else {
            throw RelayError(.unknownIdentity, "No account has this identity key.")
        }
        return try JSONBody.response(DeviceList(identityKey: Base64URL(identityKey), devices: devices.map {
            .init(deviceID: $0.id.description, deviceKey: Base64URL($0.publicKey), deviceBinding: Base64URL($0.binding), createdAt: $0.createdAt)
        }))
    }

    /// 204 once removed; a device of another account is as unknown as a device that does not exist.
    @Sendable func remove(_ request: Request, context: RelayRequestContext) async throws -> Response {
        let account = try await authenticatedDevice(context)
        guard let text = context.parameters.get("device_id"), let target = DeviceID(text) else {
            throw RelayError(.malformedRequest, "The device ID in the path must be a UUID.")
        }
        guard let device = try await dependencies.store.device(target), device.identityKey == account.identityKey else {
            throw RelayError(.notFound, "Your account has no device with this ID.")
        }
        do {
            _ = try await dependencies.store.removeDevice(target)
        } catch let error as StoreError where error.code == .conflict {
            throw RelayError(.lastDevice, "This is the account's only device; an account keeps at least one.", underlying: error)
        }
        // Its tokens went with it; its open WebSockets on this relay are closed now (4401).
        dependencies.signal.disconnect([target])
        dependencies.logger.debug("device removed", metadata: ["device": dependencies.redaction.hash(target)])
        return Response(status: .noContent)
    }

    func authenticatedDevice(_ context: RelayRequestContext) async throws -> Device {
        guard let device = try await dependencies.store.device(try context.requireDevice()) else {
            throw RelayError(.unauthorized, "The device of this token was removed.")
        }
        return device
    }
}
