import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Testing

/// A whole conversation through the HTTP API, on every storage engine.
@Suite("Scenario: a group conversation through the relay")
struct ConversationScenarioTests {
    @Test("on SQLite")
    func sqlite() async throws {
        try await conversation(on: .sqlite)
    }

    @Test(
        "on PostgreSQL",
        .enabled(
            if: StoreEngine.postgres.isAvailable,
            "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against: run `bash scripts/test.sh`"
        )
    )
    func postgres() async throws {
        try await conversation(on: .postgres)
    }

    func conversation(on engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await withRelay(.live, store: store) { relay in
                let alice = try await relay.signedIn()
                let bob = try await relay.signedIn()
                let carol = try await relay.signedIn()

                // Bob and Carol publish KeyPackages; Alice claims one of each.
                for device in [bob, carol] {
                    let upload = try await relay.post("/v1/keypackages", [
                        "key_packages": [b64(Data("kp-\(device.id)".utf8))], "last_resort": b64(Data("lr-\(device.id)".utf8)),
                    ], token: device.token)
                    #expect(upload.status == .ok)
                }
                let claimedBob = try await relay.post("/v1/keypackages/claim", ["identity_key": bob.identityKey], token: alice.token)
                #expect((claimedBob.json["key_packages"] as? [[String: Any]])?.first?["device_id"] as? String == bob.id)

                // Alice creates the group with Bob: the commit reaches nobody else, the Welcome reaches Bob.
                let group = b64(Data("scenario group".utf8))
                let create = try await relay.post("/v1/groups/\(group)/commits", [
                    "message_id": UUID().uuidString, "epoch": 0, "commit": b64(Data("commit-1".utf8)), "recipients": [] as [String],
                    "welcome": ["message": b64(Data("welcome-bob".utf8)), "recipients": [bob.id]],
                ], token: alice.token)
                #expect(create.json["epoch"] as? Int == 1)

                // Bob listens by WebSocket while Alice adds Carol and then writes to both.
                let pushed = PushedPayloads()
                let headers: HTTPFields = [.authorization: "Bearer \(bob.token)"]
                try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                    var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    let welcome = try #require(await frames.next())
                    try pushed.record(welcome)

                    let add = try await relay.post("/v1/groups/\(group)/commits", [
                        "message_id": UUID().uuidString, "epoch": 1, "commit": b64(Data("commit-2".utf8)), "recipients": [bob.id],
                        "welcome": ["message": b64(Data("welcome-carol".utf8)), "recipients": [carol.id]],
                    ], token: alice.token)
                    #expect(add.json["epoch"] as? Int == 2)
                    let racing = try await relay.post("/v1/groups/\(group)/commits", [
                        "message_id": UUID().uuidString, "epoch": 1, "commit": b64(Data("late".utf8)), "recipients": [alice.id],
                    ], token: bob.token)
                    #expect(racing.status == .conflict)
                    #expect(racing.json["current_epoch"] as? Int == 2)
                    while pushed.payloads.count < 2, let next = try await frames.next() { try pushed.record(next) }

                    let hello = try await relay.post("/v1/messages", [
                        "message_id": UUID().uuidString, "recipients": [bob.id, carol.id], "payload": b64(Data("hello".utf8)),
                    ], token: alice.token)
                    #expect(hello.status == .created)
                    while pushed.payloads.count < 3, let next = try await frames.next() { try pushed.record(next) }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                #expect(pushed.payloads == ["welcome-bob", "commit-2", "hello"].map { b64(Data($0.utf8)) })

                // Carol was offline: she fetches the Welcome and the message, then acknowledges them.
                let inbox = try await relay.get("/v1/messages", token: carol.token)
                let messages = try #require(inbox.json["messages"] as? [[String: Any]])
                #expect(messages.compactMap { $0["payload"] as? String } == ["welcome-carol", "hello"].map { b64(Data($0.utf8)) })
                let acked = try await relay.post("/v1/messages/ack", ["cursors": messages.compactMap { $0["cursor"] as? Int }], token: carol.token)
                #expect(acked.json["deleted"] as? Int == 2)
                #expect((try await relay.get("/v1/messages", token: carol.token).json["messages"] as? [[String: Any]])?.isEmpty == true)
            }
        }
    }
}
