import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import IsnadRelay
@testable import IsnadStorePostgres
import Synchronization
import Testing

/// Several relay processes share one PostgreSQL database (here: two applications in one test process,
/// each with its own store and connection pool, talking only through the database).
@Suite(
    "Scale-out: two relays on one PostgreSQL",
    .enabled(
        if: StoreEngine.postgres.isAvailable,
        "ISNAD_TEST_POSTGRES_URL is unset, so there is no PostgreSQL server to test against: run `bash scripts/test.sh`"
    )
)
struct ScaleOutTests {
    static func makeRelay(_ url: String) throws -> Application<RouterResponder<RelayRequestContext>> {
        try makeRelay(store: PostgresRelayStore(url: url, logger: StoreEngine.quietLogger))
    }

    static func makeRelay(store: PostgresRelayStore) throws -> Application<RouterResponder<RelayRequestContext>> {
        var configuration = RelayConfiguration()
        configuration.port = 0
        var app = try Relay.makeApplication(configuration: configuration, store: store, logger: StoreEngine.quietLogger)
        app.addServices(store)
        app.beforeServerStarts { try await store.migrate() }
        return app
    }

    /// Two live relays on a fresh database; `body` gets relay A's client, then relay B's, once
    /// relay B listens for wake-ups and removals. Before that, relay B hears nothing of what relay A
    /// stores (it reads what was stored when listening starts), so the tests' bounds are about the
    /// time after it.
    static func withTwoRelays(_ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol, PostgresRelayStore) async throws -> Void) async throws {
        try await StoreEngine.withPostgresDatabase { url in
            let storeB = try PostgresRelayStore(url: url, logger: StoreEngine.quietLogger)
            let relayA = try makeRelay(url), relayB = try makeRelay(store: storeB)
            try await relayA.test(.live) { clientA in
                try await relayB.test(.live) { clientB in
                    // Listening shows as relay B's token cache being in use.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while !storeB.tokens.isEnabled, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                    try #require(storeB.tokens.isEnabled, "relay B did not start listening within 30 s")
                    try await body(clientA, clientB, storeB)
                }
            }
        }
    }

    @Test("a message posted to relay A is pushed by relay B to a device connected there")
    func pushAcrossRelays() async throws {
        try await Self.withTwoRelays { clientA, clientB, _ in try await Self.pushAcross(clientA, clientB) }
    }

    static func pushAcross(_ clientA: any TestClientProtocol, _ clientB: any TestClientProtocol) async throws {
        let a = RelayClient(client: clientA, clock: TestClock())
        let b = RelayClient(client: clientB, clock: TestClock())
        let sender = try await a.signedIn()
        let reader = try await b.signedIn()
        let arrivals = Arrivals()
        let headers: HTTPFields = [.authorization: "Bearer \(reader.token)"]
        try await clientB.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { arrivals.record(text) }
                    }
                }
                for index in 0..<5 {
                    let payload = b64(Data("across \(index)".utf8))
                    let sentAt = arrivals.markSent()
                    let reply = try await a.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [reader.id], "payload": payload], token: sender.token)
                    #expect(reply.status == .created)
                    let deadline = sentAt + .seconds(5)
                    while arrivals.count <= index, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    let arrival = try #require(arrivals.arrival(index), "relay B pushed nothing within 5 s")
                    #expect(arrival.text.contains(payload))
                }
                try await outbound.close(.normalClosure, reason: nil)
                group.cancelAll()
            }
        }
        // The target is 100 ms; a loaded 2-core test machine gets a looser bound,
        // and the benchmark measures the real figure.
        let latencies = arrivals.latencies
        #expect(latencies.count == 5)
        #expect(latencies.allSatisfy { $0 < .seconds(1) }, "latencies: \(latencies)")
    }

    @Test("a device removed through relay A loses its WebSocket on relay B (4401)")
    func removalAcrossRelays() async throws {
        try await Self.withTwoRelays { clientA, clientB, _ in
            let a = RelayClient(client: clientA, clock: TestClock())
            let first = try await a.signedIn()
            let second = try await DeviceRouteTests.linked(a, to: first)
            // A message waits, so the first frame shows relay B is pushing to the socket.
            let reply = try await a.post("/v1/messages", ["message_id": UUID().uuidString, "recipients": [second.id], "payload": "AQ"], token: first.token)
            #expect(reply.status == .created)
            let headers: HTTPFields = [.authorization: "Bearer \(second.token)"]
            let close = try await clientB.ws("/v1/messages/ws", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                _ = try #require(await frames.next())
                #expect(try await a.request(.delete, "/v1/devices/\(second.id)", token: first.token).status == .noContent)
                // Relay B closes it; if not, the client does after 10 s (code 1000: the test fails, not hangs).
                let watchdog = Task {
                    try await Task.sleep(for: .seconds(10))
                    try await outbound.close(.normalClosure, reason: "relay B did not close")
                }
                while try await frames.next() != nil {}
                watchdog.cancel()
            }
            #expect(close?.closeCode == .unknown(4401))
        }
    }
}

extension ScaleOutTests {
    /// Relay B answers known tokens from its cache while it listens for removals; a removal made
    /// through relay A reaches it by NOTIFY and empties the cache of the device's tokens.
    @Test("a device removed through relay A can no longer use its token on relay B")
    func tokenRevocationAcrossRelays() async throws {
        try await Self.withTwoRelays { clientA, clientB, storeB in
            let a = RelayClient(client: clientA, clock: TestClock())
            let b = RelayClient(client: clientB, clock: TestClock())
            let first = try await a.signedIn()
            let second = try await DeviceRouteTests.linked(a, to: first)
            for _ in 0..<2 { #expect(try await b.get("/v1/messages", token: second.token).status == .ok) }
            let digest = Data(SHA256.hash(data: try #require(Base64URL(text: second.token)).data))
            #expect(storeB.tokens.device(for: digest, now: 0) != nil, "relay B answers the token from its cache")

            #expect(try await a.request(.delete, "/v1/devices/\(second.id)", token: first.token).status == .noContent)
            let deadline = ContinuousClock.now + .seconds(5)
            var status = HTTPResponse.Status.ok
            while ContinuousClock.now < deadline {
                status = try await b.get("/v1/messages", token: second.token).status
                if status != .ok { break }
                // 20 ms apart: the device's rate limit (burst 400) outlasts the 5 s wait.
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(status == .unauthorized, "relay B refuses the removed device's token")
            #expect(try await b.get("/v1/messages", token: first.token).status == .ok, "the other device's token still works")
        }
    }
}

/// Text frames as they arrive, with their arrival time.
final class Arrivals: Sendable {
    private let frames = Mutex<[(text: String, at: ContinuousClock.Instant)]>([])
    private let sends = Mutex<[ContinuousClock.Instant]>([])

    /// Notes that a message is about to be posted to the other relay.
    func markSent() -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        sends.withLock { $0.append(now) }
        return now
    }

    /// From each send (before its POST) to its push.
    var latencies: [Duration] {
        let sent = sends.withLock { $0 }
        let received = frames.withLock { $0.map(\.at) }
        return zip(sent, received).map { $1 - $0 }
    }

    func record(_ text: String) {
        let now = ContinuousClock.now
        frames.withLock { $0.append((text, now)) }
    }

    var count: Int { frames.withLock { $0.count } }

    func arrival(_ index: Int) -> (text: String, at: ContinuousClock.Instant)? {
        frames.withLock { index < $0.count ? $0[index] : nil }
    }
}
