import Foundation
@testable import IsnadStore
@testable import IsnadStorePostgres
import Synchronization
import Testing

/// The payload of `NOTIFY isnad_mailbox`: device IDs, then each one's newest cursor.
@Suite("PostgreSQL wake-ups: payloads")
struct PostgresWakeupPayloadTests {
    static let first = DeviceID.random(), second = DeviceID.random()

    @Test("device IDs followed by one cursor each name each device's newest message; anything else wakes the devices alone")
    func payloads() {
        let (first, second) = (Self.first, Self.second)
        #expect(PostgresRelayStore.wakeup("\(first),\(second),@3,@9") == .newest([first: 3, second: 9]))
        #expect(PostgresRelayStore.wakeup("\(first.uuid.uuidString),@12") == .newest([first: 12]), "upper-case IDs")
        #expect(PostgresRelayStore.wakeup("\(first),\(second)") == .devices([first, second]), "a relay from before the cursors")
        #expect(PostgresRelayStore.wakeup("\(first),\(second),@3") == .devices([first, second]), "a cursor missing")
        #expect(PostgresRelayStore.wakeup("\(first),@x") == .devices([first]), "a cursor that is not a number")
        #expect(PostgresRelayStore.wakeup("removed:\(first)") == .removed([first]))
        #expect(PostgresRelayStore.wakeup("") == .devices([]))
    }

    @Test("a relay from before the cursors reads the device IDs of a payload with cursors")
    func olderRelays() {
        // That relay's whole parser: the items that are device IDs.
        let payload = "\(Self.first),\(Self.second),@3,@9"
        #expect(payload.split(separator: ",").compactMap { DeviceID(String($0)) } == [Self.first, Self.second])
    }
}

@Suite(
    "PostgreSQL wake-ups: what a commit notifies",
    .enabled(
        if: PostgresTestDatabase.isConfigured,
        "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against: run `bash scripts/test.sh`, or `eval \"$(bash scripts/postgres-test-cluster.sh start)\"` first"
    )
)
struct PostgresWakeupTests {
    static let now = RelayStoreContract.now

    /// The newest cursor of each device among these copies.
    static func newest(_ copies: [SubmissionReceipt.Copy]) -> [DeviceID: Int64] {
        Dictionary(copies.map { ($0.device, $0.cursor) }, uniquingKeysWith: max)
    }

    @Test("each commit that stores messages notifies every recipient with its newest cursor; a removal names the device")
    func commitsNotifyCursors() async throws {
        try await PostgresTestDatabase.withFreshStore { store in
            let heard = Heard()
            let watch = Task { try await store.watchMailboxes { heard.append($0) } }
            defer { watch.cancel() }
            try await heard.wait { $0.contains(.all) }

            var devices: [Device] = []
            for _ in 0..<150 { devices.append(try await RelayStoreContract.registerDevice(store)) }
            let (a, b) = (devices[0].id, devices[1].id)
            var expected: [[DeviceID: Int64]] = []

            // One device twice (two deliveries), another once.
            let twice = Submission(id: .random(), deliveries: [.init(recipients: [a, b], payload: Data([1])), .init(recipients: [a], payload: Data([2]))],
                                   expiresAt: Self.now + 3600)
            let receipt = try await store.enqueue(twice, now: Self.now)
            #expect(Self.newest(receipt.copies) == [a: 2, b: 1])
            expected.append([a: 2, b: 1])

            // Submissions stored together in one transaction: one notification, each device's newest.
            let batch = (0..<5).map { index in
                Submission(id: .random(), deliveries: [.init(recipients: index.isMultiple(of: 2) ? [a] : [a, b], payload: Data([UInt8(index)]))],
                           expiresAt: Self.now + 3600)
            }
            let results = await store.store(batch.enumerated().map { index, submission in
                SubmissionBatcher.Pending(ticket: UInt64(index), submission: submission, digest: submission.digest(), now: Self.now)
            })
            let receipts = try results.keys.sorted().map { try results[$0]!.get() }
            #expect(receipts.count == 5)
            expected.append(Self.newest(receipts.flatMap(\.copies)))
            #expect(expected.last == [a: 7, b: 3])

            // A replay stores nothing and notifies nothing; the next commit's notification comes next.
            #expect(try await store.enqueue(twice, now: Self.now).isReplay)

            // A group commit and its Welcome.
            let commit = Submission(id: .random(), deliveries: [.init(recipients: [b], payload: Data([9])), .init(recipients: [devices[2].id], payload: Data([10]))],
                                    expiresAt: Self.now + 3600)
            #expect(try await store.advanceEpoch(of: GroupID(Data([7])), expected: 0, delivering: commit, now: Self.now)
                    == .advanced(epoch: 1, isReplay: false, stored: SubmissionReceipt(storing: commit, at: Self.now, copies: [
                        .init(device: b, cursor: 4, delivery: 0), .init(device: devices[2].id, cursor: 1, delivery: 1),
                    ])))
            expected.append([b: 4, devices[2].id: 1])

            try await heard.wait { $0.count >= 4 }
            #expect(Array(heard.wakeups.dropFirst()) == expected.map { .newest($0) })

            // More devices than one notification names: two, 100 and 50.
            let wide = Submission(id: .random(), deliveries: [.init(recipients: devices[3...].map(\.id), payload: Data([11]))], expiresAt: Self.now + 3600)
            _ = try await store.enqueue(wide, now: Self.now)
            try await heard.wait { $0.count >= 6 }
            let parts = heard.wakeups.dropFirst(4).compactMap { wakeup -> [DeviceID: Int64]? in
                if case .newest(let cursors) = wakeup { return cursors }
                return nil
            }
            #expect(parts.map(\.count).sorted() == [47, 100])
            #expect(parts.reduce(into: [:]) { $0.merge($1) { first, _ in first } } == Dictionary(uniqueKeysWithValues: devices[3...].map { ($0.id, Int64(1)) }))

            let linked = try await store.addDevice(Device(id: .random(), identityKey: devices[5].identityKey, publicKey: RelayStoreContract.randomBytes(32),
                                                          binding: RelayStoreContract.randomBytes(64), createdAt: Self.now))
            #expect(try await store.removeDevice(linked.id))
            try await heard.wait { $0.count >= 7 }
            #expect(heard.wakeups.last == .removed([linked.id]))
        }
    }
}

/// The wake-ups a watch delivered, in order.
final class Heard: Sendable {
    private let list = Mutex<[MailboxWakeup]>([])

    func append(_ wakeup: MailboxWakeup) { list.withLock { $0.append(wakeup) } }

    var wakeups: [MailboxWakeup] { list.withLock { $0 } }

    /// Waits (up to 10 s) until the wake-ups heard meet `condition`.
    func wait(_ condition: ([MailboxWakeup]) -> Bool) async throws {
        for _ in 0..<1000 {
            if list.withLock({ condition($0) }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the wake-ups did not arrive in 10 s: \(wakeups)")
    }
}
