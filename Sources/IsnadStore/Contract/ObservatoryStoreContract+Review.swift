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
