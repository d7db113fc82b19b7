/// The tlog-tiles view of a ``MerkleLog``: serving its tiles and rebuilding it from them
/// (c2sp.org/tlog-tiles, Merkle Tree).
extension MerkleLog {
    /// The bytes of a tlog-tiles tile: the concatenated level-`8·L` hashes it covers
    /// (c2sp.org/tlog-tiles, Merkle Tree).
    /// - Parameter tile: the tile's level, index and width.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` if the log does not hold that tile yet.
    public func tileData(_ tile: Tile) throws(TransparencyError) -> [UInt8] {
        let merkleLevel = tile.level * Tile.levelStride
        // Tile indices come from request paths: multiply without trapping.
        let (first, overflow) = tile.index.multipliedReportingOverflow(by: UInt64(Tile.maxWidth))
        let end = first &+ UInt64(tile.width)
        guard !overflow, end >= first, merkleLevel < 64, end <= hashCount(level: merkleLevel) else {
            throw TransparencyError(
                .indexOutOfRange, kind: .misuse,
                "the log of size \(size) does not hold tile level \(tile.level) index \(tile.index) width \(tile.width)",
                specRule: "c2sp.org/tlog-tiles, Merkle Tree")
        }
        let bytes = levels[merkleLevel]
        return Array(bytes[(Int(first) * MerkleTreeHash.size)..<(Int(end) * MerkleTreeHash.size)])
    }

    /// Rebuilds a log of `treeSize` entries from its tiles, as persisted by a store.
    ///
    /// Leaf hashes come from the level-0 tiles; every higher-level tile the reader supplies is
    /// then checked against the rebuilt hashes, so a damaged store is detected, not trusted.
    /// - Parameters:
    ///   - treeSize: the size to restore, e.g. that of the last signed checkpoint.
    ///   - reader: serves the tiles of ``Tile/tiles(treeSize:)``.
    /// - Throws: ``TransparencyError/Code/missingTile`` if the reader fails,
    ///   ``TransparencyError/Code/malformedTile`` if a tile has the wrong length or disagrees with the leaves.
    public init(treeSize: UInt64, restoringFrom reader: some TileReader) throws(TransparencyError) {
        self.init()
        let tiles = Tile.tiles(treeSize: treeSize)
        for tile in tiles where tile.level == 0 {
            for leaf in try tile.hashes(from: try Self.read(tile, with: reader)) { try append(leafHash: leaf) }
        }
        for tile in tiles where tile.level > 0 {
            guard try Self.read(tile, with: reader) == (try tileData(tile)) else {
                throw TransparencyError(
                    .malformedTile, "stored tile \(tile.path) does not match the hashes of the entries below it",
                    specRule: "c2sp.org/tlog-tiles, Merkle Tree")
            }
        }
    }

    private static func read(_ tile: Tile, with reader: some TileReader) throws(TransparencyError) -> [UInt8] {
        do {
            return try reader.readTile(tile)
        } catch {
            throw TransparencyError(
                .missingTile, "the tile reader could not supply tile \(tile.path)",
                specRule: "c2sp.org/tlog-tiles, Merkle Tree", underlying: error)
        }
    }
}
