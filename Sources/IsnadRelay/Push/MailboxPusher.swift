import Synchronization

/// Sends one WebSocket connection's mailbox when woken: at most one drain task at a time, and
/// none while the connection is idle. Wake-ups during a drain are coalesced into one more drain,
/// so nothing committed before a wake-up is left unsent.
final class MailboxPusher: Sendable {
    private struct State {
        var cursor: Int64
        var draining = false
        var again = false
        var closed = false
    }

    /// Why a pusher stopped before its connection closed.
    enum Ending: Sendable {
        /// A drain threw (the store or the socket failed).
        case failed(any Error)
        /// The device was removed from its account (``evict()``).
        case deviceRemoved
    }

    private let state: Mutex<State>
    private let drain: @Sendable (Int64) async throws -> Int64
    private let ended: @Sendable (Ending) async -> Void

    /// `drain` sends everything after a cursor and returns the last cursor sent; `ended` runs
    /// at most once, if a drain throws or the pusher is evicted, after which it stays closed.
    init(cursor: Int64, drain: @escaping @Sendable (Int64) async throws -> Int64, ended: @escaping @Sendable (Ending) async -> Void) {
        state = Mutex(State(cursor: cursor))
        self.drain = drain
        self.ended = ended
    }

    @Sendable func wake() {
        let start = state.withLock { state -> Int64? in
            guard !state.closed else { return nil }
            guard !state.draining else {
                state.again = true
                return nil
            }
            state.draining = true
            return state.cursor
        }
        guard let start else { return }
        Task { await run(from: start) }
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

    private func run(from start: Int64) async {
        var cursor = start
        while true {
            do {
                cursor = try await drain(cursor)
            } catch {
                if closeFirst() { await ended(.failed(error)) }
                return
            }
            let again = state.withLock { state -> Bool in
                state.cursor = cursor
                guard state.again, !state.closed else {
                    state.draining = false
                    return false
                }
                state.again = false
                return true
            }
            guard again else { return }
        }
    }
}
