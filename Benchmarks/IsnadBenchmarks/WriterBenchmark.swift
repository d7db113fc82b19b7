import Foundation
import IsnadStore
import IsnadStoreSQLite

/// The SQLite relay store's mailbox writes alone, without HTTP: `--tasks` callers each store a
/// 1 KiB message to one device and store the next when it is answered (a closed loop, like the
/// relay benchmark's POSTs), for `--seconds`, with the relay's mailbox cap (50,000), so after the
/// first 50,000 every message also deletes the oldest. Prints the rate and the process's CPU time
/// per message stored, split by thread (GRDB's writer and the checkpointer run on dispatch
/// threads, the callers on Swift's pool), `--rounds` times, each on a fresh store.
///
/// CPU per message is the figure to compare between builds: unlike a rate, it moves little when
/// a neighbour takes the machine's cores for a while.
struct WriterBenchmark {
    var tasks = 128
    var seconds = 5.0
    var rounds = 3
    var capacity = 50_000

    init(arguments: [String]) throws {
        var index = arguments.startIndex
        func value(_ name: String) throws -> String {
            index += 1
            guard index < arguments.endIndex else { throw BenchmarkFailure("\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.endIndex {
            switch arguments[index] {
            case "--tasks": tasks = try Int(value("--tasks")).flatMap { $0 > 0 ? $0 : nil } ?? { throw BenchmarkFailure("--tasks needs a positive whole number") }()
            case "--seconds": seconds = try Double(value("--seconds")).flatMap { $0 > 0 ? $0 : nil } ?? { throw BenchmarkFailure("--seconds needs a positive number") }()
            case "--rounds": rounds = try Int(value("--rounds")).flatMap { $0 > 0 ? $0 : nil } ?? { throw BenchmarkFailure("--rounds needs a positive whole number") }()
            default: throw BenchmarkFailure("unknown option \(arguments[index]) (writer takes --tasks, --seconds, --rounds)")
            }
            index += 1
        }
    }

    func run() async throws {
        print(String(format: "writer benchmark: SQLite relay store, %d callers, 1 KiB messages to one device (mailbox cap %d), %.0f s a round", tasks, capacity, seconds))
        for round in 1...rounds {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-writer-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLiteRelayStore(directory: folder)
            let device = try await store.registerAccount(Device(id: .random(), identityKey: Data((0..<32).map { _ in .random(in: 0...255) }),
                                                                 publicKey: Data((0..<32).map { _ in .random(in: 0...255) }),
                                                                 binding: Data(count: 64), createdAt: Date()))
            let payload = Data((0..<1024).map { _ in UInt8.random(in: 0...255) })
            // Fill the mailbox to its cap first, so every measured message also deletes the oldest.
            _ = try await loop(store: store, device: device.id, payload: payload, until: { $0 >= capacity }, deadline: .now + .seconds(120))
            let before = ThreadCPU.sample()
            let start = ContinuousClock.now
            let stored = try await loop(store: store, device: device.id, payload: payload, until: { _ in false }, deadline: start + .seconds(seconds))
            let elapsed = (ContinuousClock.now - start) / .seconds(1)
            let spent = ThreadCPU.sample().since(before)
            let total = spent.values.reduce(0, +)
            let parts = spent.sorted { $0.value > $1.value }.prefix(4)
                .map { String(format: "%@ %.1f", $0.key, $0.value * 1e6 / Double(stored)) }.joined(separator: ", ")
            print(String(format: "  round %d: %7.0f msg/s   CPU %5.1f µs a message (%@)", round, Double(stored) / elapsed, total * 1e6 / Double(stored), parts))
            try store.close()
        }
    }

    /// `tasks` callers storing messages until `until(count)` or the deadline; the count stored.
    func loop(store: SQLiteRelayStore, device: DeviceID, payload: Data, until: @escaping @Sendable (Int) -> Bool,
              deadline: ContinuousClock.Instant) async throws -> Int {
        let counter = Counter()
        let capacity = capacity
        let run = UInt64.random(in: 0...UInt64.max)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<tasks {
                group.addTask {
                    var sent: UInt64 = 0
                    while ContinuousClock.now < deadline, !until(counter.value) {
                        // Unique IDs without `UUID()`, which opens /dev/urandom on every call here.
                        sent += 1
                        let submission = Submission(id: MessageID(Self.uuid(run, UInt64(caller) << 40 | sent)), deliveries: [.init(recipients: [device], payload: payload)],
                                                    expiresAt: Date().addingTimeInterval(30 * 86_400), mailboxCapacity: capacity)
                        _ = try await store.enqueue(submission, now: Date())
                        counter.add()
                    }
                }
            }
            try await group.waitForAll()
        }
        return counter.value
    }

    static func uuid(_ high: UInt64, _ low: UInt64) -> UUID {
        let h = withUnsafeBytes(of: high.bigEndian, Array.init), l = withUnsafeBytes(of: low.bigEndian, Array.init)
        return UUID(uuid: (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7]))
    }

    final class Counter: @unchecked Sendable {
        // @unchecked: `count` is only touched under `lock`.
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }
}

/// CPU time of this process's threads, summed by thread name (/proc/self/task/*/stat).
enum ThreadCPU {
    static func sample() -> [String: Double] {
        var sums: [String: Double] = [:]
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
            guard let thread = ServerProcess.procStat("/proc/self/task/\(task)/stat") else { continue }
            sums[label(thread.name), default: 0] += thread.cpuSeconds
        }
        return sums
    }

    /// Dispatch names its threads after their root queue: the overcommit ones run GRDB's queues
    /// and the checkpointer, the others Swift's cooperative pool.
    static func label(_ name: String) -> String {
        if name.contains("overcommit") { return "dispatch (writer, checkpointer)" }
        if name.contains("default-qos") { return "Swift pool" }
        return "other"
    }
}

extension [String: Double] {
    func since(_ earlier: [String: Double]) -> [String: Double] {
        merging(earlier.mapValues { -$0 }, uniquingKeysWith: +)
    }
}
