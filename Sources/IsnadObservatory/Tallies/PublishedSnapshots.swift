/// A tally snapshot as published: frozen, its hash appended to the transparency log.
public struct PublishedSnapshot: Hashable, Sendable {
    /// The frozen figures.
    public let snapshot: TallySnapshot
    /// The index of the log entry that holds ``TallySnapshot/hash``.
    public let logIndex: UInt64

    public init(snapshot: TallySnapshot, logIndex: UInt64) {
        self.snapshot = snapshot
        self.logIndex = logIndex
    }
}

/// Where the public dashboard and the exports read published snapshots from. The review and
/// publication side (the observatory store) provides it; tests may use an in-memory array.
public protocol PublishedSnapshotSource: Sendable {
    /// Every published snapshot, newest (highest sequence) first.
    func publishedSnapshots() async throws -> [PublishedSnapshot]
    /// The snapshot with this sequence number, or `nil` when there is none.
    func publishedSnapshot(sequence: UInt64) async throws -> PublishedSnapshot?
}
