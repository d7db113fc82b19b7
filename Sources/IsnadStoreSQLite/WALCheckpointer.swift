import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file in the background, so that no
/// request waits for it, and starts the log over so that it does not grow without end.
///
/// SQLite's automatic checkpoint runs inside the commit that pushes the WAL past 1,000 pages:
/// that one commit (and every submission batched behind it) then waits while about 4 MB are
/// written to the database file and synced, a stall of tens of milliseconds on a busy disk.
/// The pool's writer therefore has `wal_autocheckpoint = 0`, and this checkpointer, on a
/// connection of its own, runs `PRAGMA wal_checkpoint(PASSIVE)` every `interval` (250 ms): a
/// passive checkpoint never blocks the writer or the readers, and stops short of frames still in
/// use. Each pass's writes to the database file delay the writer's next `fsync`; at half the
/// saturating rate, 250 ms between passes gave a lower p99 than 100 or 500 ms in issue 4's
/// benchmark (two runs each, docs/performance.md), and the pass's pages are written back in paced
/// chunks (``PacedWriteBack``) so that no commit waits for a whole pass.
///
/// **Starting the log over.** SQLite writes the log from its start again only when a write
/// transaction begins with every frame copied back and no read using the log. Under a steady
/// load that moment never comes: issue 4's benchmark found the log at 276 MB after 25,000
/// messages, and still growing. So once a background pass has caught up, the checkpointer asks
/// the writer for `wal_checkpoint(RESTART)` between two of its transactions
/// (``restartIfRequested(_:)``, which the mailbox drain also calls between batches, so the
/// request does not wait behind a long drain). By then only the frames of a batch or two are
/// left to copy. It does not wait for reads (`busy_timeout` 0): if one is using the log, this
/// round leaves it and the next tries again. The writer's `journal_size_limit` cuts the file
/// back after a burst.
final class WALCheckpointer: Sendable {
    /// Set by the background pass, taken by the writer.
    final class RestartRequest: Sendable {
        let pending = Atomic(false)
        let restarts = Atomic(0)
        /// The writer's busy timeout in milliseconds, restored after each attempt.
        let busyTimeoutMilliseconds: Int
        init(busyTimeoutMilliseconds: Int) { self.busyTimeoutMilliseconds = busyTimeoutMilliseconds }
    }

    private let connection: DatabaseQueue
    /// The database file, for syncing what a background pass wrote to it.
    private let database: FileHandle
    private let request: RestartRequest
    private let task: Task<Void, Never>

    /// - Parameters:
    ///   - path: The database file.
    ///   - writer: The pool whose writer starts the log over.
    ///   - busyTimeout: The busy timeout of the store's connections (seconds): this one's, and the
    ///     writer's, which the restart attempt sets to zero and then restores.
    ///   - interval: The pause between rounds.
    ///   - quickPass: A pass whose copy took less than this has caught up with the writer (its
    ///     paced write-back, ``PacedWriteBack``, is left out: it pauses by design).
    init(path: String, writer: DatabasePool, busyTimeout: TimeInterval, interval: Duration = .milliseconds(250),
         quickPass: Duration = .milliseconds(2)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        let request = RestartRequest(busyTimeoutMilliseconds: Int(busyTimeout * 1000))
        self.request = request
        let database = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        self.database = database
        task = Task.detached(priority: .utility) {
            var lastRequest = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                // Passes until one is quick (it left the writer only what arrived meanwhile), at
                // most eight a round; a failed checkpoint is retried at the next round, the data
                // being safe in the WAL meanwhile. After a second without a quick pass (a slow
                // disk, a writer going flat out), the writer is asked anyway: it then copies what
                // the last pass left.
                let overdue = ContinuousClock.now - lastRequest >= .seconds(1)
                for pass in 0..<8 {
                    let copy: Duration
                    do {
                        // On the connection's own queue, not on the cooperative pool: the sync blocks.
                        copy = try await connection.writeWithoutTransaction { db in
                            let start = ContinuousClock.now
                            try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
                            let copy = ContinuousClock.now - start
                            // SQLite syncs the database file only after a pass that copied the whole
                            // log, which a pass racing the writer seldom does; sync what this pass
                            // wrote, so the writer's own checkpoint has almost nothing left to sync
                            // (a failed sync only leaves that work to the writer). Paced, so that
                            // the writer's commits meanwhile do not wait for all of it.
                            PacedWriteBack.sync(database.fileDescriptor)
                            return copy
                        }
                    } catch {
                        break
                    }
                    let quick = copy < quickPass
                    guard quick || (pass == 7 && overdue) else { continue }
                    lastRequest = ContinuousClock.now
                    request.pending.store(true, ordering: .releasing)
                    writer.asyncWriteWithoutTransaction { db in Self.restart(db, request) }
                    break
                }
            }
        }
    }

    /// On the writer's connection, between transactions: starts the log over if a background
    /// pass asked for it since the last attempt.
    func restartIfRequested(_ db: Database) {
        Self.restart(db, request)
    }

    /// How many times the log was started over (for tests).
    var restarts: Int { request.restarts.load(ordering: .relaxed) }

    private static func restart(_ db: Database, _ request: RestartRequest) {
        guard request.pending.exchange(false, ordering: .acquiring) else { return }
        // Failures change nothing stored: the log is only started over once fully copied.
        try? db.execute(sql: "PRAGMA busy_timeout = 0")
        if let row = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(RESTART)"), row[0] as Int == 0 {
            request.restarts.add(1, ordering: .relaxed)
        }
        try? db.execute(sql: "PRAGMA busy_timeout = \(request.busyTimeoutMilliseconds)")
    }

    /// Stops the loop and closes the connection.
    func stop() throws {
        task.cancel()
        try connection.close()
        try database.close()
    }

    deinit {
        task.cancel()
    }
}
