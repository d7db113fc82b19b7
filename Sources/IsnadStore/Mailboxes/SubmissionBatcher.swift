import Foundation
import Synchronization

/// Group commit for mailbox submissions of an engine whose store is asynchronous (PostgreSQL):
/// those that arrive while a batch is being written are stored together in the next
/// transaction, so they share its round trips and one NOTIFY. (SQLite, whose writes run
/// synchronously on one writer queue, drains its batches there instead: `SubmissionQueue`; both
/// share ``Pending``.) Package access: not part of the public API.
///
/// No extra task runs it: the first caller to find no batch in progress becomes the leader and
/// stores batches until its own submission is done, then hands the lead to the oldest waiting
/// caller. Every caller is answered only after the transaction holding its submission
/// committed, so a 2xx still means durable.
///
/// ```
/// caller ─▶ add ─┬─ leader? ─▶ takeBatch ─▶ store (one transaction) ─▶ complete ─┬─▶ own result
///                │                                                               └─▶ hand the lead on
///                └─ follower ─▶ wait ─▶ result, or the lead
/// ```
package final class SubmissionBatcher: Sendable {
    package struct Pending: Sendable {
        package let ticket: UInt64
        package let submission: Submission
        package let digest: Data
        package let now: Date

        package init(ticket: UInt64, submission: Submission, digest: Data, now: Date) {
            self.ticket = ticket
            self.submission = submission
            self.digest = digest
            self.now = now
        }
    }

    enum Outcome: Sendable {
        case done(Result<SubmissionReceipt, StoreError>)
        case lead
    }

    private struct State {
        var nextTicket: UInt64 = 0
        var pending: [Pending] = []
        var isLeading = false
        var outcomes: [UInt64: Outcome] = [:]
        var waiters: [UInt64: CheckedContinuation<Outcome, Never>] = [:]
    }

    private let state = Mutex(State())
    /// The most submissions stored in one transaction.
    package let maxBatch: Int
    /// The most payload bytes stored in one transaction (a batch always takes at least one
    /// submission): bounds the size of one statement for an engine that sends the batch to a server.
    package let maxBatchBytes: Int

    package init(maxBatch: Int = 256, maxBatchBytes: Int = .max) {
        self.maxBatch = maxBatch
        self.maxBatchBytes = maxBatchBytes
    }

    /// The oldest pending submissions within ``maxBatch`` and ``maxBatchBytes``, at least one.
    func takeBatch(_ pending: inout [Pending]) -> [Pending] {
        var count = 0, bytes = 0
        for entry in pending.prefix(maxBatch) {
            bytes += entry.submission.deliveries.reduce(0) { $0 + $1.payload.count }
            if count > 0, bytes > maxBatchBytes { break }
            count += 1
        }
        defer { pending.removeFirst(count) }
        return Array(pending.prefix(count))
    }

    /// Stores `submission` through `store` (one transaction per batch); returns its receipt.
    package func submit(
        _ submission: Submission, digest: Data, now: Date,
        store: @Sendable ([Pending]) async -> [UInt64: Result<SubmissionReceipt, StoreError>]
    ) async throws -> SubmissionReceipt {
        let (ticket, leads) = state.withLock { state -> (UInt64, Bool) in
            let ticket = state.nextTicket
            state.nextTicket += 1
            state.pending.append(Pending(ticket: ticket, submission: submission, digest: digest, now: now))
            guard !state.isLeading else { return (ticket, false) }
            state.isLeading = true
            return (ticket, true)
        }
        var outcome: Outcome = leads ? .lead : await wait(ticket)
        while case .lead = outcome {
            // Lead: store batches until this caller's own submission is done.
            while true {
                let batch = state.withLock { takeBatch(&$0.pending) }
                if batch.isEmpty { break }
                complete(await store(batch))
                if case .done = state.withLock({ $0.outcomes[ticket] }) { break }
            }
            handOver()
            outcome = await wait(ticket)
        }
        guard case .done(let result) = outcome else { throw StoreError(.internal, "A submission was left without an answer.") }
        return try result.get()
    }

    /// The outcome for `ticket`, as soon as there is one.
    private func wait(_ ticket: UInt64) async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Outcome? in
                if let outcome = state.outcomes.removeValue(forKey: ticket) { return outcome }
                state.waiters[ticket] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Records results and wakes their callers.
    private func complete(_ results: [UInt64: Result<SubmissionReceipt, StoreError>]) {
        let wake = state.withLock { state -> [(CheckedContinuation<Outcome, Never>, Outcome)] in
            var wake: [(CheckedContinuation<Outcome, Never>, Outcome)] = []
            for (ticket, result) in results {
                if let waiter = state.waiters.removeValue(forKey: ticket) {
                    wake.append((waiter, .done(result)))
                } else {
                    state.outcomes[ticket] = .done(result)
                }
            }
            return wake
        }
        for (waiter, outcome) in wake { waiter.resume(returning: outcome) }
    }

    /// Ends this caller's lead: the oldest waiting submission's caller leads next, or nobody if none waits.
    private func handOver() {
        let next = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard let first = state.pending.first else {
                state.isLeading = false
                return nil
            }
            if let waiter = state.waiters.removeValue(forKey: first.ticket) { return waiter }
            state.outcomes[first.ticket] = .lead
            return nil
        }
        next?.resume(returning: .lead)
    }
}
