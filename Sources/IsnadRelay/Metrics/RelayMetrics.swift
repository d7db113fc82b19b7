import Prometheus
import Synchronization

/// The relay's Prometheus metrics, served at `GET /metrics` in the text exposition format.
///
/// Labels carry only bounded, non-identifying values: a route template (never a concrete path),
/// a status class, a problem code or an outcome. No device, identity, group ID or address ever
/// becomes a label.
struct RelayMetrics: Sendable {
    /// Each application has its own registry, so two relays in one process (the tests) never mix counts.
    let registry = PrometheusCollectorRegistry()

    /// The request counters already made, by Hummingbird's endpoint path and status class: the
    /// registry's own lookup (a lock, label arrays, string keys) was a visible share of a small request.
    private let requestCounters = RequestCounters()

    /// One request answered, by route template (`/v1/groups/{group_id}/commits`, made from the
    /// endpoint path Hummingbird matched; `unmatched` for none) and status class (`2xx`).
    func countRequest(endpointPath: String?, status: Int) {
        let statusClass = status / 100
        if let counter = requestCounters.counter(endpointPath: endpointPath, statusClass: statusClass) {
            counter.increment()
            return
        }
        let counter = registry.makeCounter(
            name: "isnad_relay_requests_total",
            labels: [("route", endpointPath.map(MetricsMiddleware.template) ?? "unmatched"), ("status", "\(statusClass)xx")],
            help: "HTTP requests answered, by route template and status class.")
        requestCounters.keep(counter, endpointPath: endpointPath, statusClass: statusClass)
        counter.increment()
    }

    /// One problem sent, by its stable code.
    func countProblem(_ code: RelayError.Code) {
        registry.makeCounter(
            name: "isnad_relay_problems_total", labels: [("code", code.rawValue)],
            help: "RFC 9457 problems sent, by code."
        ).increment()
    }

    private let messagesAccepted: Counter

    /// A new message submission stored (retries of an accepted one are not counted again).
    func countMessageAccepted() {
        messagesAccepted.increment()
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

    /// A connection closed by one of the relay's own timeouts: `request-head` (its first request
    /// head not complete within the idle timeout, a connection opened and never used included)
    /// or `write` (the client took nothing of an answer or push within the write timeout).
    @Sendable func countTimedOutConnection(_ timeout: String) {
        timedOutConnections(timeout).increment()
    }

    private func timedOutConnections(_ timeout: String) -> Counter {
        registry.makeCounter(
            name: "isnad_relay_connections_timed_out_total", labels: [("timeout", timeout)],
            help: "Connections closed by the request-head timeout (unused ones included) or the write timeout.")
    }

    /// The WebSocket connections open now.
    var webSocketConnections: Gauge {
        registry.makeGauge(name: "isnad_relay_websocket_connections", help: "Open WebSocket push connections.")
    }

    /// Creates every metric up front, so a scrape shows zeros rather than missing series.
    init() {
        messagesAccepted = registry.makeCounter(name: "isnad_relay_messages_accepted_total", help: "Message submissions accepted and stored.")
        _ = registry.makeCounter(
            name: "isnad_relay_expired_messages_total", help: "Mailbox messages deleted by the expiry sweeper.")
        for accepted in [true, false] {
            _ = registry.makeCounter(
                name: "isnad_relay_commits_total", labels: [("result", accepted ? "accepted" : "conflicted")],
                help: "Commits submitted, by outcome.")
        }
        for timeout in ["request-head", "write"] { _ = timedOutConnections(timeout) }
        _ = webSocketConnections
    }
}

/// Counters by endpoint path and status class. The keys are bounded: Hummingbird's endpoint paths
/// are the router's templates (or none), and status classes are 1 to 5.
final class RequestCounters: Sendable {
    private struct Key: Hashable {
        let endpointPath: String?
        let statusClass: Int
    }

    private let counters = Mutex<[Key: Counter]>([:])

    func counter(endpointPath: String?, statusClass: Int) -> Counter? {
        counters.withLock { $0[Key(endpointPath: endpointPath, statusClass: statusClass)] }
    }

    func keep(_ counter: Counter, endpointPath: String?, statusClass: Int) {
        counters.withLock { $0[Key(endpointPath: endpointPath, statusClass: statusClass)] = counter }
    }
}
