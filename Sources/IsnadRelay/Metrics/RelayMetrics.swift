import Prometheus

/// The relay's Prometheus metrics, served at `GET /metrics` in the text exposition format.
///
/// Labels carry only bounded, non-identifying values: a route template (never a concrete path),
/// a status class, a problem code or an outcome. No device, identity, group ID or address ever
/// becomes a label.
struct RelayMetrics: Sendable {
    /// Each application has its own registry, so two relays in one process (the tests) never mix counts.
    let registry = PrometheusCollectorRegistry()

    /// One request answered, by route template (`/v1/groups/{group_id}/commits`) and status class (`2xx`).
    func countRequest(route: String, status: Int) {
        registry.makeCounter(
            name: "isnad_relay_requests_total", labels: [("route", route), ("status", "\(status / 100)xx")],
            help: "HTTP requests answered, by route template and status class."
        ).increment()
    }

    /// One problem sent, by its stable code.
    func countProblem(_ code: RelayError.Code) {
        registry.makeCounter(
            name: "isnad_relay_problems_total", labels: [("code", code.rawValue)],
            help: "RFC 9457 problems sent, by code."
        ).increment()
    }

    /// A new message submission stored (retries of an accepted one are not counted again).
    func countMessageAccepted() {
        registry.makeCounter(name: "isnad_relay_messages_accepted_total", help: "Message submissions accepted and stored.").increment()
    }

    /// A commit's outcome: `accepted` (the epoch advanced) or `conflicted` (stale epoch, 409).
    func countCommit(accepted: Bool) {
        registry.makeCounter(
            name: "isnad_relay_commits_total", labels: [("result", accepted ? "accepted" : "conflicted")],
            help: "Commits submitted, by outcome."
        ).increment()
    }

    /// Messages removed by the expiry sweeper because nobody acknowledged them in time.
    func countExpiredMessages(_ count: Int) {
        registry.makeCounter(
            name: "isnad_relay_expired_messages_total", help: "Mailbox messages deleted by the expiry sweeper."
        ).increment(by: Int64(count))
    }

    /// The WebSocket connections open now.
    var webSocketConnections: Gauge {
        registry.makeGauge(name: "isnad_relay_websocket_connections", help: "Open WebSocket push connections.")
    }

    /// Creates every metric up front, so a scrape shows zeros rather than missing series.
    init() {
        _ = registry.makeCounter(name: "isnad_relay_messages_accepted_total", help: "Message submissions accepted and stored.")
        _ = registry.makeCounter(
            name: "isnad_relay_expired_messages_total", help: "Mailbox messages deleted by the expiry sweeper.")
        for accepted in [true, false] {
            _ = registry.makeCounter(
                name: "isnad_relay_commits_total", labels: [("result", accepted ? "accepted" : "conflicted")],
                help: "Commits submitted, by outcome.")
        }
        _ = webSocketConnections
    }
}
