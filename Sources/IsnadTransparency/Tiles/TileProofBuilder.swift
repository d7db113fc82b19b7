/// Roots and RFC 9162 proofs derived from tlog-tiles tiles alone (c2sp.org/tlog-tiles, Merkle Tree).
///
/// ```
/// verified checkpoint (size n, root) ──▶ tilesFor…(n) ──▶ caller fetches tiles (in parallel)
///        ▲                                                        │
///        └──── MerkleProofVerifier.verify…(root) ◀── …Proof(tiles:) ┘
/// ```
/// Tiles are not trusted: a wrong tile only yields a proof that fails verification.
public enum TileProofBuilder {
    /// The tiles needed to compute the root of a tree of `treeSize` entries.
    /// - Parameter treeSize: the size of a verified checkpoint.
    public static func tilesForRoot(treeSize: UInt64) -> [Tile] {
        var source = TileHashSource(treeSize: treeSize, isPlanning: true) { _ in [] }
        _ = try? MerkleProofBuilder.subtreeHash(start: 0, size: treeSize, &source)
        return source.needed
    }

    /// The tiles needed for the inclusion proof of `leafIndex` in a tree of `treeSize` entries.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` unless `leafIndex < treeSize`.
    public static func tilesForInclusion(leafIndex: UInt64, treeSize: UInt64) throws(TransparencyError) -> [Tile] {
        try MerkleProofBuilder.checkInclusionRange(index: leafIndex, treeSize: treeSize)
        var source = TileHashSource(treeSize: treeSize, isPlanning: true) { _ in [] }
        _ = try MerkleProofBuilder.inclusionPath(index: leafIndex, start: 0, size: treeSize, &source)
        return source.needed
    }

    /// The tiles needed for the consistency proof from `first` to `second` entries.
    /// - Throws: ``TransparencyError/Code/indexOutOfRange`` unless `0 < first <= second`.
    public static func tilesForConsistency(from first: UInt64, to second: UInt64) throws(TransparencyError) -> [Tile] {
        var source = TileHashSource(treeSize: second, isPlanning: true) { _ in [] }
        _ = try MerkleProofBuilder.consistencyProof(first: first, second: second, &source)
        return source.needed
    }

    /// MTH(D[0:treeSize]) computed from fetched tiles (RFC 9162 §2.1.1).
    /// - Parameters:
    ///   - treeSize: the tree size.
    ///   - tiles: fetched tile bodies; a full tile may stand in for a partial one.
    /// - Throws: ``TransparencyError/Code/missingTile`` or ``TransparencyError/Code/malformedTile``.
    public static func rootHash(treeSize: UInt64, tiles: [Tile: [UInt8]]) throws(TransparencyError) -> [UInt8] {
        var source = TileHashSource(treeSize: treeSize, fetch: lookUp(in: tiles))
        return try MerkleProofBuilder.subtreeHash(start: 0, size: treeSize, &source)
    }

    /// The RFC 9162 §2.1.3.1 inclusion proof computed from fetched tiles.
    /// - Parameters:
    ///   - leafIndex: the entry, below `treeSize`.
    ///   - treeSize: the tree size of a verified checkpoint.
    ///   - tiles: fetched tile bodies, at least those of ``tilesForInclusion(leafIndex:treeSize:)``.
    /// - Throws: ``TransparencyError/Code/missingTile``, ``TransparencyError/Code/malformedTile``
    ///   or ``TransparencyError/Code/indexOutOfRange``.
    public static func inclusionProof(
        leafIndex: UInt64, treeSize: UInt64, tiles: [Tile: [UInt8]]
    ) throws(TransparencyError) -> [[UInt8]] {
        try inclusionProof(leafIndex: leafIndex, treeSize: treeSize, fetch: lookUp(in: tiles))
    }

    /// The RFC 9162 §2.1.3.1 inclusion proof, reading tiles through `reader`.
    /// - Throws: as ``inclusionProof(leafIndex:treeSize:tiles:)``; reader errors become ``TransparencyError/Code/missingTile``.
    public static func inclusionProof(
        leafIndex: UInt64, treeSize: UInt64, reader: some TileReader
    ) throws(TransparencyError) -> [[UInt8]] {
        try inclusionProof(leafIndex: leafIndex, treeSize: treeSize, fetch: read(with: reader))
    }

    /// The RFC 9162 §2.1.4.1 consistency proof computed from fetched tiles of the newer tree.
    /// - Parameters:
    ///   - first: the older size, `0 < first <= second`.
    ///   - second: the newer size, from a verified checkpoint.
    ///   - tiles: fetched tile bodies, at least those of ``tilesForConsistency(from:to:)``.
    /// - Throws: ``TransparencyError/Code/missingTile``, ``TransparencyError/Code/malformedTile``
    ///   or ``TransparencyError/Code/indexOutOfRange``.
    public static func consistencyProof(
        from first: UInt64, to second: UInt64, tiles: [Tile: [UInt8]]
    ) throws(TransparencyError) -> [[UInt8]] {
        var source = TileHashSource(treeSize: second, fetch: lookUp(in: tiles))
        return try MerkleProofBuilder.consistencyProof(first: first, second: second, &source)
    }

    /// The RFC 9162 §2.1.4.1 consistency proof, reading tiles through `reader`.
    /// - Throws: as ``consistencyProof(from:to:tiles:)``; reader errors become ``TransparencyError/Code/missingTile``.
    public static func consistencyProof(
        from first: UInt64, to second: UInt64, reader: some TileReader
    ) throws(TransparencyError) -> [[UInt8]] {
        var source = TileHashSource(treeSize: second, fetch: read(with: reader))
        return try MerkleProofBuilder.consistencyProof(first: first, second: second, &source)
    }

    private static func inclusionProof(
        leafIndex: UInt64, treeSize: UInt64, fetch: @escaping (Tile) throws(TransparencyError) -> [UInt8]
    ) throws(TransparencyError) -> [[UInt8]] {
        try MerkleProofBuilder.checkInclusionRange(index: leafIndex, treeSize: treeSize)
        var source = TileHashSource(treeSize: treeSize, fetch: fetch)
        return try MerkleProofBuilder.inclusionPath(index: leafIndex, start: 0, size: treeSize, &source)
    }

    /// Looks a tile up by its exact coordinate, falling back to the full tile's prefix for a
    /// partial one (c2sp.org/tlog-tiles, Partial Tiles: full tiles may replace partial ones).
    private static func lookUp(in tiles: [Tile: [UInt8]]) -> (Tile) throws(TransparencyError) -> [UInt8] {
        { (tile: Tile) throws(TransparencyError) -> [UInt8] in
            if let data = tiles[tile] { return data }
            if !tile.isFull, let full = try? Tile(level: tile.level, index: tile.index),
               let data = tiles[full], data.count == Tile.maxWidth * MerkleTreeHash.size {
                return Array(data[0..<(tile.width * MerkleTreeHash.size)])
            }
            throw TransparencyError(
                .missingTile, "tile \(tile.path) is needed but was not supplied; fetch it and retry",
                specRule: "c2sp.org/tlog-tiles, Merkle Tree")
        }
    }

    private static func read(with reader: some TileReader) -> (Tile) throws(TransparencyError) -> [UInt8] {
        { (tile: Tile) throws(TransparencyError) -> [UInt8] in
            do {
                return try reader.readTile(tile)
            } catch {
                throw TransparencyError(
                    .missingTile, "the tile reader could not supply tile \(tile.path)",
                    specRule: "c2sp.org/tlog-tiles, Merkle Tree", underlying: error)
            }
        }
    }
}
