/// How far a schema upgrade has come, for a progress display: a migration that rewrites rows one
/// by one (so far only the one that keyed rows by expiry) tells it as it goes.
public struct MigrationProgress: Sendable, Equatable {
    /// The migration running, by its registered name.
    public var step: String
    /// Units of work done and in all (for the expiry keys: each row counts twice, once moved
    /// out of the way and once keyed).
    public var done: Int64
    public var total: Int64

    /// Counts a migration's work and reports each hundredth of it, and the end.
    struct Meter {
        let step: String
        let total: Int64
        let report: (@Sendable (MigrationProgress) -> Void)?
        private var done: Int64 = 0
        private var reported: Int64 = 0

        init(step: String, total: Int64, report: (@Sendable (MigrationProgress) -> Void)?) {
            (self.step, self.total, self.report) = (step, total, report)
        }

        mutating func advance(by units: Int) {
            done += Int64(units)
            guard let report, done > reported, done == total || done - reported >= max(total / 100, 1) else { return }
            reported = done
            report(MigrationProgress(step: step, done: done, total: total))
        }
    }
}
