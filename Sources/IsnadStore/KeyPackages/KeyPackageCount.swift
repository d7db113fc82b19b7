/// How many KeyPackages a device still has in the directory.
public struct KeyPackageCount: Hashable, Sendable {
    /// Ordinary KeyPackages left; each is handed out once.
    public var available: Int
    /// Whether a last-resort KeyPackage is present.
    public var hasLastResort: Bool

    /// Creates a count.
    public init(available: Int, hasLastResort: Bool) {
        self.available = available
        self.hasLastResort = hasLastResort
    }
}
