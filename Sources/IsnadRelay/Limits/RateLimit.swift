/// A token-bucket rate: `burst` requests at once, refilled at `perSecond`.
public struct RateLimit: Hashable, Sendable {
    /// Sustained requests per second.
    public var perSecond: Double
    /// Requests allowed at once after a quiet period (the bucket's size).
    public var burst: Double

    /// Creates a rate.
    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }
}
