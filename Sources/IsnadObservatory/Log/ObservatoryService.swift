import Foundation
import Logging
import ServiceLifecycle

/// The observatory's background work, one tick at a time: finish pending submissions (after a
/// crash or restart), then append a batch to the log. One tick per ``interval`` keeps checkpoints
/// at most about one per second.
public struct ObservatoryService: Service {
    let observatory: Observatory
    /// The time between ticks.
    public var interval: Duration

    /// Creates the service.
    public init(observatory: Observatory, interval: Duration = .seconds(1)) {
        self.observatory = observatory
        self.interval = interval
    }

    /// Ticks until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await observatory.tick()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
