import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import IsnadRelay
import Testing

@Suite("GET /v1/messages/ws")
struct PushRouteTests {
    @Test("a connected device receives waiting messages, then new ones as they are committed")
    func push() async throws {
        try await withRelay(.live) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            @Sendable func send(_ text: String) async throws {
                let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": b64(Data(text.utf8))], token: sender.token)
                #expect(reply.status == .created)
            }
            try await send("before")
            let headers: HTTPFields = [.authorization: "Bearer \(reader.token)"]
            let pushed = PushedPayloads()
            try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                let first = try #require(await frames.next())
                try pushed.record(first)
                try await send("after")
                let second = try #require(await frames.next())
                try pushed.record(second)
                let cursors = pushed.cursors
                try await outbound.write(.text(String(decoding: try JSONSerialization.data(withJSONObject: ["cursors": cursors]), as: UTF8.self)))
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(pushed.payloads == [b64(Data("before".utf8)), b64(Data("after".utf8))])
            // The ack sent over the socket deleted both.
            var left: [[String: Any]]? = nil
            for _ in 0..<50 {
                left = try await relay.get("/v1/messages", token: reader.token).json["messages"] as? [[String: Any]]
                if left?.isEmpty == true { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(left?.isEmpty == true)
        }
    }

    @Test("the upgrade needs a bearer token")
    func unauthenticated() async throws {
        try await withRelay(.live) { relay in
            await #expect(throws: (any Error).self) {
                try await relay.client.ws("/v1/messages/ws") { _, _, _ in }
            }
        }
    }
}

/// What the push test saw, shared between the WebSocket handler and the test.
final class PushedPayloads: @unchecked Sendable {
    // @unchecked: only the WebSocket handler writes, and the test reads after the handler returned.
    private(set) var payloads: [String] = []
    private(set) var cursors: [Int] = []

    func record(_ message: WebSocketMessage) throws {
        guard case .text(let text) = message,
              let page = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let messages = page["messages"] as? [[String: Any]]
        else { return }
        payloads += messages.compactMap { $0["payload"] as? String }
        cursors += messages.compactMap { $0["cursor"] as? Int }
    }
}
