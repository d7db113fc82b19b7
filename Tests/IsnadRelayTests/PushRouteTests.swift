import Foundation
import IsnadMLS
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

    @Test("removing a device closes its WebSocket with 4401 and refuses its token; the account's other device still gets pushes")
    func removedDeviceIsDisconnected() async throws {
        try await withRelay(.live) { relay in
            let first = try await relay.signedIn()
            let second = try await DeviceRouteTests.linked(relay, to: first)
            let sender = try await relay.signedIn()
            @Sendable func send(_ text: String, to device: TestDevice) async throws {
                let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [device.id], "payload": b64(Data(text.utf8))], token: sender.token)
                #expect(reply.status == .created)
            }
            // A message waits for each, so the first frame on a socket shows the relay is pushing to it.
            try await send("to first", to: first)
            try await send("to second", to: second)
            let firstConnected = Gate(), secondRemoved = Gate()
            let secondPushed = PushedPayloads(), firstPushed = PushedPayloads()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let close = try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(second.token)"])) { inbound, outbound, _ in
                        var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                        try secondPushed.record(try #require(await frames.next()))
                        await firstConnected.wait()
                        #expect(try await relay.request(.delete, "/v1/devices/\(second.id)", token: first.token).status == .noContent)
                        // The relay closes the socket: the stream ends without the client closing it. If
                        // it does not, the client closes after 10 s (code 1000, so the test fails, not hangs).
                        let watchdog = Task {
                            try await Task.sleep(for: .seconds(10))
                            try await outbound.close(.normalClosure, reason: "the relay did not close")
                        }
                        while let frame = try await frames.next() { try secondPushed.record(frame) }
                        watchdog.cancel()
                        await secondRemoved.open()
                    }
                    #expect(close?.closeCode == .unknown(4401))
                    #expect(close?.reason == "device removed")
                }
                group.addTask {
                    try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(first.token)"])) { inbound, outbound, _ in
                        var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                        try firstPushed.record(try #require(await frames.next()))
                        await firstConnected.open()
                        await secondRemoved.wait()
                        try await send("after the removal", to: first)
                        try firstPushed.record(try #require(await frames.next()))
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                }
                try await group.waitForAll()
            }
            #expect(secondPushed.payloads == [b64(Data("to second".utf8))])
            #expect(firstPushed.payloads == [b64(Data("to first".utf8)), b64(Data("after the removal".utf8))])
            try await relay.get("/v1/messages", token: second.token).expectProblem(.unauthorized, "unauthorized")
            // Nor can the removed device's token open a new socket.
            await #expect(throws: (any Error).self) {
                try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(second.token)"])) { _, _, _ in }
            }
        }
    }

    @Test("a connection is pushed exactly what a fetch reads, every field, in cursor order, with messages sent at once")
    func pushedAsFetched() async throws {
        try await withRelay(.live) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            let other = try await relay.signedIn()
            let count = 40
            let headers: HTTPFields = [.authorization: "Bearer \(reader.token)"]
            let pushed = PushedPayloads()
            try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                // Sent eight at a time, some to two devices: their answers come back in any order.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<count {
                        if index >= 8 { try await group.next() }
                        group.addTask {
                            let recipients = index % 3 == 0 ? [reader.id, other.id] : [reader.id]
                            let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": recipients,
                                                                              "payload": b64(Data("message \(index)".utf8))], token: sender.token)
                            #expect(reply.status == .created)
                        }
                    }
                    try await group.waitForAll()
                }
                var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                while pushed.messages.count < count, let frame = try await frames.next() { try pushed.record(frame) }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let fetched = try #require(try await relay.get("/v1/messages?after=0", token: reader.token).json["messages"] as? [[String: Any]])
            #expect(fetched.count == count)
            #expect(pushed.cursors == Array(1...count))
            #expect((pushed.messages as NSArray).isEqual(to: fetched), "pushed \(pushed.messages.prefix(2)), fetched \(fetched.prefix(2))")
        }
    }

    @Test("a group commit and its Welcome are pushed to connected devices with exactly the fields a fetch reads")
    func commitPushedAsFetched() async throws {
        var mls = try TestGroup()
        let joinerKeys = try mls.bundle("joiner")
        let (commitBytes, welcomeBytes) = try mls.commit(adding: [joinerKeys.keyPackage], as: .privateMessage)
        let welcome = try #require(welcomeBytes)
        let group = mls
        try await withRelay(.live) { relay in
            let committer = try await relay.signedIn()
            let member = try await relay.signedIn()
            let joiner = try await relay.signedIn()
            // The member has an earlier message, so the commit's cursor is 2 there and 1 for the joiner.
            let earlier = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [member.id], "payload": "AQ"],
                                               token: committer.token)
            #expect(earlier.status == .created)
            let toMember = PushedPayloads(), toJoiner = PushedPayloads()
            try await relay.client.ws("/v1/messages/ws?after=1", configuration: .init(additionalHeaders: [.authorization: "Bearer \(member.token)"])) { memberIn, memberOut, _ in
                try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: [.authorization: "Bearer \(joiner.token)"])) { joinerIn, joinerOut, _ in
                    let reply = try await relay.post("/v1/groups/\(group.pathID)/commits", [
                        "message_id": UUID().uuidString, "epoch": 0, "commit": b64(commitBytes), "recipients": [member.id],
                        "welcome": ["message": b64(welcome), "recipients": [joiner.id]],
                    ], token: committer.token)
                    #expect(reply.status == .ok)
                    var frames = joinerIn.messages(maxSize: 1 << 20).makeAsyncIterator()
                    while toJoiner.messages.isEmpty, let frame = try await frames.next() { try toJoiner.record(frame) }
                    try await joinerOut.close(.normalClosure, reason: nil)
                }
                var frames = memberIn.messages(maxSize: 1 << 20).makeAsyncIterator()
                while toMember.messages.isEmpty, let frame = try await frames.next() { try toMember.record(frame) }
                try await memberOut.close(.normalClosure, reason: nil)
            }
            let memberFetched = try #require(try await relay.get("/v1/messages?after=1", token: member.token).json["messages"] as? [[String: Any]])
            let joinerFetched = try #require(try await relay.get("/v1/messages?after=0", token: joiner.token).json["messages"] as? [[String: Any]])
            #expect(toMember.payloads == [b64(commitBytes)] && toMember.cursors == [2])
            #expect(toJoiner.payloads == [b64(welcome)] && toJoiner.cursors == [1])
            #expect((toMember.messages as NSArray).isEqual(to: memberFetched), "pushed \(toMember.messages), fetched \(memberFetched)")
            #expect((toJoiner.messages as NSArray).isEqual(to: joinerFetched), "pushed \(toJoiner.messages), fetched \(joinerFetched)")
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
    private(set) var messages: [[String: Any]] = []

    func record(_ message: WebSocketMessage) throws {
        guard case .text(let text) = message,
              let page = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let messages = page["messages"] as? [[String: Any]]
        else { return }
        self.messages += messages
        payloads += messages.compactMap { $0["payload"] as? String }
        cursors += messages.compactMap { $0["cursor"] as? Int }
    }
}

/// Holds tasks until it opens.
actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        guard !isOpen else { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting = []
    }
}
