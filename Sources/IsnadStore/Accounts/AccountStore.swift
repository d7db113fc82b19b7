import Foundation

/// Accounts and their devices.
///
/// An account is nothing but an Ed25519 identity key: no phone number, no e-mail, no name.
public protocol AccountStore: Sendable {
    /// Registers a new account with its first device.
    ///
    /// Idempotent: registering the same identity key with the same device key again returns
    /// the device stored the first time (with its original ID).
    /// - Returns: The stored device; its `id` differs from `device.id` on a replay.
    /// - Throws: ``StoreError/Code/conflict`` if the identity key already has another device,
    ///   or the device key belongs to another identity.
    func registerAccount(_ device: Device) async throws -> Device

    /// The device with this ID, or `nil`.
    func device(_ id: DeviceID) async throws -> Device?

    /// Every device of an identity, oldest first; empty when the identity is unknown.
    func devices(ofIdentity identityKey: Data) async throws -> [Device]
}
