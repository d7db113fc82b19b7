import Prometheus

/// The observatory's Prometheus metrics, served at `GET /observatory/metrics`.
///
/// Labels carry only bounded values: an outcome or a rejection reason, never an ID or a key.
public struct ObservatoryMetrics: Sendable {
    /// Each observatory has its own registry, so two in one process (the tests) never mix counts.
    public let registry = PrometheusCollectorRegistry()

    /// Creates every series up front, so a scrape shows zeros rather than missing series.
    public init() {
        for reason in IntakeRejection.reasons { _ = rejections(reason) }
        for outcome in ["received", "retried", "accepted", "rejected"] { _ = submissions(outcome) }
        _ = logEntries
        _ = checkpoints
    }

    func rejections(_ reason: String) -> Counter {
        registry.makeCounter(
            name: "isnad_observatory_rejections_total", labels: [("reason", reason)],
            help: "Submissions refused by intake, by reason.")
    }

    func submissions(_ outcome: String) -> Counter {
        registry.makeCounter(
            name: "isnad_observatory_submissions_total", labels: [("outcome", outcome)],
            help: "Sealed submissions, by outcome: received (stored), retried, accepted, rejected.")
    }

    var logEntries: Counter {
        registry.makeCounter(name: "isnad_observatory_log_entries_total", help: "Report commitments appended to the log.")
    }

    var checkpoints: Counter {
        registry.makeCounter(name: "isnad_observatory_checkpoints_total", help: "Checkpoints signed.")
    }

    /// Counts a rejection.
    func countRejection(_ reason: String) {
        rejections(reason).increment()
        submissions("rejected").increment()
    }

    /// The text exposition format.
    public func emit() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
