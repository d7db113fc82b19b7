import Foundation
import GRDB
import IsnadStoreSQLite
import Synchronization

/// `IsnadBenchmarks checkpoint [--log-mib 64] [--rounds 3]`: how long the relay's small commits
/// wait while a checkpoint pass's pages are synced to the database file, with the write-back the
/// relay's checkpointer uses (``PacedWriteBack``) against a plain `fdatasync` of the file (what it
/// did before, the baseline), in alternating turns in one run.
///
/// Each turn, on a fresh file: one transaction writes `--log-mib` MiB of 1 KiB rows to the WAL
/// (no checkpoint); a thread then commits one 1 KiB row every 2 ms (`synchronous = FULL`, as the
/// relay's writer) and times each commit; a second connection copies the log into the database
/// file (`PRAGMA wal_checkpoint(PASSIVE)`) and the file is synced, paced or plain. Printed: the
/// copy's and the sync's durations, and the commits that began between the copy's start and the
/// sync's end (how many, p50, the slowest, and how many took over 10 ms).
struct CheckpointBenchmark {
    let logMiB: Int
    let rounds: Int

    init(arguments: [String]) {
        logMiB = Int(RelayServers.option("--log-mib", in: arguments) ?? "") ?? 64
        rounds = max(1, Int(RelayServers.option("--rounds", in: arguments) ?? "") ?? 3)
    }

    struct Turn {
        var copy: Duration
        var sync: Duration
        var commits: [Duration]
        var slowest: Duration { commits.max() ?? .zero }
        var median: Duration { commits.isEmpty ? .zero : commits.sorted()[commits.count / 2] }
    }

    func run() throws {
        print("checkpoint benchmark: a \(logMiB) MiB log copied and synced while a writer commits every 2 ms; \(rounds) rounds")
        var ratios: [Double] = []
        for round in 1...rounds {
            // Alternate which goes first, so a drift of the machine does not favour one.
            var turns: [Bool: Turn] = [:]
            for paced in round % 2 == 0 ? [true, false] : [false, true] {
                let turn = try measure(paced: paced)
                turns[paced] = turn
                let slow = turn.commits.filter { $0 > .milliseconds(10) }.count
                print("  round \(round), \(paced ? "paced write-back" : "plain fdatasync "): copy \(Self.ms(turn.copy)) ms, sync \(Self.ms(turn.sync)) ms;"
                      + " \(turn.commits.count) commits meanwhile: p50 \(Self.ms(turn.median)) ms, slowest \(Self.ms(turn.slowest)) ms, over 10 ms: \(slow)")
            }
            if let paced = turns[true], let plain = turns[false], plain.slowest > .zero {
                ratios.append(paced.slowest / plain.slowest)
            }
        }
        guard !ratios.isEmpty else {
            print("  slowest commit, paced ÷ plain: no round had a commit during the plain sync")
            return
        }
        let median = ratios.sorted()[ratios.count / 2]
        print(String(format: "  slowest commit, paced ÷ plain: median %.2fx (rounds %@)", median,
                     ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ")))
    }

    static func ms(_ duration: Duration) -> String {
        String(format: "%.1f", duration / .milliseconds(1))
    }

    private func measure(paced: Bool) throws -> Turn {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bench.sqlite").path
        let writer = try DatabaseQueue(path: path)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        }
        var random = SystemRandomNumberGenerator()
        func row() -> Data { Data((0..<1024).map { _ in UInt8.random(in: .min ... .max, using: &random) }) }
        let filler = (0..<64).map { _ in row() }
        try writer.write { db in
            let insert = try db.makeStatement(sql: "INSERT INTO rows (payload) VALUES (?)")
            for index in 0..<(logMiB * 1024 * 3 / 4) { try insert.execute(arguments: [filler[index % filler.count]]) }
        }

        // The small writer, timing each commit from its own thread.
        let stop = Atomic(false), failures = Atomic(0)
        let timings = Mutex<[(start: ContinuousClock.Instant, took: Duration)]>([])
        let done = DispatchSemaphore(value: 0)
        let payload = row()
        let thread = Thread {
            while !stop.load(ordering: .relaxed) {
                let start = ContinuousClock.now
                do {
                    try writer.write { try $0.execute(sql: "INSERT INTO rows (payload) VALUES (?)", arguments: [payload]) }
                    let took = ContinuousClock.now - start
                    timings.withLock { $0.append((start, took)) }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
            done.signal()
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.3)

        let checkpointer = try DatabaseQueue(path: path)
        let copyStart = ContinuousClock.now
        try checkpointer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        let syncStart = ContinuousClock.now
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw CocoaError(.fileReadUnknown) }
        if paced { PacedWriteBack.sync(file) } else { _ = fdatasync(file) }
        close(file)
        let syncEnd = ContinuousClock.now
        Thread.sleep(forTimeInterval: 0.3)
        stop.store(true, ordering: .relaxed)
        done.wait()
        try checkpointer.close()
        try writer.close()
        let failed = failures.load(ordering: .relaxed)
        guard failed == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(failed) of the writer's commits failed"]) }
        let during = timings.withLock { $0.filter { $0.start >= copyStart && $0.start <= syncEnd }.map(\.took) }
        return Turn(copy: syncStart - copyStart, sync: syncEnd - syncStart, commits: during)
    }
}
