import Foundation

/// The KeyPackage directory (RFC 9420 §10, MLS architecture §5.1).
public protocol KeyPackageStore: Sendable {
    /// Adds KeyPackages for a device. Bytes the device already uploaded are not stored twice;
    /// a new last-resort KeyPackage replaces the previous one.
    /// - Returns: The device's count after the upload.
    func uploadKeyPackages(_ packages: [KeyPackageUpload], for device: DeviceID, now: Date) async throws -> KeyPackageCount

    /// Claims one KeyPackage for every device of an identity that has one.
    ///
    /// An ordinary KeyPackage is handed out exactly once, even to concurrent claims; when a
    /// device has none left, its last-resort KeyPackage is returned and stays.
    /// - Returns: At most one KeyPackage per device; empty when nothing is left or the identity is unknown.
    func claimKeyPackages(ofIdentity identityKey: Data) async throws -> [ClaimedKeyPackage]

    /// How many KeyPackages a device has left.
    func keyPackageCount(for device: DeviceID) async throws -> KeyPackageCount
}
