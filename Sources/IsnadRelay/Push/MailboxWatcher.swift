import IsnadStore
import ServiceLifecycle

/// Feeds a shared store's cross-process wake-ups (and device removals) into this relay's ``MailboxSignal``.
struct MailboxWatcher: Service {
    let source: any MailboxWakeupSource
    let signal: MailboxSignal

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await source.watchMailboxes { [signal] wakeup in
                switch wakeup {
                case .devices(let devices): signal.notify(devices)
                case .newest(let cursors): signal.notify(newest: cursors)
                case .all: signal.notifyAll()
                case .removed(let devices): signal.disconnect(devices)
                }
            }
        }
    }
}
