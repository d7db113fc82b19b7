import Foundation
import IsnadStore
import Synchronization

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
final class SubmissionQueue: Sendable {
    struct Waiting: Sendable {
        let pending: SubmissionBatcher.Pending
        let answer: CheckedContinuation<SubmissionReceipt, any Error>
    }

    private struct State {
        var nextTicket: UInt64 = 0
        var waiting: [Waiting] = []
        var draining = false
    }

    private let state = Mutex(State())
    /// The most submissions stored in one transaction.
    let maxBatch: Int

    init(maxBatch: Int = 256) {
        self.maxBatch = maxBatch
    }

    /// Queues a submission; `true` if the caller must start a drain.
    func add(_ submission: Submission, digest: Data, now: Date, answer: CheckedContinuation<SubmissionReceipt, any Error>) -> Bool {
        state.withLock { state in
            let ticket = state.nextTicket
            state.nextTicket += 1
            state.waiting.append(Waiting(pending: .init(ticket: ticket, submission: submission, digest: digest, now: now), answer: answer))
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
    }

    /// The oldest waiting submissions, at most ``maxBatch``; `nil` (and the drain is over) if none wait.
    func takeBatch() -> [Waiting]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.draining = false
                return nil
            }
            let batch = Array(state.waiting.prefix(maxBatch))
            state.waiting.removeFirst(batch.count)
            return batch
        }
    }
}
