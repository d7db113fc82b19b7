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
final class SubmissionIndex: Sendable {
    private struct State {
        var rows: [MessageID: Int64] = [:]
        /// Recorded in the write transaction under way, to take out if it rolls back.
        var uncommitted: [MessageID] = []
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

    /// Records a row just inserted inside `db`'s current write transaction.
    func record(_ id: MessageID, row: Int64, in db: Database) {
        let first = state.withLock { state -> Bool in
            state.rows[id] = row
            state.uncommitted.append(id)
            return state.uncommitted.count == 1
        }
        guard first else { return }
        db.afterNextTransaction(onCommit: { [self] _ in
            state.withLock { $0.uncommitted.removeAll(keepingCapacity: true) }
        }, onRollback: { [self] _ in
            state.withLock { state in
                for id in state.uncommitted { state.rows[id] = nil }
                state.uncommitted.removeAll(keepingCapacity: true)
            }
        })
    }

    /// Takes out `ids` once `db`'s current write transaction, which deleted their rows, commits.
    func forget(_ ids: [MessageID], whenCommitted db: Database) {
        guard !ids.isEmpty else { return }
        db.afterNextTransaction(onCommit: { [self] _ in
            state.withLock { state in
                for id in ids { state.rows[id] = nil }
            }
        })
    }

    /// How many submissions the index holds (for tests).
    var count: Int {
        state.withLock { $0.rows.count }
    }
}
