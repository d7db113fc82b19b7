/// One tlog-tiles Merkle tree tile: level `L`, index `N`, width `W` (c2sp.org/tlog-tiles, Merkle Tree).
///
/// The tile holds the hashes MTH(D[(N·256 + i)·256^L ..< (N·256 + i + 1)·256^L]) for
/// `i < W`, which are the Merkle level `8·L` hashes `N·256 ..< N·256 + W`. A full tile has
/// 256 hashes (8,192 bytes); a partial tile 1 to 255 and is never hashed into the level above.
public struct Tile: Hashable, Sendable, CustomStringConvertible {
    /// Hashes in a full tile (c2sp.org/tlog-tiles, Merkle Tree).
    public static let maxWidth = 256
    /// Merkle levels spanned by one tile level: 256 = 2^8.
    public static let levelStride = 8
    /// The highest tile level a path may name (c2sp.org/tlog-tiles: "between 0 and 63").
    public static let maxLevel = 63

    /// The tile level `L`; level 0 holds leaf hashes.
    public let level: Int
    /// The tile index `N` within its level.
    public let index: UInt64
    /// The number of hashes, 256 for a full tile.
    public let width: Int

    /// Creates a tile coordinate.
    /// - Parameters:
    ///   - level: 0 to 63.
    ///   - index: the tile's index within the level.
    ///   - width: 1 to 256.
    /// - Throws: ``TransparencyError/Code/malformedTile`` for a level or width out of range.
    public init(level: Int, index: UInt64, width: Int = Tile.maxWidth) throws(TransparencyError) {
        guard (0...Tile.maxLevel).contains(level), (1...Tile.maxWidth).contains(width) else {
            throw TransparencyError(
                .malformedTile, kind: .misuse, "tile level must be 0...63 and width 1...256",
                specRule: "c2sp.org/tlog-tiles, Merkle Tree")
        }
        self.level = level
        self.index = index
        self.width = width
    }

    /// Whether this tile holds 256 hashes.
    public var isFull: Bool { width == Tile.maxWidth }

    /// The path below the log prefix, e.g. `tile/0/x001/x234/067.p/8` (c2sp.org/tlog-tiles, Merkle Tree).
    public var path: String { "tile/\(level)/" + TilePath.encode(index: index, width: width) }

    /// The path of the matching entry bundle, e.g. `tile/entries/x001/x234/067` (c2sp.org/tlog-tiles, Log entries).
    /// Only meaningful for level-0 tiles.
    public var entriesPath: String { "tile/entries/" + TilePath.encode(index: index, width: width) }

    /// The tile's path.
    public var description: String { path }

    /// Parses a tile path `tile/<L>/<N>[.p/<W>]`, strictly (c2sp.org/tlog-tiles, Merkle Tree).
    /// - Parameter path: the path below the log prefix, without a leading slash.
    /// - Throws: ``TransparencyError/Code/malformedTile`` for anything but a canonical tile path.
    public init(path: String) throws(TransparencyError) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "tile", let level = TilePath.decimal(parts[1]), level <= 63 else {
            throw TilePath.malformed("a tile path is tile/<L>/<N>[.p/<W>] with L a decimal from 0 to 63")
        }
        let (index, width) = try TilePath.decode(parts[2...])
        try self.init(level: Int(level), index: index, width: width)
    }

    /// Parses an entry bundle path `tile/entries/<N>[.p/<W>]` into its level-0 tile, strictly
    /// (c2sp.org/tlog-tiles, Log entries).
    /// - Parameter entriesPath: the path below the log prefix, without a leading slash.
    /// - Throws: ``TransparencyError/Code/malformedTile`` for anything but a canonical bundle path.
    public init(entriesPath: String) throws(TransparencyError) {
        let parts = entriesPath.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "tile", parts[1] == "entries" else {
            throw TilePath.malformed("an entry bundle path is tile/entries/<N>[.p/<W>]")
        }
        let (index, width) = try TilePath.decode(parts[2...])
        try self.init(level: 0, index: index, width: width)
    }

    /// The tile at `level` and `index` as it exists in a tree of `treeSize` entries: full, partial,
    /// or `nil` if it is empty (c2sp.org/tlog-tiles, Partial Tiles: `floor(s / 256**l) mod 256`).
    /// - Parameters:
    ///   - level: tile level.
    ///   - index: tile index.
    ///   - treeSize: the tree size of a verified checkpoint.
    public static func tile(level: Int, index: UInt64, treeSize: UInt64) -> Tile? {
        guard level >= 0, level * levelStride < 64 else { return nil }
        let hashesAtLevel = treeSize >> UInt64(level * levelStride)
        let first = index.multipliedReportingOverflow(by: UInt64(maxWidth))
        guard !first.overflow, first.partialValue < hashesAtLevel else { return nil }
        let width = Int(min(UInt64(maxWidth), hashesAtLevel - first.partialValue))
        return try? Tile(level: level, index: index, width: width)
    }

    /// Every tile that exists for a tree of `treeSize` entries, level by level.
    ///
    /// For 70,000 entries: 273 full and one 112-wide level-0 tiles, one full and one 17-wide
    /// level-1 tile, one 1-wide level-2 tile (c2sp.org/tlog-tiles, Partial Tiles).
    public static func tiles(treeSize: UInt64) -> [Tile] {
        var result: [Tile] = []
        var level = 0
        while level * levelStride < 64 {
            let hashes = treeSize >> UInt64(level * levelStride)
            if hashes == 0 { break }
            let count = (hashes + UInt64(maxWidth) - 1) / UInt64(maxWidth)
            for index in 0..<count {
                if let tile = tile(level: level, index: index, treeSize: treeSize) { result.append(tile) }
            }
            level += 1
        }
        return result
    }

    /// Splits tile bytes into its hashes, checking the length is exactly `width · 32`
    /// (c2sp.org/tlog-tiles: full tiles are exactly 8,192 bytes).
    /// - Parameter data: the fetched tile body.
    /// - Throws: ``TransparencyError/Code/malformedTile`` on a wrong length.
    public func hashes(from data: [UInt8]) throws(TransparencyError) -> [[UInt8]] {
        guard data.count == width * MerkleTreeHash.size else {
            throw TransparencyError(
                .malformedTile,
                "tile \(path) has \(data.count) bytes; expected \(width * MerkleTreeHash.size)",
                specRule: "c2sp.org/tlog-tiles, Merkle Tree")
        }
        return stride(from: 0, to: data.count, by: MerkleTreeHash.size).map {
            Array(data[$0..<($0 + MerkleTreeHash.size)])
        }
    }
}
