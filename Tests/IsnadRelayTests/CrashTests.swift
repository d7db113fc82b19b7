import Foundation
import IsnadFuzzTargets
import IsnadRelay
import Testing

/// Issue 4's crash test: a real `isnad relay` process under load is killed with SIGKILL at
/// seeded-random moments and restarted on the same data folder; every message the relay
/// acknowledged with a 2xx is then delivered exactly once, and nothing is delivered twice.
///
/// ```
/// senders ─ POST /v1/messages (retry until 2xx) ─┐
/// killer ─ SIGKILL at seeded ack counts, restart ─┼─ relay process ─ data folder (SQLite, WAL)
/// receiver (after the load) ─ GET pages, ack ────┘
/// ```
///
/// Loopback only; every loop is bounded by ``deadline``; the process and the folder are removed
/// on every exit.
@Suite("Crash: SIGKILL during a load", .serialized)
struct CrashTests {
    static let messageCount = 300
    static let kills = 5
    static let senders = 4
    static let seed: UInt64 = 0x15AD_0004
    /// The whole scenario, load and delivery, must finish within this. Alone it takes a few
    /// seconds; in the full suite it shares two cores with every other suite (the write-timeout
    /// tests move megabytes through throttled sockets meanwhile), and 50 s once ran out
    /// while a restarted debug-build relay was still starting.
    static let deadline: Duration = .seconds(100)

    /// The `isnad` binary: `$ISNAD_BIN`, else `<repo>/.build/debug/isnad`; `nil` when neither exists.
    static let binary: URL? = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = ProcessInfo.processInfo.environment["ISNAD_BIN"] ?? repo.appendingPathComponent(".build/debug/isnad").path
        return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }()

    @Test(
        "every acknowledged message is delivered exactly once across 5 kills",
        .enabled(
            if: binary != nil,
            "the isnad binary is not built: run `swift build --product isnad` (or `swift build --build-tests`), or set ISNAD_BIN"
        ),
        .timeLimit(.minutes(3))
    )
    func killAndRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let relay = RelayProcess(binary: try #require(Self.binary), port: try LoopbackPort.free(), folder: folder)
        do {
            try await scenario(relay)
        } catch {
            await relay.stop()
            throw error
        }
        await relay.stop()
    }

    func scenario(_ relay: RelayProcess) async throws {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: Self.deadline)
        let http = LoopbackHTTP(port: relay.port, end: end)
        try await relay.start(http)

        let sender = try await http.signIn(TestDevice())
        let receiver = try await http.signIn(TestDevice())
        let messages = (0..<Self.messageCount).map { index in
            (id: UUID().uuidString.lowercased(), payload: b64(Data("message \(index)".utf8)))
        }
        let ledger = Ledger()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<Self.senders {
                group.addTask {
                    for index in stride(from: worker, to: messages.count, by: Self.senders) {
                        let message = messages[index]
                        let reply = try await http.untilSuccess("message \(index)") {
                            try await http.send("POST", "/v1/messages", json: [
                                "message_id": message.id, "recipients": [receiver.id], "payload": message.payload,
                            ], token: sender.token)
                        }
                        await ledger.acknowledged(index, attempts: reply.attempts, recognisedRetry: reply.status == 200)
                    }
                }
            }
            group.addTask {
                var generator = SeededGenerator(seed: Self.seed)
                let moments = (0..<Self.kills).map { _ in Int.random(in: 10..<(Self.messageCount - 10), using: &generator) }.sorted()
                for moment in moments {
                    while await ledger.count < moment {
                        guard clock.now < end else { throw CrashTestError("the load stalled before kill at \(moment) acknowledgements") }
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    // A little later still, so the kill lands in the middle of requests.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 0..<25, using: &generator)))
                    await relay.kill()
                    try await relay.start(http)
                }
            }
            try await group.waitForAll()
        }
        #expect(await relay.starts == Self.kills + 1)
        #expect(await ledger.count == Self.messageCount)
        // The kills landed during the load: some sends failed and were retried.
        let retried = await ledger.retriedMessages
        #expect(retried > 0)
        print("crash test: \(Self.kills) kills; \(retried) of \(Self.messageCount) messages needed retries, \(await ledger.recognisedRetries) answered 200 as a recognised retry")

        // The receiver fetches everything, then acknowledges it.
        var delivered: [String: [String]] = [:]
        var cursors: [Int] = []
        var after = 0
        while true {
            let page = try await http.untilSuccess("fetch") {
                try await http.send("GET", "/v1/messages?after=\(after)&limit=500", token: receiver.token)
            }
            let items = try #require(page.json["messages"] as? [[String: Any]])
            if items.isEmpty { break }
            for item in items {
                let id = try #require(item["message_id"] as? String).lowercased()
                delivered[id, default: []].append(try #require(item["payload"] as? String))
                cursors.append(try #require(item["cursor"] as? Int))
            }
            after = try #require(page.json["next_cursor"] as? Int)
        }
        for chunk in stride(from: 0, to: cursors.count, by: 500) {
            let slice = Array(cursors[chunk..<min(chunk + 500, cursors.count)])
            _ = try await http.untilSuccess("ack") { try await http.send("POST", "/v1/messages/ack", json: ["cursors": slice], token: receiver.token) }
        }
        let left = try await http.untilSuccess("fetch after ack") { try await http.send("GET", "/v1/messages", token: receiver.token) }
        #expect((left.json["messages"] as? [[String: Any]])?.isEmpty == true)

        let acknowledged = await ledger.indices
        let sent = Dictionary(uniqueKeysWithValues: messages.map { ($0.id, $0.payload) })
        for index in acknowledged {
            let message = messages[index]
            #expect(delivered[message.id] == [message.payload], "message \(index) was delivered \(delivered[message.id]?.count ?? 0) times")
        }
        for (id, payloads) in delivered {
            #expect(sent[id] != nil, "a message nobody sent was delivered")
            #expect(payloads.count == 1, "a message was delivered \(payloads.count) times")
        }
        #expect(delivered.count == acknowledged.count)
    }
}

/// What the senders were told: the indices of acknowledged messages.
actor Ledger {
    private(set) var indices: Set<Int> = []
    /// Messages that needed more than one attempt (a kill, a restart or a rate limit in between).
    private(set) var retriedMessages = 0
    /// Replies that were 200 (a retry of a stored message, recognised by its ID) rather than 201.
    private(set) var recognisedRetries = 0

    var count: Int { indices.count }

    func acknowledged(_ index: Int, attempts: Int, recognisedRetry: Bool) {
        indices.insert(index)
        if attempts > 1 { retriedMessages += 1 }
        if recognisedRetry { recognisedRetries += 1 }
    }
}

struct CrashTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
