import Foundation
import IsnadStore
import IsnadWire

/// One accepted report with where its review stands: the latest decision of each aspect wins.
public struct ReportReview: Sendable {
    /// The submission the report came in; how staff name it.
    public let submissionID: SubmissionID
    /// The report as the figures see it (verified / evidence seen from the latest decisions).
    public let reviewed: ReviewedReport
    /// The latest claim, if any ("being reviewed by").
    public let claim: ReviewDecision?
    /// The latest verify or reject decision, if any.
    public let verdict: ReviewDecision?
    /// The latest evidence-seen decision, if any.
    public let evidence: ReviewDecision?

    /// `verified`, `rejected` or `open`.
    public var state: String {
        switch verdict?.action {
        case .verify: "verified"
        case .reject: "rejected"
        default: "open"
        }
    }
}

/// The latest decision of each aspect on each subject, from the append-only list.
struct LatestDecisions {
    private var latest: [String: [String: ReviewDecision]] = [:]

    init(_ decisions: [ReviewDecision]) {
        for decision in decisions {
            let aspect = decision.action.aspect
            if let current = latest[decision.subject]?[aspect], Self.order(decision, current) { continue }
            latest[decision.subject, default: [:]][aspect] = decision
        }
    }

    /// Whether `a` was decided before `b` (time, then recording order).
    static func order(_ a: ReviewDecision, _ b: ReviewDecision) -> Bool {
        (a.decidedAt, a.sequence) < (b.decidedAt, b.sequence)
    }

    subscript(subject: String, aspect: String) -> ReviewDecision? { latest[subject]?[aspect] }

    /// Every subject's latest decision of one aspect.
    func all(aspect: String) -> [ReviewDecision] { latest.values.compactMap { $0[aspect] } }
}

extension Victim {
    /// The victim's names as reviewers read them: Arabic script, then Latin, joined by " · ".
    public var displayName: String { [nameArabic, nameLatin].compactMap { $0 }.joined(separator: " · ") }
}

extension ReviewDecision {
    /// `{action, by, at (ISO 8601), note}`, for JSON and the staff pages.
    public var summary: [String: Any] {
        ["action": action.rawValue, "by": staff, "at": ISO8601DateFormatter().string(from: decidedAt), "note": note]
    }
}
