import Foundation
import IsnadStore

/// The mailbox submissions waiting for the SQLite writer, with their callers' continuations.
///
/// The first submission to arrive when no drain is running starts one (``add(_:digest:now:answer:)``
/// returns `true`); the drain, on the writer's queue, takes batches until the queue is empty.
/// Taking the last batch and ending the drain happen under one lock, so a submission added at
/// that moment either joins a batch or starts the next drain: none is left waiting.
///
/// Unlike ``SubmissionBatcher`` (PostgreSQL), no caller's task leads: the next transaction starts
/// on the writer's thread the moment the previous one committed, without waiting for a task to
/// be scheduled on a busy cooperative pool.
///
/// **Commit delay.** Each commit costs about the same whatever it holds (the `fsync`, and the
/// pages every batch rewrites: the device's cursor, the ends of the indexes). When a batch finds
/// a crowd (``delayFrom``, 16, or more submissions waiting: the relay is near saturation, more
/// are on their way), the writer waits up to ``commitDelay`` (300 µs) for as many again before
/// writing, like PostgreSQL's `commit_delay`. Below that it writes at once: at half the
/// saturating rate the delay only added latency (issue 4's benchmark, docs/performance.md).
final class SubmissionQueue: @unchecked Sendable {
    // @unchecked: `state` is read and written only while `condition` is locked.
    struct Waiting: Sendable {
        let pending: SubmissionBatcher.Pending
        let answer: UnsafeContinuation<SubmissionReceipt, any Error>
    }

    private struct State {
        var nextTicket: UInt64 = 0
        var waiting: [Waiting] = []
        var draining = false
        /// A delayed writer wants to be woken once this many wait.
        var wakeAt = Int.max
    }

    private let condition = NSCondition()
    private var state = State()
    /// The most submissions stored in one transaction.
    let maxBatch: Int
    /// The longest a batch that found a crowd waits for more (zero: never).
    let commitDelay: Duration

    /// The fewest waiting submissions that make the writer wait for more.
    let delayFrom: Int

    init(maxBatch: Int = 256, commitDelay: Duration = .microseconds(300), delayFrom: Int = 16) {
        self.maxBatch = maxBatch
        self.commitDelay = commitDelay
        self.delayFrom = delayFrom
    }

    private func locked<T>(_ body: (inout State) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body(&state)
    }

    /// Queues a submission; `true` if the caller must start a drain.
    func add(_ submission: Submission, digest: Data, now: Date, answer: UnsafeContinuation<SubmissionReceipt, any Error>) -> Bool {
        locked { state in
            let ticket = state.nextTicket
            state.nextTicket += 1
            state.waiting.append(Waiting(pending: .init(ticket: ticket, submission: submission, digest: digest, now: now), answer: answer))
            if state.waiting.count >= state.wakeAt { condition.signal() }
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
    }

    /// The next batch for the writer: the oldest waiting submissions, at most ``maxBatch``; `nil`
    /// (and the drain is over) if none wait. Blocks the calling (writer) thread for at most
    /// ``commitDelay`` when ``delayFrom`` or more wait but fewer than ``maxBatch``, for as many again.
    func takeBatch() -> [Waiting]? {
        condition.lock()
        defer { condition.unlock() }
        guard !state.waiting.isEmpty else {
            state.draining = false
            return nil
        }
        let found = state.waiting.count
        if found >= delayFrom, maxBatch > found, commitDelay > .zero {
            state.wakeAt = min(2 * found, maxBatch)
            let deadline = Date(timeIntervalSinceNow: commitDelay / .seconds(1))
            while state.waiting.count < state.wakeAt, condition.wait(until: deadline) {}
            state.wakeAt = .max
        }
        let batch = Array(state.waiting.prefix(maxBatch))
        state.waiting.removeFirst(batch.count)
        return batch
    }
}
