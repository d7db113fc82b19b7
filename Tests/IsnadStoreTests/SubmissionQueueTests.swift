import Foundation
@testable import IsnadStore
@testable import IsnadStoreSQLite
import Testing

/// The SQLite writer's queue and its commit delay, driven directly: callers suspended on the
/// queue as in `enqueue`, and the writer's side called from a thread of its own.
@Suite("SQLite submission queue: commit delay")
struct SubmissionQueueTests {
    /// Queues `count` submissions from tasks that wait for their answers; returns once all wait.
    static func add(_ count: Int, to queue: SubmissionQueue, drains: Shared<Int>) async -> [Task<SubmissionReceipt, any Error>] {
        var tasks: [Task<SubmissionReceipt, any Error>] = []
        for _ in 0..<count {
            let queued = Shared(false)
            tasks.append(Task {
                try await withUnsafeThrowingContinuation { continuation in
                    let submission = Submission(id: .random(), deliveries: [.init(recipients: [.random()], payload: Data([1]))],
                                                expiresAt: RelayStoreContract.now + 60)
                    if queue.add(submission, digest: submission.digest(), now: RelayStoreContract.now, answer: continuation) {
                        drains.withLock { $0 += 1 }
                    }
                    queued.withLock { $0 = true }
                }
            })
            while !queued.value { await Task.yield() }
        }
        return tasks
    }

    /// The writer's side, on a thread of its own (it blocks): the batch and how long it took.
    static func take(_ queue: SubmissionQueue) async -> (batch: [SubmissionQueue.Waiting]?, seconds: Double) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let start = Date()
                let batch = queue.takeBatch()
                continuation.resume(returning: (batch, Date().timeIntervalSince(start)))
            }
        }
    }

    /// Answers a batch as the writer would and waits for its callers to get their answers.
    static func answer(_ batch: [SubmissionQueue.Waiting]?, _ tasks: [Task<SubmissionReceipt, any Error>]) async throws {
        for waiting in batch ?? [] {
            waiting.answer.resume(returning: SubmissionReceipt(messageID: waiting.pending.submission.id, acceptedAt: RelayStoreContract.now,
                                                               recipientCount: 1, isReplay: false))
        }
        for task in tasks { _ = try await task.value }
    }

    @Test("a batch that found a crowd waits for as many again, and no longer once they came")
    func waitsForCompany() async throws {
        let queue = SubmissionQueue(commitDelay: .seconds(30), delayFrom: 2), drains = Shared(0)
        var tasks = await Self.add(2, to: queue, drains: drains)
        async let taken = Self.take(queue)
        try await Task.sleep(for: .milliseconds(200))
        tasks += await Self.add(2, to: queue, drains: drains)
        let (batch, seconds) = await taken
        #expect(batch?.count == 4, "the two waiting and the two that came during the delay")
        #expect(seconds < 10, "took \(seconds) s: the wait ended when the two came, not at the delay")
        try await Self.answer(batch, tasks)
        #expect(queue.takeBatch() == nil, "nothing left, and the drain is over")
        #expect(drains.value == 1, "one drain for all four")
    }

    @Test("the wait ends at the commit delay when no one else comes")
    func waitsAtMostTheDelay() async throws {
        let queue = SubmissionQueue(commitDelay: .milliseconds(100), delayFrom: 2), drains = Shared(0)
        let tasks = await Self.add(3, to: queue, drains: drains)
        let (batch, seconds) = await Self.take(queue)
        #expect(batch?.count == 3)
        #expect(seconds >= 0.09 && seconds < 10, "took \(seconds) s")
        try await Self.answer(batch, tasks)
    }

    @Test("no delay for a lone submission, below the crowd size, for a full batch, or when it is zero")
    func noDelay() async throws {
        for (delay, count, maxBatch, delayFrom) in [(Duration.seconds(30), 1, 256, 2), (Duration.seconds(30), 15, 256, 16),
                                                    (Duration.seconds(30), 4, 4, 2), (Duration.zero, 3, 256, 2)] {
            let queue = SubmissionQueue(maxBatch: maxBatch, commitDelay: delay, delayFrom: delayFrom), drains = Shared(0)
            let tasks = await Self.add(count, to: queue, drains: drains)
            let (batch, seconds) = await Self.take(queue)
            #expect(batch?.count == count)
            #expect(seconds < 10, "took \(seconds) s")
            try await Self.answer(batch, tasks)
            #expect(drains.value == 1, "the first submission started the drain")
        }
    }
}
