@testable import IsnadTransparency

/// Serves tiles out of a ``MerkleLog``, optionally corrupting one, and counts reads.
final class LogTileReader: TileReader {
    let log: MerkleLog
    let corrupt: Tile?
    private(set) var reads: [Tile] = []

    init(log: MerkleLog, corrupt: Tile? = nil) {
        self.log = log
        self.corrupt = corrupt
    }

    func readTile(_ tile: Tile) throws -> [UInt8] {
        reads.append(tile)
        var data = try log.tileData(tile)
        if tile == corrupt { data[data.count - 1] ^= 1 }
        return data
    }
}
