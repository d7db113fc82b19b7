import Foundation

extension ObservatoryStoreContract {
    /// The rules of staff accounts, review decisions and published snapshots.
    static let reviewChecks: [Check] = [
        Check("staff accounts are created once and read back") { store in
            let account = StaffAccount(name: "amal", passphraseHash: RelayStoreContract.randomBytes(64), createdAt: now)
            try await store.addStaff(account)
            try expect(try await store.staffAccount(named: "amal") == account, "the account reads back")
            try await expectStoreError(.conflict, "a second account of the same name") {
                try await store.addStaff(StaffAccount(name: "amal", passphraseHash: RelayStoreContract.randomBytes(64), createdAt: now))
            }
            try expect(try await store.staffAccount(named: "amal") == account, "the first account is unchanged")
            try expect(try await store.staffAccount(named: "nobody") == nil, "an unknown name has no account")
        },
        Check("review decisions are appended, never rewritten; unknown staff, unknown reports and conflicts change nothing") { store in
            try await store.addStaff(StaffAccount(name: "amal", passphraseHash: Data([1]), createdAt: now))
            try await store.addStaff(StaffAccount(name: "basel", passphraseHash: Data([2]), createdAt: now))
            let report = try await receivedReport(store)
            _ = try await store.accept(report, now: now)
            try expect(try await store.acceptedReports() == [report], "the accepted report is listed")
            let subject = report.submissionID.description
            let claim = try await store.recordReviewDecision(
                ReviewDecision(action: .claim, subject: subject, staff: "amal", note: "", decidedAt: now))
            let verify = try await store.recordReviewDecision(
                ReviewDecision(action: .verify, subject: subject, staff: "amal", note: "two witnesses", decidedAt: now + 1))
            try expect(verify.sequence > claim.sequence, "sequences increase")
            try expect(try await store.recordReviewDecision(verify) == verify, "the same decision again is a retry, not a second row")
            try await expectStoreError(.conflict, "a rejection at the same time as the verification") {
                try await store.recordReviewDecision(ReviewDecision(action: .reject, subject: subject, staff: "basel", note: "no", decidedAt: now + 1))
            }
            try await expectStoreError(.notFound, "an unknown staff member") {
                try await store.recordReviewDecision(ReviewDecision(action: .verify, subject: subject, staff: "nobody", note: "", decidedAt: now + 2))
            }
            try await expectStoreError(.notFound, "an unknown report") {
                try await store.recordReviewDecision(
                    ReviewDecision(action: .verify, subject: SubmissionID.random().description, staff: "amal", note: "", decidedAt: now + 2))
            }
            try await expectStoreError(.notFound, "a subject that is not a submission ID") {
                try await store.recordReviewDecision(ReviewDecision(action: .claim, subject: "x", staff: "amal", note: "", decidedAt: now + 2))
            }
            let correction = try await store.recordReviewDecision(
                ReviewDecision(action: .reject, subject: subject, staff: "basel", note: "photo is older", decidedAt: now + 3))
            let pair = try await store.recordReviewDecision(
                ReviewDecision(action: .same, subject: "a#0|b#1", staff: "basel", note: "", decidedAt: now + 3))
            try await expectStoreError(.conflict, "a split at the same time as the merge") {
                try await store.recordReviewDecision(ReviewDecision(action: .different, subject: "a#0|b#1", staff: "amal", note: "", decidedAt: now + 3))
            }
            let all = try await store.reviewDecisions()
            try expect(all == [claim, verify, correction, pair], "every decision once, in order, exactly as recorded")
        },
        Check("snapshots are stored in sequence and logged after the batch's reports") { store in
            let first = StoredSnapshot(sequence: 1, hash: RelayStoreContract.randomBytes(32), encoded: RelayStoreContract.randomBytes(90), publishedAt: now)
            try await expectStoreError(.conflict, "a snapshot that skips a sequence") {
                try await store.storeSnapshot(StoredSnapshot(sequence: 2, hash: first.hash, encoded: first.encoded, publishedAt: now))
            }
            try await store.storeSnapshot(first)
            try await expectStoreError(.conflict, "the same sequence twice") { try await store.storeSnapshot(first) }
            try expect(try await store.snapshots() == [first], "stored, not yet logged")
            let report = try await receivedReport(store)
            _ = try await store.accept(report, now: now)
            let entry = RelayStoreContract.randomBytes(55)
            try await store.appendLog(LogBatch(
                firstIndex: 0, entries: [LogBatch.Entry(submissionID: report.submissionID, commitment: report.commitment, receipt: Data([1]))],
                snapshots: [LogBatch.SnapshotEntry(sequence: 1, entry: entry)], tiles: [],
                checkpoint: StoredCheckpoint(treeSize: 2, note: Data("n2\n".utf8))))
            var logged = first
            logged.logIndex = 1
            try expect(try await store.snapshots() == [logged], "the snapshot's log index follows the report's")
            try expect(try await store.logEntries(from: 0, count: 5) == [report.commitment, entry], "its entry is in the log")
            try expect(try await store.loggedReports(from: 0, limit: 5).map(\.index) == [0], "a snapshot entry is not a logged report")
            try await expectStoreError(.invalidArgument, "logging the same snapshot twice") {
                try await store.appendLog(LogBatch(
                    firstIndex: 2, entries: [], snapshots: [LogBatch.SnapshotEntry(sequence: 1, entry: entry)], tiles: [],
                    checkpoint: StoredCheckpoint(treeSize: 3, note: Data("n3\n".utf8))))
            }
            try expect(try await store.logSize() == 2, "nothing appended")
        },
    ]
}

extension ObservatoryStoreContract {
    /// The rules of evidence blobs: resumable appends, received blobs kept unchanged, failed uploads dropped.
    static let evidenceChecks: [Check] = [
        Check("evidence blobs grow only from the held offset, read back whole, and once received are kept unchanged") { store in
            let hash = RelayStoreContract.randomBytes(32)
            let first = RelayStoreContract.randomBytes(1000)
            let second = RelayStoreContract.randomBytes(700)
            try expect(try await store.evidence(hash) == nil, "nothing is held before an upload")
            try await expectStoreError(.conflict, "a first piece that does not start at 0") {
                _ = try await store.appendEvidence(hash, at: 5, bytes: first)
            }
            try expect(try await store.evidence(hash) == nil, "a refused first piece creates nothing")
            try expect(try await store.appendEvidence(hash, at: 0, bytes: first) == 1000, "the first piece is held")
            try await expectStoreError(.conflict, "a piece at the wrong offset") {
                _ = try await store.appendEvidence(hash, at: 999, bytes: second)
            }
            try expect(try await store.appendEvidence(hash, at: 1000, bytes: second) == 1700, "the upload resumes at the held offset")
            try expect(try await store.evidence(hash) == StoredEvidence(sha256: hash, heldBytes: 1700, receivedAt: nil), "the status reads back")
            try expect(try await store.evidenceBlob(hash) == first + second, "the blob reads back whole, in order")
            try await store.markEvidenceReceived(hash, now: now)
            try expect(try await store.evidence(hash)?.receivedAt == now, "received with its time")
            try await expectStoreError(.conflict, "an append to a received blob") {
                _ = try await store.appendEvidence(hash, at: 1700, bytes: second)
            }
            try await expectStoreError(.conflict, "dropping a received blob") { try await store.discardEvidence(hash) }
            try expect(try await store.evidenceBlob(hash) == first + second, "the received blob is unchanged")
            try await expectStoreError(.notFound, "marking an unknown blob received") {
                try await store.markEvidenceReceived(RelayStoreContract.randomBytes(32), now: now)
            }
        },
        Check("a failed upload is dropped entirely, and may start again") { store in
            let hash = RelayStoreContract.randomBytes(32)
            let bytes = RelayStoreContract.randomBytes(300)
            _ = try await store.appendEvidence(hash, at: 0, bytes: bytes)
            try await store.discardEvidence(hash)
            try expect(try await store.evidence(hash) == nil, "nothing is held after a drop")
            try expect(try await store.evidenceBlob(hash) == nil, "no bytes are held after a drop")
            try expect(try await store.appendEvidence(hash, at: 0, bytes: bytes) == 300, "a new upload starts at 0")
        },
    ]
}
