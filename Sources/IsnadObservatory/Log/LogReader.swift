import Foundation
import IsnadStore
import IsnadTransparency

/// Reads the persisted log for serving: tiles at any width up to what is stored, entry bundles,
/// and RFC 9162 proofs computed from tiles (c2sp.org/tlog-tiles; RFC 9162 §2.1.3, §2.1.4).
struct LogReader: Sendable {
    let store: any ObservatoryStore

    /// The body of a tile, or `nil` if the log does not hold it at that width.
    func tileData(_ tile: Tile) async throws -> [UInt8]? {
        guard let stored = try await store.tile(level: tile.level, index: tile.index), stored.width >= tile.width else { return nil }
        // A partial tile is a prefix of any wider version of it (c2sp.org/tlog-tiles, Partial Tiles).
        return Array(stored.data.prefix(tile.width * MerkleTreeHash.size))
    }

    /// The entry bundle of a level-0 tile, or `nil` if the log does not hold that many entries.
    func entryBundle(_ tile: Tile) async throws -> [UInt8]? {
        let start = tile.index.multipliedReportingOverflow(by: UInt64(Tile.maxWidth))
        guard !start.overflow else { return nil }
        let entries = try await store.logEntries(from: start.partialValue, count: tile.width)
        guard entries.count == tile.width else { return nil }
        return try EntryBundle(entries: entries.map { Array($0) }).encoded()
    }

    /// The tiles named, fetched from storage.
    func fetch(_ tiles: [Tile]) async throws -> [Tile: [UInt8]] {
        var fetched: [Tile: [UInt8]] = [:]
        for tile in tiles {
            guard let data = try await tileData(tile) else {
                throw ObservatoryError(.outOfRange, "The log does not hold tile \(tile.path) yet.")
            }
            fetched[tile] = data
        }
        return fetched
    }

    /// The inclusion proof of `index` in the tree of `treeSize` entries.
    func inclusionProof(index: UInt64, treeSize: UInt64) async throws -> [[UInt8]] {
        try await checkSize(treeSize)
        do {
            let tiles = try await fetch(try TileProofBuilder.tilesForInclusion(leafIndex: index, treeSize: treeSize))
            return try TileProofBuilder.inclusionProof(leafIndex: index, treeSize: treeSize, tiles: tiles)
        } catch let error as TransparencyError {
            throw ObservatoryError(.outOfRange, "No inclusion proof for index \(index) in a tree of \(treeSize): \(error.message)", underlying: error)
        }
    }

    /// The consistency proof from `first` to `second` entries.
    func consistencyProof(from first: UInt64, to second: UInt64) async throws -> [[UInt8]] {
        try await checkSize(second)
        do {
            let tiles = try await fetch(try TileProofBuilder.tilesForConsistency(from: first, to: second))
            return try TileProofBuilder.consistencyProof(from: first, to: second, tiles: tiles)
        } catch let error as TransparencyError {
            throw ObservatoryError(.outOfRange, "No consistency proof from \(first) to \(second): \(error.message)", underlying: error)
        }
    }

    private func checkSize(_ treeSize: UInt64) async throws {
        let published = try await store.latestCheckpoint()?.treeSize ?? 0
        guard treeSize <= published else {
            throw ObservatoryError(.outOfRange, "The tree size \(treeSize) is larger than the latest checkpoint's (\(published)).")
        }
    }
}
