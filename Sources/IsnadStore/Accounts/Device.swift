import Foundation

/// One device of an account: its own Ed25519 public key, bound to the account's identity key.
///
/// The store keeps the binding signature so that anyone can later re-check that the identity
/// key vouched for this device key; the store itself checks no signatures.
public struct Device: Hashable, Sendable {
    /// The relay's ID for this device.
    public var id: DeviceID
    /// The account's Ed25519 identity public key (32 bytes).
    public var identityKey: Data
    /// This device's Ed25519 public key (32 bytes).
    public var publicKey: Data
    /// The identity key's signature over the device key (the binding).
    public var binding: Data
    /// When the device was registered.
    public var createdAt: Date

    /// Creates a device record.
    public init(id: DeviceID, identityKey: Data, publicKey: Data, binding: Data, createdAt: Date) {
        self.id = id
        self.identityKey = identityKey
        self.publicKey = publicKey
        self.binding = binding
        self.createdAt = createdAt
    }
}
