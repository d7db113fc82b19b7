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

    private let state: Mutex<State>
    private let drain: @Sendable (Int64) async throws -> Int64
    private let failed: @Sendable (any Error) async -> Void

    /// `drain` sends everything after a cursor and returns the last cursor sent; `failed` runs
    /// once if a drain throws, after which the pusher stays closed.
    init(cursor: Int64, drain: @escaping @Sendable (Int64) async throws -> Int64, failed: @escaping @Sendable (any Error) async -> Void) {
        state = Mutex(State(cursor: cursor))
        self.drain = drain
        self.failed = failed
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

    private func run(from start: Int64) async {
        var cursor = start
        while true {
            do {
                cursor = try await drain(cursor)
            } catch {
                let first = state.withLock { state in
                    defer { state.closed = true }
                    return !state.closed
                }
                if first { await failed(error) }
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
