import Foundation

/// The rules every ``ObservatoryStore`` engine must keep, as checks a test target runs on a fresh store.
///
/// ```swift
/// @Test(arguments: ObservatoryStoreContract.checks)
/// func sqlite(_ check: ObservatoryStoreContract.Check) async throws {
///     try await check.run(on: makeFreshStore())
/// }
/// ```
public enum ObservatoryStoreContract {
    /// The reason code stored for a report whose signed bytes were accepted before.
    public static let duplicateReason = "duplicate"
    /// The sentence stored with ``duplicateReason``.
    public static let duplicateMessage = "The same signed report was already accepted; it is logged once."

    /// One named check; run it on an empty store.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check shows.
        public let name: String
        let body: @Sendable (any ObservatoryStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any ObservatoryStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the check.
        /// - Throws: ``ContractFailure`` when the store breaks the rule, or the store's own error.
        public func run(on store: any ObservatoryStore) async throws { try await body(store) }

        public var description: String { name }
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Every check, in a stable order.
    public static let checks: [Check] = logChecks + reviewChecks + evidenceChecks

    static let logChecks: [Check] = [
        Check("a sealed submission is stored first; retries and replays are recognised") { store in
            let id = SubmissionID.random()
            let sealed = RelayStoreContract.randomBytes(100)
            let digest = RelayStoreContract.randomBytes(32)
            try expect(try await store.receive(id, sealed: sealed, sealedDigest: digest, now: now) == .stored, "a new submission is stored")
            try expect(try await store.receive(id, sealed: sealed, sealedDigest: digest, now: now) == .retried, "the same ID and bytes is a retry")
            try expect(try await store.receive(.random(), sealed: sealed, sealedDigest: digest, now: now) == .replay, "the same bytes under another ID is a replay")
            try await expectStoreError(.conflict, "the same ID with other bytes") {
                try await store.receive(id, sealed: RelayStoreContract.randomBytes(10), sealedDigest: RelayStoreContract.randomBytes(32), now: now)
            }
            let pending = try await store.pendingSubmissions(limit: 10)
            try expect(pending == [PendingSubmission(id: id, sealed: sealed, receivedAt: now)], "the raw bytes are pending, exactly as received")
            try expect(try await store.status(id)?.state == .pending, "its status is pending")
            try expect(try await store.status(.random()) == nil, "an unknown ID has no status")
        },
        Check("pending submissions come oldest first; a rejection keeps its reason and ends pending") { store in
            let ids = (0..<3).map { _ in SubmissionID.random() }
            for (offset, id) in ids.enumerated() {
                _ = try await store.receive(id, sealed: Data([UInt8(offset)]), sealedDigest: RelayStoreContract.randomBytes(32), now: now + Double(offset))
            }
            try expect(try await store.pendingSubmissions(limit: 10).map(\.id) == ids, "oldest first")
            try expect(try await store.pendingSubmissions(limit: 2).map(\.id) == Array(ids.prefix(2)), "limit respected")
            try await store.reject(ids[0], reason: "report.signature.invalid", message: "The signature does not verify.", now: now)
            try expect(
                try await store.status(ids[0])?.state == .rejected(reason: "report.signature.invalid", message: "The signature does not verify."),
                "the reason is retrievable")
            try expect(try await store.pendingSubmissions(limit: 10).map(\.id) == Array(ids.dropFirst()), "no longer pending")
            try await store.reject(ids[0], reason: "other", message: "other", now: now)
            try expect(try await store.status(ids[0])?.state == .rejected(reason: "report.signature.invalid", message: "The signature does not verify."),
                       "a processed submission is not rejected again")
        },
        Check("an accepted report is stored once; the same signed bytes again are a duplicate") { store in
            let first = try await receivedReport(store)
            try expect(try await store.accept(first, now: now) == .accepted, "accepted")
            try expect(try await store.accept(first, now: now) == .alreadyProcessed, "a second processor finds it processed")
            try expect(try await store.status(first.submissionID)?.state == .accepted, "status accepted")
            try expect(try await store.status(first.submissionID)?.report == first, "the stored report reads back exactly")
            var second = try await receivedReport(store)
            second.digest = first.digest
            try expect(try await store.accept(second, now: now) == .duplicate, "same digest is a duplicate")
            try expect(try await store.status(second.submissionID)?.state == .rejected(reason: duplicateReason, message: duplicateMessage), "rejected as duplicate")
            try expect(try await store.pendingSubmissions(limit: 10).isEmpty, "nothing pending")
            try expect(try await store.unloggedReports(limit: 10) == [UnloggedReport(submissionID: first.submissionID, commitment: first.commitment, salt: first.salt, signedReport: first.signedReport)],
                       "only the first waits for the log")
        },
        Check("a log batch is appended atomically and read back: entries, tiles, checkpoint, receipts") { store in
            var reports: [AcceptedReport] = []
            for _ in 0..<3 {
                let report = try await receivedReport(store)
                _ = try await store.accept(report, now: now)
                reports.append(report)
            }
            try expect(try await store.unloggedReports(limit: 10).map(\.submissionID) == reports.map(\.submissionID), "acceptance order")
            try expect(try await store.logSize() == 0, "an empty log")
            try expect(try await store.latestCheckpoint() == nil, "no checkpoint yet")
            let tile = StoredTile(level: 0, index: 0, width: 2, data: RelayStoreContract.randomBytes(64))
            let batch = LogBatch(
                firstIndex: 0,
                entries: reports.prefix(2).map { LogBatch.Entry(submissionID: $0.submissionID, commitment: $0.commitment, receipt: Data([1, 2])) },
                tiles: [tile], checkpoint: StoredCheckpoint(treeSize: 2, note: Data("note\n".utf8)))
            try await store.appendLog(batch)
            try await expectStoreError(.conflict, "a batch prepared for an older size") { try await store.appendLog(batch) }
            try expect(try await store.logSize() == 2, "two entries")
            try expect(try await store.latestCheckpoint() == batch.checkpoint, "the checkpoint")
            try expect(try await store.tile(level: 0, index: 0) == tile, "the tile")
            try expect(try await store.tile(level: 1, index: 0) == nil, "no such tile")
            try expect(try await store.logEntries(from: 0, count: 10) == reports.prefix(2).map(\.commitment), "entries in order")
            try expect(try await store.logEntries(from: 1, count: 1) == [reports[1].commitment], "a range of entries")
            try expect(try await store.status(reports[1].submissionID)?.state == .logged(index: 1, receipt: Data([1, 2])), "logged with its receipt")
            try expect(try await store.unloggedReports(limit: 10).map(\.submissionID) == [reports[2].submissionID], "the third still waits")

            let wider = StoredTile(level: 0, index: 0, width: 3, data: RelayStoreContract.randomBytes(96))
            try await store.appendLog(LogBatch(
                firstIndex: 2, entries: [LogBatch.Entry(submissionID: reports[2].submissionID, commitment: reports[2].commitment, receipt: Data([3]))],
                tiles: [wider], checkpoint: StoredCheckpoint(treeSize: 3, note: Data("note3\n".utf8))))
            try expect(try await store.tile(level: 0, index: 0) == wider, "a tile is replaced by its wider version")
            let logged = try await store.loggedReports(from: 1, limit: 5)
            try expect(logged.map(\.index) == [1, 2], "logged reports by index")
            try expect(logged.first == LoggedReport(
                index: 1, submissionID: reports[1].submissionID, entry: reports[1].commitment,
                signedReport: reports[1].signedReport, salt: reports[1].salt), "with their openings")
        },
        Check("a batch naming a report that is not accepted changes nothing") { store in
            let report = try await receivedReport(store)
            let batch = LogBatch(
                firstIndex: 0, entries: [LogBatch.Entry(submissionID: report.submissionID, commitment: report.commitment, receipt: Data())],
                tiles: [], checkpoint: StoredCheckpoint(treeSize: 1, note: Data("n\n".utf8)))
            do {
                try await store.appendLog(batch)
                throw ContractFailure(description: "a batch of a pending submission was appended")
            } catch is StoreError {}
            try expect(try await store.logSize() == 0, "nothing appended")
            try expect(try await store.latestCheckpoint() == nil, "no checkpoint")
        },
    ]

    /// Receives a random submission and returns a report for it, not yet accepted.
    static func receivedReport(_ store: any ObservatoryStore) async throws -> AcceptedReport {
        let id = SubmissionID.random()
        _ = try await store.receive(id, sealed: RelayStoreContract.randomBytes(50), sealedDigest: RelayStoreContract.randomBytes(32), now: now)
        return AcceptedReport(
            submissionID: id, signedReport: RelayStoreContract.randomBytes(200), digest: RelayStoreContract.randomBytes(32),
            salt: RelayStoreContract.randomBytes(32), commitment: RelayStoreContract.randomBytes(32), reporterKey: RelayStoreContract.randomBytes(32))
    }
}
