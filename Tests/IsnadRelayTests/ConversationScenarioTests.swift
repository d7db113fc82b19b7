import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import IsnadMLS
import IsnadRelay
import IsnadStore
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
        // Alice's side of the MLS conversation (RFC 9420) is computed first; the relay carries its bytes.
        var alice = try TestGroup(id: Array("scenario group".utf8), member: "alice", seed: 11)
        let bobKeys = try alice.bundle("bob"), carolKeys = try alice.bundle("carol")
        let bobLastResort = try alice.bundle("bob"), carolLastResort = try alice.bundle("carol")
        let create = try alice.commit(adding: [bobKeys.keyPackage])
        let welcomeBob = try #require(create.welcome)
        let add = try alice.commit(adding: [carolKeys.keyPackage], as: .publicMessage)
        let welcomeCarol = try #require(add.welcome)
        let hello = try alice.encrypt("hello")
        // Bob, once in the group, races Alice with a commit of his own for epoch 1.
        var bobEarly = try TestGroup(welcome: welcomeBob, keyPackage: bobKeys)
        let late = try bobEarly.pendingCommit().message.encoded
        let group = alice.pathID

        let box = DeliveredBox()
        try await engine.withStore { store in
            box.value = try await Self.carry(on: store, group: group, keyPackages: [
                (MLSMessage.keyPackage(bobKeys.keyPackage).encoded, MLSMessage.keyPackage(bobLastResort.keyPackage).encoded),
                (MLSMessage.keyPackage(carolKeys.keyPackage).encoded, MLSMessage.keyPackage(carolLastResort.keyPackage).encoded),
            ], create: create, add: add, late: late, hello: hello)
        }
        let delivered = box.value

        // What the relay delivered is what Alice sent, and it works: both join and read.
        #expect(delivered.claimedBob == MLSMessage.keyPackage(bobKeys.keyPackage).encoded)
        #expect(delivered.bob == [welcomeBob, add.commit, hello])
        #expect(delivered.carol == [welcomeCarol, hello])
        var bob = try TestGroup(welcome: delivered.bob[0], keyPackage: bobKeys)
        try bob.process(delivered.bob[1])
        #expect(try bob.decrypt(delivered.bob[2]) == "hello")
        var carol = try TestGroup(welcome: delivered.carol[0], keyPackage: carolKeys)
        #expect(carol.epoch == 2)
        #expect(try carol.decrypt(delivered.carol[1]) == "hello")
    }

    /// The payloads each device received.
    struct Delivered {
        var claimedBob: [UInt8] = []
        var bob: [[UInt8]] = []
        var carol: [[UInt8]] = []
    }

    /// Runs the conversation through the relay's HTTP API and returns what Bob and Carol received.
    static func carry(
        on store: any RelayStore, group: String, keyPackages: [(key: [UInt8], lastResort: [UInt8])],
        create: (commit: [UInt8], welcome: [UInt8]?), add: (commit: [UInt8], welcome: [UInt8]?), late: [UInt8], hello: [UInt8]
    ) async throws -> Delivered {
        let result = DeliveredBox()
        try await withRelay(.live, store: store) { relay in
            let alice = try await relay.signedIn()
            let bob = try await relay.signedIn()
            let carol = try await relay.signedIn()

            // Bob and Carol publish KeyPackages; Alice claims one of each.
            for (device, keys) in zip([bob, carol], keyPackages) {
                let upload = try await relay.post("/v1/keypackages", [
                    "key_packages": [b64(keys.key)], "last_resort": b64(keys.lastResort),
                ], token: device.token)
                #expect(upload.status == .ok)
            }
            let claimedBob = try await relay.post("/v1/keypackages/claim", ["identity_key": bob.identityKey], token: alice.token)
            let claimed = try #require((claimedBob.json["key_packages"] as? [[String: Any]])?.first)
            #expect(claimed["device_id"] as? String == bob.id)
            result.value.claimedBob = try Self.bytes(claimed["key_package"])

            // Alice creates the group with Bob: the commit reaches nobody else, the Welcome reaches Bob.
            let created = try await relay.post("/v1/groups/\(group)/commits", [
                "message_id": UUID().uuidString, "epoch": 0, "commit": b64(create.commit), "recipients": [] as [String],
                "welcome": ["message": b64(try #require(create.welcome)), "recipients": [bob.id]],
            ], token: alice.token)
            #expect(created.json["epoch"] as? Int == 1)

            // Bob listens by WebSocket while Alice adds Carol and then writes to both.
            let pushed = PushedPayloads()
            let headers: HTTPFields = [.authorization: "Bearer \(bob.token)"]
            try await relay.client.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                let welcome = try #require(await frames.next())
                try pushed.record(welcome)

                let added = try await relay.post("/v1/groups/\(group)/commits", [
                    "message_id": UUID().uuidString, "epoch": 1, "commit": b64(add.commit), "recipients": [bob.id],
                    "welcome": ["message": b64(try #require(add.welcome)), "recipients": [carol.id]],
                ], token: alice.token)
                #expect(added.json["epoch"] as? Int == 2)
                let racing = try await relay.post("/v1/groups/\(group)/commits", [
                    "message_id": UUID().uuidString, "epoch": 1, "commit": b64(late), "recipients": [alice.id],
                ], token: bob.token)
                #expect(racing.status == .conflict)
                #expect(racing.json["current_epoch"] as? Int == 2)
                while pushed.payloads.count < 2, let next = try await frames.next() { try pushed.record(next) }

                let sent = try await relay.post("/v1/messages", [
                    "message_id": UUID().uuidString, "recipients": [bob.id, carol.id], "payload": b64(hello),
                ], token: alice.token)
                #expect(sent.status == .created)
                while pushed.payloads.count < 3, let next = try await frames.next() { try pushed.record(next) }
                try await outbound.close(.normalClosure, reason: nil)
            }
            result.value.bob = try pushed.payloads.map { try Self.bytes($0) }

            // Carol was offline: she fetches the Welcome and the message, then acknowledges them.
            let inbox = try await relay.get("/v1/messages", token: carol.token)
            let messages = try #require(inbox.json["messages"] as? [[String: Any]])
            result.value.carol = try messages.map { try Self.bytes($0["payload"]) }
            let acked = try await relay.post("/v1/messages/ack", ["cursors": messages.compactMap { $0["cursor"] as? Int }], token: carol.token)
            #expect(acked.json["deleted"] as? Int == 2)
            #expect((try await relay.get("/v1/messages", token: carol.token).json["messages"] as? [[String: Any]])?.isEmpty == true)
        }
        return result.value
    }

    static func bytes(_ value: Any?) throws -> [UInt8] {
        let text = try #require(value as? String)
        return [UInt8](try #require(Base64URL(text: text)).data)
    }
}

/// Carries the payloads out of the relay's `@Sendable` body.
final class DeliveredBox: @unchecked Sendable {
    // @unchecked: written only inside the one body run by `withStore` or `withRelay`, read after it returned.
    var value = ConversationScenarioTests.Delivered()
}
