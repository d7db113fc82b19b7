import Foundation
import IsnadStore
import Synchronization

/// Wakes the WebSocket connections of devices whose mailbox just received a message.
///
/// A signal carries no data: a woken connection reads the store after its cursor, so a
/// signal lost or coalesced costs nothing but latency, and the store stays the only truth.
/// A store shared by several processes (a ``MailboxWakeupSource``) also drives it, through
/// ``MailboxWatcher``, so a message stored by another relay wakes connections here too.
final class MailboxSignal: Sendable {
    private let subscribers = Mutex<[DeviceID: [UUID: AsyncStream<Void>.Continuation]]>([:])

    /// A stream that yields after each commit for `device` (coalesced: at most one pending).
    func subscribe(_ device: DeviceID) -> (id: UUID, wakeups: AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers.withLock { $0[device, default: [:]][id] = continuation }
        return (id, stream)
    }

    func unsubscribe(_ device: DeviceID, id: UUID) {
        let continuation = subscribers.withLock { subscribers -> AsyncStream<Void>.Continuation? in
            let continuation = subscribers[device]?.removeValue(forKey: id)
            if subscribers[device]?.isEmpty == true { subscribers[device] = nil }
            return continuation
        }
        continuation?.finish()
    }

    /// Wakes every connection of these devices. Call only after the store committed.
    func notify(_ devices: some Sequence<DeviceID>) {
        let continuations = subscribers.withLock { subscribers in
            Set(devices).flatMap { subscribers[$0].map { Array($0.values) } ?? [] }
        }
        for continuation in continuations { continuation.yield() }
    }

    /// Wakes every connection.
    func notifyAll() {
        let continuations = subscribers.withLock { $0.values.flatMap(\.values) }
        for continuation in continuations { continuation.yield() }
    }

    /// How many connections are subscribed (for metrics and tests).
    var connectionCount: Int {
        subscribers.withLock { $0.values.reduce(0) { $0 + $1.count } }
    }
}
