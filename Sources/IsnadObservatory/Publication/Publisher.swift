import Foundation
import IsnadStore

/// Publishes tallies (`isnad observatory publish`, the staff page's button):
///
/// ```
/// reports + latest decisions ─▶ TallyBuilder (verified only) ─▶ TallySnapshot(sequence n+1, previous hash)
///   ─▶ store ─▶ next log batch appends SnapshotLogEntry(hash) ─▶ PublishedSnapshot(logIndex)
/// ```
public struct Publisher: Sendable {
    let desk: ReviewDesk

    /// Creates a publisher over a review desk (its store and tally settings).
    public init(desk: ReviewDesk) { self.desk = desk }

    /// Builds, freezes and stores the next snapshot; the log sequencer appends its entry.
    /// - Throws: ``ObservatoryError/Code/conflict`` if another snapshot was published meanwhile.
    public func publish(now: Date) async throws -> TallySnapshot {
        let reports = try await desk.queue().map(\.reviewed)
        let figures = try desk.builder.build(reports, decisions: try await desk.victimDecisions()).figures
        let previous = try await StoredPublishedSnapshots(store: desk.store).all(includingUnlogged: true).last
        let snapshot = TallySnapshot(
            figures: figures, sequence: (previous?.sequence ?? 0) + 1, publishedAt: Int64(now.timeIntervalSince1970.rounded(.down)),
            previous: previous)
        do {
            try await desk.store.storeSnapshot(StoredSnapshot(
                sequence: snapshot.sequence, hash: Data(snapshot.hash), encoded: Data(snapshot.canonicalBytes), publishedAt: now))
        } catch let error as StoreError where error.code == .conflict {
            throw ObservatoryError(.conflict, error.message)
        }
        return snapshot
    }
}

/// The store's published snapshots, for the dashboard and the exports: only those whose entry is in the log.
public struct StoredPublishedSnapshots: PublishedSnapshotSource {
    let store: any ObservatoryStore

    /// Reads published snapshots from an observatory store.
    public init(store: any ObservatoryStore) { self.store = store }

    public func publishedSnapshots() async throws -> [PublishedSnapshot] {
        try await store.snapshots().reversed().compactMap { stored in
            guard let index = stored.logIndex else { return nil }
            return PublishedSnapshot(snapshot: try Self.decode(stored), logIndex: index)
        }
    }

    public func publishedSnapshot(sequence: UInt64) async throws -> PublishedSnapshot? {
        guard let stored = try await store.snapshots().first(where: { $0.sequence == sequence }), let index = stored.logIndex else { return nil }
        return PublishedSnapshot(snapshot: try Self.decode(stored), logIndex: index)
    }

    /// Every stored snapshot, oldest first, logged or (if asked) not yet.
    func all(includingUnlogged: Bool) async throws -> [TallySnapshot] {
        try await store.snapshots().filter { includingUnlogged || $0.logIndex != nil }.map(Self.decode)
    }

    /// Decodes a stored snapshot and checks it against its stored hash.
    static func decode(_ stored: StoredSnapshot) throws -> TallySnapshot {
        let snapshot: TallySnapshot
        do {
            snapshot = try TallySnapshot(canonicalBytes: Array(stored.encoded))
        } catch {
            throw ObservatoryError(.integrity, "A stored snapshot no longer decodes.", underlying: error)
        }
        guard ConstantTimeBytes.equal(snapshot.hash, Array(stored.hash)) else {
            throw ObservatoryError(.integrity, "A stored snapshot no longer matches its hash.")
        }
        return snapshot
    }
}
