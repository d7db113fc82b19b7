import Foundation
import IsnadStore
import PostgresNIO

/// Cross-process mailbox wake-ups through PostgreSQL LISTEN/NOTIFY.
///
/// Each transaction that stores messages sends `NOTIFY isnad_mailbox` with the recipients'
/// device IDs, and one that removes a device sends `removed:` and its ID; PostgreSQL delivers
/// it only if and when the transaction commits, so a woken relay always finds the messages in
/// the store (and a removal is final).
extension PostgresRelayStore: MailboxWakeupSource {
    static let mailboxChannel = "isnad_mailbox"
    /// Device IDs per notification: 100 × 37 bytes stays far below NOTIFY's 8000-byte payload limit.
    static let devicesPerNotification = 100

    ///
    /// While it listens, the store's token cache may be used: a removal heard here empties it of
    /// the device's tokens. Each time listening starts the cache starts empty (removals made while
    /// nobody listened were not heard), and it is not used while the listener is down.
    public func watchMailboxes(_ wake: @escaping @Sendable (MailboxWakeup) -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.mailboxChannel) { notifications in
                        tokens.listenerStarted()
                        defer { tokens.listenerStopped() }
                        // Listening from now on; whatever was committed before is found by reading.
                        wake(.all)
                        for try await notification in notifications {
                            let wakeup = Self.wakeup(notification.payload)
                            if case .removed(let devices) = wakeup { tokens.forget(devices) }
                            wake(wakeup)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                diagnostics.debug("mailbox watch interrupted; reconnecting", metadata: ["error": "\(Self.storeError(error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// A notification's payload: device IDs, after ``removedPrefix`` for removed devices.
    static func wakeup(_ payload: String) -> MailboxWakeup {
        let removed = payload.hasPrefix(removedPrefix)
        let devices = payload.dropFirst(removed ? removedPrefix.count : 0).split(separator: ",").compactMap { DeviceID(String($0)) }
        return removed ? .removed(devices) : .devices(devices)
    }

    /// Marks a notification about a removed device (a relay that does not know it reads no device ID).
    static let removedPrefix = "removed:"

    /// Queues the news that this device was removed, sent by PostgreSQL when the caller's transaction commits.
    static func notifyRemoved(_ device: DeviceID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(mailboxChannel), \(removedPrefix + device.description))", logger: logger)
    }

    /// The payloads of the wake-ups for these devices: one notification per
    /// ``devicesPerNotification`` devices. Queued with `pg_notify` by the statement that stores
    /// the messages, and sent by PostgreSQL when its transaction commits (a notification for a
    /// copy that another relay's commit made redundant only costs the woken relay one read).
    static func notificationPayloads(_ devices: [DeviceID]) -> [String] {
        let ids = Set(devices).map(\.description).sorted()
        return stride(from: 0, to: ids.count, by: devicesPerNotification).map {
            ids[$0..<min($0 + devicesPerNotification, ids.count)].joined(separator: ",")
        }
    }
}
