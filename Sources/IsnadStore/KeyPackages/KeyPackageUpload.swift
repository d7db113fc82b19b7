import Foundation

/// One KeyPackage (RFC 9420 §10) a device hands to the directory.
public struct KeyPackageUpload: Hashable, Sendable {
    /// The serialized `MLSMessage` carrying the KeyPackage; opaque to the relay.
    public var bytes: Data
    /// Whether this is the device's last-resort KeyPackage (RFC 9420 §16.8): handed out again
    /// and again once the others are gone. A new one replaces the previous one.
    public var isLastResort: Bool

    /// Creates an upload.
    public init(bytes: Data, isLastResort: Bool = false) {
        self.bytes = bytes
        self.isLastResort = isLastResort
    }
}
