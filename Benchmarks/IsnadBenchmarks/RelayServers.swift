// The servers the relay benchmark measures, each run as a child process of the benchmark (the
// same executable, in a hidden mode), so its memory is its own and the load generator's CPU is
// not in its process:
//
//   IsnadBenchmarks hello-server --port P                 the Hummingbird baseline
//   IsnadBenchmarks relay-server --port P --data DIR       the relay on SQLite
//   IsnadBenchmarks relay-server --port P --postgres URL   the relay on PostgreSQL
//
// The relay is built exactly as `isnad relay` builds it (HeapTuning, Relay.makeApplication, the
// same defaults), except that rate limits are off: the load comes from one address and few devices.
import Foundation
import Hummingbird
import IsnadRelay
import IsnadStorePostgres
import IsnadStoreSQLite
import Logging

enum RelayServers {
    static func option(_ name: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "isnad.bench")
        logger.logLevel = .error
        return logger
    }

    /// The baseline: a POST that reads the body (the same 1 KiB JSON the relay gets) and answers
    /// a small JSON body with 201, storing nothing.
    static func hello(arguments: [String]) async throws {
        let port = Int(option("--port", in: arguments) ?? "") ?? 7490
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.post("/v1/messages") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 2 * 1024 * 1024)
            return Response(status: .created, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"hello":"world"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: quietLogger)
        try await app.runService()
    }

    static func relay(arguments: [String]) async throws {
        HeapTuning.apply()
        var configuration = RelayConfiguration()
        configuration.port = Int(option("--port", in: arguments) ?? "") ?? 7491
        configuration.addressRateLimit = nil
        configuration.deviceRateLimit = nil
        configuration.identityRateLimit = nil
        if let url = option("--postgres", in: arguments) {
            let store = try PostgresRelayStore(url: url, logger: quietLogger)
            var app = try Relay.makeApplication(configuration: configuration, store: store, logger: quietLogger)
            app.addServices(store)
            app.beforeServerStarts { try await store.migrate() }
            try await app.runService()
        } else {
            let folder = URL(fileURLWithPath: option("--data", in: arguments) ?? NSTemporaryDirectory() + "isnad-bench-relay")
            let store = try SQLiteRelayStore(directory: folder)
            try await Relay.makeApplication(configuration: configuration, store: store, logger: quietLogger).runService()
        }
    }
}

/// A server child process: started, waited for on /healthz, measured from /proc, stopped.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only read afterwards.
    let process = Process()
    let port: Int

    init(mode: String, port: Int, extra: [String] = []) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [mode, "--port", "\(port)"] + extra
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until `GET /healthz` answers (at most 30 s).
    func waitUntilReady(_ load: LoadClient) async throws {
        for _ in 0..<300 {
            if (try? await load.get(port: port, "/healthz").status) == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkFailure("the \(process.arguments?.first ?? "server") child did not answer /healthz within 30 s")
    }

    /// The resident set size of the child, in bytes, from /proc/PID/status (VmRSS).
    var residentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }

    /// CPU time the child has used so far (user and system), in seconds, from /proc/PID/stat.
    var cpuSeconds: Double { Self.cpuSeconds(of: "\(process.processIdentifier)") }

    /// CPU time a process (a PID, or `self`) has used so far, in seconds, from /proc/PID/stat.
    static func cpuSeconds(of process: String) -> Double {
        procStat("/proc/\(process)/stat")?.cpuSeconds ?? 0
    }

    /// A process's or a thread's name and CPU time so far (user and system, in seconds), from a
    /// `/proc/…/stat` file; `nil` if it cannot be read.
    static func procStat(_ path: String) -> (name: String, cpuSeconds: Double)? {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        // The command name (field 2) may hold spaces; the fields counted here follow its ')'.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (String(stat[stat.index(after: open)..<close]), (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        process.waitUntilExit()
    }

    deinit { stop() }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
