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
}
