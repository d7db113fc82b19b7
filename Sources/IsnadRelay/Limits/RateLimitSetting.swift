import Foundation

/// An operator's choice for one rate limiter: a token-bucket rate, or no limit at all.
///
/// Written the same way in a flag, an environment variable and the configuration file:
/// `off`, or `REQUESTS_PER_SECOND:BURST` such as `20:200` (a fraction is allowed for the rate,
/// `0.5:10` is one request every two seconds after a burst of ten).
public enum RateLimitSetting: Hashable, Sendable {
    /// No limit.
    case off
    /// A token bucket.
    case limit(RateLimit)

    /// Reads `off` or `REQUESTS_PER_SECOND:BURST`.
    /// - Parameter source: How a problem names where the text came from, e.g. "--device-rate-limit".
    /// - Throws: ``RelayError`` (`invalid-configuration`) naming `source`, for anything else, a rate
    ///   that is not positive or a burst below 1 (a bucket that can never hold a request).
    public init(_ text: String, source: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "off" {
            self = .off
            return
        }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let perSecond = Double(parts[0]), let burst = Double(parts[1]),
              perSecond.isFinite, perSecond > 0, burst.isFinite, burst >= 1 else {
            throw RelayError(.invalidConfiguration,
                             "\(source) must be “off” or REQUESTS_PER_SECOND:BURST with a positive rate and a burst of at least 1, such as 20:200, not “\(text)”.")
        }
        self = .limit(RateLimit(perSecond: perSecond, burst: burst))
    }

    /// The limit, or `nil` for ``off`` (as ``RelayConfiguration`` holds it).
    public var rateLimit: RateLimit? {
        switch self {
        case .off: nil
        case .limit(let rate): rate
        }
    }
}
