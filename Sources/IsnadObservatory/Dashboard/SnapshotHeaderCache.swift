import Foundation

/// Snapshot headers (with the hash, which encodes the whole snapshot) computed once per
/// published snapshot rather than once per page or export. Published snapshots never change;
/// the key is the sequence with the publication time and figure count, as a guard.
public final class SnapshotHeaderCache: @unchecked Sendable {
    // @unchecked: `headers` is read and written under `lock` only.
    private let lock = NSLock()
    private var headers: [Key: SnapshotHeader] = [:]

    struct Key: Hashable {
        let sequence: UInt64
        let publishedAt: Int64
        let figures: Int
    }

    public init() {}

    /// The snapshot's header, computed on first use.
    public func header(_ snapshot: TallySnapshot) -> SnapshotHeader {
        let key = Key(sequence: snapshot.sequence, publishedAt: snapshot.publishedAt, figures: snapshot.figures.count)
        if let known = withLock({ headers[key] }) { return known }
        let header = SnapshotHeader(snapshot)
        withLock { headers[key] = header }
        return header
    }

    private func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
