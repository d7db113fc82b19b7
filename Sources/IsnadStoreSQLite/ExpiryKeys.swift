import GRDB
import Synchronization

/// Row keys for the `messages` and `submissions` tables that sort rows by when they expire, so
/// that expiry is a range delete on the table's own b-tree and neither table needs an index on
/// `expires_at`.
///
/// A key is the row's expiry in milliseconds since 1970 shifted left by ``sequenceBits`` (20),
/// plus a sequence number within that millisecond: `key >> 20` is the expiry, to the
/// millisecond. Every key is at least `expiry << 20`, so every row with a key below
/// ``sweepBound(now:)`` has expired; and every expired row has a key below it unless more than
/// a million rows expire in the same millisecond (the extra ones spill into the next
/// milliseconds' keys and are deleted that much later; reads never show an expired row in any
/// case, they compare `expires_at`).
///
/// **Why.** Each of the two expiry indexes took an entry for every stored message, and the tail
/// page of each was rewritten by every commit: about 2 µs of the writer's CPU per message and
/// two of the dozen pages a small commit writes to the log (issue 4, docs/performance.md).
///
/// **Allocation.** The relay gives every message the same retention, so expiries normally grow
/// with time and each new key is one more than the last (``proposal(_:expiringAt:)``): the
/// table is still appended to at its end. When they do not (the clock was set back, or the
/// relay restarted with a shorter retention), a proposal may fall on a key already used; the
/// insert then fails on the primary key and the writer takes the next free key of that
/// millisecond (``MailboxStatements``). So no state survives a restart and none needs to: the
/// last keys here are only where to try first.
///
/// Only expiries from 1970 to 2109 are keyed exactly (42 bits of milliseconds); one outside is
/// keyed as the nearest end of that range.
final class ExpiryKeys: Sendable {
    /// A table keyed by expiry, by its name.
    enum Table: String { case messages, submissions }

    /// The bits of a key below the expiry's millisecond.
    static let sequenceBits = 20
    /// The latest expiry keyed exactly: 2^42 − 1 ms after 1970, in the year 2109.
    static let latestMilliseconds: Int64 = (1 << 42) - 1

    /// The last key each table was given, by ``used(_:in:)``.
    private let last = Mutex<(messages: Int64, submissions: Int64)>((0, 0))

    /// The first key of the rows expiring at `milliseconds`.
    static func firstKey(expiringAt milliseconds: Int64) -> Int64 {
        min(max(milliseconds, 0), latestMilliseconds) << sequenceBits
    }

    /// Keys below this are of rows expired at `now` (milliseconds), i.e. with `expires_at <= now`.
    static func sweepBound(now: Int64) -> Int64 {
        firstKey(expiringAt: now == .max ? now : now + 1)
    }

    /// The millisecond a key's sequence belongs to, as its first key.
    static func millisecondStart(of key: Int64) -> Int64 {
        (key >> sequenceBits) << sequenceBits
    }

    /// The key to try first for a row of `table` expiring at `milliseconds`: one after the last
    /// key given if that was in the same millisecond, otherwise the millisecond's first key.
    func proposal(_ table: Table, expiringAt milliseconds: Int64) -> Int64 {
        let first = Self.firstKey(expiringAt: milliseconds)
        let previous = last.withLock { table == .messages ? $0.messages : $0.submissions }
        let next = previous &+ 1
        return Self.millisecondStart(of: next) == first ? next : first
    }

    /// Records the key a row of `table` was stored under.
    func used(_ key: Int64, in table: Table) {
        last.withLock { last in
            switch table {
            case .messages: last.messages = key
            case .submissions: last.submissions = key
            }
        }
    }

    /// Gives every row of `table` its key: for the schema migration that introduced them. Rows
    /// expiring in the same millisecond keep their order. Holds two integers per row in memory.
    /// `advanced` is told, as it goes, how many more rows were moved out of the way or keyed
    /// (each row counts twice), every `stride` old keys or rows.
    static func rekey(_ db: Database, _ table: Table, stride: Int = rekeyStride, advanced: (Int) -> Void = { _ in }) throws {
        let table = table.rawValue
        var rows: [(id: Int64, expiresAt: Int64)] = []
        var first = Int64.max, last = Int64.min
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, expires_at FROM \(table) ORDER BY expires_at, id")
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            rows.append((id, row[1]))
            (first, last) = (min(first, id), max(last, id))
        }
        guard !rows.isEmpty else { return }
        // Out of the way first, so that no new key meets an old one (old keys are positive); a
        // range of old keys at a time, to tell how far it got.
        var start = first
        while start <= last {
            let end = last - start < Int64(stride) ? last : start + Int64(stride) - 1
            try db.execute(sql: "UPDATE \(table) SET id = -id WHERE id BETWEEN ? AND ?", arguments: [start, end])
            advanced(db.changesCount)
            if end == last { break }
            start = end + 1
        }
        let update = try db.makeStatement(sql: "UPDATE \(table) SET id = ? WHERE id = ?")
        var previous = Int64.min
        for (index, row) in rows.enumerated() {
            let key = max(firstKey(expiringAt: row.expiresAt), previous &+ 1)
            try update.execute(arguments: [key, -row.id])
            previous = key
            if (index + 1) % stride == 0 { advanced(stride) }
        }
        advanced(rows.count % stride)
    }

    /// How many old keys ``rekey(_:_:stride:advanced:)`` moves in one statement, and how many rows it
    /// keys between two reports.
    static let rekeyStride = 10_000
}
