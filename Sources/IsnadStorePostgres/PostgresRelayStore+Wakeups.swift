import Foundation
import IsnadStore
import PostgresNIO

/// Cross-process mailbox wake-ups through PostgreSQL LISTEN/NOTIFY.
///
/// Each transaction that stores messages sends `NOTIFY isnad_mailbox` with the recipients'
/// device IDs, then each one's newest cursor after `@` (`ID1,ID2,@CURSOR1,@CURSOR2`), and one
/// that removes a device sends `removed:` and its ID; PostgreSQL delivers it only if and when
/// the transaction commits, so a woken relay always finds the messages in the store (and a
/// removal is final).
///
/// The cursors let a relay skip the read its own notification would cause: it already pushed
/// those messages, handed over by the request that stored them. A relay from before the cursors
/// reads the same payload as the device IDs alone (it drops what does not parse as one), and a
/// payload without cursors still wakes every connection of its devices.
extension PostgresRelayStore: MailboxWakeupSource {
    static let mailboxChannel = "isnad_mailbox"
    /// Devices per notification: 100 × (37 bytes of ID + at most 21 of cursor) stays below NOTIFY's 8000-byte payload limit.
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

    /// A notification's payload: device IDs, after ``removedPrefix`` for removed devices; with
    /// one ``cursorPrefix`` item per device, in the same order, the newest cursor of each.
    static func wakeup(_ payload: String) -> MailboxWakeup {
        let removed = payload.hasPrefix(removedPrefix)
        let items = payload.dropFirst(removed ? removedPrefix.count : 0).split(separator: ",")
        let devices = items.compactMap { DeviceID(String($0)) }
        if removed { return .removed(devices) }
        let cursors = items.compactMap { $0.first == cursorPrefix ? Int64($0.dropFirst()) : nil }
        guard cursors.count == devices.count, !devices.isEmpty else { return .devices(devices) }
        return .newest(Dictionary(zip(devices, cursors), uniquingKeysWith: max))
    }

    /// Marks an item of a wake-up's payload as a cursor (no device ID starts with it).
    static let cursorPrefix: Character = "@"

    /// Marks a notification about a removed device (a relay that does not know it reads no device ID).
    static let removedPrefix = "removed:"

    /// Queues the news that this device was removed, sent by PostgreSQL when the caller's transaction commits.
    static func notifyRemoved(_ device: DeviceID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(mailboxChannel), \(removedPrefix + device.description))", logger: logger)
    }

    /// The SQL that queues the wake-ups for the rows of `bumped` (`id`, the device, and `last`,
    /// its newest cursor): one notification per ``devicesPerNotification`` devices, each
    /// `ID1,ID2,…,@CURSOR1,@CURSOR2,…`. Part of the statement that stores the messages; sent by
    /// PostgreSQL when its transaction commits.
    static let notifyBumped = """
        SELECT pg_notify('\(mailboxChannel)', string_agg(id::text, ',' ORDER BY id) || ',@' || string_agg(last::text, ',@' ORDER BY id))
        FROM (SELECT id, last, (row_number() OVER (ORDER BY id) - 1) / \(devicesPerNotification) AS chunk FROM bumped) AS devices
        GROUP BY chunk
        """
}
