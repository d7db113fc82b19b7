import Foundation
import Synchronization

/// An ``ObservatoryStore`` held in memory, for unit tests and throw-away observatories.
///
/// Every operation runs under one lock, so each is atomic, as the contract requires.
public final class InMemoryObservatoryStore: ObservatoryStore {
    struct Submission {
        var sealed: Data?
        var sealedDigest: Data
        var receivedAt: Date
        var state: SubmissionState
        var order: Int
    }

    struct State {
        var submissions: [SubmissionID: Submission] = [:]
        var bySealedDigest: [Data: SubmissionID] = [:]
        var reports: [SubmissionID: AcceptedReport] = [:]
        var reportDigests: Set<Data> = []
        var unlogged: [SubmissionID] = []
        var entries: [Data] = []
        /// The submission behind each log entry; `nil` for a snapshot's entry.
        var loggedSubmissions: [SubmissionID?] = []
        var accepted: [SubmissionID] = []
        var staff: [String: StaffAccount] = [:]
        var decisions: [ReviewDecision] = []
        var snapshots: [StoredSnapshot] = []
        var evidence: [Data: (record: StoredEvidence, blob: Data)] = [:]
        var tiles: [TileKey: StoredTile] = [:]
        var checkpoint: StoredCheckpoint?
        var counter = 0
    }

    struct TileKey: Hashable {
        var level: Int
        var index: UInt64
    }

    let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    public func receive(_ id: SubmissionID, sealed: Data, sealedDigest: Data, now: Date) async throws -> ReceiveOutcome {
        try state.withLock { state in
            if let existing = state.submissions[id] {
                guard existing.sealedDigest == sealedDigest else {
                    throw StoreError(.conflict, "This submission ID was already used for different bytes.")
                }
                return .retried
            }
            if state.bySealedDigest[sealedDigest] != nil { return .replay }
            state.counter += 1
            state.submissions[id] = Submission(
                sealed: sealed, sealedDigest: sealedDigest, receivedAt: StoredTime.truncated(now), state: .pending, order: state.counter)
            state.bySealedDigest[sealedDigest] = id
            return .stored
        }
    }

    public func pendingSubmissions(limit: Int) async throws -> [PendingSubmission] {
        state.withLock { state in
            state.submissions.filter { $0.value.state == .pending }.sorted { $0.value.order < $1.value.order }.prefix(max(0, limit))
                .map { PendingSubmission(id: $0.key, sealed: $0.value.sealed ?? Data(), receivedAt: $0.value.receivedAt) }
        }
    }

    public func reject(_ id: SubmissionID, reason: String, message: String, now: Date) async throws {
        state.withLock { state in
            guard state.submissions[id]?.state == .pending else { return }
            state.submissions[id]?.state = .rejected(reason: reason, message: message)
            state.submissions[id]?.sealed = nil
        }
    }

    public func accept(_ report: AcceptedReport, now: Date) async throws -> AcceptOutcome {
        state.withLock { state in
            let id = report.submissionID
            guard state.submissions[id]?.state == .pending else { return .alreadyProcessed }
            state.submissions[id]?.sealed = nil
            if state.reportDigests.contains(report.digest) {
                state.submissions[id]?.state = .rejected(reason: ObservatoryStoreContract.duplicateReason, message: ObservatoryStoreContract.duplicateMessage)
                return .duplicate
            }
            state.submissions[id]?.state = .accepted
            state.reports[id] = report
            state.reportDigests.insert(report.digest)
            state.accepted.append(id)
            state.unlogged.append(id)
            return .accepted
        }
    }

    public func status(_ id: SubmissionID) async throws -> SubmissionStatus? {
        state.withLock { state in
            state.submissions[id].map { SubmissionStatus(id: id, state: $0.state, receivedAt: $0.receivedAt, report: state.reports[id]) }
        }
    }

    public func unloggedReports(limit: Int) async throws -> [UnloggedReport] {
        state.withLock { state in
            state.unlogged.prefix(max(0, limit)).compactMap { id in
                state.reports[id].map { UnloggedReport(submissionID: id, commitment: $0.commitment, salt: $0.salt, signedReport: $0.signedReport) }
            }
        }
    }

    public func appendLog(_ batch: LogBatch) async throws {
        try state.withLock { state in
            guard batch.firstIndex == UInt64(state.entries.count) else {
                throw StoreError(.conflict, "The log grew since this batch was prepared; prepare it again.")
            }
            for entry in batch.entries {
                guard state.submissions[entry.submissionID]?.state == .accepted else {
                    throw StoreError(.invalidArgument, "A batch entry is not an accepted, unlogged report.")
                }
            }
            for entry in batch.entries {
                let index = UInt64(state.entries.count)
                state.entries.append(entry.commitment)
                state.loggedSubmissions.append(entry.submissionID)
                state.submissions[entry.submissionID]?.state = .logged(index: index, receipt: entry.receipt)
            }
            for snapshot in batch.snapshots {
                guard let position = state.snapshots.firstIndex(where: { $0.sequence == snapshot.sequence }),
                    state.snapshots[position].logIndex == nil
                else { throw StoreError(.invalidArgument, "A batch snapshot is not a stored, unlogged snapshot.") }
                state.snapshots[position].logIndex = UInt64(state.entries.count)
                state.entries.append(snapshot.entry)
                state.loggedSubmissions.append(nil)
            }
            let logged = Set(batch.entries.map(\.submissionID))
            state.unlogged.removeAll { logged.contains($0) }
            for tile in batch.tiles {
                let key = TileKey(level: tile.level, index: tile.index)
                if (state.tiles[key]?.width ?? 0) < tile.width { state.tiles[key] = tile }
            }
            state.checkpoint = batch.checkpoint
        }
    }

    public func logSize() async throws -> UInt64 {
        state.withLock { UInt64($0.entries.count) }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        state.withLock { $0.checkpoint }
    }

    public func tile(level: Int, index: UInt64) async throws -> StoredTile? {
        state.withLock { $0.tiles[TileKey(level: level, index: index)] }
    }

    public func logEntries(from start: UInt64, count: Int) async throws -> [Data] {
        state.withLock { state in
            guard start < UInt64(state.entries.count) else { return [] }
            let end = min(UInt64(state.entries.count), start + UInt64(max(0, count)))
            return Array(state.entries[Int(start)..<Int(end)])
        }
    }

    public func loggedReports(from start: UInt64, limit: Int) async throws -> [LoggedReport] {
        state.withLock { state in
            guard start < UInt64(state.entries.count) else { return [] }
            let end = min(UInt64(state.entries.count), start + UInt64(max(0, limit)))
            return (Int(start)..<Int(end)).compactMap { index in
                guard let id = state.loggedSubmissions[index], let report = state.reports[id] else { return nil }
                return LoggedReport(
                    index: UInt64(index), submissionID: id, entry: state.entries[index], signedReport: report.signedReport, salt: report.salt)
            }
        }
    }
}

extension InMemoryObservatoryStore {
    public func addStaff(_ account: StaffAccount) async throws {
        try state.withLock { state in
            guard state.staff[account.name] == nil else { throw ReviewRules.staffExists }
            var stored = account
            stored.createdAt = StoredTime.truncated(account.createdAt)
            state.staff[account.name] = stored
        }
    }

    public func staffAccount(named name: String) async throws -> StaffAccount? {
        state.withLock { $0.staff[name] }
    }

    public func acceptedReports() async throws -> [AcceptedReport] {
        state.withLock { state in state.accepted.compactMap { state.reports[$0] } }
    }

    public func recordReviewDecision(_ decision: ReviewDecision) async throws -> ReviewDecision {
        try ReviewRules.validate(decision)
        return try state.withLock { state in
            guard state.staff[decision.staff] != nil else { throw ReviewRules.unknownStaff }
            if decision.action.isAboutReport {
                guard let id = SubmissionID(decision.subject), state.reports[id] != nil else { throw ReviewRules.unknownReport }
            }
            if let earlier = try ReviewRules.check(decision, against: state.decisions.filter { $0.subject == decision.subject }) {
                return earlier
            }
            var recorded = decision
            recorded.sequence = UInt64(state.decisions.count + 1)
            recorded.decidedAt = StoredTime.truncated(decision.decidedAt)
            state.decisions.append(recorded)
            return recorded
        }
    }

    public func reviewDecisions() async throws -> [ReviewDecision] {
        state.withLock { $0.decisions }
    }

    public func storeSnapshot(_ snapshot: StoredSnapshot) async throws {
        try state.withLock { state in
            guard snapshot.sequence == UInt64(state.snapshots.count + 1) else { throw ReviewRules.snapshotOutOfSequence }
            var stored = snapshot
            stored.logIndex = nil
            stored.publishedAt = StoredTime.truncated(snapshot.publishedAt)
            state.snapshots.append(stored)
        }
    }

    public func snapshots() async throws -> [StoredSnapshot] {
        state.withLock { $0.snapshots }
    }

    /// Replaces a stored report's signed bytes, for tests that simulate tampering with storage.
    public func tamper(with id: SubmissionID, signedReport: Data) {
        state.withLock { $0.reports[id]?.signedReport = signedReport }
    }
}

extension InMemoryObservatoryStore {
    public func evidence(_ sha256: Data) async throws -> StoredEvidence? {
        state.withLock { $0.evidence[sha256]?.record }
    }

    public func appendEvidence(_ sha256: Data, at offset: Int64, bytes: Data) async throws -> Int64 {
        try state.withLock { state in
            var entry = state.evidence[sha256] ?? (StoredEvidence(sha256: sha256, heldBytes: 0, receivedAt: nil), Data())
            try EvidenceRules.checkAppend(entry.record, offset: offset)
            entry.blob += bytes
            entry.record.heldBytes = Int64(entry.blob.count)
            state.evidence[sha256] = entry
            return entry.record.heldBytes
        }
    }

    public func evidenceBlob(_ sha256: Data) async throws -> Data? {
        state.withLock { $0.evidence[sha256]?.blob }
    }

    public func markEvidenceReceived(_ sha256: Data, now: Date) async throws {
        try state.withLock { state in
            guard state.evidence[sha256] != nil else { throw EvidenceRules.unknown }
            if state.evidence[sha256]?.record.receivedAt == nil { state.evidence[sha256]?.record.receivedAt = StoredTime.truncated(now) }
        }
    }

    public func discardEvidence(_ sha256: Data) async throws {
        try state.withLock { state in
            guard let entry = state.evidence[sha256] else { return }
            guard entry.record.receivedAt == nil else { throw EvidenceRules.receivedIsKept }
            state.evidence[sha256] = nil
        }
    }
}
