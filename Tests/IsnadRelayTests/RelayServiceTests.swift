import Foundation
import IsnadRelay
import IsnadStore
import IsnadStorePostgres
import IsnadStoreSQLite
import HummingbirdTesting
import Testing

@Suite("Relay as a service")
struct RelayServiceTests {
    #if canImport(Glibc)
    /// The servers' allocator settings (``HeapTuning``) reach glibc's `mallopt`.
    @Test("glibc takes the servers' heap settings")
    func heapTuning() {
        #expect(HeapTuning.apply())
    }
    #endif

    @Test("a message answered 201 is on disk: a second store on the folder reads it")
    func durable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-relay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let readerID = ReaderID()
        let store = try SQLiteRelayStore(directory: folder)
        try await withRelay(store: store) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            readerID.value = reader.id
            let reply = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": "AQID"], token: sender.token)
            #expect(reply.status == .created)
        }
        // One store holds a folder at a time (FolderLock); the second reads what the first committed.
        try store.close()
        let reopened = try SQLiteRelayStore(directory: folder)
        let device = try #require(DeviceID(readerID.value))
        let messages = try await reopened.messages(for: device, after: 0, limit: 10, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(messages.map(\.payload) == [Data([1, 2, 3])])
    }

    @Test("the sweeper removes expired messages while the relay runs")
    func sweeper() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-relay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteRelayStore(directory: folder)
        try await withRelay(.live, store: store, configure: { $0.sweepInterval = 0.05; $0.messageRetention = 60 }) { relay in
            let sender = try await relay.signedIn()
            let reader = try await relay.signedIn()
            _ = try await relay.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": "AQID"], token: sender.token)
            relay.clock.advance(by: 61)
            var leftover = ExpiryReport(messages: 1)
            for _ in 0..<50 where leftover.messages > 0 {
                try await Task.sleep(for: .milliseconds(50))
                // Counting what a sweep *would* still remove, at a time before anything else expires.
                leftover = try await store.removeExpired(now: relay.clock.now)
            }
            #expect(leftover.messages == 0)
        }
    }

    @Test("an unavailable store is a 503 problem with Retry-After; a store bug is a 500 problem")
    func engineFailures() async throws {
        try await withRelay(store: FailingStore(error: StoreError(.unavailable, "down"))) { relay in
            let reply = try await relay.post("/v1/accounts", TestDevice().registration)
            reply.expectProblem(.serviceUnavailable, "unavailable")
            #expect(reply.headers[.retryAfter] == "1")
            try await relay.get("/v1/keypackages/count", token: b64(Data(count: 32))).expectProblem(.serviceUnavailable, "unavailable")
        }
        try await withRelay(store: FailingStore(error: StoreError(.internal, "engine-secret-detail"))) { relay in
            let reply = try await relay.post("/v1/accounts", TestDevice().registration)
            reply.expectProblem(.internalServerError, "internal")
            #expect(!String(decoding: reply.body, as: UTF8.self).contains("engine-secret-detail"), "engine details stay out of the answer")
        }
    }
}

/// Carries a device ID out of a relay test closure.
final class ReaderID: @unchecked Sendable {
    // @unchecked: written inside the closure, read after it returned; never concurrently.
    var value = ""
}

@Suite("Relay on PostgreSQL as a service")
struct PostgresRelayServiceTests {
    @Test(
        "the store runs in the app's ServiceGroup and migrates before the server starts",
        .enabled(
            if: StoreEngine.postgres.isAvailable,
            "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against: run `bash scripts/test.sh`"
        )
    )
    func composition() async throws {
        try await StoreEngine.withPostgresDatabase { url in
            let store = try PostgresRelayStore(url: url, logger: StoreEngine.quietLogger)
            var configuration = RelayConfiguration()
            configuration.port = 0
            var app = try Relay.makeApplication(configuration: configuration, store: store)
            app.addServices(store)
            app.beforeServerStarts { try await store.migrate() }
            try await app.test(.live) { client in
                let relay = RelayClient(client: client, clock: TestClock())
                #expect(try await relay.get("/healthz").status == .ok)
                let device = try await relay.signedIn()
                #expect(try await relay.get("/v1/keypackages/count", token: device.token).status == .ok)
            }
        }
    }
}
