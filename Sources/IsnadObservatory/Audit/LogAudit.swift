import Foundation
import IsnadStore
import IsnadTransparency
import IsnadWire

/// Re-derives the whole log from storage and checks every stored report against it
/// (`isnad observatory audit`):
///
/// ```
/// for each logged report:  SHA-256(label || salt || stored signed report) == logged entry ?
/// all entries ─▶ Merkle tree ─▶ root == latest signed checkpoint's root ?  stored tiles == tree's tiles ?
/// ```
public enum LogAudit {
    /// One problem found.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// What is wrong.
        public enum Kind: String, Sendable {
            /// The stored report (or its salt) no longer opens the logged commitment: it was altered.
            case reportAltered = "report-altered"
            /// A log entry has no stored report: it was deleted.
            case reportMissing = "report-missing"
            /// A snapshot entry has no stored snapshot of that hash.
            case snapshotMissing = "snapshot-missing"
            /// A stored tile disagrees with the tree rebuilt from the entries.
            case tileMismatch = "tile-mismatch"
            /// The entries do not give the latest signed checkpoint's root or size.
            case checkpointMismatch = "checkpoint-mismatch"
        }
        /// What is wrong.
        public var kind: Kind
        /// The log index concerned, if one.
        public var index: UInt64?

        /// Creates a finding.
        public init(kind: Kind, index: UInt64?) {
            self.kind = kind
            self.index = index
        }

        public var description: String {
            switch kind {
            case .reportAltered: "log entry \(index ?? 0): the stored report no longer matches its logged commitment (altered)"
            case .reportMissing: "log entry \(index ?? 0): no stored report (deleted)"
            case .snapshotMissing: "log entry \(index ?? 0): no stored tally snapshot has the logged hash"
            case .tileMismatch: "a stored tile does not match the log's entries"
            case .checkpointMismatch: "the log's entries do not give the latest signed checkpoint"
            }
        }
    }

    /// What the audit saw.
    public struct Result: Sendable {
        /// Entries in the log.
        public var logSize: UInt64 = 0
        /// Reports whose commitment was recomputed.
        public var reportsChecked: UInt64 = 0
        /// Everything wrong; empty for a sound log.
        public var findings: [Finding] = []
    }

    /// Runs the audit.
    /// - Parameters:
    ///   - store: the observatory's storage.
    ///   - verifier: the log's verifier key, to check the stored checkpoint's signature.
    ///   - progress: called with (entries done, log size) as the audit goes.
    public static func run(
        store: any ObservatoryStore, verifier: NoteVerifier, progress: (UInt64, UInt64) -> Void = { _, _ in }
    ) async throws -> Result {
        var result = Result()
        let size = try await store.logSize()
        result.logSize = size
        var tree = MerkleLog()
        let snapshotHashes = Set(try await store.snapshots().map(\.hash))
        while tree.size < size {
            let start = tree.size
            let entries = try await store.logEntries(from: start, count: 10_000)
            if entries.isEmpty { break }
            let reports = try await store.loggedReports(from: start, limit: entries.count)
            var byIndex: [UInt64: LoggedReport] = [:]
            for report in reports { byIndex[report.index] = report }
            for (offset, entry) in entries.enumerated() {
                let index = start + UInt64(offset)
                tree.append(Array(entry))
                if let hash = SnapshotLogEntry.hash(in: Array(entry)) {
                    if !snapshotHashes.contains(Data(hash)) { result.findings.append(Finding(kind: .snapshotMissing, index: index)) }
                    continue
                }
                guard let report = byIndex[index] else {
                    result.findings.append(Finding(kind: .reportMissing, index: index))
                    continue
                }
                result.reportsChecked += 1
                let opening = try? CommitmentOpening(salt: Array(report.salt), signedReportBytes: Array(report.signedReport))
                let matches = opening.map { ConstantTimeBytes.equal($0.commitment.bytes, Array(entry)) } ?? false
                if !matches { result.findings.append(Finding(kind: .reportAltered, index: index)) }
            }
            progress(tree.size, size)
        }
        for tile in Tile.tiles(treeSize: tree.size) {
            let stored = try await store.tile(level: tile.level, index: tile.index)
            let expected = try tree.tileData(tile)
            guard let stored, stored.width >= tile.width, Array(stored.data.prefix(expected.count)) == expected else {
                result.findings.append(Finding(kind: .tileMismatch, index: nil))
                break
            }
        }
        if let checkpoint = try await store.latestCheckpoint() {
            let parsed = try? Checkpoint.open(Array(checkpoint.note), origin: verifier.name, verifiers: [verifier]).checkpoint
            let sound = parsed.map { $0.treeSize == tree.size && (try? tree.rootHash(treeSize: $0.treeSize)) == $0.rootHash } ?? false
            if !sound { result.findings.append(Finding(kind: .checkpointMismatch, index: nil)) }
        } else if tree.size > 0 {
            result.findings.append(Finding(kind: .checkpointMismatch, index: nil))
        }
        return result
    }
}

/// Comparison of public bytes whose time must not depend on where they differ.
enum ConstantTimeBytes {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
