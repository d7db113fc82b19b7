import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import IsnadRelay
import Testing

@Suite("WebSocket frame-size limit")
struct WebSocketFrameLimitTests {
    @Test("a frame larger than maxWebSocketFrameSize closes the push socket with 1009; one within it is read", .timeLimit(.minutes(1)))
    func oversizedFrame() async throws {
        try await withRelay(.live, configure: { $0.maxWebSocketFrameSize = 1024 }) { relay in
            let reader = try await relay.signedIn()
            let headers: HTTPFields = [.authorization: "Bearer \(reader.token)"]
            let oversized = try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                // 4 KiB in one frame (the client's own frames may hold 16 KiB).
                let ack = #"{"cursors":[\#(Array(repeating: "1", count: 2000).joined(separator: ","))]}"#
                try await outbound.write(.text(ack))
                for try await _ in inbound {}
            }
            #expect(oversized?.closeCode == .messageTooLarge, "\(String(describing: oversized))")

            let small = try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { _, outbound, _ in
                try await outbound.write(.text(#"{"cursors":[1]}"#))
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(small?.closeCode == .normalClosure, "\(String(describing: small))")
        }
    }
}
