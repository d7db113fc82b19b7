import Foundation
@testable import IsnadRelay
import IsnadStore
import Synchronization
import Testing

@Suite("Mailbox pusher: handed-over messages and reads of the store")
struct MailboxPusherTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let id = MessageID.random()

    static func message(_ cursor: Int64, expiresAt: Date = now + 60) -> MailboxMessage {
        MailboxMessage(cursor: cursor, messageID: id, payload: Data([UInt8(cursor)]), receivedAt: now, expiresAt: expiresAt)
    }

    static func work(_ cursor: Int64, _ handed: [Int64], read: Bool = false) -> MailboxPusher.Work {
        MailboxPusher.Work(cursor: cursor, handed: handed.map { message($0) }, read: read)
    }

    @Test("a drain sends the handed-over messages alone only when they follow its cursor with no gap, unexpired, and no read was asked for")
    func handedPage() {
        #expect(Self.work(5, [6, 7]).handedPage(now: Self.now).map(Array.init) == [Self.message(6), Self.message(7)])
        #expect(Self.work(5, [4, 5, 6, 7]).handedPage(now: Self.now).map(Array.init) == [Self.message(6), Self.message(7)], "those sent already are left out")
        #expect(Self.work(5, [5]).handedPage(now: Self.now)?.isEmpty == true, "nothing new: nothing to send, and no read")
        #expect(Self.work(5, []).handedPage(now: Self.now)?.isEmpty == true)
        #expect(Self.work(5, [6, 7], read: true).handedPage(now: Self.now) == nil, "a wake-up without a message asked for a read")
        #expect(Self.work(5, [7]).handedPage(now: Self.now) == nil, "cursor 6 was committed but not handed over here")
        #expect(Self.work(5, [6, 8]).handedPage(now: Self.now) == nil, "a gap inside")
        let expired = MailboxPusher.Work(cursor: 5, handed: [Self.message(6), Self.message(7, expiresAt: Self.now)], read: false)
        #expect(expired.handedPage(now: Self.now) == nil, "an expired message is left to the store's read, which leaves it out")
        let later = MailboxPusher.Work(cursor: 5, handed: [Self.message(6, expiresAt: Self.now + 0.001)], read: false)
        #expect(later.handedPage(now: Self.now)?.count == 1, "expiring a millisecond later is still sent")
    }

    @Test("the first drain reads the store; a message handed over then is sent without a read; one sent already starts no drain")
    func firstReadThenHanded() async throws {
        let drains = Drains(storeLast: 2)
        let pusher = drains.pusher(cursor: 0, maxHanded: 3)
        pusher.wake()
        await drains.release()
        try await drains.wait(for: 1)
        pusher.deliver(Self.message(3))
        await drains.release()
        try await drains.wait(for: 2)
        #expect(drains.works.map(\.read) == [true, false])
        #expect(drains.works.map(\.cursor) == [0, 2], "the second drain starts after what the read sent")
        #expect(drains.works[1].handedPage(now: Self.now).map(Array.init) == [Self.message(3)])

        pusher.deliver(Self.message(3))
        pusher.deliver(Self.message(1))
        try await Task.sleep(for: .milliseconds(200))
        #expect(drains.works.count == 2, "messages at or before the cursor sent start no drain")
    }

    @Test("messages handed over during a drain wait for the next, in cursor order; more than the pusher keeps turn into a read")
    func duringDrain() async throws {
        let drains = Drains(storeLast: 0)
        let pusher = drains.pusher(cursor: 0, maxHanded: 3)
        pusher.wake()
        try await drains.wait(started: 1)
        // Two requests answered out of commit order.
        pusher.deliver(Self.message(2))
        pusher.deliver(Self.message(1))
        await drains.release()
        try await drains.wait(started: 2)
        #expect(drains.works[1].read == false)
        #expect(drains.works[1].handed.map(\.cursor) == [1, 2])

        // The second drain is still running: one more than three handed over drops them for a read.
        for cursor in Int64(3)...6 { pusher.deliver(Self.message(cursor)) }
        await drains.release()
        try await drains.wait(started: 3)
        #expect(drains.works[2].read == true)
        #expect(drains.works[2].handed.isEmpty, "the messages dropped are read back from the store")
        #expect(drains.works[2].cursor == 2)
        await drains.release()
        try await drains.wait(for: 3)

        pusher.close()
        pusher.deliver(Self.message(7))
        pusher.wake()
        try await Task.sleep(for: .milliseconds(200))
        #expect(drains.works.count == 3, "a closed pusher starts no drain")
    }

    @Test("a wake-up naming a cursor sent or handed over already starts no drain; one beyond reads the store")
    func wakeThrough() async throws {
        let drains = Drains(storeLast: 4)
        let pusher = drains.pusher(cursor: 0, maxHanded: 3)
        pusher.wake()
        await drains.release()
        try await drains.wait(for: 1)
        pusher.wake(through: 4)
        pusher.wake(through: 2)
        try await Task.sleep(for: .milliseconds(200))
        #expect(drains.works.count == 1, "cursors 1...4 were sent by the first drain")

        // Handed over, not yet sent: the drain that takes it is held back.
        pusher.deliver(Self.message(5))
        try await drains.wait(started: 2)
        pusher.wake(through: 5)
        await drains.release()
        try await drains.wait(for: 2)
        try await Task.sleep(for: .milliseconds(200))
        #expect(drains.works.count == 2, "cursor 5 was handed over: its own notification asks for nothing")
        #expect(drains.works[1].read == false)

        pusher.wake(through: 6)
        await drains.release()
        try await drains.wait(for: 3)
        #expect(drains.works.count == 3 && drains.works[2].read, "cursor 6 came from elsewhere: the store is read")
        #expect(drains.works[2].cursor == 5)
    }
}

/// A pusher's drains, recorded; each waits for ``release()`` before it returns. A read "sends"
/// the store up to `storeLast`, a drain without one the handed-over page.
final class Drains: Sendable {
    private let state = Mutex<(works: [MailboxPusher.Work], finished: Int)>(([], 0))
    private let permits = Permits()
    private let storeLast: Int64

    init(storeLast: Int64) {
        self.storeLast = storeLast
    }

    var works: [MailboxPusher.Work] { state.withLock { $0.works } }

    func pusher(cursor: Int64, maxHanded: Int) -> MailboxPusher {
        MailboxPusher(cursor: cursor, maxHanded: maxHanded, drain: { [self] work in
            state.withLock { $0.works.append(work) }
            await permits.take()
            defer { state.withLock { $0.finished += 1 } }
            if work.read { return max(work.cursor, storeLast) }
            return work.handedPage(now: MailboxPusherTests.now)?.last?.cursor ?? work.cursor
        }, ended: { _ in })
    }

    func release() async { await permits.give() }

    /// Waits (up to 10 s) until `count` drains have started.
    func wait(started count: Int) async throws { try await until { $0.works.count >= count } }
    /// Waits (up to 10 s) until `count` drains have finished.
    func wait(for count: Int) async throws { try await until { $0.finished >= count } }

    private func until(_ condition: ((works: [MailboxPusher.Work], finished: Int)) -> Bool) async throws {
        for _ in 0..<1000 {
            if state.withLock({ condition($0) }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the drains did not get there in 10 s: \(state.withLock { ($0.works.count, $0.finished) })")
    }
}

/// Permits handed out one at a time, to waiters in order.
actor Permits {
    private var available = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func take() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }
}
