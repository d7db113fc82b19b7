import Foundation
@testable import IsnadRelay
import IsnadStore
import Testing

@Suite("/v1/messages")
struct MessageRouteTests {
    @Test("a message reaches every recipient; a retry is answered 200 with the original receipt")
    func sendAndRetry() async throws {
        try await withRelay { relay in
            let sender = try await relay.signedIn()
            let alice = try await relay.signedIn()
            let bob = try await relay.signedIn()
            let message: [String: Any] = ["message_id": UUID().uuidString, "recipients": [alice.id, bob.id], "payload": b64(Data("ciphertext".utf8))]
            let first = try await relay.post("/v1/messages", message, token: sender.token)
            #expect(first.status == .created)
            #expect(first.json["recipients"] as? Int == 2)
            relay.clock.advance(by: 5)
            let retry = try await relay.post("/v1/messages", message, token: sender.token)
            #expect(retry.status == .ok)
            #expect(retry.body == first.body)

            for device in [alice, bob] {
                let page = try await relay.get("/v1/messages", token: device.token)
                let messages = try #require(page.json["messages"] as? [[String: Any]])
                #expect(messages.count == 1)
                #expect(messages.first?["payload"] as? String == b64(Data("ciphertext".utf8)))
                #expect((messages.first?["message_id"] as? String)?.lowercased() == (message["message_id"] as? String)?.lowercased())
                #expect(messages.first?.keys.contains("sender") == false)
            }
            #expect((try await relay.get("/v1/messages", token: sender.token).json["messages"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("a body in any JSON spelling is read the same way: the plain form quickly, others by JSONDecoder")
    func spellings() async throws {
        try await withRelay { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            let id = UUID().uuidString.lowercased(), payload = b64(Data("ciphertext".utf8))
            func send(_ text: String) async throws -> Reply {
                try await relay.request(.post, "/v1/messages", body: Data(text.utf8), token: sender.token)
            }
            let first = try await send(#"{"message_id":"\#(id)","recipients":["\#(reader.id)"],"payload":"\#(payload)"}"#)
            #expect(first.status == .created)
            // The answer's bytes are those of the relay's JSONEncoder (sorted keys, RFC 3339 time).
            let expected = try JSONSerialization.jsonObject(with: first.body) as? [String: Any]
            #expect(expected?.keys.sorted() == ["accepted_at", "message_id", "recipients"])
            #expect(String(decoding: first.body, as: UTF8.self).contains(#""message_id":"\#(id)","recipients":1}"#))
            // The same submission spelled with spaces, an escape, an unknown field or upper case: a retry.
            for spelling in [
                #" { "payload" : "\#(payload)" , "recipients" : [ "\#(reader.id)" ] , "message_id" : "\#(id)" } "#,
                #"{"message_id":"\#(id)","recipients":["\#(reader.id)"],"payload":"\#(payload)","note":1}"#,
                #"{"message_id":"\#(id)","recipients":["\#(reader.id)"],"payload":"\#(payload)"}"#,
                #"{"message_id":"\#(id.uppercased())","recipients":["\#(reader.id.uppercased())"],"payload":"\#(payload)"}"#,
            ] {
                let retry = try await send(spelling)
                #expect(retry.status == .ok, "\(spelling)")
                #expect(retry.body == first.body, "\(spelling)")
            }
            let page = try await relay.get("/v1/messages", token: reader.token)
            #expect((page.json["messages"] as? [[String: Any]])?.count == 1)
            // Outside the plain form, errors still name the field at fault.
            let wrong = try await send(#"{"message_id":"\#(UUID().uuidString)","recipients":"\#(reader.id)","payload":"\#(payload)"}"#)
            wrong.expectProblem(.badRequest, "malformed-request")
            #expect(String(decoding: wrong.body, as: UTF8.self).contains("`recipients` has the wrong type."))
        }
    }

    @Test("the written answer to a send is byte for byte what the relay's JSONEncoder writes")
    func acceptedBytes() throws {
        for _ in 0..<500 {
            let receipt = SubmissionReceipt(messageID: .random(), acceptedAt: Date(timeIntervalSince1970: .random(in: 0..<4_102_444_800)),
                                            recipientCount: .random(in: 1...1000), isReplay: false)
            let accepted = MessageRoutes.Accepted(receipt)
            #expect(Data(accepted.json.readableBytesView) == (try JSONBody.encoder.encode(accepted)))
        }
    }

    @Test("the written page of messages is byte for byte what the relay's JSONEncoder writes")
    func pageBytes() throws {
        for _ in 0..<300 {
            let messages = (0..<Int.random(in: 0...4)).map { _ in
                MessageRoutes.Message(MailboxMessage(
                    cursor: .random(in: 1...Int64.max), messageID: .random(),
                    payload: Data((0..<Int.random(in: 0...300)).map { _ in UInt8.random(in: 0...255) }),
                    receivedAt: Date(timeIntervalSince1970: .random(in: 0..<4_102_444_800)),
                    expiresAt: Date(timeIntervalSince1970: .random(in: 0..<4_102_444_800))))
            }
            let page = MessageRoutes.Page(messages: messages, nextCursor: messages.last?.cursor ?? .random(in: 0...Int64.max))
            #expect(Data(page.json.readableBytesView) == (try JSONBody.encoder.encode(page)))
        }
    }

    @Test("fetch pages after a cursor; ack deletes")
    func fetchAndAck() async throws {
        try await withRelay { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            for index in 0..<5 {
                let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": b64(Data([UInt8(index)]))], token: sender.token)
                #expect(reply.status == .created)
            }
            let first = try await relay.get("/v1/messages?limit=2", token: reader.token)
            let firstMessages = try #require(first.json["messages"] as? [[String: Any]])
            #expect(firstMessages.map { $0["payload"] as? String } == [b64(Data([0])), b64(Data([1]))])
            let next = try #require(first.json["next_cursor"] as? Int)
            let rest = try await relay.get("/v1/messages?after=\(next)&limit=10", token: reader.token)
            let restMessages = try #require(rest.json["messages"] as? [[String: Any]])
            #expect(restMessages.map { $0["payload"] as? String } == [2, 3, 4].map { b64(Data([UInt8($0)])) })

            let cursors = firstMessages.compactMap { $0["cursor"] as? Int }
            let acked = try await relay.post("/v1/messages/ack", ["cursors": cursors], token: reader.token)
            #expect(acked.json["deleted"] as? Int == 2)
            let left = try await relay.get("/v1/messages", token: reader.token)
            #expect((left.json["messages"] as? [[String: Any]])?.count == 3)
            #expect(try await relay.post("/v1/messages/ack", ["cursors": cursors], token: sender.token).json["deleted"] as? Int == 0)
        }
    }

    @Test("messages expire after the retention period")
    func retention() async throws {
        try await withRelay(configure: { $0.messageRetention = 60 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            _ = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": "AA"], token: sender.token)
            relay.clock.advance(by: 61)
            let token = try await relay.token(for: reader)
            #expect((try await relay.get("/v1/messages", token: token).json["messages"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("a mailbox keeps at most maxQueuedMessages; the oldest go first")
    func mailboxCapacity() async throws {
        try await withRelay(configure: { $0.maxQueuedMessages = 2 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            for index in 0..<4 {
                let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": b64(Data([UInt8(index)]))], token: sender.token)
                #expect(reply.status == .created, "a full mailbox does not refuse the sender")
            }
            let page = try await relay.get("/v1/messages", token: reader.token)
            let messages = try #require(page.json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["payload"] as? String } == [b64(Data([2])), b64(Data([3]))])
            #expect(messages.map { $0["cursor"] as? Int } == [3, 4], "the gap in cursors tells the device what it missed")
        }
    }

    @Test("bad sends are refused and store nothing")
    func badSends() async throws {
        try await withRelay(configure: { $0.maxMessageSize = 100; $0.maxRecipients = 2 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            let id = UUID().uuidString
            func send(_ body: [String: Any]) async throws -> Reply { try await relay.post("/v1/messages", body, token: sender.token) }
            try await send(["message_id": id, "recipients": [reader.id, UUID().uuidString], "payload": "AA"]).expectProblem(.unprocessableContent, "unknown-device")
            try await send(["message_id": "x", "recipients": [reader.id], "payload": "AA"]).expectProblem(.badRequest, "malformed-request")
            try await send(["message_id": id, "recipients": ["x"], "payload": "AA"]).expectProblem(.badRequest, "malformed-request")
            try await send(["message_id": id, "recipients": [] as [String], "payload": "AA"]).expectProblem(.badRequest, "malformed-request")
            try await send(["message_id": id, "recipients": [reader.id, reader.id, reader.id], "payload": "AA"]).expectProblem(.badRequest, "malformed-request")
            try await send(["message_id": id, "recipients": [reader.id], "payload": "A"]).expectProblem(.badRequest, "malformed-request")
            try await send(["message_id": id, "recipients": [reader.id], "payload": "AB"]).expectProblem(.badRequest, "malformed-request")
            try await send(["message_id": id, "recipients": [reader.id], "payload": b64(Data(count: 101))]).expectProblem(.contentTooLarge, "request-too-large")
            try await send(["message_id": id, "recipients": [reader.id]]).expectProblem(.badRequest, "malformed-request")
            #expect((try await relay.get("/v1/messages", token: reader.token).json["messages"] as? [[String: Any]])?.isEmpty == true)

            #expect(try await send(["message_id": id, "recipients": [reader.id], "payload": "AA"]).status == .created)
            try await send(["message_id": id, "recipients": [reader.id], "payload": "AQ"]).expectProblem(.unprocessableContent, "message-id-reused")
        }
    }

    @Test("bad fetch and ack requests are 4xx problems")
    func badFetches() async throws {
        try await withRelay { relay in
            let reader = try await relay.signedIn()
            try await relay.get("/v1/messages?after=-1", token: reader.token).expectProblem(.badRequest, "malformed-request")
            try await relay.get("/v1/messages?after=abc", token: reader.token).expectProblem(.badRequest, "malformed-request")
            try await relay.get("/v1/messages?limit=0", token: reader.token).expectProblem(.badRequest, "malformed-request")
            try await relay.get("/v1/messages?limit=100000", token: reader.token).expectProblem(.badRequest, "malformed-request")
            try await relay.get("/v1/messages").expectProblem(.unauthorized, "unauthorized")
            try await relay.post("/v1/messages/ack", ["cursors": ["a"]], token: reader.token).expectProblem(.badRequest, "malformed-request")
            try await relay.post("/v1/messages/ack", ["cursors": Array(0..<2000)], token: reader.token).expectProblem(.badRequest, "malformed-request")
        }
    }
}
