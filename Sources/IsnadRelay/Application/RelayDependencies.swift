import Foundation
import IsnadStore
import Logging

/// What every route needs: the store, the configuration and the clock.
struct RelayDependencies: Sendable {
    let store: any RelayStore
    let configuration: RelayConfiguration
    /// The clock, injected so tests can move time.
    let now: @Sendable () -> Date
    let logger: Logger
    /// Wakes WebSocket connections after a commit.
    let signal = MailboxSignal()
    /// Keyed hashes for identifiers in debug logs.
    let redaction = LogRedaction()
    /// What `GET /metrics` reports; one registry per application.
    let metrics = RelayMetrics()
    /// Shared by the HTTP and WebSocket routers, so one budget covers both.
    let addressLimiter: TokenBucketLimiter?
    let deviceLimiter: TokenBucketLimiter?
    let identityLimiter: TokenBucketLimiter?
    /// Which identity each recently seen device belongs to, for the per-identity limit.
    let identities: DeviceIdentities

    init(store: any RelayStore, configuration: RelayConfiguration, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.now = now
        self.logger = logger
        addressLimiter = configuration.addressRateLimit.map { TokenBucketLimiter(rate: $0, capacity: configuration.rateLimitKeys) }
        deviceLimiter = configuration.deviceRateLimit.map { TokenBucketLimiter(rate: $0, capacity: configuration.rateLimitKeys) }
        identityLimiter = configuration.identityRateLimit.map { TokenBucketLimiter(rate: $0, capacity: configuration.rateLimitKeys) }
        identities = DeviceIdentities(store: store, capacity: configuration.rateLimitKeys)
    }
}
