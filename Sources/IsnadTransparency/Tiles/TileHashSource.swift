/// Serves complete-subtree hashes out of tlog-tiles tiles for a tree of `treeSize` entries.
///
/// Merkle level `h = 8·L + r` index `i` lies in tile level `L`, index `(i·2^r) / 256`; it is the
/// root of the `2^r` tile hashes starting at `(i·2^r) mod 256`, rebuilt by hashing them pairwise
/// (c2sp.org/tlog-tiles: "The Merkle Tree levels between those expressed by the tile hashes are
/// reconstructed by hashing the leaves").
struct TileHashSource: SubtreeHashSource {
    let treeSize: UInt64
    /// Returns the body of a tile; nil-returning readers are mapped to `missingTile` by the caller.
    let fetch: (Tile) throws(TransparencyError) -> [UInt8]
    /// When true, no tile is read: needed tiles are only recorded and a zero hash returned.
    let isPlanning: Bool
    private(set) var cache: [Tile: [[UInt8]]] = [:]
    private(set) var needed: [Tile] = []

    init(treeSize: UInt64, isPlanning: Bool = false, fetch: @escaping (Tile) throws(TransparencyError) -> [UInt8]) {
        self.treeSize = treeSize
        self.isPlanning = isPlanning
        self.fetch = fetch
    }

    /// The tile holding Merkle level `level`, index `index`, and the range of its hashes to combine.
    static func location(level: Int, index: UInt64, treeSize: UInt64) -> (tile: Tile, first: Int, count: Int)? {
        let tileLevel = level / Tile.levelStride
        let within = level % Tile.levelStride
        let baseIndex = index << UInt64(within)
        let tileIndex = baseIndex / UInt64(Tile.maxWidth)
        guard let tile = Tile.tile(level: tileLevel, index: tileIndex, treeSize: treeSize) else { return nil }
        let first = Int(baseIndex % UInt64(Tile.maxWidth))
        let count = 1 << within
        guard first + count <= tile.width else { return nil }
        return (tile, first, count)
    }

    mutating func hash(level: Int, index: UInt64) throws(TransparencyError) -> [UInt8] {
        guard let (tile, first, count) = Self.location(level: level, index: index, treeSize: treeSize) else {
            throw TransparencyError(
                .indexOutOfRange, kind: .internalFailure,
                "a proof asked for a subtree outside the tree; this is a bug",
                specRule: "c2sp.org/tlog-tiles, Merkle Tree")
        }
        if isPlanning {
            if cache[tile] == nil {
                cache[tile] = []
                needed.append(tile)
            }
            return [UInt8](repeating: 0, count: MerkleTreeHash.size)
        }
        let hashes: [[UInt8]]
        if let cached = cache[tile] {
            hashes = cached
        } else {
            hashes = try tile.hashes(from: try fetch(tile))
            cache[tile] = hashes
            needed.append(tile)
        }
        var layer = Array(hashes[first..<(first + count)])
        while layer.count > 1 {
            layer = stride(from: 0, to: layer.count, by: 2).map { MerkleTreeHash.nodeHash(layer[$0], layer[$0 + 1]) }
        }
        return layer[0]
    }
}
