import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `isnad relay` child process on a fixed loopback port and data folder, started again
/// after each kill. Its output goes to `relay.log` in the folder.
actor RelayProcess {
    nonisolated let port: Int
    let binary: URL
    let folder: URL
    private var process: Process?
    /// How many times a process was started and answered `/healthz`.
    private(set) var starts = 0

    init(binary: URL, port: Int, folder: URL) {
        self.binary = binary
        self.port = port
        self.folder = folder
    }

    /// Starts the relay and waits until `GET /healthz` answers 200; a process that exits first
    /// (say, the port is briefly not free again) is started anew, a few times at most.
    func start(_ http: LoopbackHTTP) async throws {
        for _ in 0..<5 {
            let process = try launch()
            self.process = process
            while process.isRunning {
                if try await http.isHealthy() {
                    starts += 1
                    return
                }
                guard http.hasTimeLeft else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            stop()
            guard http.hasTimeLeft else { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CrashTestError("the relay did not become healthy; its log ends: \(logTail())")
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    func kill() {
        guard let process, process.isRunning else { return }
        _ = sendSignal(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Ends the process if it runs (the test's cleanup).
    func stop() {
        kill()
        process = nil
    }

    private func launch() throws -> Process {
        let process = Process()
        process.executableURL = binary
        let data = folder.appendingPathComponent("data")
        process.arguments = ["relay", "--host", "127.0.0.1", "--port", String(port), "--data", data.path]
        // The relay reads its settings from the environment too: only the flags count here.
        var environment = ProcessInfo.processInfo.environment
        for name in ["ISNAD_HOST", "ISNAD_PORT", "ISNAD_DATA", "ISNAD_POSTGRES_URL"] { environment[name] = nil }
        process.environment = environment
        let logURL = folder.appendingPathComponent("relay.log")
        if !FileManager.default.fileExists(atPath: logURL.path) {
            guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
                throw CrashTestError("the relay's log file could not be created")
            }
        }
        let log = try FileHandle(forWritingTo: logURL)
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log.close()
        return process
    }

    private func logTail() -> String {
        let text = (try? String(contentsOf: folder.appendingPathComponent("relay.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(1500))
    }
}

/// `kill(2)`, named apart from ``RelayProcess/kill()``.
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.kill(pid, signal)
    #else
    Darwin.kill(pid, signal)
    #endif
}

/// A loopback TCP port that was free a moment ago.
enum LoopbackPort {
    static func free() throws -> Int {
        var (socket, address) = try tcpSocket(port: 0)
        defer { close(socket) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        guard bound == 0 else { throw CrashTestError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard named == 0 else { throw CrashTestError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A new TCP socket (the caller closes it) and the address of `port` on 127.0.0.1.
    static func tcpSocket(port: Int) throws -> (Int32, sockaddr_in) {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw CrashTestError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return (socket, address)
    }
}
