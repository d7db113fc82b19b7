import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import IsnadRelay
import NIOCore
import Synchronization
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

    @Test("a page larger than maxWebSocketFrameSize goes out as one text message in frames within it", .timeLimit(.minutes(1)))
    func pageInFrames() async throws {
        try await withRelay(.live, configure: { $0.maxWebSocketFrameSize = 1024 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            let payloads = (0..<3).map { _ in b64(Data((0..<1500).map { _ in UInt8.random(in: 0...255) })) }
            for payload in payloads {
                let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": payload], token: sender.token)
                #expect(reply.status == .created)
            }
            let headers: HTTPFields = [.authorization: "Bearer \(reader.token)"]
            let frames = Mutex<[WebSocketDataFrame]>([])
            try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                for try await frame in inbound {
                    frames.withLock { $0.append(frame) }
                    if frame.fin { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let received = frames.withLock { $0 }
            #expect(received.count > 1, "about 6 KiB in frames of at most 1 KiB")
            #expect(received.allSatisfy { $0.data.readableBytes <= 1024 })
            #expect(received.first?.opcode == .text && received.dropFirst().allSatisfy { $0.opcode == .continuation })
            #expect(received.dropLast().allSatisfy { !$0.fin } && received.last?.fin == true)
            var text = ByteBuffer()
            for frame in received { text.writeImmutableBuffer(frame.data) }
            let page = try #require(try JSONSerialization.jsonObject(with: Data(text.readableBytesView)) as? [String: Any])
            let messages = try #require(page["messages"] as? [[String: Any]])
            #expect(messages.compactMap { $0["payload"] as? String } == payloads)
            #expect(page["next_cursor"] as? Int == 3)
        }
    }
}
