/// Published snapshots held in an array: what the dashboard serves before publication is wired
/// in (no snapshots), and what tests publish into.
public struct InMemoryPublishedSnapshots: PublishedSnapshotSource {
    /// Newest (highest sequence) first.
    public let snapshots: [PublishedSnapshot]

    /// A source of these snapshots, in any order.
    public init(_ snapshots: [PublishedSnapshot] = []) {
        self.snapshots = snapshots.sorted { $0.snapshot.sequence > $1.snapshot.sequence }
    }

    public func publishedSnapshots() async throws -> [PublishedSnapshot] { snapshots }

    public func publishedSnapshot(sequence: UInt64) async throws -> PublishedSnapshot? {
        snapshots.first { $0.snapshot.sequence == sequence }
    }
}
