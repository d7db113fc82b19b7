import Foundation
import IsnadTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The built `isnad` binary (`$ISNAD_BIN`, else `<repo>/.build/debug/isnad`), run as a child
/// process the way a person or a script would run it.
enum IsnadBinary {
    static let url: URL? = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = ProcessInfo.processInfo.environment["ISNAD_BIN"] ?? repo.appendingPathComponent(".build/debug/isnad").path
        return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }()

    static let missing = "the isnad binary is not built: run `swift build --product isnad` (or `swift build --build-tests`), or set ISNAD_BIN"

    /// What one run printed and how it ended.
    struct Run: CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String
        var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

        /// The standard output parsed as a JSON object.
        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(object as? [String: Any], "not a JSON object: \(stdout)")
        }
    }

    /// Runs `isnad ARGUMENTS` with only `environment` added to a cleaned environment.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let process = Process()
        process.executableURL = try #require(url, Comment(rawValue: missing))
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment
        for name in ["ISNAD_HOME", "ISNAD_PASSPHRASE", "ISNAD_HOST", "ISNAD_PORT", "ISNAD_DATA", "ISNAD_POSTGRES_URL"] { base[name] = nil }
        process.environment = base.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let (outData, errData, status) = await ChildProcess(process, out: out, err: err).finish()
        return Run(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// One identity: a home folder and a passphrase, driven through the binary.
struct Person {
    let home: URL
    let passphrase: String

    /// Runs a client command as this person; `--home` goes first, as the global option.
    @discardableResult
    func run(_ arguments: String..., passphrase override: String? = nil) async throws -> IsnadBinary.Run {
        try await IsnadBinary.run(["--home", home.path] + arguments, environment: ["ISNAD_PASSPHRASE": override ?? passphrase])
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> IsnadBinary.Run {
        let run = try await IsnadBinary.run(["--home", home.path] + arguments, environment: ["ISNAD_PASSPHRASE": passphrase])
        #expect(run.status == 0, "isnad \(arguments.joined(separator: " ")) failed: \(run)", sourceLocation: sourceLocation)
        return run
    }

    /// The texts of `sync --json`'s messages, as (from, text) pairs.
    func sync() async throws -> [(conversation: String, from: String, text: String)] {
        let run = try await ok("sync", "--json")
        let messages = try #require(try run.json()["messages"] as? [[String: Any]])
        return messages.map { ($0["conversation"] as? String ?? "", $0["from"] as? String ?? "", $0["text"] as? String ?? "") }
    }

    /// The texts of a conversation's history (messages, not events).
    func history(_ name: String) async throws -> [String] {
        let run = try await ok("read", name, "--json")
        let messages = try #require(try run.json()["messages"] as? [[String: Any]])
        return messages.filter { $0["kind"] as? String == "text" }.compactMap { $0["text"] as? String }
    }
}

/// An `isnad relay` child process on a free loopback port with its own data folder.
final class RelayUnderTest: @unchecked Sendable {
    // @unchecked: used from one test at a time; `process` changes only in start/stop.
    let port: Int
    let data: URL
    /// The subcommand that serves: `relay`, or `serve` (relay and observatory on one port).
    let command: String
    private var process: Process?

    init(folder: URL, name: String = "relay", command: String = "relay", port: Int? = nil) throws {
        self.port = try port ?? FreePort.find()
        data = folder.appendingPathComponent(name)
        self.command = command
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts the relay and waits (at most 90 s: CI machines are loaded) until `/healthz` answers.
    func start() async throws {
        let process = Process()
        process.executableURL = try #require(IsnadBinary.url, Comment(rawValue: IsnadBinary.missing))
        process.arguments = [command, "--host", "127.0.0.1", "--port", String(port), "--data", data.path]
        var environment = ProcessInfo.processInfo.environment
        for name in ["ISNAD_HOST", "ISNAD_PORT", "ISNAD_DATA", "ISNAD_POSTGRES_URL"] { environment[name] = nil }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let end = ContinuousClock.now.advanced(by: .seconds(90))
        while ContinuousClock.now < end {
            if await isHealthy() { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw ScenarioError("the relay did not become healthy")
    }

    /// Ends the relay (SIGTERM, then waits).
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    private func isHealthy() async -> Bool {
        guard let url = URL(string: "\(url)/healthz") else { return false }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A loopback TCP port that was free a moment ago (bind to port 0, read it back).
enum FreePort {
    static func find() throws -> Int {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw ScenarioError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        guard bound == 0 else { throw ScenarioError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        guard named == 0 else { throw ScenarioError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Every file under a folder, read whole, for scans that look for bytes that must not be there.
enum FolderScan {
    /// The needles found in any file under `folder` (as UTF-8), with the file they were in.
    static func find(_ needles: [String], under folder: URL) throws -> [String] {
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var files = 0
        while let file = enumerator?.nextObject() as? URL {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let bytes = try Data(contentsOf: file)
            files += 1
            for needle in needles where bytes.range(of: Data(needle.utf8)) != nil {
                found.append("\(needle) in \(file.lastPathComponent)")
            }
        }
        guard files > 0 else { throw ScenarioError("no file to scan under \(folder.path)") }
        return found
    }
}

extension RelayUnderTest {
    /// Runs `body` with a temporary folder and a started relay in it; stops the relay and removes
    /// the folder afterwards, whatever happens.
    static func withRelay(_ prefix: String, _ body: (URL, RelayUnderTest) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let relay = try RelayUnderTest(folder: folder)
        try await relay.start()
        defer { relay.stop() }
        try await body(folder, relay)
    }
}

/// Every client scenario, one after another: each starts a relay and several `isnad` processes,
/// and running them side by side on two cores would starve them (and the other suites).
@Suite("Client scenarios", .serialized)
enum ClientScenarios {}
