import Foundation
import IsnadTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The built `isnad` binary and helpers to run it as a real process.
enum IsnadBinary {
    /// `$ISNAD_BIN`, else `<repo>/.build/debug/isnad`; `nil` when neither exists.
    static let url: URL? = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = ProcessInfo.processInfo.environment["ISNAD_BIN"] ?? repo.appendingPathComponent(".build/debug/isnad").path
        return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }()

    static let missing = "the isnad binary is not built: run `swift build --product isnad`, or set ISNAD_BIN"

    /// Runs `isnad arguments…` to completion.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> (status: Int32, output: String, error: String) {
        guard let url else { throw ServeError(missing) }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for name in ["ISNAD_HOST", "ISNAD_PORT", "ISNAD_DATA", "ISNAD_POSTGRES_URL"] { environment[name] = nil }
        environment.merge(extra) { $1 }
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let (outData, errData, status) = await ChildProcess(process, out: output, err: error).finish()
        return (status, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

struct ServeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One `isnad serve` child process on a free loopback port, with its output in `serve.log`.
final class ServeProcess: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only read afterwards.
    let port: Int
    let folder: URL
    private let process: Process

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(folder: URL, arguments: [String] = ["serve"]) throws {
        guard let binary = IsnadBinary.url else { throw ServeError(IsnadBinary.missing) }
        self.folder = folder
        port = try Self.freePort()
        process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--host", "127.0.0.1", "--port", String(port), "--data", folder.appendingPathComponent("data").path,
                                         "--checkpoint-interval", "0.2"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["ISNAD_HOST", "ISNAD_PORT", "ISNAD_DATA", "ISNAD_POSTGRES_URL"] { environment[name] = nil }
        process.environment = environment
        let log = folder.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Waits until `GET /healthz` answers 200.
    func waitUntilHealthy(timeout: Duration = .seconds(150)) async throws {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            guard process.isRunning else { break }
            if let (_, response) = try? await URLSession.shared.data(from: baseURL.appendingPathComponent("healthz")),
               (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOf: folder.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
        let state = process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
        throw ServeError("isnad serve did not become healthy (\(state)); its log ends: \(log.suffix(1000))")
    }

    /// SIGTERM, then wait.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// SIGKILL: no shutdown at all.
    func kill() {
        guard process.isRunning else { return }
        #if canImport(Glibc)
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        #else
        _ = Darwin.kill(process.processIdentifier, SIGKILL)
        #endif
        process.waitUntilExit()
    }

    /// A loopback TCP port that was free a moment ago (bind port 0, read it back).
    static func freePort() throws -> Int {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw ServeError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        guard bound == 0, named == 0 else { throw ServeError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
