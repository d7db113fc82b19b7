import Foundation

/// Accounts and their devices.
///
/// An account is nothing but an Ed25519 identity key: no phone number, no e-mail, no name.
/// It has one or more devices, each with its own key (signed by the identity key) and mailbox.
public protocol AccountStore: Sendable {
    /// Registers a new account with its first device.
    ///
    /// Idempotent: registering the same identity key with the same device key again returns
    /// the device stored the first time (with its original ID).
    /// - Returns: The stored device; its `id` differs from `device.id` on a replay.
    /// - Throws: ``StoreError/Code/conflict`` if the identity key already has another device,
    ///   or the device key belongs to another identity.
    func registerAccount(_ device: Device) async throws -> Device

    /// Adds another device to a registered identity (device linking). The caller has checked
    /// that the identity key signed the device key and that the device proved its key.
    ///
    /// Idempotent: the same identity key and device key again return the stored device.
    /// - Returns: The stored device; its `id` differs from `device.id` on a replay.
    /// - Throws: ``StoreError/Code/unknownIdentity`` if the identity has no device;
    ///   ``StoreError/Code/conflict`` if the device key belongs to another identity.
    func addDevice(_ device: Device) async throws -> Device

    /// Removes a device with its mailbox, credentials, KeyPackages and unfinished uploads.
    /// - Returns: Whether it existed.
    /// - Throws: ``StoreError/Code/conflict`` if it is its identity's only device (nothing removed).
    func removeDevice(_ id: DeviceID) async throws -> Bool

    /// The device with this ID, or `nil`.
    func device(_ id: DeviceID) async throws -> Device?

    /// Every device of an identity, oldest first; empty when the identity is unknown.
    func devices(ofIdentity identityKey: Data) async throws -> [Device]
}
