import Foundation
import Synchronization

/// Token digests this process has seen in the database, with their device and expiry
/// (milliseconds). Bounded: when full it starts again empty.
///
/// Tokens leave the database only with their device or by expiry. Expiry the cache checks
/// itself; a removal must reach it through ``forget(_:)``. A lookup notes the ``generation``
/// before reading the database and fills the cache only if nothing was forgotten meanwhile, so
/// a token read just before its device's removal committed is never cached after the removal.
///
/// A store shared by several processes (PostgreSQL) hears of another process's removals only
/// while it listens for them: it keeps the cache ``isEnabled`` only while a listener is up
/// (``listenerStarted()`` / ``listenerStopped()``), and empties it each time one starts, since
/// removals made while nobody listened were never heard.
package final class TokenCache: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var listeners = 0
        var alwaysEnabled: Bool
        var entries: [Data: (device: DeviceID, expiresAt: Int64)] = [:]

        var isEnabled: Bool { alwaysEnabled || listeners > 0 }

        mutating func clear() {
            generation &+= 1
            entries.removeAll(keepingCapacity: true)
        }
    }

    private let state: Mutex<State>
    package let capacity: Int

    /// - Parameter enabled: `true` for a store no other process writes to (SQLite); `false` for
    ///   one whose cache may be used only while a listener hears other processes' removals.
    package init(capacity: Int = 50_000, enabled: Bool) {
        self.capacity = capacity
        state = Mutex(State(alwaysEnabled: enabled))
    }

    package var generation: UInt64 { state.withLock { $0.generation } }

    package var isEnabled: Bool { state.withLock { $0.isEnabled } }

    package func device(for digest: Data, now: Int64) -> DeviceID? {
        state.withLock { state in
            guard state.isEnabled, let entry = state.entries[digest], entry.expiresAt > now else { return nil }
            return entry.device
        }
    }

    /// The device of an unexpired token: from the cache, else from `read` (the database's
    /// device and expiry in milliseconds, or `nil`), remembered unless a device was forgotten
    /// while `read` ran. Both engines look tokens up through this.
    package func device(for digest: Data, now: Int64, read: () async throws -> (device: DeviceID, expiresAt: Int64)?) async throws -> DeviceID? {
        let generation = self.generation
        if let device = device(for: digest, now: now) { return device }
        guard let found = try await read() else { return nil }
        remember(digest, device: found.device, expiresAt: found.expiresAt, ifStill: generation)
        return found.device
    }

    package func remember(_ digest: Data, device: DeviceID, expiresAt: Int64, ifStill generation: UInt64) {
        state.withLock { state in
            guard state.isEnabled, state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[digest] = (device, expiresAt)
        }
    }

    /// Forgets the tokens expired at `now` (as the database's sweep deletes them).
    package func sweep(now: Int64) {
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.expiresAt > now }
        }
    }

    /// Forgets every token of `devices`; call once their removal committed (or was heard of).
    package func forget(_ devices: some Sequence<DeviceID>) {
        let removed = Set(devices)
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { !removed.contains($0.value.device) }
        }
    }

    /// A listener for other processes' removals is up: the cache starts empty and may be used.
    package func listenerStarted() {
        state.withLock { state in
            state.listeners += 1
            state.clear()
        }
    }

    /// A listener went down: with none left, the cache is emptied and not used until one starts.
    package func listenerStopped() {
        state.withLock { state in
            state.listeners = max(0, state.listeners - 1)
            if !state.isEnabled { state.clear() }
        }
    }
}
