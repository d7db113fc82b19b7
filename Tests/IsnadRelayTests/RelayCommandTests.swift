import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IsnadStore
import IsnadStoreSQLite
import Testing

/// `isnad relay` as an operator runs it: settings from flags, the environment and `--config`,
/// bad values refused in one sentence, timeouts and rate limits in force, graceful shutdown.
@Suite("isnad relay: operator settings through the binary", .serialized)
struct RelayCommandTests {
    static let missing = "the isnad binary is not built: run `swift build --product isnad` (or `swift build --build-tests`), or set ISNAD_BIN"

    /// A started `isnad` child process (`port` 0 unless it is a relay); its output goes to files
    /// (a pipe nobody reads could block it).
    struct Launched {
        let process: Process
        let port: Int
        let stdoutURL: URL
        let stderrURL: URL

        var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    }

    /// Starts `isnad relay` on a loopback port (a free one unless given) and `folder/data`, with
    /// `arguments` after those, and only `environment` among `ISNAD_*` variables.
    static func launch(_ arguments: [String], environment: [String: String] = [:], folder: URL, port: Int? = nil) throws -> Launched {
        let port = try port ?? LoopbackPort.free()
        return try start(["relay", "--host", "127.0.0.1", "--port", String(port), "--data", folder.appendingPathComponent("data").path] + arguments,
                         environment: environment, folder: folder, port: port)
    }

    /// Starts `isnad arguments…` with only `environment` among `ISNAD_*` variables, its output
    /// in two new files of `folder`.
    static func start(_ arguments: [String], environment: [String: String] = [:], folder: URL, port: Int = 0) throws -> Launched {
        let process = Process()
        guard let binary = CrashTests.binary else { throw CrashTestError(missing) }
        process.executableURL = binary
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ISNAD_") }
        base.merge(environment) { $1 }
        process.environment = base
        let name = UUID().uuidString
        let stdoutURL = folder.appendingPathComponent("\(name).out"), stderrURL = folder.appendingPathComponent("\(name).err")
        guard FileManager.default.createFile(atPath: stdoutURL.path, contents: nil),
              FileManager.default.createFile(atPath: stderrURL.path, contents: nil) else {
            throw CrashTestError("the output files of isnad \(arguments.first ?? "") could not be created")
        }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Launched(process: process, port: port, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    /// Checks that the process ended by itself with a non-zero status and exactly one line on stderr containing `fragment`.
    /// A relay that took the value would say it listens; one that does neither within 90 s (a
    /// loaded machine) is stopped and counted as having taken it.
    static func expectRefusal(_ run: Launched, _ fragment: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let end = ContinuousClock.now + .seconds(90)
        while run.process.isRunning, !run.stdout.contains("listening"), ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(50))
        }
        let exited = try await waitForExit(run.process, within: .zero)
        let lines = run.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(exited, "\(what): still running, so the value was accepted", sourceLocation: sourceLocation)
        #expect(run.process.terminationStatus != 0, "\(what)", sourceLocation: sourceLocation)
        #expect(lines.count == 1 && run.stderr.contains(fragment), "\(what): stderr was \(run.stderr)", sourceLocation: sourceLocation)
        #expect(!run.stdout.contains("listening"), "\(what)", sourceLocation: sourceLocation)
    }

    /// Waits for the process to end; `false` (after SIGKILL) if it still ran at the end.
    static func waitForExit(_ process: Process, within limit: Duration) async throws -> Bool {
        let end = ContinuousClock.now.advanced(by: limit)
        while process.isRunning, ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        process.waitUntilExit()
        return true
    }

    static func withFolder(_ body: (URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-relay-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder)
    }

    /// Starts the relay and waits for `/healthz`; stops it (SIGKILL) after `body` whatever happens.
    static func withRunningRelay(_ arguments: [String], environment: [String: String] = [:], folder: URL,
                                 _ body: (Launched, LoopbackHTTP) async throws -> Void) async throws {
        let relay = try launch(arguments, environment: environment, folder: folder)
        defer {
            if relay.process.isRunning {
                kill(relay.process.processIdentifier, SIGKILL)
                relay.process.waitUntilExit()
            }
        }
        let http = LoopbackHTTP(port: relay.port, end: .now.advanced(by: .seconds(90)))
        while !(try await http.isHealthy()) {
            try #require(relay.process.isRunning && http.hasTimeLeft, "the relay did not become healthy")
            try await Task.sleep(for: .milliseconds(100))
        }
        try await body(relay, http)
    }

    static func writeConfig(_ json: String, in folder: URL) throws -> String {
        let file = folder.appendingPathComponent("relay.json")
        try Data(json.utf8).write(to: file)
        return file.path
    }

    @Test("a bad rate limit, timeout or setting is one sentence on stderr naming its source, and a non-zero exit",
          .enabled(if: CrashTests.binary != nil, Comment(rawValue: missing)), .timeLimit(.minutes(2)))
    func badValues() async throws {
        try await Self.withFolder { folder in
            // (flags, environment, configuration file, what the sentence must name)
            let cases: [([String], [String: String], String?, String)] = [
                (["--device-rate-limit", "20"], [:], nil, "--device-rate-limit"),
                (["--address-rate-limit", "0:100"], [:], nil, "--address-rate-limit"),
                ([], ["ISNAD_ADDRESS_RATE_LIMIT": "fast"], nil, "ISNAD_ADDRESS_RATE_LIMIT"),
                ([], ["ISNAD_DEVICE_RATE_LIMIT": "20:0"], nil, "ISNAD_DEVICE_RATE_LIMIT"),
                (["--identity-rate-limit", "often"], [:], nil, "--identity-rate-limit"),
                ([], [:], #"{"device_rate_limit": "lots"}"#, "“device_rate_limit” in the configuration file"),
                ([], [:], #"{"address_rate_limit": 100}"#, "“address_rate_limit”"),
                ([], [:], #"{"device_rate_limits": "off"}"#, "“device_rate_limits”"),
                (["--idle-timeout", "0"], [:], nil, "idle timeout"),
                ([], ["ISNAD_IDLE_TIMEOUT": "1e300"], nil, "idle timeout"),
                ([], ["ISNAD_IDLE_TIMEOUT": "soon"], nil, "ISNAD_IDLE_TIMEOUT"),
                ([], [:], #"{"idle_timeout": -5}"#, "idle timeout"),
                (["--write-timeout", "0"], [:], nil, "The write timeout must be a positive number of seconds"),
                ([], ["ISNAD_WRITE_TIMEOUT": "inf"], nil, "write timeout"),
                ([], ["ISNAD_WRITE_TIMEOUT": "soon"], nil, "ISNAD_WRITE_TIMEOUT must be a number"),
                ([], [:], #"{"write_timeout": 86401}"#, "write timeout"),
                (["--write-timeout", "1m"], [:], nil, "--write-timeout must be a number, not “1m”"),
                (["--tls-cert", "/nonexistent.pem"], [:], nil, "--tls-key"),
                (["--log-level", "loud"], [:], nil, "--log-level must be one of trace, debug"),
                (["--idle-timeout", "soon"], [:], nil, "--idle-timeout must be a number, not “soon”"),
                (["--port", "http"], [:], nil, "--port must be a number"),
                (["--retention-days", "a week"], [:], nil, "--retention-days must be a number"),
                (["--max-attachment-size", "100MiB"], [:], nil, "--max-attachment-size must be a number"),
                (["--max-queued-messages", "0"], [:], nil, "queued messages"),
                ([], ["ISNAD_MAX_QUEUED_MESSAGES": "many"], nil, "ISNAD_MAX_QUEUED_MESSAGES must be a number"),
                ([], [:], #"{"max_queued_messages": "many"}"#, "“max_queued_messages”"),
                ([], ["ISNAD_RETENTION_DAYS": "0"], nil, "retention in days must be positive"),
                ([], ["ISNAD_LOG_LEVEL": "verbose"], nil, "ISNAD_LOG_LEVEL"),
                ([], [:], #"{"log_level": "chatty"}"#, "“log_level” in the configuration file"),
            ]
            for (flags, environment, file, fragment) in cases {
                let arguments = try flags + (file.map { ["--config", try Self.writeConfig($0, in: folder)] } ?? [])
                let run = try Self.launch(arguments, environment: environment, folder: folder)
                try await Self.expectRefusal(run, fragment, "\(flags) \(environment) \(file ?? "")")
            }
        }
    }

    @Test("rate limits and the idle timeout from flags, environment and file are in force; `off` turns a limit off",
          .enabled(if: CrashTests.binary != nil, Comment(rawValue: missing)), .timeLimit(.minutes(2)))
    func settingsInForce() async throws {
        try await Self.withFolder { folder in
            let config = try Self.writeConfig(#"{"address_rate_limit": "1:1", "device_rate_limit": "0.001:3", "idle_timeout": 1, "write_timeout": 30, "log_level": "debug"}"#, in: folder)
            // The file says 1:1 per address, the environment 1:2, the flag off: the flag wins.
            try await Self.withRunningRelay(["--config", config, "--address-rate-limit", "off"],
                                            environment: ["ISNAD_ADDRESS_RATE_LIMIT": "1:2"], folder: folder) { relay, http in
                for _ in 0..<10 {
                    #expect(try await http.send("GET", "/v1/keypackages/count").status == 401, "no per-address limit")
                }
                // The file's device limit: a burst of 3, then 429 with Retry-After.
                let device = try await http.signIn(TestDevice())
                // The file's log level: the debug events appear (the default, info, has none).
                #expect(relay.stdout.contains("listening on http://127.0.0.1:\(relay.port)"))
                #expect((relay.stdout + relay.stderr).contains("token issued"), "no debug event in: \(relay.stdout)\(relay.stderr)")
                for _ in 0..<3 {
                    #expect(try await http.send("GET", "/v1/keypackages/count", token: device.token).status == 200)
                }
                let limited = try await http.send("GET", "/v1/keypackages/count", token: device.token)
                #expect(limited.status == 429 && limited.json["code"] as? String == "rate-limited")
                #expect((limited.retryAfter ?? 0) > 100)

                // The file's idle timeout of 1 s (the default is 60): a silent connection, and one that
                // sends half a request head, are closed without an answer.
                let silent = try RawConnection(port: relay.port)
                let slow = try RawConnection(port: relay.port)
                try slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                // Kept alive after one answer, then half a second head.
                let second = try RawConnection(port: relay.port)
                try second.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /healthz HTTP/1.1\r\n")
                let started = ContinuousClock.now
                let silentEnd = silent.readUntilClosed(timeout: .seconds(8))
                let slowEnd = slow.readUntilClosed(timeout: .seconds(8))
                let secondEnd = second.readUntilClosed(timeout: .seconds(8))
                #expect(ContinuousClock.now - started >= .milliseconds(800), "closed before the idle timeout")
                #expect(silentEnd.closed && silentEnd.data.isEmpty, "a silent connection stays open past the idle timeout")
                #expect(slowEnd.closed && slowEnd.data.isEmpty, "an unfinished request head stays open past the idle timeout")
                let answers = String(decoding: secondEnd.data, as: UTF8.self)
                #expect(secondEnd.closed && answers.components(separatedBy: "HTTP/1.1 200").count == 2,
                        "one answer, then closed while the second head is unfinished: \(answers)")
                // A request that arrives whole is still answered.
                #expect(try await http.isHealthy())

                // A second relay on the same port: one sentence, not NIO's bind error.
                let twinFolder = folder.appendingPathComponent("twin")
                try FileManager.default.createDirectory(at: twinFolder, withIntermediateDirectories: true)
                let twin = try Self.launch([], folder: twinFolder, port: relay.port)
                try await Self.expectRefusal(twin, "Port \(relay.port) on 127.0.0.1 is already in use", "the same port twice")
            }
        }
    }

    @Test("SIGTERM finishes the request in flight, then the relay closes its database and exits 0",
          .enabled(if: CrashTests.binary != nil, Comment(rawValue: missing)), .timeLimit(.minutes(2)))
    func gracefulShutdown() async throws {
        try await Self.withFolder { folder in
            try await Self.withRunningRelay([], folder: folder) { relay, http in
                let device = try await http.signIn(TestDevice())
                let bytes = Data((0..<1000).map { _ in UInt8.random(in: 0...255) })
                let id = AttachmentID(of: bytes).description
                #expect(try await http.send("POST", "/v1/attachments", json: ["attachment_id": id, "size": 1000], token: device.token).status == 201)
                // An upload whose body is half sent when the signal arrives.
                let upload = try RawConnection(port: relay.port)
                try upload.send("PUT /v1/attachments/\(id)?offset=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(device.token)\r\n"
                                + "Content-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n")
                try upload.send(bytes.prefix(500))
                try await Task.sleep(for: .milliseconds(300))
                relay.process.terminate()
                try await Task.sleep(for: .milliseconds(500))
                #expect(relay.process.isRunning, "the relay waits for the request in flight")
                try upload.send(bytes.suffix(500))
                let answer = upload.readUntilClosed(timeout: .seconds(10))
                let text = String(decoding: answer.data, as: UTF8.self)
                #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
                #expect(text.contains(#""complete":true"#), "\(text)")
                #expect(try await Self.waitForExit(relay.process, within: .seconds(20)), "the relay did not exit after SIGTERM")
                #expect(relay.process.terminationReason == .exit && relay.process.terminationStatus == 0)
                // A closed database leaves neither its log nor the log's index behind.
                let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("data").path)
                #expect(files.contains("relay.sqlite") && !files.contains("relay.sqlite-wal") && !files.contains("relay.sqlite-shm"), "\(files.sorted())")
            }
        }
    }
}

extension RelayCommandTests {
    /// Runs `isnad` with `arguments` to its end (at most 60 s): its status, stdout and stderr.
    static func runIsnad(_ arguments: [String], folder: URL) async throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try start(arguments, folder: folder)
        try #require(try await waitForExit(run.process, within: .seconds(60)), "isnad \(arguments.first ?? "") did not end within 60 s")
        return (run.process.terminationStatus, run.stdout, run.stderr)
    }

    @Test("isnad backup copies a running relay's data folder into one that opens as a store; a folder that holds files is refused in one sentence",
          .enabled(if: CrashTests.binary != nil, Comment(rawValue: missing)), .timeLimit(.minutes(2)))
    func backupWhileRunning() async throws {
        try await Self.withFolder { folder in
            try await Self.withRunningRelay([], folder: folder) { _, _ in
                let data = folder.appendingPathComponent("data").path, copy = folder.appendingPathComponent("copy")
                let run = try await Self.runIsnad(["backup", "--data", data, copy.path, "--json"], folder: folder)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                let listed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
                #expect(listed?.compactMap { $0["name"] as? String } == ["relay.sqlite"], "stdout: \(run.stdout)")
                #expect(listed?.first?["database"] as? Bool == true)
                #expect(try FileManager.default.contentsOfDirectory(atPath: copy.path) == ["relay.sqlite"], "no log, index or lock")

                let again = try await Self.runIsnad(["backup", "--data", data, copy.path], folder: folder)
                let lines = again.stderr.split(separator: "\n")
                #expect(again.status != 0 && lines.count == 1 && again.stderr.contains("already holds files"), "stderr: \(again.stderr)")
            }
            // The copy is a whole database: it opens as a store, already up to date.
            let copy = folder.appendingPathComponent("copy")
            #expect(try !SQLiteRelayStore.needsMigration(directory: copy))
            try SQLiteRelayStore(directory: copy).close()
        }
    }
}
