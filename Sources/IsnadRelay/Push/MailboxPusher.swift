import Foundation
import IsnadStore
import Synchronization

/// Sends one WebSocket connection's mailbox when woken: at most one drain task at a time, and
/// none while the connection is idle. Wake-ups during a drain are coalesced into one more drain,
/// so nothing committed before a wake-up is left unsent.
///
/// A wake-up may hand over the message just committed (``deliver(_:)``). A drain sends handed-over
/// messages without reading the store when they follow its cursor with no gap; otherwise, or
/// after a wake-up that carried nothing (``wake()``), it reads the store (``Work``).
final class MailboxPusher: Sendable {
    /// What one drain is asked to do.
    struct Work: Sendable {
        /// The last cursor sent.
        var cursor: Int64
        /// Messages handed over since the last drain, in cursor order (some may be at or before `cursor`).
        var handed: [MailboxMessage]
        /// Whether the store must be read: a wake-up carried no message, or more were handed
        /// over than ``MailboxPusher/init(cursor:maxHanded:drain:ended:)`` keeps.
        var read: Bool

        /// The handed-over messages to send, if they are all there is to send: no read was
        /// asked for, and those after the cursor follow it with no gap (a device's cursors are
        /// consecutive, so a gap is a message committed elsewhere or handed over later) and
        /// have not expired by `now` (a read would leave them out). Nil: read the store.
        /// A message committed after the last one handed over comes with a wake-up of its own.
        func handedPage(now: Date) -> ArraySlice<MailboxMessage>? {
            guard !read else { return nil }
            let page = handed.drop { $0.cursor <= cursor }
            let now = StoredTime.milliseconds(now)
            var expected = cursor
            for message in page {
                expected += 1
                guard message.cursor == expected, StoredTime.milliseconds(message.expiresAt) > now else { return nil }
            }
            return page
        }
    }

    private struct State {
        var cursor: Int64
        /// The newest cursor sent or handed over (a handed-over message is sent by a drain, or
        /// read by one that starts after its commit).
        var promised: Int64
        var draining = false
        var again = false
        var closed = false
        var handed: [MailboxMessage] = []
        var read = true

        /// The next drain's work; clears what it takes.
        mutating func take() -> Work {
            defer {
                handed = []
                read = false
            }
            return Work(cursor: cursor, handed: handed, read: read)
        }
    }

    /// Why a pusher stopped before its connection closed.
    enum Ending: Sendable {
        /// A drain threw (the store or the socket failed).
        case failed(any Error)
        /// The device was removed from its account (``evict()``).
        case deviceRemoved
    }

    private let state: Mutex<State>
    private let maxHanded: Int
    private let drain: @Sendable (Work) async throws -> Int64
    private let ended: @Sendable (Ending) async -> Void

    /// `drain` sends what its ``Work`` asks for and returns the last cursor sent; `ended` runs
    /// at most once, if a drain throws or the pusher is evicted, after which it stays closed.
    /// At most `maxHanded` handed-over messages wait for a drain; beyond, they are dropped and
    /// the drain reads the store instead.
    init(cursor: Int64, maxHanded: Int, drain: @escaping @Sendable (Work) async throws -> Int64,
         ended: @escaping @Sendable (Ending) async -> Void) {
        state = Mutex(State(cursor: cursor, promised: cursor))
        self.maxHanded = maxHanded
        self.drain = drain
        self.ended = ended
    }

    /// Something was committed for this device: the drain reads the store.
    @Sendable func wake() {
        wake(through: .max)
    }

    /// Messages up to `cursor` were committed for this device: the drain reads the store, unless
    /// that cursor was sent or handed over already (the wake-up of a commit whose messages came
    /// with ``deliver(_:)``).
    func wake(through cursor: Int64) {
        let work = state.withLock { state -> Work? in
            guard cursor > state.promised else { return nil }
            state.read = true
            return Self.start(&state)
        }
        if let work { Task { await run(work) } }
    }

    /// `message` was committed for this device (call only after the commit).
    func deliver(_ message: MailboxMessage) {
        let work = state.withLock { state -> Work? in
            state.promised = max(state.promised, message.cursor)
            // Sent already (the drain that sent it read the store).
            if !state.draining, message.cursor <= state.cursor { return nil }
            if state.handed.count >= maxHanded {
                state.handed = []
                state.read = true
            } else if let last = state.handed.last, last.cursor > message.cursor {
                // Two requests' answers may arrive out of commit order.
                state.handed.insert(message, at: state.handed.firstIndex { $0.cursor > message.cursor } ?? state.handed.endIndex)
            } else {
                state.handed.append(message)
            }
            return Self.start(&state)
        }
        if let work { Task { await run(work) } }
    }

    /// The work of a drain to start now, or nil if one runs (it will drain once more) or the pusher is closed.
    private static func start(_ state: inout State) -> Work? {
        guard !state.closed else { return nil }
        guard !state.draining else {
            state.again = true
            return nil
        }
        state.draining = true
        return state.take()
    }

    /// Stops further drains (a drain already running finishes its current page).
    func close() {
        state.withLock { $0.closed = true }
    }

    /// Stops further drains and runs `ended(.deviceRemoved)`, unless the pusher already stopped.
    func evict() {
        guard closeFirst() else { return }
        Task { await ended(.deviceRemoved) }
    }

    /// Closes; true if this call is the one that did.
    private func closeFirst() -> Bool {
        state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
    }

    private func run(_ first: Work) async {
        var work = first
        while true {
            let cursor: Int64
            do {
                cursor = try await drain(work)
            } catch {
                if closeFirst() { await ended(.failed(error)) }
                return
            }
            let next = state.withLock { state -> Work? in
                state.cursor = cursor
                state.promised = max(state.promised, cursor)
                guard state.again, !state.closed else {
                    state.draining = false
                    state.handed = []
                    return nil
                }
                state.again = false
                return state.take()
            }
            guard let next else { return }
            work = next
        }
    }
}
