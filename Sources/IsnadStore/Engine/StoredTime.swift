import Foundation

/// How the SQL engines store instants: whole milliseconds since 1970, as a 64-bit integer.
///
/// Integers compare exactly in SQL and read back identical in every engine.
public enum StoredTime {
    /// The stored form of a date (rounded down to the millisecond).
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The date a stored value stands for.
    public static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// A date rounded down to what the engines keep.
    public static func truncated(_ date: Date) -> Date {
        self.date(milliseconds(date))
    }

    /// The stored form of an epoch, or a misuse error above `Int64.max - 1` (SQL has no unsigned 64-bit integer).
    public static func epoch(_ epoch: UInt64) throws -> Int64 {
        guard epoch < UInt64(Int64.max) else {
            throw StoreError(.invalidArgument, "An epoch must be below 2^63 - 1.")
        }
        return Int64(epoch)
    }
}
