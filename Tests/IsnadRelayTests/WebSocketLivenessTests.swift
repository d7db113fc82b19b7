import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import IsnadRelay
import Testing
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

@Suite("WebSocket liveness: silent clients are pinged, then closed")
struct WebSocketLivenessTests {
    @Test("a client that never answers is pinged after one interval and closed (1001) after the next")
    func silentClientIsClosed() async throws {
        try await withRelay(.live, configure: { $0.webSocketPingInterval = 0.3 }) { relay in
            let device = try await relay.signedIn()
            let port = try #require(relay.client.port)
            let started = ContinuousClock.now
            // A bound, not a pause: the relay closes after about 0.6 s. Generous, because the whole
            // suite shares two cores with it (a full run once took 10 s to answer the upgrade).
            let seen = try await SilentPeer.upgradeAndListen(port: port, token: device.token, until: started + .seconds(30))
            let closedAfter = try #require(seen.closedAt, "the relay left a silent WebSocket open for 30 s; it answered: \(seen.statusLine)") - started
            #expect(closedAfter >= .milliseconds(550), "closed after \(closedAfter), before two intervals")
            // After the 101 response: a ping (FIN, opcode 9, empty), then a close frame (FIN, opcode 8) with 1001.
            let frames = try #require(seen.afterHeader)
            #expect(frames.starts(with: [0x89, 0x00, 0x88]), "frames: \(frames)")
            #expect(frames.count >= 7 && Array(frames[4...5]) == [0x03, 0xE9], "frames: \(frames)")
            #expect(String(decoding: frames.dropFirst(6), as: UTF8.self) == "ping timeout")
        }
    }

    @Test("a client that answers pings stays connected past the ping timeout and still gets pushes")
    func answeringClientStays() async throws {
        // Three seconds: the client must answer a ping within one interval, and on a loaded test
        // machine its reading task may wait a while for a thread.
        try await withRelay(.live, configure: { $0.webSocketPingInterval = 3 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            let arrivals = Arrivals()
            let close = try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(reader.token)"])) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Reading, which is when the client library answers pings.
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { arrivals.record(text) }
                        }
                    }
                    // Silent for more than two intervals (pinged after the first), then a message to push.
                    try await Task.sleep(for: .seconds(7))
                    let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": "AQ"], token: sender.token)
                    #expect(reply.status == .created)
                    let deadline = ContinuousClock.now + .seconds(5)
                    while arrivals.count == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
            #expect(arrivals.count == 1 && arrivals.arrival(0)?.text.contains("\"payload\":\"AQ\"") == true)
            #expect(close?.closeCode == .normalClosure)
        }
    }
}

/// A WebSocket client that upgrades and then never sends a byte, not even a pong: what a vanished
/// peer looks like to the relay.
enum SilentPeer {
    struct Seen {
        /// The bytes after the 101 response's header, if one came.
        var afterHeader: [UInt8]?
        /// When the relay closed the connection, if it did.
        var closedAt: ContinuousClock.Instant?
        /// The first line the relay sent, for a failure's message.
        var statusLine: String
    }

    static func upgradeAndListen(port: Int, token: String, until end: ContinuousClock.Instant) async throws -> Seen {
        let connection = try RawConnection(port: port)
        try connection.send("GET /v1/messages/ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(token)\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        var received: [UInt8] = []
        while ContinuousClock.now < end {
            let (data, closed) = connection.readAvailable()
            received += data
            if closed { return Seen(afterHeader: afterHeader(received), closedAt: .now, statusLine: statusLine(received)) }
            if data.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        }
        return Seen(afterHeader: afterHeader(received), closedAt: nil, statusLine: statusLine(received))
    }

    static func statusLine(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "nothing" : String(decoding: bytes.prefix { $0 != 13 && $0 != 10 }.prefix(80), as: UTF8.self)
    }

    static func afterHeader(_ bytes: [UInt8]) -> [UInt8]? {
        guard String(decoding: bytes.prefix(12), as: UTF8.self) == "HTTP/1.1 101" else { return nil }
        let end: [UInt8] = [13, 10, 13, 10]
        guard let index = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == end }) else { return nil }
        return Array(bytes[(index + 4)...])
    }
}
