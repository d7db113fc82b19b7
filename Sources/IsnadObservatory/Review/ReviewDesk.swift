import Foundation
import IsnadStore
import IsnadWire

/// The staff's review workflow over the observatory store (`isnad observatory review`, the staff web pages):
///
/// ```
/// accepted reports ─▶ queue (latest claim / verdict / evidence per report)
///   claim · verify · reject · evidence-seen ─▶ append-only decisions (who, when, note)
/// verified reports ─▶ victim de-duplication ─▶ uncertain pairs ─▶ same / different ─▶ decisions
/// ```
/// Every decision is appended, never rewritten; bad input throws ``ObservatoryError`` and records nothing.
public struct ReviewDesk: Sendable {
    let store: any ObservatoryStore
    /// The tally builder whose de-duplication settings name the uncertain pairs.
    public var builder: TallyBuilder

    /// Creates a desk over a store.
    public init(store: any ObservatoryStore, builder: TallyBuilder = TallyBuilder()) {
        self.store = store
        self.builder = builder
    }

    /// Every accepted report with its review state, in acceptance order.
    /// - Throws: ``ObservatoryError/Code/integrity`` if a stored report no longer decodes.
    public func queue() async throws -> [ReportReview] {
        let latest = LatestDecisions(try await store.reviewDecisions())
        return try await store.acceptedReports().map { stored in
            let subject = stored.submissionID.description
            let verdict = latest[subject, "verdict"]
            let evidence = latest[subject, "evidence"]
            let reviewed = ReviewedReport(
                commitment: try Self.commitment(of: stored), reporterKey: Array(stored.reporterKey), report: try Self.report(of: stored),
                isVerified: verdict?.action == .verify, isEvidenceSeen: evidence != nil)
            return ReportReview(submissionID: stored.submissionID, reviewed: reviewed, claim: latest[subject, "claim"], verdict: verdict, evidence: evidence)
        }
    }

    /// One report's review, or `nil` for an unknown ID.
    public func review(of id: SubmissionID) async throws -> ReportReview? {
        try await queue().first { $0.submissionID == id }
    }

    /// Records a decision on a report (claim, verify, reject, evidence-seen).
    /// - Throws: ``ObservatoryError/Code/notFound`` (unknown report or staff), ``ObservatoryError/Code/conflict``
    ///   (another decision at the same time), ``ObservatoryError/Code/malformedRequest`` (a victim action).
    @discardableResult
    public func decide(_ action: ReviewDecision.Action, report id: SubmissionID, by staff: String, note: String = "", at now: Date) async throws
        -> ReviewDecision
    {
        guard action.isAboutReport else {
            throw ObservatoryError(.malformedRequest, "`\(action.rawValue)` is a decision about two victim records, not a report.")
        }
        return try await record(ReviewDecision(action: action, subject: id.description, staff: staff, note: note, decidedAt: now))
    }

    /// Records that two victim records are the same person (`same`) or different people (`different`).
    /// - Throws: ``ObservatoryError/Code/notFound`` if either record is not a victim of an accepted report.
    @discardableResult
    public func decideVictims(_ first: String, _ second: String, same: Bool, by staff: String, note: String = "", at now: Date) async throws
        -> ReviewDecision
    {
        guard let a = VictimPairSubject.recordID(first), let b = VictimPairSubject.recordID(second), a != b else {
            throw ObservatoryError(.malformedRequest, "A victim record is named `<64 hex digits of the report commitment>#<index>`, and a pair has two different ones.")
        }
        let known = Set(try await queue().flatMap { $0.reviewed.victimRecords.map(\.id) })
        guard known.contains(a), known.contains(b) else {
            throw ObservatoryError(.notFound, "No accepted report has a victim record of that ID.")
        }
        return try await record(ReviewDecision(
            action: same ? .same : .different, subject: VictimPairSubject.text(a, b), staff: staff, note: note, decidedAt: now))
    }

    /// The staff's latest same/different decision on every pair, as de-duplication takes them.
    public func victimDecisions() async throws -> [DedupDecision] {
        LatestDecisions(try await store.reviewDecisions()).all(aspect: "victims").compactMap { decision in
            VictimPairSubject.pair(decision.subject).map { DedupDecision($0.0, $0.1, decision.action == .same ? .same : .different) }
        }
    }

    /// The verified reports' victim pairs a person must decide, highest score first, with each side's record.
    public func victimPairs() async throws -> [VictimPair] {
        let verified = try await queue().map(\.reviewed).filter(\.isVerified)
        var records: [VictimRecordID: VictimRecord] = [:]
        for report in verified {
            for record in report.victimRecords { records[record.id] = record }
        }
        let result = try builder.build(verified, decisions: try await victimDecisions())
        return result.deduplication.review.compactMap { item in
            guard let first = records[item.pair.first], let second = records[item.pair.second] else { return nil }
            return VictimPair(item: item, first: first, second: second)
        }
    }

    func record(_ decision: ReviewDecision) async throws -> ReviewDecision {
        do {
            return try await store.recordReviewDecision(decision)
        } catch let error as StoreError where error.code == .notFound {
            throw ObservatoryError(.notFound, error.message)
        } catch let error as StoreError where error.code == .conflict {
            throw ObservatoryError(.conflict, error.message)
        } catch let error as StoreError where error.code == .invalidArgument {
            throw ObservatoryError(.malformedRequest, error.message)
        }
    }

    static func commitment(of stored: AcceptedReport) throws -> ReportCommitment {
        do {
            return try ReportCommitment(bytes: Array(stored.commitment))
        } catch {
            throw ObservatoryError(.integrity, "A stored report's commitment is not 32 bytes.", underlying: error)
        }
    }

    /// The report inside stored signed bytes (its signature was verified at intake).
    static func report(of stored: AcceptedReport) throws -> Report {
        do {
            return try Report(canonicalBytes: try SignedReport(encoded: Array(stored.signedReport)).reportBytes)
        } catch {
            throw ObservatoryError(.integrity, "A stored report no longer decodes; run `isnad observatory audit`.", underlying: error)
        }
    }
}

/// A pair of victim records for a person to decide, with the reasons it was queued.
public struct VictimPair: Sendable {
    /// The scored pair and why it is queued.
    public let item: ReviewItem
    public let first: VictimRecord
    public let second: VictimRecord

    /// The pair's subject (`first|second`), as `same`/`different` take it.
    public var subject: String { VictimPairSubject.text(first.id, second.id) }
    /// The score's evidence in words, e.g. "names 92% alike".
    public var reasons: [String] { item.pair.evidence.map(\.description) }
}
