import Foundation
import GRDB

/// Copies the write-ahead log back into the database file in the background, so that no
/// request waits for it.
///
/// SQLite's automatic checkpoint runs inside the commit that pushes the WAL past 1,000 pages:
/// that one commit (and every submission batched behind it) then waits while about 4 MB are
/// written to the database file and synced, a stall of tens of milliseconds on a busy disk.
/// The pool's writer therefore has `wal_autocheckpoint = 0`, and this checkpointer, on a
/// connection of its own, runs `PRAGMA wal_checkpoint(PASSIVE)` every `interval`: a passive
/// checkpoint never blocks the writer or the readers, and stops short of frames still in use.
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let task: Task<Void, Never>

    init(path: String, interval: Duration = .milliseconds(500)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        task = Task.detached(priority: .utility) {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                // A failed checkpoint is retried at the next tick; the data is safe in the WAL meanwhile.
                _ = try? await connection.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            }
        }
    }

    /// Stops the loop and closes the connection.
    func stop() throws {
        task.cancel()
        try connection.close()
    }

    deinit {
        task.cancel()
    }
}
