import Foundation
import GRDB
import IsnadStore
import Synchronization

/// Where each stored submission's row is, by its client-chosen message ID, held in memory.
///
/// The duplicate check needs a lookup by message ID, and a message ID is random: a b-tree keyed
/// by it takes each new submission into a different leaf, so every message rewrote a page of its
/// own in the WAL (about 60% of the pages a commit wrote, issue 4's benchmark). The `submissions`
/// table is therefore a plain rowid table, written in commit order like the messages, and this
/// index finds a row by message ID. It is rebuilt from the table when the store opens, so the
/// table stays the only truth: a crash loses nothing.
///
/// **Cost.** 32 to 64 bytes of memory per live submission (a Swift dictionary of 16-byte IDs to
/// 8-byte rowids, at most three quarters full, doubling as it grows; submissions live until their
/// messages expire, 30 days by default): 1 million messages within the retention hold 32–64 MB.
/// Opening reads the table's IDs once.
///
/// **One process per folder.** A relay process that opened the folder does not see submissions
/// another process stores in it afterwards, so two relays must not serve the same SQLite folder at
/// once (``FolderLock`` keeps a second out; several relays share a PostgreSQL database instead).
///
/// **Transactions.** A row recorded inside a write transaction is in the index at once, so a
/// retry later in the same batch is recognised; if that transaction rolls back, the rows it
/// recorded are taken out again. Rows deleted by expiry leave the index when that deletion commits.
/// The index learns how each transaction of the writer's connection ends as its transaction
/// observer, added once (``observe(_:)``): GRDB's `afterNextTransaction`, registered per
/// transaction, also drops every cached statement that can delete rows, so each batch prepared
/// the mailbox's trimming statement again (8% of the writer's CPU at eight messages a batch,
/// issue 4's `IsnadBenchmarks writer`).
final class SubmissionIndex: TransactionObserver, Sendable {
    private struct State {
        var rows: [MessageID: Int64] = [:]
        /// Recorded in the write transaction under way, to take out if it rolls back.
        var uncommitted: [MessageID] = []
        /// Deleted in the write transaction under way, to take out once it commits.
        var deleted: [MessageID] = []
    }

    private let state = Mutex(State())

    /// Reads every stored submission's ID and row.
    init(_ db: Database) throws {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM submissions") ?? 0
        var rows = [MessageID: Int64](minimumCapacity: count)
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, message_id FROM submissions")
        while let row = try cursor.next() {
            let bytes: Data = row["message_id"]
            guard let id = UUID(bytes: bytes).map(MessageID.init) else {
                throw StoreError(.internal, "A stored submission has a message ID that is not 16 bytes long.")
            }
            rows[id] = row["id"]
        }
        state.withLock { $0.rows = rows }
    }

    /// The row of the submission stored under `id`, if any.
    func row(of id: MessageID) -> Int64? {
        state.withLock { $0.rows[id] }
    }

    /// Follows how the transactions of `writer`, the store's one writer connection, end; once,
    /// when the store opens (GRDB holds the observer weakly: the store keeps the index).
    func observe(_ writer: DatabasePool) throws {
        try writer.writeWithoutTransaction { $0.add(transactionObserver: self, extent: .observerLifetime) }
    }

    /// Records a row just inserted inside the writer's current transaction.
    func record(_ id: MessageID, row: Int64) {
        state.withLock { state in
            state.rows[id] = row
            state.uncommitted.append(id)
        }
    }

    /// Takes out `ids` once the writer's current transaction, which deleted their rows, commits.
    func forget(_ ids: [MessageID]) {
        guard !ids.isEmpty else { return }
        state.withLock { $0.deleted += ids }
    }

    // TransactionObserver: no change events, only how each transaction ends.
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}

    func databaseDidCommit(_ db: Database) {
        state.withLock { state in
            for id in state.deleted { state.rows[id] = nil }
            state.deleted.removeAll(keepingCapacity: true)
            state.uncommitted.removeAll(keepingCapacity: true)
        }
    }

    func databaseDidRollback(_ db: Database) {
        state.withLock { state in
            for id in state.uncommitted { state.rows[id] = nil }
            state.uncommitted.removeAll(keepingCapacity: true)
            state.deleted.removeAll(keepingCapacity: true)
        }
    }

    /// How many submissions the index holds (for tests).
    var count: Int {
        state.withLock { $0.rows.count }
    }
}
