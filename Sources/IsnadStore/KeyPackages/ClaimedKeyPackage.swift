import Foundation

/// A KeyPackage handed out by the directory, with the device it belongs to.
public struct ClaimedKeyPackage: Hashable, Sendable {
    /// The device that uploaded it; messages for that device go to this ID.
    public var device: DeviceID
    /// The KeyPackage bytes as uploaded.
    public var bytes: Data
    /// Whether it is the device's last-resort KeyPackage (which stays in the directory).
    public var isLastResort: Bool

    /// Creates a claimed KeyPackage.
    public init(device: DeviceID, bytes: Data, isLastResort: Bool) {
        self.device = device
        self.bytes = bytes
        self.isLastResort = isLastResort
    }
}
