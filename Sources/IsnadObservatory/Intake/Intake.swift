import Crypto
import Foundation
import IsnadStore
import IsnadWire
import Logging

/// Receives sealed reports: stores each one durably first, then opens, verifies and accepts or
/// rejects it with a stated reason.
///
/// ```
/// PUT bytes ─▶ size ─▶ store raw (durable) ─▶ HPKE open ─▶ SignedReport ─▶ Ed25519 verify
///           ─▶ schema ─▶ not after now + skew ─▶ duplicate? ─▶ store report + commitment (atomic)
/// ```
/// A crash anywhere after "store raw" leaves the submission pending; ``processPending(now:)``
/// (run at start and on every tick) finishes it, so nothing received is lost.
public struct Intake: Sendable {
    /// How far in the future a report's dates may lie, for reporters' clocks that run fast.
    public static let defaultClockSkew: TimeInterval = 300

    let store: any ObservatoryStore
    let keys: ObservatoryKeys
    let metrics: ObservatoryMetrics
    let clockSkew: TimeInterval
    let logger: Logger
    /// The evidence files named by the accepted reports; the intake adds each report it accepts.
    public let evidence: EvidenceIndex

    /// Creates the intake. `evidenceRescanInterval`: see ``EvidenceIndex``.
    public init(store: any ObservatoryStore, keys: ObservatoryKeys, metrics: ObservatoryMetrics,
                clockSkew: TimeInterval = Intake.defaultClockSkew, logger: Logger, evidenceRescanInterval: Duration = .seconds(1)) {
        self.store = store
        self.keys = keys
        self.metrics = metrics
        self.clockSkew = clockSkew
        self.logger = logger
        self.evidence = EvidenceIndex(store: store, rescanInterval: evidenceRescanInterval)
    }

    /// Stores a submission first, then processes it.
    /// - Returns: the submission's status after processing (pending only if processing failed for a passing reason).
    /// - Throws: ``ObservatoryError`` for an oversized body (nothing stored), a replay, or an ID used for other bytes.
    public func submit(_ id: SubmissionID, sealed: [UInt8], now: Date) async throws -> SubmissionStatus {
        guard sealed.count <= SealedReport.maximumEncodedBytes else {
            metrics.countRejection(WireError.Code.tooLarge.rawValue)
            throw ObservatoryError(
                ObservatoryError.Code(WireError.Code.tooLarge.rawValue),
                "A sealed report is at most \(SealedReport.maximumEncodedBytes) bytes; this one was not stored.")
        }
        let digest = Data(SHA256.hash(data: sealed))
        let outcome: ReceiveOutcome
        do {
            outcome = try await store.receive(id, sealed: Data(sealed), sealedDigest: digest, now: now)
        } catch let error as StoreError where error.code == .conflict {
            throw ObservatoryError(.submissionIDReused, "This submission ID was already used for other bytes; choose a new random ID.")
        }
        switch outcome {
        case .replay:
            metrics.countRejection(ObservatoryError.Code.replay.rawValue)
            throw ObservatoryError(.replay, "These exact sealed bytes were already received under another submission ID; a replay is not accepted.")
        case .retried:
            metrics.submissions("retried").increment()
        case .stored:
            metrics.submissions("received").increment()
            try await process(PendingSubmission(id: id, sealed: Data(sealed), receivedAt: now), now: now)
        }
        guard let status = try await store.status(id) else {
            throw ObservatoryError(.internal, "A stored submission could not be read back.")
        }
        return status
    }

    /// Processes every stored submission still pending (after a crash or restart).
    /// - Returns: how many were processed.
    @discardableResult
    public func processPending(now: Date, limit: Int = 1000) async throws -> Int {
        let pending = try await store.pendingSubmissions(limit: limit)
        for submission in pending { try await process(submission, now: now) }
        return pending.count
    }

    /// Opens, verifies and accepts or rejects one stored submission.
    func process(_ submission: PendingSubmission, now: Date) async throws {
        let verified: VerifiedReport
        do {
            verified = try SealedReport.open(Array(submission.sealed), with: keys.sealingKey, now: now + clockSkew)
        } catch {
            try await store.reject(submission.id, reason: error.code.rawValue, message: IntakeRejection.message(for: error), now: now)
            metrics.countRejection(error.code.rawValue)
            logger.debug("submission rejected", metadata: ["reason": "\(error.code)"])
            return
        }
        var generator = SystemRandomNumberGenerator()
        let opening = CommitmentOpening.make(for: verified.signedReport, using: &generator)
        let report = AcceptedReport(
            submissionID: submission.id, signedReport: Data(opening.signedReportBytes),
            digest: Data(SHA256.hash(data: opening.signedReportBytes)), salt: Data(opening.salt),
            commitment: Data(opening.commitment.bytes), reporterKey: verified.reporterKey.rawRepresentation)
        switch try await store.accept(report, now: now) {
        case .accepted:
            metrics.submissions("accepted").increment()
            await evidence.add(verified.report, of: submission.id)
        case .duplicate:
            metrics.countRejection(ObservatoryStoreContract.duplicateReason)
        case .alreadyProcessed:
            break
        }
    }
}
