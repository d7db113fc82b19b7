import Foundation

/// Challenges and bearer tokens for device authentication.
///
/// Only SHA-256 digests of challenges and tokens are stored: a copy of the database does not
/// let anyone act as a device.
public protocol AuthStore: Sendable {
    /// Stores a fresh challenge for a device.
    /// - Throws: ``StoreError/Code/unknownDevice`` if the device does not exist.
    func storeChallenge(digest: Data, for device: DeviceID, expiresAt: Date) async throws

    /// Removes a challenge and tells whether it was valid: issued to this device and unexpired.
    ///
    /// A challenge is usable once: a second call with the same digest returns `false`.
    func consumeChallenge(digest: Data, for device: DeviceID, now: Date) async throws -> Bool

    /// Stores a bearer token for a device.
    func storeToken(digest: Data, for device: DeviceID, expiresAt: Date) async throws

    /// The device an unexpired token was issued to, or `nil`.
    func device(forTokenDigest digest: Data, now: Date) async throws -> DeviceID?
}
