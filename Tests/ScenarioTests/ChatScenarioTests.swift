import Foundation
import Testing

extension ClientScenarios {
    /// `isnad chat` as a person uses it, through pipes: a message sent by someone else appears
    /// without any command (the relay's WebSocket push), and a typed line is sent.
    @Suite("Scenario: isnad chat")
    struct ChatScenarioTests {
        @Test("a pushed message appears; a typed line arrives; /quit leaves",
              .enabled(if: IsnadBinary.url != nil, Comment(rawValue: IsnadBinary.missing)), .timeLimit(.minutes(3)))
        func chat() async throws {
            try await RelayUnderTest.withRelay("isnad-chat") { folder, relay in
                let amal = Person(home: folder.appendingPathComponent("amal"), passphrase: "a")
                let basim = Person(home: folder.appendingPathComponent("basim"), passphrase: "b")
                try await amal.ok("init", "--name", "amal", "--relay", relay.url)
                try await basim.ok("init", "--name", "basim", "--relay", relay.url)
                try await basim.ok("contacts", "add", try amal.ok("invite").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "amal")
                _ = try await amal.sync()

                let process = Process()
                process.executableURL = try #require(IsnadBinary.url)
                process.arguments = ["--home", amal.home.path, "chat", "basim"]
                process.environment = ProcessInfo.processInfo.environment.merging(["ISNAD_PASSPHRASE": amal.passphrase]) { $1 }
                let input = Pipe(), output = Pipe()
                process.standardInput = input
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                let lines = LineCollector(output.fileHandleForReading)
                try process.run()
                defer { if process.isRunning { process.terminate() } }

                #expect(try await lines.waitFor("chatting with basim"))
                try await basim.ok("send", "amal", "pushed-to-the-chat")
                #expect(try await lines.waitFor("basim: pushed-to-the-chat"), "the pushed message did not appear: \(lines.text)")
                input.fileHandleForWriting.write(Data("typed-in-the-chat\n".utf8))
                var arrived = false
                for _ in 0..<40 where !arrived {
                    arrived = try await basim.sync().contains { $0.text == "typed-in-the-chat" }
                    if !arrived { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(arrived)
                input.fileHandleForWriting.write(Data("/quit\n".utf8))
                for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
                #expect(!process.isRunning && process.terminationStatus == 0)
            }
        }
    }
}

/// Collects a child's standard output as it comes.
final class LineCollector: @unchecked Sendable {
    // @unchecked: `buffer` is only touched under `lock`.
    private let lock = NSLock()
    private var buffer = ""

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { handle.readabilityHandler = nil; return }
            self.lock.withLock { self.buffer += String(decoding: data, as: UTF8.self) }
        }
    }

    var text: String { lock.withLock { buffer } }

    /// Waits up to 60 s for `fragment` to appear.
    func waitFor(_ fragment: String) async throws -> Bool {
        for _ in 0..<600 {
            if text.contains(fragment) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
