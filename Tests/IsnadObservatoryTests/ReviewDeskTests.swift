import Foundation
import IsnadObservatory
import IsnadStore
import IsnadWire
import Testing

/// The review desk and staff accounts on the in-memory store (the engines' rules are in the storage contract).
@Suite("Review desk")
struct ReviewDeskTests {
    typealias F = ObservatoryFixtures

    /// An observatory with one accepted report and one staff account.
    static func desk() async throws -> (ReviewDesk, SubmissionID, InMemoryObservatoryStore) {
        let store = InMemoryObservatoryStore()
        let observatory = try F.observatory(store: store)
        let id = SubmissionID.random()
        let sealed = try F.sealed(F.report(1, occurred: F.now - 3600), by: F.reporter(), to: observatory.keys.publicKeys)
        _ = try await observatory.intake.submit(id, sealed: sealed, now: F.now)
        try await StaffAccounts(store: store).add("amal", passphrase: "a long passphrase", now: F.now)
        return (ReviewDesk(store: store), id, store)
    }

    @Test("the latest decision of each aspect wins; a correction is a new decision")
    func latestWins() async throws {
        let (desk, id, store) = try await Self.desk()
        try await desk.decide(.verify, report: id, by: "amal", note: "two witnesses", at: F.now)
        try await desk.decide(.reject, report: id, by: "amal", note: "the photo is older", at: F.now + 60)
        try await desk.decide(.claim, report: id, by: "amal", at: F.now + 1)
        let review = try #require(try await desk.review(of: id))
        #expect(review.state == "rejected")
        #expect(review.verdict?.note == "the photo is older")
        #expect(review.claim?.staff == "amal")
        #expect(!review.reviewed.isVerified)
        #expect(try await store.reviewDecisions().count == 3, "the verification is kept, not rewritten")
    }

    @Test("conflicting decisions at the same time, unknown reports and victim records are refused and change nothing")
    func badInput() async throws {
        let (desk, id, store) = try await Self.desk()
        try await desk.decide(.verify, report: id, by: "amal", at: F.now)
        try await StaffAccounts(store: store).add("basel", passphrase: "another long one", now: F.now)
        await #expect(throws: ObservatoryError.self) { try await desk.decide(.reject, report: id, by: "basel", at: F.now) }
        await #expect(throws: ObservatoryError.self) { try await desk.decide(.verify, report: .random(), by: "amal", at: F.now) }
        await #expect(throws: ObservatoryError.self) { try await desk.decide(.same, report: id, by: "amal", at: F.now) }
        let unknown = String(repeating: "0", count: 64)
        await #expect(throws: ObservatoryError.self) { try await desk.decideVictims(unknown + "#0", unknown + "#1", same: true, by: "amal", at: F.now) }
        #expect(try await store.reviewDecisions().count == 1)
        #expect(try await desk.review(of: id)?.state == "verified")
    }

    @Test("staff passphrases: scrypt hash, right and wrong passphrases, short ones and taken names refused")
    func staff() async throws {
        let store = InMemoryObservatoryStore()
        let accounts = StaffAccounts(store: store)
        try await accounts.add("amal", passphrase: "a long passphrase", now: F.now)
        #expect(try await accounts.authenticate("amal", passphrase: "a long passphrase"))
        #expect(try await !accounts.authenticate("amal", passphrase: "a long passphrasE"))
        #expect(try await !accounts.authenticate("nobody", passphrase: "a long passphrase"))
        await #expect(throws: ObservatoryError.self) { try await accounts.add("amal", passphrase: "a long passphrase", now: F.now) }
        await #expect(throws: ObservatoryError.self) { try await accounts.add("basel", passphrase: "short", now: F.now) }
        await #expect(throws: ObservatoryError.self) { try await accounts.add("no spaces", passphrase: "a long passphrase", now: F.now) }
        let stored = try #require(try await store.staffAccount(named: "amal"))
        #expect(stored.passphraseHash.count == 52 && !stored.passphraseHash.contains(Data("a long passphrase".utf8)))
    }

    @Test("publication chains snapshots; the published source shows only logged ones")
    func publication() async throws {
        let store = InMemoryObservatoryStore()
        let observatory = try F.observatory(store: store)
        let publisher = Publisher(desk: ReviewDesk(store: store))
        let first = try await publisher.publish(now: F.now)
        let source = StoredPublishedSnapshots(store: store)
        #expect(try await source.publishedSnapshots().isEmpty, "not in the log yet")
        try await observatory.sequencer.appendBatch()
        let second = try await publisher.publish(now: F.now + 60)
        #expect(second.sequence == 2 && second.previousHash == first.hash)
        try await observatory.sequencer.appendBatch()
        let published = try await source.publishedSnapshots()
        #expect(published.map(\.snapshot.sequence) == [2, 1])
        #expect(published.map(\.logIndex) == [1, 0])
        #expect(try await source.publishedSnapshot(sequence: 1)?.snapshot == first)
        #expect(try await store.logEntries(from: 0, count: 2) == [Data(SnapshotLogEntry.entry(hash: first.hash)), Data(SnapshotLogEntry.entry(hash: second.hash))])
    }
}
