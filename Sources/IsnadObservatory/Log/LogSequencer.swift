import Foundation
import IsnadStore
import IsnadTransparency
import IsnadWire
import Logging

/// Appends accepted reports' commitments to the transparency log in batches: one signed
/// checkpoint per batch, a receipt per report, all persisted in one transaction.
///
/// ```
/// unlogged reports ─▶ append commitments to a copy of the tree ─▶ sign checkpoint
///   ─▶ inclusion proof + receipt per report ─▶ store batch (entries, changed tiles, checkpoint,
///      receipts) atomically ─▶ only then adopt the new tree
/// ```
/// If storing fails (another process appended first), the tree is reloaded from storage.
public actor LogSequencer {
    let store: any ObservatoryStore
    let keys: ObservatoryKeys
    let metrics: ObservatoryMetrics
    let logger: Logger
    /// The tree as last persisted; `nil` until restored.
    private var log: MerkleLog?

    /// The most entries one batch (one checkpoint) takes.
    public static let maximumBatch = 1000

    /// Creates a sequencer; the tree is restored from storage on first use.
    public init(store: any ObservatoryStore, keys: ObservatoryKeys, metrics: ObservatoryMetrics, logger: Logger) {
        self.store = store
        self.keys = keys
        self.metrics = metrics
        self.logger = logger
    }

    /// Rebuilds the tree from the stored log entries and checks it against the latest stored checkpoint.
    /// - Throws: ``ObservatoryError/Code/integrity`` if the stored entries do not give the checkpoint's root.
    public func restore() async throws {
        var restored = MerkleLog()
        while true {
            let entries = try await store.logEntries(from: restored.size, count: 10_000)
            if entries.isEmpty { break }
            for entry in entries { restored.append(Array(entry)) }
        }
        if let stored = try await store.latestCheckpoint() {
            let checkpoint = try Self.parse(stored.note, keys: keys)
            guard checkpoint.treeSize == restored.size, try restored.rootHash(treeSize: checkpoint.treeSize) == checkpoint.rootHash else {
                throw ObservatoryError(.integrity, "The stored log entries do not match the latest signed checkpoint; run `isnad observatory audit`.")
            }
        }
        log = restored
    }

    /// Appends one batch of accepted reports, if any wait.
    /// - Parameter now: unused by the tree; kept for symmetry with intake and future timestamps.
    /// - Returns: how many entries were appended.
    @discardableResult
    public func appendBatch() async throws -> Int {
        if log == nil { try await restore() }
        guard var next = log else { return 0 }
        let pending = try await store.unloggedReports(limit: Self.maximumBatch)
        // Published tally snapshots follow the batch's reports (Publisher, SnapshotLogEntry).
        let snapshots = try await store.snapshots().filter { $0.logIndex == nil }
        guard !pending.isEmpty || !snapshots.isEmpty else { return 0 }
        let firstIndex = next.size
        var openings: [CommitmentOpening] = []
        for report in pending {
            let opening = try CommitmentOpening(salt: Array(report.salt), signedReportBytes: Array(report.signedReport))
            guard opening.commitment.bytes == Array(report.commitment) else {
                throw ObservatoryError(.integrity, "A stored report does not open its own commitment; it was altered before it was logged.")
            }
            openings.append(opening)
            next.append(opening.commitment.bytes)
        }
        let snapshotEntries = snapshots.map { LogBatch.SnapshotEntry(sequence: $0.sequence, entry: Data(SnapshotLogEntry.entry(hash: Array($0.hash)))) }
        for snapshot in snapshotEntries { next.append(Array(snapshot.entry)) }
        let checkpoint = try Checkpoint(origin: keys.origin, treeSize: next.size, rootHash: next.rootHash()).sign(with: [keys.logSigner])
        var entries: [LogBatch.Entry] = []
        for (offset, opening) in openings.enumerated() {
            let index = firstIndex + UInt64(offset)
            let proof = try InclusionProof(
                logID: keys.logID, treeSize: next.size, leafIndex: index, path: next.inclusionProof(leafIndex: index, treeSize: next.size))
            let receipt = try Receipt.sign(opening: opening, logIndex: index, checkpoint: checkpoint, inclusionProof: proof, with: keys.logKey)
            entries.append(LogBatch.Entry(submissionID: pending[offset].submissionID, commitment: Data(opening.commitment.bytes), receipt: Data(receipt.encoded)))
        }
        let batch = LogBatch(
            firstIndex: firstIndex, entries: entries, snapshots: snapshotEntries, tiles: try Self.changedTiles(next, from: firstIndex),
            checkpoint: StoredCheckpoint(treeSize: next.size, note: Data(checkpoint.encoded.utf8)))
        do {
            try await store.appendLog(batch)
        } catch {
            log = nil  // another process may have appended: reload before the next batch
            throw error
        }
        log = next
        metrics.logEntries.increment(by: Int64(entries.count + snapshotEntries.count))
        metrics.checkpoints.increment()
        logger.debug("log batch appended", metadata: ["entries": "\(entries.count)", "size": "\(next.size)"])
        return entries.count + snapshotEntries.count
    }

    /// The tiles a batch from `oldSize` to the tree's size created or widened, at their new widths.
    static func changedTiles(_ tree: MerkleLog, from oldSize: UInt64) throws -> [StoredTile] {
        var tiles: [StoredTile] = []
        var level = 0
        while level * Tile.levelStride < 64 {
            let shift = UInt64(level * Tile.levelStride)
            let newCount = tree.size >> shift
            if newCount == 0 { break }
            let oldCount = oldSize >> shift
            if newCount > oldCount {
                let first = oldCount / UInt64(Tile.maxWidth)
                let last = (newCount - 1) / UInt64(Tile.maxWidth)
                for index in first...last {
                    guard let tile = Tile.tile(level: level, index: index, treeSize: tree.size) else { continue }
                    tiles.append(StoredTile(level: level, index: index, width: tile.width, data: Data(try tree.tileData(tile))))
                }
            }
            level += 1
        }
        return tiles
    }

    /// Parses and verifies a stored checkpoint with the log's own key.
    static func parse(_ note: Data, keys: ObservatoryKeys) throws -> Checkpoint {
        do {
            return try Checkpoint.open(Array(note), origin: keys.origin, verifiers: [keys.logVerifier]).checkpoint
        } catch {
            throw ObservatoryError(.integrity, "The stored checkpoint does not verify with this observatory's log key.", underlying: error)
        }
    }
}
