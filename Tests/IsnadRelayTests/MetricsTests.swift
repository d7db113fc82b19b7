import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import IsnadRelay
import IsnadStore
import IsnadStoreSQLite
import Testing

/// A scrape of `GET /metrics`, read line by line (Prometheus text exposition format).
struct Scrape {
    let text: String

    /// The value of the sample named exactly `series` (`name{label="value",...}`), or nil.
    func value(_ series: String) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), line[..<space] == series else { continue }
            return Double(line[line.index(after: space)...])
        }
        return nil
    }

    static func take(_ relay: RelayClient) async throws -> Scrape {
        let reply = try await relay.get("/metrics")
        #expect(reply.status == .ok)
        #expect(reply.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        return Scrape(text: String(decoding: reply.body, as: UTF8.self))
    }
}

@Suite("GET /metrics")
struct MetricsTests {
    @Test("requests, messages, commits and problems are counted, without identifiers")
    func counters() async throws {
        var mls = try TestGroup()
        let first = try mls.commit().commit
        let group = mls
        try await withRelay { relay in
            let empty = try await Scrape.take(relay)
            #expect(empty.value("isnad_relay_messages_accepted_total") == 0)
            #expect(empty.value(#"isnad_relay_commits_total{result="accepted"}"#) == 0)
            #expect(empty.value("isnad_relay_websocket_connections") == 0)

            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            let message: [String: Any] = ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": "AQID"]
            #expect(try await relay.post("/v1/messages", message, token: sender.token).status == .created)
            #expect(try await relay.post("/v1/messages", message, token: sender.token).status == .ok)   // a retry
            try await relay.get("/v2/nothing").expectProblem(.notFound, "not-found")
            try await relay.get("/v1/messages", token: "bad").expectProblem(.unauthorized, "unauthorized")
            func commit(epoch: Int) async throws -> Reply {
                try await relay.post("/v1/groups/\(group.pathID)/commits", [
                    "message_id": UUID().uuidString, "epoch": epoch, "commit": b64(first), "recipients": [reader.id],
                ], token: sender.token)
            }
            #expect(try await commit(epoch: 0).status == .ok)
            try await commit(epoch: 0).expectProblem(.conflict, "epoch-conflict")

            let scrape = try await Scrape.take(relay)
            #expect(scrape.value("isnad_relay_messages_accepted_total") == 1, "a retry is not a second message")
            #expect(scrape.value(#"isnad_relay_commits_total{result="accepted"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_commits_total{result="conflicted"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_requests_total{route="/v1/messages",status="2xx"}"#) == 2)
            #expect(scrape.value(#"isnad_relay_requests_total{route="/v1/groups/{group_id}/commits",status="2xx"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_requests_total{route="/v1/groups/{group_id}/commits",status="4xx"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_requests_total{route="unmatched",status="4xx"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_requests_total{route="/v1/accounts",status="2xx"}"#) == 2)
            #expect(scrape.value(#"isnad_relay_requests_total{route="/metrics",status="2xx"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_problems_total{code="not-found"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_problems_total{code="unauthorized"}"#) == 1)
            #expect(scrape.value(#"isnad_relay_problems_total{code="epoch-conflict"}"#) == 1)
            for secret in [sender.id, reader.id, sender.identityKey, group.pathID, "nothing"] {
                #expect(!scrape.text.contains(secret), "no identifier or concrete path in the metrics")
            }
        }
    }

    @Test("a connection closed by the request-head timeout is counted")
    func requestHeadTimeout() async throws {
        try await withRelay(.live, configure: { $0.idleTimeout = 2 }) { relay in
            let port = try #require(relay.client.port)
            // The test client's keep-alive connection is closed by the same idle timeout, so the
            // scrapes go over connections of their own (tried again if a loaded machine let the
            // timeout cut one short).
            // Reads wait with Task.sleep: a blocking read would hold one of the test process's two
            // cooperative threads, which every other suite running meanwhile needs.
            func timedOut(_ timeout: String) async throws -> Double? {
                for _ in 0..<5 {
                    let connection = try RawConnection(port: port)
                    try connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    let answer = String(decoding: try await connection.readSlowly(timeout: .seconds(5)).data, as: UTF8.self)
                    let body = answer.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
                    if let value = Scrape(text: body).value(#"isnad_relay_connections_timed_out_total{timeout="\#(timeout)"}"#) { return value }
                }
                return nil
            }
            let before = try #require(try await timedOut("request-head"))
            let half = try RawConnection(port: port)
            try half.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let end = try await half.readSlowly(timeout: .seconds(10))
            #expect(end.closed && end.data.isEmpty, "an unfinished request head is closed without an answer")
            // At least this connection; a connection the test client opened and has not used yet may
            // be closed by the same timeout meanwhile (it is counted too: no request head came in time).
            #expect(try #require(try await timedOut("request-head")) >= before + 1)
            #expect(try await timedOut("write") == 0)
        }
    }

    @Test("the sweeper's deletions are counted")
    func expiry() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-relay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withRelay(.live, store: try SQLiteRelayStore(directory: folder), configure: { $0.sweepInterval = 0.05; $0.messageRetention = 60 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            for _ in 0..<2 {
                _ = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": "AQID"], token: sender.token)
            }
            relay.clock.advance(by: 61)
            var expired = 0.0
            for _ in 0..<50 where expired < 2 {
                try await Task.sleep(for: .milliseconds(50))
                expired = try await Scrape.take(relay).value("isnad_relay_expired_messages_total") ?? 0
            }
            #expect(expired == 2)
        }
    }

    @Test("the WebSocket gauge counts open push connections")
    func webSockets() async throws {
        try await withRelay(.live) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            _ = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": "AQID"], token: sender.token)
            let headers: HTTPFields = [.authorization: "Bearer \(reader.token)"]
            try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                _ = try #require(await frames.next())      // the handler runs: the connection is counted
                let open = try await Scrape.take(relay).value("isnad_relay_websocket_connections")
                #expect(open == 1)
                try await outbound.close(.normalClosure, reason: nil)
            }
            var open: Double? = nil
            for _ in 0..<50 {
                open = try await Scrape.take(relay).value("isnad_relay_websocket_connections")
                if open == 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(open == 0)
        }
    }
}
