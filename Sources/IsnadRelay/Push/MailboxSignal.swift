import Foundation
import IsnadStore
import Synchronization

/// Wakes the WebSocket connections of devices whose mailbox just received a message.
///
/// A signal carries no data: a woken connection reads the store after its cursor, so a
/// signal lost or coalesced costs nothing but latency, and the store stays the only truth.
/// A store shared by several processes (a ``MailboxWakeupSource``) also drives it, through
/// ``MailboxWatcher``, so a message stored by another relay wakes connections here too.
///
/// A subscriber is a connection's ``MailboxPusher``, not a stream with a task waiting on it: an
/// idle connection then costs no task and no stream buffer (issue 4's memory-per-connection target).
final class MailboxSignal: Sendable {
    private let subscribers = Mutex<(next: UInt64, byDevice: [DeviceID: [UInt64: MailboxPusher]])>((0, [:]))

    /// Wakes `pusher` after each commit for `device` until ``unsubscribe(_:id:)``; returns the subscription's id.
    func subscribe(_ device: DeviceID, _ pusher: MailboxPusher) -> UInt64 {
        subscribers.withLock { state in
            state.next += 1
            state.byDevice[device, default: [:]][state.next] = pusher
            return state.next
        }
    }

    func unsubscribe(_ device: DeviceID, id: UInt64) {
        subscribers.withLock { state in
            state.byDevice[device]?.removeValue(forKey: id)
            if state.byDevice[device]?.isEmpty == true { state.byDevice[device] = nil }
        }
    }

    /// Wakes every connection of these devices. Call only after the store committed.
    func notify(_ devices: some Collection<DeviceID>) {
        for pusher in pushers(of: devices) { pusher.wake() }
    }

    /// Wakes the connections of these devices, each unless it has sent, or been handed, the
    /// device's newest message (at the cursor given) already. Call only after the store committed.
    func notify(newest: [DeviceID: Int64]) {
        for (device, cursor) in newest {
            for pusher in pushers(of: CollectionOfOne(device)) { pusher.wake(through: cursor) }
        }
    }

    /// Hands each copy of a just-committed submission to its device's connections, which send it
    /// without reading the store when nothing comes between (``MailboxPusher/deliver(_:)``).
    /// Call only after the store committed.
    func deliver(_ receipt: SubmissionReceipt, of submission: Submission) {
        for copy in receipt.copies {
            let pushers = pushers(of: CollectionOfOne(copy.device))
            guard !pushers.isEmpty else { continue }
            let message = MailboxMessage(copy: copy, of: submission, receipt: receipt)
            for pusher in pushers { pusher.deliver(message) }
        }
    }

    /// Wakes every connection.
    func notifyAll() {
        let pushers = subscribers.withLock { $0.byDevice.values.flatMap(\.values) }
        for pusher in pushers { pusher.wake() }
    }

    /// Closes every connection of these devices (removed from their accounts); they stay
    /// subscribed until their handlers end. Call only after the store committed the removal.
    func disconnect(_ devices: some Collection<DeviceID>) {
        for pusher in pushers(of: devices) { pusher.evict() }
    }

    private func pushers(of devices: some Collection<DeviceID>) -> [MailboxPusher] {
        subscribers.withLock { state in
            // Most messages have one recipient, often with no connection here: no set, no array.
            if state.byDevice.isEmpty { return [] }
            if devices.count == 1, let only = devices.first { return state.byDevice[only].map { Array($0.values) } ?? [] }
            return Set(devices).flatMap { state.byDevice[$0].map { Array($0.values) } ?? [] }
        }
    }

    /// How many connections are subscribed (for metrics and tests).
    var connectionCount: Int {
        subscribers.withLock { $0.byDevice.values.reduce(0) { $0 + $1.count } }
    }
}
